"""The dialogs of the steps that need input: warning, consultation, closing, invitation, minutes, suspension,
decision, written reasons.

Each is a FormDialog (screens/cases/forms.py): its fields, how they become the step's parameters (a typing
mistake is said at its field) and the step, taken through casebook.cases with the version of the case the
page showed. Whatever the law forbids, the core refuses and the dialog shows its sentence.
"""

from __future__ import annotations

from typing import Any

from casebook import cases
from casebook.cases import Delivery, Restricts, SanctionKind, SuspensionReason, Taken
from casebook.i18n import t
from casebook.session import Session
from screens.cases import labels
from screens.cases.case_view import CaseView
from screens.cases.forms import Field, FormDialog, FormError, Values, parse_moment, parse_optional_day


def warn_form(case_id: int, version: int, typed: Values, text: str) -> FormDialog:
    """How all employees were told of the warning whose text was edited: then the warning is issued."""
    return FormDialog(
        t("cases.form.warn.title", case=case_id),
        [
            Field(
                "told_how",
                t("cases.form.warn.told_how"),
                value=typed.get("told_how", ""),
                hint=t("cases.form.warn.told_how_hint"),
            )
        ],
        lambda session, p: cases.warn(session, case_id, p["told_how"], text=text, expected_version=version),
    )


def step_form(view: CaseView, verb: str, email: str | None, version: int, typed: Values) -> FormDialog:
    """The dialog of a step that needs input: its fields (with what was typed last time), how they become the
    step's parameters, and the step itself, taken on the version of the case that was shown."""
    case_id, v = view.case.id, typed
    name = view.person(email).name if email else ""
    if verb == "consult":
        return FormDialog(
            t("cases.form.consult.title", case=case_id),
            [Field("what", t("cases.form.consult.what"), value=v.get("what", ""))],
            lambda session, p: cases.consult(session, case_id, p["what"], expected_version=version),
        )
    if verb == "close":
        return FormDialog(
            t("cases.form.close.title", case=case_id),
            [Field("outcome", t("cases.form.close.outcome"), value=v.get("outcome", ""))],
            lambda session, p: cases.close(session, case_id, p["outcome"], expected_version=version),
            note=t("cases.form.close.note"),
        )
    assert email is not None
    if verb == "invite":
        return FormDialog(
            t("cases.form.invite.title", name=name),
            [
                Field("at", t("cases.form.invite.at"), value=v.get("at", ""), hint=t("cases.form.invite.at_hint")),
                Field("place", t("cases.form.invite.place"), value=v.get("place", "")),
            ],
            lambda session, p: cases.invite(session, case_id, email, p["at"], p["place"], expected_version=version),
            parse=lambda values: {"at": parse_moment(values["at"], "at"), "place": values["place"]},
            note=t("cases.form.invite.note"),
        )
    if verb == "hear":
        return FormDialog(
            t("cases.form.hear.title", name=name),
            [
                Field("minutes", t("cases.form.hear.minutes"), "text", v.get("minutes", "")),
                Field("delegate", t("cases.form.hear.delegate"), value=v.get("delegate", "")),
            ],
            lambda session, p: cases.hear(
                session, case_id, email, p["minutes"], delegate=p["delegate"], expected_version=version
            ),
        )
    if verb == "suspend":
        return FormDialog(
            t("cases.form.suspend.title", name=name),
            [
                Field(
                    "kind",
                    t("cases.form.suspend.kind"),
                    "select",
                    v.get("kind"),
                    [(t(f"cases.suspension.{k.value}"), k.value) for k in SuspensionReason],
                ),
                Field("reason", t("cases.form.suspend.reason"), value=v.get("reason", "")),
            ],
            lambda session, p: cases.suspend(session, case_id, email, p["kind"], p["reason"], expected_version=version),
            parse=lambda values: {
                "kind": SuspensionReason(values["kind"]) if values.get("kind") else None,
                "reason": values["reason"],
            },
            note=t("cases.form.suspend.note"),
        )
    if verb == "reasons":
        person = view.person(email)
        due = person.sanction.reasons_due if person.sanction else None
        note = (
            t("cases.form.reasons.note", date=due.isoformat(), left=labels.deadline_state(due, view.today))
            if due
            else ""
        )
        return FormDialog(
            t("cases.form.reasons.title", name=name),
            [
                Field(
                    "delivery",
                    t("cases.form.reasons.delivery"),
                    "select",
                    v.get("delivery"),
                    [(t(f"cases.delivery.{d.value}"), d.value) for d in Delivery],
                ),
                Field("on", t("cases.form.reasons.on"), value=v.get("on", "")),
            ],
            lambda session, p: cases.reasons(
                session, case_id, email, p["delivery"], on=p["on"], expected_version=version
            ),
            parse=parse_reasons,
            note=note,
        )
    assert verb == "sanction"
    return sanction_form(view, email, version, typed)


