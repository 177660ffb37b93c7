"""A table that reads its rows from the casebook a page at a time, never the whole list.

Every list of the app that can grow without bound (imports, irregularities,
domains, and the new modes' lists) is one of these: the screen gives it a
fetch function `(session, offset, limit, order) -> rows` and a function that
turns a row into its cells; the table reads the first page in a worker, the
next one when the cursor reaches the last row, and drops a page that comes
back for an older question (another order, another filter, a reload). After
each page it posts `PagedTable.Changed`, so the screen can update its counts,
its detail line and its empty state.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from casebook.session import Session
from screens.workers import read_in_worker

if TYPE_CHECKING:
    from screens.app import CasebookApp

R = TypeVar("R")
Fetch = Callable[[Session, int, int, str | None], Sequence[R]]


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    width: int | None = None


class PagedTable(DataTable[RenderableType], Generic[R]):
    """Rows from `fetch`, `page_size` at a time; `count`, when given, tells how many there are in all."""

    class Changed(Message):
        """Rows were loaded (`first`: a new list from the top) or the load failed (`error`)."""

        def __init__(self, table: PagedTable[object], first: bool, error: str | None = None) -> None:
            super().__init__()
            self.table = table
            self.first = first
            self.error = error

        @property
        def control(self) -> PagedTable[object]:
            return self.table

    def __init__(
        self,
        fetch: Fetch[R],
        cells: Callable[[R], Sequence[RenderableType]],
        *,
        page_size: int = 50,
        count: Callable[[Session], int] | None = None,
        identity: Callable[[R], Hashable] | None = None,
        order: str | None = None,
        **kwargs: object,
    ) -> None:
        """`identity` names a row across reloads: the cursor stays on it, and a row a shifted page repeats is
        dropped."""
        kwargs.setdefault("cursor_type", "row")
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.fetch = fetch
        self.cells = cells
        self.page_size = page_size
        self.count = count
        self.identity = identity
        self.order = order
        self.items: list[R] = []
        self.total: int | None = None
        self.more = False
        self.fetching = False
        self.loaded = False  # a first page has come
        self._generation = 0

    @property
    def casebook_app(self) -> CasebookApp:
        from screens.app import CasebookApp

        assert isinstance(self.app, CasebookApp)
        return self.app

    # -- columns and rows ---------------------------------------------------------

    def set_columns(self, columns: Sequence[Column]) -> None:
        """(Re)build the columns, keeping the rows and the cursor (a new sort mark, a new width)."""
        cursor = self.cursor_row
        self.clear(columns=True)
        for column in columns:
            self.add_column(column.label, key=column.key, width=column.width)
        self._add(self.items, 0)
        if self.items:
            self.move_cursor(row=min(cursor, len(self.items) - 1), animate=False)

    def _add(self, rows: Sequence[R], start: int) -> None:
        for index, row in enumerate(rows, start):
            self.add_row(*self.cells(row), key=str(index))

    def selected(self) -> R | None:
        if not self.row_count or not 0 <= self.cursor_row < len(self.items):
            return None
        return self.items[self.cursor_row]

    # -- loading ------------------------------------------------------------------

    def reload(self, *, keep: bool = True) -> None:
        """Read the list again from the top: as many rows as were loaded, the cursor kept on its row (`keep`),
        or a fresh first page (a new order or filter)."""
        self._generation += 1
        self.fetching = True
        generation = self._generation
        limit = max(self.page_size, len(self.items)) if keep else self.page_size
        chosen = self.selected()
        keep_id = self.identity(chosen) if keep and chosen is not None and self.identity else None
        if not keep:
            self.items = []
            self.more = False
            self.clear()
        fetch, order, count = self.fetch, self.order, self.count

        def query(session: Session) -> tuple[Sequence[R], int | None]:
            total = count(session) if count is not None else None
            return fetch(session, 0, limit + 1, order), total

        read_in_worker(
            self,
            self.casebook_app,
            query,
            lambda found: self._first(generation, *found, keep_id),
            f"{self.id or 'table'}-load",
            failed=lambda message: self._failed(generation, message),
        )

    def _first(self, generation: int, rows: Sequence[R], total: int | None, keep_id: Hashable | None) -> None:
        if not self.is_attached or generation != self._generation:
            return  # signed out meanwhile, or a newer load is on its way
        limit = max(self.page_size, len(self.items))
        self.fetching = False
        self.loaded = True
        self.total = total
        self.items = []
        self.clear()
        self._append(rows, limit)
        if keep_id is not None and self.identity is not None:
            index = next((i for i, r in enumerate(self.items) if self.identity(r) == keep_id), None)
            if index is not None:
                self.move_cursor(row=index, animate=False)
        self.post_message(self.Changed(self, first=True))
        self._follow_cursor()

    def _append(self, rows: Sequence[R], limit: int) -> None:
        """Add a page fetched with one row more than `limit`: that row only says whether there is more."""
        self.more = len(rows) > limit
        page = list(rows[:limit])
        if self.identity is not None:
            have = {self.identity(r) for r in self.items}
            page = [r for r in page if self.identity(r) not in have]  # a row added meanwhile shifted the pages
        start = len(self.items)
        self.items.extend(page)
        self._add(page, start)

    def load_more(self) -> None:
        """The next page, when there is one and none is on its way."""
        if self.fetching or not self.more:
            return
        self.fetching = True
        generation, offset, limit, order = self._generation, len(self.items), self.page_size, self.order
        fetch = self.fetch
        read_in_worker(
            self,
            self.casebook_app,
            lambda session: fetch(session, offset, limit + 1, order),
            lambda rows: self._next(generation, offset, rows),
            f"{self.id or 'table'}-more",
            failed=lambda message: self._failed(generation, message),
        )

    def _next(self, generation: int, offset: int, rows: Sequence[R]) -> None:
        if not self.is_attached or generation != self._generation or offset != len(self.items):
            return
        self.fetching = False
        self._append(rows, self.page_size)
        self.post_message(self.Changed(self, first=False))
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        """A cursor that reached the last row while a page was on its way asked for the next one: read it now."""
        if self.more and self.row_count and self.cursor_row >= self.row_count - 1:
            self.load_more()

    def _failed(self, generation: int, message: str) -> None:
        if not self.is_attached or generation != self._generation:
            return
        self.fetching = False
        self.post_message(self.Changed(self, first=True, error=message))

    @on(DataTable.RowHighlighted)
    def _at_end(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self and event.cursor_row >= self.row_count - 1:
            self.load_more()
