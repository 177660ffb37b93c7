"""Reports mode: to come (an empty state says what it will hold)."""

from __future__ import annotations

from casebook.permissions import Action
from screens.base import PendingModeScreen


class ReportsScreen(PendingModeScreen):
    mode_id = "reports"
    action = Action.MODE_REPORTS
