"""Reports mode."""

from __future__ import annotations

from casebook.permissions import Action
from screens.modes.base import PendingModeScreen


class ReportsScreen(PendingModeScreen):
    mode_id = "reports"
    action = Action.MODE_REPORTS
