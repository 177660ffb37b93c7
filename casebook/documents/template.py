"""Document templates: Markdown data files beside the code, filled in from the casebook's facts.

A template (templates/KIND.LANG.md) is a small Markdown dialect:

    # Title                       the document's title (once)
    ## Section   ### Sub-section
    paragraph lines, joined until a blank line
    - a bullet                    "- {{name}}" alone: one bullet per item of a list fact
    | header | header |           a table: the first row heads it, a |---| row is skipped
    > a passage set apart         (the right to object)
    [ ] an open question          for the organisation to complete, marked in every format
    ::: purpose 2                 kept only when the policy adopted purpose 2
    ::: if name / ::: unless name kept only when the fact is filled in / empty
    :::                           closes the innermost fence
    <!-- a comment -->            for whoever edits the template; never shown

`{{name}}` is a fact. The structure is read before any fact is filled in, so a
value can never turn into a heading, a table or a fence. A fact the casebook
does not know yet shows as a visible blank ("[in te vullen: …]") and is listed
in the document's `missing`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from casebook.documents.model import Block, Body, Bullets, Highlight, Paragraph, Section, Table, ToComplete

Fact = str | bool | tuple[str, ...] | tuple[int, ...]

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_FENCE = re.compile(r"^:::\s*(?:(purpose)\s+([1-4])|(if|unless)\s+([a-z_]+))\s*$")
_TABLE_RULE = re.compile(r"^\|[\s:|-]+\|$")


class TemplateError(ValueError):
    """A template that breaks the dialect: a mistake of whoever edited it, named with its line."""


@cache
def template_text(name: str, language: str = "nl") -> str:
    return resources.files("casebook.documents").joinpath("templates", f"{name}.{language}.md").read_text("utf-8")


@cache
def labels(language: str = "nl") -> dict[str, Any]:
    """The words a document uses around its template: the header, the blanks, the page numbers."""
    text = resources.files("casebook.documents").joinpath("templates", f"labels.{language}.toml").read_text("utf-8")
    return tomllib.loads(text)


def _truthy(value: Fact | None) -> bool:
    return bool(value)


def _kept_lines(text: str, facts: Mapping[str, Fact]) -> list[tuple[int, str]]:
    """The template's lines that the facts keep, fences and comments taken out; every name checked."""
    kept: list[tuple[int, str]] = []
    open_fences: list[tuple[int, bool]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        for name in PLACEHOLDER.findall(line):
            if name not in facts:
                raise TemplateError(f"line {number}: unknown fact {{{{{name}}}}}")
        if line.strip().startswith("<!--"):
            if not line.strip().endswith("-->"):
                raise TemplateError(f"line {number}: a comment stays on one line")
            continue
        if line.strip() == ":::":
            if not open_fences:
                raise TemplateError(f"line {number}: ::: closes no fence")
            open_fences.pop()
            continue
        if line.startswith(":::"):
            fence = _FENCE.match(line.strip())
            if fence is None:
                raise TemplateError(f"line {number}: unknown fence {line.strip()!r}")
            if fence.group(1):
                keep = int(fence.group(2)) in facts.get("purposes", ())  # type: ignore[operator]
            else:
                name = fence.group(4)
                if name not in facts:
                    raise TemplateError(f"line {number}: unknown fact {name!r} in a fence")
                keep = _truthy(facts[name]) == (fence.group(3) == "if")
            open_fences.append((number, keep))
            continue
        if all(keep for _, keep in open_fences):
            kept.append((number, line))
    if open_fences:
        raise TemplateError(f"line {open_fences[-1][0]}: fence never closed")
    return kept


class _Filler:
    """Fills the blanks of one document and remembers which facts were missing."""

    def __init__(self, facts: Mapping[str, Fact], words: Mapping[str, Any]) -> None:
        self.facts = facts
        self.words = words
        self.missing: list[str] = []

    def blank(self, name: str) -> str:
        if name not in self.missing:
            self.missing.append(name)
        label = self.words.get("facts", {}).get(name, name)
        return str(self.words["missing"]).format(label=label)

    def value(self, name: str) -> str:
        value = self.facts[name]
        if isinstance(value, bool):
            return self.words["yes"] if value else self.words["no"]
        if isinstance(value, tuple):
            items = [str(v) for v in value]
            if not items:
                return self.blank(name)
            return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {self.words['and']} " + items[-1]
        return value if value.strip() else self.blank(name)

    def text(self, line: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1)), line)

    def items(self, items: list[str]) -> tuple[str, ...]:
        out: list[str] = []
        for item in items:
            alone = PLACEHOLDER.fullmatch(item.strip())
            value = self.facts.get(alone.group(1)) if alone else None
            if alone and isinstance(value, tuple):
                out += [str(v) for v in value] or [self.blank(alone.group(1))]
            else:
                out.append(self.text(item))
        return tuple(out)


def fill(text: str, facts: Mapping[str, Fact], language: str = "nl") -> tuple[Body, tuple[str, ...]]:
    """The template's body with the facts filled in, and the names of the facts still missing."""
    filler = _Filler(facts, labels(language))
    title = ""
    intro: list[Block] = []
    sections: list[Section] = []
    blocks: list[Block] = intro
    paragraph: list[str] = []
    bullets: list[str] = []
    table: list[tuple[str, ...]] = []
    highlight: list[str] = []

    def flush() -> None:
        nonlocal paragraph, bullets, table, highlight
        if paragraph:
            blocks.append(Paragraph(text=filler.text(" ".join(paragraph))))
        if bullets:
            blocks.append(Bullets(items=filler.items(bullets)))
        if table:
            head, *rows = table
            blocks.append(
                Table(
                    headers=tuple(filler.text(c) for c in head),
                    rows=tuple(tuple(filler.text(c) for c in row) for row in rows),
                )
            )
        if highlight:
            blocks.append(Highlight(text=filler.text(" ".join(highlight))))
        paragraph, bullets, table, highlight = [], [], [], []

    def close_section() -> None:
        if sections and blocks is not intro:
            sections[-1] = sections[-1].model_copy(update={"blocks": tuple(blocks)})

    for number, line in _kept_lines(text, facts):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", stripped)
        if heading:
            flush()
            level = len(heading.group(1))
            if level == 1:
                if title or sections:
                    raise TemplateError(f"line {number}: a second title")
                title = filler.text(heading.group(2))
                continue
            close_section()
            sections.append(Section(title=filler.text(heading.group(2)), level=level - 1))
            blocks = []
            continue
        if stripped.startswith("|"):
            if paragraph or bullets or highlight:
                flush()
            if not _TABLE_RULE.match(stripped):
                cells = tuple(cell.strip() for cell in stripped.strip("|").split("|"))
                if table and len(cells) != len(table[0]):
                    raise TemplateError(f"line {number}: {len(cells)} cells where the table has {len(table[0])}")
                table.append(cells)
            continue
        if stripped.startswith("[ ] "):
            flush()
            blocks.append(ToComplete(text=filler.text(stripped[4:].strip())))
            continue
        if stripped.startswith("- "):
            if paragraph or table or highlight:
                flush()
            bullets.append(stripped[2:].strip())
            continue
        if stripped.startswith(">"):
            if paragraph or bullets or table:
                flush()
            highlight.append(stripped[1:].strip())
            continue
        if bullets or table or highlight:
            flush()
        paragraph.append(stripped)
    flush()
    close_section()
    if not title:
        raise TemplateError("the template has no title (# Title)")
    return Body(title=title, intro=tuple(intro), sections=tuple(sections)), tuple(filler.missing)
