"""What was imported: the list of past imports, newest first, and the lines each one rejected.

Read-only, for those who may see the Logs mode. The list pages through SQL
(`limit`/`offset`): a casebook that imports a log every hour for years holds
tens of thousands of imports, and no screen loads them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.permissions import Action

if TYPE_CHECKING:
    from casebook.session import Session


@dataclass(frozen=True)
class ImportRecord:
    id: int
    path: str  # as resolved when imported
    format: str
    lines: int
    imported: int
    rejected: int
    first_ts: datetime | None  # the earliest and latest moment in the lines read (UTC); None when none was read
    last_ts: datetime | None
    imported_by: str  # the account's name
    imported_by_name: str  # its full name when it has one (the account may since have been renamed or removed)
    imported_at: datetime
    seconds: float
    prefix_of: int | None  # the import this one continues (a log that grew since)


@dataclass(frozen=True)
class RejectedLine:
    line_no: int
    reason: str  # a key under logs.reject.
    sample: str  # already sanitised by the import: no identifier, no control character


_COLUMNS = (
    "i.id, i.path, i.format, i.lines, i.imported, i.rejected, i.first_ts, i.last_ts, i.imported_by, i.imported_at,"
    " i.seconds, i.prefix_of, u.full_name"
)


def _moment(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def _record(row: dict[str, Any]) -> ImportRecord:
    return ImportRecord(
        id=int(row["id"]),
        path=str(row["path"]),
        format=str(row["format"]),
        lines=int(row["lines"]),
        imported=int(row["imported"]),
        rejected=int(row["rejected"]),
        first_ts=_moment(row["first_ts"]),
        last_ts=_moment(row["last_ts"]),
        imported_by=str(row["imported_by"]),
        imported_by_name=str(row["full_name"] or row["imported_by"]),
        imported_at=clocks.from_text(str(row["imported_at"])),
        seconds=float(row["seconds"]),
        prefix_of=None if row["prefix_of"] is None else int(row["prefix_of"]),
    )


def imports(session: Session, limit: int = 200, offset: int = 0) -> list[ImportRecord]:
    """One page of the imports, newest first (in the order they were made: the clock may have been set back)."""
    session.require(Action.MODE_LOGS)
    rows = session.casebook.store.query(
        f"SELECT {_COLUMNS} FROM imports i LEFT JOIN users u ON u.name = i.imported_by"
        " ORDER BY i.id DESC LIMIT ? OFFSET ?",
        [max(0, limit), max(0, offset)],
    )
    return [_record(row) for row in rows]


def find(session: Session, import_id: int) -> ImportRecord | None:
    session.require(Action.MODE_LOGS)
    row = session.casebook.store.query_one(
        f"SELECT {_COLUMNS} FROM imports i LEFT JOIN users u ON u.name = i.imported_by WHERE i.id = ?", [import_id]
    )
    return None if row is None else _record(row)


def count(session: Session) -> int:
    session.require(Action.MODE_LOGS)
    row = session.casebook.store.query_one("SELECT count(*) AS n FROM imports")
    return int(row["n"]) if row else 0


def rejects(session: Session, import_id: int) -> list[RejectedLine]:
    """The rejected lines an import kept (the first ones only; `ImportRecord.rejected` counts them all)."""
    session.require(Action.MODE_LOGS)
    rows = session.casebook.store.query(
        "SELECT line_no, reason, sample FROM rejects WHERE import_id = ? ORDER BY line_no", [import_id]
    )
    return [RejectedLine(int(r["line_no"]), str(r["reason"]), str(r["sample"])) for r in rows]
