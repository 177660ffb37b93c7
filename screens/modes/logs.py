"""Logs mode."""

from __future__ import annotations

from casebook.permissions import Action
from screens.modes.base import PendingModeScreen


class LogsScreen(PendingModeScreen):
    mode_id = "logs"
    action = Action.MODE_LOGS
