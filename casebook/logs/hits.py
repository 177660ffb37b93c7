"""What every parser hands the importer: one request (web) or one delivery (mail), or a rejection."""

from __future__ import annotations

from typing import NamedTuple

# Where a format's lines keep the user and the client: (separator, field positions). A rejected line
# cannot be parsed, so its sample is masked by position (and by shape: casebook.logs.redact).
IdentityFields = tuple[str, tuple[int, ...]]


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
    bytes: int
    denied: bool


class Mail(NamedTuple):
    """One message to one recipient (Postfix: the qmgr from= line joined with a to= line)."""

    ts: float
    sender: str  # normalised mail address ("" for the null sender of bounces)
    recipient: str
    size: int
    status: str  # sent, bounced, deferred, ...
