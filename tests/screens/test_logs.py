"""Logs mode with pilot: the list of imports, an import through the screen, cancelling one, the rejected lines."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.color import Color
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from casebook import settings
from casebook.book import Casebook
from casebook.demo_data import synth
from casebook.errors import Refused
from casebook.logs import history, importer
from casebook.session import Session
from screens.app import CasebookApp
from screens.logs.import_file import LogFileTree, LogsImportScreen
from screens.logs.mode import PAGE, ImportsTable, LogsScreen
from screens.logs.rejects import LogsRejectsScreen
from tests.conftest import ADMIN, PASSPHRASE
from tests.screens.helpers import fill, make_app, settle, sign_in

# Every test here imports or lists logs: the policy is ready first (the refusal is tested in test_logs_overview).
pytestmark = pytest.mark.usefixtures("purged_today")

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
SQUID = SAMPLES / "squid-access.log"


def text_of(app: CasebookApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rendered(widget: Widget) -> str:
    """What the widget puts on the terminal, line by line."""
    return "\n".join("".join(segment.text for segment in widget.render_line(y)) for y in range(widget.size.height))


def words(widget: Widget) -> str:
    """The text of a widget's Static children (an empty state is a container of them)."""
    return "\n".join(str(static.render()) for static in widget.query(Static))


def count(book: Casebook, table: str) -> int:
    row = book.store.query_one(f"SELECT count(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


def row_text(table: DataTable[Any], index: int) -> list[str]:
    return [str(getattr(cell, "plain", cell)) for cell in table.get_row_at(index)]


async def open_logs(pilot: Pilot[int], name: str) -> LogsScreen:
    await sign_in(pilot, name, PASSPHRASE)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LogsScreen), screen
    return screen


async def open_import(pilot: Pilot[int]) -> LogsImportScreen:
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LogsImportScreen), screen
    return screen


