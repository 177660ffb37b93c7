"""Irregularity rules: the global control of policy 2.3, one rule per kind of irregularity, each tied to a purpose.

A rule looks at one local day at a time and reports globally ("2 users over
2 GB on 12 Nov"), never who. It keeps the ids of the events behind what it
found, for an individualisation that a supervisor may approve later; until
then they are only counted. Only rules of purposes the policy adopted run,
only on data from the day the policy came into force, and only when the policy
is ready. Categories are the hosts' own (mail.google.com is webmail,
www.google.com is not).

A run looks only at the days imports touched since the last run, unless what
the rules run under (purposes, thresholds, blocked sites, working hours)
changed: then at every day. On each day looked at, what is stored becomes
exactly what the rules find: running them again adds nothing twice, and an
irregularity no longer found goes. A rule that needs what a log does not say
(the upload rule, request sizes) does not guess: the run says how many
requests it could not judge.
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


# Requests with their host's site: its domain, and the host's own category (mail.google.com is webmail,
# www.google.com is not).
_REQUESTS = (
    "events e JOIN hosts h ON h.id = e.host_id JOIN sites s ON s.id = h.site_id JOIN domains d ON d.id = s.domain_id"
)


def offensive_sites(store: Store, day: Day, settings: PolicySettings) -> Iterator[Finding]:
    """Purpose 1: requests to adult, hate or hacking sites."""
    rows = store.query(
        f"""SELECT d.domain, max(s.category) AS category, count(*) AS requests,
                   count(DISTINCT e.pseudonym_id) AS users, group_concat(e.id) AS ids
            FROM {_REQUESTS}
            WHERE e.ts >= ? AND e.ts < ? AND s.category IN ({_marks(OFFENSIVE)}) GROUP BY d.id""",
        [day.start, day.end],
    )
    for r in rows:
        yield Finding(
            str(r["domain"]),
            {"requests": r["requests"], "users": r["users"], "category": r["category"]},
            _ids(r["ids"]),
        )


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
        f"""SELECT d.domain, count(*) AS requests, count(DISTINCT e.pseudonym_id) AS users, group_concat(e.id) AS ids
            FROM {_REQUESTS}
            WHERE e.ts >= ? AND e.ts < ? AND s.category = 'malware' GROUP BY d.id""",
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
            FROM {_REQUESTS}
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
        f"""SELECT s.category, v.pseudonym_id AS who, sum(min(v.end, ?) - max(v.start, ?)) AS seconds,
                   count(*) AS visits
            FROM visits v JOIN sites s ON s.id = v.site_id
            WHERE v.end > ? AND v.start < ? AND s.category IN ({_marks(PRIVATE)})
            GROUP BY s.category, v.pseudonym_id HAVING seconds > ?""",
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
                f"""SELECT e.id FROM {_REQUESTS}
                WHERE e.ts >= ? AND e.ts < ? AND s.category = ? AND e.pseudonym_id IN ({who})""",
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
    # How many of a day's requests the rule would judge but cannot (their log lacks what it measures).
    unmeasured: Callable[[Store, Day], int] | None = None


RULES: tuple[Rule, ...] = (
    Rule("offensive_sites", 1, offensive_sites),
    Rule("large_uploads", 2, large_uploads, unmeasured_uploads),
    Rule("heavy_downloads", 3, heavy_downloads),
    Rule("malware", 3, malware),
    Rule("denied_requests", 3, denied_requests),
    Rule("blocked_sites", 4, blocked_sites),
    Rule("private_use", 4, private_use),
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
                "upload_mb_per_day",
                "download_mb_per_day",
                "denied_per_day",
                "private_minutes_per_day",
            },
        ),
        sort_keys=True,
    )


@dataclass(frozen=True)
class Unmeasured:
    """A rule that could not judge some requests: their log lacks what it measures (request sizes)."""

    rule: str
    days: int
    requests: int


@dataclass(frozen=True)
class RunReport:
    days: int
    rules: list[str]
    found: int  # new irregularities
    updated: int
    removed: int = 0  # no longer found (a threshold raised, an import removed)
    unmeasured: tuple[Unmeasured, ...] = ()
    seen: tuple[int, ...] = ()  # the irregularities this run found (new, changed or as they were)


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
        wanted = set(finding.event_ids)
        kept = {
            int(r[0])
            for r in store.conn.execute(
                "SELECT ref_id FROM irregularity_events WHERE irregularity_id = ? AND kind = 'event'", (irregularity,)
            )
        }
        store.conn.executemany(
            "DELETE FROM irregularity_events WHERE irregularity_id = ? AND kind = 'event' AND ref_id = ?",
            [(irregularity, i) for i in sorted(kept - wanted)],
        )
        store.conn.executemany(
            "INSERT INTO irregularity_events (irregularity_id, kind, ref_id) VALUES (?, 'event', ?)",
            [(irregularity, i) for i in sorted(wanted - kept)],
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
    ready = readiness.of_casebook(book)
    if not ready.ready:
        raise Refused(
            "control.policy_ready",
            "refused.control_not_ready",
            count=len(ready.blockers),
            first=ready.blockers[0].message,
        )
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
    unmeasured: dict[str, list[int]] = {}
    with store.transaction():
        if first is not None and last is not None:
            days = [d.day for d in _days(first, last)]
        else:
            days_or_all = _days_to_run(store, settings)
            if days_or_all is None:
                span = store.conn.execute("SELECT min(ts), max(ts) FROM events").fetchone()
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
                        unmeasured.setdefault(rule.name, []).append(missing)
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
        tuple(Unmeasured(name, len(counts), sum(counts)) for name, counts in unmeasured.items()),
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
