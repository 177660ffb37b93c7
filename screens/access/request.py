"""One request: its status and deadlines, and for an access or information request its answer.

The employee sees the answer once the request is granted: the information GDPR art. 15 asks for and,
for an access request, a copy of their data with their visits paged through SQL. Whoever handles
requests sees the same answer before deciding (a preview), and takes the steps: start (`s`), extend
with a reason (`x`), decide (`d`), mark done (`f`); everyone who may read the answer writes it as
Markdown (`e`) or JSON (`j`) into the casebook folder's exports/ subfolder. Under a rectification
request, whoever keeps the directory corrects the person's entry (`r`) or adds their statement (`a`);
the page lists what was corrected (before and after) and stated.

The screen asks the core for this one request only; the core refuses anything not the person's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from casebook import access, formatting
from casebook import clock as clocks
from casebook.access import Answer, Kind, Request, Status, rectify
from casebook.access.answer import Visit
from casebook.access.rectify import Rectification
from casebook.errors import CasebookError
from casebook.formatting import number
from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session
from screens.access.export import export_answer
from screens.access.forms import AnnotateForm, DecideForm, ExtendForm, RectifyForm
from screens.access.labels import ANSWERED, OPEN, WITH_ANSWER, deadline_words, kind_name, status_name
from screens.base import CasebookScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.paged_table import Column, PagedTable
from screens.widgets.plain_text import plain
from screens.workers import read_in_worker

Done = TypeVar("Done")
VISITS_PAGE = 200
VISIT_COLUMNS = ("start", "site", "duration", "requests", "volume")
NUMBERS = {"duration", "requests", "volume"}
VISIT_WIDTHS = {"start": 16, "site": 28, "duration": 8, "requests": 9, "volume": 9}


@dataclass(frozen=True)
class Loaded:
    request: Request
    answer: Answer | None  # None: no answer to this kind, not yet readable, or not asked for again
    made: list[Rectification]  # a rectification request's corrections and statements


def _load(request_id: int, with_answer: bool) -> Callable[[Session], Loaded]:
    def query(session: Session) -> Loaded:
        request = access.get(session, request_id)
        answer = None
        readable = session.may(Action.REQUEST_MANAGE) or request.status in ANSWERED
        if with_answer and request.kind in WITH_ANSWER and readable:
            answer = access.build(session, request_id)  # resolving the person's data is audited
        made = rectify.made(session, request_id) if request.kind is Kind.RECTIFICATION else []
        return Loaded(request, answer, made)

    return query


class VisitsTable(PagedTable[Visit]):
    """The person's visits within the retention period, the newest first, a page at a time."""

    def __init__(self, request_id: int, **kwargs: object) -> None:
        super().__init__(
            lambda session, offset, limit, _order: access.visits(session, request_id, offset=offset, limit=limit),
            self._cells,
            page_size=VISITS_PAGE,
            **kwargs,
        )

    @staticmethod
    def _cells(visit: Visit) -> list[Text]:
        return [
            Text(clocks.local_text(visit.start)),
            plain(visit.domain),
            Text(formatting.duration((visit.end - visit.start).total_seconds()), justify="right"),
            Text(number(visit.requests), justify="right"),
            Text(formatting.size(visit.bytes), justify="right"),
        ]