async def until(pilot: Pilot[int], condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


@pytest.fixture(autouse=True)
def log_folders(book: Casebook, tmp_path: Path) -> None:
    """The app imports only from the allowed folders: here the sample logs and the test's own folder."""
    settings.set_value(book.login(ADMIN, PASSPHRASE), "import_folders", f"{SAMPLES},{tmp_path}")


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Hold the import at its first progress report (inside its transaction) until the test lets it go."""
    reached, go = threading.Event(), threading.Event()
    real = importer.import_file

    def gated(*args: Any, progress: Callable[[importer.Progress], None] | None = None, **kwargs: Any) -> Any:
        def report(done: importer.Progress) -> None:
            if progress is not None:
                progress(done)
            reached.set()
            go.wait(10)

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(importer, "import_file", gated)
    yield reached, go
    go.set()


@pytest.fixture
def big_log(tmp_path: Path) -> Path:
    path = tmp_path / "busy-access.log"
    synth.write_squid_bench(path, 60_000)
    return path


# -- importing through the screen ------------------------------------------------


async def test_it_officer_imports_a_log_and_sees_it_listed(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        assert "druk i om een logbestand in te lezen" in words(app.screen.query_one("#logs-empty"))
        screen = await open_import(pilot)
        await fill(pilot, "#import-path", str(SQUID))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "done"
        counts = text_of(app, "#run-counts")
        assert "920 regels: 912 ingelezen, 8 afgekeurd" in counts
        summary = text_of(app, "#run-summary")
        assert "4 × verkeerd aantal velden" in summary  # one of them two records, the first ended by a NUL
        assert "De laatste regel is nog niet af" in summary
        assert "1 × tijdstip in de toekomst" in summary
        assert count(book, "imports") == 1

        await pilot.press("escape")
        await settle(pilot)
        logs = app.screen
        assert isinstance(logs, LogsScreen)
        table = logs.query_one(ImportsTable)
        assert table.row_count == 1
        cells = row_text(table, 0)
        assert cells[2:7] == ["squid-access.log", "squid", "920", "912", "8"]
        assert cells[0] == "2026-11-28 10:00"  # the fixed clock, in Brussels time
        assert cells[1] == "Ilse"
        assert text_of(app, "#logs-count") == "1 inlezing"
        assert str(SQUID) in text_of(app, "#logs-detail")


async def test_the_same_file_again_is_skipped(book: Casebook, people: dict[str, Session], tmp_path: Path) -> None:
    # The whole of the first 100 lines: the sample's own last line is cut short, and is read again each time.
    log = tmp_path / "access.log"
    log.write_bytes(b"".join(SQUID.read_bytes().splitlines(keepends=True)[:100]))
    importer.import_file(people["ilse"], log)
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        screen = await open_import(pilot)
        await fill(pilot, "#import-path", str(log))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.phase == "done"
        assert "Overgeslagen: al ingelezen" in text_of(app, "#run-summary")
        assert count(book, "imports") == 1


async def test_picking_a_file_in_the_tree_fills_the_path(
    book: Casebook, people: dict[str, Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")  # where the app was started plays no part
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        screen = await open_import(pilot)
        field = screen.query_one("#import-path", Input)
        assert field.value.rstrip("/") == str(SAMPLES)  # the first folder the app may import from
        tree = screen.query_one(LogFileTree)
        await until(pilot, lambda: len(tree.root.children) == 6)
        names = [node.label.plain for node in tree.root.children]
        tree.focus()
        tree.move_cursor(tree.root.children[names.index("squid-access.log")])
        await pilot.press("enter")
        await until(pilot, lambda: field.value == str(SAMPLES / "squid-access.log"))
        assert screen.focused is field  # Enter again starts
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "done"


async def test_the_app_reads_nothing_outside_the_allowed_folders(
    book: Casebook, people: dict[str, Session], tmp_path: Path
) -> None:
    (tmp_path / "keys.log").symlink_to(book.files.key)
    (tmp_path / "visible.log").write_text("")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "access.log").write_bytes(SQUID.read_bytes())
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        screen = await open_import(pilot)
        message = screen.query_one("#import-message", Static)
        for typed, rule in (
            (str(book.files.key), "eigen bestanden van het casebook"),
            (str(tmp_path / "keys.log"), "eigen bestanden van het casebook"),
            (str(outside / "access.log"), "mappen voor logs"),
            (str(book.files.home / "exports" / "x.log"), "mappen voor logs"),
        ):
            await fill(pilot, "#import-path", typed)
            await pilot.press("enter")
            await settle(pilot)
            assert screen.phase == "form", typed
            assert str(message.render()).startswith(f"Geweigerd door de regel '{rule}'"), typed
        tree = screen.query_one(LogFileTree)
        await fill(pilot, "#import-path", f"{outside}/")
        await settle(pilot)
        assert Path(tree.path) == SAMPLES  # a folder the import may not read is not shown either
        await fill(pilot, "#import-path", f"{tmp_path}/")
        await until(pilot, lambda: Path(tree.path) == tmp_path and len(tree.root.children) > 0)
        # Neither the link to the key nor the casebook's own folder (which lies here) is shown.
        assert [node.label.plain for node in tree.root.children] == ["visible.log"]
    assert count(book, "imports") == 0 and count(book, "rejects") == 0


async def test_a_file_that_cannot_be_read_says_so_in_the_form(
    book: Casebook, people: dict[str, Session], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-access.log"
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        screen = await open_import(pilot)
        await fill(pilot, "#import-path", str(missing))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "form"
        message = screen.query_one("#import-message", Static)
        assert message.display
        assert str(message.render()) == f"het logbestand {missing} bestaat niet."
        assert message.styles.color == Color.parse(app.get_css_variables()["error"])  # in the error style
        assert count(book, "imports") == 0


async def test_an_unknown_format_asks_for_the_format_in_the_form(
    book: Casebook, people: dict[str, Session], tmp_path: Path
) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("dear diary\nnothing like a log here\n")
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        screen = await open_import(pilot)
        await fill(pilot, "#import-path", str(odd))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "form"
        message = text_of(app, "#import-message")
        assert "niet herkend; kies het formaat hierboven" in message
        assert "--format" not in message


# -- cancelling, and the app meanwhile --------------------------------------------


async def test_cancelling_an_import_keeps_nothing(
    book: Casebook, people: dict[str, Session], big_log: Path, gate: tuple[threading.Event, threading.Event]
) -> None:
    reached, go = gate
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        screen = await open_import(pilot)
        await fill(pilot, "#import-path", str(big_log))
        await pilot.press("enter")
        await until(pilot, reached.is_set)
        await pilot.pause()
        assert screen.phase == "running"
        assert "10.000 regels" in text_of(app, "#run-counts")
        await pilot.press("escape")
        assert screen.phase == "cancelling"
        go.set()
        await settle(pilot)
        assert screen.phase == "cancelled"
        assert "Geannuleerd: niets van dit bestand is bewaard" in text_of(app, "#run-summary")
        assert count(book, "imports") == 0
        assert count(book, "events") == 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LogsScreen)
        assert app.screen.query_one("#logs-empty").display


async def test_the_app_answers_while_an_import_runs(
    book: Casebook, people: dict[str, Session], big_log: Path, gate: tuple[threading.Event, threading.Event]
) -> None:
    reached, go = gate
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "ilse")
        screen = await open_import(pilot)
        await fill(pilot, "#import-path", str(big_log))
        await pilot.press("enter")
        await until(pilot, reached.is_set)
        assert app.session is not None
        try:
            # The import holds the write transaction on its own connection; the app's still reads meanwhile.
            assert await asyncio.wait_for(asyncio.to_thread(history.count, app.session), timeout=2) == 0
            await pilot.press("1")
            assert app.current_mode == "policy"
            await pilot.press("2")
            assert app.screen is screen and screen.phase == "running"
        finally:
            go.set()
        await settle(pilot)
        assert screen.phase == "done"
        assert "60.000 regels: 60.000 ingelezen" in text_of(app, "#run-counts")
        assert count(book, "imports") == 1


# -- the rejected lines ----------------------------------------------------------------


async def test_rejected_lines_show_as_written(book: Casebook, people: dict[str, Session]) -> None:
    result = importer.import_file(people["ilse"], SQUID)
    # A sample that escaped the import's sanitising would still be shown inert.
    with book.store.transaction():
        book.store.conn.execute(
            "INSERT INTO rejects (import_id, line_no, reason, sample) VALUES (?, 9999, 'syntax', ?)",
            (result.import_id, "GET http://x.be/\x1b[2J\x1b[31m [bold]loud[/bold]"),
        )
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_logs(pilot, "sofie")  # the supervisor sees the list and the rejects too
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LogsRejectsScreen)
        table = screen.query_one("#rejects-table", DataTable)
        assert table.row_count == 9
        samples = {row_text(table, i)[0]: row_text(table, i)[2] for i in range(table.row_count)}
        assert "http://[red]evil[/red]/" in samples["587"]
        assert row_text(table, 6)[1] == "ongeldige hostnaam"
        assert not table.get_row_at(6)[2].spans  # no style came out of the sample
        shown = []
        for row in (6, 8):
            table.move_cursor(row=row)
            await pilot.pause()
            shown.append(rendered(table) + rendered(screen.query_one("#rejects-detail")))
        assert "http://[red]evil[/red]/" in shown[0]
        assert "[bold]loud[/bold]" in shown[1]
        assert "\N{REPLACEMENT CHARACTER}[2J" in shown[1]
        assert not any("\x1b" in text for text in shown)
        assert "8 van 920 regels afgekeurd" in text_of(app, "#rejects-summary")
        await pilot.press("escape")
        assert isinstance(app.screen, LogsScreen)


# -- who may do what ----------------------------------------------------------------------


async def test_the_supervisor_has_no_import_key(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_logs(pilot, "sofie")
        assert "i" not in screen.active_bindings
        assert "De ICT-verantwoordelijke leest de logs in" in words(screen.query_one("#logs-empty"))
        await pilot.press("i")
        await settle(pilot)
        assert app.screen is screen
        titles = [command.title for command in screen.palette_commands()]
        assert titles == ["Globaal overzicht van de logs", "Onregelmatigheden", "Lijst van inlezingen vernieuwen"]


async def test_the_it_officer_has_the_import_key_and_command(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_logs(pilot, "ilse")
        assert screen.active_bindings["i"].enabled
        titles = [command.title for command in screen.palette_commands()]
        assert titles == [
            "Globaal overzicht van de logs",
            "Onregelmatigheden",
            "Logbestand inlezen",
            "Lijst van inlezingen vernieuwen",
        ]


def test_reading_the_imports_needs_the_logs_mode(people: dict[str, Session]) -> None:
    assert history.count(people["sofie"]) == 0
    for name in ("eva", "bert", "admin"):
        with pytest.raises(Refused):
            history.imports(people[name], 10, 0)
        with pytest.raises(Refused):
            history.rejects(people[name], 1)


# -- paging --------------------------------------------------------------------------------


def many_imports(book: Casebook, number: int) -> None:
    with book.store.transaction():
        book.store.conn.executemany(
            "INSERT INTO imports (path, content_hash, size, first_line, format, lines, imported, rejected,"
            " imported_by, imported_at, seconds) VALUES (?, ?, 10, 1, 'squid', ?, ?, 0, 'ilse', ?, 0.5)",
            [
                (f"/var/log/squid/access.log.{i}", f"hash{i}", i, i, f"2026-11-{1 + i // 20:02d}T08:00:00+00:00")
                for i in range(number)
            ],
        )


async def test_the_list_loads_a_page_at_a_time(book: Casebook, people: dict[str, Session]) -> None:
    many_imports(book, 450)
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_logs(pilot, "ilse")
        table = screen.query_one(ImportsTable)
        assert table.row_count == PAGE
        assert row_text(table, 0)[2] == "access.log.449"  # newest first
        assert text_of(app, "#logs-count").startswith("450 inlezingen, de nieuwste bovenaan · 200 geladen")
        await pilot.press("ctrl+end")  # the last row loaded: the next page follows
        await settle(pilot)
        assert table.row_count == 2 * PAGE
        table.move_cursor(row=table.row_count - 1)
        await settle(pilot)
        assert table.row_count == 450
        assert row_text(table, 449)[2] == "access.log.0"
        assert text_of(app, "#logs-count") == "450 inlezingen, de nieuwste bovenaan"
        # A reload keeps what was loaded, and the cursor on its import.
        table.move_cursor(row=300)
        await pilot.press("f5")
        await settle(pilot)
        assert table.row_count == 450 and table.cursor_row == 300


async def test_another_import_shows_after_a_reload(book: Casebook, people: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_logs(pilot, "sofie")
        assert screen.query_one("#logs-empty").display
        importer.import_file(people["ilse"], SQUID)  # elsewhere, say from cron
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not screen.query_one("#logs-empty").display
        assert screen.query_one(ImportsTable).row_count == 1


# -- removing an import --------------------------------------------------------------------------


async def test_x_removes_the_highlighted_import_after_a_question(book: Casebook, people: dict[str, Session]) -> None:
    from screens.widgets.confirm import ConfirmScreen

    kept = importer.import_file(people["ilse"], SAMPLES / "squid-combined.log")
    wrong = importer.import_file(people["ilse"], SQUID, "postfix")  # the wrong format: every line rejected
    assert wrong.imported == 0 and kept.imported > 0
    app = make_app(book)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_logs(pilot, "sofie")
        assert "x" not in screen.active_bindings  # the supervisor may look, not remove
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = await open_logs(pilot, "ilse")
        assert row_text(screen.query_one(ImportsTable), 0)[3] == "postfix"  # newest first: the wrong one
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Import {wrong.import_id} (squid-access.log: 920 regels, 0 ingelezen)" in text_of(
            app, "#confirm-question"
        )
        await pilot.press("n")  # not now
        await settle(pilot)
        assert count(book, "imports") == 2
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: count(book, "imports") == 1)
        await settle(pilot)
        table = screen.query_one(ImportsTable)
        assert table.row_count == 1 and row_text(table, 0)[3] == "clf"
        assert count(book, "events") == kept.imported


@pytest.mark.parametrize("width", [80, 100, 120, 160])
async def test_who_imported_is_never_cut(book: Casebook, people: dict[str, Session], width: int) -> None:
    many_imports(book, 3)
    app = make_app(book)
    async with app.run_test(size=(width, 30)) as pilot:
        screen = await open_logs(pilot, "ilse")
        table = screen.query_one(ImportsTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width, "no column off the screen"
        assert row_text(table, 0)[1] == "Ilse"
        detail = text_of(app, "#logs-detail")
        if width < 140:  # what the table leaves out, the highlighted import's detail says
            assert "in de log van" in detail


async def test_the_detail_names_the_lines_that_are_no_event(book: Casebook, people: dict[str, Session]) -> None:
    from casebook.logs import importer

    importer.import_file(people["ilse"], SAMPLES / "postfix-mail.log")
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_logs(pilot, "ilse")
        assert "738 zonder gebeurtenis (wachtrijbeheer en verbindingen)" in text_of(app, "#logs-detail")
