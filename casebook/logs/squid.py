"""Squid's native access.log, exactly as Squid writes it by default:

time.ms elapsed client code/status bytes method URL user hierarchy/peer type
1700000000.123    456 10.0.0.5 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html
"""

from __future__ import annotations

import math

from casebook.logs.hits import Hit, IdentityFields, Reject

NAME = "squid"


def looks_like(line: str) -> bool:
    fields = line.split()
    if len(fields) not in (9, 10) or "/" not in fields[3]:
        return False
    try:
        float(fields[0])
        int(fields[1])
    except ValueError:
        return False
    return True


class Parser:
    """Stateless: each line stands alone."""

    identity_fields: IdentityFields = (" ", (2, 7))  # client, user

    def parse(self, line: str) -> Hit:
        fields = line.split()
        if len(fields) not in (9, 10):
            raise Reject("field_count")
        stamp, elapsed, client, code_status, size, method, target, user = fields[:8]
        try:
            ts = float(stamp)
            elapsed_ms = int(elapsed)
            byte_count = int(size)
            code, _, status_text = code_status.partition("/")
            status = int(status_text)
        except ValueError:
            raise Reject("number") from None
        if not math.isfinite(ts) or ts <= 0 or elapsed_ms < 0 or byte_count < 0:
            raise Reject("number")
        # The identity stays raw here: the importer normalises each distinct one once.
        if user != "-":
            identity, kind = user, "user"
        else:
            identity, kind = client, "ip"
        return Hit(
            ts,
            elapsed_ms,
            identity,
            kind,
            method.upper(),
            target,
            status,
            byte_count,
            code.endswith("DENIED") or status in (403, 407),
        )
