"""Every action of the app in one table: its key, its label, its palette entry, the role it needs.

A screen names the actions it offers (`ACTIONS = ("logs.overview", ...)`); its
key bindings and its command-palette entries are both made from these rows, so
a screen cannot have a key without a palette entry or the other way round, and
a new mode gets both by listing its rows here. Labels and palette texts are
catalogue keys, shown in the user's language.

`needs` is the core permission an action requires: without it the key is not
shown and the palette does not offer it, and pressing the key shows the core's
own refusal (screens.base). `unavailable` is what a key says when the screen
cannot run it at the moment ("nothing is missing"). The core checks again when
the action runs; this only keeps the screen honest about what the person may do.

The footer (widgets/key_bar.py) shows a screen's keys in the order of this
table, the first ones first where room runs out; the help screen (`?`) lists
them all, and `keys_markdown()` writes them per mode for the README.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from textual.binding import Binding
from textual.dom import DOMNode

from casebook import cases, i18n
from casebook.permissions import Action

_GROUPS: dict[str, Binding.Group] = {}


@dataclass(frozen=True)
class UiAction:
    id: str  # stable: tests, the keys panel and the README's key lists name actions by it
    keys: str  # Textual key names, comma-separated; "" for an action offered in the palette only
    action: str  # the Textual action it runs, e.g. "period('today')" or "app.sign_out"
    label: str  # catalogue key of the footer's and keys panel's label
    palette: str | None = None  # catalogue key of the palette title; None: not in the palette
    help: str = ""  # catalogue key of the palette's help line
    params: Mapping[str, str] = field(default_factory=dict)  # palette title parameters: catalogue keys
    needs: Action | None = None
    show: bool = True  # in the footer (all actions show in the keys panel)
    priority: bool = False
    group: str | None = None  # catalogue key of a compact footer group ("0-4 purpose")
    unavailable: str = ""  # catalogue key of the notice when the key cannot act now ("" : the key stays silent)

    @property
    def key_list(self) -> list[str]:
        return [key.strip() for key in self.keys.split(",") if key.strip()]

    @property
    def name(self) -> str:
        """The action's name without its parameters, as Textual's check_action receives it."""
        return self.action.split("(", 1)[0].rsplit(".", 1)[-1]

    @property
    def parameters(self) -> tuple[object, ...]:
        """The action's parameters, as Textual passes them to check_action: "period('today')" -> ("today",)."""
        if "(" not in self.action:
            return ()
        inside = self.action.split("(", 1)[1].rsplit(")", 1)[0]
        value = ast.literal_eval(f"({inside},)") if inside.strip() else ()
        return tuple(value)

    def binding(self) -> Binding:
        group = _GROUPS.setdefault(self.group, Binding.Group(self.group, compact=True)) if self.group else None
        return Binding(
            self.keys, self.action, self.label, show=self.show, priority=self.priority, id=self.id, group=group
        )

    def palette_title(self) -> str:
        return i18n.t(self.palette or self.label, **{k: i18n.t(v) for k, v in self.params.items()})


def _a(id: str, keys: str, action: str, label: str, palette: str | None = None, **options: object) -> UiAction:
    help_key = f"{palette}_help" if palette else ""
    return UiAction(id, keys, action, label, palette, str(options.pop("help", help_key)), **options)  # type: ignore[arg-type]


_PERIODS = ("today", "week", "month")
_PURPOSES = (0, 1, 2, 3, 4)
_REPORT_PERIODS = ("month", "quarter", "year")
# The key of each step of the case procedure on a case's page (the steps themselves: casebook.cases.STEPS;
# "open" is the list's `n`).
CASE_STEP_KEYS = {
    "control": "c",
    "warn": "w",
    "approve": "a",
    "individualise": "i",
    "consult": "k",
    "notify": "n",
    "invite": "v",
    "hear": "h",
    "suspend": "p",
    "sanction": "s",
    "reasons": "r",
    "close": "x",
}

