"""A document as Markdown: readable as plain text, rendered well by any Markdown viewer."""

from __future__ import annotations

import re

from casebook import clock as clocks
from casebook.documents import template
from casebook.documents.model import Block, Bullets, Document, Highlight, Paragraph, Table, ToComplete
from casebook.formatting import long_date

# What could make a value read as Markdown markup: emphasis, code, raw HTML, and a backslash itself.
_INLINE = re.compile(r"([\\*`<])")
# At the start of a line: a heading, a quote, a list item or a numbered item.
_LINE_START = re.compile(r"^(#|>|[-+] |\d+[.)] )")


def escape(text: str, line_start: bool = True) -> str:
    """Text that reads as itself in Markdown; `line_start`: it begins a line, where # > - and 1. mean markup."""
    text = _INLINE.sub(r"\\\1", text)
    return "\\" + text if line_start and _LINE_START.match(text) else text


def made_at_text(document: Document) -> str:
    words = template.labels()
    moment = clocks.local(document.about.made_at)
    return f"{long_date(moment.date(), 'nl')} {words['at']} {moment:%H:%M}"


def about_lines(document: Document) -> list[tuple[str, str]]:
    """The header every export carries, as (label, value) pairs: it reads on its own."""
    words = template.labels()["about"]
    about = document.about
    return [
        (words["organisation"], about.organisation),
        (words["made"], made_at_text(document)),
        (words["made_by"], about.made_by),
        (words["policy_version"], str(about.policy_version)),
        (words["version"], str(about.version) if about.version is not None else words["not_kept"]),
    ]


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [escape(block.text)]
    if isinstance(block, Bullets):
        return [f"- {escape(item, line_start=False)}" for item in block.items]
    if isinstance(block, Table):

        def row(cells: tuple[str, ...]) -> str:
            return "| " + " | ".join(escape(cell, line_start=False).replace("|", "\\|") for cell in cells) + " |"

        return [row(block.headers), "| " + " | ".join("---" for _ in block.headers) + " |", *map(row, block.rows)]
    if isinstance(block, Highlight):
        return [f"> {escape(block.text, line_start=False)}"]
    if isinstance(block, ToComplete):
        return [f"- [ ] **{template.labels()['to_complete']}:** {escape(block.text, line_start=False)}"]
    raise TypeError(block)


def render(document: Document) -> str:
    lines = [f"# {escape(document.title, line_start=False)}", ""]
    lines += [f"- **{label}:** {escape(value, line_start=False)}" for label, value in about_lines(document)]
    lines.append("")
    for block in document.body.intro:
        lines += [*_block(block), ""]
    for section in document.body.sections:
        lines += ["#" * (section.level + 1) + " " + escape(section.title, line_start=False), ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"
