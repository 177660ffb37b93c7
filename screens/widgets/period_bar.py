"""A line of period keys with the chosen one marked, and the period's days beside them.

`t Vandaag  w 7 dagen  [m 30 dagen]  c Eigen periode │ 2026-10-30 – 2026-11-28 (30 dagen)`: the chosen
kind is bracketed and reversed, so it shows without colour too; on a narrow terminal the days go to a
second line. The Logs overview and the Reports mode each give their own keys and their own words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.widget import Widget

from casebook.logs.rollups import Period


class PeriodBar(Widget):
    DEFAULT_CSS = """
    PeriodBar { height: auto; }
    """

    def __init__(
        self, choices: Sequence[tuple[str, str]], describe: Callable[[Period], str], kind: str, **kwargs: object
    ) -> None:
        """`choices`: (kind, its key and label as shown); `describe` writes a period's days."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.choices = list(choices)
        self.describe = describe
        self.kind = kind
        self.span: Period | None = None

    def show(self, kind: str, span: Period | None) -> None:
        self.kind, self.span = kind, span
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        keys = Text(no_wrap=True, overflow="ellipsis")
        for kind, label in self.choices:
            if kind == self.kind:
                keys.append(f"[{label}]", "bold reverse")
            else:
                keys.append(f" {label} ")
            keys.append(" ")
        if self.span is None:
            return [keys]
        days = Text(self.describe(self.span), "bold", no_wrap=True, overflow="ellipsis")
        if keys.cell_len + 2 + days.cell_len <= width:
            return [Text.assemble(keys, ("│ ", "dim"), days)]
        return [keys, days]

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width))
