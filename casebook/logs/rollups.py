"""The rollup tables, both ways: what the import folds into them, and the global figures the overview reads.

Written: `Tally` folds one import's requests and closed visits in memory and
writes them out hour by hour (rollup_hourly and rollup_users, then the
day-level rollup_daily, rollup_daily_users, rollup_category_users,
rollup_durations and rollup_hours), always adding to what is there.

Read: what was visited, when and for how long, by how many, without a link to
anyone. Everything is a sum, a count or a distinct count over the rollups
(day-level for periods, hour-level for the activity chart); no function
returns a pseudonym, an address or a name, and a test scans every output for
them. Periods are whole local (Brussels) days.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.errors import Refused
from casebook.logs.visits import VisitRow
from casebook.permissions import Action

if TYPE_CHECKING:
    from casebook.session import Session

PERIODS = ("today", "week", "month", "custom")
# Visit-duration buckets (rollup_durations.bucket), by lower bound in seconds: under 10 s, 10-30 s, 30 s-1 min,
# 1-2, 2-5, 5-10, 10-15, 15-30, 30-60 min, 1-2 h, 2 h+.
BOUNDS: tuple[int, ...] = (0, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
# What the overview shows: the buckets folded into five.
DURATION_BUCKETS = ((0, 60), (60, 300), (300, 900), (900, 3600), (3600, None))  # seconds
# The figures domains can be sorted by, most first: the overview's `o` key steps through them in this order.
ORDERS = ("requests", "bytes", "visits", "seconds", "users")


def bucket(seconds: float) -> int:
    return bisect_right(BOUNDS, seconds) - 1 if seconds >= 0 else 0


def median(counts: list[int]) -> float | None:
    """The median duration from bucket counts: the middle visit's bucket, interpolated within it."""
    total = sum(counts)
    if total == 0:
        return None
    middle = total / 2
    seen = 0
    for index, count in enumerate(counts):
        if count and seen + count >= middle:
            low = BOUNDS[index]
            high = BOUNDS[index + 1] if index + 1 < len(BOUNDS) else BOUNDS[index] * 2
            return low + (high - low) * (middle - seen) / count
        seen += count
    return float(BOUNDS[-1])


# -- at import: folding in memory, writing out -------------------------------------------


