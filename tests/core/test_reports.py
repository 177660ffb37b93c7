"""The reports of a period: the board's figures against the demo's known story, the evaluation's rule on
small groups and its absence of anyone, the receipts status, who may make which, every format."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebook import small_groups
from casebook.book import Casebook
from casebook.documents import export, reports
from casebook.documents.model import Chart, Document, FigureTable
from casebook.errors import Refused
from casebook.logs.rollups import Period
from casebook.policy import versions
from casebook.reporting import periods
from casebook.session import Session
from tests.core.test_documents import md_text, pdf_text

# The demo's story (casebook/demo_data/cases.py and requests.py) happens between 19 October and today,
# 28 November 2026: its four cases, five requests and one purge all fall in this period.
AUTUMN = Period(date(2026, 10, 1), date(2026, 11, 30))
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
FORMATS = ("md", "csv", "json", "pdf")


def signed_in(book: Casebook, name: str) -> Session:
    return book.login(name, f"demo-pass-{name}")


def figures_of(document: Document) -> dict[str, object]:
    return json.loads(reports.render(document, "json"))["figures"]


def text_of(document: Document, fmt: str) -> str:
    data = reports.render(document, fmt)
    return pdf_text(data) if fmt == "pdf" else md_text(data)


# -- the board report: the demo's known content ------------------------------------------------------------


@pytest.fixture
def board(demo_book: Casebook) -> dict[str, object]:
    return figures_of(reports.build(signed_in(demo_book, "bert"), "board", AUTUMN))


def test_board_counts_the_controls_by_purpose_and_circumstance(board: dict[str, object]) -> None:
    controls = board["controls"]
    assert controls["1"] == {"permanent": 0, "periodic": 0, "event": 2, "professional": 0, "total": 2}
    assert controls["3"]["event"] == 1 and controls["4"]["periodic"] == 1 and controls["2"]["total"] == 0
    assert controls["total"]["total"] == 4
    # Four decisions, five control runs (the purpose-4 case ran again after its warning), no permanent control.
    assert board["control_activity"] == {"decided": 4, "control_runs": 5, "global_runs": 0}


def test_board_lists_the_irregularities_and_what_the_cases_took_up(board: dict[str, object]) -> None:
    found = board["irregularities"]
    assert {rule: (row["purpose"], row["found"]) for rule, row in found.items()} == {
        "offensive_sites": (1, 1),
        "heavy_downloads": (3, 1),
        "malware": (3, 1),
        "denied_requests": (3, 1),
        "blocked_sites": (4, 3),
        "gambling_games": (4, 3),  # gambling is forbidden at any hour: its own rule
    }
    assert all(row["in_case"] == row["found"] for row in found.values())


def test_board_follows_the_individualisations_and_their_steps(board: dict[str, object]) -> None:
    assert board["individualisations"] == {
        "approved": 2,
        "executed": 2,
        "executed_nobody": 0,
        "unresolved_events": 0,
    }
    assert board["follow_up"] == {
        "identified": 2,
        "not_informed": 0,
        "step_notify": 2,
        "step_invite": 2,
        "step_hear": 2,
        "step_suspend": 0,
    }
    assert board["sanctions"] == {"dismissal": 1, "total": 1}


def test_board_counts_cases_and_the_deadlines_met_and_missed(board: dict[str, object]) -> None:
    assert board["cases"] == {"opened": 4, "closed": 1, "open_at_end": 3}
    # The dismissal was decided within its three working days; its written reasons are due on 2 December.
    assert board["case_deadlines"] == {"met": 1, "late": 0, "overdue": 0, "running": 1, "total": 2}
    # Jan's information request went past its month unanswered; Sofie's runs to February (extended);
    # Nadia's, Eva's and Karim's were decided in time.
    assert board["request_deadlines"] == {"met": 3, "late": 0, "overdue": 1, "running": 1, "total": 5}
    assert board["requests_received"] == {
        "information": 1,
        "access": 2,
        "rectification": 1,
        "erasure": 1,
        "total": 5,
    }
    assert board["requests_decided"] == {"granted": 2, "refused": 1, "total": 3}
    assert board["requests_extended"] == {"extended": 1}
    assert board["late_steps"] == {"late_steps": 0}


def test_board_lists_the_cases_by_number_and_where_they_stand(demo_book: Casebook) -> None:
    document = reports.build(signed_in(demo_book, "bert"), "board", AUTUMN)
    cases = figures_of(document)["case_list"]
    assert [c["case"] for c in cases] == [1, 2, 3, 4]
    assert [c["people"] for c in cases] == [1, 0, 1, 0]
    assert cases[3]["closed"] == "2026-11-22" and "niets gevonden" in cases[3]["notes"]
    assert "geschil" in cases[2]["notes"]  # the dismissal's evidence is on legal hold
    chart = next(b for s in document.body.sections for b in s.blocks if isinstance(b, Chart))
    assert {bar.label: bar.value for bar in chart.groups[0].bars} == {
        "verwittigd, wacht op herhaling": 1,
        "geïndividualiseerd": 2,
        "afgesloten": 1,
    }


def test_cases_per_step_are_where_the_cases_stood_at_the_periods_end(demo_book: Casebook) -> None:
    # Until 14 November: case 2 was decided (warned on the 15th), case 4 not yet opened (closed on the 22nd).
    early = Period(date(2026, 11, 1), date(2026, 11, 14))
    document = reports.build(signed_in(demo_book, "bert"), "board", early)
    assert [(c["case"], c["state"]) for c in figures_of(document)["case_list"]] == [
        (1, "geïndividualiseerd"),
        (2, "beslist"),
        (3, "geïndividualiseerd"),
    ]
    chart = next(b for s in document.body.sections for b in s.blocks if isinstance(b, Chart))
    assert {bar.label: bar.value for bar in chart.groups[0].bars} == {"beslist": 1, "geïndividualiseerd": 2}


def test_the_states_of_steps_taken_before_they_were_recorded_are_filled_in_as_taken(demo_book: Casebook) -> None:
    # Migration 0017 fills in the steps of an older casebook from what each step does: as the code records them.
    sql = (Path(__file__).resolve().parents[2] / "schema" / "sql" / "0017_case_step_states.sql").read_text()
    conn = demo_book.store.conn
    recorded = conn.execute("SELECT id, case_state FROM case_steps ORDER BY id").fetchall()
    assert {state for _, state in recorded} >= {"decided", "controlled", "warned", "individualised", "closed"}
    statements = [part for part in re.sub(r"--[^\n]*", "", sql).split(";") if part.strip()]
    assert statements[0].strip().startswith("ALTER TABLE")  # the column itself, there already
    with demo_book.store.transaction():
        conn.execute("UPDATE case_steps SET case_state = NULL")
        for statement in statements[1:]:
            conn.execute(statement)
    assert conn.execute("SELECT id, case_state FROM case_steps ORDER BY id").fetchall() == recorded


def test_board_counts_the_purge_as_the_trail_recorded_it(demo_book: Casebook) -> None:
    row = demo_book.store.query_one("SELECT counts FROM purges")
    assert row is not None
    counts = {k: v for k, v in json.loads(str(row["counts"])).items() if v}
    figures = figures_of(reports.build(signed_in(demo_book, "bert"), "board", AUTUMN))
    assert counts["events"] > 0
    assert figures["purges"] == {"purges": 1, "deleted_rows": sum(counts.values())}
    assert figures["deleted"] == counts


def test_a_step_counts_in_the_period_it_was_taken_in(demo_book: Casebook) -> None:
    figures = figures_of(reports.build(signed_in(demo_book, "bert"), "board", NOVEMBER))
    # Case 1 was opened, approved and notified in October; heard on 4 November.
    assert figures["control_activity"]["decided"] == 3
    assert figures["individualisations"]["approved"] == 1
    assert figures["follow_up"]["step_notify"] == 1 and figures["follow_up"]["step_hear"] == 2
    before = figures_of(
        reports.build(signed_in(demo_book, "bert"), "board", Period(date(2026, 9, 1), date(2026, 9, 30)))
    )
    assert before["control_activity"] == {"decided": 0, "control_runs": 0, "global_runs": 0}
    assert before["purges"] == {"purges": 0, "deleted_rows": 0}
    assert before["request_deadlines"]["total"] == 0


# -- the evaluation report: nobody in it, no small group -------------------------------------------------


def people_figures(document: Document) -> list[object]:
    """Every figure about people in the document: the columns and charts that count them."""
    found: list[object] = []
    for section in document.body.sections:
        for block in section.blocks:
            if isinstance(block, FigureTable):
                for index, column in enumerate(block.columns):
                    if column.kind == "people":
                        found += [row[index] for row in block.rows]
            elif isinstance(block, Chart) and block.measure == "people":
                found += [bar.value for group in block.groups for bar in group.bars]
    return found


def test_the_evaluation_holds_no_figure_about_fewer_people_than_the_group(demo_book: Casebook) -> None:
    session = signed_in(demo_book, "bert")
    document = reports.build(session, "evaluation", AUTUMN)
    minimum = versions.read(session).settings.min_group_size
    assert minimum == 5 and document.min_group_size == 5
    found = people_figures(document)
    assert len(found) > 20
    assert all(v is None or isinstance(v, str) or v == 0 or v >= minimum for v in found), found
    # The demo's few people are there, folded: "< 5", never their number.
    assert None in found
    figures = figures_of(document)
    assert figures["follow_up"]["identified"] is None
    assert figures["sanctions"] == {"other": None, "total": None}
    assert "case_list" not in figures and "deleted" not in figures
    for fmt in ("md", "pdf"):
        assert "< 5" in text_of(document, fmt)
    assert "< 5" in reports.render(document, "csv").decode("utf-8")


def test_the_same_figures_show_when_the_policy_folds_nothing(demo_book: Casebook) -> None:
    admin = signed_in(demo_book, "an")
    versions.update_settings(admin, {"min_group_size": "1"})
    figures = figures_of(reports.build(signed_in(demo_book, "bert"), "evaluation", AUTUMN))
    assert figures["follow_up"]["identified"] == 2
    assert figures["sanctions"] == {"dismissal": 1, "total": 1}


def test_the_evaluation_shows_the_use_per_category_per_month(demo_book: Casebook) -> None:
    document = reports.build(signed_in(demo_book, "bert"), "evaluation", AUTUMN)
    figures = figures_of(document)
    totals = figures["usage_totals"]
    assert list(totals) == ["2026-10", "2026-11"]
    assert totals["2026-10"]["requests"] > 0 and totals["2026-11"]["people"] >= 5
    rows = figures["usage"]
    assert {r["month"] for r in rows} == {"oktober 2026", "november 2026"}
    assert "sociale netwerken" in {r["category"] for r in rows}
    assert all(r["people"] is None or r["people"] >= 5 for r in rows)
    # A month's categories add up to the month.
    october = [r for r in rows if r["month"] == "oktober 2026"]
    assert sum(r["requests"] for r in october) == totals["2026-10"]["requests"]
    assert (
        figures_of(document)["usage_totals"] and "usage_time" in json.loads(reports.render(document, "json"))["charts"]
    )


def test_a_month_whose_presences_were_purged_shows_totals_only(demo_book: Casebook) -> None:
    # The demo's summer week was purged this morning: its global figures stayed, who was there did not.
    document = reports.build(signed_in(demo_book, "bert"), "evaluation", Period(date(2026, 6, 1), date(2026, 7, 31)))
    figures = figures_of(document)
    purged = [month for month, row in figures["usage_totals"].items() if row["requests"]]
    assert purged and all(figures["usage_totals"][m]["people"] == "gewist" for m in purged)
    assert "usage" not in figures


def identifiers_of(book: Casebook) -> tuple[list[str], list[str]]:
    store = book.store
    people = store.query("SELECT name, email FROM employees")
    values = [str(r["value"]) for r in store.query("SELECT value FROM identifiers")]
    users = store.query("SELECT name, full_name FROM users")
    tokens = [str(r["token"]) for r in store.query("SELECT token FROM pseudonyms")]
    forbidden = [*(str(p["name"]) for p in people), *(str(p["email"]) for p in people), *values]
    forbidden += [str(u["full_name"]) for u in users if u["full_name"]]
    assert len(people) == 12 and values and len(tokens) > 5  # the demo holds people to leak
    return forbidden, tokens


@pytest.mark.parametrize("fmt", FORMATS)
def test_nobody_appears_in_the_evaluation_in_any_format(demo_book: Casebook, fmt: str) -> None:
    forbidden, tokens = identifiers_of(demo_book)
    maker = signed_in(demo_book, "bert")
    # The year: every month of the demo's logs, the purged week included.
    document = reports.build(maker, "evaluation", Period(date(2026, 1, 1), date(2026, 11, 30)))
    text = text_of(document, fmt) if fmt != "json" else reports.render(document, fmt).decode("utf-8")
    # Who made it is named, once, in the header: the board member's own name is theirs to give.
    assert text.count("Bert Maes") == 1
    lowered = text.replace("Bert Maes", "").lower()
    for value in forbidden:
        if value != "Bert Maes":
            assert value.lower() not in lowered, (fmt, value)
    for token in tokens:
        assert token.lower()[:16] not in lowered, fmt
    assert "@" not in text
    assert not re.search(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", text), fmt


def test_the_board_report_names_nobody_either(demo_book: Casebook) -> None:
    forbidden, _ = identifiers_of(demo_book)
    document = reports.build(signed_in(demo_book, "sofie"), "board", AUTUMN)
    for fmt in FORMATS:
        text = text_of(document, fmt).replace("Sofie Janssens", "").lower()
        for value in forbidden:
            if value != "Sofie Janssens":
                assert value.lower() not in text, (fmt, value)


# -- the receipts status ------------------------------------------------------------------------------


def test_the_receipts_status_names_who_has_not_received_the_text(demo_book: Casebook) -> None:
    admin = signed_in(demo_book, "an")
    document = reports.build(admin, "receipts", Period(date(2026, 2, 1), date(2026, 2, 28)))
    figures = figures_of(document)
    assert figures["receipts"] == {"employees": 12, "covered": 9, "missing": 3}
    assert [row["name"] for row in figures["missing"]] == ["Nadia El Amrani", "Pieter Goossens", "Sarah Mertens"]
    # The demo's receipts were handed over in February, when the policy was set up.
    assert figures["received_by_method"] == {"email": 1, "hand": 3, "intranet": 2, "paper": 3}
    later = figures_of(reports.build(admin, "receipts", AUTUMN))
    assert "received_by_method" not in later and later["receipts"]["missing"] == 3


# -- who may make which ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "board", "evaluation", "receipts"),
    [
        ("bert", True, True, False),  # the board reads the reports
        ("sofie", True, True, False),  # the supervisors and
        ("ilse", True, True, False),  # the IT officer report to it
        ("an", False, True, True),  # the administrator: the evaluation it records, the receipts it keeps
        ("eva", False, False, False),
    ],
)
def test_who_may_make_which_report(
    demo_book: Casebook, name: str, board: bool, evaluation: bool, receipts: bool
) -> None:
    session = signed_in(demo_book, name)
    for kind, allowed in (("board", board), ("evaluation", evaluation), ("receipts", receipts)):
        if allowed:
            assert reports.build(session, kind, AUTUMN).kind == kind
        else:
            with pytest.raises(Refused) as refusal:
                reports.build(session, kind, AUTUMN)
            assert refusal.value.rule == "role.required"
    if name != "eva":
        expected = [k for k, ok in (("board", board), ("evaluation", evaluation), ("receipts", receipts)) if ok]
        assert [k.name for k in reports.periodic(session)] == expected


def test_a_report_of_a_period_needs_one(demo_book: Casebook) -> None:
    session = signed_in(demo_book, "bert")
    for period in (None, Period(date(2026, 11, 30), date(2026, 11, 1))):
        with pytest.raises(Refused) as refusal:
            reports.build(session, "board", period)
        assert refusal.value.rule == "documents.period"


# -- every format reads on its own -------------------------------------------------------------------------


def test_every_format_says_what_for_whom_when_and_by_whom(demo_book: Casebook) -> None:
    document = reports.build(signed_in(demo_book, "bert"), "board", AUTUMN)
    for fmt in ("md", "pdf", "csv"):
        text = text_of(document, fmt)
        for part in (
            "Verslag aan de raad van bestuur over de controles",
            "vzw De Werf",
            "1 oktober 2026 – 30 november 2026",
            "28 november 2026 om 10:00",
            "Bert Maes (bert), raad van bestuur",
        ):
            assert part in text, (fmt, part)
    data = json.loads(reports.render(document, "json"))
    assert data["organisation"] == "vzw De Werf" and data["period"] == {"from": "2026-10-01", "to": "2026-11-30"}
    assert data["made_at"] == "2026-11-28T09:00:00+00:00" and data["made_by"] == "bert"
    assert data["maker"] == "Bert Maes (bert), raad van bestuur" and data["report"] == "board"


def test_csv_holds_plain_numbers_a_spreadsheet_can_sum(demo_book: Casebook) -> None:
    document = reports.build(signed_in(demo_book, "bert"), "board", AUTUMN)
    rows = list(csv.reader(io.StringIO(reports.render(document, "csv").decode("utf-8"))))
    assert rows[0] == ["Verslag aan de raad van bestuur over de controles"]
    assert ["Organisatie", "vzw De Werf"] in rows
    deleted = next(r for r in rows if r and r[0] == "webverzoeken")
    assert re.fullmatch(r"\d+", deleted[1])  # 3674, not "3.674"


def test_a_report_in_english_is_english_throughout(demo_book: Casebook) -> None:
    from casebook import i18n

    i18n.set_language("en")
    document = reports.build(signed_in(demo_book, "bert"), "evaluation", AUTUMN)
    text = text_of(document, "md")
    assert "Evaluation of the control system" in text and "Made by: Bert Maes (bert), board" in text.replace("**", "")
    assert "28 November 2026 at 10:00" in text and "Period:" in text.replace("**", "")
    assert "pagina" not in text_of(document, "pdf") and "page 1 of" in text_of(document, "pdf")


def test_the_app_writes_a_report_into_exports_never_over_one(demo_book: Casebook, demo_home: Path) -> None:
    session = signed_in(demo_book, "bert")
    document = reports.build(session, "evaluation", AUTUMN)
    first = export.export_document(session, document, "pdf")
    second = export.export_document(session, document, "pdf")
    assert first.parent == demo_home / "exports"
    assert first.name == "evaluatieverslag-2026-10-01-2026-11-30.pdf"
    assert second.name == "evaluatieverslag-2026-10-01-2026-11-30-2.pdf"
    assert first.read_bytes().startswith(b"%PDF-") and (first.stat().st_mode & 0o777) == 0o600


# -- the rule on small groups, and the calendar periods -----------------------------------------------


def test_fold_takes_small_parts_together_and_more_while_that_is_small() -> None:
    assert small_groups.fold({"a": 7, "b": 1, "c": 0}, 5) == small_groups.Folded({"c": 0}, 8, ("a", "b"), 8)
    assert small_groups.fold({"a": 7, "b": 3, "c": 4}, 5) == small_groups.Folded({"a": 7}, 7, ("b", "c"), 14)
    assert small_groups.fold({"a": 2}, 5) == small_groups.Folded({}, None, ("a",), None)
    assert small_groups.fold({"a": 6, "b": 9}, 5) == small_groups.Folded({"a": 6, "b": 9}, 0, (), 15)


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40)), st.integers(1, 10))
def test_fold_never_shows_or_gives_away_a_small_group(parts: dict[str, int], minimum: int) -> None:
    folded = small_groups.fold(parts, minimum)
    shown = [*folded.parts.values(), folded.other, folded.total]
    assert all(v is None or v == 0 or v >= minimum for v in shown)
    # What the total minus the parts shown gives (the folded row) is no small group either.
    if folded.total is not None:
        hidden = folded.total - sum(folded.parts.values())
        assert hidden == 0 or hidden >= minimum
        assert folded.other == hidden
    assert sum(parts.values()) == sum(folded.parts.values()) + sum(parts[k] for k in folded.folded)


@pytest.mark.parametrize(
    ("kind", "offset", "first", "last"),
    [
        ("month", 0, date(2026, 11, 1), date(2026, 11, 28)),
        ("month", -1, date(2026, 10, 1), date(2026, 10, 31)),
        ("quarter", 0, date(2026, 10, 1), date(2026, 11, 28)),
        ("quarter", -1, date(2026, 7, 1), date(2026, 9, 30)),
        ("quarter", -4, date(2025, 10, 1), date(2025, 12, 31)),
        ("year", 0, date(2026, 1, 1), date(2026, 11, 28)),
        ("year", -1, date(2025, 1, 1), date(2025, 12, 31)),
        ("month", 1, date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_calendar_periods(kind: str, offset: int, first: date, last: date) -> None:
    assert periods.calendar(kind, date(2026, 11, 28), offset) == Period(first, last)
