"""A document as Markdown: readable as plain text, rendered well by any Markdown viewer."""

from __future__ import annotations

import re

from casebook import clock as clocks
from casebook.documents import cells, template
from casebook.documents.model import (
    Block,
    Bullets,
    Chart,
    Document,
    FigureTable,
    Highlight,
    Paragraph,
    Table,
    ToComplete,
)
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
    words = template.labels(document.language)
    moment = clocks.local(document.about.made_at)
    return f"{long_date(moment.date(), document.language)} {words['at']} {moment:%H:%M}"


def period_text(document: Document) -> str:
    assert document.about.period is not None
    first, last = document.about.period
    return f"{long_date(first, document.language)} – {long_date(last, document.language)}"


def about_lines(document: Document) -> list[tuple[str, str]]:
    """The header every export carries, as (label, value) pairs: it reads on its own."""
    words = template.labels(document.language)["about"]
    about = document.about
    lines = [(words["organisation"], about.organisation)]
    if about.period is not None:
        lines.append((words["period"], period_text(document)))
    return [
        *lines,
        (words["made"], made_at_text(document)),
        (words["made_by"], about.maker or about.made_by),
        (words["policy_version"], str(about.policy_version)),
        (words["version"], str(about.version) if about.version is not None else words["not_kept"]),
    ]


def figure_rows(block: FigureTable, minimum: int) -> list[tuple[str, ...]]:
    """A table of figures as a reader reads it: every cell written by its column's kind."""
    return [
        tuple(cells.text(value, column.kind, minimum) for value, column in zip(row, block.columns, strict=True))
        for row in block.rows
    ]


BAR_WIDTH = 30
_EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar_text(value: float | None, top: float, width: int = BAR_WIDTH) -> str:
    """A bar of `width` characters at most, in eighths; none for nothing or for a folded figure."""
    if not value or not top:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def chart_lines(chart: Chart, minimum: int) -> list[str]:
    """The chart as text bars: a line per bar (indented under its group's label), its value written after."""
    top = max((b.value or 0 for g in chart.groups for b in g.bars), default=0)
    labels = [b.label for g in chart.groups for b in g.bars]
    indent = "  " if any(g.label for g in chart.groups) else ""
    width = max((len(label) for label in labels), default=0)
    lines = []
    for group in chart.groups:
        if group.label:
            lines.append(group.label)
        for bar in group.bars:
            drawn = bar_text(bar.value, top)
            value = cells.text(bar.value, chart.measure, minimum)
            lines.append(f"{indent}{bar.label:<{width}} {drawn:<{BAR_WIDTH}} {value}".rstrip())
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [escape(block.text)]
    if isinstance(block, Bullets):
        return [f"- {escape(item, line_start=False)}" for item in block.items]
    if isinstance(block, Table):
        return _table(block.headers, list(block.rows))
    if isinstance(block, Highlight):
        return [f"> {escape(block.text, line_start=False)}"]
    if isinstance(block, ToComplete):
        return [f"- [ ] **{template.labels()['to_complete']}:** {escape(block.text, line_start=False)}"]
    raise TypeError(block)


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    def row(cells_: tuple[str, ...]) -> str:
        return "| " + " | ".join(escape(cell, line_start=False).replace("|", "\\|") for cell in cells_) + " |"

    return [row(headers), "| " + " | ".join("---" for _ in headers) + " |", *map(row, rows)]


def _report_block(block: Block, minimum: int) -> list[str]:
    if isinstance(block, FigureTable):
        return _table(tuple(c.title for c in block.columns), figure_rows(block, minimum))
    if isinstance(block, Chart):
        # A fenced block keeps the bars in one monospaced column; nothing in it is markup.
        bars = [line.replace("`", "'") for line in chart_lines(block, minimum)]
        return [f"**{escape(block.title, line_start=False)}**", "", "```text", *bars, "```"]
    return _block(block)


def render(document: Document) -> str:
    lines = [f"# {escape(document.title, line_start=False)}", ""]
    lines += [f"- **{label}:** {escape(value, line_start=False)}" for label, value in about_lines(document)]
    lines.append("")
    minimum = document.min_group_size
    for block in document.body.intro:
        lines += [*_report_block(block, minimum), ""]
    for section in document.body.sections:
        lines += ["#" * (section.level + 1) + " " + escape(section.title, line_start=False), ""]
        for block in section.blocks:
            lines += [*_report_block(block, minimum), ""]
    return "\n".join(lines).rstrip() + "\n"
