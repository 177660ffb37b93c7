"""The overview benchmark's month: its logs made the same each time, and the benchmark run end to end at a tiny size.

No figure of speed is checked here (those belong to `make bench`): only that the
month is what its docstring says and that the benchmark builds, caches and times it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bench import month as months
from bench import overview
from casebook.demo_data import synth
from casebook.paths import KEY_NAME


def _hours(path: Path) -> list[int]:
    return [datetime.fromtimestamp(float(line.split()[0]), synth.BRUSSELS_WINTER).hour for line in path.open()]


def test_the_office_month_is_the_same_each_time_busy_by_day_and_quiet_at_weekends(tmp_path: Path) -> None:
    first = synth.write_squid_office_month(tmp_path / "a", 20_000, days=7, people=40, domains=300)
    again = synth.write_squid_office_month(tmp_path / "b", 20_000, days=7, people=40, domains=300)
    assert [path.read_bytes() for path, _ in first] == [path.read_bytes() for path, _ in again]
    assert [path.name for path, _ in first][0] == "access-2026-10-26.log"  # a Monday
    for path, lines in first:
        stamps = [float(line.split()[0]) for line in path.open()]
        assert len(stamps) == lines
        assert stamps == sorted(stamps)
    counts = [lines for _, lines in first]
    assert sum(counts) >= 20_000
    assert max(counts[5:]) * 10 < min(counts[:5])  # Saturday and Sunday against the working days
    monday = _hours(first[0][0])
    assert sum(8 <= hour < 18 for hour in monday) > 10 * sum(hour < 6 for hour in monday)
    people = {line.split()[7] for path, _ in first for line in path.open()}
    assert len(people) == 40


def test_the_overview_benchmark_builds_its_month_once_then_reuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(months, "CACHE", tmp_path)
    monkeypatch.setattr(months, "EVENTS", 3000)
    built = overview.run()
    assert built["build"]["cached"] is False
    assert built["events_represented"] == built["build"]["requests"] >= 3000
    assert built["rows"]["mail_events"] > 0
    assert built["rows"]["rollup_daily"] > 0
    # Only the casebook and its record are kept: the logs were deleted after the import.
    kept = months.folder(3000)
    assert sorted(p.name for p in kept.iterdir()) == ["built.json", "casebook"]
    assert (kept / "casebook" / KEY_NAME).exists()
    assert set(built["query_ms"]) == set(built["query_vs_baseline_scan"])
    assert {"totals", "top_domains", "categories", "hours_of_day", "durations", "mail"} <= set(built["query_ms"])
    assert built["rules"]["days"] == months.DAYS
    reused = overview.run()
    assert reused["build"]["cached"] is True
    assert reused["events_represented"] == built["events_represented"]
    # A run from scratch finds again what the first found, no more and no less.
    assert reused["rules"]["irregularities"] == built["rules"]["irregularities"]
    assert reused["rules"]["irregularities_by_rule"] == built["rules"]["irregularities_by_rule"]
