"""Which role may do what: the one table every check reads (DOMAIN.md, "People")."""

from __future__ import annotations

from enum import StrEnum

from schema.roles import Role


class Action(StrEnum):
    MANAGE_USERS = "users.manage"
    VIEW_USERS = "users.view"
    MANAGE_SETTINGS = "settings.manage"
    VIEW_SETTINGS = "settings.view"
    MANAGE_POLICY = "policy.manage"
    MANAGE_EMPLOYEES = "employees.manage"
    VIEW_RECEIPTS = "receipts.view"
    IMPORT_LOGS = "logs.import"
    REMOVE_IMPORTS = "logs.remove"
    MANAGE_CATEGORIES = "categories.manage"
    RUN_CONTROL = "control.run"
    READ_AUDIT = "audit.read"
    VERIFY_AUDIT = "audit.verify"
    MODE_POLICY = "mode.policy"
    MODE_LOGS = "mode.logs"
    MODE_CASES = "mode.cases"
    MODE_ACCESS = "mode.access"
    MODE_REPORTS = "mode.reports"


_ALL = frozenset(Role)

ALLOWED: dict[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.VIEW_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_SETTINGS: frozenset({Role.ADMIN}),
    # Everyone's app obeys the settings (the idle lock), so everyone may read them.
    Action.VIEW_SETTINGS: _ALL,
    # The policy's text and fields, the employee directory and the receipts are the administrator's.
    Action.MANAGE_POLICY: frozenset({Role.ADMIN}),
    Action.MANAGE_EMPLOYEES: frozenset({Role.ADMIN}),
    # Whether someone received the policy matters to whoever hears them before a sanction, and to the board.
    Action.VIEW_RECEIPTS: frozenset({Role.ADMIN, Role.SUPERVISOR, Role.BOARD}),
    # The IT officer carries out the control (policy 2.4): imports logs, keeps the category lists.
    Action.IMPORT_LOGS: frozenset({Role.IT_OFFICER}),
    Action.MANAGE_CATEGORIES: frozenset({Role.IT_OFFICER}),
    # Who imports may undo an import (the wrong file, the wrong format), audited.
    Action.REMOVE_IMPORTS: frozenset({Role.IT_OFFICER}),
    # The global control: the IT officer carries it out, the supervisor may ask for it (policy 2.4).
    Action.RUN_CONTROL: frozenset({Role.IT_OFFICER, Role.SUPERVISOR}),
    # The trail records who did what to whom: the administrator keeps it and
    # the board, to whom the control is reported (policy 2.4), may read it.
    Action.READ_AUDIT: frozenset({Role.ADMIN, Role.BOARD}),
    # Checking the seals shows row numbers only, no content.
    Action.VERIFY_AUDIT: frozenset({Role.ADMIN, Role.BOARD, Role.IT_OFFICER}),
    # Everyone must be able to read the policy they are bound by.
    Action.MODE_POLICY: _ALL,
    # Global figures only, never a person: those who run and decide on a control.
    Action.MODE_LOGS: frozenset({Role.IT_OFFICER, Role.SUPERVISOR}),
    Action.MODE_CASES: frozenset({Role.SUPERVISOR, Role.IT_OFFICER}),
    # Employees file their requests; the administrator and IT officer answer them.
    Action.MODE_ACCESS: frozenset({Role.EMPLOYEE, Role.ADMIN, Role.IT_OFFICER}),
    Action.MODE_REPORTS: frozenset({Role.BOARD, Role.SUPERVISOR, Role.IT_OFFICER, Role.ADMIN}),
}


def allowed_roles(action: Action) -> frozenset[Role]:
    return ALLOWED[action]


def may(roles: frozenset[Role], action: Action) -> bool:
    return bool(roles & ALLOWED[action])
