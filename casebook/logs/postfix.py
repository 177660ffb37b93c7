"""Postfix mail logs (syslog, or Postfix's own maillog_file): the lines about messages, for the ledger.

What a message's lines say, whichever daemon wrote them:

    Nov 12 09:15:02 mail postfix/qmgr[1234]: 4A3B21234: from=<jan@dewerf.be>, size=12345, nrcpt=2 (queue active)
    Nov 12 09:15:03 mail postfix/smtp[2345]: 4A3B21234: to=<x@gmail.com>, relay=..., status=sent (250 ok)
    Nov 12 09:15:03 mail postfix/qmgr[1234]: 4A3B21234: removed

The queue manager's `from=` gives the sender and size; every delivery agent
(smtp, lmtp, local, virtual, pipe, error, retry, discard, and the queue manager
itself) writes `to=<...>, [orig_to=<...>,] relay=..., status=...` per
recipient; `from=..., status=expired` returns the rest to the sender; the
bounce daemon names the notice it queued. `casebook.logs.mailflow` turns them
into one row per message and recipient. Subjects and contents are never in
these lines, and never read.

Any program tag `postfix*/...` is Postfix's (`postfix/submission/smtpd`,
`postfix-out/qmgr` of a second instance, `postfix/trivial-rewrite`); a line of
another program in the same file (dovecot, amavis, opendkim, postgrey in a
Debian mail.log) is no event: it is skipped and counted, not rejected.

Stamps: classic syslog (`Nov 28 11:10:02`, with microseconds from journald's
short-precise or maillog_file), ISO 8601 / RFC 3339 (rsyslog's file format,
journald's short-iso), and RFC 5424 (`<22>1 2026-11-28T10:15:00+01:00 host
postfix/qmgr 5003 - - ...`). A stamp without a zone is read in the log's time
zone (`syslog_time_zone`, Brussels unless set); one without a year lies in the
year up to the import, so `Dec 15` imported on 1 December is last December's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from casebook.clock import LOCAL_ZONE
from casebook.identity import normalise_log_mail
from casebook.logs import mailflow
from casebook.logs.hits import FUTURE_TOLERANCE, IdentityFields, Reject, Sealed, impossible

NAME = "postfix"
_CLASSIC = r"(?P<classic>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d(?:\.\d{1,9})?)"
_ISO = r"(?P<iso>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d(?::?\d\d)?)?)"
_SYSLOG = re.compile(rf"^(?:{_CLASSIC}|{_ISO}) (?P<host>\S+) (?P<tag>[^\s\[\]:]+)(?:\[\d*\])?: ?(?P<msg>.*)$")
_RFC5424 = re.compile(
    r"^(?:<\d{1,3}>)?1 (?P<iso>\S+) (?P<host>\S+) (?P<tag>\S+) \S+ \S+"
    r' (?:-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?: \ufeff?(?P<msg>.*))?$'
)
# A queue id, short (hexadecimal) or long (enable_long_queue_ids). "warning:" or "statistics:" match too, and
# are harmless: what follows them is never a message's line.
_ID = r"[0-9A-Za-z]+"
_QUEUED = re.compile(rf"^({_ID}): (.*)$")
_QUEUED_MATCH = _QUEUED.match
_ADDRESS = r'(?:"(?:[^"\\]|\\.)*"|[^<>"])*'
_FROM = re.compile(rf"^from=<({_ADDRESS})>, (?:size=(\d+)|status=expired)")
_TO = re.compile(
    rf"^to=<(?P<to>{_ADDRESS})>,(?: orig_to=<(?P<orig>{_ADDRESS})>,)? relay=(?P<relay>[^,]*),.*?"
    r" status=(?P<status>[\w-]+)(?: \((?P<detail>.*)\))?$"
)
_NOTICE = re.compile(rf"notification: ({_ID})$")
_QUEUED_AS = re.compile(rf"queued as ({_ID})\)?$")
_FORWARDED = re.compile(rf"^forwarded as ({_ID})$")
_BRACKETS = re.compile(r"\[([^\]]*)\]")
_SYSLOG_MATCH = _SYSLOG.match
_MONTHS = {
    m: i
    for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)
}
# A classic stamp further ahead of the import than this belongs to the year before (a clock a little ahead does not).
_AHEAD = timedelta(days=1)


class Line(NamedTuple):
    """A syslog line, split: its stamp (one of the two), host, program tag and message."""

    classic: str | None
    iso: str | None
    host: str
    tag: str
    message: str


def split(line: str) -> Line | None:
    match = _SYSLOG.match(line)
    if match is not None:
        return Line(*match.group("classic", "iso", "host", "tag", "msg"))
    match = _RFC5424.match(line)
    if match is not None:
        return Line(None, match["iso"], match["host"], match["tag"], (match["msg"] or "").lstrip())
    return None


def looks_like(line: str) -> bool:
    parts = split(line)
    return parts is not None and parts.tag.startswith("postfix")


def foreign(line: str) -> bool:
    """A syslog line of another program (dovecot, amavis ... in a mail.log): neither for nor against Postfix."""
    parts = split(line)
    return parts is not None and not parts.tag.startswith("postfix")


class Delivery(NamedTuple):
    """What `parse` gives for a line about a recipient's delivery: counted as an event of the import."""

    ts: float


