"""How a report's figure is written: for a reader (Markdown, PDF, the screen) or for a spreadsheet (CSV).

A reader gets the casebook's own formatting (12.345, 2,8 GB, 3 u 05 min, in the current language);
a spreadsheet plain numbers (bytes, whole seconds). A number of people below the smallest group is
"< N" in both: the rule of the figures, not a value a spreadsheet could sum.
"""

from __future__ import annotations

from casebook.documents.model import Cell, CellKind
from casebook.formatting import duration, number, people, size


def text(value: Cell, kind: CellKind, minimum: int) -> str:
    """The figure as a reader reads it; words in place of a figure (it is not known) as they are."""
    if isinstance(value, str):
        return value
    if kind == "people":
        return people(None if value is None else int(value), minimum)
    if value is None:
        return "-"
    if kind == "count":
        return number(int(value))
    if kind == "bytes":
        return size(int(value))
    if kind == "seconds":
        return duration(float(value))
    return str(value)


def raw(value: Cell, kind: CellKind, minimum: int) -> str | int:
    """The figure as a spreadsheet takes it: a plain number, or text."""
    if isinstance(value, str):
        return value
    if kind == "people" and value is None:
        return f"< {minimum}"
    if value is None:
        return ""
    if kind in ("count", "people", "bytes"):
        return int(value)
    if kind == "seconds":
        return round(float(value))
    return str(value)
