"""Global figures checked against counts made independently from the sample logs; rules fire and stay quiet."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from casebook import rules
from casebook.book import Casebook
from casebook.clock import LOCAL_ZONE
from casebook.demo_data import synth
from casebook.errors import Refused
from casebook.logs import hosts, importer, rollups
from casebook.policy import consultation, versions
from casebook.session import Session
from schema.policy import Body
from tests.conftest import ready_with

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
DAY = date(2026, 11, 2)  # the sample logs' Monday


@pytest.fixture
def imported(book: Casebook, officer: Session) -> Session:
    importer.import_file(officer, SAMPLES / "squid-access.log")
    return officer


def independent_counts() -> tuple[int, int, Counter[str], set[str]]:
    """Requests, bytes, requests per domain and identities, read from the sample with a plain split."""
    requests, size, per_domain, people = 0, 0, Counter(), set()
    for raw in (SAMPLES / "squid-access.log").read_bytes().split(b"\n"):
        fields = raw.decode("utf-8", "replace").split()
        if len(fields) != 10 or not re.fullmatch(r"\d+\.\d+", fields[0]) or float(fields[0]) > 2e9:
            continue
        target = fields[6]
        host = target.split("://")[-1].split("/")[0].split(":")[0].lower()
        if not re.fullmatch(r"[a-z0-9.-]+", host) or "\x00" in raw.decode("utf-8", "replace"):
            continue
        requests += 1
        size += int(fields[4])
        people.add(fields[7] if fields[7] != "-" else fields[2])
        per_domain[".".join(host.split(".")[-2:])] += 1
    return requests, size, per_domain, people


def test_days_with_data(officer: Session) -> None:
    assert rollups.data_days(officer) is None
    importer.import_file(officer, SAMPLES / "squid-access.log")
    stamps = officer.casebook.store.query_one("SELECT min(ts) AS first, max(ts) AS last FROM events")
    assert stamps is not None
    assert rollups.data_days(officer) == (
        datetime.fromtimestamp(stamps["first"], LOCAL_ZONE).date(),
        datetime.fromtimestamp(stamps["last"], LOCAL_ZONE).date(),
    )
    assert rollups.data_days(officer)[0] == DAY  # type: ignore[index]


def test_totals_match_the_file(imported: Session) -> None:
    requests, size, per_domain, people = independent_counts()
    span = rollups.period("custom", DAY, DAY - timedelta(days=1), DAY + timedelta(days=30))
    totals = rollups.totals(imported, span)
    assert (totals.requests, totals.bytes) == (requests, size)
    assert totals.users == len(people) == len(synth.OFFICE) + 1  # one line named only its address
    listed = {r.name: r.requests for r in rollups.domains(imported, span, limit=1000)}
    assert listed == {d: n for d, n in per_domain.items() if d in listed}
    other = rollups.other_domains(imported, span)  # the domains of fewer than 5 people, folded together
    assert other is not None and other.folded == len(per_domain) - len(listed)
    assert sum(listed.values()) + other.requests == requests


def test_domains_page_through_sql(imported: Session) -> None:
    span = rollups.period("custom", DAY, DAY, DAY)
    first = rollups.domains(imported, span, limit=3)
    second = rollups.domains(imported, span, limit=3, offset=3)
    assert len(first) == 3 and not {r.name for r in first} & {r.name for r in second}
    assert [r.requests for r in first] == sorted([r.requests for r in first], reverse=True)
    assert rollups.domain_count(imported, span) >= 6


def test_categories_sum_to_the_totals(imported: Session) -> None:
    span = rollups.period("custom", DAY, DAY, DAY)
    assert sum(r.requests for r in rollups.categories(imported, span)) == rollups.totals(imported, span).requests


def test_hours_of_day_are_local(imported: Session) -> None:
    span = rollups.period("custom", DAY, DAY, DAY)
    by_hour = rollups.hours_of_day(imported, span)
    assert len(by_hour) == 24
    assert sum(h.requests for h in by_hour[:8]) == 0  # the office opens at 08:00 Brussels time
    assert sum(h.requests for h in by_hour) == rollups.totals(imported, span).requests


def test_durations_and_medians(imported: Session) -> None:
    span = rollups.period("custom", DAY, DAY, DAY)
    buckets = rollups.durations(imported, span)
    assert sum(buckets) == rollups.totals(imported, span).visits
    top = rollups.domains(imported, span, limit=1)[0]
    assert top.median_seconds is not None and top.median_seconds >= 0


def test_mail_volume(book: Casebook, admin: Session, officer: Session) -> None:
    versions.update_settings(admin, {"mail_domains": "dewerf.be"})
    importer.import_file(officer, SAMPLES / "postfix-mail.log")
    volume = rollups.mail(officer, rollups.period("custom", DAY, DAY, DAY))
    # Every message of the sample passes the content filter once per recipient: one hop line each. Its retries,
    # the filter's copy (412 bytes bigger), bounce notices and address probes add no message.
    text = (SAMPLES / "postfix-mail.log").read_text()
    sizes: dict[str, int] = {}
    for queue, size in re.findall(r"\]: (\w+): from=<[^>]*>, size=(\d+)", text):
        sizes.setdefault(queue, int(size))
    hops = re.findall(r"\]: (\w+): to=<[^>]*>, relay=127\.0\.0\.1\S*, .* queued as ", text)
    assert "status=deferred" in text and "notification:" in text and "status=deliverable" in text
    assert sum(n for n, _ in volume.values()) == len(hops)
    assert sum(b for _, b in volume.values()) == sum(sizes[q] for q in hops)
    assert volume["internal"][0] > 0 and volume["outgoing"][0] > 0


def test_periods() -> None:
    today = date(2026, 11, 28)
    assert rollups.period("week", today).first_day == date(2026, 11, 22)
    assert rollups.period("month", today).first_day == date(2026, 10, 30)
    with pytest.raises(Refused):
        rollups.period("custom", today, date(2026, 11, 5), date(2026, 11, 1))
    span = rollups.period("today", today)
    assert span.end - span.start == 24 * 3600
    assert datetime.fromtimestamp(span.start, LOCAL_ZONE).hour == 0


def test_employees_cannot_see_the_overview(book: Casebook, people: dict[str, Session]) -> None:
    span = rollups.period("today", date(2026, 11, 28))
    for name in ("eva", "bert", "admin"):
        with pytest.raises(Refused):
            rollups.totals(people[name], span)
        with pytest.raises(Refused):
            rollups.data_days(people[name])


def test_the_overview_is_refused_while_the_policy_is_not_ready(
    admin: Session, ready_policy: object, people: dict[str, Session]
) -> None:
    """What was imported for a control is not looked at while `policy check` fails: every read, one rule."""
    officer = people["ilse"]
    importer.import_file(officer, SAMPLES / "squid-access.log")
    span = rollups.period("custom", DAY, DAY, DAY)
    assert rollups.totals(officer, span).requests > 0
    # The policy's control changed and the works council has not heard of it: the policy is not ready.
    versions.update_settings(admin, {"control_mode": "event"})
    reads = {
        "data_days": lambda who: rollups.data_days(who),
        "totals": lambda who: rollups.totals(who, span),
        "domains": lambda who: rollups.domains(who, span),
        "domain_count": lambda who: rollups.domain_count(who, span),
        "other_domains": lambda who: rollups.other_domains(who, span),
        "categories": lambda who: rollups.categories(who, span),
        "hours_of_day": lambda who: rollups.hours_of_day(who, span),
        "durations": lambda who: rollups.durations(who, span, domain="google.com"),
        "mail": lambda who: rollups.mail(who, span),
        "irregularities": lambda who: rules.listing(who),
    }
    for name, read in reads.items():
        for who in (officer, people["sofie"]):
            with pytest.raises(Refused) as refusal:
                read(who)
            assert refusal.value.rule == "control.policy_ready", name
    consultation.record_information(admin, Body.WORKS_COUNCIL, date(2026, 11, 27), "controle bij gebeurtenissen")
    assert all(read(people["sofie"]) is not None for read in reads.values())


# -- rules -------------------------------------------------------------------------------

LINE = "{ts:.3f} 100 10.0.0.{who} {code} {size} {method} http://{host}/ user{who} HIER_DIRECT/1.2.3.4 {type}{sent}"
MONDAY = datetime(2026, 11, 16, tzinfo=LOCAL_ZONE)


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    defaults = {"code": "TCP_MISS/200", "size": 500, "method": "GET", "who": 1, "type": "text/html"}
    # With "sent", the line of Squid's logformat that adds the request's size (%>st).
    lines = [LINE.format(**{**defaults, **row, "sent": f" {row['sent']}" if "sent" in row else ""}) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def at(hour: int, minute: int = 0, day: int = 0) -> float:
    return (MONDAY + timedelta(days=day, hours=hour, minutes=minute)).timestamp()


@pytest.fixture
def controlled(book: Casebook, admin: Session, officer: Session) -> Session:
    ready_with(
        admin,
        # The permanent control: the rules run on every day with data, outside any case.
        control_mode="permanent",
        control_justification="de veiligheid van het netwerk vraagt een voortdurende globale opvolging",
        purposes="1,2,3,4",
        working_hours="08:30-17:00",
        blocked_sites="unibet.be",
        download_mb_per_day="100",
        upload_mb_per_day="50",
        denied_per_day="5",
        private_minutes_per_day="30",
    )
    return officer


def found(session: Session, tmp_path: Path, rows: list[dict[str, object]]) -> dict[str, list[rules.Irregularity]]:
    """Import the rows (none: only run the rules again), run the rules, and what they keep, per rule."""
    if rows:
        importer.import_file(session, write(tmp_path / f"log{len(list(tmp_path.iterdir()))}.log", rows))
    rules.run(session)
    out: dict[str, list[rules.Irregularity]] = {}
    for item in rules.listing(session):
        out.setdefault(item.rule, []).append(item)
    return out


@pytest.mark.parametrize(
    ("rule", "firing", "quiet"),
    [
        (
            "offensive_sites",
            [{"ts": at(10), "host": "www.pornhub.com"}],
            [
                {"ts": at(10), "host": "www.hln.be"},
                # What a page embedded (images, a script), never a page of the site: no page the person opened.
                *(
                    {"ts": at(11, m), "host": "www.pornhub.com", "type": t}
                    for m, t in enumerate(["image/png", "application/javascript"])
                ),
            ],
        ),
        (
            "large_uploads",
            [{"ts": at(10, m), "host": "wetransfer.com", "method": "POST", "sent": 30 * 2**20} for m in range(2)],
            [
                {"ts": at(10), "host": "wetransfer.com", "method": "POST", "sent": 30 * 2**20},
                {"ts": at(11), "host": "www.hln.be", "method": "POST", "sent": 90 * 2**20},
                {"ts": at(12), "host": "wetransfer.com", "method": "POST", "size": 90 * 2**20, "sent": 900},
            ],
        ),
        (
            "heavy_downloads",
            [{"ts": at(10), "size": 101 * 2**20, "host": "mirror.example"}],
            [{"ts": at(10), "size": 99 * 2**20, "host": "mirror.example"}],
        ),
        ("malware", [{"ts": at(10), "host": "eicar.org"}], [{"ts": at(10), "host": "eicar.example"}]),
        (
            "denied_requests",
            # Refusals of a hacking site: a security signal, however slowly they come.
            [{"ts": at(10, m), "code": "TCP_DENIED/403", "host": "www.exploit-db.com"} for m in range(6)],
            # Thirty refusals of an ordinary site, one a minute: a person, not a program; no security signal.
            [{"ts": at(10, m), "code": "TCP_DENIED/403", "host": "x.example"} for m in range(30)],
        ),
        (
            "blocked_sites",
            # Two attempts, refused, more than the visit gap apart: two visits (the policy's default threshold).
            [{"ts": at(10, m), "host": "www.unibet.be", "code": "TCP_DENIED/403"} for m in (0, 20)],
            [{"ts": at(10), "host": "www.unibet.nl"}, {"ts": at(11), "host": "www.unibet.be"}],
        ),
        (
            "gambling_games",
            [{"ts": at(22), "host": "www.napoleongames.be"}],  # a page opened at night: forbidden at all times
            [
                {"ts": at(22), "host": "www.napoleongames.be", "type": "image/gif"},  # an advert on another page
                {"ts": at(23), "host": "www.napoleongames.be", "code": "TCP_DENIED/403"},  # refused: nothing opened
            ],
        ),
        (
            "private_use",
            [{"ts": at(10, m), "host": "www.facebook.com"} for m in range(0, 40, 2)],
            [{"ts": at(12 + 5, m), "host": "www.facebook.com"} for m in range(0, 40, 2)],
        ),  # after working hours
    ],
)
def test_rule_fires_and_stays_quiet(
    controlled: Session, tmp_path: Path, rule: str, firing: list[dict[str, object]], quiet: list[dict[str, object]]
) -> None:
    (tmp_path / "quiet").mkdir()
    (tmp_path / "loud").mkdir()
    assert rule not in found(controlled, tmp_path / "quiet", quiet)
    shifted = [{**row, "ts": float(row["ts"]) + 86400} for row in firing]  # type: ignore[arg-type]
    result = found(controlled, tmp_path / "loud", shifted)
    assert rule in result
    item = result[rule][0]
    assert item.events > 0 and item.day == date(2026, 11, 17)
    assert "user1" not in item.summary and "10.0.0.1" not in item.summary


def test_running_again_adds_nothing(controlled: Session, tmp_path: Path) -> None:
    found(controlled, tmp_path, [{"ts": at(10), "host": "www.pornhub.com"}])
    before = len(rules.listing(controlled))
    second = rules.run(controlled)
    assert (second.found, len(rules.listing(controlled))) == (0, before)


def test_only_adopted_purposes_run(book: Casebook, admin: Session, controlled: Session, tmp_path: Path) -> None:
    versions.update_settings(admin, {"purposes": "2,3"})
    # A change of the purposes is presented to the works council before it applies (CAO 81 art. 9).
    consultation.record_information(admin, Body.WORKS_COUNCIL, date(2026, 11, 27), "doeleinden 2 en 3")
    assert "offensive_sites" not in found(controlled, tmp_path, [{"ts": at(10), "host": "www.pornhub.com"}])


def test_nothing_before_the_policy_is_in_force(
    book: Casebook, admin: Session, controlled: Session, tmp_path: Path
) -> None:
    versions.update_settings(admin, {"date_in_force": "2026-11-20", "consultation_date": "2026-11-01"})
    assert "offensive_sites" not in found(controlled, tmp_path, [{"ts": at(10), "host": "www.pornhub.com"}])


def test_no_control_without_a_ready_policy(book: Casebook, people: dict[str, Session]) -> None:
    with pytest.raises(Refused) as refusal:
        rules.run(people["ilse"])
    assert refusal.value.rule == "control.policy_ready"


def test_irregularity_keeps_exactly_its_events(controlled: Session, tmp_path: Path) -> None:
    found(
        controlled,
        tmp_path,
        [
            {"ts": at(10), "host": "www.pornhub.com"},
            {"ts": at(10, 1), "host": "www.hln.be"},
            {"ts": at(10, 2), "host": "www.pornhub.com", "who": 2},
        ],
    )
    store = controlled.casebook.store
    kept = store.query(
        "SELECT h.host FROM irregularity_events x JOIN events e ON e.id = x.ref_id JOIN hosts h ON h.id = e.host_id"
    )
    assert sorted(r["host"] for r in kept) == ["www.pornhub.com", "www.pornhub.com"]


def test_407_is_never_a_refusal(controlled: Session, tmp_path: Path) -> None:
    """Every NTLM or Kerberos sign-in to the proxy starts with a 407: never a refusal of the employee."""
    challenges = [
        {"ts": at(10) + n, "code": "TCP_DENIED/407", "host": "www.exploit-db.com", "type": "text/html"}
        for n in range(40)
    ]
    assert "denied_requests" not in found(controlled, tmp_path, challenges)
    refused = [{**row, "ts": float(row["ts"]) + 86400, "code": "TCP_DENIED/403"} for row in challenges]
    assert "denied_requests" in found(controlled, tmp_path, refused)  # the same requests refused: a signal


def test_a_burst_of_refusals_is_a_security_signal(controlled: Session, tmp_path: Path) -> None:
    """Twelve refusals within half a minute of an ordinary site: a program, not a person (purpose 3)."""
    burst = [{"ts": at(10) + 2 * n, "code": "TCP_DENIED/403", "host": "x.example"} for n in range(12)]
    (item,) = found(controlled, tmp_path, burst)["denied_requests"]
    assert (item.purpose, item.figures["requests"], item.events) == (3, 12, 12)
    assert "beveiligingsprobleem" in item.summary


def test_a_refused_request_of_blocked_content_is_purpose_4_not_3(controlled: Session, tmp_path: Path) -> None:
    """Eight refused attempts on a blocked site, ten minutes apart: attempts (purpose 4), no harm to the network."""
    tries = [{"ts": at(10, 10 * n), "code": "TCP_DENIED/403", "host": "www.unibet.be"} for n in range(8)]
    result = found(controlled, tmp_path, tries)
    assert "denied_requests" not in result
    (item,) = result["blocked_sites"]
    assert (item.purpose, item.figures["visits"], item.events) == (4, 8, 8)


def test_a_page_visit_counts_once_and_embedded_requests_not_at_all(controlled: Session, tmp_path: Path) -> None:
    rows = [{"ts": at(10), "host": "www.pornhub.com"}]  # person 1 opens a page...
    rows += [{"ts": at(10) + n, "host": "www.pornhub.com", "type": "image/jpeg"} for n in range(1, 30)]  # ...its images
    # Person 2 read a page elsewhere that embedded an advert and a script from the same site: no page opened.
    rows += [{"ts": at(10, 5) + n, "host": "www.pornhub.com", "type": "image/gif", "who": 2} for n in range(3)]
    rows += [{"ts": at(10, 6), "host": "www.pornhub.com", "type": "application/javascript", "who": 2}]
    (item,) = found(controlled, tmp_path, sorted(rows, key=lambda r: float(r["ts"])))["offensive_sites"]  # type: ignore[arg-type]
    assert (item.figures["visits"], item.figures["users"], item.events) == (1, 1, 30)
    assert "1 bezoek door 1 gebruiker" in item.summary
    kept = controlled.casebook.store.query(
        "SELECT DISTINCT e.pseudonym_id AS who FROM irregularity_events x JOIN events e ON e.id = x.ref_id"
    )
    assert len(kept) == 1  # the person whose browser only fetched an advert is not among the evidence


def test_per_day_thresholds_come_from_the_policy(admin: Session, controlled: Session, tmp_path: Path) -> None:
    versions.update_settings(admin, {"offensive_visits_per_day": "3", "blocked_visits_per_day": "1"})
    two = [{"ts": at(10, m), "host": h} for m in (0, 30) for h in ("www.pornhub.com",)]
    result = found(controlled, tmp_path, [*two, {"ts": at(12), "host": "www.unibet.be"}])
    assert "offensive_sites" not in result  # two pages opened: under three a day
    assert result["blocked_sites"][0].figures == {"visits": 1, "users": 1, "category": "gambling", "threshold": 1}
    third = found(controlled, tmp_path, [{"ts": at(11, day=1), "host": "www.xvideos.com"}])
    assert "offensive_sites" not in third  # a third page, but on another day
    versions.update_settings(admin, {"offensive_visits_per_day": "2"})
    (item,) = found(controlled, tmp_path, [])["offensive_sites"]  # a threshold changed: every day looked at again
    assert (item.day, item.figures["visits"], item.figures["threshold"]) == (MONDAY.date(), 2, 2)
    for value in ("0", "1001", "1.5"):
        with pytest.raises(Refused):
            versions.update_settings(admin, {"offensive_visits_per_day": value})


def test_gambling_is_forbidden_at_all_hours_not_counted_as_private_time(controlled: Session, tmp_path: Path) -> None:
    # Saturday night, no working hours: a page of a casino opened.
    night = found(controlled, tmp_path, [{"ts": at(22, day=5), "host": "www.napoleongames.be"}])
    (item,) = night["gambling_games"]
    assert (item.purpose, item.day, item.figures["visits"]) == (4, date(2026, 11, 21), 1)
    assert "altijd verboden" in item.summary
    # A hundred minutes of games in working hours: the gambling and games rule, never private use's threshold.
    games = [{"ts": at(13, m), "host": "www.miniclip.com"} for m in range(0, 100, 4)]
    result = found(controlled, tmp_path, games)
    assert "private_use" not in result
    assert {i.subject for i in result["gambling_games"]} == {"miniclip.com", "napoleongames.be"}


def test_breaks_are_left_out_of_private_use(admin: Session, controlled: Session, tmp_path: Path) -> None:
    lunch = [{"ts": at(12, m), "host": "www.facebook.com"} for m in range(0, 45, 2)]  # 44 minutes at lunch
    assert "private_use" in found(controlled, tmp_path, lunch)  # no breaks in the policy: all working time
    versions.update_settings(admin, {"breaks": "12:00-12:45, 15:00-15:15"})
    assert "private_use" not in found(controlled, tmp_path, [])  # the breaks changed: the day looked at again
    # From 11:20 into the break: only the forty minutes before noon count, and only their requests are kept.
    before = [{"ts": at(11, 20 + m, day=1), "host": "www.facebook.com"} for m in range(0, 80, 2)]
    (item,) = found(controlled, tmp_path, before)["private_use"]
    assert (item.figures["minutes"], item.events) == (40, 20)
    assert "pauzes niet meegeteld" in item.summary


def test_heavy_downloads_speak_of_the_network_only(controlled: Session, tmp_path: Path) -> None:
    (item,) = found(controlled, tmp_path, [{"ts": at(10), "size": 101 * 2**20, "host": "mirror.example"}])[
        "heavy_downloads"
    ]
    assert item.purpose == 3 and "een belasting van het netwerk, niets over de inhoud" in item.summary


def test_a_finding_kept_from_before_the_visit_rules_reads_as_it_was_found() -> None:
    """A case keeps its findings as found; those counted in requests (before pages and security) still read."""
    old = rules.Irregularity(
        1, "offensive_sites", 1, MONDAY.date(), "pornhub.com", {"requests": 2, "users": 1, "category": "adult"}, 2
    )
    assert old.summary.startswith("pornhub.com (") and "2 verzoeken door 1 gebruiker" in old.summary
    refused = rules.Irregularity(
        2, "denied_requests", 3, MONDAY.date(), "", {"requests": 40, "users": 1, "threshold": 25}, 40
    )
    assert "geweigerde verzoeken" in refused.summary and "beveiligingsprobleem" not in refused.summary
    blocked = rules.Irregularity(3, "blocked_sites", 4, MONDAY.date(), "unibet.be", {"requests": 1, "users": 1}, 1)
    assert "1 keer door 1 gebruiker" in blocked.summary


def test_domain_of_blocked_subdomain(controlled: Session) -> None:
    assert hosts.domain_of("m.unibet.be") == "unibet.be"


def test_duration_counts_match_the_visits(imported: Session) -> None:
    span = rollups.period("custom", DAY, DAY, DAY)
    direct = [0] * len(rollups.BOUNDS)
    for row in imported.casebook.store.query(
        "SELECT end - start AS d FROM visits WHERE start >= ? AND start < ?", [span.start, span.end]
    ):
        direct[rollups.bucket(float(row["d"]))] += 1
    assert rollups.duration_counts(imported, span) == direct


def test_median_from_buckets() -> None:
    assert rollups.median([0] * 11) is None
    assert rollups.median([0, 0, 0, 4] + [0] * 7) == 90  # all four visits took 1-2 min: the middle is 1.5 min
    assert rollups.median([3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) == pytest.approx(20 / 3)  # 2nd of 4, within 0-10 s
    assert rollups.bucket(0) == 0 and rollups.bucket(59.9) == 2 and rollups.bucket(10_000) == 10


def test_domains_sorted_by_distinct_users(admin: Session, officer: Session, tmp_path: Path) -> None:
    """Most people first, counted once over the period (not once a day), paged; unlike most requests first."""
    versions.update_settings(admin, {"min_group_size": "1"})  # groups of one shown: the order is the point
    rows = [{"ts": at(10, m), "host": "a.example"} for m in range(10)]  # 10 requests, 1 person
    rows += [{"ts": at(11, who), "host": "b.example", "who": who} for who in (1, 2, 3)]  # 3 requests, 3 people
    rows += [{"ts": at(12, who), "host": "c.example", "who": who} for who in (1, 2)]  # 2 requests, 2 people
    rows += [{"ts": at(13, day=day), "host": "e.example", "who": 4} for day in range(4)]  # 4 days, 1 person
    importer.import_file(officer, write(tmp_path / "people.log", sorted(rows, key=lambda row: float(row["ts"]))))
    span = rollups.period("custom", MONDAY.date(), MONDAY.date(), MONDAY.date() + timedelta(days=3))
    by_requests = rollups.domains(officer, span)
    assert [(r.name, r.requests) for r in by_requests] == [
        ("a.example", 10),
        ("e.example", 4),
        ("b.example", 3),
        ("c.example", 2),
    ]
    by_users = rollups.domains(officer, span, order="users")
    assert [(r.name, r.users) for r in by_users] == [
        ("b.example", 3),
        ("c.example", 2),
        ("a.example", 1),
        ("e.example", 1),
    ]
    assert by_users[0] == next(r for r in by_requests if r.name == "b.example")  # the same row, only its place moved
    assert [r.name for r in rollups.domains(officer, span, order="users", limit=2, offset=2)] == [
        "a.example",
        "e.example",
    ]


def test_every_order_sorts_and_no_other_is_taken(imported: Session) -> None:
    span = rollups.period("custom", DAY, DAY, DAY)
    for order in rollups.ORDERS:
        values = [getattr(r, order) for r in rollups.domains(imported, span, limit=1000, order=order)]
        assert values == sorted(values, reverse=True), order
    with pytest.raises(ValueError):
        rollups.domains(imported, span, order="name")


def test_groups_of_fewer_people_than_the_minimum_are_folded(
    book: Casebook, admin: Session, officer: Session, tmp_path: Path
) -> None:
    """Six people read the news at ten; one of them gambled at eight and mailed out alone: that shows nowhere."""
    rows = [{"ts": at(10, who), "host": "www.hln.be", "who": who} for who in range(1, 7)]
    rows += [
        {"ts": at(8, 5), "host": "www.napoleongames.be", "who": 3},
        {"ts": at(8, 6), "host": "x.example", "who": 3},
    ]
    importer.import_file(officer, write(tmp_path / "a.log", rows))
    versions.update_settings(admin, {"mail_domains": "dewerf.be"})
    mail = tmp_path / "mail.log"
    mail.write_text(
        "Nov 16 09:00:00 mail postfix/qmgr[1]: Q1: from=<an@dewerf.be>, size=500, nrcpt=1 (queue active)\n"
        "Nov 16 09:00:01 mail postfix/smtp[2]: Q1: to=<x@elders.be>, relay=x, status=sent (250 ok)\n"
    )
    importer.import_file(officer, mail)
    span = rollups.period("custom", MONDAY.date(), MONDAY.date(), MONDAY.date())
    assert [(r.name, r.users) for r in rollups.domains(officer, span)] == [("hln.be", 6)]
    assert rollups.domain_count(officer, span) == 1
    other = rollups.other_domains(officer, span)
    assert other is not None and (other.folded, other.requests, other.users) == (2, 2, None)
    categories = rollups.categories(officer, span)
    assert [(r.name, r.folded, r.users) for r in categories] == [("news", 0, 6), ("", 2, None)]
    hours = rollups.hours_of_day(officer, span)
    assert (hours[10].requests, hours[10].users) == (6, 6)
    assert hours[8] == rollups.Figures(0, 0, 0, 0.0, None)  # one person at eight: not shown
    assert hours[3] == rollups.Figures(0, 0, 0, 0.0, 0)  # nobody at three: nothing to hide
    assert rollups.mail(officer, span)["outgoing"] is None
    assert rollups.totals(officer, span).users == 6
    versions.update_settings(admin, {"min_group_size": "1"})  # 1 folds nothing
    assert rollups.domain_count(officer, span) == 3 and rollups.other_domains(officer, span) is None
    assert rollups.mail(officer, span)["outgoing"] == (1, 500)
