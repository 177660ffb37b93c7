"""Importing one log file: streamed, pseudonymised at the door, categorised, sessionised, rolled up.

This module orchestrates; the stages live elsewhere. Each line goes to its
format's parser (`formats`); each request found is pseudonymised and its host
and domain looked up here, then written as an event and handed to the visits
(`visits`) and the rollups (`rollups.Tally`); closed visits go to the rollups
before they are written. Every SWEEP_LINES lines, finished visits and hours
are written out, so memory follows the hours being read, not the file.

One transaction per file, so a crash, a kill or a cancel leaves nothing of it.
The same content twice is skipped; a log that grew since its last import is
continued where that import stopped. Bad lines are counted, and the first
ones kept (sanitised) for the person who imported them; they never stop the
import.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook import categories
from casebook import clock as clocks
from casebook.errors import CasebookError
from casebook.logs import hosts, reader, rollups
from casebook.logs.formats import FORMATS, REGISTRY, Context, Format, detect
from casebook.logs.hits import Hit, Mail, Reject
from casebook.logs.redact import sanitise
from casebook.logs.visits import Visits
from casebook.permissions import Action
from casebook.policy import versions as policy_versions
from casebook.pseudonym import Pseudonymiser
from casebook.settings import get as setting

if TYPE_CHECKING:
    from casebook.session import Session

MAX_LINE = 64 * 1024
KEPT_REJECTS = 100
BATCH = 10_000
# How often finished visits and hours are written out and forgotten.
SWEEP_LINES = 25_000
# A line stamped more than this far ahead of the clock is refused: a wrong clock, not an event.
FUTURE_TOLERANCE = 24 * 3600


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
            host: (hid, did) for hid, host, did in self.conn.execute("SELECT id, host, domain_id FROM hosts")
        }
        self.domain_ids: dict[str, int] = {d: i for i, d in self.conn.execute("SELECT id, domain FROM domains")}
        # The hot path looks a line's raw identity and target up once, then by dictionary.
        self.identity_ids: dict[tuple[str, str], int] = {}
        self.target_ids: dict[str, tuple[int, int]] = {}
        self.events: list[tuple[object, ...]] = []
        self.mails: list[tuple[object, ...]] = []
        self.visits = Visits(import_id, gap)
        self.tally = rollups.Tally(self.conn)
        # Bound once: called for every request.
        self.tally_hit = self.tally.hit
        self.visits_add = self.visits.add

    def pseudonym(self, token: str) -> int:
        pid = self.pseudonym_ids.get(token)
        if pid is None:
            pid = int(self.conn.execute("INSERT INTO pseudonyms (token) VALUES (?)", (token,)).lastrowid or 0)
            self.pseudonym_ids[token] = pid
        return pid

    def host(self, name: str) -> tuple[int, int]:
        ids = self.host_ids.get(name)
        if ids is None:
            domain = hosts.domain_of(name)
            did = self.domain_ids.get(domain)
            if did is None:
                category = categories.categorise(self.store, name)
                did = int(
                    self.conn.execute(
                        "INSERT INTO domains (domain, category) VALUES (?, ?)", (domain, category)
                    ).lastrowid
                    or 0
                )
                self.domain_ids[domain] = did
                self.tally.domain(did, category)
            hid = int(
                self.conn.execute("INSERT INTO hosts (host, domain_id) VALUES (?, ?)", (name, did)).lastrowid or 0
            )
            ids = self.host_ids[name] = (hid, did)
        return ids

    def hit(self, hit: Hit) -> None:
        ts, elapsed_ms, who, kind, method, target, status, size, denied = hit
        pid = self.identity_ids.get((kind, who))
        if pid is None:
            pid = self.identity_ids[(kind, who)] = self.pseudonym(self.pseudonymiser.of_client(kind, who))
        ids = self.target_ids.get(target)
        if ids is None:
            ids = self.host(hosts.host_of(target))
            if len(self.target_ids) < 50_000:
                self.target_ids[target] = ids
        hid, did = ids
        self.events.append(
            (self.import_id, ts, pid, hid, method, status, size, elapsed_ms, denied, target if self.keep_urls else None)
        )
        self.tally_hit(ts, did, pid, size)
        self.visits_add(pid, did, ts, elapsed_ms, size)
        if len(self.events) >= BATCH:
            self.flush()

    def mail(self, mail: Mail) -> None:
        sender = self.pseudonym(self.pseudonymiser.of_mail(mail.sender)) if mail.sender else None
        recipient = self.pseudonym(self.pseudonymiser.of_mail(mail.recipient))
        inside_from = mail.sender.rsplit("@", 1)[-1] in self.mail_domains if mail.sender else False
        inside_to = mail.recipient.rsplit("@", 1)[-1] in self.mail_domains
        direction = {
            (True, True): "internal",
            (True, False): "outgoing",
            (False, True): "incoming",
            (False, False): "external",
        }[(inside_from, inside_to)]
        self.mails.append((self.import_id, mail.ts, sender, recipient, mail.size, mail.status, direction))
        if len(self.mails) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.events:
            self.conn.executemany(
                "INSERT INTO events (import_id, ts, pseudonym_id, host_id, method, status, bytes, elapsed_ms, denied,"
                " url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.events,
            )
            self.events.clear()
        if self.mails:
            self.conn.executemany(
                "INSERT INTO mail_events (import_id, ts, sender_id, recipient_id, size, status, direction) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                self.mails,
            )
            self.mails.clear()
        closed = self.visits.closed
        if closed:
            self.tally.visits(closed)
            self.conn.executemany(
                "INSERT INTO visits (import_id, pseudonym_id, domain_id, start, end, requests, bytes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                closed,
            )
            closed.clear()

    def sweep(self, now_ts: float) -> None:
        """Close visits long past and write the hours done: memory follows the hours being read, not the file."""
        settled = self.visits.sweep(now_ts)
        self.flush()
        self.tally.write(settled)

    def finish(self) -> None:
        self.visits.close_all()
        self.flush()
        self.tally.write(None)


def _policy_for_import(session: Session) -> tuple[bool, tuple[str, ...]]:
    settings = policy_versions.current(session.casebook).settings
    return settings.keep_full_urls, settings.mail_domains


def import_file(
    session: Session,
    path: Path,
    fmt: str | None = None,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    default_host: str | None = None,
) -> ImportResult:
    """Import one file. Raises CasebookError only when the file cannot be read at all."""
    session.require(Action.IMPORT_LOGS)
    started = time.perf_counter()
    book = session.casebook
    path = Path(path)
    shown = str(path)
    head = reader.first_lines(path)
    if fmt is None and head:
        fmt = detect(head)
        if fmt is None:
            raise CasebookError("logs.error.unknown_format", path=shown, formats=", ".join(FORMATS))
    elif fmt is not None and fmt not in REGISTRY:
        raise CasebookError("logs.error.unknown_format", path=shown, formats=", ".join(FORMATS))
    resolved = str(path.resolve())
    earlier = book.store.query(
        "SELECT id, size, lines, first_line FROM imports WHERE path = ? ORDER BY size DESC", [resolved]
    )
    print_ = reader.fingerprint(path, {int(r["size"]) for r in earlier if r["size"]})
    result = ImportResult(file=shown, format=fmt)
    if print_.size == 0:
        result.skipped = "empty"
        result.seconds = time.perf_counter() - started
        return result
    if book.store.query_one("SELECT id FROM imports WHERE content_hash = ?", [print_.content_hash]):
        result.skipped = "already_imported"
        result.seconds = time.perf_counter() - started
        return result
    offset, first_line, continues = 0, 1, None
    for row in earlier:
        size = int(row["size"])
        previous = book.store.query_one("SELECT content_hash FROM imports WHERE id = ?", [row["id"]])
        if 0 < size < print_.size and previous and print_.prefixes.get(size) == previous["content_hash"]:
            offset, first_line, continues = size, int(row["first_line"]) + int(row["lines"]), int(row["id"])
            break
    keep_urls, mail_domains = _policy_for_import(session)
    gap = float(setting(book.store, "visit_gap_minutes")) * 60
    now = book.clock.now()
    with book.store.transaction():
        import_id = int(
            book.store.conn.execute(
                "INSERT INTO imports (path, content_hash, size, first_line, prefix_of, format, lines, imported, rejected,"
                " imported_by, imported_at, seconds) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, 0)",
                (
                    resolved,
                    print_.content_hash,
                    print_.size,
                    first_line,
                    continues,
                    fmt,
                    session.user.name,
                    clocks.to_text(book.clock.now()),
                ),
            ).lastrowid
            or 0
        )
        run = _Run(session, import_id, keep_urls, gap, mail_domains)
        consumed = _read(
            run,
            path,
            REGISTRY[fmt],
            Context(now, default_host),
            offset,
            first_line,
            print_.size,
            result,
            progress,
            cancelled,
        )
        run.finish()
        result.import_id = import_id
        # A cut-off last line was left unread: what was read is a prefix, hashed as such for the next import.
        read_hash = (
            print_.content_hash if consumed == print_.size else reader.fingerprint(path, {consumed}).prefixes[consumed]
        )
        result.seconds = time.perf_counter() - started
        book.store.conn.execute(
            "UPDATE imports SET size = ?, content_hash = ?, lines = ?, imported = ?, rejected = ?, first_ts = ?,"
            " last_ts = ?, seconds = ? WHERE id = ?",
            (
                consumed,
                read_hash,
                result.lines,
                result.imported,
                result.rejected,
                result.first_ts,
                result.last_ts,
                result.seconds,
                import_id,
            ),
        )
        session.audit(
            "logs.imported",
            shown,
            {
                "format": fmt,
                "lines": result.lines,
                "imported": result.imported,
                "rejected": result.rejected,
                "continues": continues,
            },
        )
    return result


def _read(
    run: _Run,
    path: Path,
    form: Format,
    context: Context,
    offset: int,
    first_line: int,
    total: int,
    result: ImportResult,
    progress: Callable[[Progress], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    """Hand each line to the format's parser, each event to the run; returns the bytes consumed (whole lines only)."""
    parser = form.parser(context)
    parse = parser.parse
    take: Callable[[Any], None] = run.mail if form.mail else run.hit
    latest = context.reference.timestamp() + FUTURE_TOLERANCE
    kept = 0
    consumed = offset
    first_ts = last_ts = recent_ts = None
    conn = run.conn
    number = first_line - 1
    with reader.open_log(path) as handle:
        for consumed_after, raw, complete in reader.numbered_lines(handle, offset):
            number += 1
            result.lines += 1
            try:
                if len(raw) > MAX_LINE:
                    raise Reject("too_long")
                if b"\x00" in raw:
                    raise Reject("nul")
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise Reject("encoding") from None
                if not line.strip():
                    raise Reject("empty")
                event = parse(line)
                if event is None:  # a valid line about no event (a CSV's header, a Postfix connection): nothing to keep
                    result.not_events += 1
                    consumed = consumed_after
                    continue
                ts = event.ts
                if ts > latest:
                    raise Reject("future")
                take(event)
                result.imported += 1
                consumed = consumed_after
                recent_ts = ts
                if first_ts is None or ts < first_ts:
                    first_ts = ts
                if last_ts is None or ts > last_ts:
                    last_ts = ts
            except Reject as reject:
                reason = reject.reason
                if complete:
                    consumed = consumed_after
                else:
                    # A last line cut short, likely a log still being written: left for the next import.
                    reason = "truncated"
                result.rejected += 1
                result.reasons[reason] += 1
                if kept < KEPT_REJECTS:
                    kept += 1
                    conn.execute(
                        "INSERT INTO rejects (import_id, line_no, reason, sample) VALUES (?, ?, ?, ?)",
                        (run.import_id, number, reason, sanitise(raw, *parser.identity_fields)),
                    )
            if result.lines % 10_000 == 0:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(Progress(consumed, total, result.lines, result.imported, result.rejected))
            # By the latest line's time, not the greatest seen: one stray stamp far ahead must not close everything.
            if result.lines % SWEEP_LINES == 0 and recent_ts is not None:
                run.sweep(recent_ts)
    result.first_ts, result.last_ts = first_ts, last_ts
    if progress is not None:
        progress(Progress(consumed, total, result.lines, result.imported, result.rejected))
    return consumed
