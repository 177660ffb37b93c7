"""The audit trail: an append-only chain of rows, each sealed over its predecessor.

Rows name people by reference, never by name or address: an employee is `employee:<id>`, a
case `case:<id>` (see `reference`). Purging the referenced rows erases the person while the
sealed chain stays verifiable; whoever reads the trail sees references, and only an
administrator resolves them (`resolve_references`), where they need to.

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
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.clock import Clock
from casebook.permissions import Action
from casebook.store import Store
from schema.models import AuditRow, AuditVerdict

if TYPE_CHECKING:
    from casebook.session import Session

_REFERENCE = re.compile(r"\b(employee|case):(\d+)\b")


def reference(kind: str, row_id: int | None) -> str:
    """How a row of the trail names a person or a case: `employee:12`, `case:3`."""
    return f"{kind}:{row_id}"


def resolve_references(session: Session, rows: list[AuditRow]) -> dict[str, str]:
    """What the references in `rows` stand for (employee:12 -> 'Jan Peeters <jan@...>'), for an administrator.

    A reference whose row was purged resolves to nothing: the person is gone from the casebook.
    """
    session.require(Action.MANAGE_EMPLOYEES)
    wanted: dict[str, set[int]] = {}
    for row in rows:
        texts = [row.subject or "", json.dumps(row.detail, ensure_ascii=False)]
        for kind, number in (m.groups() for text in texts for m in _REFERENCE.finditer(text)):
            wanted.setdefault(kind, set()).add(int(number))
    names: dict[str, str] = {}
    store = session.casebook.store
    if ids := sorted(wanted.get("employee", ())):
        marks = ", ".join("?" * len(ids))
        for r in store.query(f"SELECT id, name, email FROM employees WHERE id IN ({marks})", ids):
            names[reference("employee", int(r["id"]))] = f"{r['name']} <{r['email']}>"
    return names


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
    With an anchor file, every committed row moves the anchor (see `write_anchor`).
    """

    def __init__(self, store: Store, key: bytes, clock: Clock, anchor: Path | None = None) -> None:
        self.store = store
        self.clock = clock
        self._key = key
        self._anchor = anchor

    def append(
        self, actor: str | None, action: str, subject: str | None = None, detail: dict[str, Any] | None = None
    ) -> int:
        """Add a row at the clock's time. Must run inside the transaction of the change it records."""
        row_id = append(self.store, self._key, self.clock.now(), actor, action, subject, detail)
        if self._anchor is not None:
            digest = self.store.conn.execute("SELECT hash FROM audit WHERE id = ?", (row_id,)).fetchone()[0]
            anchor, key = self._anchor, self._key
            self.store.after_commit("audit.anchor", lambda: write_anchor(anchor, key, row_id, digest))
        return row_id


# -- the anchor: the chain's head kept outside the table it seals ----------------------------------------------
#
# Each row seals its predecessor, so an edited, removed or reordered row shows; but the last rows could
# be removed together with the table's own record of the highest id, and the chain would still look
# whole. The anchor file beside the database names the newest committed row and its hash, sealed with
# the trail's key: removing rows from the tail then shows (the anchor names a row that is not there).
# It cannot tell a genuine older anchor put back together with a table cut to match it; that needs a copy
# kept elsewhere (a backup, an export).


def _anchor_seal(key: bytes, row_id: int, digest: str) -> str:
    return hmac.new(key, f"anchor:{row_id}:{digest}".encode(), hashlib.sha256).hexdigest()


def read_anchor(path: Path, key: bytes) -> tuple[int, str] | None | bool:
    """(row id, hash) of a sound anchor; None when there is none; False when it does not bear the key's seal."""
    try:
        data = json.loads(path.read_text("utf-8"))
        row_id, digest, mark = int(data["id"]), str(data["hash"]), str(data["seal"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not hmac.compare_digest(_anchor_seal(key, row_id, digest), mark):
        return False
    return row_id, digest


def write_anchor(path: Path, key: bytes, row_id: int, digest: str) -> None:
    """Move the anchor to this row, never back (two processes may commit close together)."""
    current = read_anchor(path, key)
    if isinstance(current, tuple) and current[0] >= row_id:
        return
    data = json.dumps({"id": row_id, "hash": digest, "seal": _anchor_seal(key, row_id, digest)})
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)  # the chain itself is committed; verify says the anchor is behind


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


def verify(store: Store, key: bytes, anchor: Path | None = None) -> AuditVerdict:
    """Walk the chain from the start; report the first row that does not fit, then check it against its anchor."""
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
    if anchor is not None:
        found = read_anchor(anchor, key)
        if found is False:
            return AuditVerdict(ok=False, rows=checked, bad_row=None, reason="anchor_forged")
        if isinstance(found, tuple):
            anchor_id, anchor_hash = found
            if anchor_id >= expected_id:
                return AuditVerdict(ok=False, rows=checked, bad_row=expected_id, reason="truncated")
            with store._lock:
                row = store.conn.execute("SELECT hash FROM audit WHERE id = ?", (anchor_id,)).fetchone()
            if row is None or row[0] != anchor_hash:
                return AuditVerdict(ok=False, rows=checked, bad_row=anchor_id, reason="changed")
    return AuditVerdict(ok=True, rows=checked)
