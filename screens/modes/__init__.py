"""The five modes, each on a key, each open to the roles the core allows."""

from __future__ import annotations

from dataclasses import dataclass

from screens.modes.access import AccessScreen
from screens.modes.base import ModeScreen
from screens.modes.cases import CasesScreen
from screens.modes.logs import LogsScreen
from screens.modes.policy import PolicyScreen
from screens.modes.reports import ReportsScreen


@dataclass(frozen=True)
class Mode:
    key: str
    screen: type[ModeScreen]

    @property
    def id(self) -> str:
        return self.screen.mode_id


ALL_MODES: tuple[Mode, ...] = (
    Mode("1", PolicyScreen),
    Mode("2", LogsScreen),
    Mode("3", CasesScreen),
    Mode("4", AccessScreen),
    Mode("5", ReportsScreen),
)
