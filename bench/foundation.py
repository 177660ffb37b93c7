"""The foundation's costs: sealing and checking the audit trail, opening a casebook, signing in.

Each figure comes with its baseline, measured in the same run:
- sealing N audit rows vs inserting the same N rows unsealed;
- verifying N rows vs reading and SHA-256-hashing the same rows;
- opening a casebook (checks, key, pragmas) vs a bare sqlite3.connect;
- one sign-in (scrypt at full cost) vs one SHA-256 of the same passphrase, to show the deliberate cost.
"""

from __future__ import annotations

import hashlib
import resource
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from casebook import audit, passwords
from casebook.book import init_casebook, open_casebook

ROWS = 20_000
PASSPHRASE = "benchmark passphrase"


def _best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "casebook"
        book = init_casebook(home, "bench", PASSPHRASE)
        session = book.login("bench", PASSPHRASE)

        def seal_rows() -> None:
            with book.store.transaction():
                for i in range(ROWS):
                    session.audit("bench.row", f"subject-{i}", {"i": i, "note": "x" * 40})

        def plain_rows() -> None:
            with book.store.transaction():
                book.store.conn.execute("CREATE TABLE IF NOT EXISTS plain (at, actor, action, subject, detail)")
                book.store.conn.executemany(
                    "INSERT INTO plain VALUES (?, ?, ?, ?, ?)",
                    (
                        ("2026-11-28T09:00:00+00:00", "bench", "bench.row", f"subject-{i}", f'{{"i":{i}}}')
                        for i in range(ROWS)
                    ),
                )

        seal_seconds = _best_of(1, seal_rows)
        plain_seconds = _best_of(1, plain_rows)
        total_rows = audit.count(book.store)

        def verify() -> None:
            assert book.verify_audit(session).ok

        def hash_rows() -> None:
            for row in book.store.conn.execute("SELECT * FROM audit ORDER BY id"):
                hashlib.sha256(repr(row).encode()).hexdigest()

        verify_seconds = _best_of(3, verify)
        hash_seconds = _best_of(3, hash_rows)
        book.close()

        open_seconds = _best_of(5, lambda: open_casebook(home).close())
        connect_seconds = _best_of(5, lambda: sqlite3.connect(home / "casebook.db").close())

        reopened = open_casebook(home)
        signin_seconds = _best_of(3, lambda: reopened.login("bench", PASSPHRASE))
        reopened.close()
        sha_seconds = _best_of(3, lambda: hashlib.sha256(PASSPHRASE.encode()).digest())

    return {
        "audit_rows": total_rows,
        "audit_seal_rows_per_s": round(ROWS / seal_seconds),
        "audit_seal_vs_plain_insert": round(seal_seconds / plain_seconds, 2),
        "audit_verify_rows_per_s": round(total_rows / verify_seconds),
        "audit_verify_vs_sha256_read": round(verify_seconds / hash_seconds, 2),
        "open_ms": round(open_seconds * 1000, 2),
        "open_vs_sqlite_connect": round(open_seconds / connect_seconds, 1),
        "signin_ms": round(signin_seconds * 1000, 1),
        "signin_scrypt_n": passwords.N,
        "signin_vs_sha256": round(signin_seconds / sha_seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
