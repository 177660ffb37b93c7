"""Policy mode."""

from __future__ import annotations

from casebook.permissions import Action
from screens.modes.base import PendingModeScreen


class PolicyScreen(PendingModeScreen):
    mode_id = "policy"
    action = Action.MODE_POLICY
