"""The audit trail: an append-only chain of rows, each sealed over its predecessor.

Each row's `hash` is an HMAC-SHA256, under a key derived from the casebook's
key file, over the previous row's hash and the row's own content (id included).
So an edited row fails its own seal, a removed or reordered row breaks the link
of the row after it, and with the key kept apart from the database nobody
holding only the database can re-seal a forged chain. Rows are written by
`append` (or a casebook's `AuditWriter`) inside the transaction of the change
they record.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from casebook import clock as clocks
from casebook.clock import Clock
from casebook.store import Store
from schema.models import AuditRow, AuditVerdict

GENESIS = "0" * 64


def _canonical(detail: dict[str, Any] | None) -> str:
    return json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def seal(
    key: bytes, prev_hash: str, row_id: int, at: str, actor: str | None, action: str, subject: str | None, detail: str
) -> str:
    content = json.dumps([prev_hash, row_id, at, actor, action, subject, detail], ensure_ascii=False)
    return hmac.new(key, content.encode("utf-8"), hashlib.sha256).hexdigest()


def append(
    store: Store,
    key: bytes,
    at: datetime,
    actor: str | None,
    action: str,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Add a row to the chain. Must run inside the transaction of the change it records."""
    if not store.conn.in_transaction:
        raise RuntimeError("audit.append outside a transaction: the row must commit with its change")
    head = store.conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    seq = store.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
    row_id = max(head[0] if head else 0, seq[0] if seq else 0) + 1
    prev_hash = head[1] if head else GENESIS
    at_text = clocks.to_text(at)
    detail_text = _canonical(detail)
    digest = seal(key, prev_hash, row_id, at_text, actor, action, subject, detail_text)
    store.conn.execute(
        "INSERT INTO audit (id, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row_id, at_text, actor, action, subject, detail_text, prev_hash, digest),
    )
    return row_id


class AuditWriter:
    """Appends rows to one casebook's trail: its store, the key derived for the trail, its clock.

    What a change needs to record itself, without the whole casebook: sign-in
    and the policy's first version write through one before any Session exists.
    """

    def __init__(self, store: Store, key: bytes, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._key = key

    def append(
        self, actor: str | None, action: str, subject: str | None = None, detail: dict[str, Any] | None = None
    ) -> int:
        """Add a row at the clock's time. Must run inside the transaction of the change it records."""
        return append(self.store, self._key, self.clock.now(), actor, action, subject, detail)


def _to_row(raw: tuple[Any, ...]) -> AuditRow:
    row_id, at, actor, action, subject, detail, prev_hash, digest = raw
    try:
        parsed = json.loads(detail)
    except ValueError:
        parsed = {"unparsed": detail}
    return AuditRow(
        id=row_id,
        at=clocks.from_text(at),
        actor=actor,
        action=action,
        subject=subject,
        detail=parsed if isinstance(parsed, dict) else {"value": parsed},
        prev_hash=prev_hash,
        hash=digest,
    )


_COLUMNS = "id, at, actor, action, subject, detail, prev_hash, hash"


def rows(store: Store, limit: int = 50, offset: int = 0, newest_first: bool = True) -> list[AuditRow]:
    order = "DESC" if newest_first else "ASC"
    with store._lock:
        raw = store.conn.execute(
            f"SELECT {_COLUMNS} FROM audit ORDER BY id {order} LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
    return [_to_row(r) for r in raw]


def count(store: Store) -> int:
    with store._lock:
        return store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]


def _all_raw(store: Store) -> Iterator[tuple[Any, ...]]:
    with store._lock:
        yield from store.conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY id")


def first_row_sealed_by(conn: sqlite3.Connection, key: bytes) -> bool | None:
    """Whether the chain's first row carries this key's seal (None: no row yet). Reads only."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY id LIMIT 1").fetchone()
    if row is None:
        return None
    row_id, at, actor, action, subject, detail, prev_hash, digest = row
    return hmac.compare_digest(seal(key, prev_hash, row_id, at, actor, action, subject, detail), digest)


def verify(store: Store, key: bytes) -> AuditVerdict:
    """Walk the chain from the start; report the first row that does not fit."""
    expected_prev = GENESIS
    expected_id = 1
    checked = 0
    for row_id, at, actor, action, subject, detail, prev_hash, digest in _all_raw(store):
        if row_id != expected_id:
            return AuditVerdict(ok=False, rows=checked, bad_row=expected_id, reason="missing")
        if prev_hash != expected_prev:
            return AuditVerdict(ok=False, rows=checked, bad_row=row_id, reason="broken_link")
        if not hmac.compare_digest(seal(key, prev_hash, row_id, at, actor, action, subject, detail), digest):
            return AuditVerdict(ok=False, rows=checked, bad_row=row_id, reason="changed")
        expected_prev = digest
        expected_id += 1
        checked += 1
    with store._lock:
        seq = store.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
    if seq and seq[0] >= expected_id:
        return AuditVerdict(ok=False, rows=checked, bad_row=expected_id, reason="truncated")
    return AuditVerdict(ok=True, rows=checked)
