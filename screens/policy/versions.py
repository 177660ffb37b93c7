"""The policy's versions, newest first, to read an earlier one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from casebook.i18n import t
from casebook.policy.versions import VersionSummary
from screens.base import CasebookModal
from screens.widgets.plain_text import plain


class VersionsScreen(CasebookModal[int | None]):
    """Every version, newest first; Enter shows the chosen one, Escape keeps what was shown."""

    CSS_PATH = "policy.tcss"
    ACTIONS = ("policy.versions.cancel",)

    def __init__(self, history: list[VersionSummary], shown: int, local_time: Callable[[datetime], str]) -> None:
        super().__init__()
        self.history = history
        self.shown = shown
        self.local_time = local_time

    def compose(self) -> ComposeResult:
        newest = self.history[0].version if self.history else 0
        options = []
        for entry in self.history:
            line = Text(f"v{entry.version:<3} {self.local_time(entry.created_at)} ")
            line.append(plain(f"{entry.created_by or 'casebook':<10}"))
            line.append(f" {t(f'policy.change.{entry.change}')}")
            if entry.version == newest:
                line.append(f" ({t('policy.versions.current')})", "bold")
            if entry.version == self.shown:
                line.append(f" ◀ {t('policy.versions.shown')}", "bold")
            options.append(Option(line, id=str(entry.version)))
        with Vertical(id="versions-box", classes="dialog"):
            yield Static(Text(t("policy.versions.title")), classes="dialog-title")
            yield OptionList(*options, id="versions-list")
            yield Static(Text(t("policy.versions.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        listing = self.query_one("#versions-list", OptionList)
        listing.highlighted = next((i for i, e in enumerate(self.history) if e.version == self.shown), 0)
        listing.focus()

    @on(OptionList.OptionSelected, "#versions-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
