"""The policy text: a small Markdown dialect parsed into parts, sections, blocks, notes and fields.

    # Title
    preamble paragraphs
    ## PART TITLE {#part-id}
    ### 1. Section            #### 1.1 sub-section       ##### 1.1.1 sub-sub-section
    paragraphs, `- ` list items, {{field}} blanks, [^n] note references
    ::: purpose 2             (shown only when the organisation adopted purpose 2)
    :::
    [^n]: the note, continued on lines indented by four spaces

A file that breaks the dialect is refused with its line number; nothing of it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from casebook.errors import Refused
from casebook.i18n import t
from casebook.plaintext import CONTROL, inert
from casebook.policy.fields import PLACEHOLDERS
from schema.policy import PolicySettings

_HEADING = re.compile(r"^(#{1,5})\s+(.*?)\s*$")
_PART_ID = re.compile(r"\s*\{#([a-z0-9-]+)\}$")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$")
_NOTE_DEF = re.compile(r"^\[\^([A-Za-z0-9]+)\]:\s?(.*)$")
NOTE_REF = re.compile(r"\[\^([A-Za-z0-9]+)\]")
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_FENCE_OPEN = re.compile(r"^:::\s*purpose\s+(\S+)\s*$")
_LIST_ITEM = re.compile(r"^[-*]\s+(.*)$")


@dataclass(frozen=True)
class Block:
    kind: Literal["paragraph", "list"]
    lines: tuple[str, ...]
    line_no: int
    # Set inside a `::: purpose N` fence.
    purpose: int | None = None

    @property
    def notes(self) -> list[str]:
        return [ref for line in self.lines for ref in NOTE_REF.findall(line)]


@dataclass
class Section:
    key: str  # "controle/2.1"; a part's key is its id
    number: str
    title: str
    level: int  # 1 = part, 2 = "1.", 3 = "1.1", 4 = "1.1.1"
    line_no: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass
class Document:
    title: str
    preamble: list[Block]
    sections: list[Section]
    notes: dict[str, str]

    @property
    def placeholders(self) -> set[str]:
        return {name for block in self.blocks() for line in block.lines for name in PLACEHOLDER.findall(line)}

    def blocks(self) -> Iterator[Block]:
        yield from self.preamble
        for section in self.sections:
            yield from section.blocks

    def find(self, ref: str) -> list[Section]:
        """Sections by key ("controle/2.1"), part id ("controle") or number ("2.1", in every part)."""
        ref = ref.strip().rstrip(".").lower()
        exact = [s for s in self.sections if s.key == ref]
        if exact:
            return exact
        return [s for s in self.sections if s.number and s.number == ref]

    def within(self, section: Section) -> list[Section]:
        """The section and the sections under it."""
        start = self.sections.index(section)
        found = [section]
        for other in self.sections[start + 1 :]:
            if other.level <= section.level:
                break
            found.append(other)
        return found


def _refuse(key: str, line_no: int, **params: object) -> Refused:
    return Refused("policy.format", key, line=line_no, **params)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "deel"


def parse(text: str, *, strict: bool = True) -> Document:
    """The document, or a refusal naming the first wrong line.

    `strict` refuses a control character (a new text being loaded); a version already stored is read
    with its control characters shown as U+FFFD, so an old casebook still opens.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not strict:
        text = inert(text.replace("\t", "    "))
    lines = text.split("\n")
    title = ""
    preamble: list[Block] = []
    sections: list[Section] = []
    notes: dict[str, str] = {}
    note_lines: dict[str, int] = {}
    part_id = ""
    purpose: int | None = None
    purpose_line = 0
    paragraph: list[str] = []
    items: list[str] = []
    start = 0
    current_note: str | None = None

    def target() -> list[Block]:
        return sections[-1].blocks if sections else preamble

    def flush() -> None:
        nonlocal paragraph, items
        if paragraph:
            target().append(Block("paragraph", (" ".join(paragraph),), start, purpose))
        if items:
            target().append(Block("list", tuple(items), start, purpose))
        paragraph, items = [], []

    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if control := CONTROL.search(line.replace("\t", " ")):
            raise _refuse("refused.policy_control_char", number, code=f"{ord(control.group()):04X}")
        if current_note is not None:
            if line.startswith("    ") or (not line and number < len(lines) and lines[number].startswith("    ")):
                notes[current_note] += "\n" + line[4:]
                continue
            current_note = None
        if not line.strip():
            flush()
            continue
        if note := _NOTE_DEF.match(line):
            flush()
            ref = note.group(1)
            if ref in notes:
                raise _refuse("refused.policy_note_twice", number, note=ref, first=note_lines[ref])
            notes[ref], note_lines[ref] = note.group(2), number
            current_note = ref
            continue
        if fence := _FENCE_OPEN.match(line):
            flush()
            if purpose is not None:
                raise _refuse("refused.policy_fence_nested", number, first=purpose_line)
            if fence.group(1) not in {"1", "2", "3", "4"}:
                raise _refuse("refused.policy_unknown_purpose", number, purpose=fence.group(1))
            purpose, purpose_line = int(fence.group(1)), number
            continue
        if line.strip() == ":::":
            flush()
            if purpose is None:
                raise _refuse("refused.policy_fence_stray", number)
            purpose = None
            continue
        if heading := _HEADING.match(line):
            flush()
            if purpose is not None:
                raise _refuse("refused.policy_fence_open", purpose_line)
            level, content = len(heading.group(1)), heading.group(2)
            if level == 1:
                if title or sections:
                    raise _refuse("refused.policy_second_title", number)
                title = content
                continue
            if level == 2:
                explicit = _PART_ID.search(content)
                heading_text = _PART_ID.sub("", content)
                part_id = explicit.group(1) if explicit else _slug(heading_text)
                key, numbering, heading_title = part_id, "", heading_text
            else:
                numbered = _NUMBER.match(content)
                numbering = numbered.group(1) if numbered else ""
                heading_title = numbered.group(2) if numbered else content
                key = f"{part_id or 'preambule'}/{numbering or _slug(heading_title)}"
            if any(s.key == key for s in sections):
                raise _refuse("refused.policy_section_twice", number, section=key)
            sections.append(Section(key, numbering, heading_title, level - 1, number))
            continue
        if item := _LIST_ITEM.match(line.strip()):
            if paragraph:
                flush()
            if not items:
                start = number
            items.append(item.group(1))
            continue
        if items:
            flush()
        if not paragraph:
            start = number
        paragraph.append(line.strip())
    flush()
    if purpose is not None:
        raise _refuse("refused.policy_fence_open", purpose_line)
    if not any(s.level > 1 for s in sections):
        raise Refused("policy.format", "refused.policy_no_sections")
    document = Document(title or sections[0].title, preamble, sections, notes)
    _check_references(document)
    return document


