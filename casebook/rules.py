"""Irregularity rules: the global control of policy 2.3, one rule per kind of irregularity, each tied to a purpose.

A rule looks at one local day at a time and reports globally ("2 users over
2 GB on 12 Nov"), never who. It keeps the ids of the events behind what it
found, for an individualisation that a supervisor may approve later; until
then they are only counted. Only rules of purposes the policy adopted run,
only on data from the day the policy came into force, and only when the policy
is ready. Categories are the hosts' own (mail.google.com is webmail,
www.google.com is not).

Each rule counts only what its purpose can rest on before a labour court:
pages a person opened (visits holding a page, never the adverts and embedded
content that came with another page), refusals only where they signal a
security problem (never a proxy's 407), volumes as a load on the network, and
private time only within working hours less the breaks. The README's rule
table says, per rule, why the data supports it and what it gets wrong.

A run looks only at the days imports touched since the last run, unless what
the rules run under (purposes, thresholds, blocked sites, working hours,
breaks) changed: then at every day. On each day looked at, what is stored becomes
exactly what the rules find: running them again adds nothing twice, and an
irregularity no longer found goes. A rule that needs what a log does not say
(the upload rule, request sizes) does not guess: the run says how many
requests it could not judge. Visits a log platform aggregated (the `visits`
format) name no request: every rule that judges requests says how many of
theirs it could not judge; `private_use` (time spent), `heavy_downloads`
(volume received) and `malware` (where) judge them and keep them as their
evidence (`Finding.visit_ids`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import formatting
from casebook.errors import Refused
from casebook.i18n import t
from casebook.logs import rollups
from casebook.permissions import Action
from casebook.policy import readiness
from casebook.policy import versions as policy_versions
from schema.policy import ControlMode, PolicySettings

if TYPE_CHECKING:
    from casebook.book import Casebook
    from casebook.session import Session
    from casebook.store import Store

OFFENSIVE = ("adult", "hate", "hacking")
SHARING = ("filesharing", "webmail")
PRIVATE = ("social", "streaming", "webmail")
FORBIDDEN = ("gambling", "games")  # at all times (policy 2.2)
SECURITY = ("malware", "hacking")  # a refusal of a request to these signals a security problem
# A burst of refusals: this many for one person within this many seconds is a program, not a person clicking.
BURST_REFUSALS = 10
BURST_SECONDS = 60
MB = 1024 * 1024
CHUNK = 500  # ids per query (SQLite's limit on parameters)


@dataclass(frozen=True)
class Finding:
    subject: str
    figures: dict[str, Any]
    event_ids: list[int]
    # Visits kept as evidence where no request is behind them (visits a log platform aggregated).
    visit_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Day:
    day: date
    start: float
    end: float


Check = Callable[["Store", Day, PolicySettings], Iterator[Finding]]


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # fixed category names from this module, never user input


# Requests with their host's site: its domain, and the host's own category (mail.google.com is webmail,
# www.google.com is not).
_REQUESTS = (
    "events e JOIN hosts h ON h.id = e.host_id JOIN sites s ON s.id = h.site_id JOIN domains d ON d.id = s.domain_id"
)


# Visits a log platform aggregated (the `visits` format: no request behind them), with their site.
_AGGREGATED = "visits v JOIN imports i ON i.id = v.import_id AND i.format = ? JOIN sites s ON s.id = v.site_id"


def _any_aggregated(store: Store) -> bool:
    """Whether the casebook holds such visits: where it does not, no rule reads its visits a second time."""
    row = store.conn.execute("SELECT EXISTS (SELECT 1 FROM imports WHERE format = ?)", (rollups.AGGREGATED,))
    return bool(row.fetchone()[0])


# -- pages opened: visits, not requests ------------------------------------------------------------------------

# An event of the visit (v) it belongs to: the same person, the same site, within the visit's time.
_IN_VISIT = "e.pseudonym_id = v.pseudonym_id AND h.site_id = v.site_id AND e.ts BETWEEN v.start AND v.end"


@dataclass(frozen=True)
class Opened:
    """A visit that was a page the person opened, on the day it started."""

    visit: int
    who: int
    domain: str
    category: str | None


def _opened(store: Store, day: Day, sites: str, hosts: str, params: list[object], *, refused: bool) -> list[Opened]:
    """The visits starting on the day, to the sites `sites` selects (SQL on s), that opened a page.

    A visit counts once, however many requests it made (a page's images, scripts and adverts are requests
    of their own). It is a page the person opened when one of its requests to a host `hosts` selects (SQL
    on h) was answered with a page (text/html), or when the log does not say what the answer was (an
    HTTPS tunnel: the visit counts, as its first request would). A visit of nothing but images, scripts
    and the like is content another page embedded, which the person never chose: it does not count.
    A refused request opened nothing; with `refused` it is an attempt, and counts.
    """
    attempt = "" if refused else " AND e.denied = 0"
    return [
        Opened(int(r["visit"]), int(r["who"]), str(r["domain"]), r["category"])
        for r in store.query(
            f"""SELECT v.id AS visit, v.pseudonym_id AS who, d.domain, s.category
                FROM visits v JOIN sites s ON s.id = v.site_id JOIN domains d ON d.id = s.domain_id
                WHERE v.start >= ? AND v.start < ? AND ({sites})
                  AND EXISTS (SELECT 1 FROM events e JOIN hosts h ON h.id = e.host_id
                              WHERE {_IN_VISIT} AND ({hosts}) AND (e.page IS NULL OR e.page = 1){attempt})
                ORDER BY v.id""",
            [day.start, day.end, *params],
        )
    ]


def _visit_events(store: Store, visits: list[int], hosts: str, params: list[object], *, refused: bool) -> list[int]:
    """The requests of these visits to the hosts `hosts` selects: what an individualisation would look at."""
    attempt = "" if refused else " AND e.denied = 0"
    found: list[int] = []
    for at in range(0, len(visits), CHUNK):
        chunk = visits[at : at + CHUNK]
        found += [
            int(r["id"])
            for r in store.query(
                f"""SELECT e.id FROM visits v JOIN hosts h ON h.site_id = v.site_id JOIN events e ON e.host_id = h.id
                    WHERE v.id IN ({", ".join("?" * len(chunk))}) AND {_IN_VISIT} AND ({hosts}){attempt}
                    ORDER BY e.id""",
                [*chunk, *params],
            )
        ]
    return found


def _visits_over(
    store: Store,
    opened: list[Opened],
    threshold: int,
    hosts: str,
    params: list[object],
    *,
    refused: bool,
) -> Iterator[Finding]:
    """Per domain, the visits of the people who opened at least `threshold` such pages that day (any domain)."""
    per_person: dict[int, int] = {}
    for visit in opened:
        per_person[visit.who] = per_person.get(visit.who, 0) + 1
    over = {who for who, n in per_person.items() if n >= threshold}
    by_domain: dict[str, list[Opened]] = {}
    for visit in opened:
        if visit.who in over:
            by_domain.setdefault(visit.domain, []).append(visit)
    for domain, visits in sorted(by_domain.items()):
        categories = sorted({v.category for v in visits if v.category})
        yield Finding(
            domain,
            {
                "visits": len(visits),
                "users": len({v.who for v in visits}),
                "category": categories[-1] if categories else None,
                "threshold": threshold,
            },
            _visit_events(store, [v.visit for v in visits], hosts, params, refused=refused),
        )


def offensive_sites(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 1: pages of adult, hate or hacking sites opened, from `offensive_visits_per_day` a person a day.

    Pages, not requests: an advert or an image another page embeds is no page the person opened. A
    request the proxy refused opened nothing (an attempt on a site the policy blocks is `blocked_sites`').
    """
    sites = f"s.category IN ({_marks(OFFENSIVE)})"
    opened = _opened(store, day, sites, "1", [], refused=False)
    yield from _visits_over(store, opened, settings.offensive_visits_per_day, "1", [], refused=False)


