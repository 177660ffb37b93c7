"""Common and Combined log formats (Apache, nginx, and Squid's `combined` logformat):

    client ident user [10/Oct/2026:13:55:36 +0200] "GET http://example.com/ HTTP/1.1" 200 2326 "referer" "agent"

A web server writes the path only ("GET /index.html"): its host is then the
one given at import (`--host`), since the line does not say it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from casebook.logs.hits import MAX_BYTES, Hit, IdentityFields, Reject

NAME = "clf"
_LINE = re.compile(
    r'^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-)(?: "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*")?'
    r"(?: \S+)?\s*$"
)
_MONTHS = {
    m: i
    for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)
}


def looks_like(line: str) -> bool:
    return _LINE.match(line) is not None


@lru_cache(maxsize=4096)
def _stamp(text: str) -> float:
    """'10/Oct/2026:13:55:36 +0200' -> epoch seconds (lines of one second share the work)."""
    try:
        day, month, rest = text.split("/", 2)
        year, hh, mm, ss_zone = rest.split(":", 3)
        ss, zone = ss_zone.split(" ")
        sign = -1 if zone[0] == "-" else 1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * sign
        moment = datetime(int(year), _MONTHS[month], int(day), int(hh), int(mm), int(ss), tzinfo=timezone(offset))
    except (ValueError, KeyError, IndexError):
        raise Reject("timestamp") from None
    return moment.timestamp()


class Parser:
    """`default_host` is the site a path-only request went to (a web server's own log)."""

    identity_fields: IdentityFields = (" ", (0, 2))  # client, user

    def __init__(self, default_host: str | None = None) -> None:
        self.default_host = default_host

    def parse(self, line: str) -> Hit:
        match = _LINE.match(line)
        if match is None:
            raise Reject("syntax")
        client, _ident, user, stamp, request, status, size = match.groups()
        parts = request.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            raise Reject("request")
        method, target = parts[0].upper(), parts[1]
        if target.startswith("/"):
            if self.default_host is None:
                raise Reject("no_host")
            target = f"http://{self.default_host}{target}"
        if user != "-":
            identity, kind = user, "user"
        else:
            identity, kind = client, "ip"
        code = int(status)
        byte_count = 0 if size == "-" else int(size)
        if byte_count > MAX_BYTES:
            raise Reject("impossible")
        return Hit(_stamp(stamp), 0, identity, kind, method, target, code, byte_count, code in (403, 407))
