"""Visits a log platform aggregated (ClickHouse, OpenSearch, Splunk): one CSV row per visit, with a header.

An organisation whose proxy logs outgrow one machine lets its platform merge
requests into visits (the README gives the query) and imports only those:
the casebook then keeps visits, never a request. Columns, by name in the
header (case-insensitive, in any order): `user` and/or `client` (as the
per-request CSV: the user when the row has one, else the client address),
`host`, `start`, `end` (epoch seconds or ISO 8601; without a zone, UTC),
`requests`, `bytes_down`, and optionally `bytes_up` and `denied`.

A row is checked as a request line is, and more: the end not before the
start nor in the future, the visit no longer than MAX_VISIT_SECONDS, at
least one request and no more than MAX_VISIT_REQUESTS, bytes within the
bound of one request line (`hits.MAX_BYTES`), no more refusals than
requests. `bytes_up` and `denied` are checked but not kept: the rules that
measure them (uploads, refusals) judge requests, and a visit names none.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from casebook.logs import csvlog
from casebook.logs.hits import FUTURE_TOLERANCE, IdentityFields, Reject, impossible

NAME = "visits"
COLUMNS = {
    "user": ("user", "username", "user_name", "login"),
    "client": ("client", "client_ip", "src_ip", "source_ip", "ip"),
    "host": ("host", "hostname", "domain", "dst_host"),
    "start": ("start", "start_time", "first_seen"),
    "end": ("end", "end_time", "last_seen"),
    "requests": ("requests", "request_count", "hits"),
    "bytes_down": ("bytes_down", "bytes", "bytes_received", "bytes_in"),
    "bytes_up": ("bytes_up", "bytes_sent", "bytes_out"),
    "denied": ("denied", "refused", "blocked"),
}
REQUIRED = ("host", "start", "end", "requests", "bytes_down")
# A visit longer than a week is a fault of the aggregation (a session never closed), not a consultation.
MAX_VISIT_SECONDS = 7 * 24 * 3600
# More requests than this in one visit is a counter gone wrong: no person's consultation of one site.
MAX_VISIT_REQUESTS = 10_000_000


class Span(NamedTuple):
    """One visit as the platform aggregated it."""

    ts: float  # its start: the import's sweep and its first and last times go by it
    end: float
    identity: str  # the user name when the row has one, else the client address, as exported
    identity_kind: str  # "user" or "ip"
    host: str
    requests: int
    bytes: int  # what the client received in the visit (bytes_down)


def looks_like(line: str) -> bool:
    """A header naming at least a start, an end and a requests column (a per-request CSV has none of those)."""
    try:
        names = {name.strip().lower() for name in csvlog.fields(line)}
    except Reject:
        return False
    return all(names & set(COLUMNS[key]) for key in ("start", "end", "requests"))


def _count(text: str) -> int:
    try:
        value = float(text) if text else 0.0
    except ValueError:
        raise Reject("number") from None
    if not math.isfinite(value) or value != int(value):
        raise Reject("number")
    return int(value)


class Parser:
    """The first line it is handed is the header, naming the columns; every later one is a visit."""

    def __init__(self, reference: float, header: str | None = None) -> None:
        self.latest = reference + FUTURE_TOLERANCE
        self.index: dict[str, int] = {}
        self.width = 0
        self.identity_fields: IdentityFields = (",", ())
        if header is not None:
            self._header(header)

    def _header(self, line: str) -> None:
        index, width = csvlog.columns(line, COLUMNS)
        if any(key not in index for key in REQUIRED) or not ({"user", "client"} & set(index)):
            raise Reject("visits_header")
        self.index, self.width = index, width
        self.identity_fields = (",", tuple(index[key] for key in ("user", "client") if key in index))

    def _get(self, row: list[str], key: str) -> str:
        position = self.index.get(key)
        return row[position].strip() if position is not None else ""

    def parse(self, line: str) -> Span | None:
        """A row's visit; None for the header."""
        if not self.index:
            self._header(line)
            return None
        row = csvlog.fields(line)
        if len(row) != self.width:
            raise Reject("field_count")
        start, end = csvlog.moment(self._get(row, "start")), csvlog.moment(self._get(row, "end"))
        if end < start:
            raise Reject("visit_order")
        if end - start > MAX_VISIT_SECONDS:
            raise Reject("visit_too_long")
        if end > self.latest:
            raise Reject("future")
        user, client = self._get(row, "user"), self._get(row, "client")
        if user and user != "-":
            identity, kind = user, "user"
        elif client and client != "-":
            identity, kind = client, "ip"
        else:
            raise Reject("no_identity")
        host = self._get(row, "host")
        if not host or host == "-":
            raise Reject("no_host")
        requests, down = _count(self._get(row, "requests")), _count(self._get(row, "bytes_down"))
        up, denied = _count(self._get(row, "bytes_up")), _count(self._get(row, "denied"))
        if not 1 <= requests <= MAX_VISIT_REQUESTS or not 0 <= denied <= requests or impossible(down, up):
            raise Reject("visit_counts")
        # Read as a per-request CSV's host column is: a bare host, a "host:port", or a URL.
        target = host if "://" in host or ":" in host else f"http://{host}/"
        return Span(start, end, identity, kind, target, requests, down)