def gambling_games(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 4: pages of gambling or game sites opened, at any hour (policy 2.2 forbids them at all times).

    Not a question of time spent in working hours (that is `private_use`): one page opened is use. An
    advert for a casino on a news site is no page opened; a refused request opened nothing.
    """
    sites = f"s.category IN ({_marks(FORBIDDEN)})"
    opened = _opened(store, day, sites, "1", [], refused=False)
    yield from _visits_over(store, opened, 1, "1", [], refused=False)


def _blocked_hosts(settings: PolicySettings) -> tuple[str, list[object]]:
    """SQL on hosts (h) selecting the policy's blocked sites and their subdomains, with its parameters."""
    params: list[object] = []
    for site in settings.blocked_sites:
        params += [site, f"%.{site}"]
    return " OR ".join("(h.host = ? OR h.host LIKE ?)" for _ in settings.blocked_sites), params


def blocked_sites(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 4: visits to the sites the policy blocks, opened or refused by the proxy, from
    `blocked_visits_per_day` a person a day.

    A refused request is an attempt on blocked content: it belongs here, never to the network's security
    (purpose 3). Visits, not requests: content a page embeds from a blocked site is no attempt.
    """
    if not settings.blocked_sites:
        return
    hosts, params = _blocked_hosts(settings)
    # The sites first, as numbers: as a subquery beside the EXISTS below, SQLite ran the EXISTS (every request
    # of the visit's time) for every visit of the day before the cheap test of its site (18 s a day at 10M
    # requests a month, against under one with the numbers).
    ids = [int(r[0]) for r in store.conn.execute(f"SELECT DISTINCT h.site_id FROM hosts h WHERE {hosts}", params)]
    if not ids:
        return
    sites = f"v.site_id IN ({', '.join(map(str, ids))})"  # integers read from the casebook, never typed text
    opened = _opened(store, day, sites, hosts, params, refused=True)
    yield from _visits_over(store, opened, settings.blocked_visits_per_day, hosts, params, refused=True)


def large_uploads(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 2: more than the threshold sent to file-sharing or webmail sites by one person in a day.

    What was sent is the requests' own size (Squid's %>st, a CSV's bytes_sent),
    whatever the method: an upload inside an HTTPS tunnel is a CONNECT. Never
    the reply's size, which says what was received: requests whose log does
    not say what they sent are left out, and `unmeasured_uploads` counts them.
    """
    limit = settings.upload_mb_per_day * MB
    rows = store.query(
        f"""SELECT e.pseudonym_id AS who, sum(e.sent) AS sent, group_concat(e.id) AS ids
            FROM {_REQUESTS}
            WHERE e.ts >= ? AND e.ts < ? AND e.sent > 0 AND s.category IN ({_marks(SHARING)})
            GROUP BY e.pseudonym_id HAVING sum(e.sent) > ?""",
        [day.start, day.end, limit],
    )
    if rows:
        yield Finding(
            "",
            {
                "users": len(rows),
                "bytes": sum(int(r["sent"]) for r in rows),
                "threshold_mb": settings.upload_mb_per_day,
            },
            [i for r in rows for i in _ids(r["ids"])],
        )


def unmeasured_uploads(store: Store, day: Day) -> int:
    """Requests to file-sharing or webmail sites whose log does not say what they sent."""
    row = store.query_one(
        f"""SELECT count(*) AS n FROM {_REQUESTS}
            WHERE e.ts >= ? AND e.ts < ? AND e.sent IS NULL AND s.category IN ({_marks(SHARING)})""",
        [day.start, day.end],
    )
    return int(row["n"]) if row else 0


def heavy_downloads(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 3, as a load on the network only: more than the threshold received by one person in a day.

    The volume says what the network carried, not what was downloaded nor whether it was work: a
    software update or a video call weighs as much as a film. It supports purpose 3 (the network's
    working and its costs), and nothing about the content.
    """
    limit = settings.download_mb_per_day * MB
    # Visits a log platform aggregated say what they received in all (requests of every method).
    aggregated = _any_aggregated(store)
    visits = f"UNION ALL SELECT v.pseudonym_id, v.bytes FROM {_AGGREGATED} WHERE v.start >= ? AND v.start < ?"
    rows = store.query(
        f"""SELECT who, sum(bytes) AS bytes FROM (
                SELECT pseudonym_id AS who, bytes FROM events
                WHERE ts >= ? AND ts < ? AND method NOT IN ('POST', 'PUT') {visits if aggregated else ""})
            GROUP BY who HAVING sum(bytes) > ?""",
        [day.start, day.end, *([rollups.AGGREGATED, day.start, day.end] if aggregated else []), limit],
    )
    if rows:
        who = ", ".join(str(int(r["who"])) for r in rows)
        # The largest transfers of each, the evidence of the volume, not every page they opened.
        ids = [
            int(r["id"])
            for r in store.query(
                f"SELECT id FROM events WHERE ts >= ? AND ts < ? AND bytes >= ? AND pseudonym_id IN ({who})",
                [day.start, day.end, MB],
            )
        ]
        visit_ids = [
            int(r["id"])
            for r in store.query(
                f"""SELECT v.id FROM {_AGGREGATED} WHERE v.start >= ? AND v.start < ? AND v.bytes >= ?
                    AND v.pseudonym_id IN ({who}) ORDER BY v.id""",
                [rollups.AGGREGATED, day.start, day.end, MB],
            )
            if aggregated
        ]
        yield Finding(
            "",
            {
                "users": len(rows),
                "bytes": sum(int(r["bytes"]) for r in rows),
                "threshold_mb": settings.download_mb_per_day,
            },
            ids,
            visit_ids,
        )


def malware(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 3: requests to malware sites (and visits a log platform aggregated, with their requests)."""
    aggregated = _any_aggregated(store)
    visits = f"""UNION ALL SELECT d.id, d.domain, v.requests, v.pseudonym_id, NULL, v.id
                 FROM {_AGGREGATED} JOIN domains d ON d.id = s.domain_id
                 WHERE v.start >= ? AND v.start < ? AND s.category = 'malware'"""
    rows = store.query(
        f"""SELECT domain, sum(requests) AS requests, count(DISTINCT who) AS users, group_concat(event) AS ids,
                   group_concat(visit) AS visits
            FROM (SELECT d.id, d.domain, 1 AS requests, e.pseudonym_id AS who, e.id AS event, NULL AS visit
                  FROM {_REQUESTS} WHERE e.ts >= ? AND e.ts < ? AND s.category = 'malware'
                  {visits if aggregated else ""})
            GROUP BY id ORDER BY id""",
        [day.start, day.end, *([rollups.AGGREGATED, day.start, day.end] if aggregated else [])],
    )
    for r in rows:
        yield Finding(
            str(r["domain"]),
            {"requests": r["requests"], "users": r["users"]},
            _ids(r["ids"]),
            sorted(_ids(r["visits"])),
        )


def denied_requests(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 3: refusals that signal a security problem, more than `denied_per_day` for one person in a day.

    Only two kinds do: a refusal of a request to a malware or hacking site (a payload stopped, an
    infected machine calling home), and a burst (BURST_REFUSALS refusals within BURST_SECONDS: a
    program, not a person clicking). HTTP 407 (Proxy Authentication Required) is never one: every
    NTLM or Kerberos sign-in to the proxy starts with it. A refusal of blocked content harms no
    network: it is an attempt on a blocked site (`blocked_sites`, purpose 4).
    """
    half = BURST_SECONDS / 2
    rows = store.query(
        f"""WITH refused AS (
                SELECT e.id, e.pseudonym_id AS who, s.category,
                       count(*) OVER (PARTITION BY e.pseudonym_id ORDER BY e.ts
                                      RANGE BETWEEN {half} PRECEDING AND {half} FOLLOWING) AS around
                FROM {_REQUESTS}
                WHERE e.ts >= ? AND e.ts < ? AND e.denied = 1 AND e.status <> 407)
            SELECT who, count(*) AS n, group_concat(id) AS ids FROM refused
            WHERE category IN ({_marks(SECURITY)}) OR around >= {BURST_REFUSALS}
            GROUP BY who HAVING count(*) > ?""",
        [day.start, day.end, settings.denied_per_day],
    )
    if rows:
        yield Finding(
            "",
            {
                "users": len(rows),
                "requests": sum(int(r["n"]) for r in rows),
                "threshold": settings.denied_per_day,
                "kind": "security",  # only refusals that signal a security problem (an older finding: any)
            },
            [i for r in rows for i in _ids(r["ids"])],
        )


def _working_windows(day: date, settings: PolicySettings) -> list[tuple[float, float]]:
    """The day's working time as epoch intervals: the working hours less the breaks (policy 2.1.1)."""
    hours = settings.working_hours
    if hours is None or day.isoweekday() not in hours.days:
        return []
    windows = [(hours.start, hours.end)]
    for pause in settings.breaks:
        cut: list[tuple[time, time]] = []
        for start, end in windows:
            if pause.end <= start or pause.start >= end:
                cut.append((start, end))
                continue
            if pause.start > start:
                cut.append((start, pause.start))
            if pause.end < end:
                cut.append((pause.end, end))
        windows = cut
    return [
        (
            datetime.combine(day, start, clocks.LOCAL_ZONE).timestamp(),
            datetime.combine(day, end, clocks.LOCAL_ZONE).timestamp(),
        )
        for start, end in windows
    ]


def private_use(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 4: social, streaming or webmail sites used in working time beyond the threshold, per person and day.

    Working time is the working hours less the breaks, in which private use is allowed (policy 2.1.1).
    Gambling and games are not here: forbidden at all times, they have their own rule (`gambling_games`).
    """
    windows = _working_windows(day.day, settings)
    if not windows:
        return
    spans = " UNION ALL ".join("SELECT ? AS ws, ? AS we" for _ in windows)
    bounds = [value for window in windows for value in window]
    limit = settings.private_minutes_per_day * 60
    rows = store.query(
        f"""WITH w AS ({spans})
            SELECT s.category, v.pseudonym_id AS who, sum(min(v.end, w.we) - max(v.start, w.ws)) AS seconds,
                   count(DISTINCT v.id) AS visits
            FROM visits v JOIN sites s ON s.id = v.site_id JOIN w ON v.end > w.ws AND v.start < w.we
            WHERE v.end > ? AND v.start < ? AND s.category IN ({_marks(PRIVATE)})
            GROUP BY s.category, v.pseudonym_id HAVING seconds > ?""",
        [*bounds, windows[0][0], windows[-1][1], limit],
    )
    by_category: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_category.setdefault(str(r["category"]), []).append(r)
    for category, people in by_category.items():
        who = ", ".join(str(int(p["who"])) for p in people)
        # The requests in working time, not those of the breaks: private use in a break is no irregularity.
        during = " OR ".join("(e.ts >= ? AND e.ts < ?)" for _ in windows)
        ids = [
            int(r["id"])
            for r in store.query(
                f"""SELECT e.id FROM {_REQUESTS}
                WHERE ({during}) AND s.category = ? AND e.pseudonym_id IN ({who})""",
                [*bounds, category],
            )
        ]
        # Visits with no request behind them (aggregated by a log platform) are their own evidence.
        overlapping = " OR ".join("(v.end > ? AND v.start < ?)" for _ in windows)
        visit_ids = [
            int(r["id"])
            for r in store.query(
                f"""SELECT v.id FROM visits v JOIN imports i ON i.id = v.import_id JOIN sites s ON s.id = v.site_id
                WHERE i.format = ? AND ({overlapping}) AND s.category = ? AND v.pseudonym_id IN ({who})
                ORDER BY v.id""",
                [rollups.AGGREGATED, *bounds, category],
            )
            if _any_aggregated(store)
        ]
        yield Finding(
            category,
            {
                "users": len(people),
                "minutes": round(sum(float(p["seconds"]) for p in people) / 60),
                "visits": sum(int(p["visits"]) for p in people),
                "threshold": settings.private_minutes_per_day,
            },
            ids,
            visit_ids,
        )


def _ids(text: str | None) -> list[int]:
    return [int(i) for i in (text or "").split(",") if i]


def aggregated_requests(store: Store, day: Day, sites: str) -> int:
    """The requests of the day known only as visits a log platform aggregated (the `visits` format), to the
    sites `sites` selects (SQL on s): a rule that judges requests cannot judge them."""
    if not _any_aggregated(store):
        return 0
    row = store.query_one(
        f"""SELECT coalesce(sum(v.requests), 0) AS n FROM visits v JOIN imports i ON i.id = v.import_id
            JOIN sites s ON s.id = v.site_id
            WHERE i.format = ? AND v.start >= ? AND v.start < ? AND ({sites})""",
        [rollups.AGGREGATED, day.start, day.end],
    )
    return int(row["n"]) if row else 0


@dataclass(frozen=True)
class Rule:
    name: str
    purpose: int
    check: Check
    # How many of a day's requests the rule would judge but cannot (their log lacks what it measures).
    unmeasured: Callable[[Store, Day], int] | None = None
    # The sites (SQL on s) whose requests the rule judges one by one, so that it cannot judge them when only
    # their visits are known (the `visits` format); None for a rule that judges visits.
    requests_of: str | None = "1"
    # Whether the policy gives the rule anything to look for (blocked_sites: only once sites are listed): a
    # rule with nothing to look for has nothing it could not judge either.
    looks_for: Callable[[PolicySettings], bool] = lambda settings: True


RULES: tuple[Rule, ...] = (
    Rule("offensive_sites", 1, offensive_sites, requests_of=f"s.category IN ({_marks(OFFENSIVE)})"),
    Rule("large_uploads", 2, large_uploads, unmeasured_uploads, requests_of=f"s.category IN ({_marks(SHARING)})"),
    # Volumes and hosts: a visit says how much it received, and where.
    Rule("heavy_downloads", 3, heavy_downloads, requests_of=None),
    Rule("malware", 3, malware, requests_of=None),
    Rule("denied_requests", 3, denied_requests),
    Rule("blocked_sites", 4, blocked_sites, looks_for=lambda settings: bool(settings.blocked_sites)),
    Rule("gambling_games", 4, gambling_games, requests_of=f"s.category IN ({_marks(FORBIDDEN)})"),
    # Time spent on sites in working time: visits say it, whichever log they came from.
    Rule("private_use", 4, private_use, requests_of=None),
)


def _day(day: date) -> Day:
    start = datetime.combine(day, time(), clocks.LOCAL_ZONE).timestamp()
    end = datetime.combine(day + timedelta(days=1), time(), clocks.LOCAL_ZONE).timestamp()
    return Day(day, start, end)


def _days(first: date, last: date) -> Iterator[Day]:
    day = first
    while day <= last:
        yield _day(day)
        day += timedelta(days=1)


def policy_key(settings: PolicySettings) -> str:
    """What the rules run under, as one text: when it changes, every day is looked at again."""
    return json.dumps(
        settings.model_dump(
            mode="json",
            include={
                "purposes",
                "date_in_force",
                "blocked_sites",
                "working_hours",
                "breaks",
                "upload_mb_per_day",
                "download_mb_per_day",
                "denied_per_day",
                "private_minutes_per_day",
                "offensive_visits_per_day",
                "blocked_visits_per_day",
            },
        ),
        sort_keys=True,
    )


@dataclass(frozen=True)
class Unmeasured:
    """A rule that could not judge some requests: their log lacks what it measures (request sizes), or they
    are known only as visits a log platform aggregated (`reason` "visits")."""

    rule: str
    days: int
    requests: int
    reason: str = "measure"


@dataclass(frozen=True)
class RunReport:
    days: int
    rules: list[str]
    found: int  # new irregularities
    updated: int
    removed: int = 0  # no longer found (a threshold raised, an import removed)
    unmeasured: tuple[Unmeasured, ...] = ()
    seen: tuple[int, ...] = ()  # the irregularities this run found (new, changed or as they were)

    def said(self) -> str:
        """The run in words: what it checked and changed."""
        return t(
            "rules.ran",
            count=self.days,
            rules=t("rules.rules", count=len(self.rules)),
            found=formatting.number(self.found),
            updated=formatting.number(self.updated),
            removed=formatting.number(self.removed),
        )

    def not_judged(self) -> list[str]:
        """What a rule could not judge, one line per rule: a rule that could not judge is never silent."""
        return [
            t(
                f"rules.unmeasured.{m.rule}" if m.reason == "measure" else "rules.unmeasured_visits",
                count=m.days,
                rule=m.rule,
                requests=t("rules.requests", count=m.requests),
            )
            for m in self.unmeasured
        ]


@dataclass
class Changes:
    """What reconciling irregularities with what the rules find changed."""

    found: int = 0
    updated: int = 0
    removed: int = 0
    seen: list[int] = field(default_factory=list)


def _reconcile(
    store: Store, rule: Rule, day: Day, settings: PolicySettings, now: str, actor: str, tally: Changes
) -> None:
    """What the rule finds on the day, and nothing else, stored: new findings added, changed ones updated
    (with exactly their events), those no longer found removed."""
    existing = {
        str(r[1]): (int(r[0]), str(r[2]))
        for r in store.conn.execute(
            "SELECT id, subject, figures FROM irregularities WHERE rule = ? AND day = ?",
            (rule.name, day.day.isoformat()),
        )
    }
    for finding in rule.check(store, day, settings):
        figures = json.dumps(finding.figures, sort_keys=True)
        known = existing.pop(finding.subject, None)
        if known is None:
            irregularity = int(
                store.conn.execute(
                    "INSERT INTO irregularities (rule, purpose, day, subject, figures, detected_at, detected_by)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (rule.name, rule.purpose, day.day.isoformat(), finding.subject, figures, now, actor),
                ).lastrowid
                or 0
            )
            tally.found += 1
        else:
            irregularity = known[0]
            if known[1] != figures:  # a later import added to that day, or one was removed
                store.conn.execute("UPDATE irregularities SET figures = ? WHERE id = ?", (figures, irregularity))
                tally.updated += 1
        tally.seen.append(irregularity)
        for kind, ids in (("event", finding.event_ids), ("visit", finding.visit_ids)):
            wanted = set(ids)
            kept = {
                int(r[0])
                for r in store.conn.execute(
                    "SELECT ref_id FROM irregularity_events WHERE irregularity_id = ? AND kind = ?",
                    (irregularity, kind),
                )
            }
            store.conn.executemany(
                "DELETE FROM irregularity_events WHERE irregularity_id = ? AND kind = ? AND ref_id = ?",
                [(irregularity, kind, i) for i in sorted(kept - wanted)],
            )
            store.conn.executemany(
                "INSERT INTO irregularity_events (irregularity_id, kind, ref_id) VALUES (?, ?, ?)",
                [(irregularity, kind, i) for i in sorted(wanted - kept)],
            )
    for gone, _ in existing.values():
        # A finding a case rests on stays as the case found it: the case's file is evidence, whatever a
        # later threshold or a removed import makes the rules find now.
        if store.conn.execute("SELECT 1 FROM case_findings WHERE irregularity_id = ?", (gone,)).fetchone():
            continue
        store.conn.execute("DELETE FROM irregularities WHERE id = ?", (gone,))
        tally.removed += 1


def _days_to_run(store: Store, settings: PolicySettings) -> list[date] | None:
    """The days imports touched since the rules last ran; None when every day must be looked at again."""
    last = store.conn.execute("SELECT policy FROM rule_runs WHERE id = 1").fetchone()
    if last is None or last[0] != policy_key(settings):
        return None
    return [
        date.fromordinal(int(r[0]))
        for r in store.conn.execute(
            "SELECT DISTINCT d.day FROM import_days d JOIN imports i ON i.id = d.import_id WHERE i.ruled = 0"
            " ORDER BY d.day"
        )
    ]


def ready_settings(book: Casebook) -> PolicySettings:
    """The current policy's fields, or the refusal that names why no control may run now."""
    readiness.require_ready(book)
    return policy_versions.current(book).settings


def run(session: Session, first: date | None = None, last: date | None = None) -> RunReport:
    """The permanent control: the adopted purposes' rules over the days with data (or the days given).

    Only when the policy announced permanent control (CAO 81 art. 12-14: the mode the policy names);
    otherwise the rules run only inside a case's scope (casebook.cases, the control step).
    """
    session.require(Action.RUN_CONTROL)
    settings = ready_settings(session.casebook)
    if ControlMode.PERMANENT not in settings.control_mode:
        raise Refused(
            "control.mode",
            "refused.control_not_permanent",
            modes=", ".join(settings.control_mode),
        )
    return execute(session, first, last, settings.purposes)


def execute(
    session: Session,
    first: date | None,
    last: date | None,
    purposes: tuple[int, ...],
    subject: str | None = None,
) -> RunReport:
    """Run the rules of `purposes` (those the policy adopted) over the days; the caller checked the permission.

    Joins the caller's transaction (a case's control step writes its findings in the same one).
    """
    book = session.casebook
    settings = policy_versions.current(book).settings
    store = book.store
    # Control starts when the policy is in force: nothing from before that day is looked at.
    assert settings.date_in_force is not None  # readiness guarantees it
    rules = [r for r in RULES if r.purpose in settings.purposes and r.purpose in purposes]
    tally = Changes()
    now = clocks.to_text(session.now())
    unmeasured: dict[tuple[str, str], list[int]] = {}
    with store.transaction():
        if first is not None and last is not None:
            days = [d.day for d in _days(first, last)]
        else:
            days_or_all = _days_to_run(store, settings)
            if days_or_all is None:
                # Days of requests, and of visits (a casebook of aggregated visits has no request).
                span = store.conn.execute(
                    "SELECT min(first), max(last) FROM (SELECT min(ts) AS first, max(ts) AS last FROM events"
                    " UNION ALL SELECT min(start), max(start) FROM visits)"
                ).fetchone()
                if span is None or span[0] is None:
                    days = []
                else:
                    days = [
                        d.day
                        for d in _days(
                            datetime.fromtimestamp(span[0], clocks.LOCAL_ZONE).date(),
                            datetime.fromtimestamp(span[1], clocks.LOCAL_ZONE).date(),
                        )
                    ]
            else:
                days = days_or_all
        days = [d for d in days if d >= settings.date_in_force]
        for when in days:
            day = _day(when)
            for rule in rules:
                _reconcile(store, rule, day, settings, now, session.user.name, tally)
                if rule.unmeasured is not None:
                    missing = rule.unmeasured(store, day)
                    if missing:
                        unmeasured.setdefault((rule.name, "measure"), []).append(missing)
                if rule.requests_of is not None and rule.looks_for(settings):
                    missing = aggregated_requests(store, day, rule.requests_of)
                    if missing:
                        unmeasured.setdefault((rule.name, "visits"), []).append(missing)
        if first is None or last is None:
            store.conn.execute("UPDATE imports SET ruled = 1 WHERE ruled = 0")
            store.conn.execute(
                "INSERT INTO rule_runs (id, policy, ran_at) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, ran_at = excluded.ran_at",
                (policy_key(settings), now),
            )
        session.audit(
            "control.rules_run",
            subject,
            {
                "first": days[0].isoformat() if days else None,
                "last": days[-1].isoformat() if days else None,
                "days": len(days),
                "rules": [r.name for r in rules],
                "found": tally.found,
                "updated": tally.updated,
                "removed": tally.removed,
            },
        )
    return RunReport(
        len(days),
        [r.name for r in rules],
        tally.found,
        tally.updated,
        tally.removed,
        tuple(Unmeasured(name, len(counts), sum(counts), reason) for (name, reason), counts in unmeasured.items()),
        tuple(tally.seen),
    )


def recheck(store: Store, settings: PolicySettings, days: set[int], actor: str, now: str) -> Changes:
    """After an import was removed: its days' irregularities as the rules find them without it.

    Only when the rules last ran under what the policy says now (else their
    next run looks at every day anyway). Not a control of its own: it runs no
    rule that had not run, and needs no ready policy; it corrects.
    """
    tally = Changes()
    row = store.conn.execute("SELECT policy FROM rule_runs WHERE id = 1").fetchone()
    if row is None:
        return tally
    if row[0] != policy_key(settings) or settings.date_in_force is None:
        return tally
    rules = [r for r in RULES if r.purpose in settings.purposes]
    for ordinal in sorted(days):
        when = date.fromordinal(ordinal)
        if when < settings.date_in_force:
            continue
        for rule in rules:
            _reconcile(store, rule, _day(when), settings, now, actor, tally)
    return tally


@dataclass(frozen=True)
class Irregularity:
    id: int
    rule: str
    purpose: int
    day: date
    subject: str
    figures: dict[str, Any]
    events: int  # how many events it keeps for an individualisation

    @classmethod
    def of_row(cls, row: Any, id_column: str = "id") -> Irregularity:
        """From a row of `irregularities` with its `events` count (the list, or a case's findings)."""
        return cls(
            int(row[id_column]),
            str(row["rule"]),
            int(row["purpose"]),
            date.fromisoformat(str(row["day"])),
            str(row["subject"]),
            json.loads(str(row["figures"])),
            int(row["events"]),
        )

    @property
    def summary(self) -> str:
        """One sentence, counts only; the sentence agrees with how many people it speaks of (its `count`)."""
        figures = dict(self.figures)
        if "bytes" in figures:
            figures["size"] = formatting.size(int(figures["bytes"]))
        if "category" in figures and figures["category"]:
            figures["category"] = t(f"category.{figures['category']}")
        if "requests" in figures:
            figures["requests_text"] = t("count.requests", count=int(figures["requests"]))
            figures["times_text"] = t("count.times", count=int(figures["requests"]))
        if "visits" in figures:
            figures["visits_text"] = t("count.visits", count=int(figures["visits"]))
        count = int(figures.pop("users", 0))
        figures = {k: formatting.number(v) if isinstance(v, int) else v for k, v in figures.items()}
        return t(
            self._summary_key(),
            subject=formatting.domain_text(self.subject),  # a domain as people write it (a category as is)
            day=self.day.isoformat(),
            count=count,
            category_name=t(f"category.{self.subject}") if self.rule == "private_use" else "",
            **figures,
        )

    def _summary_key(self) -> str:
        """A finding a case kept from before the rules counted visits and security refusals reads as it was found."""
        before = (self.rule in ("offensive_sites", "blocked_sites") and "visits" not in self.figures) or (
            self.rule == "denied_requests" and self.figures.get("kind") != "security"
        )
        return f"rules.{self.rule}.summary" + ("_before" if before else "")


def listing(session: Session, *, limit: int = 100, offset: int = 0, purpose: int | None = None) -> list[Irregularity]:
    """The irregularities found, newest day first; part of the global overview (`rollups.may_read`)."""
    rollups.may_read(session)
    where, params = ("WHERE purpose = ?", [purpose]) if purpose else ("", [])
    rows = session.casebook.store.query(
        f"""SELECT i.id, i.rule, i.purpose, i.day, i.subject, i.figures,
                   (SELECT count(*) FROM irregularity_events x WHERE x.irregularity_id = i.id) AS events
            FROM irregularities i {where} ORDER BY i.day DESC, i.purpose, i.rule, i.subject LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    return [Irregularity.of_row(r) for r in rows]
