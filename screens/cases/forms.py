"""The small forms of the Cases mode: a list of fields, Ctrl+S takes the step, the core judges.

A form collects what a step needs (a date, a place, the minutes), turns it into the step's parameters
(`parse`: a typing mistake is said at its field) and takes the step in a worker (`perform`). A refusal
of the law shows in the form, as the core says it, and the form stays open with what was typed. Only
"the case changed meanwhile" closes it: the page reloads and keeps what was typed for the next try.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from casebook import clock as clocks
from casebook.cases import Taken
from casebook.errors import CasebookError, Refused
from casebook.i18n import t
from casebook.session import Session
from screens.base import CasebookModal
from screens.widgets.plain_text import plain
from screens.widgets.text_input import TextInput

Values = Mapping[str, Any]
FieldKind = Literal["input", "text", "select", "check"]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: FieldKind = "input"
    value: Any = ""
    options: Sequence[tuple[str, Any]] = ()
    hint: str = ""
    shown: Callable[[Values], bool] | None = None  # None: always shown
    row: str | None = None  # fields with the same row sit side by side


class MarkedCheckbox(Checkbox):
    """A checkbox whose mark says its state: X when on, empty when off (Textual's draws its X either way and
    tells them apart by colour only)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class FormError(Exception):
    """A typing mistake, said at its field."""

    def __init__(self, message: str, field_name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_name = field_name


@dataclass
class FormResult:
    """What became of a form: the step taken, or the case changed meanwhile (with what was typed)."""

    taken: Taken | None = None
    changed: Refused | None = None
    values: dict[str, Any] = field(default_factory=dict)


def parse_optional_day(text: str, field_name: str) -> date | None:
    if not text.strip():
        return None
    try:
        return clocks.parse_day(text)
    except ValueError:
        raise FormError(t("cases.form.bad_date", value=text.strip()), field_name) from None


def parse_required_day(text: str, field_name: str) -> date:
    day = parse_optional_day(text, field_name)
    if day is None:
        raise FormError(t("cases.form.bad_date", value=text.strip()), field_name)
    return day


def parse_moment(text: str, field_name: str) -> datetime:
    """'2026-12-02 10:00' (or '02/12/2026 10:00'), Brussels time."""
    parts = text.strip().replace("T", " ").split()
    try:
        if len(parts) != 2:
            raise ValueError(text)
        day = clocks.parse_day(parts[0])
        hour, minute = (int(p) for p in parts[1].split(":", 1))
        return datetime.combine(day, time(hour, minute), clocks.LOCAL_ZONE)
    except ValueError:
        raise FormError(t("cases.form.bad_moment", value=text.strip()), field_name) from None


class FormDialog(CasebookModal[FormResult | None]):
    """Fields, a note, the core's answer; Ctrl+S takes the step, Escape leaves it."""

    CSS_PATH = "cases.tcss"
    ACTIONS = ("case.form.save", "case.form.cancel")

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        perform: Callable[[Session, dict[str, Any]], Taken],
        *,
        parse: Callable[[Values], dict[str, Any]] | None = None,
        note: str = "",
        hint: str | None = None,
        dialog_id: str = "case-form",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.perform = perform
        self.parse = parse or (lambda values: dict(values))
        self.note = note
        self.hint = hint if hint is not None else t("cases.form.hint")
        self.dialog_id = dialog_id
        self.saving = False

    # -- the fields ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        blink = self.casebook_app.cursor_blink
        with VerticalScroll(id=self.dialog_id, classes="case-dialog"):
            yield Static(Text(self.title_text), classes="case-dialog-title")
            if self.note:
                yield Static(plain(self.note), classes="case-dialog-note")
            rows: dict[str, Horizontal] = {}
            for spec in self.fields:
                box = self._field_box(spec, blink)
                if spec.row is None:
                    yield box
                elif spec.row not in rows:
                    rows[spec.row] = Horizontal(box, classes="case-field-row")
                    yield rows[spec.row]
                else:
                    rows[spec.row].compose_add_child(box)
            yield Static(id="case-form-message", classes="case-dialog-message")
            yield Static(Text(self.hint), classes="case-dialog-hint")

    def _field_box(self, spec: Field, blink: bool) -> Vertical:
        widget: Widget
        if spec.kind == "input":
            widget = TextInput(value=str(spec.value or ""), id=f"field-{spec.name}", blink=blink)
        elif spec.kind == "text":
            area = TextArea(str(spec.value or ""), id=f"field-{spec.name}", soft_wrap=True, compact=True)
            area.cursor_blink = blink
            widget = area
        elif spec.kind == "select":
            widget = Select(
                list(spec.options),
                value=spec.value if any(v == spec.value for _, v in spec.options) else Select.NULL,
                allow_blank=not any(v == spec.value for _, v in spec.options),
                id=f"field-{spec.name}",
                prompt=t("cases.form.choose"),
                compact=True,
            )
        else:
            widget = MarkedCheckbox(spec.label, bool(spec.value), id=f"field-{spec.name}", compact=True)
        children: list[Widget] = []
        if spec.kind != "check":
            children.append(Static(Text(spec.label), classes="case-field-label"))
        children.append(widget)
        if spec.hint:
            children.append(Static(Text(spec.hint), classes="case-field-hint"))
        return Vertical(*children, classes=f"case-field case-field-{spec.kind}", id=f"box-{spec.name}")

    def on_mount(self) -> None:
        self.query_one("#case-form-message").display = False
        self._update_shown()
        first = next((w for w in self.query(".case-field Input, .case-field TextArea, .case-field Select")), None)
        if first is not None:
            first.focus()

    def widget(self, name: str) -> Widget:
        return self.query_one(f"#field-{name}")

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.widget(spec.name)
            if isinstance(widget, Input):
                out[spec.name] = widget.value
            elif isinstance(widget, TextArea):
                out[spec.name] = widget.text
            elif isinstance(widget, Select):
                out[spec.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Checkbox):
                out[spec.name] = widget.value
        return out

    def _update_shown(self) -> None:
        values = self.values()
        for spec in self.fields:
            if spec.shown is not None:
                self.query_one(f"#box-{spec.name}").display = bool(spec.shown(values))

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._update_shown()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if len(self.fields) == 1:
            self.action_save()
        else:
            self.focus_next()

    # -- the step ------------------------------------------------------------------

    def message(self, text: str) -> None:
        widget = self.query_one("#case-form-message", Static)
        widget.update(plain(f"✖ {text}" if text else ""))
        widget.display = bool(text)

    def action_save(self) -> None:
        if self.saving:
            return
        values = self.values()
        try:
            params = self.parse({k: v for k, v in values.items() if self._is_shown(k)})
        except FormError as error:
            self.message(error.message)
            if error.field_name:
                self.widget(error.field_name).focus()
            return
        self.saving = True
        self.message("")
        self._perform(params, values)

    def _is_shown(self, name: str) -> bool:
        return bool(self.query_one(f"#box-{name}").display)

    @work(thread=True, exclusive=True, group="case-form")
    def _perform(self, params: dict[str, Any], values: dict[str, Any]) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            taken = self.perform(session, params)
        except Refused as refusal:
            if refusal.rule == "case.changed":
                app.call_from_thread(self._close, FormResult(changed=refusal, values=values))
            else:
                app.call_from_thread(self._refused, refusal.message)
            return
        except CasebookError as error:
            app.call_from_thread(self._refused, error.message)
            return
        app.call_from_thread(self._close, FormResult(taken=taken, values=values))

    def _close(self, result: FormResult) -> None:
        if self.is_attached:
            self.dismiss(result)

    def _refused(self, message: str) -> None:
        if not self.is_attached:
            return
        self.saving = False
        self.message(message)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)
