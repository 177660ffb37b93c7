"""The letters of a case: the collective warning, the notification, the invitation, the minutes, the decision.

Each is drafted from a template kept as a data file beside this module (letters/<kind>.<lang>.md,
placeholders as `$name`), filled from the case, the policy and the step. The Dutch text is the one
sent (the language the law requires for the employees of a Flemish employer); it may be edited and
is saved on the case, every edit a new version. The English rendering is offered to staff only,
marked as a translation, and never saved as sent.
"""

from __future__ import annotations

from datetime import date, datetime
from importlib import resources
from string import Template
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.cases.model import Case, LetterKind, Person, SanctionKind
from casebook.formatting import long_date
from casebook.i18n import t_in

if TYPE_CHECKING:
    from casebook.policy.versions import PolicyVersion

LANGUAGES = ("nl", "en")
SENT_LANGUAGE = "nl"


def template(kind: LetterKind, language: str) -> Template:
    text = resources.files("casebook.cases").joinpath("letters", f"{kind.value}.{language}.md").read_text("utf-8")
    return Template(text)


def _facts(case: Case, language: str, stages: tuple[str, ...] = ("opened", "control", "recurrence")) -> str:
    lines = [f"- {f.day.isoformat()}: {f.summary}" for f in case.findings if f.stage in stages]
    return "\n".join(lines) or t_in(language, "letter.no_facts")


def _period(case: Case, language: str) -> str:
    return t_in(
        language,
        "letter.period",
        first=long_date(case.period_from, language),
        last=long_date(case.period_to, language),
    )


def _sanction_text(person: Person, language: str) -> tuple[str, str]:
    """What was decided, and what follows from it (for a dismissal: the written reasons and how)."""
    sanction = person.sanction
    if sanction is None:
        return "", ""
    kind = SanctionKind(sanction.kind)
    if kind is SanctionKind.WORK_RULES:
        return t_in(language, "letter.sanction.work_rules", detail=sanction.detail), ""
    if kind is SanctionKind.RESTRICTION:
        until = (
            t_in(language, "letter.restriction.until", date=long_date(sanction.until, language))
            if sanction.until
            else t_in(language, "letter.restriction.permanent")
        )
        extent = t_in(language, "letter.restriction.partial" if sanction.partial else "letter.restriction.full")
        what = t_in(language, f"letter.restricts.{sanction.restricts}")
        text = t_in(language, "letter.sanction.restriction", what=what, extent=extent, until=until)
        return (text + (f" ({sanction.detail})" if sanction.detail else "")), ""
    if kind is SanctionKind.DISMISSAL:
        due = long_date(sanction.reasons_due, language) if sanction.reasons_due else ""
        return t_in(language, "letter.sanction.dismissal"), t_in(language, "letter.dismissal_reasons", date=due)
    return t_in(language, "letter.sanction.none"), ""


def draft(
    kind: LetterKind,
    case: Case,
    policy: PolicyVersion,
    signatory: str,
    today: date,
    language: str = SENT_LANGUAGE,
    person: Person | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The letter as generated, before anyone edits it."""
    extra = extra or {}
    settings = policy.settings
    values: dict[str, Any] = {
        "organisation": settings.organisation_name,
        "today": long_date(today, language),
        "case": case.id,
        "purpose": t_in(language, f"letter.purpose.{case.purpose}"),
        "period": _period(case, language),
        "facts": _facts(
            case, language, ("opened", "control") if kind is LetterKind.WARNING else ("opened", "control", "recurrence")
        ),
        "signatory": signatory,
        "name": person.name if person else "",
        "events": person.events if person else 0,
        "delegate": "",
        "minutes": extra.get("minutes", ""),
    }
    if person is not None:
        hearing_at: datetime | None = extra.get("hearing_at") or person.hearing_at
        if hearing_at is not None:
            local = clocks.local(hearing_at)
            values["hearing_date"] = long_date(local.date(), language)
            values["hearing_time"] = local.strftime("%H:%M")
        values["hearing_place"] = extra.get("hearing_place") or person.hearing_place or ""
        if extra.get("delegate"):
            values["delegate"] = t_in(language, "letter.with_delegate", delegate=extra["delegate"])
        if person.suspension:
            values["heard"] = t_in(language, "letter.heard.suspended", reason=person.suspension)
        elif hearing_at is not None:
            values["heard"] = t_in(
                language, "letter.heard.hearing", date=long_date(clocks.local(hearing_at).date(), language)
            )
        else:
            values["heard"] = ""
        values["sanction"], values["remedies"] = _sanction_text(person, language)
    text = template(kind, language).safe_substitute(values)
    if language != SENT_LANGUAGE:
        text = t_in(language, "letter.translation_banner") + "\n\n" + text
    return text
