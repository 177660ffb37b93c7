"""Individualisation: from an approved finding's events to the people in the directory (CAO 81 art. 12-17).

The one controlled place that uses the pseudonym key backwards. The logs hold keyed hashes of user
names, client addresses and mail addresses; the directory holds each employee's identifiers with
their validity periods. For each event the key recomputes the tokens of the directory's identifiers,
and an event resolves to the employee whose identifier matches and was theirs on the event's day. An
event that matches nobody, or more than one person, stays unresolved: it is counted on the case,
never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from casebook import clock as clocks
from casebook.pseudonym import Pseudonymiser

if TYPE_CHECKING:
    from casebook.book import Casebook

# Directory identifier kinds, and the kind the import hashed the same identifier under.
_TOKEN_KIND = {"proxy_user": "user", "mail": "mail", "ip": "ip"}
_BATCH = 500


@dataclass
class Resolution:
    """Who the events belong to: per employee, their events (kind, id, moment); and what matched nobody."""

    people: dict[int, list[tuple[str, int, datetime]]] = field(default_factory=dict)
    unresolved: int = 0

    @property
    def events(self) -> int:
        return sum(len(v) for v in self.people.values())


def _directory(book: Casebook) -> dict[str, list[tuple[int, date | None, date | None]]]:
    """Every directory identifier's token: (employee, valid from, valid to)."""
    pseudonymiser = Pseudonymiser(book.pseudonym_key)
    tokens: dict[str, list[tuple[int, date | None, date | None]]] = defaultdict(list)
    for row in book.store.query("SELECT employee_id, kind, value, valid_from, valid_to FROM identifiers"):
        token = pseudonymiser.token(_TOKEN_KIND[str(row["kind"])], str(row["value"]))
        tokens[token].append(
            (
                int(row["employee_id"]),
                date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            )
        )
    return tokens


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), _BATCH):
        yield values[start : start + _BATCH]


def _moments(book: Casebook, kind: str, ids: list[int]) -> dict[int, tuple[float, str]]:
    """(event time, pseudonym token) per event, mail event or visit; for a mail, its sender is the person acting."""
    # A visit (aggregated by a log platform, no request behind it) is the person's from its start.
    table, who, ts = {
        "event": ("events", "pseudonym_id", "ts"),
        "mail": ("mail_events", "sender_id", "ts"),
        "visit": ("visits", "pseudonym_id", "start"),
    }[kind]
    found: dict[int, tuple[float, str]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        rows = book.store.query(
            f"SELECT x.id, x.{ts} AS ts, p.token FROM {table} x JOIN pseudonyms p ON p.id = x.{who}"
            f" WHERE x.id IN ({marks})",
            chunk,
        )
        found.update({int(r["id"]): (float(r["ts"]), str(r["token"])) for r in rows})
    return found


def resolve(book: Casebook, refs: Iterable[tuple[str, int]], after: datetime | None = None) -> Resolution:
    """Resolve events ('event', 'mail' or 'visit', id) to employees; with `after`, events up to that moment are left
    out entirely (purpose 4: data from before the warning is never linked to a person)."""
    directory = _directory(book)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, ref_id in refs:
        by_kind[kind].append(ref_id)
    result = Resolution()
    limit = after.timestamp() if after is not None else None
    for kind, ids in by_kind.items():
        for ref_id, (ts, token) in sorted(_moments(book, kind, sorted(set(ids))).items()):
            if limit is not None and ts <= limit:
                continue
            moment = datetime.fromtimestamp(ts, UTC)
            day = clocks.local(moment).date()
            owners = {
                employee
                for employee, valid_from, valid_to in directory.get(token, ())
                if (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)
            }
            if len(owners) != 1:
                result.unresolved += 1
                continue
            result.people.setdefault(owners.pop(), []).append((kind, ref_id, moment))
    return result
