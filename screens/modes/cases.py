"""Cases mode."""

from __future__ import annotations

from casebook.permissions import Action
from screens.modes.base import PendingModeScreen


class CasesScreen(PendingModeScreen):
    mode_id = "cases"
    action = Action.MODE_CASES
