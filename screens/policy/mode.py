"""Policy mode: the policy text with its fields, whether it is ready for a control, its versions.

Under the session header: the readiness panel, then the table of contents
beside the text. Keys find words, step through the fields and the missing
ones, open the settings form, the receipts and the earlier versions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from casebook.errors import CasebookError
from casebook.i18n import t
from casebook.permissions import Action
from casebook.policy import readiness, versions
from casebook.policy.readiness import Readiness
from casebook.policy.versions import PolicyVersion
from casebook.session import Session
from screens import actions
from screens.base import ModeScreen
from screens.policy.document_view import Match, PolicyPiece, PolicyText, Unit, build_units, find_matches, render_unit
from screens.policy.versions import VersionsScreen
from screens.widgets.plain_text import clean
from screens.widgets.text_input import TextInput
from screens.workers import read_in_worker

# The readiness panel shows this many findings (fewer on a short terminal); the rest are counted.
PANEL_LINES = 4
PANEL_LINES_SHORT = 2
SHORT_TERMINAL = 30
TOC_MISSING = "⚠ "
TOC_COMPLETE = "  "
INDENT = "  "


@dataclass
class Loaded:
    """What one load of the policy brings: the version shown, the newest number, its readiness, its pieces."""

    version: PolicyVersion
    current: PolicyVersion
    readiness: Readiness
    units: list[Unit]


class PolicyToc(OptionList):
    """The table of contents: Enter takes the text to the highlighted section."""

    # Not in the footer (room at 80 columns): the key panel and the hint of a highlighted list say it.
    BINDINGS = actions.bindings(("policy.jump",))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        actions.translate_bindings(self)


class ReadinessPanel(Static):
    """Ready or not, for which version, and what stands in the way (✔ / ✖ / ⚠: never colour alone)."""

    COMPONENT_CLASSES = {"readiness--ready", "readiness--blocked", "readiness--warning"}

    def show(self, result: Readiness, lines: int = PANEL_LINES) -> None:
        ready = self.get_component_rich_style("readiness--ready", partial=True)
        blocked = self.get_component_rich_style("readiness--blocked", partial=True)
        warning = self.get_component_rich_style("readiness--warning", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        if result.ready:
            text.append(t("policy.readiness.ready", version=result.version), ready)
        else:
            key = "policy.readiness.blocked_one" if len(result.blockers) == 1 else "policy.readiness.blocked"
            text.append(t(key, version=result.version, count=len(result.blockers)), blocked)
        blockers = [("· ", f.message, Style()) for f in result.blockers]
        warnings = [("⚠ ", f.message, warning) for f in result.warnings]
        if len(blockers) + len(warnings) <= lines + 1:
            shown = blockers + warnings
        else:
            # Blockers first, but a warning keeps a line of its own.
            keep = min(len(warnings), max(1, lines // 2))
            shown = blockers[: lines - keep] + warnings[:keep]
        for mark, message, style in shown:
            text.append("\n  ")
            text.append(mark + message, style)
        hidden = len(blockers) + len(warnings) - len(shown)
        if hidden:
            text.append("\n  " + t("policy.readiness.more", count=hidden))
        self.update(text)


class PolicyScreen(ModeScreen):
    mode_id = "policy"
    action = Action.MODE_POLICY
    CSS_PATH = "policy.tcss"

    ACTIONS = (
        "policy.switch",
        "policy.find",
        "policy.find_next",
        "policy.find_previous",
        "policy.close_find",
        "policy.next_field",
        "policy.previous_field",
        "policy.next_missing",
        "policy.settings",
        "policy.receipts",
        "policy.consultation",
        "policy.versions",
        "policy.documents",
    )

    def __init__(self) -> None:
        super().__init__()
        self.loaded: Loaded | None = None
        # The version chosen in the version list; None: the current one.
        self.viewing: int | None = None
        self.pieces: list[PolicyPiece] = []
        self._headings: list[int] = []  # piece index of each section's heading
        self._styles: dict[str, Style] = {}
        self._cursor: int | None = None
        self._matches: list[Match] = []
        self._match: int | None = None
        self._query = ""
        self._text_after_first_frame = False

    # -- layout --------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield ReadinessPanel(id="policy-readiness")
        yield Static(id="policy-old-version")
        with Horizontal(id="policy-body"):
            yield PolicyToc(id="policy-toc")
            yield PolicyText(id="policy-text")
        with Horizontal(id="policy-find"):
            yield Static(Text(t("policy.find.label")), id="find-label")
            yield TextInput(
                placeholder=t("policy.find.placeholder"), id="find-field", blink=self.casebook_app.cursor_blink
            )
            yield Static(id="find-status")

    def on_mount(self) -> None:
        # The first view is built at once (reading the policy takes milliseconds); later reloads run in a worker.
        # Its text (a few hundred pieces to lay out) follows the first frame: the mode shows as soon as it can.
        self._text_after_first_frame = True
        self._styles = self.query_one(PolicyText).styles_for_text()
        try:
            loaded = self._gather(self.session, None, self._styles)
        except CasebookError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self._show(loaded)
        self.query_one(PolicyToc).focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def came_back(self) -> None:
        self.reload()

    def _theme_changed(self, _theme: object) -> None:
        self.call_after_refresh(self.reload)

    # -- loading -------------------------------------------------------------

    def reload(self) -> None:
        """Read the policy again (in a worker): after a save, a version change or a theme change."""
        self._styles = self.query_one(PolicyText).styles_for_text()
        self._load(self.viewing, self._styles)

    @staticmethod
    def _gather(session: Session, viewing: int | None, styles: dict[str, Style]) -> Loaded:
        current = versions.read(session)
        version = current if viewing in (None, current.version) else versions.read(session, viewing)
        result = readiness.check(session, version)
        return Loaded(version, current, result, build_units(version.document, version.settings, styles))

    def _load(self, viewing: int | None, styles: dict[str, Style]) -> None:
        read_in_worker(
            self, self.casebook_app, lambda session: self._gather(session, viewing, styles), self._show, "policy-load"
        )

    def _show(self, loaded: Loaded) -> None:
        if not self.is_attached:
            return  # signed out while the worker read
        if self.viewing is not None and loaded.version.version == loaded.current.version:
            self.viewing = None
        before = self.loaded
        self.loaded = loaded
        self._show_readiness()
        self._show_version_line(loaded)
        self._fill_toc(loaded)
        same_text = (
            before is not None and before.version.text == loaded.version.text and len(self.pieces) == len(loaded.units)
        )
        if same_text:
            for piece, unit in zip(self.pieces, loaded.units, strict=True):
                piece.unit = unit
            self._find_again()
            for piece in self.pieces:
                piece.update(self._piece_renderable(piece.index))
        else:
            self._mount_pieces(loaded.units)
        self.refresh_bindings()

    def _show_readiness(self) -> None:
        if self.loaded is not None:
            lines = PANEL_LINES_SHORT if self.app.size.height < SHORT_TERMINAL else PANEL_LINES
            self.query_one(ReadinessPanel).show(self.loaded.readiness, lines)

    def on_resize(self) -> None:
        self._show_readiness()

    def _show_version_line(self, loaded: Loaded) -> None:
        line = self.query_one("#policy-old-version", Static)
        old = loaded.version.version != loaded.current.version
        line.display = old
        if old:
            when = self.casebook_app.book.local_time_text(loaded.version.created_at)
            line.update(Text(t("policy.old_version", version=loaded.version.version, date=when)))

    def _fill_toc(self, loaded: Loaded) -> None:
        toc = self.query_one(PolicyToc)
        highlighted = toc.highlighted
        missing_sections = {u.section for u in loaded.units if u.has_missing}
        options = []
        for index, section in enumerate(loaded.version.document.sections):
            # ⚠ marks a section with a field still to fill in; the heading comes from the (loaded) policy text.
            prompt = Text(TOC_MISSING if index in missing_sections else TOC_COMPLETE)
            prompt.append(INDENT * (section.level - 1) + clean(section.heading))
            options.append(Option(prompt, id=section.key))
        toc.clear_options()
        toc.add_options(options)
        if options:
            toc.highlighted = min(highlighted or 0, len(options) - 1)

    def _mount_pieces(self, units: list[Unit]) -> None:
        text = self.query_one(PolicyText)
        if self._text_after_first_frame:
            self._text_after_first_frame = False
            text.mount(Static(Text(t("policy.text_loading")), classes="policy-loading"))
            self.after_first_frame(lambda: self._mount_first_pieces(units))
            return
        self._cursor = None
        self._matches, self._match = [], None
        if self._query:
            self._matches = find_matches(units, self._query)
        self._status()
        self.pieces = []
        self._headings = []
        for index, unit in enumerate(units):
            piece = PolicyPiece(unit, render_unit(unit, self._styles), index)
            self.pieces.append(piece)
            if unit.kind == "heading":
                self._headings.append(index)
        text.remove_children()
        text.mount_all(self.pieces)
        text.scroll_home(animate=False)

    def _mount_first_pieces(self, units: list[Unit]) -> None:
        if self.is_attached and self.loaded is not None and self.loaded.units is units and not self.pieces:
            self._mount_pieces(units)
            self.refresh_bindings()

    def _piece_renderable(self, index: int) -> object:
        unit = self.pieces[index].unit
        match = self._matches[self._match] if self._match is not None else None
        return render_unit(unit, self._styles, match if match is not None and match.unit == index else None)

    # -- moving through the text ---------------------------------------------

    def _visible(self, index: int) -> bool:
        text = self.query_one(PolicyText)
        region = self.pieces[index].virtual_region
        return region.y < text.scroll_y + text.scrollable_content_region.height and region.bottom > text.scroll_y

    def _top(self) -> int:
        """The first piece at the top of the text's view."""
        y = self.query_one(PolicyText).scroll_y
        return next((p.index for p in self.pieces if p.virtual_region.bottom > y), 0)

    def _go_to(self, index: int, match: int | None = None) -> None:
        """Make a piece the current one, scroll it into view, and mark the match if one is given."""
        old_cursor, old_match = self._cursor, self._match
        if old_cursor is not None and old_cursor < len(self.pieces):
            self.pieces[old_cursor].remove_class("-current")
        self._cursor, self._match = index, match
        piece = self.pieces[index]
        piece.add_class("-current")
        if old_match is not None and old_match < len(self._matches):
            old_unit = self._matches[old_match].unit
            if old_unit < len(self.pieces):
                self.pieces[old_unit].update(self._piece_renderable(old_unit))
        if match is not None:
            piece.update(self._piece_renderable(index))
        section = piece.unit.section
        if section is not None:
            toc = self.query_one(PolicyToc)
            if toc.highlighted != section:
                toc.highlighted = section
        self.call_after_refresh(self._scroll_to, index)

    def _scroll_to(self, index: int) -> None:
        if index >= len(self.pieces):
            return
        text = self.query_one(PolicyText)
        piece = self.pieces[index]
        y = piece.virtual_region.y
        if self._match is not None and self._matches[self._match].unit == index:
            # A match far down a long block: keep its line in view too.
            y = max(y, y + self._match_offset(piece) - text.scrollable_content_region.height // 2)
        # One line of what comes before, unless the piece is a heading.
        text.scroll_to(y=max(0, y - (0 if piece.unit.kind == "heading" else 1)), animate=False)

    def _match_offset(self, piece: PolicyPiece) -> int:
        """Roughly how many screen lines into the piece the current match lies."""
        assert self._match is not None
        match = self._matches[self._match]
        width = max(1, piece.content_region.width)
        lines = piece.unit.searchable()
        return sum(len(line.plain) // width + 1 for line in lines[: match.line]) + match.start // width

    def _next_piece(self, wanted: Callable[[Unit], bool], step: int) -> int | None:
        """The next (step 1) or previous (step -1) piece for which `wanted(unit)` holds, from where the reader is."""
        if not self.pieces:
            return None
        count = len(self.pieces)
        if self._cursor is not None and self._visible(self._cursor):
            start = self._cursor + step
        else:
            start = self._top() if step > 0 else self._top() - 1
        for offset in range(count):
            index = (start + step * offset) % count
            if wanted(self.pieces[index].unit):
                return index
        return None

    def action_next_field(self) -> None:
        self._step_to(lambda u: u.has_field, 1, "policy.no_fields")

    def action_previous_field(self) -> None:
        self._step_to(lambda u: u.has_field, -1, "policy.no_fields")

    def action_next_missing(self) -> None:
        self._step_to(lambda u: u.has_missing, 1, "policy.no_missing")

    def _step_to(self, wanted: Callable[[Unit], bool], step: int, none_key: str) -> None:
        index = self._next_piece(wanted, step)
        if index is None:
            self.notify(t(none_key), markup=False)
            return
        self._go_to(index)
        self.query_one(PolicyText).focus()

    @on(OptionList.OptionSelected, "#policy-toc")
    def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self._headings):
            self._go_to(self._headings[event.option_index])

    def action_switch_focus(self) -> None:
        toc = self.query_one(PolicyToc)
        (self.query_one(PolicyText) if self.focused is toc else toc).focus()

    # -- find ------------------------------------------------------------------

    @property
    def find_open(self) -> bool:
        return bool(self.query_one("#policy-find").display)

    def action_find(self) -> None:
        bar = self.query_one("#policy-find")
        bar.display = True
        field = self.query_one("#find-field", TextInput)
        field.focus()
        field.select_all()
        self.refresh_bindings()

    def action_close_find(self) -> None:
        self.query_one("#policy-find").display = False
        self.query_one("#find-field", TextInput).value = ""
        old = self._matches[self._match].unit if self._match is not None else None
        self._query, self._matches, self._match = "", [], None
        if old is not None and old < len(self.pieces):
            self.pieces[old].update(self._piece_renderable(old))
        self._status()
        self.query_one(PolicyText).focus()
        self.refresh_bindings()

    @on(Input.Changed, "#find-field")
    def _query_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self._query and self._matches:
            old = self._matches[self._match].unit if self._match is not None else None
            self._matches, self._match = [], None
            if old is not None:
                self.pieces[old].update(self._piece_renderable(old))
            self._status()
            self.refresh_bindings()

    @on(Input.Submitted, "#find-field")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self._query = event.value.strip()
        if not self._query:
            return
        old = self._matches[self._match].unit if self._match is not None else None
        here = self._here()
        self._matches, self._match = find_matches([p.unit for p in self.pieces], self._query), None
        if old is not None and old < len(self.pieces):
            self.pieces[old].update(self._piece_renderable(old))
        if not self._matches:
            self._status()
            self.refresh_bindings()
            return
        self._go_match(self._first_after(here))
        self.query_one(PolicyText).focus()
        self.refresh_bindings()

    def _here(self) -> tuple[int, int, int]:
        """Where the reader is: at the current match, else at the current piece, else at the top of the view."""
        if self._match is not None and self._visible(self._matches[self._match].unit):
            m = self._matches[self._match]
            return (m.unit, m.line, m.start)
        if self._cursor is not None and self._visible(self._cursor):
            return (self._cursor, -1, -1)
        return (self._top(), -1, -1)

    def _first_after(self, here: tuple[int, int, int]) -> int:
        return next((i for i, m in enumerate(self._matches) if (m.unit, m.line, m.start) > here), 0)

    def _go_match(self, number: int) -> None:
        self._go_to(self._matches[number].unit, number)
        self._status()

    def action_find_next(self) -> None:
        if self._matches:
            after = self._first_after(self._here()) if self._match is None else self._match + 1
            self._go_match(after % len(self._matches))

    def action_find_previous(self) -> None:
        if self._matches:
            before = self._first_after(self._here()) if self._match is None else self._match
            self._go_match((before - 1) % len(self._matches))

    def _find_again(self) -> None:
        """After a reload of the same text: the matches of the open search, the current one kept if it still exists."""
        if not self._query:
            return
        self._matches = find_matches([p.unit for p in self.pieces], self._query)
        if self._match is not None and self._match >= len(self._matches):
            self._match = None
        self._status()

    def _status(self) -> None:
        status = self.query_one("#find-status", Static)
        if not self._query:
            status.update("")
        elif not self._matches:
            status.update(Text(t("policy.find.none")))
        elif self._match is None:
            status.update(Text(t("policy.find.count", count=len(self._matches))))
        else:
            status.update(Text(t("policy.find.position", number=self._match + 1, count=len(self._matches))))

    # -- other screens -------------------------------------------------------

    def action_settings(self) -> None:
        from screens.policy.settings_form import PolicySettingsScreen

        if self.loaded is None or not self.may(Action.MANAGE_POLICY):
            return

        def saved(version: int | None) -> None:
            if version is not None:
                self.viewing = None
                self.reload()

        self.app.push_screen(PolicySettingsScreen(self.loaded.current), saved)

    def action_receipts(self) -> None:
        from screens.policy.receipts import ReceiptsScreen

        if self.may(Action.VIEW_RECEIPTS):
            self.app.push_screen(ReceiptsScreen())

    def action_documents(self) -> None:
        from screens.policy.documents import DocumentsScreen

        self.app.push_screen(DocumentsScreen())

    def action_consultation(self) -> None:
        from screens.policy.consultation import ConsultationScreen

        def closed(_: None) -> None:
            self.reload()  # a new information may have made the policy ready

        self.app.push_screen(ConsultationScreen(), closed)

    def action_versions(self) -> None:
        if self.loaded is None:
            return
        if self.viewing is not None:
            self.viewing = None
            self.reload()
            return
        app = self.casebook_app
        if app.session is None:
            return
        try:
            history = versions.history(app.session)
        except CasebookError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return

        def chosen(version: int | None) -> None:
            if version is None or self.loaded is None:
                return
            self.viewing = None if version == self.loaded.current.version else version
            self.reload()

        self.app.push_screen(VersionsScreen(history, self.loaded.version.version, app.book.local_time_text), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.permitted(action):
            return False
        if action in {"find_next", "find_previous"}:
            return bool(self._matches)
        if action == "close_find":
            return self.find_open
        if action == "next_missing":
            return True if any(p.unit.has_missing for p in self.pieces) else None
        return True
