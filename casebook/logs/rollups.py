"""The rollup tables, both ways: what the import folds into them, and the global figures the overview reads.

Written: `Tally` folds one import's requests and closed visits in memory and
writes them out hour by hour (rollup_hourly and rollup_users, then the
day-level rollup_daily, rollup_daily_users, rollup_category_users,
rollup_hour_users, rollup_durations and rollup_hours), always adding to what
is there. Figures are kept per site: a domain's hosts of one category
(mail.google.com is webmail, www.google.com is not), so that a domain's
figures are the sum of its sites' and a category's the sum of the sites in it.
`Removal` takes requests and visits back out again, exactly (a visit an import
continues, an import removed).

Read: what was visited, when and for how long, by how many, without a link to
anyone. Everything is a sum, a count or a distinct count over the rollups
(day-level for periods, hour-level for the activity chart); no function
returns a pseudonym, an address or a name, and a test scans every output for
them. No figure about fewer people than the policy's `min_group_size` comes
out on its own: such domains and categories are folded into one row, such a
count of people is None, such an hour of the chart is empty. Periods are
whole local (Brussels) days.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import small_groups
from casebook.errors import Refused
from casebook.logs import shares, visitlog
from casebook.logs.visits import VisitRow
from casebook.permissions import Action
from casebook.policy import readiness
from casebook.policy import versions as policy_versions

if TYPE_CHECKING:
    from casebook.session import Session

PERIODS = ("today", "week", "month", "custom")
# The format whose visits carry their own requests (a log platform aggregated them): `Tally.visit_requests`.
AGGREGATED = visitlog.NAME
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


def seconds_of(start: float, end: float) -> float:
    """A visit's duration as the rollups add it: to 1/1024 s, so that sums are exact in any order.

    Figures are added at import and taken back out again (an import that
    continues a visit, a removed import); with binary fractions of a second
    `(a + x) - x == a` holds, and a removed import leaves the figures exactly
    as they were.
    """
    return round((end - start) * 1024) / 1024


def local_day(hour: int) -> int:
    """The local (Brussels) day of an epoch hour, as a date ordinal; local midnights fall on whole hours."""
    return datetime.fromtimestamp(hour * 3600, clocks.LOCAL_ZONE).date().toordinal()


class Tally:
    """The figures of one import, folded in memory per hour and site and written out an hour at a time.

    Per hour and site (a domain's hosts of one category): requests, bytes,
    visits, seconds and who was there; from those, at each write, the
    day-level tables the overview reads. A visit counts in the hour and on the
    day it started. Visits' durations are kept per day and written once the
    day is behind the hours written (and at the end): a row per site and
    bucket and day, not per write.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # (hour, site id) -> [requests, bytes, visits, seconds, {pseudonym ids}]
        self.cells: dict[tuple[int, int], list[Any]] = {}
        # local day -> (site id, duration bucket) -> visits. Kept until the day is behind the hours written (or
        # the end): a day's visits then go out in one row per site and bucket, not one per write and site and
        # bucket (an upsert each, its covering index updated too).
        self.spans: dict[int, Counter[tuple[int, int]]] = {}
        self.days: dict[int, int] = {}
        # site id -> (domain id, category or "")
        self.site_of: dict[int, tuple[int, str]] = {
            i: (d, c or "") for i, d, c in conn.execute("SELECT id, domain_id, category FROM sites")
        }
        # The local days this tally wrote figures for: the days the import touched.
        self.touched: set[int] = set()
        # Set for an import of visits a log platform aggregated: its visits bring their requests, bytes and
        # people with them (`shares`), as no request of theirs is ever read.
        self.requests_from_visits = False

    def site(self, sid: int, did: int, category: str | None) -> None:
        """A site the import added: its people count in its domain and its category."""
        self.site_of[sid] = (did, category or "")

    def hit(self, ts: float, site: int, pid: int, size: int) -> None:
        hour = int(ts // 3600)
        cell = self.cells.get((hour, site))
        if cell is None:
            cell = self.cells[(hour, site)] = [0, 0, 0, 0.0, set()]
        cell[0] += 1
        cell[1] += size
        cell[4].add(pid)

    def visits(self, rows: list[VisitRow]) -> None:
        """Closed visits: each counts once, in the hour and on the day it started."""
        # seconds_of, day_of and bucket inlined: where nearly every request is its own visit, a call per visit shows.
        cells, spans, days = self.cells, self.spans, self.days
        for _, _, site, start, end, _, _ in rows:
            hour = int(start // 3600)
            cell = cells.get((hour, site))
            if cell is None:
                cell = cells[(hour, site)] = [0, 0, 0, 0.0, set()]
            cell[2] += 1
            seconds = end - start
            cell[3] += round(seconds * 1024) / 1024
            day = days.get(hour)
            if day is None:
                day = self.day_of(hour)
            of_day = spans.get(day)
            if of_day is None:
                of_day = spans[day] = Counter()
            of_day[(site, bisect_right(BOUNDS, seconds) - 1 if seconds >= 0 else 0)] += 1
        if self.requests_from_visits:
            self.visit_requests(rows)

    def visit_requests(self, rows: list[VisitRow]) -> None:
        """Aggregated visits' requests and bytes, shared out over their hours, and their people in those hours."""
        cells = self.cells
        for _, pid, site, start, end, requests, size in rows:
            for hour, n, b in shares.by_hour(start, end, requests, size):
                cell = cells.get((hour, site))
                if cell is None:
                    cell = cells[(hour, site)] = [0, 0, 0, 0.0, set()]
                cell[0] += n
                cell[1] += b
                cell[4].add(pid)

    def day_of(self, hour: int) -> int:
        day = self.days.get(hour)
        if day is None:
            day = self.days[hour] = local_day(hour)
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
        # A visit still open may yet add to a day already written: the rows add up (an upsert), so that is no harm.
        done_days = list(self.spans) if before_hour is None else [d for d in self.spans if d < self.day_of(before_hour)]
        spans: Counter[tuple[int, int, int]] = Counter()
        for day in done_days:
            for (site, bucket_), n in self.spans.pop(day).items():
                spans[(day, site, bucket_)] = n
        # The tables of who was there are keyed (WITHOUT ROWID) on what they are given: rows given in key order
        # go into the B-tree's pages one after the other, and cost less to insert than in a set's order.
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_users (hour, site_id, pseudonym_id) VALUES (?, ?, ?)",
            ((hour, site, pid) for hour, site in sorted(cells) for pid in sorted(cells[(hour, site)][4])),
        )
        # A new hour and site counts its own people; one already there is counted again, exactly.
        self.conn.executemany(
            "INSERT INTO rollup_hourly (hour, site_id, requests, bytes, visits, seconds, users) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hour, site_id) DO UPDATE SET "
            "requests = requests + excluded.requests, bytes = bytes + excluded.bytes, "
            "visits = visits + excluded.visits, seconds = seconds + excluded.seconds, "
            "users = (SELECT count(*) FROM rollup_users u WHERE u.hour = excluded.hour "
            "AND u.site_id = excluded.site_id)",
            [(h, d, int(c[0]), int(c[1]), int(c[2]), c[3], len(c[4])) for (h, d), c in cells.items()],
        )
        self._daily(cells, spans)

    def _daily(self, cells: dict[tuple[int, int], list[Any]], spans: Counter[tuple[int, int, int]]) -> None:
        """Fold hourly cells into the day-level tables the overview reads."""
        daily: dict[tuple[int, int], list[float]] = {}
        hours: dict[int, list[float]] = {}
        # Who, per domain and day, category and day, hour: sets merged whole (a loop per person costs).
        users: dict[tuple[int, int], set[int]] = {}
        category_users: dict[tuple[int, str], set[int]] = {}
        hour_users: dict[int, set[int]] = {}
        site_of = self.site_of
        for (hour, site), (requests, size, visits, seconds, people) in cells.items():
            day = self.day_of(hour)
            for table, key in ((daily, (day, site)), (hours, hour)):
                cell = table.setdefault(key, [0, 0, 0, 0.0])  # type: ignore[attr-defined]
                cell[0] += requests
                cell[1] += size
                cell[2] += visits
                cell[3] += seconds
            if people:
                did, category = site_of[site]
                for merged, key in ((users, (did, day)), (category_users, (day, category)), (hour_users, hour)):
                    known = merged.get(key)  # type: ignore[attr-defined]
                    if known is None:
                        merged[key] = set(people)  # type: ignore[index]
                    else:
                        known |= people
        self.touched.update(day for day, _ in daily)
        self.touched.update(day for day, _, _ in spans)
        self.conn.executemany(
            "INSERT INTO rollup_daily (day, site_id, requests, bytes, visits, seconds) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (day, site_id) DO UPDATE SET requests = requests + excluded.requests, "
            "bytes = bytes + excluded.bytes, visits = visits + excluded.visits, seconds = seconds + excluded.seconds",
            [(day, site, int(c[0]), int(c[1]), int(c[2]), c[3]) for (day, site), c in daily.items()],
        )
        self.conn.executemany(
            "INSERT INTO rollup_hours (hour, requests, bytes, visits, seconds) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (hour) DO UPDATE SET requests = requests + excluded.requests, "
            "bytes = bytes + excluded.bytes, visits = visits + excluded.visits, seconds = seconds + excluded.seconds",
            [(hour, int(c[0]), int(c[1]), int(c[2]), c[3]) for hour, c in hours.items()],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_daily_users (domain_id, day, pseudonym_id) VALUES (?, ?, ?)",
            ((did, day, pid) for did, day in sorted(users) for pid in sorted(users[(did, day)])),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_category_users (day, category, pseudonym_id) VALUES (?, ?, ?)",
            (
                (day, category, pid)
                for day, category in sorted(category_users)
                for pid in sorted(category_users[(day, category)])
            ),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_hour_users (hour, pseudonym_id) VALUES (?, ?)",
            ((hour, pid) for hour in sorted(hour_users) for pid in sorted(hour_users[hour])),
        )
        self.conn.executemany(
            "INSERT INTO rollup_durations (site_id, day, bucket, visits) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (site_id, day, bucket) DO UPDATE SET visits = visits + excluded.visits",
            [(site, day, bucket, n) for (day, site, bucket), n in spans.items()],
        )


# -- taking figures back out: a visit an import continues, an import removed -------------------


class Removal:
    """Takes requests and visits back out of the rollups, exactly.

    Sums are subtracted (visits' seconds are exact, see `seconds_of`); who was
    there cannot be subtracted, so the presences of every hour and day
    touched are counted again from the requests that remain. Hand it the
    requests and visits going (`hits`, `visits`), delete them, then `finish`.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.site_of: dict[int, tuple[int, str]] = {
            i: (d, c or "") for i, d, c in conn.execute("SELECT id, domain_id, category FROM sites")
        }
        self.days: dict[int, int] = {}
        self.hourly: dict[tuple[int, int], list[float]] = {}
        self.daily: dict[tuple[int, int], list[float]] = {}
        self.hours: dict[int, list[float]] = {}
        self.spans: Counter[tuple[int, int, int]] = Counter()
        # Where presences must be counted again: (hour, site) cells, and the days of requests that go.
        self.presence_cells: set[tuple[int, int]] = set()

    def _day(self, hour: int) -> int:
        day = self.days.get(hour)
        if day is None:
            day = self.days[hour] = local_day(hour)
        return day

    def _add(self, hour: int, site: int, values: tuple[float, float, float, float]) -> None:
        for table, key in ((self.hourly, (hour, site)), (self.daily, (self._day(hour), site)), (self.hours, hour)):
            cell = table.setdefault(key, [0, 0, 0, 0.0])  # type: ignore[attr-defined]
            for i, value in enumerate(values):
                cell[i] += value

    def hits(self, rows: Iterable[tuple[float, int, int]]) -> None:
        """Requests going: (time, site id, bytes)."""
        for ts, site, size in rows:
            hour = int(ts // 3600)
            self._add(hour, site, (1, size, 0, 0.0))
            self.presence_cells.add((hour, site))

    def visits(self, rows: Iterable[VisitRow], *, with_requests: bool = False) -> None:
        """Visits going; `with_requests` for aggregated visits, whose requests and bytes came with them."""
        for _, _, site, start, end, requests, size in rows:
            hour = int(start // 3600)
            self._add(hour, site, (0, 0, 1, seconds_of(start, end)))
            self.spans[(self._day(hour), site, bucket(end - start))] += 1
            if with_requests:
                for share_hour, n, b in shares.by_hour(start, end, requests, size):
                    self._add(share_hour, site, (n, b, 0, 0.0))
                    self.presence_cells.add((share_hour, site))

    @property
    def touched(self) -> set[int]:
        """The local days whose figures change."""
        return {day for day, _ in self.daily}

    def finish(self) -> None:
        """Subtract, count presences again from the requests left, and drop the rows left at nothing."""
        conn = self.conn
        for table, keys, rows in (
            ("rollup_hourly", "hour = ? AND site_id = ?", self.hourly),
            ("rollup_daily", "day = ? AND site_id = ?", self.daily),
        ):
            conn.executemany(
                f"UPDATE {table} SET requests = requests - ?, bytes = bytes - ?, visits = visits - ?, "
                f"seconds = seconds - ? WHERE {keys}",
                [(int(c[0]), int(c[1]), int(c[2]), c[3], *key) for key, c in rows.items()],
            )
            conn.executemany(f"DELETE FROM {table} WHERE {keys} AND requests = 0 AND visits = 0", list(rows))
        conn.executemany(
            "UPDATE rollup_hours SET requests = requests - ?, bytes = bytes - ?, visits = visits - ?, "
            "seconds = seconds - ? WHERE hour = ?",
            [(int(c[0]), int(c[1]), int(c[2]), c[3], hour) for hour, c in self.hours.items()],
        )
        conn.executemany(
            "DELETE FROM rollup_hours WHERE hour = ? AND requests = 0 AND visits = 0", [(h,) for h in self.hours]
        )
        conn.executemany(
            "UPDATE rollup_durations SET visits = visits - ? WHERE site_id = ? AND day = ? AND bucket = ?",
            [(n, site, day, b) for (day, site, b), n in self.spans.items()],
        )
        conn.executemany(
            "DELETE FROM rollup_durations WHERE site_id = ? AND day = ? AND bucket = ? AND visits = 0",
            [(site, day, b) for (day, site, b) in self.spans],
        )
        self._presences()

    def _aggregated_presences(self, first: float, last: float) -> Iterator[tuple[float, int, int]]:
        """Visits a log platform aggregated have no requests to count from: their people are where their
        shares fell. (The start of an hour in [first, last), site, pseudonym) for each."""
        for start, end, requests, size, site, pid in self.conn.execute(
            "SELECT v.start, v.end, v.requests, v.bytes, v.site_id, v.pseudonym_id FROM visits v"
            " JOIN imports i ON i.id = v.import_id WHERE i.format = ? AND v.start >= ? AND v.start < ? AND v.end >= ?",
            (AGGREGATED, first - visitlog.MAX_VISIT_SECONDS, last, first),
        ):
            for hour, _, _ in shares.by_hour(start, end, requests, size):
                if first <= hour * 3600 < last:
                    yield hour * 3600, site, pid

    def _presences(self) -> None:
        """Who was there, per hour and site, hour, domain and day, category and day: counted again where
        requests went, from the requests that remain."""
        if not self.presence_cells:
            return
        conn = self.conn
        hours = sorted({hour for hour, _ in self.presence_cells})
        days = sorted({self._day(hour) for hour in hours})
        cells = self.presence_cells
        # Only a casebook with visits a log platform aggregated reads its visits again here (a week of them a day).
        aggregated = conn.execute("SELECT EXISTS (SELECT 1 FROM imports WHERE format = ?)", (AGGREGATED,)).fetchone()[0]
        remaining: dict[tuple[int, int], set[int]] = {}
        by_hour: dict[int, set[int]] = {}
        by_domain_day: dict[tuple[int, int], set[int]] = {}
        by_category_day: dict[tuple[int, str], set[int]] = {}
        for day in days:
            first = datetime.combine(date.fromordinal(day), time(), clocks.LOCAL_ZONE).timestamp()
            last = datetime.combine(date.fromordinal(day) + timedelta(days=1), time(), clocks.LOCAL_ZONE).timestamp()
            present: Iterable[tuple[float, int, int]] = conn.execute(
                "SELECT e.ts, h.site_id, e.pseudonym_id FROM events e JOIN hosts h ON h.id = e.host_id "
                "WHERE e.ts >= ? AND e.ts < ?",
                (first, last),
            )
            if aggregated:
                present = chain(present, self._aggregated_presences(first, last))
            for ts, site, pid in present:
                hour = int(ts // 3600)
                did, category = self.site_of[site]
                by_domain_day.setdefault((did, day), set()).add(pid)
                by_category_day.setdefault((day, category), set()).add(pid)
                if hour in self.days:
                    by_hour.setdefault(hour, set()).add(pid)
                    if (hour, site) in cells:
                        remaining.setdefault((hour, site), set()).add(pid)
        conn.executemany("DELETE FROM rollup_users WHERE hour = ? AND site_id = ?", list(cells))
        conn.executemany(
            "INSERT INTO rollup_users (hour, site_id, pseudonym_id) VALUES (?, ?, ?)",
            [(hour, site, pid) for (hour, site), people in remaining.items() for pid in people],
        )
        conn.executemany(
            "UPDATE rollup_hourly SET users = (SELECT count(*) FROM rollup_users u WHERE u.hour = ? AND u.site_id = ?)"
            " WHERE hour = ? AND site_id = ?",
            [(hour, site, hour, site) for hour, site in cells],
        )
        conn.executemany("DELETE FROM rollup_hour_users WHERE hour = ?", [(h,) for h in hours])
        conn.executemany(
            "INSERT INTO rollup_hour_users (hour, pseudonym_id) VALUES (?, ?)",
            [(hour, pid) for hour in hours for pid in by_hour.get(hour, ())],
        )
        # Only the domains and categories the requests going were in: the others' presences stand.
        domain_days = {(self.site_of[site][0], self._day(hour)) for hour, site in cells}
        category_days = {(self._day(hour), self.site_of[site][1]) for hour, site in cells}
        conn.executemany("DELETE FROM rollup_daily_users WHERE domain_id = ? AND day = ?", list(domain_days))
        conn.executemany(
            "INSERT INTO rollup_daily_users (domain_id, day, pseudonym_id) VALUES (?, ?, ?)",
            [(did, day, pid) for did, day in domain_days for pid in by_domain_day.get((did, day), ())],
        )
        conn.executemany("DELETE FROM rollup_category_users WHERE day = ? AND category = ?", list(category_days))
        conn.executemany(
            "INSERT INTO rollup_category_users (day, category, pseudonym_id) VALUES (?, ?, ?)",
            [(day, cat, pid) for day, cat in category_days for pid in by_category_day.get((day, cat), ())],
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


def minimum_group(session: Session) -> int:
    """The policy's smallest group of people a global figure may be about (`min_group_size`)."""
    return policy_versions.current(session.casebook).settings.min_group_size


@dataclass(frozen=True)
class Figures:
    requests: int
    bytes: int
    visits: int
    seconds: float
    # How many different people: None when fewer than the policy's minimum group size, which is never shown.
    users: int | None


@dataclass(frozen=True)
class Row(Figures):
    name: str  # a domain or a category ("" for uncategorised; "" too for the folded row)
    category: str | None = None
    median_seconds: float | None = None
    # More than 0: the row of the groups each about fewer people than the minimum, this many folded into it.
    folded: int = 0


def _people(count: int, minimum: int) -> int | None:
    # Nobody counted where there are figures: who was there has been purged with the retention period,
    # and the figures stay. Never "0 people" then: unknown is said like a small group.
    return small_groups.shown(count, minimum) if count else None


def _folded(small: list[dict[str, Any]], people: int, minimum: int) -> Row:
    """The rows each about fewer people than the minimum, summed into one; `people`: how many in all."""
    return Row(
        sum(int(r["requests"]) for r in small),
        sum(int(r["bytes"]) for r in small),
        sum(int(r["visits"]) for r in small),
        sum(float(r["seconds"]) for r in small),
        _people(people, minimum),
        "",
        None,
        folded=len(small),
    )


def _figures(row: dict[str, Any] | None, users: int | None) -> Figures:
    row = row or {}
    return Figures(
        int(row.get("requests") or 0),
        int(row.get("bytes") or 0),
        int(row.get("visits") or 0),
        float(row.get("seconds") or 0.0),
        users,
    )


def _sites(domain: str | None, category: str | None) -> tuple[str, list[object]]:
    """A subquery of site ids: one domain's, one category's ('' = none), or None for every site."""
    if domain is not None:
        return "SELECT s.id FROM sites s JOIN domains d ON d.id = s.domain_id WHERE d.domain = ?", [domain]
    if category is not None:
        if category == "":
            return "SELECT id FROM sites WHERE category IS NULL", []
        return "SELECT id FROM sites WHERE category = ?", [category]
    raise ValueError("a domain or a category")


def may_read(session: Session) -> None:
    """Whether the person may read the global figures now: their role, and a policy ready for a control.

    The overview shows what the imports collected for a control; while `policy check` fails, nothing
    collected may be looked at for one (the same rule that refuses the import).
    """
    session.require(Action.MODE_LOGS)
    readiness.require_ready(session.casebook)


def data_days(session: Session) -> tuple[date, date] | None:
    """The first and the last local day with figures; None while nothing is imported."""
    may_read(session)
    row = session.casebook.store.query_one("SELECT min(day) AS first, max(day) AS last FROM rollup_daily")
    if row is None or row["first"] is None:
        return None
    return date.fromordinal(int(row["first"])), date.fromordinal(int(row["last"]))


def totals(session: Session, span: Period) -> Figures:
    may_read(session)
    return period_totals(session.casebook.store, span, minimum_group(session))


def period_totals(store: Any, span: Period, minimum: int) -> Figures:
    """The period's totals (the core's own read: its caller checked who may have them)."""
    first, last = span.days
    row = store.query_one(
        "SELECT sum(requests) AS requests, sum(bytes) AS bytes, sum(visits) AS visits, sum(seconds) AS seconds "
        "FROM rollup_daily WHERE day BETWEEN ? AND ?",
        [first, last],
    )
    users = store.query_one(
        "SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_category_users WHERE day BETWEEN ? AND ?", [first, last]
    )
    return _figures(row, _people(int(users["n"]) if users else 0, minimum))


# Per domain of the period: its figures summed over its sites and days.
_DOMAIN_FIGURES = """
    SELECT d.id, d.domain, d.category, r.requests, r.bytes, r.visits, r.seconds
    FROM (SELECT s.domain_id, sum(r.requests) AS requests, sum(r.bytes) AS bytes, sum(r.visits) AS visits,
                 sum(r.seconds) AS seconds
          FROM rollup_daily r JOIN sites s ON s.id = r.site_id
          WHERE r.day BETWEEN :first AND :last GROUP BY s.domain_id) r
    JOIN domains d ON d.id = r.domain_id
"""
# Whether a domain (d) is about at least the minimum group of people in the period: the scan stops at the
# minimum-th person, so a busy domain costs a few rows, not its month.
# (SELECT DISTINCT ... LIMIT 1 OFFSET n) as a scalar subquery ignores the OFFSET in SQLite 3.40: the DISTINCT
# goes one level down.
_BIG = """(SELECT p FROM (SELECT DISTINCT u.pseudonym_id AS p FROM rollup_daily_users u
                          WHERE u.domain_id = d.id AND u.day BETWEEN :first AND :last)
           LIMIT 1 OFFSET :skip) IS NOT NULL"""
# How many different people used a domain (d) in the period: every one counted.
_USERS = """(SELECT count(DISTINCT u.pseudonym_id) FROM rollup_daily_users u
             WHERE u.domain_id = d.id AND u.day BETWEEN :first AND :last)"""


def _period_params(session: Session, span: Period) -> dict[str, object]:
    first, last = span.days
    return {"first": first, "last": last, "skip": minimum_group(session) - 1}


def _domain_users(store: Any, domain_id: int, span: Period) -> int:
    first, last = span.days
    row = store.query_one(
        "SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_daily_users WHERE domain_id = ? AND day BETWEEN ? AND ?",
        [domain_id, first, last],
    )
    return int(row["n"]) if row else 0


def domains(
    session: Session,
    span: Period,
    *,
    limit: int = 20,
    offset: int = 0,
    order: str = "requests",
) -> list[Row]:
    """Domains about at least the minimum group of people, most `order` (one of ORDERS) first, a page at a time.

    The others are folded into one row (`other_domains`). Sorted by users,
    every domain of the period is counted to find its place: one range of
    rollup_daily_users' key (domain, day) each, so a month costs what a month
    holds, not what the casebook holds; otherwise a domain's people are
    counted only as far as the minimum, and in full for the page's rows.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}: one of {', '.join(ORDERS)}")
    may_read(session)
    store = session.casebook.store
    params = {**_period_params(session, span), "limit": limit, "offset": offset}
    if order == "users":
        # Materialised: each domain's people counted once, not again for the filter and the order.
        sql = f"""WITH counted AS MATERIALIZED (SELECT f.*, {_USERS.replace("d.id", "f.id")} AS users
                                               FROM ({_DOMAIN_FIGURES}) f)
                  SELECT * FROM counted WHERE users > :skip ORDER BY users DESC, domain LIMIT :limit OFFSET :offset"""
    else:
        sql = f"""SELECT * FROM ({_DOMAIN_FIGURES}) WHERE {_BIG.replace("d.id", "id")}
                  ORDER BY {order} DESC, domain LIMIT :limit OFFSET :offset"""
    out = []
    for r in store.query(sql, params):
        domain_id = int(r["id"])
        out.append(
            Row(
                int(r["requests"]),
                int(r["bytes"]),
                int(r["visits"]),
                float(r["seconds"]),
                int(r["users"]) if order == "users" else _domain_users(store, domain_id, span),
                str(r["domain"]),
                r["category"],
                median(_duration_counts(store, span, "AND s.domain_id = ?", [domain_id])),
            )
        )
    return out


def domain_count(session: Session, span: Period) -> int:
    """How many domains `domains` lists: those about at least the minimum group of people."""
    may_read(session)
    row = session.casebook.store.query_one(
        f"SELECT count(*) AS n FROM ({_DOMAIN_FIGURES}) WHERE {_BIG.replace('d.id', 'id')}",
        _period_params(session, span),
    )
    return int(row["n"]) if row else 0


def other_domains(session: Session, span: Period) -> Row | None:
    """The domains each about fewer people than the minimum, as one row; None when there are none."""
    may_read(session)
    store = session.casebook.store
    first, last = span.days
    minimum = minimum_group(session)
    small = store.query(
        f"SELECT * FROM ({_DOMAIN_FIGURES}) WHERE NOT {_BIG.replace('d.id', 'id')}", _period_params(session, span)
    )
    if not small:
        return None
    ids = [int(r["id"]) for r in small]
    people = store.query_one(
        f"SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_daily_users WHERE day BETWEEN ? AND ? "
        f"AND domain_id IN ({', '.join('?' * len(ids))})",
        [first, last, *ids],
    )
    return _folded(small, int(people["n"]) if people else 0, minimum)


def categories(session: Session, span: Period) -> list[Row]:
    """Categories, most requests first; those about fewer people than the minimum folded into one last row."""
    may_read(session)
    return period_categories(session.casebook.store, span, minimum_group(session))


def period_categories(store: Any, span: Period, minimum: int) -> list[Row]:
    """`categories` as the core's own read: its caller checked who may have them (the reports do)."""
    first, last = span.days
    rows = store.query(
        """SELECT coalesce(s.category, '') AS category, sum(r.requests) AS requests, sum(r.bytes) AS bytes,
                  sum(r.visits) AS visits, sum(r.seconds) AS seconds
           FROM rollup_daily r JOIN sites s ON s.id = r.site_id
           WHERE r.day BETWEEN ? AND ? GROUP BY 1 ORDER BY requests DESC, 1""",
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
    shown, small = [], []
    for r in rows:
        (shown if small_groups.enough(users.get(str(r["category"]), 0), minimum) else small).append(r)
    out = [
        Row(
            int(r["requests"]),
            int(r["bytes"]),
            int(r["visits"]),
            float(r["seconds"]),
            users[str(r["category"])],
            str(r["category"]),
            str(r["category"]) or None,
        )
        for r in shown
    ]
    if small:
        names = [str(r["category"]) for r in small]
        people = store.query_one(
            f"SELECT count(DISTINCT pseudonym_id) AS n FROM rollup_category_users WHERE day BETWEEN ? AND ? "
            f"AND category IN ({', '.join('?' * len(names))})",
            [first, last, *names],
        )
        out.append(_folded(small, int(people["n"]) if people else 0, minimum))
    return out


def hours_of_day(
    session: Session, span: Period, *, domain: str | None = None, category: str | None = None
) -> list[Figures]:
    """24 figures, one per local hour of the day (0-23), summed over the period's days.

    `users` counts presences (a person in two hours counts twice): the chart
    shows when, not how many different people. An hour of the day that fewer
    different people than the minimum group were online in over the period
    shows nothing (all zero, users None): that someone was online at 22:00
    points at them. An hour nobody was online in is plain zero.
    """
    may_read(session)
    store = session.casebook.store
    first, last = span.hours
    skip = minimum_group(session) - 1
    if domain is None and category is None:
        rows = store.query(
            "SELECT h.hour, h.requests, h.bytes, h.visits, h.seconds, "
            "(SELECT count(*) FROM rollup_hour_users u WHERE u.hour = h.hour) AS users "
            "FROM rollup_hours h WHERE h.hour >= ? AND h.hour < ?",
            [first, last],
        )
        who, params = "SELECT DISTINCT pseudonym_id FROM rollup_hour_users WHERE hour IN ({hours})", []
    else:
        sites, params = _sites(domain, category)
        rows = store.query(
            f"""SELECT r.hour, sum(r.requests) AS requests, sum(r.bytes) AS bytes, sum(r.visits) AS visits,
                       sum(r.seconds) AS seconds, sum(r.users) AS users
                FROM rollup_hourly r WHERE r.site_id IN ({sites}) AND r.hour >= ? AND r.hour < ? GROUP BY r.hour""",
            [*params, first, last],
        )
        who = f"SELECT DISTINCT pseudonym_id FROM rollup_users WHERE hour IN ({{hours}}) AND site_id IN ({sites})"
    sums = [[0, 0, 0, 0.0, 0] for _ in range(24)]
    epochs: list[list[int]] = [[] for _ in range(24)]
    for r in rows:
        hour = int(r["hour"])
        local = datetime.fromtimestamp(hour * 3600, clocks.LOCAL_ZONE).hour
        cell = sums[local]
        cell[0] += int(r["requests"])
        cell[1] += int(r["bytes"])
        cell[2] += int(r["visits"])
        cell[3] += float(r["seconds"])
        cell[4] += int(r["users"] or 0)
        epochs[local].append(hour)
    out = []
    for local, c in enumerate(sums):
        if not any(c):
            out.append(Figures(0, 0, 0, 0.0, 0))  # nobody: nothing to hide
            continue
        hours = epochs[local]
        # Different people in this hour of the day, counted only as far as the minimum.
        enough = store.query_one(
            f"{who.format(hours=', '.join('?' * len(hours)))} LIMIT 1 OFFSET ?", [*hours, *params, skip]
        )
        if enough is None:
            out.append(Figures(0, 0, 0, 0.0, None))
        else:
            out.append(Figures(int(c[0]), int(c[1]), int(c[2]), float(c[3]), int(c[4])))
    return out


def _duration_counts(store: Any, span: Period, where: str, params: list[object]) -> list[int]:
    first, last = span.days
    counts = [0] * len(BOUNDS)
    if where:
        sql = (
            f"SELECT r.bucket, sum(r.visits) AS n FROM rollup_durations r JOIN sites s ON s.id = r.site_id "
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
    may_read(session)
    if domain is None and category is None:
        return _duration_counts(session.casebook.store, span, "", [])
    sites, params = _sites(domain, category)
    return _duration_counts(session.casebook.store, span, f"AND s.id IN ({sites})", params)


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


MAIL_DIRECTIONS = ("internal", "outgoing", "incoming", "external")
# Whose mail a direction's figures are about: the organisation's people on its side of the message.
_MAIL_PEOPLE = {
    "internal": ("sender_id", "recipient_id"),
    "outgoing": ("sender_id",),
    "incoming": ("recipient_id",),
    "external": ("sender_id", "recipient_id"),
}


def mail(session: Session, span: Period) -> dict[str, tuple[int, int] | None]:
    """Messages and bytes per direction: internal, outgoing, incoming, external.

    A message counts once per recipient, by its final outcome (a mail event is one message to one recipient:
    `casebook.logs.mailflow`), wherever in the period it was first logged; bounce notices and address probes
    are no one's mail and count in no direction. None for a direction whose messages are about fewer people
    than the minimum group.
    """
    may_read(session)
    store = session.casebook.store
    rows = store.query(
        "SELECT direction, count(*) AS n, sum(size) AS b FROM mail_events WHERE ts >= ? AND ts < ?"
        " AND kind = 'message' GROUP BY direction",
        [span.start, span.end],
    )
    found = {str(r["direction"]): (int(r["n"]), int(r["b"] or 0)) for r in rows}
    minimum = minimum_group(session)
    out: dict[str, tuple[int, int] | None] = {}
    for direction in MAIL_DIRECTIONS:
        figures = found.get(direction, (0, 0))
        if figures[0]:
            who = " UNION ALL ".join(
                f"SELECT {column} AS p FROM mail_events WHERE ts >= :start AND ts < :end AND kind = 'message'"
                " AND direction = :direction"
                for column in _MAIL_PEOPLE[direction]
            )
            # Counted only as far as the minimum: the scan stops at the minimum-th person.
            enough = store.query_one(
                f"SELECT DISTINCT p FROM ({who}) WHERE p IS NOT NULL LIMIT 1 OFFSET :skip",
                {"start": span.start, "end": span.end, "direction": direction, "skip": minimum - 1},
            )
            if enough is None:
                out[direction] = None
                continue
        out[direction] = figures
    return out
