"""How Logs mode looks: the list of imports, the summary of an import, the rejected lines, the empty mode.

Fixed terminal, fixed clock (the `book` fixture), fixed data, no blinking cursor.
The files' paths and the seconds an import took are set after the import, so the
snapshots do not depend on where the checkout lies or how fast the machine is.
After a deliberate change of looks: `make snapshots`, then look at every changed screen.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from casebook import settings
from casebook.book import Casebook
from casebook.logs import importer
from casebook.session import Session
from tests.conftest import ADMIN, PASSPHRASE
from tests.screens.helpers import fill, make_app, settle, sign_in

SIZE = (120, 36)
SMALL = (80, 24)
SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"


def imported(book: Casebook, officer: Session, name: str, path: str, seconds: float) -> None:
    result = importer.import_file(officer, SAMPLES / name)
    with book.store.transaction():
        book.store.conn.execute(
            "UPDATE imports SET path = ?, seconds = ? WHERE id = ?", (path, seconds, result.import_id)
        )


def two_imports(book: Casebook, people: dict[str, Session]) -> None:
    imported(book, people["ilse"], "squid-combined.log", "/var/log/nginx/intranet-access.log", 0.4)
    imported(book, people["ilse"], "squid-access.log", "/var/log/squid/access.log", 12.7)


async def logs_of_ilse(pilot: Pilot[int]) -> None:
    await sign_in(pilot, "ilse", PASSPHRASE)
    await pilot.press("2")
    await settle(pilot)


def test_logs_list(snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]) -> None:
    two_imports(book, people)
    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=logs_of_ilse)


def test_logs_list_small_terminal(
    snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]
) -> None:
    two_imports(book, people)
    assert snap_compare(make_app(book), terminal_size=SMALL, run_before=logs_of_ilse)


def test_logs_empty(snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]) -> None:
    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=logs_of_ilse)


def test_logs_import_summary(
    snap_compare: Callable[..., bool],
    book: Casebook,
    people: dict[str, Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copy(SAMPLES / "squid-access.log", tmp_path / "squid-access.log")
    monkeypatch.chdir(tmp_path)
    # The app imports from the allowed folders only; the form starts in the first, where a bare name is looked for.
    settings.set_value(people[ADMIN], "import_folders", str(tmp_path))
    # The summary says how long the import took: "in less than 1 s" however busy the machine is.
    ticks = iter(range(1_000_000))
    monkeypatch.setattr(importer.time, "perf_counter", lambda: next(ticks) / 1000)

    async def run_before(pilot: Pilot[int]) -> None:
        await logs_of_ilse(pilot)
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, "#import-path", "squid-access.log")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)


def test_logs_rejected_lines(snap_compare: Callable[..., bool], book: Casebook, people: dict[str, Session]) -> None:
    imported(book, people["ilse"], "squid-access.log", "/var/log/squid/access.log", 0.4)

    async def run_before(pilot: Pilot[int]) -> None:
        await logs_of_ilse(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(book), terminal_size=SIZE, run_before=run_before)
