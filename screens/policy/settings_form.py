"""The policy's fields as a form: each checked as typed, all saved together as a new version (Ctrl+S).

A field with a fixed set of answers is a list of choices with their names (the
purposes with what each is for, the bodies, the control mode, yes or no), not a
code to type; a date field says its form. Whatever the widget, the form hands
the field's text to the core's parser (`casebook.policy.fields`), which stays
the one judge of a value: a choice the law does not allow (permanent control
and test periods at once) is refused there, under the field, as a typed one is.
"""

from __future__ import annotations

from collections.abc import Hashable
from enum import Enum

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.policy import fields, versions
from casebook.policy.versions import PolicyVersion
from schema.policy import Body, ControlMode, PolicySettings
from screens.base import CasebookScreen
from screens.widgets.choices import Choice, ChoiceList
from screens.widgets.confirm import ConfirmScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput

# Dates: typed, with their form as the placeholder.
DATE_FIELDS = {"date_in_force", "consultation_date"}
NO_BODY = "none"  # bodies_present: the organisation has none, the employees themselves are informed


def field_choices(name: str) -> tuple[list[Choice], bool] | None:
    """The choices of a field with a fixed set of answers, and whether several may be ticked; None: typed."""
    bodies = [Choice(body.value, t(f"body.{body.value}")) for body in fields.ART7_ORDER]
    if name == "purposes":
        return [Choice(p, f"{p} · {t(f'irregularities.purpose.{p}.long')}") for p in (1, 2, 3, 4)], True
    if name == "control_mode":
        return [Choice(mode.value, t(f"policy.choice.control_mode.{mode.value}")) for mode in ControlMode], True
    if name == "bodies_present":
        return [*bodies[:-1], Choice(NO_BODY, t("policy.choice.no_body"))], True
    if name in {"consultation_body", "evaluation_body"}:
        return bodies, True
    if name == "keep_full_urls":
        return [
            Choice("no", t("policy.choice.keep_full_urls.no")),
            Choice("yes", t("policy.choice.keep_full_urls.yes")),
        ], False
    return None


def chosen_values(name: str, settings: PolicySettings) -> list[Hashable]:
    """The stored value of a choice field as the values of its choices."""
    value = getattr(settings, name)
    if name == "keep_full_urls":
        return ["yes" if value else "no"]
    if name == "bodies_present" and tuple(value) == (Body.EMPLOYEES,):
        return [NO_BODY]
    return [v.value if isinstance(v, Enum) else v for v in value]


def choices_text(values: list[Hashable]) -> str:
    """Ticked values as the field's text, which the core's parser reads: '1, 3', 'periodic, event'."""
    return ", ".join(str(v) for v in values)


class PolicySettingsScreen(CasebookScreen[int | None]):
    """Dismissed with the number of the version saved, or None when nothing was saved."""

    CSS_PATH = "policy.tcss"
    ACTIONS = ("policy.settings.save", "policy.settings.cancel")

    def __init__(self, version: PolicyVersion) -> None:
        super().__init__()
        self.version = version
        self.names = version.asked()
        self.initial = {
            name: choices_text(chosen_values(name, version.settings))
            if field_choices(name)
            else fields.show_value(version.settings, name)
            for name in self.names
        }
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
                    choices = field_choices(name)
                    if choices is not None:
                        options, several = choices
                        selected = chosen_values(name, self.version.settings)
                        yield ChoiceList(options, selected, several=several, id=f"field-{name}")
                        hint = t("policy.settings.choose_several" if several else "policy.settings.choose_one")
                    else:
                        yield TextInput(
                            value=self.initial[name],
                            placeholder=t("policy.settings.date_placeholder") if name in DATE_FIELDS else "",
                            id=f"field-{name}",
                            blink=self.casebook_app.cursor_blink,
                        )
                        hint = fields.expected(name)
                    yield Static(Text(hint), classes="setting-help")
                    yield Static(id=f"error-{name}", classes="setting-error")
        yield Static(Text(t("policy.settings.hint")), id="settings-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        for widget in self.query(".setting-error"):
            widget.display = False
        self.query_one("#settings-message").display = False
        if self.names:
            self.field(self.names[0]).focus()

    def field(self, name: str) -> Input | ChoiceList:
        widget = self.query_one(f"#field-{name}")
        assert isinstance(widget, Input | ChoiceList)
        return widget

    def text_of(self, name: str) -> str:
        """What the field holds, as the text the core's parser reads."""
        widget = self.field(name)
        return choices_text(widget.selected) if isinstance(widget, ChoiceList) else widget.value

    def typed(self) -> dict[str, str]:
        return {name: self.text_of(name) for name in self.names}

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
            # One scroll, not two: focusing would scroll (animated) to the field while the scroll below brings
            # its error message into view too, and where the form came to rest depended on which finished last.
            first.focus(scroll_visible=False)
            self.call_after_refresh(self._scroll_to_setting, failed[0])
            return
        changed = self.changed()
        if not changed:
            self.dismiss(None)
            self.app.notify(t("policy.settings.unchanged", version=self.version.version), markup=False)
            return
        self.saving = True
        self._message(t("policy.settings.saving"))
        self._save(changed)

    def _scroll_to_setting(self, name: str) -> None:
        """The field's block (label, field, error) at the top of the form, at a whole line.

        To the top: where the field lands then does not depend on whether its error is laid out yet. To its
        line, not by the distance from here: a scroll to centre a field on focus may have left the form
        between two lines, and a relative scroll would keep that half line (the scrollbar then differs).
        """
        form = self.query_one("#settings-form", VerticalScroll)
        form.scroll_to(y=self.query_one(f"#setting-{name}").virtual_region.y, animate=False)

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
