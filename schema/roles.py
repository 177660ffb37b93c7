"""Who may do what: the roles a person can hold (DOMAIN.md, "People")."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    IT_OFFICER = "it_officer"
    SUPERVISOR = "supervisor"
    BOARD = "board"
    EMPLOYEE = "employee"


# The order in which roles are shown (most powerful first).
ROLE_ORDER: tuple[Role, ...] = (
    Role.ADMIN,
    Role.IT_OFFICER,
    Role.SUPERVISOR,
    Role.BOARD,
    Role.EMPLOYEE,
)


def parse_role(text: str) -> Role:
    """Accept the role's value with dashes or underscores, any case."""
    return Role(text.strip().lower().replace("-", "_"))