class Tally:
    """The figures of one import, folded in memory per hour and domain and written out an hour at a time.

    Per hour and domain: requests, bytes, visits, seconds and who was there;
    from those, at each write, the day-level tables the overview reads. A visit
    counts in the hour and on the day it started.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # (hour, domain id) -> [requests, bytes, visits, seconds, {pseudonym ids}]
        self.cells: dict[tuple[int, int], list[Any]] = {}
        # (local day, domain id, duration bucket) -> visits
        self.spans: Counter[tuple[int, int, int]] = Counter()
        self.days: dict[int, int] = {}
        self.category_of: dict[int, str] = {i: c or "" for i, c in conn.execute("SELECT id, category FROM domains")}

    def domain(self, did: int, category: str | None) -> None:
        """A domain the import added: its people count in its category."""
        self.category_of[did] = category or ""

    def hit(self, ts: float, did: int, pid: int, size: int) -> None:
        hour = int(ts // 3600)
        cell = self.cells.get((hour, did))
        if cell is None:
            cell = self.cells[(hour, did)] = [0, 0, 0, 0.0, set()]
        cell[0] += 1
        cell[1] += size
        cell[4].add(pid)

    def visits(self, rows: list[VisitRow]) -> None:
        """Closed visits, in the order they closed (seconds add up the same way each time)."""
        cells, spans, day_of = self.cells, self.spans, self.day_of
        for _, _, did, start, end, _, _ in rows:
            hour = int(start // 3600)
            cell = cells.get((hour, did))
            if cell is None:
                cell = cells[(hour, did)] = [0, 0, 0, 0.0, set()]
            cell[2] += 1
            cell[3] += end - start
            spans[(day_of(hour), did, bucket(end - start))] += 1

    def day_of(self, hour: int) -> int:
        """The local (Brussels) day of an epoch hour, as a date ordinal; local midnights fall on whole hours."""
        day = self.days.get(hour)
        if day is None:
            day = self.days[hour] = datetime.fromtimestamp(hour * 3600, clocks.LOCAL_ZONE).date().toordinal()
        return day

    def write(self, before_hour: int | None) -> None:
        """Write the figures of the hours before `before_hour` (all when None) and forget them.

        Every write adds to what is there (or keeps a set), so an hour written
        early and again later, when a late visit closes, still adds up; memory
        then holds only the hours still being read.
        """
        if before_hour is None:
            cells, self.cells = self.cells, {}
        else:
            done = [key for key in self.cells if key[0] < before_hour]
            cells = {key: self.cells.pop(key) for key in done}
        spans, self.spans = self.spans, Counter()
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_users (hour, domain_id, pseudonym_id) VALUES (?, ?, ?)",
            ((hour, did, pid) for (hour, did), cell in cells.items() for pid in cell[4]),
        )
        # A new hour and domain counts its own people; one already there is counted again, exactly.
        self.conn.executemany(
            "INSERT INTO rollup_hourly (hour, domain_id, requests, bytes, visits, seconds, users) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hour, domain_id) DO UPDATE SET "
            "requests = requests + excluded.requests, bytes = bytes + excluded.bytes, "
            "visits = visits + excluded.visits, seconds = seconds + excluded.seconds, "
            "users = (SELECT count(*) FROM rollup_users u WHERE u.hour = excluded.hour "
            "AND u.domain_id = excluded.domain_id)",
            [(h, d, int(c[0]), int(c[1]), int(c[2]), c[3], len(c[4])) for (h, d), c in cells.items()],
        )
        self._daily(cells, spans)

    def _daily(self, cells: dict[tuple[int, int], list[Any]], spans: Counter[tuple[int, int, int]]) -> None:
        """Fold hourly cells into the day-level tables the overview reads."""
        daily: dict[tuple[int, int], list[float]] = {}
        hours: dict[int, list[float]] = {}
        users: set[tuple[int, int, int]] = set()
        category_users: set[tuple[int, str, int]] = set()
        for (hour, did), (requests, size, visits, seconds, people) in cells.items():
            day = self.day_of(hour)
            for table, key in ((daily, (day, did)), (hours, hour)):
                cell = table.setdefault(key, [0, 0, 0, 0.0])  # type: ignore[attr-defined]
                cell[0] += requests
                cell[1] += size
                cell[2] += visits
                cell[3] += seconds
            category = self.category_of.get(did, "")
            for pid in people:
                users.add((did, day, pid))
                category_users.add((day, category, pid))
        self.conn.executemany(
            "INSERT INTO rollup_daily (day, domain_id, requests, bytes, visits, seconds) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (day, domain_id) DO UPDATE SET requests = requests + excluded.requests, "
            "bytes = bytes + excluded.bytes, visits = visits + excluded.visits, seconds = seconds + excluded.seconds",
            [(day, did, int(c[0]), int(c[1]), int(c[2]), c[3]) for (day, did), c in daily.items()],
        )
        self.conn.executemany(
            "INSERT INTO rollup_hours (hour, requests, bytes, visits, seconds) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (hour) DO UPDATE SET requests = requests + excluded.requests, "
            "bytes = bytes + excluded.bytes, visits = visits + excluded.visits, seconds = seconds + excluded.seconds",
            [(hour, int(c[0]), int(c[1]), int(c[2]), c[3]) for hour, c in hours.items()],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_daily_users (domain_id, day, pseudonym_id) VALUES (?, ?, ?)", users
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_category_users (day, category, pseudonym_id) VALUES (?, ?, ?)", category_users
        )
        self.conn.executemany(
            "INSERT INTO rollup_durations (domain_id, day, bucket, visits) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (domain_id, day, bucket) DO UPDATE SET visits = visits + excluded.visits",
            [(did, day, bucket, n) for (day, did, bucket), n in spans.items()],
        )


# -- read: the overview's figures ----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date  # inclusive

    @property
    def start(self) -> float:
        return datetime.combine(self.first_day, time(), clocks.LOCAL_ZONE).timestamp()

    @property
    def end(self) -> float:
        return datetime.combine(self.last_day + timedelta(days=1), time(), clocks.LOCAL_ZONE).timestamp()

    @property
    def hours(self) -> tuple[int, int]:
        """[first, last) epoch hours; local midnights fall on whole UTC hours in Belgium."""
        return int(self.start // 3600), int(self.end // 3600)

    @property
    def days(self) -> tuple[int, int]:
        """[first, last] day ordinals, as the day-level rollups store them."""
        return self.first_day.toordinal(), self.last_day.toordinal()


def period(kind: str, today: date, first: date | None = None, last: date | None = None) -> Period:
    if kind == "today":
        return Period(today, today)
    if kind == "week":
        return Period(today - timedelta(days=6), today)
    if kind == "month":
        return Period(today - timedelta(days=29), today)
    if first is None or last is None or last < first:
        raise Refused("stats.period", "refused.stats_period")
    return Period(first, last)


@dataclass(frozen=True)
class Figures:
    requests: int
    bytes: int
    visits: int
    seconds: float
    users: int


@dataclass(frozen=True)
class Row(Figures):
    name: str  # a domain or a category ("" for uncategorised)
    category: str | None = None
    median_seconds: float | None = None


def _figures(row: dict[str, Any] | None, users: int) -> Figures:
    row = row or {}
    return Figures(
        int(row.get("requests") or 0),
        int(row.get("bytes") or 0),
        int(row.get("visits") or 0),
        float(row.get("seconds") or 0.0),
        users,
    )


def _scope(domain: str | None, category: str | None) -> tuple[str, list[object]]:
    """A WHERE fragment on `d` (domains) for one domain, one category ('' = none), or everything."""
    if domain is not None:
        return "AND d.domain = ?", [domain]
    if category is not None:
        return ("AND d.category IS NULL", []) if category == "" else ("AND d.category = ?", [category])
    return "", []


def data_days(session: Session) -> tuple[date, date] | None:
    """The first and the last local day with figures; None while nothing is imported."""
    session.require(Action.MODE_LOGS)
    row = session.casebook.store.query_one("SELECT min(day) AS first, max(day) AS last FROM rollup_daily")
    if row is None or row["first"] is None:
        return None
    return date.fromordinal(int(row["first"])), date.fromordinal(int(row["last"]))


def totals(session: Session, span: Period) -> Figures:
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.days
    row = store.query_one(
        "SELECT sum(requests) AS requests, sum(bytes) AS bytes, sum(visits) AS visits, sum(seconds) AS seconds "
        "FROM rollup_daily WHERE day BETWEEN ? AND ?",
        [first, last],
    )
    users = store.query_one(
        "SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_category_users WHERE day BETWEEN ? AND ?", [first, last]
    )
    return _figures(row, int(users["n"]) if users else 0)


def domains(
    session: Session,
    span: Period,
    *,
    limit: int = 20,
    offset: int = 0,
    order: str = "requests",
    category: str | None = None,
) -> list[Row]:
    """Domains, most `order` (one of ORDERS) first, a page at a time; users and medians for that page only.

    Sorted by users, every domain of the period is counted to find its place:
    one range of rollup_daily_users' key (domain, day) each, so a month costs
    what a month holds, not what the casebook holds.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}: one of {', '.join(ORDERS)}")
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.days
    where, params = _scope(None, category)
    by_users = order == "users"
    users_column = (
        (
            ", (SELECT count(DISTINCT u.pseudonym_id) FROM rollup_daily_users u"
            " WHERE u.domain_id = r.domain_id AND u.day BETWEEN ? AND ?) AS users"
        )
        if by_users
        else ""
    )
    rows = store.query(
        f"""SELECT d.id, d.domain, d.category, r.requests, r.bytes, r.visits, r.seconds {users_column}
            FROM (SELECT domain_id, sum(requests) AS requests, sum(bytes) AS bytes, sum(visits) AS visits,
                         sum(seconds) AS seconds
                  FROM rollup_daily WHERE day BETWEEN ? AND ? GROUP BY domain_id) r
            JOIN domains d ON d.id = r.domain_id
            WHERE 1 {where}
            ORDER BY {order if by_users else "r." + order} DESC, d.domain LIMIT ? OFFSET ?""",
        [*([first, last] if by_users else []), first, last, *params, limit, offset],
    )
    out = []
    for r in rows:
        domain_id = int(r["id"])
        if by_users:
            users = int(r["users"])
        else:
            found = store.query_one(
                "SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_daily_users WHERE domain_id = ? "
                "AND day BETWEEN ? AND ?",
                [domain_id, first, last],
            )
            users = int(found["n"]) if found else 0
        out.append(
            Row(
                int(r["requests"]),
                int(r["bytes"]),
                int(r["visits"]),
                float(r["seconds"]),
                users,
                str(r["domain"]),
                r["category"],
                median(_duration_counts(store, span, "AND d.id = ?", [domain_id])),
            )
        )
    return out


