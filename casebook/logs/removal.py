"""Undoing an import: its requests, visits and mail events go, and with them their part of every figure and
every irregularity, exactly, as if it had never been made.

An import read with the wrong format, or of the wrong file, would otherwise
count for ever. The rows of one import lie in one range of ids each (one
import, one transaction), so they are found without an index. The figures
are taken back out (`rollups.Removal`); the visits and the open mail messages
this import took over from the one it continues are put back as they were; the irregularities of its days
are found again without it (`rules.recheck`). An import another one continues
cannot go first: the later one read on from where it stopped.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import rules
from casebook.errors import Refused
from casebook.logs import rollups
from casebook.permissions import Action
from casebook.policy import versions as policy_versions

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store


@dataclass(frozen=True)
class Removed:
    import_id: int
    path: str
    events: int
    visits: int
    mails: int
    irregularities_updated: int
    irregularities_removed: int


_IN_RANGE = "id BETWEEN ? AND ? AND import_id = ?"  # an import's rows, found by their id range first


def _delete(conn: sqlite3.Connection, table: str, linked_as: str | None, span: tuple[int, int, int]) -> int:
    """Delete an import's rows of `table` (first id, last id, import id) and, for what irregularities keep as
    evidence (`linked_as`: event, mail), their links; how many rows went."""
    if linked_as is not None:
        conn.execute(
            f"DELETE FROM irregularity_events WHERE kind = ? AND ref_id IN (SELECT id FROM {table} WHERE {_IN_RANGE})",
            (linked_as, *span),
        )
    return int(conn.execute(f"DELETE FROM {table} WHERE {_IN_RANGE}", span).rowcount)


def _range(store: Store, table: str, import_id: int, state: Any, name: str) -> tuple[int, int]:
    """The ids an import's rows of `table` lie between (an import from before ranges were kept: looked up)."""
    if state is not None and state[f"{name}_from"] is not None:
        return int(state[f"{name}_from"]), int(state[f"{name}_to"])
    row = store.conn.execute(f"SELECT min(id), max(id) FROM {table} WHERE import_id = ?", (import_id,)).fetchone()
    return (int(row[0]), int(row[1])) if row[0] is not None else (1, 0)


def _forget_unnamed(store: Store, created: dict[str, list[int]]) -> None:
    """The pseudonyms, hosts, sites and domains an import was the first to see, that nothing names any more.

    A pseudonym is still personal data: one that no request, visit or mail
    names is not kept. Later imports may name them too (the same person, the
    same site): those stay.
    """
    conn = store.conn
    if "pseudonyms" in created:
        first, last = created["pseudonyms"]
        named = set()
        for sql in (
            "SELECT DISTINCT pseudonym_id FROM events WHERE pseudonym_id BETWEEN ? AND ?",
            "SELECT DISTINCT pseudonym_id FROM visits WHERE pseudonym_id BETWEEN ? AND ?",
            "SELECT DISTINCT sender_id FROM mail_events WHERE sender_id BETWEEN ? AND ?",
            "SELECT DISTINCT recipient_id FROM mail_events WHERE recipient_id BETWEEN ? AND ?",
        ):
            named |= {int(r[0]) for r in conn.execute(sql, (first, last))}
        conn.executemany(
            "DELETE FROM pseudonyms WHERE id = ?", [(i,) for i in range(first, last + 1) if i not in named]
        )
    if "hosts" in created:
        first, last = created["hosts"]
        named = {
            int(r[0])
            for r in conn.execute("SELECT DISTINCT host_id FROM events WHERE host_id BETWEEN ? AND ?", (first, last))
        }
        conn.executemany("DELETE FROM hosts WHERE id = ?", [(i,) for i in range(first, last + 1) if i not in named])
    if "sites" in created:
        first, last = created["sites"]
        conn.execute(
            "DELETE FROM sites WHERE id BETWEEN ? AND ? AND id NOT IN (SELECT site_id FROM hosts WHERE site_id IS NOT NULL)"
            " AND id NOT IN (SELECT site_id FROM rollup_daily) AND id NOT IN (SELECT site_id FROM visits"
            " WHERE site_id BETWEEN ? AND ?)",
            (first, last, first, last),
        )
    if "domains" in created:
        first, last = created["domains"]
        conn.execute(
            "DELETE FROM domains WHERE id BETWEEN ? AND ? AND id NOT IN (SELECT domain_id FROM sites)"
            " AND id NOT IN (SELECT domain_id FROM hosts)",
            (first, last),
        )


def reopenable(conn: sqlite3.Connection, ids: list[int]) -> list[int]:
    """Of the visits an import left open, those the import that continues its log may take back.

    A visit is evidence only where no request is behind it (visits a log
    platform aggregated). One a case rests on stays as the case found it,
    closed; the others lose their irregularities' links, which the rules make
    again on their days (the continuing import touches them) to the visit as
    it then closes.
    """
    free = []
    for at in range(0, len(ids), 500):
        chunk = ids[at : at + 500]
        marks = ", ".join("?" * len(chunk))
        cased = {
            int(r[0])
            for r in conn.execute(
                f"SELECT x.ref_id FROM irregularity_events x JOIN case_findings f ON f.irregularity_id = x.irregularity_id"
                f" WHERE x.kind = 'visit' AND x.ref_id IN ({marks})"
                f" UNION SELECT ref_id FROM case_person_events WHERE kind = 'visit' AND ref_id IN ({marks})",
                (*chunk, *chunk),
            )
        }
        free += [i for i in chunk if i not in cased]
    for at in range(0, len(free), 500):
        chunk = free[at : at + 500]
        conn.execute(
            f"DELETE FROM irregularity_events WHERE kind = 'visit' AND ref_id IN ({', '.join('?' * len(chunk))})", chunk
        )
    return free


