"""The Logs overview screens with pilot, on the demo casebook: figures as the core counts them, paging,
periods, the drill-down, the irregularities and the rules, and nobody anywhere on any of them."""

from __future__ import annotations

import html
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Static

from casebook import formatting, permissions, rules
from casebook.book import Casebook
from casebook.demo_data import synth
from casebook.errors import Refused
from casebook.logs import rollups
from casebook.logs.rollups import Period
from casebook.permissions import Action
from casebook.session import Session
from schema.roles import Role
from screens.app import CasebookApp
from screens.logs.drill import DrillScreen
from screens.logs.irregularities import IrregularitiesScreen
from screens.logs.overview import PAGE, OverviewScreen, PeriodDialog
from screens.widgets.charts import DurationChart, HourChart
from tests.conftest import PASSPHRASE
from tests.screens.helpers import fill, make_app, settle, sign_in

SIZE = (120, 36)
TODAY = date(2026, 11, 28)  # NOW in Brussels


@pytest.fixture
def officer(demo_book: Casebook) -> Session:
    return demo_book.login("ilse", "demo-pass-ilse")


def grouped(value: int) -> str:
    """A count as the screens write it in Dutch, made here independently: 35943 -> '35.943'."""
    text = str(value)
    groups = []
    while text:
        groups.insert(0, text[-3:])
        text = text[:-3]
    return ".".join(groups)


def counted(count: int, one: str, other: str) -> str:
    """'1 verzoek', '35.943 verzoeken': a count with its noun in the number Dutch gives it."""
    return f"1 {one}" if count == 1 else f"{grouped(count)} {other}"


def users_text(count: int | None) -> str:
    """None: fewer people than the policy's smallest group (the demo's: 5), never how few."""
    return "minder dan 5 gebruikers" if count is None else counted(count, "gebruiker", "verschillende gebruikers")


