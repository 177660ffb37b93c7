"""Cases mode: to come (an empty state says what it will hold)."""

from __future__ import annotations

from casebook.permissions import Action
from screens.base import PendingModeScreen


class CasesScreen(PendingModeScreen):
    mode_id = "cases"
    action = Action.MODE_CASES