def _case_rests_on(store: Store, import_id: int, state: Any) -> int | None:
    """The first case whose findings or people rest on a request or mail of this import, if any."""
    for table, kind, name in (
        ("events", "event", "events"),
        ("mail_events", "mail", "mails"),
        ("visits", "visit", "visits"),
    ):
        first, last = _range(store, table, import_id, state, name)
        rows = f"SELECT id FROM {table} WHERE id BETWEEN ? AND ? AND import_id = ?"
        found = store.conn.execute(
            f"SELECT cf.case_id FROM irregularity_events ie JOIN case_findings cf ON cf.irregularity_id = ie.irregularity_id"
            f" WHERE ie.kind = ? AND ie.ref_id IN ({rows})"
            f" UNION ALL SELECT cp.case_id FROM case_person_events cpe JOIN case_people cp ON cp.id = cpe.case_person_id"
            f" WHERE cpe.kind = ? AND cpe.ref_id IN ({rows}) LIMIT 1",
            (kind, first, last, import_id, kind, first, last, import_id),
        ).fetchone()
        if found is not None:
            return int(found[0])
    return None


def remove(session: Session, import_id: int) -> Removed:
    """Remove one import and everything it brought; audited."""
    session.require(Action.REMOVE_IMPORTS)
    book = session.casebook
    store = book.store
    with store.transaction():
        found = store.query_one("SELECT id, path, prefix_of, format FROM imports WHERE id = ?", [import_id])
        if found is None:
            raise Refused("imports.exists", "refused.no_such_import", id=import_id)
        later = store.query_one("SELECT id FROM imports WHERE prefix_of = ? ORDER BY id LIMIT 1", [import_id])
        if later is not None:
            raise Refused("imports.continued", "refused.import_continued", id=import_id, later=later["id"])
        state = store.query_one("SELECT * FROM import_state WHERE import_id = ?", [import_id])
        # What a case found is its evidence (and a closed case's file is kept as it was): not undone.
        if (case_id := _case_rests_on(store, import_id, state)) is not None:
            raise Refused("imports.evidence", "refused.import_in_case", id=import_id, case=case_id)
        days = {int(r[0]) for r in store.conn.execute("SELECT day FROM import_days WHERE import_id = ?", (import_id,))}
        conn = store.conn
        removal = rollups.Removal(conn)
        first, last = _range(store, "events", import_id, state, "events")
        removal.hits(
            (ts, site, size)
            for ts, site, size in conn.execute(
                "SELECT e.ts, h.site_id, e.bytes FROM events e JOIN hosts h ON h.id = e.host_id "
                "WHERE e.id BETWEEN ? AND ? AND e.import_id = ?",
                (first, last, import_id),
            )
        )
        events = _delete(conn, "events", "event", (first, last, import_id))
        first, last = _range(store, "visits", import_id, state, "visits")
        # Visits a log platform aggregated carry their requests and bytes: those go with them.
        aggregated = found["format"] == rollups.AGGREGATED
        removal.visits(
            (
                tuple(r)  # type: ignore[misc]
                for r in conn.execute(
                    "SELECT import_id, pseudonym_id, site_id, start, end, requests, bytes FROM visits "
                    "WHERE id BETWEEN ? AND ? AND import_id = ?",
                    (first, last, import_id),
                )
            ),
            with_requests=aggregated,
        )
        visits = _delete(conn, "visits", "visit", (first, last, import_id))
        first, last = _range(store, "mail_events", import_id, state, "mails")
        mails = _delete(conn, "mail_events", "mail", (first, last, import_id))
        removal.finish()
        days |= removal.touched
        # The visits it took over from the import before it, put back as that one left them.
        taken = json.loads(state["taken"]) if state is not None else []
        if taken:
            previous = int(found["prefix_of"])
            restored = [(previous, *row[1:]) for row in taken]
            tally = rollups.Tally(conn)
            tally.requests_from_visits = aggregated
            tally.visits(restored)  # type: ignore[arg-type]
            tally.write(None)
            conn.executemany(
                "INSERT INTO visits (id, import_id, pseudonym_id, site_id, start, end, requests, bytes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(row[0], *restored_row) for row, restored_row in zip(taken, restored, strict=True)],
            )
        # The open mail rows it took over, likewise (their messages went on in it).
        taken_mails = json.loads(state["taken_mails"]) if state is not None else []
        if taken_mails:
            conn.executemany(
                "INSERT INTO mail_events (id, import_id, ts, sender_id, recipient_id, size, status, direction, kind)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [tuple(row) for row in taken_mails],
            )
            days |= {rollups.local_day(int(float(row[2]) // 3600)) for row in taken_mails}
        conn.execute("DELETE FROM imports WHERE id = ?", (import_id,))
        if state is not None:
            _forget_unnamed(store, json.loads(state["created"]))
        changes = rules.recheck(
            store,
            policy_versions.current(book).settings,
            days,
            session.user.name,
            clocks.to_text(session.now()),
        )
        session.audit(
            "logs.import_removed",
            str(found["path"]),
            {
                "import": import_id,
                "events": events,
                "visits": visits,
                "mails": mails,
                "irregularities_updated": changes.updated,
                "irregularities_removed": changes.removed,
            },
        )
    return Removed(import_id, str(found["path"]), events, visits, mails, changes.updated, changes.removed)
