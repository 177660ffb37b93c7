"""The overview's queries and the rules run, over a month of 10 million requests imported by `casebook import`.

The month is an office's (bench/month.py: 400 people, 3,000 sites with a long
tail, busy working hours, quiet nights and weekends, about 10 million
requests, BENCH_OVERVIEW_EVENTS to scale down), written as Squid and Postfix
logs and imported by the real command once; the casebook is cached under
bench/data/ and reused by the next run (bench/month.py says how to rebuild).
The build's figures (log writing, import seconds and peak RSS, casebook size)
are reported under `build` as the build recorded them, with `cached` saying
whether this run built it; `fill_seconds` (the key from when the rows were
invented) is the build's import seconds.

Timed here, in this process, on that casebook as the import left it:
- every query the overview screen and its drill-down make for the month, each
  best of three, against the 300 ms target. Every list folds the groups of
  fewer people than the policy's smallest group (5 by default): which those
  are is counted on every query, as the app does. Baseline: a plain count(*)
  over the month's day rollups, in the same run; each query's ratio to it.
- the rules run (`casebook.rules.run`, the permanent control) over the month,
  from scratch: its bookkeeping (rule_runs, the imports' `ruled` marks) and the
  irregularities found before are cleared first, so it looks at every day and
  stores every finding afresh. Once, not best of three: it takes minutes at
  full size. Baseline: a full read of the month's events (count and sums
  over every row), in the same run; the run's ratio to it. Where the time
  goes: each rule's own queries (`rule_seconds`, measured by wrapping the
  rules for the run), and the rest (`storing_seconds`: storing the findings
  and their evidence, the bookkeeping).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta

from bench import month as months
from casebook import rules
from casebook.book import Casebook
from casebook.logs import rollups
from casebook.session import Session
from casebook.store import Store
from schema.policy import PolicySettings

TARGET_MS = 300
ROLLUP_TABLES = (
    "rollup_hourly",
    "rollup_users",
    "rollup_daily",
    "rollup_daily_users",
    "rollup_category_users",
    "rollup_durations",
    "mail_events",
)


def _best(work: Callable[[], object], runs: int = 3) -> float:
    """The fastest of `runs` runs, in ms."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _queries(session: Session, span: rollups.Period) -> dict[str, Callable[[], object]]:
    """What the overview screen asks for the month, and its drill-down into the top domain and a category."""
    top = rollups.domains(session, span, limit=1)[0]
    return {
        "totals": lambda: rollups.totals(session, span),
        "top_domains": lambda: rollups.domains(session, span, limit=20),
        "domains_page_5": lambda: rollups.domains(session, span, limit=20, offset=100),
        "domains_by_users": lambda: rollups.domains(session, span, limit=20, order="users"),
        "domain_count": lambda: rollups.domain_count(session, span),
        "other_domains": lambda: rollups.other_domains(session, span),
        "categories": lambda: rollups.categories(session, span),
        "hours_of_day": lambda: rollups.hours_of_day(session, span),
        "durations": lambda: rollups.durations(session, span),
        "mail": lambda: rollups.mail(session, span),
        "data_days": lambda: rollups.data_days(session),
        "drill_hours": lambda: rollups.hours_of_day(session, span, domain=top.name),
        "drill_durations": lambda: rollups.durations(session, span, domain=top.name),
        "drill_category_hours": lambda: rollups.hours_of_day(session, span, category="social"),
        "drill_category_durations": lambda: rollups.durations(session, span, category="social"),
    }


