"""A case's page: the decision, the findings, the warning, the people and their deadlines, the timeline,
and only the steps the signed-in person may take now.

What may be done is the core's answer, never the screen's guess: for each step of the procedure
(casebook.cases.STEPS) the page asks `blocked_by`, for the case and for each person it names
(screens/cases/case_view.py), and offers a step's key only when nothing blocks it; `?` lists the others
with the rule that blocks each. Identities show only as the core gives them (`show` returns no people to
whoever may not see them).

A step that needs input opens its dialog (screens/cases/steps.py); one that needs none asks to confirm.
Each is taken with the version of the case the page showed: when someone else changed the case meanwhile,
the core refuses ("case.changed"), the page says so and reloads, and what was typed is kept for the next
try. Letters open in an editor (screens/cases/letter_editor.py): the collective warning and the
notification before their step, the invitation, minutes and decision after theirs (a change becomes the
letter's next version), any saved letter from `l`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from casebook import cases
from casebook.cases import Case, CaseState, LetterKind, SanctionKind, Taken
from casebook.cases.model import Person, PersonState
from casebook.errors import CasebookError, Refused
from casebook.formatting import number
from casebook.i18n import t
from casebook.session import Session
from screens import actions
from screens.base import CasebookScreen
from screens.cases import labels, steps
from screens.cases.case_view import PAGE_STEPS, CaseView, read_case
from screens.cases.dialogs import ChoiceDialog, WhyDialog
from screens.cases.forms import FormResult
from screens.cases.letter_editor import LetterEditor
from screens.widgets.confirm import ConfirmScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.workers import read_in_worker

# The letter a step writes, shown in the editor after the step when it needed the step's own input first.
LETTER_AFTER = {"invite": LetterKind.INVITATION, "hear": LetterKind.MINUTES, "sanction": LetterKind.SANCTION}
# Which letter each step of the timeline wrote.
LETTER_OF_STEP = {
    "warn": LetterKind.WARNING,
    "notify": LetterKind.NOTIFICATION,
    "invite": LetterKind.INVITATION,
    "hear": LetterKind.MINUTES,
    "sanction": LetterKind.SANCTION,
}

DraftKey = tuple[str, ...]


@dataclass
class Flow:
    """One step under way: which, for whom, on which version of the case, with what was typed so far."""

    verb: str
    email: str | None
    version: int
    values: dict[str, Any] = field(default_factory=dict)
    draft_key: DraftKey | None = None  # where what was typed is kept (default: the step and the person)

    @property
    def key(self) -> DraftKey:
        return self.draft_key or (self.verb, self.email or "")


class CaseScreen(CasebookScreen[None]):
    CSS_PATH = "cases.tcss"
    ACTIONS = (
        *(f"case.step.{step.verb}" for step in PAGE_STEPS),
        "case.why",
        "case.letters",
        "case.reload",
        "case.back",
    )

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.view: CaseView | None = None
        # What was typed for a step that did not go through (the case changed, the law refused): kept for the
        # next try, so that nothing typed is lost.
        self.drafts: dict[DraftKey, dict[str, Any]] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(Text(t("cases.page.loading", case=self.case_id)), id="case-title")
        yield Static(id="case-now")
        with VerticalScroll(id="case-body"):
            # The running deadlines first: they are what cannot wait.
            yield Static(id="case-deadlines", classes="case-section")
            yield Static(id="case-decision", classes="case-section")
            yield Static(id="case-findings", classes="case-section")
            yield Static(id="case-warning", classes="case-section")
            yield Static(id="case-people", classes="case-section")
            yield Static(id="case-timeline", classes="case-section")
        yield Static(id="case-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#case-message").display = False
        self.query_one("#case-body").focus()
        self.load()

    # -- reading -------------------------------------------------------------------

    def load(self) -> None:
        case_id = self.case_id
        read_in_worker(
            self,
            self.casebook_app,
            lambda session: read_case(session, case_id),
            self._show,
            "case-load",
            failed=self._failed,
        )

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.message(message, ok=False)

    def _show(self, view: CaseView) -> None:
        if not self.is_attached:
            return
        self.view = view
        case = view.case
        self.query_one("#case-title", Static).update(
            Text(
                t(
                    "cases.page.title",
                    case=case.id,
                    purpose=case.purpose,
                    purpose_name=labels.purpose_name(case.purpose),
                    state=labels.state_text(case.state),
                ),
                no_wrap=True,
                overflow="ellipsis",
            )
        )
        self.query_one("#case-now", Static).update(self._now_text(view))
        self.query_one("#case-decision", Static).update(self._decision(case))
        self.query_one("#case-findings", Static).update(self._findings(case))
        warning = self.query_one("#case-warning", Static)
        warning.display = case.purpose == 4 or case.warning is not None
        warning.update(self._warning(case))
        self.query_one("#case-people", Static).update(self._people(view))
        deadlines = self._deadlines(view)
        self.query_one("#case-deadlines", Static).display = deadlines is not None
        self.query_one("#case-deadlines", Static).update(deadlines or "")
        self.query_one("#case-timeline", Static).update(self._timeline(view))
        self.refresh_bindings()

    def message(self, text: str, ok: bool) -> None:
        widget = self.query_one("#case-message", Static)
        widget.set_class(not ok, "-error")
        widget.update(plain(("✔ " if ok else "✖ ") + text if text else ""))
        widget.display = bool(text)

    # -- the page's sections ---------------------------------------------------------

    def _person_name(self, view: CaseView, person_id: int | None) -> str:
        """A person as this page may name them: by name for whoever may see identities, else 'persoon 2'."""
        for person in view.case.people:
            if person.id == person_id:
                return person.name
        known = sorted(
            {s.person for s in view.case.timeline if s.person is not None}
            | {i.case_person_id for i in view.due if i.case_person_id is not None}
        )
        number_ = known.index(person_id) + 1 if person_id in known else 0
        return t("cases.page.person_ref", number=number_)

    def _now_text(self, view: CaseView) -> Text:
        if view.case.closed:
            return Text(t("cases.page.closed_now"))
        parts = []
        for step in PAGE_STEPS:
            emails = view.open_steps.get(step.verb)
            if not emails:
                continue
            label = f"{actions.BY_ID[f'case.step.{step.verb}'].keys} {labels.step_label(step.verb)}"
            names = [view.person(e).name for e in emails if e is not None]
            parts.append(t("cases.page.for_person", step=label, names=", ".join(names)) if names else label)
        if not parts:
            return Text(t("cases.page.nothing_now", key="?"))
        return plain(t("cases.page.now", actions=" · ".join(parts)))

    def _decision(self, case: Case) -> Text:
        local = self.casebook_app.book.local_time_text
        head = Text(t("cases.page.decision") + " ", "bold")
        head.append(
            t(
                "cases.page.scope",
                circumstance=labels.circumstance_text(case.circumstance),
                first=case.period_from.isoformat(),
                last=case.period_to.isoformat(),
                sources=", ".join(t(f"cases.source.{s.value}") for s in case.sources),
            ),
            "not bold",
        )
        lines = [head]
        opened = t("cases.page.opened", by=case.opened_by, at=local(case.opened_at))
        if case.approved_by:
            opened += t("cases.page.approved", by=case.approved_by)
        lines.append(plain(opened))
        lines.append(plain(t("cases.page.reason", reason=case.reason)))
        if case.closed and case.closed_at is not None:
            outcome = t("cases.page.nothing_found") if case.outcome == "nothing_found" else (case.outcome or "")
            lines.append(plain(t("cases.page.outcome", at=local(case.closed_at), outcome=outcome), "bold"))
        return Text("\n").join(lines)

    def _findings(self, case: Case) -> Text:
        lines = [Text(f"{t('cases.page.findings')} ({number(len(case.findings))})", "bold")]
        if not case.findings:
            lines.append(Text(t("cases.page.no_findings")))
        for finding in case.findings:
            lines.append(
                Text(
                    t(
                        "cases.page.finding",
                        day=finding.day.isoformat(),
                        rule=labels.rule_name(finding.rule),
                        stage=t(f"cases.stage.{finding.stage}"),
                        events=t("cases.page.events", count=finding.events),
                    )
                )
            )
            # The summary names a domain from the logs: plain text.
            lines.append(plain(f"  {finding.summary}"))
        return Text("\n").join(lines)

    def _warning(self, case: Case) -> Text:
        lines = [Text(t("cases.page.warning"), "bold")]
        warning = case.warning
        if warning is None:
            lines.append(Text(t("cases.page.no_warning")))
        else:
            local = self.casebook_app.book.local_time_text
            lines.append(
                plain(t("cases.page.warned", at=local(warning.told_at), by=warning.issued_by, how=warning.told_how))
            )
            lines.append(
                Text(t("cases.page.warned_rules", rules=", ".join(labels.rule_name(r) for r in warning.rules)))
            )
        return Text("\n").join(lines)

    def _people(self, view: CaseView) -> Text:
        case = view.case
        lines = [Text(f"{t('cases.page.people')} ({number(case.people_count)})", "bold")]
        if case.people:
            local = self.casebook_app.book.local_time_text
            for person in case.people:
                head = plain(f"{person.name} <{person.email}>", "bold")
                if person.department:
                    head.append_text(plain(f" · {person.department}"))
                if person.protected:
                    head.append(" · " + t("cases.page.protected"), "bold")
                lines.append(head)
                track = t(
                    "cases.page.track",
                    state=labels.person_state_text(person.state),
                    first=local(person.first_fact),
                    events=t("cases.page.person_events", count=person.events),
                )
                lines.append(Text(f"  {track}", "bold" if person.state is PersonState.NOT_INFORMED else ""))
                if person.hearing_at is not None:
                    hearing = t("cases.page.hearing", at=local(person.hearing_at), place=person.hearing_place or "")
                    lines.append(plain(f"  {hearing}"))
                if person.suspension:
                    lines.append(plain("  " + t("cases.page.suspension", reason=person.suspension)))
                if person.sanction is not None:
                    lines.append(plain("  " + self._sanction_text(person)))
        elif case.people_count:
            lines.append(Text(t("cases.page.people_hidden", count=case.people_count)))
        else:
            lines.append(Text(t("cases.page.no_people")))
        if case.unresolved:
            lines.append(Text(t("cases.page.unresolved", count=case.unresolved)))
        return Text("\n").join(lines)

    @staticmethod
    def _sanction_text(person: Person) -> str:
        sanction = person.sanction
        assert sanction is not None
        on = sanction.decided_on.isoformat()
        kind = SanctionKind(sanction.kind)
        if kind is SanctionKind.WORK_RULES:
            return t("cases.page.sanction.work_rules", detail=sanction.detail, on=on)
        if kind is SanctionKind.RESTRICTION:
            return t(
                "cases.page.sanction.restriction",
                what=t(f"cases.restricts.{sanction.restricts}"),
                extent=t("cases.page.extent.partial" if sanction.partial else "cases.page.extent.full"),
                until=t("cases.page.until", date=sanction.until.isoformat())
                if sanction.until
                else t("cases.page.permanent"),
                on=on,
            ) + (f" · {sanction.detail}" if sanction.detail else "")
        return t(f"cases.page.sanction.{kind.value}", on=on)

    def _deadlines(self, view: CaseView) -> Text | None:
        """The art. 35 deadlines the core computed: a dismissal's decision and its written reasons."""
        today = view.today
        lines: list[Text] = []
        people = {p.id: p for p in view.case.people}
        for item in view.due:
            if item.verb == "sanction" and item.due is not None:
                person = people.get(item.case_person_id or 0)
                known = person.known_on.isoformat() if person and person.known_on else "-"
                text = t("cases.deadline.decision", date=item.due.isoformat(), known=known)
                state = labels.deadline_state(item.due, today, overdue_is_late=False)
                lines.append(self._deadline_line(view, item.case_person_id, text, state))
        for person in view.case.people:
            sanction = person.sanction
            if sanction is None or sanction.kind != SanctionKind.DISMISSAL:
                continue
            if sanction.decision_due is not None:
                text = t(
                    "cases.deadline.decision_given",
                    on=sanction.decided_on.isoformat(),
                    date=sanction.decision_due.isoformat(),
                )
                late = sanction.decided_on > sanction.decision_due
                state = t("cases.deadline.late" if late else "cases.deadline.in_time")
                lines.append(self._deadline_line(view, person.id, text, state))
            if sanction.reasons_on is not None:
                how = t(f"cases.delivery.{sanction.reasons_by}")
                text = t("cases.deadline.reasons_done", on=sanction.reasons_on.isoformat(), how=how)
                late = sanction.reasons_due is not None and sanction.reasons_on > sanction.reasons_due
                state = t("cases.deadline.late" if late else "cases.deadline.in_time")
                lines.append(self._deadline_line(view, person.id, text, state))
            elif sanction.reasons_due is not None:
                text = t("cases.deadline.reasons", date=sanction.reasons_due.isoformat())
                lines.append(
                    self._deadline_line(view, person.id, text, labels.deadline_state(sanction.reasons_due, today))
                )
        if not lines:
            return None
        return Text("\n").join([Text(t("cases.page.deadlines"), "bold"), *lines])

    def _deadline_line(self, view: CaseView, person_id: int | None, text: str, state: str) -> Text:
        line = plain(f"{self._person_name(view, person_id)}: {text} · ")
        line.append(state, "bold")
        return line

    def _timeline(self, view: CaseView) -> Text:
        local = self.casebook_app.book.local_time_text
        lines = [Text(t("cases.page.timeline"), "bold")]
        for step in view.case.timeline:
            line = plain(t("cases.page.step_line", at=local(step.at), by=step.by, verb=labels.verb_text(step.verb)))
            if step.person is not None:
                line.append_text(plain(f" · {self._person_name(view, step.person)}"))
            if step.late:
                line.append(" · " + t("cases.page.late_mark"), "bold")
            lines.append(line)
        return Text("\n").join(lines)

    # -- which keys show ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("step_"):
            return self.view is not None and not self.busy and bool(self.view.open_steps.get(action[5:]))
        if action in {"why", "letters"}:
            return self.view is not None
        return super().check_action(action, parameters)

    def action_step_control(self) -> None:
        self.begin("control")

    def action_step_warn(self) -> None:
        self.begin("warn")

    def action_step_approve(self) -> None:
        self.begin("approve")

    def action_step_individualise(self) -> None:
        self.begin("individualise")

    def action_step_consult(self) -> None:
        self.begin("consult")

    def action_step_notify(self) -> None:
        self.begin("notify")

    def action_step_invite(self) -> None:
        self.begin("invite")

    def action_step_hear(self) -> None:
        self.begin("hear")

    def action_step_suspend(self) -> None:
        self.begin("suspend")

    def action_step_sanction(self) -> None:
        self.begin("sanction")

    def action_step_reasons(self) -> None:
        self.begin("reasons")

    def action_step_close(self) -> None:
        self.begin("close")

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)

    # -- taking a step -------------------------------------------------------------------

    def begin(self, verb: str) -> None:
        """Start a step on the case as shown (its version is the one the step will check)."""
        view = self.view
        if view is None or self.busy or not view.open_steps.get(verb):
            return
        emails = view.open_steps[verb]
        if emails == [None]:
            self._start(Flow(verb, None, view.case.version))
            return
        if len(emails) == 1:
            self._start(Flow(verb, emails[0], view.case.version))
            return
        version = view.case.version

        def chosen(email: str | None) -> None:
            if email is not None:
                self._start(Flow(verb, email, version))

        options = [(f"{view.person(e).name} · {labels.person_state_text(view.person(e).state)}", e) for e in emails]
        self.app.push_screen(ChoiceDialog(t("cases.choose.title", step=labels.step_label(verb)), options), chosen)

    def _start(self, flow: Flow) -> None:
        assert self.view is not None
        case = self.view.case
        flow.values = dict(self.drafts.get(flow.key, {}))
        if flow.verb in ("control", "approve", "individualise"):
            question = t(
                f"cases.confirm.{flow.verb}",
                case=case.id,
                purpose=case.purpose,
                first=case.period_from.isoformat(),
                last=case.period_to.isoformat(),
            )
            call = {"control": cases.control, "approve": cases.approve, "individualise": cases.individualise}[flow.verb]

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_step(flow, lambda session: call(session, case.id, expected_version=flow.version))

            self.app.push_screen(ConfirmScreen(question), answered)
        elif flow.verb == "warn":
            self._edit_then(flow, LetterKind.WARNING, self._warn_form)
        elif flow.verb == "notify":
            self._edit_then(flow, LetterKind.NOTIFICATION, self._notify)
        else:
            assert self.view is not None
            form = steps.step_form(self.view, flow.verb, flow.email, flow.version, flow.values)
            self.app.push_screen(form, partial(self._formed, flow))

    def _edit_then(self, flow: Flow, kind: LetterKind, then: Callable[[Flow, str], None]) -> None:
        """The letter in the editor first (its draft, or what was typed last time); then the step."""
        case_id, email = self.case_id, flow.email
        dutch: str | Callable[[Session], str] = flow.values.get("text") or (
            lambda session: cases.letter(session, case_id, kind, email=email)
        )

        def edited(text: str | None) -> None:
            if text is not None:
                flow.values["text"] = text
                then(flow, text)

        self.app.push_screen(self._editor(kind, email, dutch, t("cases.letter.before")), edited)

    def _editor(
        self,
        kind: LetterKind,
        email: str | None,
        dutch: str | Callable[[Session], str],
        intro: str,
        read_only_reason: str | None = None,
    ) -> LetterEditor:
        case_id = self.case_id
        kind_name = t(f"cases.letter.kind.{kind.value}")
        if email is None:
            title = t("cases.letter.title", kind=kind_name, case=case_id)
        else:
            title = t("cases.letter.title_person", kind=kind_name, case=case_id, name=self._person_name_of(email))
        return LetterEditor(
            title,
            intro,
            dutch,
            lambda session: cases.letter(session, case_id, kind, email=email, language="en"),
            read_only_reason=read_only_reason,
        )

    def _person_name_of(self, email: str | None) -> str:
        if email is None or self.view is None:
            return ""
        return self.view.person(email).name

    def _warn_form(self, flow: Flow, text: str) -> None:
        form = steps.warn_form(self.case_id, flow.version, flow.values, text)
        self.app.push_screen(form, partial(self._formed, flow))

    def _notify(self, flow: Flow, text: str) -> None:
        case_id, email = self.case_id, flow.email
        assert email is not None
        self.run_step(
            flow, lambda session: cases.notify(session, case_id, email, letter_text=text, expected_version=flow.version)
        )

    def _formed(self, flow: Flow, result: FormResult | None) -> None:
        if result is None:
            if flow.values.get("text"):  # a letter edited before the step's dialog was left: kept for next time
                self.drafts[flow.key] = dict(flow.values)
            return
        values = {**flow.values, **result.values}
        if result.changed is not None:
            self._changed(flow, result.changed, values)
        elif result.taken is not None:
            self._taken(flow, result.taken)

    def run_step(self, flow: Flow, call: Callable[[Session], Taken]) -> None:
        """A step that needs no dialog (or whose letter was edited already), taken in a worker."""
        self.busy = True
        self.refresh_bindings()
        self._run(flow, call)

    @work(thread=True, exclusive=True, group="case-step")
    def _run(self, flow: Flow, call: Callable[[Session], Taken]) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            taken = call(session)
        except Refused as refusal:
            app.call_from_thread(self._refused, flow, refusal)
            return
        except CasebookError as error:
            app.call_from_thread(self._error, flow, error.message)
            return
        app.call_from_thread(self._taken, flow, taken)

    def _refused(self, flow: Flow, refusal: Refused) -> None:
        if not self.is_attached:
            return
        self.busy = False
        if refusal.rule == "case.changed":
            self._changed(flow, refusal, flow.values)
        else:
            self._error(flow, refusal.message)

    def _error(self, flow: Flow, message: str) -> None:
        if not self.is_attached:
            return
        self.busy = False
        if flow.values:
            self.drafts[flow.key] = dict(flow.values)
        self.message(message, ok=False)
        self.notify(message, severity="error", markup=False)
        self.refresh_bindings()

    def _changed(self, flow: Flow, refusal: Refused, values: dict[str, Any]) -> None:
        """Someone else changed the case: say so, keep what was typed, show the case as it now stands."""
        self.busy = False
        if values:
            self.drafts[flow.key] = dict(values)
        message = refusal.message + (" " + t("cases.form.kept") if values else "")
        self.message(message, ok=False)
        self.notify(message, severity="warning", markup=False)
        self.load()

    def _taken(self, flow: Flow, taken: Taken) -> None:
        if not self.is_attached:
            return
        self.busy = False
        self.drafts.pop(flow.key, None)
        if flow.verb == "letter":
            done = t(
                "cases.letter.saved",
                kind=t(f"cases.letter.kind.{flow.values['kind']}"),
                version=taken.detail.get("letter_version", "?"),
            )
        elif taken.state == CaseState.CLOSED and flow.email is None:
            done = t("cases.done.closed", case=taken.case_id)
        else:
            done = t("cases.done", step=labels.step_label(flow.verb), case=taken.case_id, version=taken.version)
        self.message(done, ok=True)
        for warning in taken.warnings:
            self.notify(warning, severity="warning", markup=False, timeout=15)
        self.load()
        kind = LETTER_AFTER.get(flow.verb)
        if kind is not None and flow.email is not None:
            self._open_saved_letter(kind, flow.email, taken.version)

    # -- letters -----------------------------------------------------------------------

    def _open_saved_letter(self, kind: LetterKind, email: str | None, version: int, reason: str | None = None) -> None:
        """A saved letter in the editor: a change becomes its next version (save_letter), with the case's version."""
        case_id = self.case_id
        key: DraftKey = ("letter", kind.value, email or "")
        draft = self.drafts.get(key, {}).get("text")
        original: list[str] = []

        def read(session: Session) -> str:
            text = cases.letter(session, case_id, kind, email=email)
            original.append(text)
            return text

        def edited(text: str | None) -> None:
            if text is None:
                return
            if original and text == original[0]:
                self.notify(t("cases.letter.unchanged"), markup=False)
                return
            self.run_step(
                Flow("letter", email, version, {"kind": kind.value, "text": text}, key),
                lambda session: cases.save_letter(session, case_id, kind, text, email=email, expected_version=version),
            )

        self.app.push_screen(
            self._editor(kind, email, draft or read, t("cases.letter.after"), read_only_reason=reason), edited
        )

    def action_letters(self) -> None:
        view = self.view
        if view is None:
            return
        emails = {p.id: p.email for p in view.case.people}
        found: list[tuple[LetterKind, str | None]] = []
        for step in view.case.timeline:
            kind = LETTER_OF_STEP.get(step.verb)
            if step.verb == "letter" and "kind" in step.detail:
                kind = LetterKind(step.detail["kind"])
            if kind is None:
                continue
            email = emails.get(step.person) if step.person is not None else None
            if step.person is not None and email is None:
                continue  # a letter to a person this person may not see
            if (kind, email) not in found:
                found.append((kind, email))
        options = []
        for kind, email in found:
            label = t(f"cases.letter.kind.{kind.value}")
            options.append((f"{label} · {self._person_name_of(email)}" if email else label, (kind, email)))
        version = view.case.version

        def chosen(choice: tuple[LetterKind, str | None] | None) -> None:
            if choice is not None and self.view is not None:
                kind, email = choice
                self._open_saved_letter(kind, email, version, self.view.letter_blocked.get(email))

        self.app.push_screen(
            ChoiceDialog(t("cases.letters.title", case=view.case.id), options, t("cases.letters.none")), chosen
        )

    # -- why not? ------------------------------------------------------------------------

    def action_why(self) -> None:
        view = self.view
        if view is None:
            return
        possible = self._now_text(view).plain
        if view.case.closed:
            possible = t("cases.page.closed_now")
        elif not any(view.open_steps.values()):
            possible = t("cases.why.none_open")
        lines = []
        for verb, name, reason in view.blocked:
            if name is None:
                lines.append(t("cases.why.line", step=labels.step_label(verb), reason=reason))
            else:
                lines.append(t("cases.why.person_line", step=labels.step_label(verb), name=name, reason=reason))
        notes = [t("cases.why.identities")] if view.case.people_count and not view.case.people else []
        self.app.push_screen(WhyDialog(possible, lines, notes))
