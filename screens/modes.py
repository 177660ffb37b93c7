"""The five modes, each on a key (see `screens.actions`), each open to the roles the core allows."""

from __future__ import annotations

from dataclasses import dataclass

from screens import actions
from screens.access.mode import AccessScreen
from screens.base import ModeScreen
from screens.cases.mode import CasesScreen
from screens.logs.mode import LogsScreen
from screens.policy.mode import PolicyScreen
from screens.reports.mode import ReportsScreen


@dataclass(frozen=True)
class Mode:
    screen: type[ModeScreen]

    @property
    def id(self) -> str:
        return self.screen.mode_id

    @property
    def key(self) -> str:
        return actions.BY_ID[f"mode.{self.id}"].keys


ALL_MODES: tuple[Mode, ...] = (
    Mode(PolicyScreen),
    Mode(LogsScreen),
    Mode(CasesScreen),
    Mode(AccessScreen),
    Mode(ReportsScreen),
)
