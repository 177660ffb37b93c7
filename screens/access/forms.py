"""The Access mode's small dialogs: a new request, an extension with its reason, a decision, and under a
rectification request the correction of the directory entry and the employee's statement.

Each runs its core call in a worker; a refusal stays in the dialog as the core's sentence (the rule
and its reason), so the person can correct what they typed. Ctrl+S saves, Escape cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from casebook import access
from casebook.access import Kind, Request, Status, rectify
from casebook.access.rectify import Rectification
from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.session import Session
from screens.access.labels import kind_choice, kind_name, status_name
from screens.base import CasebookModal
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput

DECISIONS = (Status.GRANTED, Status.PARTLY, Status.REFUSED)
Done = TypeVar("Done")


class _Form(CasebookModal[Done | None], Generic[Done]):
    """What the dialogs share: a title, their fields, a message line, save and cancel; `Done` is what saving gives."""

    CSS_PATH = "access.tcss"
    ACTIONS = ("access.form.save", "access.form.cancel")
    FIRST_FIELD = ""

    def __init__(self) -> None:
        super().__init__()
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog access-form"):
            yield Static(Text(self.title_text()), classes="dialog-title")
            yield from self.fields()
            yield Static(id="form-message", classes="form-error")
            yield Static(Text(t("access.form.hint")), classes="dialog-hint")

    def title_text(self) -> str:
        raise NotImplementedError

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query_one("#form-message").display = False
        self.query_one(self.FIRST_FIELD).focus()

    def field(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def text_input(self, id: str, value: str = "") -> TextInput:
        return TextInput(value=value, id=id, blink=self.casebook_app.cursor_blink)

    def message(self, text: str) -> None:
        widget = self.query_one("#form-message", Static)
        widget.update(plain(text))
        widget.display = bool(text)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        call = self.call()
        if call is None:
            return
        self.saving = True
        self.message("")
        self._save(call)

    def call(self) -> Callable[[Session], Done] | None:
        """The core call the form's fields make, or None (and a message) when they make none yet."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="access-form")
    def _save(self, call: Callable[[Session], Done]) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            done = call(session)
        except CasebookError as exc:
            app.call_from_thread(self._refused, exc)
            return
        app.call_from_thread(self.dismiss, done)

    def _refused(self, exc: CasebookError) -> None:
        self.saving = False
        if self.is_attached:
            self.message(exc.message)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)


_RequestForm = _Form[Request]


class NewRequestForm(_RequestForm):
    """A new request: the employee's own, or (the administrator) one on an employee's behalf."""

    def __init__(self, *, on_behalf: bool) -> None:
        super().__init__()
        self.on_behalf = on_behalf
        self.FIRST_FIELD = "#form-email" if on_behalf else "#form-kind"

    def title_text(self) -> str:
        return t("access.form.new.title_for" if self.on_behalf else "access.form.new.title")

    def fields(self) -> ComposeResult:
        if self.on_behalf:
            yield Static(Text(t("access.form.new.email")), classes="form-label")
            yield self.text_input("form-email")
        yield Static(Text(t("access.form.new.kind")), classes="form-label")
        yield Select(
            [(kind_choice(kind), kind.value) for kind in Kind],
            value=Kind.ACCESS.value,
            allow_blank=False,
            id="form-kind",
        )
        if self.on_behalf:
            yield Static(Text(t("access.form.new.identity")), classes="form-label")
            yield self.text_input("form-identity")
        yield Static(Text(t("access.form.new.text")), classes="form-label")
        yield self.text_input("form-text")
        yield Static(Text(t("access.form.new.deadline")), classes="form-help")

    def call(self) -> Callable[[Session], Request] | None:
        kind = Kind(str(self.query_one("#form-kind", Select).value))
        text = self.field("#form-text")
        if not self.on_behalf:
            return lambda session: access.file(session, kind, text=text)
        email = self.field("#form-email").strip()
        if not email:
            self.message(t("access.form.new.email_missing"))
            self.query_one("#form-email").focus()
            return None
        identity = self.field("#form-identity")
        return lambda session: access.file(session, kind, text=text, for_email=email, identity_check=identity)


