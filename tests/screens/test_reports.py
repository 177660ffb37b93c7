"""Reports mode with pilot: the reports each role may make, the period keys, a report on screen with its
tables and charts, its sections, and its exports into the casebook folder's exports/.

On the demo casebook at the tests' fixed moment (Saturday 28 November 2026).
"""

from __future__ import annotations

import json

from textual.pilot import Pilot
from textual.widgets import Input, Static

from casebook.book import Casebook
from screens.reports.mode import ReportsScreen, ReportsTable
from screens.reports.view import FigureView, ReportScreen
from screens.widgets.charts import FOLDED_MARK, BarChart
from screens.widgets.period_bar import PeriodBar
from tests.screens.helpers import make_app, settle, sign_in

SIZE = (80, 24)


async def reports_mode(pilot: Pilot[int], name: str) -> ReportsScreen:
    await sign_in(pilot, name, f"demo-pass-{name}")
    await pilot.press("5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


def listed(screen: ReportsScreen) -> list[str]:
    return [k.name for k in screen.kinds]


async def test_each_role_lists_the_reports_it_may_make(demo_book: Casebook) -> None:
    for name, expected in (("bert", ["board", "evaluation"]), ("an", ["evaluation", "receipts"])):
        app = make_app(demo_book)
        async with app.run_test(size=SIZE) as pilot:
            screen = await reports_mode(pilot, name)
            assert listed(screen) == expected
            assert screen.query_one(ReportsTable).row_count == len(expected)


async def test_the_period_keys_choose_and_step_through_calendar_periods(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reports_mode(pilot, "bert")
        assert screen.span is not None and (screen.span.first_day.isoformat(), screen.span.last_day.isoformat()) == (
            "2026-10-01",
            "2026-11-28",
        )
        await pilot.press("left_square_bracket")
        assert (screen.span.first_day.isoformat(), screen.span.last_day.isoformat()) == ("2026-07-01", "2026-09-30")
        await pilot.press("m")
        assert (screen.span.first_day.isoformat(), screen.span.last_day.isoformat()) == ("2026-11-01", "2026-11-28")
        await pilot.press("y", "left_square_bracket")
        assert (screen.span.first_day.isoformat(), screen.span.last_day.isoformat()) == ("2025-01-01", "2025-12-31")
        bar = str(screen.query_one(PeriodBar).render())
        assert "[y Jaar]" in bar and "1 januari 2025 – 31 december 2025 (365 dagen)" in bar
        await pilot.press("c")
        await settle(pilot)
        dialog = pilot.app.screen
        dialog.query_one("#period-first", Input).value = "2026-11-02"
        dialog.query_one("#period-last", Input).value = "2026-11-08"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.kind == "custom"
        assert (screen.span.first_day.isoformat(), screen.span.last_day.isoformat()) == ("2026-11-02", "2026-11-08")


async def test_a_report_shows_its_sections_tables_and_charts(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await reports_mode(pilot, "bert")
        await pilot.press("enter")
        await settle(pilot)
        view = pilot.app.screen
        assert isinstance(view, ReportScreen) and view.document is not None
        headings = [str(h.render()) for h in view.headings()]
        assert headings[0] == "Controles" and "Dossiers" in headings and len(headings) == 8
        assert len(view.query(FigureView)) > 10 and len(view.query(BarChart)) == 2
        body = view.query_one("#report-body")
        assert body.scroll_y == 0
        for _ in range(5):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.section == 4 and body.scroll_y > 0
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ReportsScreen)


async def test_the_evaluation_draws_a_small_group_as_a_dot(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await reports_mode(pilot, "bert")
        await pilot.press("down", "enter")
        await settle(pilot)
        view = pilot.app.screen
        assert isinstance(view, ReportScreen) and view.document is not None
        assert view.document.kind == "evaluation"
        deadlines = next(c for c in view.query(BarChart) if c.chart.key == "deadlines")
        lines = [line.plain for line in deadlines.lines()]
        folded = [line for line in lines if FOLDED_MARK in line]
        assert folded and all(line.rstrip().endswith("< 5") for line in folded)
        shown = " ".join(str(w.render()) for w in view.query(Static))
        for name in ("Tom Wouters", "Karim Bakkali", "Jan Vermeulen", "dewerf.be"):
            assert name not in shown


async def test_each_format_is_written_into_exports(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await reports_mode(pilot, "bert")
        await pilot.press("enter")
        await settle(pilot)
        view = pilot.app.screen
        assert isinstance(view, ReportScreen)
        folder = demo_book.files.home / "exports"  # the setting exports_folder, by default
        for key in ("e", "c", "j", "p"):
            await pilot.press(key)
            await settle(pilot)
        names = sorted(p.name for p in folder.iterdir())
        stem = "verslag-raad-van-bestuur-2026-10-01-2026-11-28"
        assert names == sorted(f"{stem}.{fmt}" for fmt in ("md", "csv", "json", "pdf"))
        data = json.loads((folder / f"{stem}.json").read_text("utf-8"))
        assert data["report"] == "board" and data["maker"] == "Bert Maes (bert), raad van bestuur"
        message = str(view.query_one("#report-message", Static).render())
        assert message.startswith("✔ Geschreven naar") and message.endswith(".pdf")
