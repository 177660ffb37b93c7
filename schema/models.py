"""Records the core hands to its callers. Immutable: a caller never edits the store through them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from schema.roles import ROLE_ORDER, Role


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class User(Record):
    id: int
    name: str
    full_name: str
    roles: frozenset[Role]
    disabled: bool
    failed_attempts: int
    locked_until: datetime | None
    os_user: str | None
    ssh_login: bool
    created_at: datetime
    employee_id: int | None = None  # the directory entry an employee's account stands for

    @property
    def display_name(self) -> str:
        return self.full_name or self.name

    def sorted_roles(self) -> list[Role]:
        return [role for role in ROLE_ORDER if role in self.roles]


class AuditRow(Record):
    id: int
    at: datetime
    actor: str | None
    action: str
    subject: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditVerdict(Record):
    """Result of checking the audit chain: ok, or the first row that does not fit."""

    ok: bool
    rows: int
    bad_row: int | None = None
    reason: str | None = None
