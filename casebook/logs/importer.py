"""Importing one log file: streamed, pseudonymised at the door, categorised, sessionised, rolled up.

This module orchestrates; the stages live elsewhere. Each record goes to its
format's parser (`formats`); each request found is pseudonymised and its host
looked up here (its site: the domain and the host's own category), then
written as an event and handed to the visits (`visits`) and the rollups
(`rollups.Tally`); closed visits go to the rollups before they are written.
A request format's lines (Squid's, the largest logs) go through the same steps in one function
(`_Run.requests`): the calls between the stages cost as much as their work.
A visits format's row (a visit a log platform aggregated) writes no event: it
joins the visits, which bring their requests to the rollups when they close
(`_Run.visit`). Every ten minutes of the log's own time, finished visits and hours are written
out, so memory follows the hours being read, not the file.

A log is known by its content, not its name (`reader`): an import that finds
an earlier one's content at the start of the file (the same log grown, or
renamed by logrotate, copied, compressed) reads only what follows, and takes
over what that import left open: its visits still open, its Postfix messages
still awaiting their deliveries (their rows, written as they stood, are taken
back and go on). A log imported in steps thus gives what one import gives. Content read before is skipped; a last record without its end
is left for later.

One transaction per file, so a crash, a kill or a cancel leaves nothing of
it; whether the file was imported already is decided inside it, so two
imports of one file at once store it once. A file of which no line could be
read does not count as imported (a wrong `--format` does not block it). Bad
lines are counted, and the first ones kept (sanitised) for the person who
imported them; they never stop the import.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook import categories
from casebook import clock as clocks
from casebook.errors import CasebookError
from casebook.identity import in_domains
from casebook.logs import collector, hosts, mailflow, reader, rollups, sources, visitlog
from casebook.logs.formats import FORMATS, REGISTRY, Context, Format, LineParser, detect
from casebook.logs.hits import FUTURE_TOLERANCE, Hit, Reject, Sealed
from casebook.logs.hosts import authority_match as _authority_match
from casebook.logs.hosts import authority_of
from casebook.logs.redact import sanitise
from casebook.logs.removal import reopenable
from casebook.logs.visits import VisitRow, Visits
from casebook.permissions import Action
from casebook.policy import readiness
from casebook.policy import versions as policy_versions
from casebook.pseudonym import Pseudonymiser
from casebook.settings import get as setting

if TYPE_CHECKING:
    from casebook.session import Session
    from casebook.store import Store

MAX_LINE = reader.LONGEST  # longer: rejected as too long (the reader hands it on cut)
KEPT_REJECTS = 100
BATCH = 10_000
# Finished visits and hours are written out as the log's own time passes each ten minutes, not every so many
# lines: where an import starts or stops then changes nothing, and steps give what one import gives.
SWEEP_SECONDS = 600
# How long an import waits for another one to finish with the casebook (its write lock) before giving up.
LOCK_PATIENCE = 3600.0
# Visits are read back a few hundred at a time (SQLite's limit on parameters).
CHUNK_IDS = 500
# How many of a file's first lines detection looks through: a mail.log may open with other programs' lines.
HEAD_LINES = 2000
MAIL_COLUMNS = "id, import_id, ts, sender_id, recipient_id, size, status, direction, kind"


class Cancelled(Exception):
    """The import was cancelled; its transaction is rolled back and nothing is kept."""


@dataclass
class ImportResult:
    file: str
    format: str | None
    lines: int = 0
    imported: int = 0
    rejected: int = 0
    # Valid lines about no event: a CSV's header, Postfix's queue bookkeeping and connections.
    not_events: int = 0
    skipped: str | None = None
    seconds: float = 0.0
    import_id: int | None = None
    first_ts: float | None = None
    last_ts: float | None = None
    reasons: Counter[str] = field(default_factory=Counter)
    # Lines read as valid (an event, or a line about none such as a CSV's header).
    accepted: int = 0
    # A last record still without its end (a log being written): left for the next import.
    pending: bool = False
    # The import this one continues (the same log, read before up to where this one starts).
    continues: int | None = None
    # Lines of other programs in a mail log (dovecot, amavis ...): skipped, neither events nor rejected.
    other_programs: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "format": self.format,
            "lines": self.lines,
            "imported": self.imported,
            "rejected": self.rejected,
            "not_events": self.not_events,
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Progress:
    bytes_read: int
    total_bytes: int
    lines: int
    imported: int
    rejected: int


# -- which earlier import a file continues ---------------------------------------------------


@dataclass(frozen=True)
class Earlier:
    """An import that counts: it read the first `size` bytes of a log, whose hash is `content_hash`."""

    id: int
    size: int
    content_hash: str
    format: str
    first_line: int
    lines: int


def _earlier(store: Store, after: int = 0) -> list[Earlier]:
    return [
        Earlier(int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]))
        for r in store.conn.execute(
            "SELECT id, size, content_hash, format, first_line, lines FROM imports WHERE size > 0 AND id > ?", (after,)
        )
    ]


def _last_id(store: Store) -> int:
    return int(store.conn.execute("SELECT coalesce(max(id), 0) FROM imports").fetchone()[0])


@dataclass(frozen=True)
class Match:
    tip: Earlier | None  # the import whose content the file starts with, the longest one
    skip: str | None = None  # why nothing is read: already_imported, overlaps


def match(print_: reader.Fingerprint, earlier: list[Earlier], continued: set[int]) -> Match:
    """The earlier import this file continues, if any, and whether anything in it is new.

    The file continues the longest earlier import whose content it starts
    with. If that one was itself continued by an import this file does not
    contain, the file holds less of the log than the casebook read already:
    what follows in it may have been read, and nothing is taken.
    """
    found = [e for e in earlier if e.size <= print_.size and print_.prefixes.get(e.size) == e.content_hash]
    if not found:
        return Match(None)
    tip = max(found, key=lambda e: (e.size, e.id))
    twins = [e for e in found if (e.size, e.content_hash) == (tip.size, tip.content_hash)]
    if any(e.id in continued for e in twins):
        return Match(tip, "overlaps")
    if tip.size >= print_.end:
        return Match(tip, "already_imported")
    return Match(tip)


def _continued(store: Store) -> set[int]:
    return {
        int(r[0])
        for r in store.conn.execute("SELECT DISTINCT prefix_of FROM imports WHERE prefix_of IS NOT NULL AND size > 0")
    }


# -- one import's run ------------------------------------------------------------------------


class _Run:
    """The state of one import inside its transaction: ids looked up once, rows batched, the stages fed."""

    def __init__(self, session: Session, import_id: int, keep_urls: bool, gap: float, mail_domains: tuple[str, ...]):
        book = session.casebook
        self.store = book.store
        self.conn = book.store.conn
        self.import_id = import_id
        self.keep_urls = keep_urls
        self.mail_domains = mail_domains
        self.pseudonymiser = Pseudonymiser(book.pseudonym_key)
        self.pseudonym_ids: dict[str, int] = {
            token: pid for pid, token in self.conn.execute("SELECT id, token FROM pseudonyms")
        }
        self.host_ids: dict[str, tuple[int, int]] = {
            host: (hid, site) for hid, host, site in self.conn.execute("SELECT id, host, site_id FROM hosts")
        }
        self.domain_ids: dict[str, int] = {d: i for i, d in self.conn.execute("SELECT id, domain FROM domains")}
        self.site_ids: dict[tuple[int, str | None], int] = {
            (did, category): sid
            for sid, did, category in self.conn.execute("SELECT id, domain_id, category FROM sites")
        }
        # The hot path looks a line's raw identity and its URL's authority up once, then by dictionary: by the
        # authority, not the URL, which query strings make new on nearly every line.
        self.identity_ids: dict[tuple[str, str], int] = {}
        self.authority_ids: dict[str, tuple[int, int]] = {}
        self.events: list[tuple[object, ...]] = []
        self.mails: list[tuple[object, ...]] = []
        self.visits = Visits(import_id, gap)
        self.tally = rollups.Tally(self.conn)
        # Bound once: called for every request.
        self.tally_hit = self.tally.hit
        self.visits_add = self.visits.add
        # The visits' sweep: the log time at which it runs next, and the previous line's time.
        self.next_sweep = 0.0
        self.previous_ts = 0.0
        # Local days touched besides those of the requests: of mails, of visits taken over.
        self.days: set[int] = set()
        self.taken: list[VisitRow] = []
        # Mail rows an earlier import of this log wrote while their messages were open, taken back (as they
        # were: a removal of this import puts them back).
        self.taken_mails: list[tuple[object, ...]] = []
        self.sealed: dict[str, Sealed] = {}
        self.next_mail_id = 0  # mail rows get their ids here: open ones are carried by id
        self.settled_mail: list[mailflow.MailRow] | None = None  # the mail parser's settled rows

    # -- carried over from the import before, left for the one after ----------------------

    def take_over(self, carried: dict[str, Any], parser: LineParser) -> None:
        """What the import this one continues left open: its visits, its Postfix messages, the sweep's clock."""
        self.next_sweep = float(carried.get("next_sweep", 0.0))
        self.previous_ts = float(carried.get("previous_ts", 0.0))
        if carried.get("mail") and hasattr(parser, "resume"):
            parser.resume(carried["mail"], self.take_mails(mailflow.Ledger.carried_ids(carried["mail"])))
        elif carried.get("queued") and hasattr(parser, "resume_queued"):
            parser.resume_queued(carried["queued"])  # left by an import made before messages were counted once
        ids = reopenable(self.conn, [int(i) for i in carried.get("open_visits", [])])
        taken: list[VisitRow] = []
        for at in range(0, len(ids), CHUNK_IDS):
            chunk = ids[at : at + CHUNK_IDS]
            marks = ", ".join("?" * len(chunk))
            taken += [
                tuple(r)  # type: ignore[misc]
                for r in self.conn.execute(
                    f"SELECT id, pseudonym_id, site_id, start, end, requests, bytes FROM visits WHERE id IN ({marks})"
                    " ORDER BY id",
                    chunk,
                )
            ]
            self.conn.execute(f"DELETE FROM visits WHERE id IN ({marks})", chunk)
        if not taken:
            return
        # Out of the figures until they close again, longer perhaps, in this import.
        removal = rollups.Removal(self.conn)
        removal.visits(taken, with_requests=self.tally.requests_from_visits)
        removal.finish()
        self.days |= removal.touched
        self.taken = taken  # with their ids (in the import id's place): a removal of this import restores them
        self.visits.reopen(taken)

    def take_mails(self, ids: list[int]) -> dict[int, tuple[float, Sealed, str, bool]]:
        """The open mail rows an earlier import of this log wrote, out of the casebook and back in memory: the
        rows still there (a purge or an erasure may have taken some since), by id."""
        found: dict[int, tuple[float, Sealed, str, bool]] = {}
        for at in range(0, len(ids), CHUNK_IDS):
            chunk = ids[at : at + CHUNK_IDS]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT {', '.join('m.' + c for c in MAIL_COLUMNS.split(', '))}, p.token FROM mail_events m"
                f" JOIN pseudonyms p ON p.id = m.recipient_id WHERE m.id IN ({marks}) ORDER BY m.id",
                chunk,
            ).fetchall()
            self.conn.execute(f"DELETE FROM mail_events WHERE id IN ({marks})", chunk)
            for row in rows:
                mail_id, ts, status, direction, kind, token = row[0], row[2], row[6], row[7], row[8], row[9]
                inside = direction in ("internal", "incoming")
                found[int(mail_id)] = (float(ts), Sealed(str(token), inside), str(status), kind == mailflow.PROBE)
                self.taken_mails.append(tuple(row[:9]))
                self.days.add(self.tally.day_of(int(float(ts) // 3600)))
        return found

    def carry(self, parser: LineParser, open_ids: list[int], zone: str) -> dict[str, object]:
        """What this import leaves open for the next import of the same log."""
        carry = getattr(parser, "carry", None)
        return {
            "open_visits": open_ids,
            "mail": carry() if carry is not None else {},
            "zone": zone,
            "next_sweep": self.next_sweep,
            "previous_ts": self.previous_ts,
        }

    def seal(self, address: str) -> Sealed:
        """A normalised mail address as its pseudonym's token, and whether it is the organisation's."""
        sealed = self.sealed.get(address)
        if sealed is None:
            sealed = Sealed(self.pseudonymiser.of_mail(address), in_domains(address, self.mail_domains))
            if len(self.sealed) < 100_000:
                self.sealed[address] = sealed
        return sealed

    # -- the stages ----------------------------------------------------------------------

    def pseudonym(self, token: str) -> int:
        pid = self.pseudonym_ids.get(token)
        if pid is None:
            pid = int(self.conn.execute("INSERT INTO pseudonyms (token) VALUES (?)", (token,)).lastrowid or 0)
            self.pseudonym_ids[token] = pid
        return pid

    def host(self, name: str) -> tuple[int, int]:
        """A host's id and its site's: its domain and its own category (the most specific suffix listed)."""
        ids = self.host_ids.get(name)
        if ids is None:
            domain = hosts.domain_of(name)
            did = self.domain_ids.get(domain)
            if did is None:
                # The domain's own category, by its own name: mail.google.com does not make google.com webmail.
                did = int(
                    self.conn.execute(
                        "INSERT INTO domains (domain, category) VALUES (?, ?)",
                        (domain, categories.categorise(self.store, domain)),
                    ).lastrowid
                    or 0
                )
                self.domain_ids[domain] = did
            category = categories.categorise(self.store, name)
            sid = self.site_ids.get((did, category))
            if sid is None:
                sid = int(
                    self.conn.execute(
                        "INSERT INTO sites (domain_id, category) VALUES (?, ?)", (did, category)
                    ).lastrowid
                    or 0
                )
                self.site_ids[(did, category)] = sid
                self.tally.site(sid, did, category)
            hid = int(
                self.conn.execute(
                    "INSERT INTO hosts (host, domain_id, site_id) VALUES (?, ?, ?)", (name, did, sid)
                ).lastrowid
                or 0
            )
            ids = self.host_ids[name] = (hid, sid)
        return ids

    def hit(self, hit: Hit) -> None:
        ts, elapsed_ms, who, kind, method, target, status, size, denied, sent, page = hit
        identity_ids = self.identity_ids
        pid = identity_ids.get((kind, who))
        if pid is None:
            pid = identity_ids[(kind, who)] = self.pseudonym(self.pseudonymiser.of_client(kind, who))
        # Looked up by the authority as the URL spells it (user info and all), or by the whole of a CONNECT
        # target ("host:port", no "://"): only a new one is taken apart (`authority_of`, `host_of_authority`).
        # Either key names the host that `authority_of` finds in it, so the two kinds of key never disagree.
        found = _authority_match(target)
        authority = found.group(1) if found is not None else target
        authority_ids = self.authority_ids
        ids = authority_ids.get(authority)
        if ids is None:
            ids = self.host(hosts.host_of_authority(authority_of(target)))
            if len(authority_ids) < 100_000:
                authority_ids[authority] = ids
        hid, site = ids
        events = self.events
        events.append(
            (
                self.import_id,
                ts,
                pid,
                hid,
                method,
                status,
                size,
                elapsed_ms,
                denied,
                hosts.without_user_info(target) if self.keep_urls else None,
                sent,
                page,
            )
        )
        self.tally_hit(ts, site, pid, size)
        self.visits_add(pid, site, ts, elapsed_ms, size)
        if len(events) >= BATCH:
            self.flush()

    def visit(self, span: visitlog.Span) -> None:
        """A visit a log platform aggregated: no event is written, the visit alone carries its figures (the
        tally shares its requests out when it closes: `rollups.Tally.visit_requests`)."""
        _, site = self.host(hosts.host_of_authority(authority_of(span.host)))
        who = (span.identity_kind, span.identity)
        pid = self.identity_ids.get(who)
        if pid is None:
            pid = self.identity_ids[who] = self.pseudonym(self.pseudonymiser.of_client(*who))
        self.visits.add_span(pid, site, span.ts, span.end, span.requests, span.bytes)
        if len(self.visits.closed) >= BATCH:
            self.flush()

    def requests(self, parser: LineParser, latest: float) -> Callable[[str], float | None]:
        """A request format's line parsed and taken in one function: its time, or None for a line about no
        event (a CSV's header).

        Where nearly every request is its own visit, the calls between the stages
        (`hit`, the tally's and the visits' own) cost about as much as their work:
        here `hit`'s steps, `Tally.hit`'s and `Visits.add`'s run in one frame, with
        every table bound once. The line's own rules stay in its format's parser;
        a line later than `latest` is rejected before anything of it is kept.
        These must stay the same steps as `hit` (which the tests call too):
        tests/core/test_import_output.py holds the output to the row, and
        tests/core/test_log_import.py the two ways equal.
        """
        import_id, keep_urls, events, tally, visits = (
            self.import_id,
            self.keep_urls,
            self.events,
            self.tally,
            self.visits,
        )
        identity_ids, authority_ids, parse = self.identity_ids, self.authority_ids, parser.parse
        pseudonym, of_client, host, flush = self.pseudonym, self.pseudonymiser.of_client, self.host, self.flush
        without_user_info, authority_match = hosts.without_user_info, _authority_match
        gap = visits.gap

        def take(line: str) -> float | None:
            hit = parse(line)
            if hit is None:
                return None
            ts, elapsed_ms, who, kind, method, target, status, size, denied, sent, page = hit
            if ts > latest:
                raise Reject("future")
            # hit(): the person, the host, the event.
            pid = identity_ids.get((kind, who))
            if pid is None:
                pid = identity_ids[(kind, who)] = pseudonym(of_client(kind, who))
            # A CONNECT target ("host:port") is its own key: found at once, without the pattern. (A URL never is
            # one: it holds "://", which no key does.)
            ids = authority_ids.get(target) if method == "CONNECT" else None
            if ids is None:
                found = authority_match(target)
                authority = found.group(1) if found is not None else target
                ids = authority_ids.get(authority)
                if ids is None:
                    ids = host(hosts.host_of_authority(authority_of(target)))
                    if len(authority_ids) < 100_000:
                        authority_ids[authority] = ids
            hid, site = ids
            events.append(
                (
                    import_id,
                    ts,
                    pid,
                    hid,
                    method,
                    status,
                    size,
                    elapsed_ms,
                    denied,
                    without_user_info(target) if keep_urls else None,
                    sent,
                    page,
                )
            )
            # Tally.hit
            hour = int(ts // 3600)
            cells = tally.cells
            cell = cells.get((hour, site))
            if cell is None:
                cell = cells[(hour, site)] = [0, 0, 0, 0.0, set()]
            cell[0] += 1
            cell[1] += size
            cell[4].add(pid)
            # Visits.add
            begin = ts - elapsed_ms / 1000
            key = (pid, site)
            opened = visits.open
            visit = opened.get(key)
            if visit is not None and begin <= visit[1] + gap and ts >= visit[0] - gap:
                if begin < visit[0]:
                    visit[0] = begin
                if ts > visit[1]:
                    visit[1] = ts
                visit[2] += 1
                visit[3] += size
            else:
                if visit is not None:
                    visits.closed.append((import_id, pid, site, visit[0], visit[1], int(visit[2]), int(visit[3])))
                opened[key] = [begin, ts, 1, size]
            if len(events) >= BATCH:
                flush()
            return ts

        return take

    def mail(self, delivery: object) -> None:
        """A line about a recipient was read: the ledger has it; its settled rows are written in batches."""
        if self.settled_mail is not None and len(self.settled_mail) >= BATCH:
            self.flush()

    def mail_row(self, row: mailflow.MailRow) -> int:
        """One message to one recipient, written: its id."""
        if not self.next_mail_id:
            self.next_mail_id = _max_id(self.store, "mail_events") + 1
        sender = row.sender
        sender_id = self.pseudonym(sender.token) if sender is not None else None
        inside_from = sender is not None and sender.inside
        direction = _DIRECTIONS[(inside_from, row.recipient.inside)]
        mail_id = self.next_mail_id
        self.next_mail_id += 1
        self.mails.append(
            (
                mail_id,
                self.import_id,
                row.ts,
                sender_id,
                self.pseudonym(row.recipient.token),
                row.size,
                row.status,
                direction,
                row.kind,
            )
        )
        self.days.add(self.tally.day_of(int(row.ts // 3600)))
        return mail_id

    def finish_mail(self, parser: LineParser) -> None:
        """The messages still open are written as they stand (a deferred one shows as deferred); their rows'
        ids go with what is carried, for the next import of this log to take them back."""
        ledger = getattr(parser, "ledger", None)
        if ledger is None:
            return
        for row, written in ledger.open_mail_rows():
            row.id = self.mail_row(written)
        self.flush()

    def flush(self) -> None:
        if self.settled_mail:
            for row in self.settled_mail:
                self.mail_row(row)
            self.settled_mail.clear()
        if self.events:
            self.conn.executemany(
                "INSERT INTO events (import_id, ts, pseudonym_id, host_id, method, status, bytes, elapsed_ms, denied,"
                " url, sent, page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.events,
            )
            self.events.clear()
        if self.mails:
            self.conn.executemany(
                f"INSERT INTO mail_events ({MAIL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", self.mails
            )
            self.mails.clear()
        closed = self.visits.closed
        if closed:
            self.tally.visits(closed)
            self.conn.executemany(
                "INSERT INTO visits (import_id, pseudonym_id, site_id, start, end, requests, bytes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                closed,
            )
            closed.clear()

    def sweep(self, now_ts: float) -> None:
        """Close visits long past and write the hours done: memory follows the hours being read, not the file."""
        settled = self.visits.sweep(now_ts)
        self.flush()
        self.tally.write(settled)

    def finish(self) -> list[int]:
        """Write what is left; the visits still open are written too, and their ids returned: the next import
        of this log takes them back (`take_over`)."""
        self.flush()
        self.visits.close_all()
        still_open, self.visits.closed = self.visits.closed, []
        self.tally.visits(still_open)
        first = _max_id(self.store, "visits") + 1
        self.conn.executemany(
            "INSERT INTO visits (import_id, pseudonym_id, site_id, start, end, requests, bytes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            still_open,
        )
        # Rows inserted in one go into a table without AUTOINCREMENT take the next ids in order.
        ids = list(range(first, first + len(still_open)))
        if still_open and _max_id(self.store, "visits") != ids[-1]:
            raise RuntimeError("visit ids not in one range")
        self.tally.write(None)
        return ids

    @property
    def touched_days(self) -> set[int]:
        return self.days | self.tally.touched


_DIRECTIONS = {
    (True, True): "internal",
    (True, False): "outgoing",
    (False, True): "incoming",
    (False, False): "external",
}


def _carried(store: Store, tip: Earlier | None) -> dict[str, Any]:
    """What the import a file continues left open for it (nothing for a new log)."""
    if tip is None:
        return {}
    row = store.conn.execute("SELECT carried FROM import_state WHERE import_id = ?", (tip.id,)).fetchone()
    return json.loads(row[0]) if row else {}


def _policy_for_import(session: Session) -> tuple[bool, tuple[str, ...]]:
    settings = policy_versions.current(session.casebook).settings
    return settings.keep_full_urls, settings.mail_domains


def _format(fmt: str | None, detected: str | None, tip: Earlier | None, shown: str) -> tuple[str | None, str | None]:
    """(the format to read the file in, or a reason to skip it). A log continues in the format it was read in."""
    if tip is not None:
        if fmt is not None and fmt != tip.format:
            return None, "other_format"
        return tip.format, None
    chosen = fmt or detected
    if chosen is None:
        raise CasebookError("logs.error.unknown_format", path=shown, formats=", ".join(FORMATS))
    return chosen, None


def _max_id(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])


def may_import(session: Session) -> None:
    """Whether the person may import logs now: their role, and a policy ready for a control.

    Importing logs is installing the control (CAO 81 art. 9: only after the information, once the
    policy is in force): nothing is collected for a control before `policy check` passes.
    """
    session.require(Action.IMPORT_LOGS)
    readiness.require_ready(session.casebook)


def import_file(
    session: Session,
    path: Path,
    fmt: str | None = None,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    default_host: str | None = None,
) -> ImportResult:
    """Import one file. Raises Refused before anything is read (`may_import`), CasebookError only when the
    file cannot be read at all."""
    may_import(session)
    started = time.perf_counter()
    book = session.casebook
    store = book.store
    shown = str(path)
    # What this session may read (casebook.logs.sources), resolved: every read below is of that file.
    path = sources.check(session, path)
    if fmt is not None and fmt not in REGISTRY:
        raise CasebookError("logs.error.unknown_format", path=shown, formats=", ".join(FORMATS))
    head = reader.first_lines(path, HEAD_LINES)
    detected = detect(head) if fmt is None and head else None
    result = ImportResult(file=shown, format=fmt or detected)

    def skipped(reason: str) -> ImportResult:
        result.skipped = reason
        result.seconds = time.perf_counter() - started
        return result

    with reader.Source(path) as source:
        seen = _last_id(store)
        earlier = _earlier(store)
        print_ = reader.fingerprint(source, {e.size for e in earlier})
        if print_.size == 0:
            return skipped("empty")
        found = match(print_, earlier, _continued(store))
        if found.skip:
            return skipped(found.skip)
        if print_.end == 0:  # one line, still being written: nothing to read yet
            return skipped("unfinished")
        keep_urls, mail_domains = _policy_for_import(session)
        gap = float(setting(store, "visit_gap_minutes")) * 60
        now = book.clock.now()
        deadline = time.monotonic() + LOCK_PATIENCE

        def patience() -> bool:
            """Another import holds the casebook: wait for it (a cancel while waiting keeps nothing, as ever)."""
            if cancelled is not None and cancelled():
                raise Cancelled()
            return time.monotonic() < deadline

        with store.transaction(patience):
            if _last_id(store) != seen:
                # Another import came first (the same file imported twice at once, say): decide again, inside
                # the write lock, so that of two imports of one log exactly one reads it.
                earlier += _earlier(store, seen)
                print_ = reader.fingerprint(source, {e.size for e in earlier})
                found = match(print_, earlier, _continued(store))
                if found.skip:
                    return skipped(found.skip)
            tip = found.tip
            chosen, reason = _format(fmt, detected, tip, shown)
            if reason is not None or chosen is None:
                return skipped(reason or "other_format")
            result.format = chosen
            offset, first_line = (tip.size, tip.first_line + tip.lines) if tip else (0, 1)
            result.continues = tip.id if tip else None
            import_id = int(
                store.conn.execute(
                    "INSERT INTO imports (path, content_hash, size, first_line, prefix_of, format, lines, imported,"
                    " rejected, imported_by, imported_at, seconds) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, 0)",
                    (
                        str(path.resolve()),
                        print_.end_hash,
                        print_.end,
                        first_line,
                        result.continues,
                        chosen,
                        session.user.name,
                        clocks.to_text(now),
                    ),
                ).lastrowid
                or 0
            )
            form = REGISTRY[chosen]
            run = _Run(session, import_id, keep_urls, gap, mail_domains)
            run.tally.requests_from_visits = form.visits
            carried = _carried(store, tip)
            # A log continues in the zone it was first read in, whatever the setting says since.
            zone_name = str(carried.get("zone") or setting(store, "syslog_time_zone"))
            parser = form.parser(Context(now, default_host, run.seal, clocks.zone_of(zone_name)))
            run.settled_mail = getattr(parser, "settled", None)
            if tip is not None:
                run.take_over(carried, parser)
            before = {
                table: _max_id(store, table)
                for table in ("events", "visits", "mail_events", "pseudonyms", "hosts", "sites", "domains")
            }
            try:
                with collector.paused():
                    consumed = _read(
                        run,
                        source,
                        form,
                        parser,
                        now.timestamp(),
                        offset,
                        first_line,
                        print_,
                        result,
                        progress,
                        cancelled,
                    )
                    open_ids = run.finish()
                    run.finish_mail(parser)
                left = run.carry(parser, open_ids, zone_name)
            except OverflowError:
                # Each line's figures are bounded (hits.MAX_BYTES); only millions of lines at that bound in one
                # hour and site add up past what SQLite holds. Such a file is refused whole, nothing of it kept.
                raise CasebookError("logs.error.too_large", path=shown) from None
            after = {table: _max_id(store, table) for table in before}
            result.import_id = import_id
            # Nothing of it could be read (a wrong format, say): it does not count, and a later import reads it.
            counted = offset > 0 or result.accepted > 0
            if consumed != print_.end:  # cut short while it was read (copytruncate): what was hashed is not there
                raise CasebookError("logs.error.changed", path=shown)
            result.seconds = time.perf_counter() - started
            store.conn.execute(
                "UPDATE imports SET size = ?, content_hash = ?, lines = ?, imported = ?, rejected = ?, first_ts = ?,"
                " last_ts = ?, seconds = ? WHERE id = ?",
                (
                    consumed if counted else 0,
                    print_.end_hash if counted else "",
                    result.lines,
                    result.imported,
                    result.rejected,
                    result.first_ts,
                    result.last_ts,
                    result.seconds,
                    import_id,
                ),
            )
            store.conn.execute(
                "INSERT INTO import_state (import_id, carried, taken, taken_mails, created, events_from, events_to,"
                " visits_from, visits_to, mails_from, mails_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    import_id,
                    json.dumps(left if counted else {}),
                    json.dumps([list(row) for row in run.taken]),
                    json.dumps([list(row) for row in run.taken_mails]),
                    json.dumps(
                        {
                            table: [before[table] + 1, after[table]]
                            for table in ("pseudonyms", "hosts", "sites", "domains")
                            if after[table] > before[table]
                        }
                    ),
                    before["events"] + 1,
                    after["events"],
                    before["visits"] + 1,
                    after["visits"],
                    before["mail_events"] + 1,
                    after["mail_events"],
                ),
            )
            store.conn.executemany(
                "INSERT INTO import_days (import_id, day) VALUES (?, ?)",
                [(import_id, day) for day in sorted(run.touched_days)],
            )
            session.audit(
                "logs.imported",
                shown,
                {
                    "format": chosen,
                    "lines": result.lines,
                    "imported": result.imported,
                    "rejected": result.rejected,
                    "continues": result.continues,
                    "counted": counted,
                },
            )
    return result


def _header(source: reader.Source, limit: int) -> str | None:
    """The file's first record: a CSV's header, which a continuation needs to know its columns."""
    for _, raw, _ in reader.records(source.stream(), 0, limit):
        return raw.decode("utf-8", errors="replace")
    return None


def _read(
    run: _Run,
    source: reader.Source,
    form: Format,
    parser: LineParser,
    reference: float,
    offset: int,
    first_line: int,
    print_: reader.Fingerprint,
    result: ImportResult,
    progress: Callable[[Progress], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    """Hand each record to the format's parser, each event to the run; returns the bytes consumed (whole records)."""
    parse = parser.parse
    if offset and form.by_header:
        header = _header(source, print_.end)
        if header is not None:
            try:
                parse(header)
            except Reject:
                pass  # the first import of this log rejected it too: its lines are rejected the same way
    take: Callable[[Any], None] = run.mail if form.mail else run.visit if form.visits else run.hit
    latest = reference + FUTURE_TOLERANCE
    # Squid's lines, the commonest and largest logs, parsed and taken in one step.
    # A request's line parsed and taken in one step (the visits and mail formats go by `take`).
    fused = run.requests(parser, latest) if not (form.mail or form.visits) else None
    # A last record still being written (a plain log without its last end): left for the next import.
    result.pending = not source.final and print_.size > print_.end
    kept = 0
    consumed = offset
    first_ts = last_ts = None
    conn = run.conn
    number = first_line - 1
    next_sweep, previous = run.next_sweep, run.previous_ts
    # Counted in locals, not on the result: an attribute per line shows in the import's time.
    imported = quiet = rejected = 0
    total = print_.end
    handle = source.stream()
    try:
        # Up to the end of the last whole record (all of a compressed log, which no longer grows).
        for consumed_after, raw, _ in reader.records(handle, offset, total):
            number += 1
            try:
                if len(raw) > MAX_LINE:
                    raise Reject("too_long")
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise Reject("encoding") from None
                if not line or line.isspace():  # what `not line.strip()` says, without a copy of each line
                    raise Reject("empty")
                if fused is not None:
                    ts = fused(line)
                else:
                    event = parse(line)
                    ts = event.ts if event is not None else None
                    if ts is not None:
                        if ts > latest:
                            raise Reject("future")
                        take(event)
                if ts is None:  # a valid line about no event (a CSV's header, a Postfix connection)
                    quiet += 1
                    consumed = consumed_after
                    continue
                consumed = consumed_after
                imported += 1
                if first_ts is None or ts < first_ts:
                    first_ts = ts
                if last_ts is None or ts > last_ts:
                    last_ts = ts
                # By the log's own time: the latest two lines', not the greatest seen, so that one stray stamp
                # far ahead does not close everything.
                if ts >= next_sweep and previous >= next_sweep:
                    at = ts if ts < previous else previous
                    run.sweep(at)
                    next_sweep = (at // SWEEP_SECONDS + 1) * SWEEP_SECONDS
                previous = ts
            except Reject as reject:
                consumed = consumed_after
                reason = reject.reason
                rejected += 1
                result.reasons[reason] += 1
                if kept < KEPT_REJECTS:
                    kept += 1
                    conn.execute(
                        "INSERT INTO rejects (import_id, line_no, reason, sample) VALUES (?, ?, ?, ?)",
                        (run.import_id, number, reason, sanitise(raw, *parser.identity_fields)),
                    )
            if number % 10_000 == 0:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(Progress(consumed, total, number - first_line + 1, imported, rejected))
    except (OSError, EOFError) as exc:  # a damaged .gz found only on the way
        raise source.unreadable(exc) from None
    run.next_sweep, run.previous_ts = next_sweep, previous
    result.other_programs = int(getattr(parser, "other_programs", 0))
    result.lines, result.imported, result.rejected = number - first_line + 1, imported, rejected
    result.accepted, result.not_events = imported + quiet, quiet
    result.first_ts, result.last_ts = first_ts, last_ts
    if progress is not None:
        progress(Progress(consumed, total, result.lines, result.imported, result.rejected))
    return consumed