def sanction_form(view: CaseView, email: str, version: int, typed: Values) -> FormDialog:
    """The decision: a sanction the work rules list, a restriction, dismissal for serious cause, or none; only
    the fields of the kind chosen show, and a dismissal's deadline (the core's) is said first."""
    case_id, v, person = view.case.id, typed, view.person(email)
    name = person.name
    kinds = [(t("cases.form.sanction.listed", name=s), f"work_rules:{s}") for s in view.sanctions]
    kinds += [(t(f"cases.sanction_kind.{k}"), k) for k in ("restriction", "dismissal", "none")]
    due = next((i.due for i in view.due if i.case_person_id == person.id and i.verb == "sanction"), None)
    note = ""
    if due is not None:
        left = labels.deadline_state(due, view.today, overdue_is_late=False)
        note = t("cases.form.sanction.deadline", date=due.isoformat(), left=left)

    def restriction(values: Values) -> bool:
        return values.get("kind") == "restriction"

    def dismissal(values: Values) -> bool:
        return values.get("kind") == "dismissal"

    known = person.known_on.isoformat() if person.known_on else "-"
    fields = [
        Field("kind", t("cases.form.sanction.kind"), "select", v.get("kind"), kinds),
        Field(
            "restricts",
            t("cases.form.sanction.restricts"),
            "select",
            v.get("restricts", Restricts.INTERNET.value),
            [(t(f"cases.restricts.{r.value}"), r.value) for r in Restricts],
            shown=restriction,
        ),
        Field("partial", t("cases.form.sanction.partial"), "check", v.get("partial", False), shown=restriction),
        Field("until", t("cases.form.sanction.until"), value=v.get("until", ""), shown=restriction),
        Field("detail", t("cases.form.sanction.detail"), value=v.get("detail", ""), shown=restriction),
        Field("known", t("cases.form.sanction.known", known=known), value=v.get("known", ""), shown=dismissal),
        Field("known_reason", t("cases.form.sanction.known_reason"), value=v.get("known_reason", ""), shown=dismissal),
    ]
    if person.protected:
        fields.append(
            Field(
                "protected_ok",
                t("cases.form.sanction.protected"),
                "check",
                v.get("protected_ok", False),
                shown=dismissal,
            )
        )

    def perform(session: Session, p: dict[str, Any]) -> Taken:
        return cases.sanction(session, case_id, email, expected_version=version, **p)

    return FormDialog(t("cases.form.sanction.title", name=name), fields, perform, parse=parse_sanction, note=note)


def parse_reasons(values: Values) -> dict[str, Any]:
    if not values.get("delivery"):
        raise FormError(t("cases.form.choose_one"), "delivery")
    return {"delivery": Delivery(values["delivery"]), "on": parse_optional_day(values.get("on", ""), "on")}


def parse_sanction(values: Values) -> dict[str, Any]:
    """The sanction dialog's fields as `casebook.cases.sanction`'s parameters."""
    kind = values.get("kind")
    if not kind:
        raise FormError(t("cases.form.choose_one"), "kind")
    if str(kind).startswith("work_rules:"):
        return {"kind": SanctionKind.WORK_RULES, "detail": str(kind).split(":", 1)[1]}
    if kind == "restriction":
        return {
            "kind": SanctionKind.RESTRICTION,
            "restricts": Restricts(values["restricts"]) if values.get("restricts") else None,
            "partial": bool(values.get("partial")),
            "until": parse_optional_day(values.get("until", ""), "until"),
            "detail": values.get("detail", ""),
        }
    if kind == "dismissal":
        return {
            "kind": SanctionKind.DISMISSAL,
            "known": parse_optional_day(values.get("known", ""), "known"),
            "known_reason": values.get("known_reason", ""),
            "protected_ok": bool(values.get("protected_ok")),
        }
    return {"kind": SanctionKind.NONE}
