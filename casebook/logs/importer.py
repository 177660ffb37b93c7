"""Importing one log file: streamed, pseudonymised at the door, categorised, sessionised, rolled up.

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
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook import categories
from casebook import clock as clocks
from casebook.clock import LOCAL_ZONE
from casebook.errors import CasebookError
from casebook.logs import hosts, reader, rollups
from casebook.logs.formats import FORMATS, REGISTRY, Context, Format, detect
from casebook.logs.hits import Hit, Mail, Reject
from casebook.logs.redact import sanitise
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
# Lines may come this many seconds out of order and still join their visit; older visits are closed.
OUT_OF_ORDER_SLACK = 600
# A line stamped more than this far ahead of the clock is refused: a wrong clock, not an event.
FUTURE_TOLERANCE = 24 * 3600


class Cancelled(Exception):  # noqa: N818 - the person asked for it
    """The import was cancelled; its transaction is rolled back and nothing is kept."""


@dataclass
class ImportResult:
    file: str
    format: str | None
    lines: int = 0
    imported: int = 0
    rejected: int = 0
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
    """The state of one import inside its transaction."""

    def __init__(self, session: Session, import_id: int, keep_urls: bool, gap: float, mail_domains: tuple[str, ...]):
        book = session.casebook
        self.store = book.store
        self.conn = book.store.conn
        self.import_id = import_id
        self.keep_urls = keep_urls
        self.gap = gap
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
        self.visit_rows: list[tuple[object, ...]] = []
        self.open_visits: dict[tuple[int, int], list[float]] = {}
        # (hour, domain) -> [requests, bytes, visits, seconds, {pseudonym ids}]
        self.rollup: dict[tuple[int, int], list[Any]] = {}
        # (local day, domain, duration bucket) -> visits
        self.durations: Counter[tuple[int, int, int]] = Counter()
        self.days: dict[int, int] = {}
        self.domain_category: dict[int, str] = {
            i: c or "" for i, c in self.conn.execute("SELECT id, category FROM domains")}

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
                did = int(self.conn.execute("INSERT INTO domains (domain, category) VALUES (?, ?)",
                                            (domain, category)).lastrowid or 0)
                self.domain_ids[domain] = did
                self.domain_category[did] = category or ""
            hid = int(self.conn.execute("INSERT INTO hosts (host, domain_id) VALUES (?, ?)", (name, did)).lastrowid
                      or 0)
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
        self.events.append((self.import_id, ts, pid, hid, method, status, size, elapsed_ms, denied,
                            target if self.keep_urls else None))
        hour = int(ts // 3600)
        cell = self.rollup.get((hour, did))
        if cell is None:
            cell = self.rollup[(hour, did)] = [0, 0, 0, 0.0, set()]
        cell[0] += 1
        cell[1] += size
        cell[4].add(pid)
        # Visit: [start, end, requests, bytes]; the request occupied [ts - elapsed, ts].
        begin = ts - elapsed_ms / 1000
        key = (pid, did)
        visit = self.open_visits.get(key)
        if visit is not None and begin <= visit[1] + self.gap and ts >= visit[0] - self.gap:
            if begin < visit[0]:
                visit[0] = begin
            if ts > visit[1]:
                visit[1] = ts
            visit[2] += 1
            visit[3] += size
        else:
            if visit is not None:
                self.close_visit(key, visit)
            self.open_visits[key] = [begin, ts, 1, size]
        if len(self.events) >= BATCH:
            self.flush()

    def close_visit(self, key: tuple[int, int], visit: list[float]) -> None:
        pid, did = key
        start, end, requests, size = visit
        self.visit_rows.append((self.import_id, pid, did, start, end, int(requests), int(size)))
        hour = int(start // 3600)
        cell = self.rollup.setdefault((hour, did), [0, 0, 0, 0.0, set()])
        cell[2] += 1
        cell[3] += end - start
        self.durations[(self.day_of(hour), did, rollups.bucket(end - start))] += 1

    def day_of(self, hour: int) -> int:
        """The local (Brussels) day of an epoch hour, as a date ordinal; local midnights fall on whole hours."""
        day = self.days.get(hour)
        if day is None:
            day = self.days[hour] = datetime.fromtimestamp(hour * 3600, LOCAL_ZONE).date().toordinal()
        return day

    def sweep(self, now_ts: float) -> None:
        """Close visits long past and write the hours done: memory follows the hours being read, not the file."""
        limit = now_ts - self.gap - OUT_OF_ORDER_SLACK
        for key in [k for k, v in self.open_visits.items() if v[1] < limit]:
            self.close_visit(key, self.open_visits.pop(key))
        self.flush()
        self.write_rollups(int(limit // 3600) - 1)

    def mail(self, mail: Mail) -> None:
        sender = self.pseudonym(self.pseudonymiser.of_mail(mail.sender)) if mail.sender else None
        recipient = self.pseudonym(self.pseudonymiser.of_mail(mail.recipient))
        inside_from = mail.sender.rsplit("@", 1)[-1] in self.mail_domains if mail.sender else False
        inside_to = mail.recipient.rsplit("@", 1)[-1] in self.mail_domains
        direction = {(True, True): "internal", (True, False): "outgoing", (False, True): "incoming",
                     (False, False): "external"}[(inside_from, inside_to)]
        self.mails.append((self.import_id, mail.ts, sender, recipient, mail.size, mail.status, direction))
        if len(self.mails) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.events:
            self.conn.executemany(
                "INSERT INTO events (import_id, ts, pseudonym_id, host_id, method, status, bytes, elapsed_ms, denied,"
                " url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.events)
            self.events.clear()
        if self.mails:
            self.conn.executemany(
                "INSERT INTO mail_events (import_id, ts, sender_id, recipient_id, size, status, direction) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", self.mails)
            self.mails.clear()
        if self.visit_rows:
            self.conn.executemany(
                "INSERT INTO visits (import_id, pseudonym_id, domain_id, start, end, requests, bytes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", self.visit_rows)
            self.visit_rows.clear()

    def finish(self) -> None:
        for key, visit in self.open_visits.items():
            self.close_visit(key, visit)
        self.open_visits.clear()
        self.flush()
        self.write_rollups(None)

    def write_rollups(self, before_hour: int | None) -> None:
        """Write the figures of the hours before `before_hour` (all when None) and forget them.

        Every write adds to what is there (or keeps a set), so an hour written
        early and again later, when a late visit closes, still adds up; memory
        then holds only the hours still being read.
        """
        if before_hour is None:
            cells, self.rollup = self.rollup, {}
        else:
            done = [key for key in self.rollup if key[0] < before_hour]
            cells = {key: self.rollup.pop(key) for key in done}
        spans, self.durations = self.durations, Counter()
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_users (hour, domain_id, pseudonym_id) VALUES (?, ?, ?)",
            ((hour, did, pid) for (hour, did), cell in cells.items() for pid in cell[4]),
        )
        # A new hour and domain counts its own people; one already there is counted again, exactly.
        self.conn.executemany(
            "INSERT INTO rollup_hourly (hour, domain_id, requests, bytes, visits, seconds, users) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hour, domain_id) DO UPDATE SET "
            "requests = requests + excluded.requests, bytes = bytes + excluded.bytes, "
            "visits = visits + excluded.visits, seconds = seconds + excluded.seconds, "
            "users = (SELECT count(*) FROM rollup_users u WHERE u.hour = excluded.hour "
            "AND u.domain_id = excluded.domain_id)",
            [(h, d, int(c[0]), int(c[1]), int(c[2]), c[3], len(c[4])) for (h, d), c in cells.items()],
        )
        self._daily(cells, spans)

    def _daily(self, cells: dict[tuple[int, int], list[Any]], spans: Counter[tuple[int, int, int]]) -> None:
        """Fold hourly cells into the day-level tables the overview reads."""
        daily: dict[tuple[int, int], list[float]] = {}
        hours: dict[int, list[float]] = {}
        users: set[tuple[int, int, int]] = set()
        category_users: set[tuple[int, str, int]] = set()
        for (hour, did), (requests, size, visits, seconds, people) in cells.items():
            day = self.day_of(hour)
            for table, key in ((daily, (day, did)), (hours, hour)):
                cell = table.setdefault(key, [0, 0, 0, 0.0])  # type: ignore[attr-defined]
                cell[0] += requests
                cell[1] += size
                cell[2] += visits
                cell[3] += seconds
            category = self.domain_category.get(did, "")
            for pid in people:
                users.add((did, day, pid))
                category_users.add((day, category, pid))
        self.conn.executemany(
            "INSERT INTO rollup_daily (day, domain_id, requests, bytes, visits, seconds) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (day, domain_id) DO UPDATE SET requests = requests + excluded.requests, "
            "bytes = bytes + excluded.bytes, visits = visits + excluded.visits, seconds = seconds + excluded.seconds",
            [(day, did, int(c[0]), int(c[1]), int(c[2]), c[3]) for (day, did), c in daily.items()])
        self.conn.executemany(
            "INSERT INTO rollup_hours (hour, requests, bytes, visits, seconds) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (hour) DO UPDATE SET requests = requests + excluded.requests, "
            "bytes = bytes + excluded.bytes, visits = visits + excluded.visits, seconds = seconds + excluded.seconds",
            [(hour, int(c[0]), int(c[1]), int(c[2]), c[3]) for hour, c in hours.items()])
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_daily_users (domain_id, day, pseudonym_id) VALUES (?, ?, ?)", users)
        self.conn.executemany(
            "INSERT OR IGNORE INTO rollup_category_users (day, category, pseudonym_id) VALUES (?, ?, ?)",
            category_users)
        self.conn.executemany(
            "INSERT INTO rollup_durations (domain_id, day, bucket, visits) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (domain_id, day, bucket) DO UPDATE SET visits = visits + excluded.visits",
            [(did, day, bucket, n) for (day, did, bucket), n in spans.items()])


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
        "SELECT id, size, lines, first_line FROM imports WHERE path = ? ORDER BY size DESC", [resolved])
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
        import_id = int(book.store.conn.execute(
            "INSERT INTO imports (path, content_hash, size, first_line, prefix_of, format, lines, imported, rejected,"
            " imported_by, imported_at, seconds) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, 0)",
            (resolved, print_.content_hash, print_.size, first_line, continues, fmt, session.user.name,
             clocks.to_text(book.clock.now()))).lastrowid or 0)
        run = _Run(session, import_id, keep_urls, gap, mail_domains)
        consumed = _read(run, path, REGISTRY[fmt], Context(now, default_host), offset, first_line, print_.size,
                         result, progress, cancelled)
        run.finish()
        result.import_id = import_id
        # A cut-off last line was left unread: what was read is a prefix, hashed as such for the next import.
        read_hash = print_.content_hash if consumed == print_.size else reader.fingerprint(path, {consumed}).prefixes[
            consumed]
        result.seconds = time.perf_counter() - started
        book.store.conn.execute(
            "UPDATE imports SET size = ?, content_hash = ?, lines = ?, imported = ?, rejected = ?, first_ts = ?,"
            " last_ts = ?, seconds = ? WHERE id = ?",
            (consumed, read_hash, result.lines, result.imported, result.rejected, result.first_ts, result.last_ts,
             result.seconds, import_id))
        session.audit("logs.imported", shown, {"format": fmt, "lines": result.lines, "imported": result.imported,
                                                "rejected": result.rejected, "continues": continues})
    return result


def _read(run: _Run, path: Path, form: Format, context: Context, offset: int, first_line: int, total: int,
          result: ImportResult, progress: Callable[[Progress], None] | None,
          cancelled: Callable[[], bool] | None) -> int:
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
                    conn.execute("INSERT INTO rejects (import_id, line_no, reason, sample) VALUES (?, ?, ?, ?)",
                                 (run.import_id, number, reason, sanitise(raw, *parser.identity_fields)))
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
