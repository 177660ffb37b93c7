"""The periods a report is usually made for: a calendar month, quarter or year, counted back from today.

The current one ends today (what is still to come holds nothing yet); an earlier one is whole.
"""

from __future__ import annotations

from datetime import date, timedelta

from casebook.logs.rollups import Period

KINDS = ("month", "quarter", "year")
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def calendar(kind: str, today: date, offset: int = 0) -> Period:
    """The month, quarter or year holding today, or `offset` of them before (negative) or after it."""
    if kind not in _MONTHS:
        raise ValueError(f"unknown period {kind!r}: one of {', '.join(KINDS)}")
    size = _MONTHS[kind]
    start = date(today.year, (today.month - 1) // size * size + 1, 1)
    first = _shift(start, offset * size)
    last = _shift(first, size) - timedelta(days=1)
    return Period(first, min(last, today) if first <= today <= last else last)
