"""What every parser hands the importer: one request (web) or one delivery (mail), or a rejection."""

from __future__ import annotations

from typing import NamedTuple

# Where a format's lines keep the user and the client: (separator, field positions). A rejected line
# cannot be parsed, so its sample is masked by position (and by shape: casebook.logs.redact).
IdentityFields = tuple[str, tuple[int, ...]]


# Beyond these a value is not a measurement but a fault (a counter wrapped, a field misread): such a line is
# rejected, never taken as truth. 2**40 bytes (1 TiB) is more than any one request moves; at that bound
# eight million lines of one hour and site still add up within SQLite's 64-bit integers (and two never
# overflow, as a bound of 2**53 let 1,024 of them do).
MAX_BYTES = 2**40
MAX_ELAPSED_MS = 24 * 3600 * 1000


class Reject(Exception):
    """A line that is not a valid entry of its format; `reason` is a catalogue key under `logs.reject.`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Hit(NamedTuple):
    """One request through the proxy or web server."""

    ts: float  # epoch seconds, end of the request (as Squid logs it)
    elapsed_ms: int
    identity: str  # the user name when the log has one, else the client address, as logged
    identity_kind: str  # "user" or "ip"
    method: str
    target: str  # absolute URL, or host:port for CONNECT
    status: int
    bytes: int  # what the client received (the reply)
    denied: bool
    sent: int | None = None  # what the client sent (the request), when the log says; None when it does not


def impossible(*values: int) -> bool:
    """Whether a count of bytes is negative or beyond MAX_BYTES."""
    return any(not 0 <= value <= MAX_BYTES for value in values)


class Sealed(NamedTuple):
    """A mail sender known only by its pseudonym: a message queued in an earlier import of the same log,
    whose address the casebook never keeps in clear."""

    token: str  # the pseudonym's token
    inside: bool  # whether the address was in one of the organisation's mail domains


class Mail(NamedTuple):
    """One message to one recipient (Postfix: the qmgr from= line joined with a to= line)."""

    ts: float
    sender: str | Sealed  # normalised mail address ("" for the null sender of bounces), or sealed
    recipient: str
    size: int
    status: str  # sent, bounced, deferred, ...