def static_text(app: CasebookApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def cell_text(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def column(table: DataTable[Text], index: int = 0) -> list[str]:
    return [cell_text(table.get_row_at(row)[index]) for row in range(table.row_count)]


async def open_screen(pilot: Pilot[int], screen: Widget, user: str = "ilse") -> None:
    await sign_in(pilot, user, f"demo-pass-{user}")
    pilot.app.push_screen(screen)  # type: ignore[arg-type]
    await settle(pilot)
    await settle(pilot)


def overview(app: CasebookApp) -> OverviewScreen:
    assert isinstance(app.screen, OverviewScreen), app.screen
    return app.screen


def domains_table(app: CasebookApp) -> DataTable[Text]:
    return app.screen.query_one("#overview-domains", DataTable)


def assert_totals_shown(app: CasebookApp, figures: rollups.Figures) -> None:
    shown = static_text(app, "#overview-totals")
    assert counted(figures.requests, "verzoek", "verzoeken") in shown, shown
    assert f"{formatting.size(figures.bytes)} verkeer" in shown, shown
    assert counted(figures.visits, "bezoek", "bezoeken") in shown, shown
    assert users_text(figures.users) in shown, shown


# -- the overview ----------------------------------------------------------------------------------


async def test_totals_and_first_page_are_the_cores(demo_book: Casebook, officer: Session) -> None:
    span = rollups.period("month", TODAY)
    totals = rollups.totals(officer, span)
    assert totals.requests > 10_000 and totals.users > 10  # the demo is there
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        assert_totals_shown(app, totals)
        assert "2026-10-30 – 2026-11-28" in str(app.screen.query_one("#overview-period").render())
        table = domains_table(app)
        first = rollups.domains(officer, span, limit=PAGE)
        assert column(table) == [r.name for r in first]
        assert column(table, 1) == [grouped(r.requests) for r in first]
        categories = app.screen.query_one("#overview-categories", DataTable)
        assert column(categories, 1) == [grouped(r.requests) for r in rollups.categories(officer, span)]
        hours = app.screen.query_one(HourChart)
        assert hours.hours == rollups.hours_of_day(officer, span)
        mail = static_text(app, "#overview-mail")
        internal = rollups.mail(officer, span)["internal"]
        assert f"intern {grouped(internal[0])} ({formatting.size(internal[1])})" in mail


async def test_the_cursor_at_the_end_loads_the_next_page(demo_book: Casebook, officer: Session) -> None:
    span = rollups.period("month", TODAY)
    count = rollups.domain_count(officer, span)
    assert PAGE < count < 2 * PAGE  # the demo has two pages
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        table = domains_table(app)
        assert table.row_count == PAGE
        assert f"20 van {count}" in static_text(app, "#overview-domains-label")
        await pilot.press("down")  # not yet at the end: nothing more
        await settle(pilot)
        assert table.row_count == PAGE
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.row_count == count
        every = rollups.domains(officer, span, limit=1000)
        assert column(table) == [r.name for r in every]
        assert f"{count} van {count}" in static_text(app, "#overview-domains-label")


async def test_changing_the_period_changes_the_figures(demo_book: Casebook, officer: Session) -> None:
    month = rollups.totals(officer, rollups.period("month", TODAY))
    week = rollups.totals(officer, rollups.period("week", TODAY))
    assert week.requests < month.requests
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        assert_totals_shown(app, month)
        await pilot.press("w")
        await settle(pilot)
        assert_totals_shown(app, week)
        assert overview(app).span == rollups.period("week", TODAY)
        assert domains_table(app).row_count == rollups.domain_count(officer, rollups.period("week", TODAY))
        await pilot.press("t")
        await settle(pilot)
        assert_totals_shown(app, rollups.totals(officer, rollups.period("today", TODAY)))
        # A custom period: one Monday of the demo.
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PeriodDialog)
        await fill(pilot, "#period-first", "2026-11-02")
        await pilot.press("enter")
        await fill(pilot, "#period-last", "02/11/2026")
        await pilot.press("enter")
        await settle(pilot)
        monday = rollups.period("custom", TODAY, date(2026, 11, 2), date(2026, 11, 2))
        assert overview(app).span == monday
        assert_totals_shown(app, rollups.totals(officer, monday))
        assert "[c Eigen periode]" in str(app.screen.query_one("#overview-period").render())


async def test_a_custom_period_backwards_is_refused_in_the_dialog(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "#period-first", "2026-11-10")
        await fill(pilot, "#period-last", "2026-11-01")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PeriodDialog)
        with pytest.raises(Refused) as refused:
            rollups.period("custom", TODAY, date(2026, 11, 10), date(2026, 11, 1))
        assert refused.value.message in static_text(app, "#period-message")
        await fill(pilot, "#period-last", "gisteren")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "gisteren" in static_text(app, "#period-message")
        await pilot.press("escape")
        await settle(pilot)
        assert overview(app).span == rollups.period("month", TODAY)


async def test_o_sorts_the_domains_by_the_next_figure(demo_book: Casebook, officer: Session) -> None:
    span = rollups.period("month", TODAY)
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        await pilot.press("o")
        await settle(pilot)
        table = domains_table(app)
        by_volume = rollups.domains(officer, span, limit=PAGE, order="bytes")
        assert column(table) == [r.name for r in by_volume]
        assert column(table) != [r.name for r in rollups.domains(officer, span, limit=PAGE)]
        assert "▼" in cell_text(table.ordered_columns[2].label)
        assert "▼" not in cell_text(table.ordered_columns[1].label)
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.row_count == rollups.domain_count(officer, span)


async def test_enter_opens_the_selected_domain(demo_book: Casebook, officer: Session) -> None:
    span = rollups.period("month", TODAY)
    third = rollups.domains(officer, span, limit=3)[2]
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        assert (drill.domain, drill.span) == (third.name, span)
        assert third.name in static_text(app, "#drill-title")
        totals = static_text(app, "#drill-totals")
        assert counted(third.requests, "verzoek", "verzoeken") in totals
        assert users_text(third.users) in totals
        assert drill.query_one(HourChart).hours == rollups.hours_of_day(officer, span, domain=third.name)
        durations = rollups.durations(officer, span, domain=third.name)
        assert drill.query_one(DurationChart).counts == durations
        assert sum(durations) == third.visits
        chart = str(drill.query_one(DurationChart).render())
        assert grouped(durations[0]) in chart
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_enter_on_a_category_opens_its_details(demo_book: Casebook, officer: Session) -> None:
    span = rollups.period("month", TODAY)
    social = next(r for r in rollups.categories(officer, span) if r.name == "social")
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        categories = app.screen.query_one("#overview-categories", DataTable)
        categories.focus()
        categories.move_cursor(row=column(categories).index("sociale netwerken"))
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        assert drill.category == "social"
        assert counted(social.requests, "verzoek", "verzoeken") in static_text(app, "#drill-totals")
        assert drill.query_one(HourChart).hours == rollups.hours_of_day(officer, span, category="social")
        assert drill.query_one(DurationChart).counts == rollups.durations(officer, span, category="social")


