"""The policy's fields as a form: each checked as typed, all saved together as a new version (Ctrl+S)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.policy import fields, versions
from casebook.policy.versions import PolicyVersion
from screens.base import CasebookScreen
from screens.widgets.confirm import ConfirmScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput


class PolicySettingsScreen(CasebookScreen[int | None]):
    """Dismissed with the number of the version saved, or None when nothing was saved."""

    CSS_PATH = "policy.tcss"
    ACTIONS = ("policy.settings.save", "policy.settings.cancel")

    def __init__(self, version: PolicyVersion) -> None:
        super().__init__()
        self.version = version
        self.names = version.asked()
        self.initial = {name: fields.show_value(version.settings, name) for name in self.names}
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Static(Text(t("policy.settings.title", version=self.version.version)), id="settings-title")
        yield Static(id="settings-message")
        with VerticalScroll(id="settings-form"):
            for name in self.names:
                spec = fields.SETTINGS[name]
                label = t(f"policy.field.{name}.label") + (" *" if spec.required else "")
                with Vertical(classes="setting", id=f"setting-{name}"):
                    yield Static(Text(label), classes="setting-label")
                    yield TextInput(value=self.initial[name], id=f"field-{name}", blink=self.casebook_app.cursor_blink)
                    yield Static(Text(t(f"policy.field.{name}.format")), classes="setting-help")
                    yield Static(id=f"error-{name}", classes="setting-error")
        yield Static(Text(t("policy.settings.hint")), id="settings-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        for widget in self.query(".setting-error"):
            widget.display = False
        self.query_one("#settings-message").display = False
        if self.names:
            self.query_one(f"#field-{self.names[0]}", Input).focus()

    def field(self, name: str) -> Input:
        return self.query_one(f"#field-{name}", Input)

    def typed(self) -> dict[str, str]:
        return {name: self.field(name).value for name in self.names}

    def changed(self) -> dict[str, str]:
        return {name: value for name, value in self.typed().items() if value != self.initial[name]}

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    def _message(self, message: str) -> None:
        widget = self.query_one("#settings-message", Static)
        widget.update(plain(message))
        widget.display = bool(message)

    def _field_error(self, name: str, message: str) -> None:
        widget = self.query_one(f"#error-{name}", Static)
        widget.update(plain(message))
        widget.display = bool(message)
        self.query_one(f"#setting-{name}").set_class(bool(message), "-invalid")

    def action_save(self) -> None:
        if self.saving:
            return
        failed = []
        for name, value in self.typed().items():
            try:
                fields.parse_value(name, value)
            except Refused as exc:
                failed.append(name)
                self._field_error(name, exc.message)
            else:
                self._field_error(name, "")
        if failed:
            self._message(t("policy.settings.invalid", count=len(failed)))
            first = self.field(failed[0])
            first.focus()
            self.call_after_refresh(self.query_one(f"#setting-{failed[0]}").scroll_visible, animate=False)
            return
        changed = self.changed()
        if not changed:
            self.dismiss(None)
            self.app.notify(t("policy.settings.unchanged", version=self.version.version), markup=False)
            return
        self.saving = True
        self._message(t("policy.settings.saving"))
        self._save(changed)

    @work(thread=True, exclusive=True, group="policy-settings")
    def _save(self, changed: dict[str, str]) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            saved = versions.update_settings(session, changed)
        except CasebookError as exc:
            app.call_from_thread(self._refused, exc.message)
            return
        app.call_from_thread(self._saved, saved.version)

    def _refused(self, message: str) -> None:
        self.saving = False
        self._message(message)

    def _saved(self, version: int) -> None:
        self.saving = False
        self.dismiss(version)
        self.app.notify(t("policy.settings.saved", version=version), markup=False)

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.changed():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(t("policy.settings.discard")), answered)
