"""Irregularity rules: the global control of policy 2.3, one rule per kind of irregularity, each tied to a purpose.

A rule looks at one local day at a time and reports globally ("2 users over
2 GB on 12 Nov"), never who. It keeps the ids of the events behind what it
found, for an individualisation that a supervisor may approve later; until
then they are only counted. Only rules of purposes the policy adopted run,
only on data from the day the policy came into force, and only when the policy
is ready. Running them again on the same data adds nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import formatting
from casebook.errors import Refused
from casebook.i18n import t
from casebook.permissions import Action
from casebook.policy import readiness
from casebook.policy import versions as policy_versions
from schema.policy import PolicySettings

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store

OFFENSIVE = ("adult", "hate", "hacking")
SHARING = ("filesharing", "webmail")
PRIVATE = ("social", "streaming", "webmail", "gambling", "games")
MB = 1024 * 1024


@dataclass(frozen=True)
class Finding:
    subject: str
    figures: dict[str, Any]
    event_ids: list[int]


@dataclass(frozen=True)
class Day:
    day: date
    start: float
    end: float


Check = Callable[["Store", Day, PolicySettings], Iterator[Finding]]


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # fixed category names from this module, never user input


def offensive_sites(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 1: requests to adult, hate or hacking sites."""
    rows = store.query(
        f"""SELECT d.domain, d.category, count(*) AS requests, count(DISTINCT e.pseudonym_id) AS users,
                   group_concat(e.id) AS ids
            FROM events e JOIN hosts h ON h.id = e.host_id JOIN domains d ON d.id = h.domain_id
            WHERE e.ts >= ? AND e.ts < ? AND d.category IN ({_marks(OFFENSIVE)}) GROUP BY d.id""",
        [day.start, day.end],
    )
    for r in rows:
        yield Finding(
            str(r["domain"]),
            {"requests": r["requests"], "users": r["users"], "category": r["category"]},
            _ids(r["ids"]),
        )