def domain_count(session: Session, span: Period) -> int:
    session.require(Action.MODE_LOGS)
    first, last = span.days
    row = session.casebook.store.query_one(
        "SELECT count(DISTINCT domain_id) AS n FROM rollup_daily WHERE day BETWEEN ? AND ?", [first, last]
    )
    return int(row["n"]) if row else 0


def categories(session: Session, span: Period) -> list[Row]:
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.days
    rows = store.query(
        """SELECT coalesce(d.category, '') AS category, sum(r.requests) AS requests, sum(r.bytes) AS bytes,
                  sum(r.visits) AS visits, sum(r.seconds) AS seconds
           FROM rollup_daily r JOIN domains d ON d.id = r.domain_id
           WHERE r.day BETWEEN ? AND ? GROUP BY 1 ORDER BY requests DESC""",
        [first, last],
    )
    users = {
        str(r["category"]): int(r["n"])
        for r in store.query(
            "SELECT category, count(DISTINCT pseudonym_id) AS n FROM rollup_category_users "
            "WHERE day BETWEEN ? AND ? GROUP BY category",
            [first, last],
        )
    }
    return [
        Row(
            int(r["requests"]),
            int(r["bytes"]),
            int(r["visits"]),
            float(r["seconds"]),
            users.get(str(r["category"]), 0),
            str(r["category"]),
            str(r["category"]) or None,
        )
        for r in rows
    ]