class ExtendForm(_RequestForm):
    """Two more months, once, with the reason recorded before the first month ends (GDPR art. 12(3))."""

    FIRST_FIELD = "#form-reason"

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request

    def title_text(self) -> str:
        return t("access.form.extend.title", id=self.request.id, kind=kind_name(self.request.kind))

    def fields(self) -> ComposeResult:
        yield Static(Text(t("access.form.extend.rule", due=self.request.first_due_on.isoformat())), classes="form-help")
        yield Static(Text(t("access.form.extend.reason")), classes="form-label")
        yield self.text_input("form-reason")

    def call(self) -> Callable[[Session], Request] | None:
        request_id, reason = self.request.id, self.field("#form-reason")
        return lambda session: access.extend(session, request_id, reason)


class DecideForm(_RequestForm):
    """Granted, partly granted or refused, with the reason a refusal or a partial grant states."""

    FIRST_FIELD = "#form-decision"

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request

    def title_text(self) -> str:
        return t("access.form.decide.title", id=self.request.id, kind=kind_name(self.request.kind))

    def fields(self) -> ComposeResult:
        yield Static(Text(t("access.form.decide.decision")), classes="form-label")
        yield Select(
            [(status_name(status), status.value) for status in DECISIONS],
            value=Status.GRANTED.value,
            allow_blank=False,
            id="form-decision",
        )
        if self.request.kind is Kind.ERASURE:
            yield Static(Text(t("access.form.decide.erases")), classes="form-help")
        yield Static(Text(t("access.form.decide.reason")), classes="form-label")
        yield self.text_input("form-reason")

    def call(self) -> Callable[[Session], Request] | None:
        status = Status(str(self.query_one("#form-decision", Select).value))
        request_id, reason = self.request.id, self.field("#form-reason")
        return lambda session: access.decide(session, request_id, status, reason)

    def _refused(self, exc: CasebookError) -> None:
        """A rule that refused the grant (an erasure under hold) gives the reason a refusal can state."""
        super()._refused(exc)
        reason = self.query_one("#form-reason", Input)
        if isinstance(exc, Refused) and exc.rule.startswith("access.erasure") and not reason.value.strip():
            reason.value = t(exc.key, **exc.params)


class RectifyForm(_Form[Rectification]):
    """The directory entry of the request's person, as it is now: what is changed is corrected, the rest stays.

    The values are written as in the directory's CSV (the IP addresses with their periods); the core reads
    them as it reads that file, and refuses an address or name someone else holds in the same period.
    """

    FIRST_FIELD = "#form-name"
    FIELDS = ("name", "department", "proxy_user", "mail_addresses", "ips")

    def __init__(self, request: Request, entry: dict[str, str]) -> None:
        super().__init__()
        self.request = request
        self.entry = entry

    def title_text(self) -> str:
        return t("access.form.rectify.title", id=self.request.id, name=self.request.employee_name)

    def fields(self) -> ComposeResult:
        for name in self.FIELDS:
            yield Static(Text(t(f"access.form.rectify.{name}")), classes="form-label")
            yield self.text_input(f"form-{name.replace('_', '-')}", self.entry.get(name, ""))
        yield Static(Text(t("access.form.rectify.note")), classes="form-label")
        yield self.text_input("form-note")

    def call(self) -> Callable[[Session], Rectification] | None:
        changes = {
            name: value
            for name in self.FIELDS
            if (value := self.field(f"#form-{name.replace('_', '-')}")) != self.entry.get(name, "")
        }
        if not changes:
            self.message(t("access.form.rectify.unchanged"))
            return None
        request_id, note = self.request.id, self.field("#form-note")
        return lambda session: rectify.correct(session, request_id, changes, note)


class AnnotateForm(_Form[Rectification]):
    """The employee's statement on their data, in their words: kept with the request, shown in access answers."""

    FIRST_FIELD = "#form-statement"

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request

    def title_text(self) -> str:
        return t("access.form.annotate.title", id=self.request.id, name=self.request.employee_name)

    def fields(self) -> ComposeResult:
        yield Static(Text(t("access.form.annotate.help")), classes="form-help")
        yield Static(Text(t("access.form.annotate.text")), classes="form-label")
        yield self.text_input("form-statement")

    def call(self) -> Callable[[Session], Rectification] | None:
        request_id, text = self.request.id, self.field("#form-statement")
        return lambda session: rectify.annotate(session, request_id, text)
