"""Each role may do what the table says and is refused the rest, with the rule named."""

from __future__ import annotations

import pytest

from casebook import settings, users
from casebook.book import Casebook
from casebook.errors import Refused
from casebook.permissions import ALLOWED, Action
from casebook.policy import readiness, versions
from casebook.session import Session
from schema.roles import Role
from tests.conftest import ADMIN, PASSPHRASE

EXPECTED_MODES = {
    ADMIN: {"policy", "access", "reports"},
    "ilse": {"policy", "logs", "cases", "access", "reports"},
    "sofie": {"policy", "logs", "cases", "reports"},
    "bert": {"policy", "reports"},
    "eva": {"policy", "access"},
    "jan": {"policy", "logs", "cases", "access", "reports"},
}


def test_every_action_has_a_rule() -> None:
    assert set(ALLOWED) == set(Action)


@pytest.mark.parametrize("name", sorted(EXPECTED_MODES))
def test_modes_per_role(people: dict[str, Session], name: str) -> None:
    session = people[name]
    modes = {a.value.split(".")[1] for a in Action if a.value.startswith("mode.") and session.may(a)}
    assert modes == EXPECTED_MODES[name]


@pytest.mark.parametrize("name", ["ilse", "sofie", "bert", "eva", "jan"])
def test_only_admin_manages_users(people: dict[str, Session], name: str) -> None:
    session = people[name]
    for attempt in (
        lambda: users.add_user(session, "mallory", [Role.ADMIN], PASSPHRASE),
        lambda: users.list_users(session),
        lambda: users.set_disabled(session, ADMIN, True),
        lambda: users.update_user(session, name, roles=[Role.ADMIN]),
        lambda: settings.set_value(session, "lock_idle_minutes", "30"),
    ):
        with pytest.raises(Refused) as refusal:
            attempt()
        assert refusal.value.rule == "role.required"
        assert "beheerder" in refusal.value.message  # names the role that would be allowed


def test_refusal_message_names_rule_and_roles(people: dict[str, Session]) -> None:
    with pytest.raises(Refused) as refusal:
        people["eva"].require(Action.READ_AUDIT)
    message = refusal.value.message
    assert message.startswith("Geweigerd door de regel 'rol vereist'")
    assert "beheerder" in message and "raad van bestuur" in message


def test_disabling_stops_an_open_session(people: dict[str, Session]) -> None:
    ilse = people["ilse"]
    assert ilse.may(Action.MODE_LOGS)
    users.set_disabled(people[ADMIN], "ilse", True)
    with pytest.raises(Refused) as refusal:
        ilse.require(Action.MODE_LOGS)
    assert refusal.value.rule == "signin.disabled"


def test_role_taken_away_applies_to_an_open_session(people: dict[str, Session]) -> None:
    sofie = people["sofie"]
    users.update_user(people[ADMIN], "sofie", roles=[Role.EMPLOYEE])
    with pytest.raises(Refused):
        sofie.require(Action.MODE_CASES)


def test_settings(book: Casebook, admin: Session) -> None:
    assert settings.get(book.store, "lock_idle_minutes") == 5
    assert settings.set_value(admin, "lock_idle_minutes", "10") == 10
    assert settings.get(book.store, "lock_idle_minutes") == 10
    for bad in ("0", "241", "ten", ""):
        with pytest.raises(Refused) as refusal:
            settings.set_value(admin, "lock_idle_minutes", bad)
        assert refusal.value.rule == "settings.valid"
    with pytest.raises(Refused) as refusal:
        settings.set_value(admin, "colour", "red")
    assert refusal.value.rule == "settings.known"
    assert settings.get(book.store, "lock_idle_minutes") == 10


def test_everyone_signed_in_reads_the_settings_and_the_policys_state(people: dict[str, Session]) -> None:
    for session in people.values():
        assert settings.value(session, "lock_idle_minutes") == 5
        assert set(settings.all_values(session)) == set(settings.SETTINGS)
        assert [v.version for v in versions.history(session)] == [1]
        assert readiness.check(session).version == 1


def test_a_disabled_account_reads_nothing_more(people: dict[str, Session]) -> None:
    eva = people["eva"]
    users.set_disabled(people[ADMIN], "eva", True)
    for attempt in (
        lambda: settings.value(eva, "lock_idle_minutes"),
        lambda: settings.all_values(eva),
        lambda: versions.history(eva),
        lambda: readiness.check(eva),
    ):
        with pytest.raises(Refused) as refusal:
            attempt()
        assert refusal.value.rule == "signin.disabled"
