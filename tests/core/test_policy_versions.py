"""Policy versions and readiness: what blocks a lawful control, and what a change leaves behind."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casebook import employees, formatting
from casebook.book import Casebook
from casebook.clock import FixedClock
from casebook.errors import Refused
from casebook.policy import consultation, fields, readiness, receipts, versions
from casebook.session import Session
from schema.policy import BOUNDS, Body, ControlMode
from tests.conftest import READY


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
        ("retention_days", "3651"),
        ("retention_days", "1_000"),
        ("retention_days", "٣٠"),
        ("test_period_max_days", "367"),
        ("upload_mb_per_day", "0"),
        ("upload_mb_per_day", "10000001"),
        ("download_mb_per_day", "99999999999999999999999"),
        ("denied_per_day", "1000001"),
        ("private_minutes_per_day", "1441"),
        ("private_minutes_per_day", ""),
        ("date_in_force", "31/02/2027"),
        ("date_in_force", "morgen"),
        ("purposes", "1,5"),
        ("control_mode", "permanent,periodic"),
        ("consultation_body", "de kantine"),
        ("evaluation_body", "de kantine"),
        ("bodies_present", "employees, works_council"),
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


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_numeric_fields_take_their_bounds_and_say_them(book: Casebook, admin: Session, name: str) -> None:
    low, high = BOUNDS[name]
    for value in (low, high):
        assert fields.parse_value(name, f" {value} ") == value
    with pytest.raises(Refused) as refusal:
        fields.parse_value(name, str(high + 1))
    assert f"van {low} tot {formatting.number(high)}" in refusal.value.message
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
    assert "official_accounts" not in asked and "social_media_goals" not in asked
    # The law's own, whatever the text: art. 9 (purposes, means, where and how long, sanctions, the body).
    assert {
        "purposes",
        "date_in_force",
        "consultation_body",
        "retention_days",
        "storage_location",
        "control_means",
        "evaluation_body",
        "sanctions",
        "bodies_present",
    } <= asked
    assert readiness.check(admin).ready


def test_a_two_line_text_with_the_old_always_fields_is_not_ready(book: Casebook, admin: Session) -> None:
    """What art. 9 requires is required whatever the organisation's own text uses."""
    own = "# Policy\n\n## REGELS {#regels}\n\n### 1. Bewaring\n\nWe bewaren {{retention_days}}.\n"
    versions.load_text(admin, own)
    art9 = {"storage_location", "control_means", "sanctions", "evaluation_body"}
    versions.update_settings(admin, {k: v for k, v in READY.items() if k not in art9})
    missing = {f.field for f in readiness.check(admin).blockers if f.code == "missing"}
    assert missing == art9


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


# -- CAO 81 art. 7, 9, 10: the body, re-informing, evaluations, receipts ----------------------------------


def test_the_body_art7_designates(book: Casebook, admin: Session) -> None:
    # With a works council, informing only the union delegation is not enough.
    versions.update_settings(admin, {**READY, "consultation_body": "union_delegation"})
    assert [f.field for f in readiness.check(admin).blockers if f.code == "body_order"] == ["consultation_body"]
    # A small employer without any body informs and evaluates with the employees themselves.
    versions.update_settings(
        admin, {"bodies_present": "none", "consultation_body": "employees", "evaluation_body": "werknemers"}
    )
    assert readiness.check(admin).ready
    text = receipts.rendered(versions.current(book))
    assert "informeerde vooraf de werknemers" in text and "te evalueren met de werknemers" in text
    # Without a works council, the committee comes first.
    versions.update_settings(
        admin,
        {"bodies_present": "prevention_committee, union_delegation", "evaluation_body": "union_delegation"},
    )
    found = {(f.field, f.params.get("body")) for f in readiness.check(admin).blockers}
    committee = "het comité voor preventie en bescherming op het werk"
    assert found == {("consultation_body", committee), ("evaluation_body", committee)}


def test_a_substantive_change_needs_the_body_informed_again(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    assert readiness.check(admin).ready
    # Changing the working hours changes nothing the body must hear of.
    versions.update_settings(admin, {"working_hours": "08:00-16:00"})
    assert readiness.check(admin).ready
    changed = versions.update_settings(admin, {"retention_days": "60"})
    result = readiness.check(admin)
    assert [f.code for f in result.blockers] == ["not_informed_of_change"]
    assert result.blockers[0].params["version"] == changed.version
    # An information of an older version does not cover it ...
    consultation.record_information(admin, Body.WORKS_COUNCIL, date(2026, 11, 20), "de policy", version=2)
    assert not readiness.check(admin).ready
    # ... the information of the changed version does.
    consultation.record_information(admin, Body.WORKS_COUNCIL, date(2026, 11, 27), "bewaartermijn 60 dagen")
    assert readiness.check(admin).ready


def test_consultation_records_refuse_what_cannot_be(book: Casebook, admin: Session, people: dict[str, Session]) -> None:
    with pytest.raises(Refused) as refusal:
        consultation.record_information(admin, Body.WORKS_COUNCIL, date(2026, 12, 25), "de policy")
    assert refusal.value.rule == "consultation.date"
    with pytest.raises(Refused) as refusal:
        consultation.record_evaluation(admin, Body.WORKS_COUNCIL, date(2026, 11, 1), "   ")
    assert refusal.value.rule == "consultation.text"
    with pytest.raises(Refused) as refusal:
        consultation.record_evaluation(people["sofie"], Body.WORKS_COUNCIL, date(2026, 11, 1), "evaluatie")
    assert refusal.value.rule == "role.required"
    assert consultation.evaluations(people["eva"]) == []  # everyone may read them; none were saved


def test_no_evaluation_within_a_year_warns(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, {**READY, "date_in_force": "2025-06-01", "consultation_date": "2025-05-01"})
    result = readiness.check(admin)
    assert result.ready and [w.code for w in result.warnings] == ["evaluation_never"]
    consultation.record_evaluation(admin, Body.WORKS_COUNCIL, date(2025, 10, 1), "eerste evaluatie")
    assert [w.code for w in readiness.check(admin).warnings] == ["evaluation_old"]
    consultation.record_evaluation(admin, Body.WORKS_COUNCIL, date(2026, 10, 1), "jaarlijkse evaluatie", "geen")
    assert readiness.check(admin).warnings == []


def test_employees_without_a_receipt_are_counted(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    employees.import_csv(admin, "name,email\nJan Peeters,jan@dewerf.be\nEva Maes,eva@dewerf.be\n")
    result = readiness.check(admin)
    assert result.ready  # a warning, not a blocker: the case tracker refuses per person
    assert [(w.code, w.params["count"]) for w in result.warnings] == [("without_receipt", 2)]
    assert "2 werknemers" in result.warnings[0].message
    receipts.record(admin, "jan@dewerf.be", received_on=date(2026, 11, 28))
    assert [w.params["count"] for w in readiness.check(admin).warnings] == [1]
    assert "1 werknemer in" in readiness.check(admin).warnings[0].message
