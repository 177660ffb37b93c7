"""Squid's access.log: its native format, exactly as Squid writes it by default, and the same with the
request size added as an eleventh field (a custom `logformat` ending in `%>st`, see the README):

time.ms elapsed client code/status bytes method URL user hierarchy/peer type [request-bytes]
1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html

`bytes` is what Squid delivered to the client (the reply); only `%>st` says
what the client sent, which the upload rule needs.
"""

from __future__ import annotations

from math import isfinite
from typing import Any

from casebook.logs.hits import MAX_BYTES, MAX_ELAPSED_MS, Hit, IdentityFields, Reject, page_of

NAME = "squid"
# Native lines have 10 fields (9 when Squid cut a long record short before its type); with %>st, 11.
FIELD_COUNTS = (9, 10, 11)
MISSING: Any = object()
# A Hit made straight from its fields' tuple: the NamedTuple's own constructor adds a Python call per line.
_new_hit = tuple.__new__


def looks_like(line: str) -> bool:
    fields = line.split()
    if len(fields) not in FIELD_COUNTS or "/" not in fields[3]:
        return False
    try:
        float(fields[0])
        int(fields[1])
    except ValueError:
        return False
    return True


class Parser:
    """Each line stands alone; only what a content type says is remembered (a log has few of them)."""

    identity_fields: IdentityFields = (" ", (2, 7))  # client, user

    def __init__(self) -> None:
        self.pages: dict[str, bool | None] = {}

    def parse(self, line: str) -> Hit:
        """One line as a Hit. The importer takes Squid's lines by the same steps in one function of its own
        (`importer._Run.squid_lines`, for speed): a change here goes there too; a test holds the two equal."""
        fields = line.split()
        count = len(fields)
        if count not in FIELD_COUNTS:
            raise Reject("field_count")
        stamp, elapsed, client, code_status, size, method, target, user = fields[:8]
        try:
            ts = float(stamp)
            elapsed_ms = int(elapsed)
            byte_count = int(size)
            code, _, status_text = code_status.partition("/")
            status = int(status_text)
            sent = None
            if count == 11:
                sent = int(fields[10])
                if not 0 <= sent <= MAX_BYTES:
                    raise Reject("impossible")
        except ValueError:
            raise Reject("number") from None
        if not isfinite(ts) or ts <= 0:
            raise Reject("number")
        if not (0 <= elapsed_ms <= MAX_ELAPSED_MS and 0 <= byte_count <= MAX_BYTES):
            raise Reject("impossible")
        # The identity stays raw here: the importer normalises each distinct one once.
        if user != "-":
            identity, kind = user, "user"
        else:
            identity, kind = client, "ip"
        denied = code.endswith("DENIED") or status in (403, 407)
        # A refusal's type is that of Squid's own error page, which says nothing of what was asked.
        page = None
        if count >= 10 and not denied:
            content_type = fields[9]
            pages = self.pages
            page = pages.get(content_type, MISSING)
            if page is MISSING:
                page = page_of(content_type)
                if len(pages) < 1000:
                    pages[content_type] = page
        return _new_hit(  # type: ignore[no-any-return]
            Hit, (ts, elapsed_ms, identity, kind, method.upper(), target, status, byte_count, denied, sent, page)
        )