def _timed(rule: rules.Rule, spent: dict[str, float]) -> rules.Rule:
    """The rule, adding the time of its own queries (finding, not storing what it found) to `spent`."""

    def check(store: Store, day: rules.Day, settings: PolicySettings) -> Iterator[rules.Finding]:
        found = rule.check(store, day, settings)
        while True:
            started = time.perf_counter()
            finding = next(found, None)
            spent[rule.name] += time.perf_counter() - started
            if finding is None:
                return
            yield finding

    def unmeasured(store: Store, day: rules.Day) -> int:
        assert rule.unmeasured is not None
        started = time.perf_counter()
        count = rule.unmeasured(store, day)
        spent[rule.name] += time.perf_counter() - started
        return count

    return replace(rule, check=check, unmeasured=unmeasured if rule.unmeasured else None)


def _rules(book: Casebook, session: Session, span: rollups.Period) -> dict[str, object]:
    """The rules run over the month from scratch, timed, against a full read of the month's events."""
    conn = book.store.conn
    with book.store.transaction():
        conn.execute("DELETE FROM irregularity_events")
        conn.execute("DELETE FROM irregularities")
        conn.execute("DELETE FROM rule_runs")
        conn.execute("UPDATE imports SET ruled = 0")
    bounds = (span.start, span.end)
    baseline = _best(
        lambda: conn.execute(
            "SELECT count(*), sum(bytes), sum(sent), count(DISTINCT pseudonym_id) FROM events WHERE ts >= ? AND ts < ?",
            bounds,
        ).fetchone()
    )
    months.say("running the rules over the month")
    spent = {rule.name: 0.0 for rule in rules.RULES}
    every = rules.RULES
    rules.RULES = tuple(_timed(rule, spent) for rule in every)
    try:
        started = time.perf_counter()
        report = rules.run(session)
        seconds = time.perf_counter() - started
    finally:
        rules.RULES = every
    by_rule = {
        str(r[0]): int(r[1])
        for r in conn.execute("SELECT rule, count(*) FROM irregularities GROUP BY rule ORDER BY rule")
    }
    kept = conn.execute("SELECT count(*) FROM irregularity_events").fetchone()[0]
    return {
        "days": report.days,
        "rules": report.rules,
        "seconds": round(seconds, 2),
        "rule_seconds": {name: round(spent[name], 2) for name in report.rules},
        "storing_seconds": round(seconds - sum(spent.values()), 2),
        "irregularities": report.found,
        "irregularities_by_rule": by_rule,
        "evidence_events": kept,
        "unmeasured_requests": {m.rule: m.requests for m in report.unmeasured},
        "baseline_events_scan_ms": round(baseline, 1),
        "run_vs_baseline_scan": round(seconds * 1000 / baseline, 1),
    }


def run() -> dict[str, object]:
    found = months.month()
    book = months.open_month(found)
    try:
        session = book.login(months.USER, months.PASSPHRASE)
        first = months.FIRST
        span = rollups.period("custom", first, first, first + timedelta(days=months.DAYS - 1))
        timings = {name: round(_best(query), 1) for name, query in _queries(session, span).items()}
        baseline = _best(
            lambda: book.store.conn.execute(
                "SELECT count(*), sum(requests) FROM rollup_daily WHERE day BETWEEN ? AND ?", span.days
            ).fetchone()
        )
        rows = {
            table: book.store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("events", "visits", *ROLLUP_TABLES)
        }
        ruled = _rules(book, session, span)
    finally:
        book.close()
    slowest = max(timings, key=lambda name: timings[name])
    return {
        "events_represented": rows["events"],
        "days": months.DAYS,
        "rows": rows,
        "fill_seconds": found.built["import_seconds"],
        "build": {"cached": found.cached, "folder": found.home.parent.name, **found.built},
        "query_ms": timings,
        "slowest": slowest,
        "slowest_ms": timings[slowest],
        "target_ms": TARGET_MS,
        "all_under_target": all(ms < TARGET_MS for ms in timings.values()),
        "baseline_rollup_scan_ms": round(baseline, 1),
        "slowest_vs_baseline_scan": round(timings[slowest] / baseline, 1),
        "query_vs_baseline_scan": {name: round(ms / baseline, 1) for name, ms in timings.items()},
        "rules": ruled,
    }
