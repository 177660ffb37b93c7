"""A report as CSV, for a spreadsheet: the header lines first (the file reads on its own), then each
table of figures under its section's title, a blank line between them.

Figures are plain numbers (bytes, whole seconds); a number of people below the policy's smallest
group is "< N", never its value. A chart goes as the table of its values. Comma-separated and quoted
as RFC 4180 says, UTF-8, each row ended by a newline (the text passes a terminal unchanged; spreadsheets
read either ending).
"""

from __future__ import annotations

import csv
import io

from casebook.documents import cells
from casebook.documents.model import Bullets, Chart, Document, FigureTable, Highlight, Paragraph, Table, ToComplete
from casebook.documents.render_md import about_lines


def _rows(document: Document) -> list[list[str | int]]:
    minimum = document.min_group_size
    rows: list[list[str | int]] = [[document.title]]
    rows += [[label, value] for label, value in about_lines(document)]
    for section in document.body.sections:
        rows += [[], [section.title]]
        for block in section.blocks:
            if isinstance(block, FigureTable):
                rows.append([c.title for c in block.columns])
                rows += [
                    [cells.raw(value, column.kind, minimum) for value, column in zip(row, block.columns, strict=True)]
                    for row in block.rows
                ]
            elif isinstance(block, Chart):
                rows.append([block.title])
                for group in block.groups:
                    rows += [
                        [group.label, bar.label, cells.raw(bar.value, block.measure, minimum)] for bar in group.bars
                    ]
            elif isinstance(block, Table):
                rows += [list(block.headers), *(list(row) for row in block.rows)]
            elif isinstance(block, Bullets):
                rows += [[item] for item in block.items]
            elif isinstance(block, Paragraph | Highlight | ToComplete):
                rows.append([block.text])
    return rows


def render(document: Document) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(_rows(document))
    return out.getvalue()
