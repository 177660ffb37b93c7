"""The privacy notice's contacts: asked whatever the text says, shown as typed, never blocking a control."""

from __future__ import annotations

from casebook.book import Casebook
from casebook.policy import fields, readiness, versions
from casebook.session import Session
from tests.conftest import READY

OWN = "# Policy\n\n## REGELS {#regels}\n\n### 1. Bewaring\n\nWe bewaren {{retention_days}}.\n"


def test_contacts_are_asked_even_by_a_text_without_them(book: Casebook, admin: Session) -> None:
    versions.load_text(admin, OWN)
    asked = versions.read(admin).asked()
    assert {"controller_contact", "dpo_contact"} <= set(asked)
    assert asked.index("controller_contact") == asked.index("organisation_name") + 1


def test_contacts_saved_as_typed_in_one_line(book: Casebook, admin: Session) -> None:
    saved = versions.update_settings(
        admin, {"controller_contact": "  privacy@dewerf.be,\n Kerkstraat 1, 9000 Gent ", "dpo_contact": "DPO vzw"}
    )
    assert saved.settings.controller_contact == "privacy@dewerf.be, Kerkstraat 1, 9000 Gent"
    assert fields.show_value(saved.settings, "dpo_contact") == "DPO vzw"


def test_a_policy_without_contacts_is_still_ready(book: Casebook, admin: Session) -> None:
    versions.update_settings(admin, READY)
    result = readiness.check(admin)
    assert result.ready, [f.message for f in result.blockers]
    assert versions.read(admin).settings.controller_contact == ""
