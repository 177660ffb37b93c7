"""The policy text on screen: one widget per title, heading and block, notes right under their block.

The pieces are built as Rich `Text` (never markup) from the core's `segments()`,
so a value typed into a field or a line of a loaded policy text cannot change
the screen. Building them needs no Textual state beyond the styles, which the
screen reads from its component classes first: a worker thread can build them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from casebook.i18n import t
from casebook.policy import document
from casebook.policy.document import Block, Document
from schema.policy import PolicySettings
from screens.widgets.plain_text import clean

# The styles a piece of text may carry; the screen reads each from the CSS component class of the same name.
STYLE_NAMES = ("title", "field", "missing", "receipt", "notes", "match")


@dataclass(frozen=True)
class Match:
    """One place where the searched word occurs: piece, line within the piece, span within the line."""

    unit: int
    line: int
    start: int
    end: int


@dataclass
class Unit:
    """One piece of the text on screen: the title, a heading, or a block with its notes."""

    kind: Literal["title", "heading", "block"]
    # Index in Document.sections of the section the piece belongs to (None: title and preamble).
    section: int | None
    lines: list[Text]
    level: int = 0
    bulleted: bool = False
    dropped: bool = False
    has_field: bool = False
    has_missing: bool = False
    notes: list[tuple[str, Text]] = field(default_factory=list)

    def searchable(self) -> list[Text]:
        """The lines a search looks through, in the order the screen shows them."""
        return [*self.lines, *(text for _, text in self.notes)]


def _line(line: str, settings: PolicySettings, styles: dict[str, Style]) -> tuple[Text, bool, bool]:
    """A line of the policy as Text, and whether it holds a field and a missing field."""
    text = Text()
    has_field = has_missing = False
    for seg in document.segments(line, settings):
        if seg.kind == "field":
            has_field = True
            text.append(clean(seg.text), styles["field"])
        elif seg.kind == "missing":
            has_field = has_missing = True
            text.append(f"⚠[{t(f'policy.placeholder.{seg.name}')}]", styles["missing"])
        elif seg.kind == "receipt":
            text.append(f"[{t(f'policy.placeholder.{seg.name}')}]", styles["receipt"])
        else:
            text.append(clean(seg.text))
    return text, has_field, has_missing


def _note_lines(ref: str, doc: Document, settings: PolicySettings, styles: dict[str, Style]) -> list[tuple[str, Text]]:
    """A note as (mark, text) rows; the mark only on its first row, list lines with a bullet."""
    rows = []
    for number, raw in enumerate(doc.notes.get(ref, "").split("\n")):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith(("- ", "* ")):
            stripped = "· " + stripped[2:]
        text, _, _ = _line(stripped, settings, styles)
        rows.append((f"[{ref}]" if number == 0 else "", text))
    return rows


def _block(
    block: Block, section: int | None, doc: Document, settings: PolicySettings, styles: dict[str, Style]
) -> Unit:
    lines = []
    has_field = has_missing = False
    for raw in block.lines:
        text, line_field, line_missing = _line(raw, settings, styles)
        lines.append(text)
        has_field |= line_field
        has_missing |= line_missing
    dropped = not document.visible(block, settings)
    if dropped:
        prefix = Text(t("policy.dropped_prefix"))
        if block.kind == "list":
            lines.insert(0, prefix)
        else:
            lines[0] = prefix + lines[0]
    notes = [row for ref in dict.fromkeys(block.notes) for row in _note_lines(ref, doc, settings, styles)]
    return Unit(
        "block",
        section,
        lines,
        bulleted=block.kind == "list",
        dropped=dropped,
        has_field=has_field,
        has_missing=has_missing,
        notes=notes,
    )


def build_units(doc: Document, settings: PolicySettings, styles: dict[str, Style]) -> list[Unit]:
    """The whole policy, piece by piece, in reading order."""
    title, _, _ = _line(doc.title, settings, styles)
    title.stylize(styles["title"])
    title_notes = [
        row for ref in document.NOTE_REF.findall(doc.title) for row in _note_lines(ref, doc, settings, styles)
    ]
    units = [Unit("title", None, [title], notes=title_notes)]
    units += [_block(block, None, doc, settings, styles) for block in doc.preamble]
    for index, section in enumerate(doc.sections):
        heading, _, _ = _line(section.heading, settings, styles)
        units.append(Unit("heading", index, [heading], level=section.level))
        units += [_block(block, index, doc, settings, styles) for block in section.blocks]
    return units


def find_matches(units: list[Unit], query: str) -> list[Match]:
    """Every occurrence of `query` (case ignored), in reading order."""
    needle = query.strip().lower()
    if not needle:
        return []
    found = []
    for index, unit in enumerate(units):
        for number, line in enumerate(unit.searchable()):
            haystack = line.plain.lower()
            start = haystack.find(needle)
            while start != -1:
                found.append(Match(index, number, start, start + len(needle)))
                start = haystack.find(needle, start + len(needle))
    return found


def render_unit(unit: Unit, styles: dict[str, Style], highlight: Match | None = None) -> RenderableType:
    """What the piece's widget shows; `highlight` marks the current search match."""
    lines = [line.copy() for line in unit.searchable()]
    if highlight is not None:
        lines[highlight.line].stylize(styles["match"], highlight.start, highlight.end)
    body_lines, note_lines = lines[: len(unit.lines)], lines[len(unit.lines) :]
    parts: list[RenderableType] = []
    if unit.bulleted:
        items = body_lines[1:] if unit.dropped else body_lines
        if unit.dropped:
            parts.append(body_lines[0])
        grid = Table.grid()
        grid.add_column(width=2, no_wrap=True)
        grid.add_column(ratio=1)
        for item in items:
            grid.add_row(Text("· "), item)
        parts.append(grid)
    else:
        parts.extend(body_lines)
    if note_lines:
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for (mark, _), text in zip(unit.notes, note_lines, strict=True):
            grid.add_row(Text(mark), text)
        parts.append(Padding(grid, (0, 0, 0, 2), style=styles["notes"], expand=False))
    if len(parts) == 1:
        return parts[0]
    return Group(*parts)


class PolicyPiece(Static):
    """A title, heading or block of the policy; `-current` marks where the keys last took the reader."""

    def __init__(self, unit: Unit, renderable: RenderableType, index: int) -> None:
        classes = f"-{unit.kind}"
        if unit.kind == "heading":
            classes += f" -level{unit.level}"
        if unit.dropped:
            classes += " -dropped"
        super().__init__(renderable, classes=classes)
        self.unit = unit
        self.index = index

    @property
    def plain(self) -> str:
        """The piece as plain text (what a search sees), for tests and screen readers."""
        return "\n".join(line.plain for line in self.unit.searchable())


class PolicyText(VerticalScroll):
    """The scrolling text; its component classes are the styles of fields, blanks, notes and matches."""

    COMPONENT_CLASSES = {f"policy-text--{name}" for name in STYLE_NAMES}

    def styles_for_text(self) -> dict[str, Style]:
        return {name: self.get_component_rich_style(f"policy-text--{name}", partial=True) for name in STYLE_NAMES}
