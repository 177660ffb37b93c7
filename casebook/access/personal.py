"""One person's data in the logs: found through the key, for their access answer or their erasure only.

The logs hold pseudonyms; the directory holds the person's identifiers (proxy user name, mail
addresses, IP addresses with the period each was theirs). The key recomputes the tokens of those
identifiers, which name the pseudonyms; an IP address counts only for the days it was theirs. Every
use is audited by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook.pseudonym import Pseudonymiser

if TYPE_CHECKING:
    from casebook.book import Casebook

_TOKEN_KIND = {"proxy_user": "user", "mail": "mail", "ip": "ip"}
_FOREVER = 1e13  # far beyond any log's time, as an open end of a validity period


@dataclass(frozen=True)
class Window:
    """A pseudonym of the person and the moments (epoch seconds) during which it was theirs."""

    pseudonym_id: int
    start: float
    end: float

    def sql(self, column: str) -> tuple[str, list[object]]:
        return f"({column} >= ? AND {column} < ?)", [self.start, self.end]


def _midnight(day: date) -> float:
    return datetime.combine(day, time(), clocks.LOCAL_ZONE).timestamp()


def windows(book: Casebook, employee_id: int) -> list[Window]:
    """The person's pseudonyms in the logs, each with the period it stands for them."""
    pseudonymiser = Pseudonymiser(book.pseudonym_key)
    out = []
    for row in book.store.query(
        "SELECT kind, value, valid_from, valid_to FROM identifiers WHERE employee_id = ?", [employee_id]
    ):
        token = pseudonymiser.token(_TOKEN_KIND[str(row["kind"])], str(row["value"]))
        found = book.store.query_one("SELECT id FROM pseudonyms WHERE token = ?", [token])
        if found is None:
            continue  # this identifier never appeared in a log
        start = _midnight(date.fromisoformat(row["valid_from"])) if row["valid_from"] else 0.0
        end = _midnight(date.fromisoformat(row["valid_to"]) + timedelta(days=1)) if row["valid_to"] else _FOREVER
        out.append(Window(int(found["id"]), start, end))
    return out


def where(found: list[Window], pseudonym_column: str, time_column: str) -> tuple[str, list[object]]:
    """A WHERE fragment selecting the person's rows of a table: one of their pseudonyms, in its period."""
    if not found:
        return "0", []
    parts, params = [], []
    for window in found:
        parts.append(f"({pseudonym_column} = ? AND {time_column} >= ? AND {time_column} < ?)")
        params += [window.pseudonym_id, window.start, window.end]
    return "(" + " OR ".join(parts) + ")", params
