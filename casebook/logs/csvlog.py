"""CSV exports of firewalls and proxies, with a header line, mapped by column names.

Known names (case-insensitive): timestamp/time/date/datetime, user/username,
client/src/source/src_ip/ip, url, host/domain/dst_host/hostname, bytes/size
(what the client received), bytes_sent/bytes_out (what it sent: the request
sizes the upload rule needs), method, status/code/action, content_type/mime/mime_type
(whether the answer was a page the person opened). A timestamp is epoch
seconds or ISO 8601.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime

from casebook.logs.hits import Hit, IdentityFields, Reject, impossible, page_of

NAME = "csv"
COLUMNS = {
    "timestamp": ("timestamp", "time", "date", "datetime", "ts"),
    "user": ("user", "username", "user_name", "login"),
    "client": ("client", "src", "source", "src_ip", "source_ip", "ip", "client_ip"),
    "url": ("url", "uri", "request_url"),
    "host": ("host", "domain", "dst_host", "hostname", "dest_host", "destination"),
    # What the client received; firewalls that count both ways call it bytes_in, bytes_received, rcvdbyte.
    "bytes": ("bytes", "size", "bytes_total", "bytes_received", "received_bytes", "bytes_in", "rcvdbyte"),
    # What the client sent (the request): the upload rule's measure.
    "sent": ("bytes_sent", "bytes_out", "sent_bytes", "sentbyte", "request_bytes", "bytes_up"),
    "method": ("method", "http_method"),
    "status": ("status", "code", "http_status", "action"),
    # What kind of answer it was: a page the person opened (text/html), or what a page brought along.
    "type": ("content_type", "mime", "mime_type", "contenttype"),
}


def fields(line: str) -> list[str]:
    """A CSV line's fields; Reject when it is not one."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:  # a stray quote, carriage return or NUL
        raise Reject("syntax") from None


def moment(stamp: str) -> float:
    """A time as epoch seconds: epoch seconds as written, or ISO 8601 (UTC when it names no zone)."""
    try:
        ts = float(stamp)
    except ValueError:
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            raise Reject("timestamp") from None
        ts = (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    if not math.isfinite(ts) or ts <= 0:  # "nan", "inf" and the like read as numbers
        raise Reject("timestamp")
    return ts


def columns(header: str, known: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], int]:
    """(the position of each known column the header names, by the first of its names found; how many
    columns it has). Names are compared without case and surrounding spaces."""
    names = [name.strip().lower() for name in fields(header)]
    index: dict[str, int] = {}
    for key, aliases in known.items():
        for position, name in enumerate(names):
            if name in aliases:
                index[key] = position
                break
    return index, len(names)


def looks_like(line: str) -> bool:
    try:
        names = {name.strip().lower() for name in fields(line)}
    except Reject:
        return False
    return bool(names & set(COLUMNS["timestamp"])) and bool(names & (set(COLUMNS["url"]) | set(COLUMNS["host"])))


class Parser:
    """The first line it is handed is the header, naming the columns; every later one is a row."""

    def __init__(self, header: str | None = None) -> None:
        self.index: dict[str, int] = {}  # empty until a header is read
        self.width = 0
        # Which columns hold the user and the client is known from the header only.
        self.identity_fields: IdentityFields = (",", ())
        if header is not None:
            self._header(header)

    def _header(self, line: str) -> None:
        index, self.width = columns(line, COLUMNS)
        if "timestamp" not in index or not ({"url", "host"} & set(index)):
            raise Reject("csv_header")
        if not ({"user", "client"} & set(index)):
            raise Reject("csv_header")
        self.index = index
        self.identity_fields = (",", tuple(index[key] for key in ("user", "client") if key in index))

    def _get(self, row: list[str], key: str) -> str:
        position = self.index.get(key)
        return row[position].strip() if position is not None and position < len(row) else ""

    def parse(self, line: str) -> Hit | None:
        """A row's request; None for the header, which says what the rows hold."""
        if not self.index:
            self._header(line)
            return None
        row = fields(line)
        if len(row) != self.width:
            raise Reject("field_count")
        ts = moment(self._get(row, "timestamp"))
        user, client = self._get(row, "user"), self._get(row, "client")
        if user and user != "-":
            identity, kind = user, "user"
        elif client:
            identity, kind = client, "ip"
        else:
            raise Reject("no_identity")
        target = self._get(row, "url") or self._get(row, "host")
        if not target:
            raise Reject("no_host")
        if "://" not in target and ":" not in target:
            target = f"http://{target}/"
        size, sent_text, status_text = self._get(row, "bytes") or "0", self._get(row, "sent"), self._get(row, "status")
        try:
            byte_count = int(float(size))
            # A file with the column says what each request sent; an empty cell in it says nothing.
            sent = int(float(sent_text)) if sent_text else None
            status = int(status_text) if status_text.isdigit() else 0
        except (ValueError, OverflowError):  # not a number, or infinite
            raise Reject("number") from None
        if impossible(byte_count) or (sent is not None and impossible(sent)):
            raise Reject("impossible")
        denied = status in (403, 407) or status_text.lower() in ("deny", "denied", "block", "blocked", "drop")
        method = (self._get(row, "method") or "GET").upper()
        page = None if denied else page_of(self._get(row, "type"))
        return Hit(ts, 0, identity, kind, method, target, status, byte_count, denied, sent, page)
