"""Access mode: to come (an empty state says what it will hold)."""

from __future__ import annotations

from casebook.permissions import Action
from screens.base import PendingModeScreen


class AccessScreen(PendingModeScreen):
    mode_id = "access"
    action = Action.MODE_ACCESS
