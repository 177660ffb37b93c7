"""A report as JSON, for another program: the header as fields, every table of figures by its key.

A table with `row_keys` is an object of its rows ({"approved": 2, ...} when it holds one figure
per row, else an object per row); without, a list of objects by column key. Numbers are plain; a
number of people below the policy's smallest group is null (as in `casebook stats --json`), and
`min_group_size` says which group that is. Paragraphs are left out: the figures are what a program
reads; the Markdown and PDF carry the words.
"""

from __future__ import annotations

import json
from typing import Any

from casebook import clock as clocks
from casebook.documents.model import Cell, Chart, Document, FigureTable


def _value(value: Cell, kind: str) -> Cell:
    if kind == "seconds" and value is not None:
        return round(float(value))
    return value


def _table(block: FigureTable) -> Any:
    columns = block.columns
    if block.row_keys:
        # The first column names the row for a reader; the key names it here.
        first = 1 if len(columns) > 1 and columns[0].kind == "text" else 0
        out: dict[str, Any] = {}
        for key, row in zip(block.row_keys, block.rows, strict=True):
            named = {c.key: _value(v, c.kind) for c, v in zip(columns[first:], row[first:], strict=True)}
            out[key] = next(iter(named.values())) if len(named) == 1 else named
        return out
    return [{c.key: _value(v, c.kind) for c, v in zip(columns, row, strict=True)} for row in block.rows]


def _chart(block: Chart) -> Any:
    return [
        {
            "group": g.label or None,
            "bars": [{"label": b.label, "value": _value(b.value, block.measure)} for b in g.bars],
        }
        for g in block.groups
    ]


def data(document: Document) -> dict[str, Any]:
    about = document.about
    figures: dict[str, Any] = {}
    charts: dict[str, Any] = {}
    for section in document.body.sections:
        for block in section.blocks:
            if isinstance(block, FigureTable):
                figures[block.key] = _table(block)
            elif isinstance(block, Chart):
                charts[block.key] = _chart(block)
    return {
        "report": document.kind,
        "title": document.title,
        "language": document.language,
        "organisation": about.organisation,
        "period": None
        if about.period is None
        else {"from": about.period[0].isoformat(), "to": about.period[1].isoformat()},
        "made_at": clocks.to_text(about.made_at),
        "made_by": about.made_by,
        "maker": about.maker or about.made_by,
        "policy_version": about.policy_version,
        "min_group_size": document.min_group_size,
        "figures": figures,
        "charts": charts,
    }


def render(document: Document) -> str:
    return json.dumps(data(document), ensure_ascii=False, indent=2) + "\n"
