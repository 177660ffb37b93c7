"""Retention (policy 2.5, GDPR art. 5(1)(e)): what a control collected is kept for the policy's period, then deleted.

`purge` deletes, from before the cut-off (the start of the local day `retention_days` ago): the
events, mail events and visits, the per-person rollup rows (who was present per hour and day), the
rejected-line samples, the links from irregularities and cases to deleted events, and then every
pseudonym no kept row uses. The global rollups stay: they hold sums and counts, no person. A case's
evidence under a legal hold survives until the hold is released (art. 17(3)(e)).

Deleted rows must not stay readable in the file: the store runs with `secure_delete` on, and a purge
checkpoints the write-ahead log and gives free pages back (VACUUM when the casebook is not busy).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from casebook import audit
from casebook import clock as clocks
from casebook.errors import Refused
from casebook.permissions import Action
from casebook.policy import versions

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store

# Tables whose rows name a pseudonym, with the column(s) that do: a pseudonym none of them uses is deleted.
PSEUDONYM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("events", "pseudonym_id"),
    ("visits", "pseudonym_id"),
    ("mail_events", "sender_id"),
    ("mail_events", "recipient_id"),
    ("rollup_users", "pseudonym_id"),
    ("rollup_hour_users", "pseudonym_id"),
    ("rollup_daily_users", "pseudonym_id"),
    ("rollup_category_users", "pseudonym_id"),
)


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime  # UTC; rows from before it are gone
    counts: dict[str, int]  # rows deleted (or, in a dry run, that would be) per table
    dry_run: bool
    vacuumed: bool

    def as_json(self) -> dict[str, object]:
        return {
            "cutoff": clocks.to_text(self.cutoff),
            "deleted": self.counts,
            "dry_run": self.dry_run,
            "vacuumed": self.vacuumed,
        }


def cutoff_of(session: Session) -> datetime | None:
    """The start of the first local day still kept; None when the policy sets no retention period."""
    days = versions.current(session.casebook).settings.retention_days
    if not days:
        return None
    first_kept = session.today() - timedelta(days=days)
    return clocks.as_utc(datetime.combine(first_kept, time(), clocks.LOCAL_ZONE))


def _held_events(store: Store) -> str:
    """SQL for the event ids a legal hold keeps: the evidence of every case on hold."""
    return """SELECT ref_id FROM case_person_events pe JOIN case_people p ON p.id = pe.case_person_id
              JOIN holds h ON h.case_id = p.case_id AND h.released_at IS NULL WHERE pe.kind = 'event'
              UNION SELECT x.ref_id FROM irregularity_events x JOIN case_findings f ON f.irregularity_id = x.irregularity_id
              JOIN holds h ON h.case_id = f.case_id AND h.released_at IS NULL WHERE x.kind = 'event'"""


def _held_mail(store: Store) -> str:
    return _held_events(store).replace("'event'", "'mail'")


def _held_visits(store: Store) -> str:
    """SQL for the visits a legal hold keeps: the evidence of a case where no request is behind a visit."""
    return _held_events(store).replace("'event'", "'visit'")


def _statements(store: Store, cutoff: datetime) -> list[tuple[str, str, list[object]]]:
    """(table, WHERE, parameters) of everything past the cut-off, held evidence excepted, in a safe order."""
    ts = cutoff.timestamp()
    hour = int(ts // 3600)
    day = clocks.local(cutoff).date().toordinal()
    held_events, held_mail, held_visits = _held_events(store), _held_mail(store), _held_visits(store)
    old_events = f"kind = 'event' AND ref_id IN (SELECT id FROM events WHERE ts < ? AND id NOT IN ({held_events}))"
    old_mail = f"kind = 'mail' AND ref_id IN (SELECT id FROM mail_events WHERE ts < ? AND id NOT IN ({held_mail}))"
    old_visits = f"kind = 'visit' AND ref_id IN (SELECT id FROM visits WHERE end < ? AND id NOT IN ({held_visits}))"
    return [
        ("irregularity_events", old_events, [ts]),
        ("irregularity_events", old_mail, [ts]),
        ("irregularity_events", old_visits, [ts]),
        ("case_person_events", old_events, [ts]),
        ("case_person_events", old_mail, [ts]),
        ("case_person_events", old_visits, [ts]),
        ("events", f"ts < ? AND id NOT IN ({held_events})", [ts]),
        ("mail_events", f"ts < ? AND id NOT IN ({held_mail})", [ts]),
        ("visits", f"end < ? AND id NOT IN ({held_visits})", [ts]),
        ("rollup_users", "hour < ?", [hour]),
        ("rollup_hour_users", "hour < ?", [hour]),
        ("rollup_daily_users", "day < ?", [day]),
        ("rollup_category_users", "day < ?", [day]),
        ("rejects", "import_id IN (SELECT id FROM imports WHERE coalesce(last_ts, 0) < ?)", [ts]),
    ]


def _forget_carried(store: Store, cutoff: datetime) -> None:
    """What imports keep for the import that continues their log, past the period too.

    The open visits and mail rows a later import took over (kept to put back should it be removed) name
    pseudonyms; so do the Postfix messages an import left waiting for their deliveries. Those from before
    the cut-off go like the visits and mail events themselves: a log continued that late starts afresh.
    (A carried message's rows are carried by id: one purged is simply gone for the import that continues.)
    """
    ts = cutoff.timestamp()
    rows = store.conn.execute(
        "SELECT s.import_id, s.carried, s.taken, s.taken_mails, coalesce(i.last_ts, 0) FROM import_state s"
        " JOIN imports i ON i.id = s.import_id"
    ).fetchall()
    for import_id, carried, taken, taken_mails, last_ts in rows:
        kept = [row for row in json.loads(taken) if float(row[4]) >= ts]
        kept_mails = [row for row in json.loads(taken_mails) if float(row[2]) >= ts]
        left = json.loads(carried)
        if float(last_ts) < ts:
            # The messages it left open (their rows, past the period, went with the mail events above).
            left.pop("queued", None)
            left.pop("mail", None)
        store.conn.execute(
            "UPDATE import_state SET carried = ?, taken = ?, taken_mails = ? WHERE import_id = ?",
            (json.dumps(left), json.dumps(kept), json.dumps(kept_mails), import_id),
        )


def _unused_pseudonyms() -> str:
    used = " UNION ".join(
        f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL" for table, column in PSEUDONYM_COLUMNS
    )
    return f"id NOT IN ({used})"


def purge(session: Session, *, dry_run: bool = False) -> PurgeReport:
    """Delete what is past the retention period (IT officer, or the scheduler); audited with its counts."""
    session.require(Action.RUN_PURGE)
    cutoff = cutoff_of(session)
    if cutoff is None:
        raise Refused("retention.period", "refused.retention_unset")
    store = session.casebook.store
    counts: dict[str, int] = {}
    with store.transaction():
        for table, where, params in _statements(store, cutoff):
            if dry_run:
                row = store.conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()
                counts[table] = counts.get(table, 0) + int(row[0])
            else:
                counts[table] = (
                    counts.get(table, 0) + store.conn.execute(f"DELETE FROM {table} WHERE {where}", params).rowcount
                )
        if not dry_run:
            _forget_carried(store, cutoff)
        if dry_run:
            # What would stay unused once the rows above are gone is only known after: counted as now unused.
            row = store.conn.execute(f"SELECT count(*) FROM pseudonyms WHERE {_unused_pseudonyms()}").fetchone()
            counts["pseudonyms"] = int(row[0])
        else:
            counts["pseudonyms"] = store.conn.execute(f"DELETE FROM pseudonyms WHERE {_unused_pseudonyms()}").rowcount
            store.conn.execute(
                "INSERT INTO purges (at, by, cutoff, counts) VALUES (?, ?, ?, ?)",
                (clocks.to_text(session.now()), session.user.name, clocks.to_text(cutoff), json.dumps(counts)),
            )
            session.audit("retention.purged", None, {"cutoff": clocks.to_text(cutoff), "counts": counts})
    vacuumed = False if dry_run else _reclaim(store)
    return PurgeReport(cutoff, counts, dry_run, vacuumed)


def _reclaim(store: Store) -> bool:
    """Deleted rows out of the file: the log written back and emptied, free pages given back.

    A casebook made with incremental vacuum gives its free pages back at once; an older one is vacuumed
    whole once (which switches it to incremental). While another connection is busy that cannot run:
    the rows are still zeroed (secure_delete), and the next purge gives the pages back.
    """
    with store._lock:
        try:
            if store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2:
                store.conn.execute("PRAGMA incremental_vacuum").fetchall()
            else:
                store.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
                store.conn.execute("VACUUM")
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:
            return False
    return True


def last_purge(session: Session) -> date | None:
    session.require(Action.RUN_PURGE)
    row = session.casebook.store.query_one("SELECT max(at) AS at FROM purges")
    return clocks.local(clocks.from_text(str(row["at"]))).date() if row and row["at"] else None


# -- legal holds ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    case_id: int
    reason: str
    placed_by: str
    placed_at: datetime
    released_by: str | None
    released_at: datetime | None

    def age_days(self, today: date) -> int:
        return (today - clocks.local(self.placed_at).date()).days


def add_hold(session: Session, case_id: int, reason: str) -> Hold:
    """Keep a case's evidence past the retention period, with the reason (a dispute, a claim)."""
    session.require(Action.HOLD_MANAGE)
    store = session.casebook.store
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise Refused("hold.reason", "refused.hold_reason")
    with store.transaction():
        if store.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
            raise Refused("case.exists", "refused.case_missing", case=case_id)
        if store.conn.execute("SELECT 1 FROM holds WHERE case_id = ? AND released_at IS NULL", (case_id,)).fetchone():
            raise Refused("hold.once", "refused.hold_twice", case=case_id)
        store.conn.execute(
            "INSERT INTO holds (case_id, reason, placed_by, placed_at) VALUES (?, ?, ?, ?)",
            (case_id, reason, session.user.name, clocks.to_text(session.now())),
        )
        session.audit("hold.placed", audit.reference("case", case_id), {"reason": reason})
    return next(h for h in holds(session) if h.case_id == case_id and h.released_at is None)


def release_hold(session: Session, case_id: int) -> Hold:
    session.require(Action.HOLD_MANAGE)
    store = session.casebook.store
    with store.transaction():
        cursor = store.conn.execute(
            "UPDATE holds SET released_by = ?, released_at = ? WHERE case_id = ? AND released_at IS NULL",
            (session.user.name, clocks.to_text(session.now()), case_id),
        )
        if cursor.rowcount == 0:
            raise Refused("hold.exists", "refused.hold_missing", case=case_id)
        session.audit("hold.released", audit.reference("case", case_id))
    return next(h for h in holds(session, everything=True) if h.case_id == case_id)


def holds(session: Session, *, everything: bool = False) -> list[Hold]:
    """The holds in force (or all of them), oldest first: the list shows their age."""
    session.require(Action.HOLD_VIEW)
    where = "" if everything else "WHERE released_at IS NULL"
    rows = session.casebook.store.query(f"SELECT * FROM holds {where} ORDER BY placed_at, id")
    return [
        Hold(
            int(r["case_id"]),
            str(r["reason"]),
            str(r["placed_by"]),
            clocks.from_text(str(r["placed_at"])),
            r["released_by"],
            clocks.from_text(str(r["released_at"])) if r["released_at"] else None,
        )
        for r in sorted(rows, key=lambda r: (str(r["placed_at"]), int(r["id"])))
    ]