async def test_a_drill_down_opened_by_name_finds_its_figures(demo_book: Casebook, officer: Session) -> None:
    span = rollups.period("month", TODAY)
    hln = next(r for r in rollups.domains(officer, span, limit=100) if r.name == "hln.be")
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, DrillScreen(span, domain="hln.be"))
        totals = static_text(app, "#drill-totals")
        assert counted(hln.requests, "verzoek", "verzoeken") in totals
        assert "nieuws" in totals  # its category


async def test_the_chart_marks_working_hours_with_a_sign(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        chart = app.screen.query_one(HourChart)
        lines = [line.plain for line in chart.lines()]
        marks = next(line for line in lines if "■" in line and ":" not in line)
        # The demo's policy: 08:30-17:00, so the hours 8 to 16 (two columns an hour); its lunch break
        # (12:00-12:45) marks its hour apart: private use is allowed then.
        assert [i // 2 for i, ch in enumerate(marks) if ch == "■"] == [8, 9, 10, 11, 13, 14, 15, 16]
        assert [i // 2 for i, ch in enumerate(marks) if ch == "□"] == [12]
        assert any("werkuren 08:30–17:00, ma–vr" in line for line in lines)
        assert "□ met pauze 12:00–12:45: privégebruik toegestaan" in lines
        await pilot.press("g")
        assert chart.measure == "visits"
        assert "Bezoeken per uur" in chart.lines()[0].plain


async def test_palette_commands_and_escape(demo_book: Casebook, officer: Session) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        screen = overview(app)
        commands = {c.title: c for c in app.get_system_commands(screen)}
        assert {"Periode: 7 dagen", "Eigen periode kiezen", "Domeinen anders sorteren"} <= set(commands)
        commands["Periode: 7 dagen"].callback()
        await settle(pilot)
        assert_totals_shown(app, rollups.totals(officer, rollups.period("week", TODAY)))
        commands["Periode: 30 dagen"].callback()  # the last week has no domain of five people or more
        await settle(pilot)
        commands["Details van de gekozen rij"].callback()
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)
        assert "Terug naar het overzicht" in {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, OverviewScreen)


# -- the irregularities -------------------------------------------------------------------------------


def table_of(app: CasebookApp) -> DataTable[Text]:
    return app.screen.query_one("#irregularities-table", DataTable)


@pytest.mark.parametrize("user", ["ilse", "sofie"])
async def test_the_irregularities_the_cases_found(demo_book: Casebook, user: str) -> None:
    session = demo_book.login(user, f"demo-pass-{user}")
    every = rules.listing(session, limit=1000)
    assert {i.purpose for i in every} == {1, 3, 4}  # the demo's cases controlled purposes 1, 3 and 4
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, IrregularitiesScreen(), user)
        table = table_of(app)
        assert column(table) == [i.day.isoformat() for i in every]
        assert column(table) == sorted(column(table), reverse=True)  # newest first
        assert {int(p) for p in column(table, 1)} == {1, 3, 4}
        assert column(table, 2) == [grouped(i.events) for i in every]
        assert every[0].summary in static_text(app, "#irregularities-detail")
        # Both roles may run the control: `r` is there.
        assert "r" in app.screen.active_bindings
        await pilot.press("3")
        await settle(pilot)
        third = rules.listing(session, limit=1000, purpose=3)
        assert column(table, 1) == ["3"] * len(third) and len(third) > 0
        assert "[3 veiligheid]" in static_text(app, "#irregularities-filter")
        await pilot.press("0")
        await settle(pilot)
        assert table.row_count == len(every)


async def test_the_list_pages(demo_book: Casebook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("screens.logs.irregularities.PAGE", 5)
    session = demo_book.login("ilse", "demo-pass-ilse")
    every = rules.listing(session, limit=1000)
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, IrregularitiesScreen())
        table = table_of(app)
        assert table.row_count == 5
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.row_count == 10
        for _ in range(5):
            await pilot.press("ctrl+end")
            await settle(pilot)
        assert column(table) == [i.day.isoformat() for i in every]
        assert [cell_text(table.get_row_at(r)[3]) for r in range(table.row_count)] == [i.summary for i in every]


async def test_r_outside_permanent_control_shows_the_rule(demo_book: Casebook) -> None:
    """The demo's policy announces periodic and event-driven control: the rules run only in a case."""
    session = demo_book.login("sofie", "demo-pass-sofie")
    before = len(rules.listing(session, limit=1000))
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, IrregularitiesScreen(), "sofie")
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        message = static_text(app, "#irregularities-message")
        assert message.startswith("✖") and "controle op de aangekondigde wijze" in message
        assert table_of(app).row_count == before