ROWS: tuple[UiAction, ...] = (
    # -- the app: modes, lock, sign-out; the mode keys show in the header's tabs, not the footer ----------------
    *(
        _a(
            f"mode.{mode}",
            key,
            f"app.mode('{mode}')",
            f"mode.{mode}.title",
            "palette.mode",
            help=f"mode.{mode}.purpose",
            params={"title": f"mode.{mode}.title"},
            needs=needs,
            show=False,
        )
        for mode, key, needs in (
            ("policy", "1", Action.MODE_POLICY),
            ("logs", "2", Action.MODE_LOGS),
            ("cases", "3", Action.MODE_CASES),
            ("access", "4", Action.MODE_ACCESS),
            ("reports", "5", Action.MODE_REPORTS),
        )
    ),
    _a("lock", "ctrl+l", "app.lock", "key.lock", "key.lock", help="palette.lock_help"),
    _a(
        "sign_out",
        "ctrl+o",
        "app.sign_out",
        "key.sign_out",
        "key.sign_out",
        help="palette.sign_out_help",
        priority=True,
    ),
    _a("keys", "question_mark,f1", "app.keys", "key.keys", "palette.keys"),
    _a("palette", "ctrl+p", "app.command_palette", "key.palette", show=False, priority=True),
    _a("theme", "", "app.change_theme", "palette.theme", "palette.theme"),
    _a("quit", "ctrl+q", "app.quit", "key.quit", "key.quit", help="palette.quit_help", priority=True),
    # -- the help screen ----------------------------------------------------------------------------------------
    _a("keys.close", "escape,question_mark,f1", "close", "keys.key.close"),
    # -- a yes/no question --------------------------------------------------------------------------------------
    _a("confirm.yes", "y,j", "answer(True)", "confirm.key.yes"),
    _a("confirm.no", "n,escape", "answer(False)", "confirm.key.no"),
    # -- Policy mode ----------------------------------------------------------------------------------------------
    _a("policy.jump", "enter", "select", "policy.key.jump", show=False),
    _a("policy.switch", "tab", "switch_focus", "policy.key.switch", show=False),
    _a("policy.find", "slash", "find", "policy.key.find", "policy.palette.find"),
    _a(
        "policy.find_next",
        "n",
        "find_next",
        "policy.key.find_next",
        group="policy.key.match_group",
        unavailable="policy.find.first",
    ),
    _a(
        "policy.find_previous",
        "N",
        "find_previous",
        "policy.key.find_previous",
        group="policy.key.match_group",
        unavailable="policy.find.first",
    ),
    _a("policy.close_find", "escape", "close_find", "policy.key.close_find"),
    _a(
        "policy.next_missing",
        "m",
        "next_missing",
        "policy.key.next_missing",
        "policy.palette.next_missing",
        unavailable="policy.no_missing",
    ),
    _a(
        "policy.settings", "s", "settings", "policy.key.settings", "policy.palette.settings", needs=Action.MANAGE_POLICY
    ),
    _a(
        "policy.receipts", "r", "receipts", "policy.key.receipts", "policy.palette.receipts", needs=Action.VIEW_RECEIPTS
    ),
    _a("policy.consultation", "c", "consultation", "policy.key.consultation", "policy.palette.consultation"),
    _a("policy.versions", "v", "versions", "policy.key.versions", "policy.palette.versions"),
    _a(
        "policy.next_field",
        "right_square_bracket",
        "next_field",
        "policy.key.next_field",
        "policy.palette.next_field",
        group="policy.key.field_group",
    ),
    _a(
        "policy.previous_field",
        "left_square_bracket",
        "previous_field",
        "policy.key.previous_field",
        group="policy.key.field_group",
    ),
    _a("policy.documents", "d", "documents", "policy.key.documents", "policy.palette.documents"),
    _a("policy.settings.save", "ctrl+s", "save", "policy.settings.key.save"),
    _a("policy.settings.cancel", "escape", "cancel", "policy.settings.key.cancel"),
    _a("choices.toggle", "space", "toggle", "choices.key.toggle"),
    _a("policy.versions.cancel", "escape", "cancel", "policy.versions.key.cancel"),
    _a("receipts.missing", "m", "toggle_missing", "receipts.key.missing"),
    _a("receipts.record", "a", "record", "receipts.key.record", needs=Action.MANAGE_EMPLOYEES),
    _a("receipts.export", "e", "export", "receipts.key.export", needs=Action.MANAGE_EMPLOYEES),
    _a("receipts.back", "escape", "back", "receipts.key.back"),
    _a("receipts.record.save", "ctrl+s", "save", "receipts.record.key.save"),
    _a("receipts.record.cancel", "escape", "cancel", "receipts.record.key.cancel"),
    _a("receipts.export.save", "ctrl+s", "save", "receipts.export.key.save"),
    _a("receipts.export.cancel", "escape", "cancel", "receipts.export.key.cancel"),
    # -- Policy mode: the GDPR's documents ----------------------------------------------------------------------
    _a("documents.show", "enter", "show", "documents.key.show"),
    _a("documents.make", "m", "make", "documents.key.make", "documents.palette.make", needs=Action.MAKE_DOCUMENTS),
    _a("documents.export_md", "e", "export('md')", "documents.key.export_md", "documents.palette.export_md"),
    _a("documents.export_pdf", "p", "export('pdf')", "documents.key.export_pdf", "documents.palette.export_pdf"),
    _a("documents.back", "escape", "back", "documents.key.back"),
    _a("documents.text.back", "escape", "back", "documents.key.back"),
    _a(
        "consultation.inform",
        "a",
        "inform",
        "consultation.key.inform",
        "consultation.palette.inform",
        needs=Action.MANAGE_POLICY,
    ),
    _a(
        "consultation.evaluate",
        "e",
        "evaluate",
        "consultation.key.evaluate",
        "consultation.palette.evaluate",
        needs=Action.MANAGE_POLICY,
    ),
    _a("consultation.back", "escape", "back", "consultation.key.back"),
    _a("consultation.form.save", "ctrl+s", "save", "consultation.key.save"),
    _a("consultation.form.cancel", "escape", "cancel", "consultation.key.cancel"),
    # -- Access mode: the employee's requests and, for whoever handles them, every request ------------------------
    _a("access.open", "enter", "select_cursor", "access.key.open"),
    _a("access.new", "n", "new_request", "access.key.new", "access.palette.new"),
    _a("access.reload", "f5,ctrl+r", "reload", "access.key.reload", "access.palette.reload", show=False),
    _a("request.start", "s", "start", "request.key.start", "request.palette.start", needs=Action.REQUEST_MANAGE),
    _a("request.extend", "x", "extend", "request.key.extend", "request.palette.extend", needs=Action.REQUEST_MANAGE),
    _a("request.decide", "d", "decide", "request.key.decide", "request.palette.decide", needs=Action.REQUEST_MANAGE),
    _a("request.done", "f", "mark_done", "request.key.done", "request.palette.done", needs=Action.REQUEST_MANAGE),
    # One footer group: at 80 columns a rectification request's page has more keys than room.
    _a(
        "request.rectify",
        "r",
        "rectify",
        "request.key.rectify",
        "request.palette.rectify",
        needs=Action.RECTIFY,
        group="request.key.rectify_group",
    ),
    _a(
        "request.annotate",
        "a",
        "annotate",
        "request.key.annotate",
        "request.palette.annotate",
        needs=Action.RECTIFY,
        group="request.key.rectify_group",
    ),
    _a(
        "request.export_md",
        "e",
        "export('md')",
        "request.key.export_md",
        "request.palette.export_md",
        group="request.key.export_group",
    ),
    _a(
        "request.export_json",
        "j",
        "export('json')",
        "request.key.export_json",
        "request.palette.export_json",
        group="request.key.export_group",
    ),
    _a("request.back", "escape", "back", "request.key.back"),
    _a("access.form.save", "ctrl+s", "save", "access.form.key.save"),
    _a("access.form.cancel", "escape", "cancel", "access.form.key.cancel"),
    # -- Logs mode ------------------------------------------------------------------------------------------------
    _a("logs.overview", "o", "overview", "logs.key.overview", "logs.palette.overview"),
    _a("logs.irregularities", "u", "irregularities", "logs.key.irregularities", "logs.palette.irregularities"),
    _a("logs.import", "i", "import_log", "logs.key.import", "logs.palette.import", needs=Action.IMPORT_LOGS),
    _a("logs.reload", "f5,ctrl+r", "reload", "logs.key.reload", "logs.palette.reload"),
    _a("logs.remove", "x", "remove_import", "logs.key.remove", "logs.palette.remove", needs=Action.REMOVE_IMPORTS),
    _a("logs.rejects", "enter", "select_cursor", "logs.key.rejects"),
    _a("logs.import.start", "ctrl+s", "start", "logs.import.key.start", needs=Action.IMPORT_LOGS),
    _a("logs.import.back", "escape", "back", "logs.import.key.back"),
    _a("logs.import.cancel", "escape", "cancel", "logs.import.key.cancel"),
    _a("logs.import.rejects", "enter", "rejects", "logs.import.key.rejects"),
    _a("logs.rejects.back", "escape", "back", "logs.rejects.key.back"),
    # The period bar shows its keys itself; the footer keeps its room at 80 columns.
    *(
        _a(
            f"overview.{kind}",
            kind[0],
            f"period('{kind}')",
            f"overview.key.{kind}",
            "overview.palette.period",
            params={"period": f"overview.period.{kind}"},
            show=False,
        )
        for kind in _PERIODS
    ),
    _a("overview.custom", "c", "custom_period", "overview.key.custom", "overview.palette.custom", show=False),
    _a("overview.open", "enter", "screen.open", "overview.key.open", "overview.palette.open"),
    _a("overview.back", "escape", "back", "overview.key.back", "overview.palette.back"),
    _a("overview.order", "o", "order", "overview.key.order", "overview.palette.order", unavailable="overview.loading"),
    _a("overview.measure", "g", "measure", "overview.key.measure", "overview.palette.measure"),
    _a("overview.section", "tab", "section(1)", "overview.key.section", "overview.palette.section", show=False),
    _a("overview.section_back", "shift+tab", "section(-1)", "overview.key.section_back", show=False),
    _a("overview.custom.apply", "ctrl+s", "apply", "overview.custom.key.apply"),
    _a("overview.custom.cancel", "escape", "cancel", "overview.custom.key.cancel"),
    _a("drill.measure", "g", "measure", "overview.key.measure", "overview.palette.measure"),
    _a("drill.back", "escape", "back", "drill.key.back", "drill.palette.back"),
    _a(
        "irregularities.run",
        "r",
        "run",
        "irregularities.key.run",
        "irregularities.palette.run",
        needs=Action.RUN_CONTROL,
    ),
    *(
        _a(
            f"irregularities.purpose_{p}",
            str(p),
            f"purpose({p})",
            f"irregularities.key.purpose_{p}",
            "irregularities.palette.purpose",
            params={"purpose": f"irregularities.purpose.{p}.short"},
            group="irregularities.key.purpose_group",
        )
        for p in _PURPOSES
    ),
    _a("irregularities.back", "escape", "back", "irregularities.key.back", "irregularities.palette.back"),
    _a(
        "irregularities.case",
        "c",
        "open_case",
        "irregularities.key.case",
        "irregularities.palette.case",
        needs=Action.CASE_DECIDE,
    ),
    # -- Cases mode -----------------------------------------------------------------------------------------------
    _a("cases.open", "enter", "select_cursor", "cases.key.open"),
    _a("cases.new", "n", "new_case", "cases.key.new", "cases.palette.new", needs=Action.CASE_DECIDE),
    _a("cases.filter_state", "s", "cycle_state", "cases.key.filter_state", "cases.palette.filter_state"),
    _a("cases.filter_purpose", "p", "cycle_purpose", "cases.key.filter_purpose", "cases.palette.filter_purpose"),
    _a("cases.filter_due", "d", "toggle_due", "cases.key.filter_due", "cases.palette.filter_due"),
    _a("cases.reload", "f5,ctrl+r", "reload", "cases.key.reload", "cases.palette.reload"),
    # A case's page: one key per step of the procedure (casebook.cases.STEPS), open to the role the step needs;
    # the page shows only the steps the person may take now.
    *(
        _a(
            f"case.step.{step.verb}",
            CASE_STEP_KEYS[step.verb],
            f"step_{step.verb}",
            f"cases.key.{step.verb}",
            f"cases.palette.{step.verb}",
            needs=step.who,
        )
        for step in cases.STEPS
        if step.verb in CASE_STEP_KEYS
    ),
    _a("case.why", "b", "why", "cases.key.why", "cases.palette.why"),
    _a("case.letters", "l", "letters", "cases.key.letters", "cases.palette.letters"),
    _a("case.reload", "f5,ctrl+r", "reload", "cases.key.reload", "cases.palette.reload_case"),
    _a("case.back", "escape", "back", "cases.key.back", "cases.palette.back"),
    _a("case.form.save", "ctrl+s", "save", "cases.form.key.save"),
    _a("case.form.cancel", "escape", "cancel", "cases.form.key.cancel"),
    _a("case.dialog.close", "escape", "close", "cases.form.key.close"),
    _a("case.letter.save", "ctrl+s", "save", "cases.letter.key.save"),
    _a("case.letter.translation", "ctrl+t", "translation", "cases.letter.key.translation"),
    _a("case.letter.cancel", "escape", "cancel", "cases.letter.key.cancel"),
    # -- Reports mode: a report and a period; the report on screen, written to a file --------------------------
    _a("reports.open", "enter", "select_cursor", "reports.key.open"),
    *(
        _a(
            f"reports.{kind}",
            kind[0],
            f"calendar('{kind}')",
            f"reports.key.{kind}",
            "reports.palette.period",
            params={"period": f"reports.period.{kind}"},
            group="reports.key.period_group",
        )
        for kind in _REPORT_PERIODS
    ),
    _a(
        "reports.custom",
        "c",
        "custom_period",
        "reports.key.custom",
        "reports.palette.custom",
        group="reports.key.period_group",
    ),
    _a(
        "reports.previous",
        "left_square_bracket",
        "step(-1)",
        "reports.key.previous",
        "reports.palette.previous",
        group="reports.key.step_group",
    ),
    _a(
        "reports.next",
        "right_square_bracket",
        "step(1)",
        "reports.key.next",
        "reports.palette.next",
        group="reports.key.step_group",
    ),
    _a(
        "report.next_section",
        "right_square_bracket",
        "section(1)",
        "report.key.next_section",
        "report.palette.next_section",
        group="report.key.section_group",
    ),
    _a(
        "report.previous_section",
        "left_square_bracket",
        "section(-1)",
        "report.key.previous_section",
        "report.palette.previous_section",
        group="report.key.section_group",
    ),
    *(
        _a(
            f"report.export_{fmt}",
            key,
            f"export('{fmt}')",
            f"report.key.export_{fmt}",
            f"report.palette.export_{fmt}",
            group="report.key.export_group",
        )
        for fmt, key in (("md", "e"), ("csv", "c"), ("json", "j"), ("pdf", "p"))
    ),
    _a("report.back", "escape", "back", "report.key.back"),
)