def _local(relay: str) -> bool:
    """Whether a relay is this server itself: loopback, or a socket of its own (a filter, another instance)."""
    if relay.startswith("localhost["):
        return True
    found = _BRACKETS.search(relay)
    if found is None:
        return False
    address = found.group(1).removeprefix("ipv6:").removeprefix("IPv6:")
    return address.startswith(("127.", "private/", "public/")) or address == "::1"


class Parser:
    """Stateful: the ledger of messages whose deliveries are still to come (`mailflow.Ledger`)."""

    # No field of its own holds a person: the addresses, in angle brackets, are masked by their shape.
    identity_fields: IdentityFields = (" ", ())

    def __init__(
        self,
        reference: datetime,
        seal: Callable[[str], Sealed] | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        self.zone = zone or LOCAL_ZONE
        self.reference = reference.astimezone(self.zone)
        # Checked here, before the ledger hears of a line: a line refused must change no message.
        self.latest = reference.timestamp() + FUTURE_TOLERANCE
        # Without the importer's seal (tests of the parser alone) an address stands for itself.
        self.seal = seal or (lambda address: Sealed(address, False))
        self.ledger = mailflow.Ledger()
        self.other_programs = 0  # lines of other programs in the same file: skipped, not rejected
        self._sealed: dict[str, Sealed] = {}
        self._stamps: dict[str, float] = {}

    # -- the ledger's state across imports of one log ---------------------------------------------

    @property
    def settled(self) -> list[mailflow.MailRow]:
        return self.ledger.settled

    def carry(self) -> dict[str, Any]:
        return self.ledger.carry()

    def resume(self, state: dict[str, Any], rows: dict[int, tuple[float, Sealed, str, bool]]) -> None:
        self.ledger.resume(state, rows)

    def resume_queued(self, queued: list[list[Any]]) -> None:
        self.ledger.resume_queued(queued)

    # -- reading ----------------------------------------------------------------------------------

    def parse(self, line: str) -> Delivery | None:
        """A Delivery for a line about a recipient, None for a line that only feeds the ledger or is another
        program's; Reject for a line that is no syslog line, or names a queue id never seen."""
        match = _SYSLOG_MATCH(line)
        if match is not None:
            classic, iso, _, tag, message = match.groups()
        else:
            parts = split(line)
            if parts is None:
                raise Reject("syntax")
            classic, iso, _, tag, message = parts
        if not tag.startswith("postfix"):
            self.other_programs += 1
            return None
        queued = _QUEUED_MATCH(message)
        if queued is None:
            return None  # connect/disconnect, warnings, statistics: nothing about a message
        key, rest = queued.groups()
        if rest.startswith("to=<"):
            return self._delivery(key, rest, classic, iso, tag)
        if rest.startswith("from=<"):
            sender = _FROM.match(rest)
            if sender is None:
                return None
            ts = self._stamp(classic, iso)
            if sender.group(2) is None:
                self.ledger.expired(key, ts)
                return None
            size = int(sender.group(2))
            if impossible(size):
                raise Reject("impossible")
            raw = sender.group(1)
            address = self._address(raw) if raw else None
            kind = mailflow.NOTICE if raw == "" or raw.lower().startswith("double-bounce@") else mailflow.MESSAGE
            self.ledger.queued(key, ts, address, size, kind)
            return None
        if rest == "removed":
            self.ledger.removed(key, self._stamp(classic, iso))
            return None
        notice = _NOTICE.search(rest)
        if notice is not None:
            self.ledger.notice(notice.group(1))
        return None

    def _delivery(self, key: str, rest: str, classic: str | None, iso: str | None, tag: str) -> Delivery:
        found = _TO.match(rest)
        if found is None:
            raise Reject("syntax")
        ts = self._stamp(classic, iso)
        to, orig, relay, status, detail = found.groups()
        recipient = self._address(to)
        original = self._address(orig) if orig else None
        status = status.lower()
        hop = None
        if status == "softbounce":  # soft_bounce=yes: a bounce held back as a deferral
            status = "deferred"
        elif status == "sent" and detail:
            if relay == "none" or tag.endswith("/discard"):
                status = "discarded"  # the discard transport (and the double-bounce address) drop it
            elif detail.startswith("forwarded as "):
                if (forwarded := _FORWARDED.match(detail)) is not None:
                    hop = (forwarded.group(1), True)
            elif "queued as " in detail and _local(relay) and (again := _QUEUED_AS.search(detail)) is not None:
                hop = (again.group(1), False)
        elif status == "sent" and (relay == "none" or tag.endswith("/discard")):
            status = "discarded"
        self.ledger.outcome(key, ts, recipient, original, status, hop)
        return Delivery(ts)

    def _address(self, raw: str) -> Sealed:
        sealed = self._sealed.get(raw)
        if sealed is None:
            try:
                address = normalise_log_mail(raw)
            except ValueError:
                raise Reject("bad_address") from None
            sealed = self.seal(address)
            if len(self._sealed) < 100_000:
                self._sealed[raw] = sealed
        return sealed

    def _stamp(self, classic: str | None, iso: str | None) -> float:
        if classic is not None:
            # By the minute: a busy log has a new second on most lines, a new minute on few.
            minute = classic[:12]
            base = self._stamps.get(minute)
            if base is None:
                base = self._classic(minute + ":00")
                if len(self._stamps) > 4096:
                    self._stamps.clear()
                self._stamps[minute] = base
            try:
                ts = base + float(classic[13:])
            except ValueError:
                raise Reject("timestamp") from None
        else:
            ts = self._iso(iso or "")
        if ts > self.latest:
            raise Reject("future")
        return ts

    def _iso(self, text: str) -> float:
        try:
            moment = datetime.fromisoformat(text.replace(",", "."))
        except ValueError:
            raise Reject("timestamp") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment.timestamp()

    def _classic(self, text: str) -> float:
        month = _MONTHS.get(text[:3])
        try:
            day = int(text[4:6])
            clock, _, fraction = text[7:].partition(".")
            hh, mm, ss = (int(x) for x in clock.split(":"))
            micro = int((fraction + "000000")[:6]) if fraction else 0
        except ValueError:
            raise Reject("timestamp") from None
        if month is None:
            raise Reject("timestamp")
        year = self.reference.year
        # The year up to the import: a stamp ahead of it is last year's; 29 February the last leap year's.
        for candidate in (year, year - 1, year - 2, year - 3, year - 4):
            try:
                moment = datetime(candidate, month, day, hh, mm, ss, micro, tzinfo=self.zone)
            except ValueError:
                if month == 2 and day == 29:
                    continue
                raise Reject("timestamp") from None
            if moment - _AHEAD <= self.reference:
                return moment.timestamp()
        raise Reject("timestamp")