class RequestScreen(CasebookScreen[None]):
    CSS_PATH = "access.tcss"
    ACTIONS = (
        "request.start",
        "request.extend",
        "request.decide",
        "request.done",
        "request.rectify",
        "request.annotate",
        "request.export_md",
        "request.export_json",
        "request.back",
    )

    def __init__(self, request_id: int) -> None:
        super().__init__()
        self.request_id = request_id
        self.request: Request | None = None
        self.answer: Answer | None = None
        self.made: list[Rectification] = []
        self.busy = False

    @property
    def manager(self) -> bool:
        return self.may(Action.REQUEST_MANAGE)

    def today(self) -> date:
        session = self.casebook_app.session
        return session.today() if session is not None else date.min

    def compose(self) -> ComposeResult:
        yield Static(Text(t("access.request.loading", id=self.request_id)), id="request-title")
        yield Static(id="request-facts")
        with VerticalScroll(id="request-answer"):
            yield Static(id="request-answer-text")
        visits_title = Static(id="request-visits-title")
        visits_title.display = False
        yield visits_title
        visits = VisitsTable(self.request_id, id="request-visits")
        visits.display = False
        yield visits
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(VisitsTable)
        # Fixed widths: the table fills while hidden, and a width measured from its rows then depends on
        # when it is shown (a column cut to its label's width now and then).
        table.set_columns(
            [
                Column(
                    key,
                    Text(t(f"access.request.col.{key}"), justify="right" if key in NUMBERS else "left"),
                    width=VISIT_WIDTHS[key],
                )
                for key in VISIT_COLUMNS
            ]
        )
        self.query_one("#request-answer").focus()
        self._reload(with_answer=True)

    def _reload(self, *, with_answer: bool) -> None:
        read_in_worker(self, self.casebook_app, _load(self.request_id, with_answer), self._show, "request-load")

    def _show(self, loaded: Loaded) -> None:
        if not self.is_attached:
            return
        self.request = loaded.request
        self.made = loaded.made
        first_answer = self.answer is None and loaded.answer is not None
        if loaded.answer is not None:
            self.answer = loaded.answer
        self._title()
        self._facts()
        self._answer()
        if first_answer and self.request.kind is Kind.ACCESS:
            self._show_visits()
        self.refresh_bindings()

    # -- what the screen shows -------------------------------------------------------

    def _title(self) -> None:
        request = self.request
        assert request is not None
        if self.manager:
            title = t("access.request.title.manager", id=request.id, kind=kind_name(request.kind))
            line = Text(title)
            line.append(" · ")
            line.append_text(plain(request.employee_name))
        else:
            line = Text(t("access.request.title.employee", id=request.id, kind=kind_name(request.kind)))
        self.query_one("#request-title", Static).update(line)

    def _facts(self) -> None:
        request = self.request
        assert request is not None
        today = self.today()
        text = Text(t("access.request.status") + " ")
        text.append(status_name(request.status), "bold")
        text.append(
            " · " + t("access.request.dates", received=request.received_on.isoformat(), due=request.due_on.isoformat())
        )
        words = deadline_words(request, today)
        if words:
            text.append(" · ")
            text.append(words, "bold" if request.overdue(today) else "")
        if request.extension_reason:
            text.append("\n" + t("access.request.extended", first=request.first_due_on.isoformat()) + " ")
            text.append_text(plain(request.extension_reason))
        if request.decided_on is not None:
            key = "access.request.decided.manager" if self.manager else "access.request.decided.employee"
            text.append(
                "\n" + t(key, date=request.decided_on.isoformat(), by=request.decided_by or "-"),
            )
            if request.decision_reason:
                text.append(" " + t("access.request.reason") + " ")
                text.append_text(plain(request.decision_reason))
        if self.manager:
            text.append("\n")
            if request.identity_check:
                text.append(t("access.request.filed_for", by=request.filed_by) + " ")
                text.append_text(plain(f"{request.employee_name} <{request.employee_email}>"))
                text.append("; " + t("access.request.identity") + " ")
                text.append_text(plain(request.identity_check))
            else:
                text.append(t("access.request.filed_own") + " ")
                text.append_text(plain(f"{request.employee_name} <{request.employee_email}>"))
        if request.text:
            text.append("\n" + t("access.request.text") + " ")
            text.append_text(plain(request.text))
        self.query_one("#request-facts", Static).update(text)

    def _answer(self) -> None:
        request = self.request
        assert request is not None
        body = self.query_one("#request-answer-text", Static)
        answer = self.answer
        if request.kind is Kind.RECTIFICATION:
            body.update(self._rectifications())
            return
        if request.kind not in WITH_ANSWER:
            body.update(Text(t(f"access.request.no_answer.{request.kind.value}")))
            return
        if answer is None:
            if self.manager or request.status in ANSWERED:
                body.update(Text(t("access.request.loading_answer")))
            elif request.status is Status.REFUSED:
                body.update(Text(t("access.request.refused")))
            else:
                body.update(Text(t("access.request.not_yet")))
            return
        text = Text()
        if request.status not in ANSWERED:
            text.append(t("access.request.preview"), "bold reverse")
            text.append("\n\n")
        if request.kind is Kind.ACCESS:  # the copy first: what the person asked to see
            self._copy(text, answer)
            text.append("\n\n")
        for heading, paragraph in answer.information:
            text.append(heading + "\n", "bold")
            text.append_text(plain(paragraph))
            text.append("\n\n")
        text.rstrip()
        body.update(text)

    def _rectifications(self) -> Text:
        """What was corrected (before -> after, the handler's note) and stated under this request, oldest first."""
        text = Text(t("access.request.no_answer.rectification"))
        if not self.made:
            text.append("\n\n" + t("access.request.made.none"))
        for made in self.made:
            when = clocks.local_text(made.made_at)
            text.append("\n\n")
            if made.kind == "annotation":
                text.append(t("access.request.made.annotation", id=made.id, at=when, by=made.made_by), "bold")
                text.append("\n")
                text.append_text(plain(made.text))
            else:
                text.append(t("access.request.made.correction", id=made.id, at=when, by=made.made_by), "bold")
                for name in made.fields:
                    text.append("\n- " + t(f"rectify.field.{name}") + ": ")
                    text.append_text(plain(rectify.shown(made.before[name]) or t("rectify.empty")))
                    text.append(" → ")
                    text.append_text(plain(rectify.shown(made.after[name]) or t("rectify.empty")))
                text.append("\n" + t("access.request.made.note") + " ")
                text.append_text(plain(made.text))
            if not made.sealed:  # said in words: the record no longer matches the digest the trail sealed
                text.append("\n⚠ " + t("access.request.made.unsealed"), "bold")
        return text

    def _copy(self, text: Text, answer: Answer) -> None:
        """The copy of the person's data, summed up; the visits themselves page in the table below."""
        text.append(t("access.request.copy") + "\n", "bold")
        person = answer.person
        department = f", {person['department']}" if person["department"] else ""
        text.append_text(plain(f"{person['name']} <{person['email']}>{department}"))
        for identifier in answer.identifiers:
            text.append("\n- " + t(f"access.request.identifier.{identifier['kind']}") + ": ")
            span = ""
            if identifier["from"] or identifier["to"]:
                span = f" ({identifier['from'] or '…'} – {identifier['to'] or '…'})"
            text.append_text(plain(f"{identifier['value']}{span}"))
        counts = {key: number(value) for key, value in answer.counts.items()}
        text.append("\n" + t("access.counts", **counts))
        if answer.since != date.min:
            text.append(" " + t("access.request.kept_since", date=answer.since.isoformat()))
        for case in answer.cases:
            state = "closed" if case["state"] == "closed" else "open"
            text.append(
                "\n- "
                + t(f"access.request.case.{state}", case=case["case"], purpose=case["purpose"], events=case["events"])
            )
        for receipt in answer.receipts:
            text.append(
                "\n- "
                + t(
                    "access.request.receipt",
                    version=receipt["version"],
                    date=receipt["received_on"],
                    method=t(f"receipts.method.{receipt['method']}"),
                )
            )
        for row in answer.requests:
            text.append(
                "\n- "
                + t(
                    "access.request.own_request",
                    id=row["id"],
                    kind=kind_name(Kind(row["kind"])),
                    received=row["received"],
                    status=status_name(Status(row["status"])),
                )
            )
        for annotation in answer.annotations:
            text.append(
                "\n- " + t("access.request.statement", on=annotation["on"], request=annotation["request"]) + " "
            )
            text.append_text(plain(annotation["text"]))
        for correction in answer.corrections:
            text.append(
                "\n- " + t("access.request.corrected", on=correction["on"], request=correction["request"]) + " "
            )
            text.append_text(
                plain(
                    "; ".join(
                        f"{t(f'rectify.field.{name}')}: {rectify.shown(correction['before'][name]) or '-'}"
                        f" → {rectify.shown(after) or '-'}"
                        for name, after in correction["after"].items()
                    )
                )
            )
        text.append("\n" + t("access.request.audit_rows", count=len(answer.audit_rows)))

    def _show_visits(self) -> None:
        answer = self.answer
        assert answer is not None
        title = self.query_one("#request-visits-title", Static)
        visits = answer.counts.get("visits", 0)
        title.update(Text(t("access.request.visits", count=visits)))
        title.display = True
        table = self.query_one(VisitsTable)
        table.display = visits > 0
        if visits:
            table.reload(keep=False)

    # -- the steps ------------------------------------------------------------------------

    def _step(self, run: Callable[[Session], Request], message: Callable[[Request], str]) -> None:
        """Take a step in a worker; on its way back, say what it did and read the request again."""
        if self.busy:
            return
        self.busy = True
        self._run_step(run, message)

    @work(thread=True, exclusive=True, group="request-step")
    def _run_step(self, run: Callable[[Session], Request], message: Callable[[Request], str]) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            done = run(session)
        except CasebookError as exc:
            app.call_from_thread(self._stepped, exc.message, "error")
            return
        app.call_from_thread(self._stepped, message(done), "information")

    def _stepped(self, message: str, severity: str) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]
        self._reload(with_answer=False)

    def action_start(self) -> None:
        request_id = self.request_id
        self._step(
            lambda session: access.start(session, request_id),
            lambda done: t("access.decided", id=done.id, status=status_name(done.status)),
        )

    def action_mark_done(self) -> None:
        request_id = self.request_id
        self._step(
            lambda session: access.mark_done(session, request_id),
            lambda done: t("access.decided", id=done.id, status=status_name(done.status)),
        )

    def action_extend(self) -> None:
        if self.request is None or self.busy:
            return
        self.app.push_screen(ExtendForm(self.request), self._changed("access.extended"))

    def action_decide(self) -> None:
        if self.request is None or self.busy:
            return
        self.app.push_screen(DecideForm(self.request), self._changed("access.decided"))

    def _changed(self, key: str) -> Callable[[Request | None], None]:
        return self._saved(
            lambda done: t(key, id=done.id, due=done.due_on.isoformat(), status=status_name(done.status))
        )

    def _saved(self, message: Callable[[Done], str]) -> Callable[[Done | None], None]:
        """What a dialog's result does: say what was done, and read the request again (nothing if cancelled)."""

        def saved(done: Done | None) -> None:
            if done is None:
                return
            self.notify(message(done), markup=False)
            self._reload(with_answer=False)

        return saved

    def action_rectify(self) -> None:
        """The form opens on the entry as it is now: read it first (only whoever keeps the directory may)."""
        request = self.request
        if request is None or self.busy:
            return
        read_in_worker(
            self,
            self.casebook_app,
            lambda session: rectify.entry(session, request.id),
            lambda entry: self.app.push_screen(RectifyForm(request, entry), self._made("access.rectified")),
            "request-entry",
        )

    def action_annotate(self) -> None:
        if self.request is None or self.busy:
            return
        self.app.push_screen(AnnotateForm(self.request), self._made("access.annotated"))

    def _made(self, key: str) -> Callable[[Rectification | None], None]:
        return self._saved(lambda done: t(key, id=done.request_id, record=done.id))

    def action_export(self, fmt: str) -> None:
        if self.answer is None or self.busy:
            return
        self.busy = True
        self._export(fmt)

    @work(thread=True, exclusive=True, group="request-export")
    def _export(self, fmt: str) -> None:
        app = self.casebook_app
        session = app.session
        if session is None:
            return
        try:
            path = export_answer(session, self.request_id, fmt)
        except CasebookError as exc:
            app.call_from_thread(self._exported, exc.message, "error")
            return
        app.call_from_thread(self._exported, t("access.exported", path=str(path)), "information")

    def _exported(self, message: str, severity: str) -> None:
        self.busy = False
        if self.is_attached:
            self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.permitted(action):
            return False
        request = self.request
        if action == "back":
            return True
        if request is None:
            return False
        if action == "start":
            return request.status is Status.RECEIVED
        if action == "extend":
            return request.status in OPEN and not request.extension_reason
        if action == "decide":
            # A rectification is judged by whoever may correct the directory (the core says so too).
            return request.status in OPEN and (request.kind is not Kind.RECTIFICATION or self.may(Action.RECTIFY))
        if action in ("rectify", "annotate"):
            return request.kind is Kind.RECTIFICATION and request.status in OPEN
        if action == "mark_done":
            return request.status in (Status.GRANTED, Status.PARTLY)
        if action == "export":
            return self.answer is not None
        return True
