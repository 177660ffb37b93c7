"""The rollup tables, both ways: what the import folds into them, and the global figures the overview reads.

Read: what was visited, when and for how long, by how many, without a link to
anyone. Everything is a sum, a count or a distinct count over the rollups
(day-level for periods, hour-level for the activity chart); no function
returns a pseudonym, an address or a name, and a test scans every output for
them. Periods are whole local (Brussels) days.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook.errors import Refused
from casebook.permissions import Action

if TYPE_CHECKING:
    from casebook.session import Session

PERIODS = ("today", "week", "month", "custom")
# Visit-duration buckets (rollup_durations.bucket), by lower bound in seconds: under 10 s, 10-30 s, 30 s-1 min,
# 1-2, 2-5, 5-10, 10-15, 15-30, 30-60 min, 1-2 h, 2 h+.
BOUNDS: tuple[int, ...] = (0, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
# What the overview shows: the buckets folded into five.
DURATION_BUCKETS = ((0, 60), (60, 300), (300, 900), (900, 3600), (3600, None))  # seconds
ORDERS = ("requests", "bytes", "visits", "seconds")


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


def _figures(row: dict[str, Any] | None, users: int) -> Figures:
    row = row or {}
    return Figures(int(row.get("requests") or 0), int(row.get("bytes") or 0), int(row.get("visits") or 0),
                   float(row.get("seconds") or 0.0), users)


def _scope(domain: str | None, category: str | None) -> tuple[str, list[object]]:
    """A WHERE fragment on `d` (domains) for one domain, one category ('' = none), or everything."""
    if domain is not None:
        return "AND d.domain = ?", [domain]
    if category is not None:
        return ("AND d.category IS NULL", []) if category == "" else ("AND d.category = ?", [category])
    return "", []


def totals(session: Session, span: Period) -> Figures:
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.days
    row = store.query_one(
        "SELECT sum(requests) AS requests, sum(bytes) AS bytes, sum(visits) AS visits, sum(seconds) AS seconds "
        "FROM rollup_daily WHERE day BETWEEN ? AND ?", [first, last])
    users = store.query_one(
        "SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_category_users WHERE day BETWEEN ? AND ?",
        [first, last])
    return _figures(row, int(users["n"]) if users else 0)


def domains(session: Session, span: Period, *, limit: int = 20, offset: int = 0, order: str = "requests",
            category: str | None = None) -> list[Row]:
    """Domains, most `order` first, a page at a time; users and medians for that page only."""
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.days
    where, params = _scope(None, category)
    column = order if order in ORDERS else "requests"
    rows = store.query(
        f"""SELECT d.id, d.domain, d.category, r.requests, r.bytes, r.visits, r.seconds
            FROM (SELECT domain_id, sum(requests) AS requests, sum(bytes) AS bytes, sum(visits) AS visits,
                         sum(seconds) AS seconds
                  FROM rollup_daily WHERE day BETWEEN ? AND ? GROUP BY domain_id) r
            JOIN domains d ON d.id = r.domain_id
            WHERE 1 {where}
            ORDER BY r.{column} DESC, d.domain LIMIT ? OFFSET ?""", [first, last, *params, limit, offset])
    out = []
    for r in rows:
        domain_id = int(r["id"])
        users = store.query_one(
            "SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_daily_users WHERE domain_id = ? "
            "AND day BETWEEN ? AND ?", [domain_id, first, last])
        out.append(Row(int(r["requests"]), int(r["bytes"]), int(r["visits"]), float(r["seconds"]),
                       int(users["n"]) if users else 0, str(r["domain"]), r["category"],
                       median(_duration_counts(store, span, "AND d.id = ?", [domain_id]))))
    return out


def domain_count(session: Session, span: Period) -> int:
    session.require(Action.MODE_LOGS)
    first, last = span.days
    row = session.casebook.store.query_one(
        "SELECT count(DISTINCT domain_id) AS n FROM rollup_daily WHERE day BETWEEN ? AND ?", [first, last])
    return int(row["n"]) if row else 0


def categories(session: Session, span: Period) -> list[Row]:
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.days
    rows = store.query(
        """SELECT coalesce(d.category, '') AS category, sum(r.requests) AS requests, sum(r.bytes) AS bytes,
                  sum(r.visits) AS visits, sum(r.seconds) AS seconds
           FROM rollup_daily r JOIN domains d ON d.id = r.domain_id
           WHERE r.day BETWEEN ? AND ? GROUP BY 1 ORDER BY requests DESC""", [first, last])
    users = {
        str(r["category"]): int(r["n"])
        for r in store.query(
            "SELECT category, count(DISTINCT pseudonym_id) AS n FROM rollup_category_users "
            "WHERE day BETWEEN ? AND ? GROUP BY category", [first, last])
    }
    return [Row(int(r["requests"]), int(r["bytes"]), int(r["visits"]), float(r["seconds"]),
                users.get(str(r["category"]), 0), str(r["category"]), str(r["category"]) or None) for r in rows]


def hours_of_day(session: Session, span: Period, *, domain: str | None = None,
                 category: str | None = None) -> list[Figures]:
    """24 figures, one per local hour of the day (0-23), summed over the period's days.

    `users` here counts presences (a person in two hours counts twice): the
    chart shows when, not how many different people.
    """
    session.require(Action.MODE_LOGS)
    store = session.casebook.store
    first, last = span.hours
    if domain is None and category is None:
        rows = store.query("SELECT hour, requests, bytes, visits, seconds, 0 AS users FROM rollup_hours "
                           "WHERE hour >= ? AND hour < ?", [first, last])
    else:
        where, params = _scope(domain, category)
        rows = store.query(
            f"""SELECT r.hour, sum(r.requests) AS requests, sum(r.bytes) AS bytes, sum(r.visits) AS visits,
                       sum(r.seconds) AS seconds, sum(r.users) AS users
                FROM rollup_hourly r WHERE r.domain_id IN (SELECT d.id FROM domains d WHERE 1 {where})
                AND r.hour >= ? AND r.hour < ? GROUP BY r.hour""", [*params, first, last])
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
        sql = (f"SELECT r.bucket, sum(r.visits) AS n FROM rollup_durations r JOIN domains d ON d.id = r.domain_id "
               f"WHERE r.day BETWEEN ? AND ? {where} GROUP BY r.bucket")
    else:
        sql = "SELECT bucket, sum(visits) AS n FROM rollup_durations WHERE day BETWEEN ? AND ? GROUP BY bucket"
    for r in store.query(sql, [first, last, *params]):
        counts[int(r["bucket"])] = int(r["n"])
    return counts


def duration_counts(session: Session, span: Period, *, domain: str | None = None,
                    category: str | None = None) -> list[int]:
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


def durations(session: Session, span: Period, *, domain: str | None = None,
              category: str | None = None) -> list[int]:
    """Visits under 1 min, 1-5 min, 5-15 min, 15-60 min, and over an hour."""
    return durations_grouped(duration_counts(session, span, domain=domain, category=category))


def mail(session: Session, span: Period) -> dict[str, tuple[int, int]]:
    """Messages and bytes per direction: internal, outgoing, incoming, external."""
    session.require(Action.MODE_LOGS)
    rows = session.casebook.store.query(
        "SELECT direction, count(*) AS n, sum(size) AS b FROM mail_events WHERE ts >= ? AND ts < ? GROUP BY direction",
        [span.start, span.end])
    found = {str(r["direction"]): (int(r["n"]), int(r["b"] or 0)) for r in rows}
    return {d: found.get(d, (0, 0)) for d in ("internal", "outgoing", "incoming", "external")}
