"""The signed-in person: the only handle through which anyone acts on a casebook."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from casebook import clock as clocks
from casebook import i18n, users
from casebook.errors import Refused
from casebook.permissions import SCHEDULER_MAY, Action, allowed_roles
from schema.models import User
from schema.roles import ROLE_ORDER, Role

if TYPE_CHECKING:
    from casebook.book import Casebook


class Interface(StrEnum):
    """Where a person acts from, which decides which files outside the casebook they may reach.

    The app is the only way in for people without a shell on the server (an SSH key's forced command):
    its imports read from the allowed folders only (casebook.files). The command line is run by someone
    with a shell there, who may read what that shell can read anyway.
    """

    APP = "app"
    CLI = "cli"


# The method of the scheduler's sessions (casebook.signin.authenticate_scheduler).
SCHEDULER_METHOD = "scheduler"


class Session:
    def __init__(self, casebook: Casebook, user: User, method: str, interface: Interface = Interface.CLI) -> None:
        self.casebook = casebook
        self.user = user
        self.method = method
        self.interface = interface
        # What this sign-in was shown and audited once already (cases.records.show): a screen reloading a
        # case after each step does not repeat the same audit row; another sign-in, or other people, do.
        self.seen: set[tuple[object, ...]] = set()

    def on(self, casebook: Casebook) -> Session:
        """The same person acting through another connection to the same casebook (see second_connection)."""
        other = Session(casebook, self.user, self.method, self.interface)
        other.seen = self.seen
        return other

    @property
    def is_scheduler(self) -> bool:
        """The built-in scheduler: no person, and only what permissions.SCHEDULER_MAY lists."""
        return self.method == SCHEDULER_METHOD

    @property
    def roles(self) -> frozenset[Role]:
        return self.user.roles

    def now(self) -> datetime:
        return self.casebook.clock.now()

    def today(self) -> date:
        """Today in Brussels: the day the law's dates and the overview's periods count in."""
        return clocks.local(self.now()).date()

    def may(self, action: Action) -> bool:
        if self.is_scheduler:
            return action in SCHEDULER_MAY
        return bool(self.user.roles & allowed_roles(action)) and not self.user.disabled

    def require(self, action: Action) -> None:
        """Refuse unless the person, as the casebook knows them now, holds a role that allows `action`.

        The account is read again first: an administrator who disables an
        account or takes a role away stops a session that is already open.
        """
        if self.is_scheduler:
            if action not in SCHEDULER_MAY:
                raise Refused(
                    "scheduler.only",
                    "refused.scheduler_only",
                    action=i18n.t(f"action.{action.value}"),
                    allowed=", ".join(i18n.t(f"action.{a.value}") for a in sorted(SCHEDULER_MAY)),
                )
            return
        self.refresh()
        refusal = self.refusal(action)
        if refusal is not None:
            raise refusal

    def refusal(self, action: Action) -> Refused | None:
        """The refusal `require` gives for `action`, as the session last read the account; None when allowed.

        For a screen that says why a key does nothing without reading the casebook: `require` still decides.
        """
        if self.user.disabled:
            return Refused("signin.disabled", "refused.disabled", name=self.user.name)
        if not self.may(action):
            needed = [role for role in ROLE_ORDER if role in allowed_roles(action)]
            return Refused(
                "role.required",
                "refused.role_required",
                action=i18n.t(f"action.{action.value}"),
                roles=", ".join(i18n.t(f"role.{role.value}") for role in needed),
            )
        return None

    def refresh(self) -> None:
        if self.is_scheduler:
            return  # no account behind it to read again
        current = users.find(self.casebook.store, self.user.name)
        if current is not None:
            self.user = current

    def audit(self, action: str, subject: str | None = None, detail: dict[str, Any] | None = None) -> int:
        """Record an action of this person; call inside the transaction of the change."""
        return self.casebook.audit(self.user.name, action, subject, detail)

    def record(self, action: str, subject: str | None = None, detail: dict[str, Any] | None = None) -> int:
        """Record an event that changes nothing else (a lock, a sign-out) in its own transaction."""
        with self.casebook.store.transaction():
            return self.audit(action, subject, detail)