def _check_references(document: Document) -> None:
    for section in document.sections:
        for ref in NOTE_REF.findall(section.heading):
            if ref not in document.notes:
                raise _refuse("refused.policy_note_missing", section.line_no, note=ref)
    for ref in (r for note in document.notes.values() for r in NOTE_REF.findall(note)):
        if ref not in document.notes:
            raise Refused("policy.format", "refused.policy_note_missing_in_note", note=ref)
    for block in document.blocks():
        for offset, line in enumerate(block.lines):
            for name in PLACEHOLDER.findall(line):
                if name not in PLACEHOLDERS:
                    raise _refuse(
                        "refused.policy_unknown_placeholder",
                        block.line_no + (offset if block.kind == "list" else 0),
                        name=name,
                        known=", ".join(PLACEHOLDERS),
                    )
            for ref in NOTE_REF.findall(line):
                if ref not in document.notes:
                    raise _refuse("refused.policy_note_missing", block.line_no, note=ref)


# -- rendering -------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of text: plain, a filled field, a missing field, a per-receipt blank, or a note mark."""

    kind: Literal["text", "field", "missing", "receipt", "note"]
    text: str
    name: str = ""


def segments(line: str, settings: PolicySettings, receipt: dict[str, str] | None = None) -> list[Segment]:
    out: list[Segment] = []
    position = 0
    for match in re.finditer(f"{PLACEHOLDER.pattern}|{NOTE_REF.pattern}", line):
        if match.start() > position:
            out.append(Segment("text", line[position : match.start()]))
        name, note = match.group(1), match.group(2)
        if note is not None:
            out.append(Segment("note", f"[{note}]", note))
        else:
            spec = PLACEHOLDERS[name]
            if spec.per_receipt:
                value = (receipt or {}).get(name)
                out.append(Segment("field", value, name) if value else Segment("receipt", name, name))
            else:
                value = spec.render(settings)
                out.append(Segment("field", value, name) if value is not None else Segment("missing", name, name))
        position = match.end()
    if position < len(line):
        out.append(Segment("text", line[position:]))
    return out


def plain_text(
    line: str, settings: PolicySettings, receipt: dict[str, str] | None = None, missing: str = "[{}]"
) -> str:
    """The line with its fields filled in; a blank shows as `missing` formatted with the field's label."""
    parts = []
    for seg in segments(line, settings, receipt):
        if seg.kind in {"missing", "receipt"}:
            parts.append(missing.format(t(f"policy.placeholder.{seg.name}")))
        else:
            parts.append(seg.text)
    return "".join(parts)


def visible(block: Block, settings: PolicySettings) -> bool:
    """A purpose the organisation did not adopt is left out of its policy."""
    return block.purpose is None or block.purpose in settings.purposes
