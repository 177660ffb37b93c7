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
    VIEW_DIRECTORY = "employees.view"
    MAKE_DOCUMENTS = "documents.make"
    READ_NOTICE = "documents.notice"
    READ_GDPR_RECORDS = "documents.records"
    REPORT_BOARD = "reports.board"
    REPORT_EVALUATION = "reports.evaluation"
    REPORT_RECEIPTS = "reports.receipts"
    IMPORT_LOGS = "logs.import"
    REMOVE_IMPORTS = "logs.remove"
    MANAGE_CATEGORIES = "categories.manage"
    RUN_CONTROL = "control.run"
    READ_AUDIT = "audit.read"
    VERIFY_AUDIT = "audit.verify"
    CASE_VIEW = "case.view"
    CASE_DECIDE = "case.decide"
    CASE_CONTROL = "case.control"
    CASE_EXECUTE = "case.execute"
    CASE_HEAR = "case.hear"
    CASE_SANCTION = "case.sanction"
    REQUEST_OWN = "access.own"
    REQUEST_FOR = "access.for"
    REQUEST_MANAGE = "access.manage"
    RECTIFY = "access.rectify"
    HOLD_MANAGE = "hold.manage"
    HOLD_VIEW = "hold.view"
    RUN_PURGE = "retention.purge"
    MODE_POLICY = "mode.policy"
    MODE_LOGS = "mode.logs"
    MODE_CASES = "mode.cases"
    MODE_ACCESS = "mode.access"
    MODE_REPORTS = "mode.reports"


_ALL = frozenset(Role)
# Who keeps the employee directory: it holds the identifiers that re-identify the logs.
_DIRECTORY_KEEPERS = frozenset({Role.ADMIN})

ALLOWED: dict[Action, frozenset[Role]] = {
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.VIEW_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_SETTINGS: frozenset({Role.ADMIN}),
    # Everyone's app obeys the settings (the idle lock), so everyone may read them.
    Action.VIEW_SETTINGS: _ALL,
    # The policy's text and fields, the employee directory and the receipts are the administrator's.
    Action.MANAGE_POLICY: frozenset({Role.ADMIN}),
    Action.MANAGE_EMPLOYEES: _DIRECTORY_KEEPERS,
    # Whether someone received the policy matters to whoever hears them before a sanction, and to the board.
    Action.VIEW_RECEIPTS: frozenset({Role.ADMIN, Role.SUPERVISOR, Role.BOARD}),
    # Who works here, by name and department. Their identifiers (proxy user, mail addresses, IPs) are
    # the key to re-identify the logs: only the administrator, who keeps the directory, sees those.
    Action.VIEW_DIRECTORY: frozenset({Role.ADMIN, Role.SUPERVISOR, Role.BOARD}),
    # The GDPR's documents are made from the policy by its keeper; the privacy notice is the employees' own,
    # the record of processing and the impact assessment are for those who decide on and answer for the control.
    Action.MAKE_DOCUMENTS: frozenset({Role.ADMIN}),
    Action.READ_NOTICE: _ALL,
    Action.READ_GDPR_RECORDS: frozenset({Role.ADMIN, Role.SUPERVISOR, Role.BOARD}),
    # Policy 2.4: the supervisors and the IT officer report the controls to the board, which reads the report
    # (cases by number, never a person). The evaluation with the consultation body (CAO 81 art. 10) holds
    # only figures about groups: the administrator, who records that evaluation, makes it too. Who has not
    # yet received the policy is the HR side of the administrator's directory.
    Action.REPORT_BOARD: frozenset({Role.BOARD, Role.SUPERVISOR, Role.IT_OFFICER}),
    Action.REPORT_EVALUATION: frozenset({Role.BOARD, Role.SUPERVISOR, Role.IT_OFFICER, Role.ADMIN}),
    Action.REPORT_RECEIPTS: frozenset({Role.ADMIN}),
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
    # The case procedure (policy 2.4, CAO 81 art. 12-17): the supervisor decides, approves, warns,
    # hears and sanctions; the IT officer carries out the control and the individualisation. The
    # administrator may read a case (it keeps the directory the identities come from), never act on one.
    Action.CASE_VIEW: frozenset({Role.SUPERVISOR, Role.IT_OFFICER, Role.ADMIN}),
    Action.CASE_DECIDE: frozenset({Role.SUPERVISOR}),
    Action.CASE_CONTROL: frozenset({Role.IT_OFFICER}),
    Action.CASE_EXECUTE: frozenset({Role.IT_OFFICER}),
    Action.CASE_HEAR: frozenset({Role.SUPERVISOR}),
    Action.CASE_SANCTION: frozenset({Role.SUPERVISOR}),
    # The employee's rights (GDPR art. 12-21): an employee files and follows their own requests; the
    # administrator files one on an employee's behalf (identity checked); the administrator and the IT
    # officer answer them (policy 2.5). A rectification corrects the directory, or adds the person's
    # statement to their data: whoever keeps the directory does it, and so decides on a rectification
    # request too (the IT officer, who never sees the directory, may start or extend one, not judge it).
    Action.REQUEST_OWN: frozenset({Role.EMPLOYEE}),
    Action.REQUEST_FOR: frozenset({Role.ADMIN}),
    Action.REQUEST_MANAGE: frozenset({Role.ADMIN, Role.IT_OFFICER}),
    Action.RECTIFY: _DIRECTORY_KEEPERS,
    # A case in dispute keeps its evidence past the retention period: the supervisor, who runs the case, decides.
    Action.HOLD_MANAGE: frozenset({Role.SUPERVISOR}),
    Action.HOLD_VIEW: frozenset({Role.SUPERVISOR, Role.IT_OFFICER, Role.ADMIN}),
    # Deleting what is past the retention period is the IT officer's (and the scheduler's, on the server).
    Action.RUN_PURGE: frozenset({Role.IT_OFFICER}),
    # Everyone must be able to read the policy they are bound by.
    Action.MODE_POLICY: _ALL,
    # Global figures only, never a person: those who run and decide on a control.
    Action.MODE_LOGS: frozenset({Role.IT_OFFICER, Role.SUPERVISOR}),
    Action.MODE_CASES: frozenset({Role.SUPERVISOR, Role.IT_OFFICER}),
    # Employees file their requests; the administrator and IT officer answer them.
    Action.MODE_ACCESS: frozenset({Role.EMPLOYEE, Role.ADMIN, Role.IT_OFFICER}),
    Action.MODE_REPORTS: frozenset({Role.BOARD, Role.SUPERVISOR, Role.IT_OFFICER, Role.ADMIN}),
}


# The built-in scheduler: what a timer runs unattended as the service account (casebook.signin.authenticate_scheduler).
# It is no person and holds no role; it may do these and nothing else.
SCHEDULER = "scheduler"
SCHEDULER_MAY: frozenset[Action] = frozenset({Action.IMPORT_LOGS, Action.RUN_CONTROL, Action.RUN_PURGE})


def allowed_roles(action: Action) -> frozenset[Role]:
    return ALLOWED[action]


def may(roles: frozenset[Role], action: Action) -> bool:
    return bool(roles & ALLOWED[action])
