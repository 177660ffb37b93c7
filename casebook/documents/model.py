"""What a document is, whatever it is written to: a title, a header that says where it comes from, sections of blocks.

Every renderer (Markdown, PDF, CSV, JSON) takes this model; a builder (the GDPR
documents, the reports) makes it. The header (`About`) makes each export read on
its own: the organisation, the period a report covers, when and by whom it was
made, the policy version it was made from and, for a kept document, its own version.

A report's figures are `FigureTable`s and `Chart`s: typed values (a count, a
number of people, a volume, a time), written out by each renderer in its own way
(Dutch or English numbers on paper, plain numbers in CSV and JSON). A number of
people below the policy's smallest group is None there, written "< N".
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Paragraph(_Frozen):
    kind: Literal["paragraph"] = "paragraph"
    text: str


class Bullets(_Frozen):
    kind: Literal["bullets"] = "bullets"
    items: tuple[str, ...]


class Table(_Frozen):
    kind: Literal["table"] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Highlight(_Frozen):
    """A passage set apart so that nobody can miss it (the right to object, GDPR art. 21(4))."""

    kind: Literal["highlight"] = "highlight"
    text: str


class ToComplete(_Frozen):
    """An open question the organisation must answer itself; marked as such in every format."""

    kind: Literal["to_complete"] = "to_complete"
    text: str


# What a figure is, which says how it is written: text as it is, a count, a number of people (None: fewer
# than the smallest group), a volume in bytes, a time in seconds, a day (ISO).
CellKind = Literal["text", "count", "people", "bytes", "seconds", "date"]
Cell = str | int | float | None


class Column(_Frozen):
    key: str  # its name in JSON (English, stable)
    title: str  # its header, in the report's language
    kind: CellKind = "text"


class FigureTable(_Frozen):
    """Figures in rows; `row_keys` (one per row) make a list of named figures an object in JSON."""

    kind: Literal["figures"] = "figures"
    key: str  # its name in JSON, unique in the document
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_keys: tuple[str, ...] = ()


class Bar(_Frozen):
    label: str
    value: float | None  # None: about fewer people than the smallest group, drawn as no bar and written "< N"


class BarGroup(_Frozen):
    label: str  # "" for a chart of one group
    bars: tuple[Bar, ...]


class Chart(_Frozen):
    """Bars, in groups (a category, its months): drawn in the PDF and on screen, as text bars in Markdown."""

    kind: Literal["chart"] = "chart"
    key: str
    title: str
    measure: CellKind  # how each bar's value is written: count, people, bytes or seconds
    groups: tuple[BarGroup, ...]


Block = Annotated[
    Paragraph | Bullets | Table | Highlight | ToComplete | FigureTable | Chart, Field(discriminator="kind")
]


class Section(_Frozen):
    title: str
    level: int = 1  # 1: a section, 2: a sub-section
    blocks: tuple[Block, ...] = ()


class Body(_Frozen):
    """The content: what a kept version is compared on (the header changes with every making)."""

    title: str
    intro: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()

    def content_hash(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()

    def texts(self) -> list[str]:
        """Every piece of text in the body, in reading order (for tests and searching)."""
        out = [self.title]
        for block in (*self.intro, *(b for s in self.sections for b in s.blocks)):
            out += _block_texts(block)
        out += [s.title for s in self.sections]
        return out


def _block_texts(block: Block) -> list[str]:
    if isinstance(block, Bullets):
        return list(block.items)
    if isinstance(block, Table):
        return [*block.headers, *(cell for row in block.rows for cell in row)]
    if isinstance(block, FigureTable):
        return [
            *(c.title for c in block.columns),
            *(cell for row in block.rows for cell in row if isinstance(cell, str)),
        ]
    if isinstance(block, Chart):
        return [block.title, *(text for g in block.groups for text in (g.label, *(b.label for b in g.bars)) if text)]
    return [block.text]


class About(_Frozen):
    organisation: str
    made_at: datetime
    made_by: str  # the account's name, as in the audit trail
    policy_version: int
    version: int | None = None  # the document's own version, when it is kept
    # A report: the days it covers (both included), and the maker as a reader knows them (name, role).
    period: tuple[date, date] | None = None
    maker: str | None = None


class Document(_Frozen):
    kind: str
    about: About
    body: Body
    # Facts the casebook does not know yet (shown in the text as a blank to fill in), by name.
    missing: tuple[str, ...] = ()
    language: str = "nl"  # the GDPR's documents are Dutch; a report speaks its maker's language
    min_group_size: int = 1  # a number of people below it is None in the figures, written "< N"

    @property
    def title(self) -> str:
        return self.body.title
