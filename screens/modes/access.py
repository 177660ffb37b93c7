"""Access mode."""

from __future__ import annotations

from casebook.permissions import Action
from screens.modes.base import PendingModeScreen


class AccessScreen(PendingModeScreen):
    mode_id = "access"
    action = Action.MODE_ACCESS