def hours_of_day(
    session: Session, span: Period, *, domain: str | None = None, category: str | None = None
) -> list[Figures]:
    """24 figures, one per local hour of the day (0-23), summed over the period's days.

    `users` here counts presences (a person in two hours counts twice): the
    chart shows when, not how many different people.
    """
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.hours
    if domain is None and category is None:
        rows = store.query(
            "SELECT hour, requests, bytes, visits, seconds, 0 AS users FROM rollup_hours WHERE hour >= ? AND hour < ?",
            [first, last],
        )
    else:
        where, params = _scope(domain, category)
        rows = store.query(
            f"""SELECT r.hour, sum(r.requests) AS requests, sum(r.bytes) AS bytes, sum(r.visits) AS visits,
                       sum(r.seconds) AS seconds, sum(r.users) AS users
                FROM rollup_hourly r WHERE r.domain_id IN (SELECT d.id FROM domains d WHERE 1 {where})
                AND r.hour >= ? AND r.hour < ? GROUP BY r.hour""",
            [*params, first, last],
        )
    sums = [[0, 0, 0, 0.0, 0] for _ in range(24)]
    for r in rows:
        cell = sums[datetime.fromtimestamp(int(r["hour"]) * 3600, clocks.LOCAL_ZONE).hour]
        cell[0] += int(r["requests"])
        cell[1] += int(r["bytes"])
        cell[2] += int(r["visits"])
        cell[3] += float(r["seconds"])
        cell[4] += int(r["users"])
    return [Figures(int(c[0]), int(c[1]), int(c[2]), float(c[3]), int(c[4])) for c in sums]


def _duration_counts(store: Any, span: Period, where: str, params: list[object]) -> list[int]:
    first, last = span.days
    counts = [0] * len(BOUNDS)
    if where:
        sql = (
            f"SELECT r.bucket, sum(r.visits) AS n FROM rollup_durations r JOIN domains d ON d.id = r.domain_id "
            f"WHERE r.day BETWEEN ? AND ? {where} GROUP BY r.bucket"
        )
    else:
        sql = "SELECT bucket, sum(visits) AS n FROM rollup_durations WHERE day BETWEEN ? AND ? GROUP BY bucket"
    for r in store.query(sql, [first, last, *params]):
        counts[int(r["bucket"])] = int(r["n"])
    return counts


def duration_counts(
    session: Session, span: Period, *, domain: str | None = None, category: str | None = None
) -> list[int]:
    """How many visits lasted how long: one count per bucket of BOUNDS."""
    session.require(Action.MODE_LOGS)
    where, params = _scope(domain, category)
    return _duration_counts(session.casebook.store, span, where, params)


def durations_grouped(counts: list[int]) -> list[int]:
    """The eleven buckets folded into the five of DURATION_BUCKETS (under 1 min, 1-5, 5-15, 15-60, over 1 h)."""
    edges = [high for _, high in DURATION_BUCKETS]
    grouped = [0] * len(DURATION_BUCKETS)
    for index, count in enumerate(counts):
        low = BOUNDS[index]
        grouped[next(i for i, high in enumerate(edges) if high is None or low < high)] += count
    return grouped


def durations(session: Session, span: Period, *, domain: str | None = None, category: str | None = None) -> list[int]:
    """Visits under 1 min, 1-5 min, 5-15 min, 15-60 min, and over an hour."""
    return durations_grouped(duration_counts(session, span, domain=domain, category=category))


def mail(session: Session, span: Period) -> dict[str, tuple[int, int]]:
    """Messages and bytes per direction: internal, outgoing, incoming, external."""
    session.require(Action.MODE_LOGS)
    rows = session.casebook.store.query(
        "SELECT direction, count(*) AS n, sum(size) AS b FROM mail_events WHERE ts >= ? AND ts < ? GROUP BY direction",
        [span.start, span.end],
    )
    found = {str(r["direction"]): (int(r["n"]), int(r["b"] or 0)) for r in rows}
    return {d: found.get(d, (0, 0)) for d in ("internal", "outgoing", "incoming", "external")}