async def test_a_policy_not_ready_shows_its_refusal_instead_of_the_irregularities(
    book: Casebook, people: dict[str, Session]
) -> None:
    with pytest.raises(Refused) as refused:
        rules.listing(people["ilse"])
    app = make_app(book)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        app.push_screen(IrregularitiesScreen())
        await settle(pilot)
        shown = static_text(app, "#irregularities-empty")
        assert shown.startswith("✖ " + refused.value.message) and "cao 81 art. 7 tot 9" in shown
        assert not app.screen.query_one("#irregularities-table").display
        await pilot.press("r")  # the control is refused by the same rule, and says so
        await settle(pilot)
        await settle(pilot)
        message = static_text(app, "#irregularities-message")
        assert message == "✖ " + refused.value.message
        assert "niet klaar" in message


async def test_a_policy_not_ready_shows_its_refusal_instead_of_the_overview(
    book: Casebook, people: dict[str, Session]
) -> None:
    with pytest.raises(Refused) as refused:
        rollups.totals(people["ilse"], rollups.period("month", TODAY))
    assert refused.value.rule == "control.policy_ready"
    app = make_app(book)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        app.push_screen(OverviewScreen("month"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        assert static_text(app, "#overview-refused").startswith("✖ " + refused.value.message)
        assert not screen.query_one("#overview-body").display and not screen.query_one("#overview-totals").display
        # Only the way back is offered: no period or order to choose over figures that are not there.
        assert screen.check_action("period", ("week",)) is False and screen.check_action("back", ()) is True
        await pilot.press("w")
        await settle(pilot)
        assert screen.refused is not None and screen.overview is None


async def test_the_logs_mode_says_imports_are_refused_and_i_says_why(
    book: Casebook, people: dict[str, Session]
) -> None:
    app = make_app(book)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        await pilot.press("2")
        await settle(pilot)
        shown = static_text(app, "#logs-refused")
        assert shown.startswith("✖ Geweigerd door de regel 'policy klaar voor controle'")
        await pilot.press("i")
        await settle(pilot)
        assert type(app.screen).__name__ == "LogsScreen"  # no file is picked for an import that is refused
        assert any("policy klaar voor controle" in str(n.message) for n in app._notifications)


async def test_r_is_hidden_from_whoever_may_not_run_the_control(
    demo_book: Casebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No role has the Logs mode without the control today: take it from the supervisor for this test.
    monkeypatch.setitem(permissions.ALLOWED, Action.RUN_CONTROL, frozenset({Role.IT_OFFICER}))
    audit_rows = demo_book.store.query_one("SELECT count(*) AS n FROM audit")["n"]
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, IrregularitiesScreen(), "sofie")
        screen = app.screen
        assert isinstance(screen, IrregularitiesScreen)
        assert "r" not in screen.active_bindings
        assert all(c.title != "Regels van de globale controle uitvoeren" for c in screen.palette_commands())
        await pilot.press("r")
        await settle(pilot)
        assert not screen.query_one("#irregularities-message").display
        assert table_of(app).row_count > 0  # the list itself is still hers to read
    ran = demo_book.store.query_one(
        "SELECT count(*) AS n FROM audit WHERE action = 'control.rules_run' AND rowid > ?", [audit_rows]
    )
    assert ran["n"] == 0


# -- nobody on any screen ----------------------------------------------------------------------------


def secrets(home: Path) -> set[str]:
    """Everything that could point at a person: pseudonyms, client addresses, user names, mail addresses."""
    conn = sqlite3.connect(home / "casebook.db")
    tokens = {row[0] for row in conn.execute("SELECT token FROM pseudonyms")}
    conn.close()
    assert len(tokens) > 10
    found = set(tokens) | {token[:12] for token in tokens}
    for proxy_user, address, mail in synth.OFFICE:
        found |= {proxy_user, proxy_user.split("\\")[-1], address, mail, mail.split("@")[0]}
    return found


def screen_text(app: CasebookApp) -> str:
    """What the screen shows, and what its tables and texts hold beyond the visible part."""
    svg = app.export_screenshot()
    parts = [html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")]
    for widget in app.screen.query("*"):
        if isinstance(widget, DataTable):
            parts += [cell_text(c) for r in range(widget.row_count) for c in widget.get_row_at(r)]
            parts += [cell_text(c.label) for c in widget.ordered_columns]
        elif isinstance(widget, Static) or hasattr(widget, "lines"):
            rendered = widget.render()
            parts.append(rendered.plain if isinstance(rendered, Text) else str(rendered))
    return "\n".join(parts)


def leaks(text: str, found: set[str]) -> list[str]:
    return sorted(s for s in found if s in text)


async def load_every_page(pilot: Pilot[int]) -> None:
    for _ in range(10):
        await pilot.press("ctrl+end")
        await settle(pilot)


PRIVACY_CASES = ["today", "week", "month", "custom", "drill_domain", "drill_category", "irregularities"]


@pytest.mark.parametrize("case", PRIVACY_CASES)
async def test_no_person_on_any_screen(demo_home: Path, demo_book: Casebook, officer: Session, case: str) -> None:
    found = secrets(demo_home)
    assert leaks("a line with " + sorted(found)[0], found)  # the scan finds what it looks for
    month = rollups.period("month", TODAY)
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        if case in {"today", "week", "month"}:
            await open_screen(pilot, OverviewScreen(case))
            await load_every_page(pilot)
        elif case == "custom":
            await open_screen(pilot, OverviewScreen(span=Period(date(2026, 10, 1), TODAY)))
            await load_every_page(pilot)
        elif case == "drill_domain":
            top = rollups.domains(officer, month, limit=1)[0]
            await open_screen(pilot, DrillScreen(month, domain=top.name, row=top))
        elif case == "drill_category":
            await open_screen(pilot, DrillScreen(month, category="gambling"))
        else:
            await open_screen(pilot, IrregularitiesScreen())
        text = screen_text(app)
        assert len(text) > 500  # the screen was there
        assert leaks(text, found) == []


async def test_logs_mode_opens_the_overview_and_the_irregularities(demo_book: Casebook) -> None:
    from screens.logs.irregularities import IrregularitiesScreen
    from tests.screens.helpers import make_app, settle, sign_in

    app = make_app(demo_book)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, "sofie", "demo-pass-sofie")
        await pilot.press("2")
        assert app.current_mode == "logs"
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("escape")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, IrregularitiesScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles  # the screen's own commands are in the palette


async def test_groups_of_fewer_than_five_people_are_folded_on_the_screen(demo_book: Casebook, officer: Session) -> None:
    """Gambling is one person in the demo office: no row, no chart, no number of its own points at her."""
    span = rollups.period("month", TODAY)
    categories = rollups.categories(officer, span)
    assert "gambling" not in {r.name for r in categories} and categories[-1].folded
    other = rollups.other_domains(officer, span)
    assert other is not None and other.folded
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        table = app.screen.query_one("#overview-categories", DataTable)
        names = column(table)
        assert names[-1] == "overige (< 5)" and "kansspelen" not in names
        assert all(not users.isdigit() or int(users) >= 5 for users in column(table, 4))
        assert all(int(users) >= 5 for users in column(domains_table(app), 6))
        line = static_text(app, "#overview-domains-other")
        assert (
            line.startswith("overige (minder dan 5 personen):")
            and counted(other.requests, "verzoek", "verzoeken") in line
        )
        chart = app.screen.query_one(HourChart)
        folded = [hour for hour, figures in enumerate(chart.hours) if figures.users is None]
        bottom = chart.lines()[4].plain  # the chart's lowest row
        assert folded and [i // 2 for i, ch in enumerate(bottom) if ch == "·"] == folded  # early birds
        assert any("minder dan 5 personen: niet getoond" in line.plain for line in chart.lines())
        table.focus()
        table.move_cursor(row=len(names) - 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)  # the folded groups have no details of their own


# -- 80x24: one part at a time, the columns that matter, and empty tables that say why --------------------------


def headers(table: DataTable[Text]) -> list[str]:
    return [str(column.key.value) for column in table.ordered_columns]


async def test_at_80x24_the_domains_show_the_columns_that_matter(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        table = domains_table(app)
        assert headers(table) == ["domain", "requests", "bytes", "visits", "seconds"]
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing to scroll sideways
        assert table.scrollable_content_region.height >= 10
        await pilot.resize_terminal(130, 36)
        await settle(pilot)
        assert headers(table) == ["domain", "requests", "bytes", "visits", "seconds", "median", "users", "category"]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert headers(table) == ["domain", "requests", "bytes", "visits", "seconds"]


async def test_tab_shows_one_part_at_a_time_and_the_domains_keep_their_rows(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        screen = overview(app)
        table = domains_table(app)
        rows_shown = table.scrollable_content_region.height
        assert "[Domeinen]" in static_text(app, "#overview-sections")
        await pilot.press("tab")
        await settle(pilot)
        categories = screen.query_one("#overview-categories", DataTable)
        assert screen.focused is categories
        assert (
            screen.query_one("#overview-categories-box").display
            and not screen.query_one("#overview-domains-box").display
        )
        assert categories.scrollable_content_region.height >= 10
        assert "[Categorieën]" in static_text(app, "#overview-sections")
        await pilot.press("tab")
        await settle(pilot)
        assert screen.query_one(HourChart).region.height >= 6
        assert not screen.query_one("#overview-categories-box").display
        assert screen.check_action("open", ()) is None  # nothing to open on the chart
        await pilot.press("tab")
        await settle(pilot)
        assert screen.focused is table and table.scrollable_content_region.height == rows_shown
        await pilot.press("shift+tab")
        await settle(pilot)
        assert "[Per uur]" in static_text(app, "#overview-sections")


async def test_wide_the_domains_keep_their_rows_when_the_categories_have_the_focus(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, OverviewScreen("month"))
        table = domains_table(app)
        before = table.region
        await pilot.press("tab")
        await settle(pilot)
        assert overview(app).focused is overview(app).query_one("#overview-categories")
        assert table.region == before and table.display


async def test_an_empty_period_says_why(demo_book: Casebook) -> None:
    app = make_app(demo_book)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, OverviewScreen("today"))  # the demo's logs end before today
        assert not domains_table(app).display
        first, last = rollups.data_days(demo_book.login("ilse", "demo-pass-ilse")) or (None, None)
        assert first is not None and last is not None
        reason = static_text(app, "#overview-domains-empty")
        assert reason == (
            f"Geen gegevens voor deze periode ({TODAY.isoformat()}). "
            f"De logs lopen van {first.isoformat()} tot {last.isoformat()}."
        )
        await pilot.press("tab")
        await settle(pilot)
        assert static_text(app, "#overview-categories-empty") == reason


async def test_nothing_imported_says_so(book: Casebook, purged_today: dict[str, Session]) -> None:
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        app.push_screen(OverviewScreen("month"))
        await settle(pilot)
        await settle(pilot)
        assert static_text(app, "#overview-domains-empty").startswith("Nog niets ingelezen")


async def test_internationalised_domains_show_in_their_own_letters(
    book: Casebook, purged_today: dict[str, Session], tmp_path: Path
) -> None:
    from casebook.logs import importer
    from tests.conftest import NOW

    log = tmp_path / "access.log"
    start = NOW.timestamp() - 3600
    log.write_text(
        "".join(
            # Five clients: a domain of fewer people than the policy's smallest group would show folded.
            f"{start + i:.3f}    120 10.20.0.{i + 1} TCP_MISS/200 1234 GET http://www.xn--bcher-kva.de/ - "
            "HIER_DIRECT/192.0.2.7 text/html\n"
            for i in range(5)
        )
    )
    importer.import_file(purged_today["ilse"], log)
    app = make_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "ilse", PASSPHRASE)
        app.push_screen(OverviewScreen("today"))
        await settle(pilot)
        await settle(pilot)
        assert column(domains_table(app)) == ["bücher.de"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen) and "bücher.de" in app.screen.subject
