"""The consultation body and the control: when it was informed, of which version, and each evaluation (CAO 81 art. 7-10).

Everyone bound by the policy may read the list; the administrator records a new information (`a`)
or evaluation (`e`) in a small form. The readiness panel of the Policy mode says when one is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Select, Static

from casebook.clock import parse_day
from casebook.errors import CasebookError
from casebook.i18n import t
from casebook.permissions import Action
from casebook.policy import consultation
from casebook.session import Session
from schema.policy import Body
from screens.base import CasebookModal, CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput
from screens.workers import read_in_worker

COLUMNS = ("date", "kind", "body", "what")


@dataclass(frozen=True)
class Entry:
    held_on: date
    kind: str  # "information" or "evaluation"
    body: Body
    what: str


def _entries(session: Session) -> list[Entry]:
    entries = [
        Entry(i.held_on, "information", i.body, t("consultation.presented", version=i.policy_version, what=i.presented))
        for i in consultation.informations(session)
    ]
    entries += [
        Entry(e.held_on, "evaluation", e.body, e.discussed + (f" → {e.changes}" if e.changes else ""))
        for e in consultation.evaluations(session)
    ]
    return sorted(entries, key=lambda e: e.held_on, reverse=True)


class ConsultationScreen(CasebookScreen[None]):
    CSS_PATH = "policy.tcss"
    ACTIONS = ("consultation.inform", "consultation.evaluate", "consultation.back")

    def compose(self) -> ComposeResult:
        yield Static(Text(t("consultation.title")), id="consultation-title", classes="screen-title")
        yield Static(Text(t("consultation.intro")), id="consultation-intro")
        yield DataTable(id="consultation-table", cursor_type="row")
        yield Static(Text(t("consultation.empty")), id="consultation-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in COLUMNS:
            table.add_column(Text(t(f"consultation.col.{key}")), key=key)
        self.query_one("#consultation-empty").display = False
        table.focus()
        self.reload()

    def reload(self) -> None:
        read_in_worker(self, self.casebook_app, _entries, self._show, "consultation-load")

    def _show(self, entries: list[Entry]) -> None:
        if not self.is_attached:
            return
        table = self.query_one(DataTable)
        table.clear()
        for index, entry in enumerate(entries):
            table.add_row(
                Text(entry.held_on.isoformat()),
                Text(t(f"consultation.kind.{entry.kind}")),
                Text(t(f"body.{entry.body.value}")),
                plain(entry.what),
                key=str(index),
            )
        self.query_one("#consultation-empty").display = not entries
        table.display = bool(entries)

    def _open_form(self, kind: str) -> None:
        def saved(done: str | None) -> None:
            if done:
                self.notify(done, markup=False)
                self.reload()

        self.app.push_screen(ConsultationForm(kind), saved)

    def action_inform(self) -> None:
        if self.may(Action.MANAGE_POLICY):
            self._open_form("information")

    def action_evaluate(self) -> None:
        if self.may(Action.MANAGE_POLICY):
            self._open_form("evaluation")

    def action_back(self) -> None:
        self.dismiss(None)


class ConsultationForm(CasebookModal[str | None]):
    """A new information (what was presented) or evaluation (what was discussed, what changes) of the body."""

    CSS_PATH = "policy.tcss"
    ACTIONS = ("consultation.form.save", "consultation.form.cancel")

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.saving = False

    def compose(self) -> ComposeResult:
        session = self.casebook_app.session
        today = session.today() if session else date.today()
        blink = self.casebook_app.cursor_blink
        with Vertical(id="consultation-box", classes="dialog"):
            yield Static(Text(t(f"consultation.form.{self.kind}.title")), classes="dialog-title")
            yield Static(Text(t("consultation.form.body")), classes="setting-label")
            yield Select(
                [(t(f"body.{b.value}"), b.value) for b in Body],
                value=Body.WORKS_COUNCIL.value,
                allow_blank=False,
                id="consultation-body",
            )
            yield Static(Text(t("consultation.form.date")), classes="setting-label")
            yield TextInput(value=today.isoformat(), id="consultation-date", blink=blink)
            yield Static(Text(t(f"consultation.form.{self.kind}.what")), classes="setting-label")
            yield TextInput(id="consultation-what", blink=blink)
            if self.kind == "evaluation":
                yield Static(Text(t("consultation.form.changes")), classes="setting-label")
                yield TextInput(id="consultation-changes", blink=blink)
            yield Static(id="consultation-message", classes="setting-error")
            yield Static(Text(t("consultation.form.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#consultation-message").display = False
        self.query_one("#consultation-what", Input).focus()

    def _message(self, message: str) -> None:
        widget = self.query_one("#consultation-message", Static)
        widget.update(plain(message))
        widget.display = bool(message)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        text = self.query_one("#consultation-date", Input).value
        try:
            day = parse_day(text)
        except ValueError:
            self._message(t("consultation.form.bad_date", value=text))
            self.query_one("#consultation-date", Input).focus()
            return
        body = Body(str(self.query_one("#consultation-body", Select).value))
        what = self.query_one("#consultation-what", Input).value
        changes = self.query_one("#consultation-changes", Input).value if self.kind == "evaluation" else ""
        self.saving = True
        self._message("")
        self._save(body, day, what, changes)

    @work(thread=True, exclusive=True, group="consultation-save")
    def _save(self, body: Body, day: date, what: str, changes: str) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            if self.kind == "information":
                done = consultation.record_information(session, body, day, what)
                message = t(
                    "cli.informed", body=t(f"body.{body.value}"), date=day.isoformat(), version=done.policy_version
                )
            else:
                consultation.record_evaluation(session, body, day, what, changes)
                message = t("cli.evaluated", body=t(f"body.{body.value}"), date=day.isoformat())
        except CasebookError as exc:
            app.call_from_thread(self._refused, exc.message)
            return
        app.call_from_thread(self.dismiss, message)

    def _refused(self, message: str) -> None:
        self.saving = False
        self._message(message)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)