def large_uploads(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 2: more than the threshold sent (POST/PUT) to file-sharing or webmail sites by one person in a day."""
    limit = settings.upload_mb_per_day * MB
    rows = store.query(
        f"""SELECT e.pseudonym_id AS who, sum(e.bytes) AS bytes, group_concat(e.id) AS ids
            FROM events e JOIN hosts h ON h.id = e.host_id JOIN domains d ON d.id = h.domain_id
            WHERE e.ts >= ? AND e.ts < ? AND e.method IN ('POST', 'PUT') AND d.category IN ({_marks(SHARING)})
            GROUP BY e.pseudonym_id HAVING sum(e.bytes) > ?""",
        [day.start, day.end, limit],
    )
    if rows:
        yield Finding(
            "",
            {
                "users": len(rows),
                "bytes": sum(int(r["bytes"]) for r in rows),
                "threshold_mb": settings.upload_mb_per_day,
            },
            [i for r in rows for i in _ids(r["ids"])],
        )


def heavy_downloads(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 3: more than the threshold received by one person in a day."""
    limit = settings.download_mb_per_day * MB
    rows = store.query(
        """SELECT pseudonym_id AS who, sum(bytes) AS bytes FROM events
           WHERE ts >= ? AND ts < ? AND method NOT IN ('POST', 'PUT')
           GROUP BY pseudonym_id HAVING sum(bytes) > ?""",
        [day.start, day.end, limit],
    )
    if rows:
        who = [int(r["who"]) for r in rows]
        # The largest transfers of each, the evidence of the volume, not every page they opened.
        ids = [
            int(r["id"])
            for r in store.query(
                f"""SELECT id FROM events WHERE ts >= ? AND ts < ? AND bytes >= ? AND pseudonym_id IN
                ({", ".join(str(w) for w in who)})""",
                [day.start, day.end, MB],
            )
        ]
        yield Finding(
            "",
            {
                "users": len(rows),
                "bytes": sum(int(r["bytes"]) for r in rows),
                "threshold_mb": settings.download_mb_per_day,
            },
            ids,
        )


def malware(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 3: requests to malware sites."""
    rows = store.query(
        """SELECT d.domain, count(*) AS requests, count(DISTINCT e.pseudonym_id) AS users, group_concat(e.id) AS ids
           FROM events e JOIN hosts h ON h.id = e.host_id JOIN domains d ON d.id = h.domain_id
           WHERE e.ts >= ? AND e.ts < ? AND d.category = 'malware' GROUP BY d.id""",
        [day.start, day.end],
    )
    for r in rows:
        yield Finding(str(r["domain"]), {"requests": r["requests"], "users": r["users"]}, _ids(r["ids"]))


def denied_requests(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 3: many requests the proxy refused, by one person in a day."""
    rows = store.query(
        """SELECT pseudonym_id AS who, count(*) AS n, group_concat(id) AS ids FROM events
           WHERE ts >= ? AND ts < ? AND denied = 1 GROUP BY pseudonym_id HAVING count(*) > ?""",
        [day.start, day.end, settings.denied_per_day],
    )
    if rows:
        yield Finding(
            "",
            {"users": len(rows), "requests": sum(int(r["n"]) for r in rows), "threshold": settings.denied_per_day},
            [i for r in rows for i in _ids(r["ids"])],
        )


def blocked_sites(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 4: attempts on the sites the policy blocks."""
    if not settings.blocked_sites:
        return
    hosts = " OR ".join("(h.host = ? OR h.host LIKE ?)" for _ in settings.blocked_sites)
    params: list[object] = [day.start, day.end]
    for site in settings.blocked_sites:
        params += [site, f"%.{site}"]
    rows = store.query(
        f"""SELECT d.domain, count(*) AS requests, count(DISTINCT e.pseudonym_id) AS users, group_concat(e.id) AS ids
            FROM events e JOIN hosts h ON h.id = e.host_id JOIN domains d ON d.id = h.domain_id
            WHERE e.ts >= ? AND e.ts < ? AND ({hosts}) GROUP BY d.id""",
        params,
    )
    for r in rows:
        yield Finding(str(r["domain"]), {"requests": r["requests"], "users": r["users"]}, _ids(r["ids"]))


def private_use(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 4: private sites used during working hours beyond the threshold, per person and day."""
    hours = settings.working_hours
    local_day = day.day
    if hours is None or local_day.isoweekday() not in hours.days:
        return
    start = datetime.combine(local_day, hours.start, clocks.LOCAL_ZONE).timestamp()
    end = datetime.combine(local_day, hours.end, clocks.LOCAL_ZONE).timestamp()
    limit = settings.private_minutes_per_day * 60
    rows = store.query(
        f"""SELECT d.category, v.pseudonym_id AS who, sum(min(v.end, ?) - max(v.start, ?)) AS seconds,
                   count(*) AS visits
            FROM visits v JOIN domains d ON d.id = v.domain_id
            WHERE v.end > ? AND v.start < ? AND d.category IN ({_marks(PRIVATE)})
            GROUP BY d.category, v.pseudonym_id HAVING seconds > ?""",
        [end, start, start, end, limit],
    )
    by_category: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_category.setdefault(str(r["category"]), []).append(r)
    for category, people in by_category.items():
        who = ", ".join(str(int(p["who"])) for p in people)
        ids = [
            int(r["id"])
            for r in store.query(
                f"""SELECT e.id FROM events e JOIN hosts h ON h.id = e.host_id JOIN domains d ON d.id = h.domain_id
                WHERE e.ts >= ? AND e.ts < ? AND d.category = ? AND e.pseudonym_id IN ({who})""",
                [start, end, category],
            )
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
        )


def _ids(text: str | None) -> list[int]:
    return [int(i) for i in (text or "").split(",") if i]


@dataclass(frozen=True)
class Rule:
    name: str
    purpose: int
    check: Check


RULES: tuple[Rule, ...] = (
    Rule("offensive_sites", 1, offensive_sites),
    Rule("large_uploads", 2, large_uploads),
    Rule("heavy_downloads", 3, heavy_downloads),
    Rule("malware", 3, malware),
    Rule("denied_requests", 3, denied_requests),
    Rule("blocked_sites", 4, blocked_sites),
    Rule("private_use", 4, private_use),
)


def _days(first: date, last: date) -> Iterator[Day]:
    day = first
    while day <= last:
        start = datetime.combine(day, time(), clocks.LOCAL_ZONE).timestamp()
        end = datetime.combine(day + timedelta(days=1), time(), clocks.LOCAL_ZONE).timestamp()
        yield Day(day, start, end)
        day += timedelta(days=1)


@dataclass(frozen=True)
class RunReport:
    days: int
    rules: list[str]
    found: int  # new irregularities
    updated: int


def run(session: Session, first: date | None = None, last: date | None = None) -> RunReport:
    """Run the adopted purposes' rules over the days with data (or the days given)."""
    session.require(Action.RUN_CONTROL)
    book = session.casebook
    ready = readiness.check(session)
    if not ready.ready:
        raise Refused(
            "control.policy_ready",
            "refused.control_not_ready",
            count=len(ready.blockers),
            first=ready.blockers[0].message,
        )
    settings = policy_versions.current(book).settings
    store = book.store
    span = store.query_one("SELECT min(ts) AS a, max(ts) AS b FROM events")
    if first is None or last is None:
        if not span or span["a"] is None:
            return RunReport(0, [], 0, 0)
        first = first or clocks.local(datetime.fromtimestamp(span["a"], clocks.LOCAL_ZONE)).date()
        last = last or clocks.local(datetime.fromtimestamp(span["b"], clocks.LOCAL_ZONE)).date()
    # Control starts when the policy is in force: nothing from before that day is looked at.
    assert settings.date_in_force is not None  # readiness guarantees it
    first = max(first, settings.date_in_force)
    rules = [r for r in RULES if r.purpose in settings.purposes]
    found = updated = days = 0
    now = clocks.to_text(session.now())
    with store.transaction():
        for day in _days(first, last):
            days += 1
            for rule in rules:
                for finding in rule.check(store, day, settings):
                    existing = store.conn.execute(
                        "SELECT id, figures FROM irregularities WHERE rule = ? AND day = ? AND subject = ?",
                        (rule.name, day.day.isoformat(), finding.subject),
                    ).fetchone()
                    figures = json.dumps(finding.figures, sort_keys=True)
                    if existing is None:
                        irregularity = int(
                            store.conn.execute(
                                "INSERT INTO irregularities (rule, purpose, day, subject, figures, detected_at, detected_by)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (
                                    rule.name,
                                    rule.purpose,
                                    day.day.isoformat(),
                                    finding.subject,
                                    figures,
                                    now,
                                    session.user.name,
                                ),
                            ).lastrowid
                            or 0
                        )
                        found += 1
                    else:
                        irregularity = int(existing[0])
                        if existing[1] != figures:  # a later import added to that day
                            store.conn.execute(
                                "UPDATE irregularities SET figures = ? WHERE id = ?", (figures, irregularity)
                            )
                            updated += 1
                    store.conn.executemany(
                        "INSERT OR IGNORE INTO irregularity_events (irregularity_id, kind, ref_id) VALUES (?, 'event', ?)",
                        [(irregularity, i) for i in finding.event_ids],
                    )
        session.audit(
            "control.rules_run",
            None,
            {
                "first": first.isoformat(),
                "last": last.isoformat(),
                "rules": [r.name for r in rules],
                "found": found,
                "updated": updated,
            },
        )
    return RunReport(days, [r.name for r in rules], found, updated)


@dataclass(frozen=True)
class Irregularity:
    id: int
    rule: str
    purpose: int
    day: date
    subject: str
    figures: dict[str, Any]
    events: int  # how many events it keeps for an individualisation

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
        count = int(figures.pop("users", 0))
        figures = {k: formatting.number(v) if isinstance(v, int) else v for k, v in figures.items()}
        return t(
            f"rules.{self.rule}.summary",
            subject=formatting.domain_text(self.subject),  # a domain as people write it (a category as is)
            day=self.day.isoformat(),
            count=count,
            category_name=t(f"category.{self.subject}") if self.rule == "private_use" else "",
            **figures,
        )


def listing(session: Session, *, limit: int = 100, offset: int = 0, purpose: int | None = None) -> list[Irregularity]:
    session.require(Action.MODE_LOGS)
    where, params = ("WHERE purpose = ?", [purpose]) if purpose else ("", [])
    rows = session.casebook.store.query(
        f"""SELECT i.id, i.rule, i.purpose, i.day, i.subject, i.figures,
                   (SELECT count(*) FROM irregularity_events x WHERE x.irregularity_id = i.id) AS events
            FROM irregularities i {where} ORDER BY i.day DESC, i.purpose, i.rule, i.subject LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    return [
        Irregularity(
            int(r["id"]),
            str(r["rule"]),
            int(r["purpose"]),
            date.fromisoformat(str(r["day"])),
            str(r["subject"]),
            json.loads(str(r["figures"])),
            int(r["events"]),
        )
        for r in rows
    ]
