"""The shipped default text cites the law in force, and a casebook still on an older default gets the new one."""

from __future__ import annotations

import hashlib
import re

import pytest

from casebook.book import Casebook, open_casebook
from casebook.clock import FixedClock
from casebook.policy import versions
from casebook.session import Session
from tests.conftest import ADMIN, PASSPHRASE

# The two passages of the first shipped default that the current one rewrites, as they were.
OLD_RIGHTS = (
    "te doen verbeteren of te laten verwijderen in de gevallen en op de voorwaarden bepaald door de Privacywet "
    "van 8 december 1992 en haar uitvoeringsbesluiten."
)
OLD_NOTE = (
    "In het kader van de Europese Richtlijn (waarvan de privacywet en cao nr. 81 de nationale omzetting zijn) "
    "schuift de ‘Data protection Working Party’ een maximumduur van 3 maanden naar voor."
)


def first_default() -> str:
    """The default text as first shipped, rebuilt from the current one and the two passages it replaced."""
    text = versions.default_text()
    start = text.index("te doen verbeteren of te laten verwijderen")
    end = text.index("Gegevensbeschermingsautoriteit.", start) + len("Gegevensbeschermingsautoriteit.")
    text = text[:start] + OLD_RIGHTS + text[end:]
    start = text.index("Ook de AVG (artikel 5.1.e)")
    end = text.index("naar voor.", start) + len("naar voor.")
    return text[:start] + OLD_NOTE + text[end:]


def reopen(book: Casebook, clock: FixedClock) -> Casebook:
    home = book.files.home
    book.close()
    return open_casebook(home, clock=clock)


def put_first_default(book: Casebook) -> None:
    """Make the casebook look like one made before the text changed: version 1 holds the first default."""
    with book.store.transaction():
        book.store.conn.execute("UPDATE policy_versions SET text = ? WHERE version = 1", (first_default(),))


def test_the_default_text_cites_the_gdpr_and_the_law_of_2018_not_the_act_of_1992() -> None:
    text = versions.default_text()
    assert "1992" not in text
    assert not re.search(r"\bprivacywet\b", text, re.IGNORECASE)  # the Act; "privacywetgeving" is generic
    assert "2016/679" in text and "30 juli 2018" in text
    assert "Gegevensbeschermingsautoriteit" in text
    # The seed's wording stays where it is still right.
    assert "Cao nr. 81 bepaalt geen maximumduur" in text
    assert "informatie te vragen en te krijgen over de verwerking van zijn persoonlijke gegevens" in text


def test_the_first_default_is_known_as_a_former_default() -> None:
    old = first_default()
    assert "Privacywet van 8 december 1992" in old
    assert versions.FORMER_DEFAULTS.get(hashlib.sha256(old.encode("utf-8")).hexdigest()) == "privacy_act_1992"


def test_a_casebook_still_on_the_first_default_gets_the_new_text_with_its_fields(
    book: Casebook, admin: Session, clock: FixedClock
) -> None:
    put_first_default(book)
    filled = versions.update_settings(admin, {"organisation_name": "vzw De Werf", "retention_days": "60"})
    assert filled.version == 2 and "1992" in filled.text
    book = reopen(book, clock)
    try:
        newest = versions.current(book)
        assert (newest.version, newest.change, newest.created_by) == (3, "default", None)
        assert newest.text == versions.default_text()
        assert newest.settings == filled.settings
        session = book.login(ADMIN, PASSPHRASE)
        rows = book.audit_rows(session, limit=5)
        created = [r for r in rows if r.action == "policy.version_created" and r.subject == "v3"]
        assert created and created[0].actor is None
    finally:
        book = reopen(book, clock)  # opening again adds nothing
        assert versions.current(book).version == 3
        book.close()


def test_an_organisations_own_text_is_never_replaced(book: Casebook, admin: Session, clock: FixedClock) -> None:
    own = "# Onze policy\n\n## REGELS {#regels}\n\n### 1. Bewaring\n\nWe bewaren {{retention_days}}.\n"
    versions.load_text(admin, own)
    book = reopen(book, clock)
    try:
        assert versions.current(book).text == own
        assert versions.current(book).version == 2
    finally:
        book.close()


@pytest.mark.parametrize("then_fill", [False, True])
def test_a_loaded_copy_of_the_first_default_is_the_organisations_own(
    book: Casebook, admin: Session, clock: FixedClock, then_fill: bool
) -> None:
    loaded = versions.load_text(admin, first_default())
    if then_fill:
        versions.update_settings(admin, {"organisation_name": "vzw De Werf"})
    book = reopen(book, clock)
    try:
        assert versions.current(book).text == loaded.text
        assert versions.current(book).version == (3 if then_fill else 2)
    finally:
        book.close()


def test_a_casebook_made_now_starts_on_the_new_default(book: Casebook) -> None:
    assert versions.current(book).text == versions.default_text()
    assert versions.current(book).version == 1
