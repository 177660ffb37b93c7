"""Policy versions and readiness: what blocks a lawful control, and what a change leaves behind."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casebook.book import Casebook
from casebook.clock import FixedClock
from casebook.errors import Refused
from casebook.policy import fields, readiness, versions
from casebook.session import Session
from schema.policy import Body, ControlMode

# Everything a ready policy needs, in the form a person types it. The test clock stands at 2026-11-28.
READY = {
    "organisation_name": "vzw De Werf",
    "date_in_force": "2026-03-01",
    "consultation_body": "works_council, union_delegation",
    "consultation_date": "20/01/2026",
    "evaluation_body": "ondernemingsraad",
    "purposes": "4, 1, 3",
    "control_mode": "periodic,event",
    "test_period_max_days": "14",
    "control_means": "proxylogs op de server",
    "retention_days": "90",
    "storage_location": "de centrale server",
    "mail_domains": "DeWerf.be, https://www.werf.example/",
}


def count_versions(session: Session) -> int:
    return len(versions.history(session))


def test_new_casebook_has_the_default_policy_unfilled(book: Casebook, admin: Session) -> None:
    first = versions.current(book)
    assert (first.version, first.change, first.created_by) == (1, "default", None)
    assert first.settings.organisation_name == ""
    result = readiness.check(admin)
    assert not result.ready
    missing = {f.field for f in result.blockers if f.code == "missing"}
    assert missing == {name for name in first.asked() if fields.SETTINGS[name].required}
    assert "Niet ingevuld: Naam organisatie." in [f.message for f in result.blockers]


def test_filled_policy_is_ready(book: Casebook, admin: Session) -> None:
    saved = versions.update_settings(admin, READY)
    assert saved.version == 2
    assert saved.settings.purposes == (1, 3, 4)
    assert saved.settings.consultation_body == (Body.WORKS_COUNCIL, Body.UNION_DELEGATION)
    assert saved.settings.consultation_date == date(2026, 1, 20)
    assert saved.settings.mail_domains == ("dewerf.be", "werf.example")
    assert saved.settings.control_mode == (ControlMode.PERIODIC, ControlMode.EVENT)
    result = readiness.check(admin)
    assert result.ready, [f.message for f in result.blockers]
    assert result.warnings == []


def test_every_change_is_a_version_and_the_old_stays_readable(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    versions.update_settings(admin, {"organisation_name": "vzw De Nieuwe Werf"})
    assert [v.version for v in versions.history(admin)] == [3, 2, 1]
    assert versions.get(book, 2).settings.organisation_name == "vzw De Werf"
    assert versions.current(book).settings.organisation_name == "vzw De Nieuwe Werf"
    # Saving the same values again makes no new version.
    versions.update_settings(admin, {"organisation_name": "vzw De Nieuwe Werf"})
    assert count_versions(admin) == 3
    actions = [r["action"] for r in book.store.query("SELECT action FROM audit")]
    assert actions.count("policy.version_created") == 3


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("retention_days", "0"),
        ("retention_days", "-5"),
        ("retention_days", "drie maanden"),
        ("date_in_force", "31/02/2027"),
        ("date_in_force", "morgen"),
        ("purposes", "1,5"),
        ("control_mode", "permanent,periodic"),
        ("consultation_body", "de kantine"),
        ("evaluation_body", "employees"),
        ("mail_domains", "not a domain"),
        ("blocked_sites", "exa mple.com"),
        ("working_hours", "17:00-08:00"),
        ("keep_full_urls", "misschien"),
    ],
)
def test_bad_values_refused_nothing_saved(book: Casebook, admin: Session, name: str, value: str) -> None:
    with pytest.raises(Refused) as refusal:
        versions.update_settings(admin, {"organisation_name": "vzw De Werf", name: value})
    assert refusal.value.rule == "policy.field"
    assert fields.SETTINGS[name] and refusal.value.params["value"] == value
    assert count_versions(admin) == 1  # not even the good field was saved


def test_unknown_field_refused(book: Casebook, admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        versions.update_settings(admin, {"colour": "red"})
    assert refusal.value.rule == "policy.field_known"
    assert count_versions(admin) == 1


def test_only_the_administrator_changes_the_policy(book: Casebook, people: dict[str, Session]) -> None:
    for name in ("ilse", "sofie", "bert", "eva"):
        with pytest.raises(Refused) as refusal:
            versions.update_settings(people[name], {"organisation_name": "x"})
        assert refusal.value.rule == "role.required"
        with pytest.raises(Refused):
            versions.load_text(people[name], versions.default_text() + "\nextra\n")
        # Everyone may read the policy they are bound by.
        assert versions.read(people[name]).version == 1
    assert count_versions(people["admin"]) == 1


def blockers(session: Session) -> set[str]:
    return {f.code for f in readiness.check(session).blockers}


def test_not_in_force_yet(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "date_in_force": "2027-01-01"})
    assert blockers(admin) == {"not_in_force"}
    later = readiness.check(admin, today=date(2027, 1, 1))
    assert later.ready


def test_consultation_must_come_first(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "consultation_date": "2026-03-02"})
    assert blockers(admin) == {"consultation_late"}


def test_consultation_not_recorded(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "consultation_body": "", "consultation_date": ""})
    assert {f.field for f in readiness.check(admin).blockers} == {"consultation_body", "consultation_date"}


def test_permanent_control_needs_a_justification(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "control_mode": "permanent"})
    assert blockers(admin) == {"permanent_unjustified"}
    versions.update_settings(admin, {"control_justification": "gevoelige gegevens van cliënten"})
    assert blockers(admin) == set()


def test_periodic_control_needs_a_length(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "test_period_max_days": ""})
    assert blockers(admin) == {"periodic_without_length"}


def test_long_retention_warns_but_does_not_block(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "retention_days": "120"})
    result = readiness.check(admin)
    assert result.ready
    assert [w.code for w in result.warnings] == ["long_retention"]
    assert "120" in result.warnings[0].message


def test_own_text_asks_only_its_fields(book: Casebook, admin: Session) -> None:
    own = "# Policy\n\n## REGELS {#regels}\n\n### 1. Bewaring\n\nWe bewaren {{retention_days}} bij {{organisation_name}}.\n"
    versions.update_settings(admin, READY)
    loaded = versions.load_text(admin, own)
    assert loaded.version == 3
    assert loaded.settings == versions.get(book, 2).settings  # the fields carry over
    asked = set(loaded.asked())
    assert "storage_location" not in asked and "evaluation_body" not in asked and "control_means" not in asked
    assert {"purposes", "date_in_force", "consultation_body", "retention_days"} <= asked  # the law's own
    assert readiness.check(admin).ready


def test_malformed_text_leaves_the_policy_alone(book: Casebook, admin: Session) -> None:
    with pytest.raises(Refused) as refusal:
        versions.load_text(admin, "# Zonder hoofdstukken\n\nTekst.\n")
    assert refusal.value.key == "refused.policy_no_sections"
    assert count_versions(admin) == 1
    assert versions.current(book).text == versions.default_text()


def test_dates_in_force_compare_in_brussels_time(book: Casebook, admin: Session, clock: FixedClock) -> None:
    versions.update_settings(admin, {**READY, "date_in_force": "2026-11-29"})
    assert blockers(admin) == {"not_in_force"}
    clock.advance(timedelta(hours=14, minutes=30))  # 23:30 UTC is already 00:30 on the 29th in Brussels
    assert blockers(admin) == set()
