"""Postfix mail logs (syslog): one event per recipient.

The qmgr line gives the sender and size of a queued message, a later
smtp/local/lmtp/virtual line each recipient and the outcome; they are joined
by queue id. Subject and content are never in these lines, and never read.

    Nov 12 09:15:02 mail postfix/qmgr[1234]: 4A3B21234: from=<jan@dewerf.be>, size=12345, nrcpt=2 (queue active)
    Nov 12 09:15:03 mail postfix/smtp[2345]: 4A3B21234: to=<x@gmail.com>, relay=..., status=sent (250 ok)

Classic syslog stamps carry no year: it is taken from the import's reference
date, a stamp that would lie in the future belonging to the year before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from casebook.clock import LOCAL_ZONE
from casebook.identity import normalise_mail
from casebook.logs.hits import IdentityFields, Mail, Reject, Sealed, impossible

NAME = "postfix"
_SYSLOG = re.compile(
    r"^(?:(\w{3}\s+\d{1,2} \d{2}:\d{2}:\d{2})|(\d{4}-\d{2}-\d{2}T\S+)) \S+ postfix(?:/[\w-]+)*/(\w+)\[\d+\]: (.*)$"
)
_QUEUED = re.compile(r"^([0-9A-Za-z]+): (.*)$")
_FROM = re.compile(r"from=<([^>]*)>, size=(\d+)")
_TO = re.compile(r"to=<([^>]*)>.*?status=(\w+)")
_MONTHS = {
    m: i
    for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)
}
# A queue id whose from= line never came is forgotten after this many lines.
PENDING_LIMIT = 100_000


def looks_like(line: str) -> bool:
    return _SYSLOG.match(line) is not None


class Parser:
    """Stateful: a to= line needs the from= line of its queue id, seen before."""

    # No field of its own holds a person: the addresses, in angle brackets, are masked by their shape.
    identity_fields: IdentityFields = (" ", ())

    def __init__(self, reference: datetime) -> None:
        self.reference = reference.astimezone(LOCAL_ZONE)
        # Queue id -> (sender, size) of the messages whose deliveries are still to come, oldest first.
        self.queued: dict[str, tuple[str | Sealed, int]] = {}

    def carry(self, seal: Callable[[str], Sealed]) -> list[list[object]]:
        """The messages still awaiting their deliveries, for the next import of this log (the casebook keeps
        them): each sender sealed, since no address is ever stored in clear."""
        out: list[list[object]] = []
        for queue_id, (sender, size) in self.queued.items():
            sealed = sender if isinstance(sender, Sealed) or not sender else seal(sender)
            out.append([queue_id, list(sealed) if sealed else "", size])
        return out

    def resume(self, carried: list[list[object]]) -> None:
        """Take over what the import before this one left awaiting (see `carry`), oldest first."""
        for queue_id, sender, size in carried:
            self.queued[str(queue_id)] = (Sealed(str(sender[0]), bool(sender[1])) if sender else "", int(size))

    def _stamp(self, classic: str | None, iso: str | None) -> float:
        try:
            if iso:
                moment = datetime.fromisoformat(iso)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=LOCAL_ZONE)
                return moment.timestamp()
            month, day, clock = (classic or "").split()
            hh, mm, ss = (int(x) for x in clock.split(":"))
            moment = datetime(self.reference.year, _MONTHS[month], int(day), hh, mm, ss, tzinfo=LOCAL_ZONE)
        except (ValueError, KeyError):
            raise Reject("timestamp") from None
        if moment > self.reference.replace(tzinfo=LOCAL_ZONE) and moment.month > self.reference.month:
            moment = moment.replace(year=moment.year - 1)  # December lines read in January
        return moment.astimezone(UTC).timestamp()

    def parse(self, line: str) -> Mail | None:
        """A Mail for a delivery line, None for a line that only feeds the state; Reject otherwise."""
        match = _SYSLOG.match(line)
        if match is None:
            raise Reject("syntax")
        classic, iso, daemon, message = match.groups()
        queued = _QUEUED.match(message)
        if queued is None:
            return None  # connect/disconnect and other daemon chatter: nothing about a message
        queue_id, rest = queued.groups()
        if daemon == "qmgr":
            sender = _FROM.search(rest)
            if sender is not None:
                size = int(sender.group(2))
                if impossible(size):
                    raise Reject("impossible")
                if len(self.queued) >= PENDING_LIMIT:
                    self.queued.pop(next(iter(self.queued)))
                self.queued[queue_id] = (self._mail(sender.group(1)), size)
            elif "removed" in rest:
                self.queued.pop(queue_id, None)
            return None
        delivery = _TO.search(rest)
        if delivery is None:
            return None
        if queue_id not in self.queued:
            raise Reject("unknown_queue_id")
        sender, size = self.queued[queue_id]
        return Mail(self._stamp(classic, iso), sender, self._mail(delivery.group(1)), size, delivery.group(2))

    @staticmethod
    def _mail(address: str) -> str:
        if not address:
            return ""  # the null sender of bounces
        try:
            return normalise_mail(address)
        except ValueError:
            raise Reject("bad_address") from None