BY_ID: dict[str, UiAction] = {row.id: row for row in ROWS}
if len(BY_ID) != len(ROWS):
    raise RuntimeError("two actions share an id")


_KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}
_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt"}


def key_text(key: str) -> str:
    """A key as people name it: 'ctrl+l' -> 'Ctrl+L', 'escape' -> 'Esc', 'm' -> 'm', 'N' -> 'Shift+N', 'f5' -> 'F5'."""
    *modifiers, name = key.split("+")
    if len(name) == 1 and name.isupper():
        modifiers.append("shift")
    if name in _KEY_NAMES:
        shown = _KEY_NAMES[name]
    elif len(name) == 1:
        shown = name.upper() if modifiers else name  # as typed: 'm', 'N' with its Shift; Ctrl+L as labelled
    else:
        shown = name.upper() if name[0] == "f" and name[1:].isdigit() else name.capitalize()
    return "+".join([*(_MODIFIERS.get(m, m.capitalize()) for m in modifiers), shown])


def keys_text(row: UiAction) -> str:
    """Every key of a row, as keyboards label them: 'F5, Ctrl+R'."""
    return ", ".join(key_text(key) for key in row.key_list)


def rows(ids: Iterable[str]) -> list[UiAction]:
    return [BY_ID[i] for i in ids]


def bindings(ids: Iterable[str]) -> list[Binding]:
    """The key bindings of these actions (palette-only actions have none)."""
    return [row.binding() for row in rows(ids) if row.keys]


def translate_bindings(node: DOMNode) -> None:
    """Replace each binding's description key (and its group's) by its text in the current language.

    Textual reads descriptions from the node's own copy of its bindings, made
    when the node is created; the language is known by then, the class
    definition is not.
    """
    known = i18n.catalogue()
    table = node._bindings.key_to_bindings

    def translated(binding: Binding) -> Binding:
        changes: dict[str, object] = {}
        if binding.description in known:
            changes["description"] = i18n.t(binding.description)
        if binding.group is not None and binding.group.description in known:
            changes["group"] = dataclasses.replace(binding.group, description=i18n.t(binding.group.description))
        return dataclasses.replace(binding, **changes) if changes else binding  # type: ignore[arg-type]

    for key, found in table.items():
        table[key] = [translated(b) for b in found]
