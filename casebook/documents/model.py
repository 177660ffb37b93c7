"""What a document is, whatever it is written to: a title, a header that says where it comes from, sections of blocks.

Every renderer (Markdown, PDF) takes this model; a builder (the GDPR documents,
later the reports) makes it. The header (`About`) makes each export read on its
own: the organisation, when and by whom it was made, the policy version it was
made from and, for a kept document, its own version.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
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


Block = Annotated[Paragraph | Bullets | Table | Highlight | ToComplete, Field(discriminator="kind")]


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
    return [block.text]


class About(_Frozen):
    organisation: str
    made_at: datetime
    made_by: str  # the account's name, as in the audit trail
    policy_version: int
    version: int | None = None  # the document's own version, when it is kept


class Document(_Frozen):
    kind: str
    about: About
    body: Body
    # Facts the casebook does not know yet (shown in the text as a blank to fill in), by name.
    missing: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.body.title
