"""Receipts: who received which version, who still has to, and the filled-in receipt form."""

from __future__ import annotations

from datetime import date

import pytest

from casebook import employees
from casebook.book import Casebook
from casebook.errors import Refused
from casebook.policy import receipts, versions
from casebook.session import Session
from tests.conftest import READY

DIRECTORY = "name,email\nJan Peeters,jan@dewerf.be\nEva Willems,eva@dewerf.be\nPiet Maes,piet@dewerf.be\n"


@pytest.fixture
def staffed(book: Casebook, admin: Session) -> Session:
    versions.update_settings(admin, READY)
    assert employees.import_csv(admin, DIRECTORY).saved
    return admin


def covered(session: Session) -> dict[str, bool]:
    return {s.employee.email: s.covers_current for s in receipts.statuses(session)}


def test_record_and_list_missing(staffed: Session) -> None:
    receipts.record(staffed, "jan@dewerf.be", method="hand")
    assert covered(staffed) == {"jan@dewerf.be": True, "eva@dewerf.be": False, "piet@dewerf.be": False}
    assert [s.employee.email for s in receipts.missing(staffed)] == ["eva@dewerf.be", "piet@dewerf.be"]
    (jan,) = [s for s in receipts.statuses(staffed) if s.version]
    assert (jan.version, jan.received_on, jan.method) == (2, date(2026, 11, 28), "hand")


def test_a_new_text_needs_new_receipts(staffed: Session) -> None:
    receipts.record(staffed, "jan@dewerf.be")
    versions.update_settings(staffed, {"organisation_name": "vzw De Nieuwe Werf"})  # shows in the text
    assert covered(staffed)["jan@dewerf.be"] is False


def test_a_change_the_text_does_not_show_keeps_receipts(staffed: Session) -> None:
    receipts.record(staffed, "jan@dewerf.be")
    versions.update_settings(staffed, {"working_hours": "08:00-16:30", "sanctions": "blaam"})
    assert versions.current(staffed.casebook).version == 3
    assert covered(staffed)["jan@dewerf.be"] is True


def test_receipt_recorded_once_per_version(staffed: Session) -> None:
    receipts.record(staffed, "jan@dewerf.be")
    with pytest.raises(Refused) as refusal:
        receipts.record(staffed, "JAN@dewerf.be")
    assert refusal.value.rule == "receipts.once"


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"received_on": date(2026, 11, 29)}, "receipts.date"),
        ({"received_on": date(2026, 1, 1)}, "receipts.date"),
        ({"method": "pigeon"}, "receipts.method"),
        ({"version": 9}, "policy.version"),
    ],
    ids=["future", "before-the-version", "method", "no-version"],
)
def test_bad_receipts_refused(staffed: Session, kwargs: dict[str, object], rule: str) -> None:
    with pytest.raises(Refused) as refusal:
        receipts.record(staffed, "jan@dewerf.be", **kwargs)  # type: ignore[arg-type]
    assert refusal.value.rule == rule
    assert covered(staffed)["jan@dewerf.be"] is False


def test_unknown_employee(staffed: Session) -> None:
    with pytest.raises(Refused) as refusal:
        receipts.record(staffed, "nobody@dewerf.be")
    assert refusal.value.rule == "employees.exists"


def test_who_sees_and_who_records(staffed: Session, people: dict[str, Session]) -> None:
    for name in ("sofie", "bert"):
        assert len(receipts.statuses(people[name])) == 3
        with pytest.raises(Refused):
            receipts.record(people[name], "jan@dewerf.be")
    for name in ("ilse", "eva"):
        with pytest.raises(Refused) as refusal:
            receipts.statuses(people[name])
        assert refusal.value.rule == "role.required"


def test_receipt_form(staffed: Session) -> None:
    form = receipts.receipt_form(staffed, "eva@dewerf.be", place="Gent", when=date(2026, 12, 1))
    assert form.startswith("ONTVANGSTBEWIJS")
    assert "Ik, ondergetekende: Eva Willems heb een exemplaar gekregen" in form
    assert "van vzw De Werf" in form
    assert "Gedaan te Gent, op 01/12/2026" in form
    assert "{{" not in form and "[^" not in form
    blank = receipts.receipt_form(staffed, "eva@dewerf.be", markdown=True)
    assert blank.startswith("# ONTVANGSTBEWIJS")
    assert "Gedaan te ……………………, op ……………………" in blank


def test_rendered_policy_leaves_out_purposes_not_adopted(staffed: Session) -> None:
    text = receipts.rendered(versions.current(staffed.casebook))
    assert "vzw De Werf" in text
    assert "1. het voorkomen van ongeoorloofde" in text
    assert "2. de bescherming van de economische" not in text  # purpose 2 was not adopted
    assert "{{" not in text
