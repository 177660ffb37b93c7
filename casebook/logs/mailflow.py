"""Messages, not attempts: what a mail log's lines add up to, one row per message and recipient.

A mail server logs every attempt: a recipient deferred twice then taken is
three lines; a content filter (amavis on 127.0.0.1:10024) hands the message
back to the same server, which queues it again under a new queue id; a local
alias forwards it under yet another one. Counted per line, one message would
be five. The ledger keeps one row per message and recipient, whatever queue
files carried it, and its status is the final outcome: sent, bounced, expired
or discarded; deferred only while nothing final is known. A hop to this
server's own loopback that says `queued as X`, and a local `forwarded as X`,
make X a continuation of the message: X's deliveries decide the outcome of
the original recipient's row, never a row of their own.

Hops race: the filter's re-injected copy may be queued, and even delivered,
before the line saying where it went. A queue file therefore stays known for
GRACE seconds of the log's own time after Postfix removed it, and the rows of
a message are settled (handed to the importer to be written) only once every
queue file that carried it is gone. What is still open when an import ends
is written as it stands (a deferred message shows as deferred) and carried,
by row id, to the import that continues the same log: it takes the rows back
and goes on, so a log read in steps gives what one import gives.

Bounce and delay notices (the null sender, or the bounce daemon naming the
notice it queued) and address-verification probes (status deliverable or
undeliverable) are kept apart by their kind: they are not mail anyone sent.
"""

from __future__ import annotations

from collections import deque
from typing import Any, NamedTuple

from casebook.logs.hits import Reject, Sealed

# Outcomes after which nothing changes for that recipient.
FINAL = frozenset({"sent", "bounced", "expired", "discarded"})
# How long, in the log's own time, a removed queue file may still be named by a late hop line.
GRACE = 60.0
# Queue files waiting at most at once: beyond this the oldest is settled as it stands (a log cut oddly).
LIMIT = 100_000

MESSAGE, NOTICE, PROBE = "message", "notice", "probe"
INFINITY = float("inf")


class MailRow(NamedTuple):
    """One message to one recipient, as counted."""

    ts: float  # the first line about this recipient of this message
    sender: Sealed | None  # None: the null sender
    recipient: Sealed
    size: int
    status: str
    kind: str  # message, notice or probe


class Row:
    """A recipient's row while its message is still open."""

    __slots__ = ("final", "id", "probe", "recipient", "status", "ts")

    def __init__(self, ts: float, recipient: Sealed, status: str, final: bool, probe: bool) -> None:
        self.id: int | None = None  # its id once written (open rows are written when an import ends)
        self.ts, self.recipient, self.status, self.final, self.probe = ts, recipient, status, final, probe

    def take(self, other: Row) -> None:
        """The same recipient of the same message, found through another queue file."""
        self.ts = min(self.ts, other.ts)
        if not self.final:
            self.status, self.final = other.status, other.final
        self.probe = self.probe or other.probe


class Message:
    """One message, whichever queue files carried it; its rows by the recipient's token."""

    __slots__ = ("entries", "kind", "rows", "sender", "size")

    def __init__(self, sender: Sealed | None, size: int, kind: str) -> None:
        self.sender, self.size, self.kind = sender, size, kind
        self.rows: dict[str, Row] = {}
        self.entries: list[Entry] = []


class Entry:
    """One queue file (a queue id) and the message it carries: its own, or one it continues."""

    __slots__ = ("forward", "key", "known", "message", "own", "removed", "tokens")

    def __init__(self, key: str, message: Message, own: bool, known: bool) -> None:
        self.key, self.message, self.own, self.known = key, message, own, known
        self.removed: float | None = None
        self.tokens: list[str] = []  # the recipients it had lines for: what its expiry ends
        self.forward: Row | None = None  # a local forward: every recipient of it is that row's


class Ledger:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}  # oldest first
        self.closing: deque[tuple[float, Entry]] = deque()  # removed, in the order they were
        self.settled: list[MailRow] = []  # rows whose message is done, for the importer to write
        self.due = INFINITY  # the log time at which the first removed queue file's grace ends

    # -- what the lines say ----------------------------------------------------------------------

    def queued(self, key: str, ts: float, sender: Sealed | None, size: int, kind: str) -> None:
        """The queue manager took a message in (and says so again at every retry)."""
        if ts >= self.due:
            self.tick(ts)
        entry = self.entries.get(key)
        if entry is not None and entry.removed is not None:
            self._settle(entry)  # a queue id used again once the old file was gone
            entry = None
        if entry is None:
            entry = self._entry(key, Message(sender, size, kind), own=True, known=True)
        elif not entry.known:
            entry.known = True
            if entry.own:  # named first by the bounce daemon: a notice
                entry.message.sender, entry.message.size = sender, size

    def notice(self, key: str) -> None:
        """The bounce daemon queued a notice under this id (non-delivery, delay, delivery status)."""
        entry = self.entries.get(key)
        if entry is None:
            entry = self._entry(key, Message(None, 0, NOTICE), own=True, known=False)
        if entry.own:
            entry.message.kind = NOTICE

    def outcome(
        self,
        key: str,
        ts: float,
        recipient: Sealed,
        original: Sealed | None,
        status: str,
        hop: tuple[str, bool] | None = None,
    ) -> None:
        """A delivery agent's (or the queue manager's) word on one recipient.

        `hop`: (the queue id it went on as, whether as a local forward) for a
        message handed back to this server; its outcome is that copy's.
        """
        if ts >= self.due:
            self.tick(ts)
        entry = self.entries.get(key)
        if entry is None or not (entry.known or not entry.own):
            raise Reject("unknown_queue_id")
        message = entry.message
        token = recipient.token
        row = message.rows.get(token)
        if row is None and not entry.own:
            # A continuation: its recipient is the original one, or (forwarded, aliased) names it as orig_to.
            row = (message.rows.get(original.token) if original is not None else None) or entry.forward
            if row is not None:
                token = row.recipient.token
        probe = status.startswith(("deliverable", "undeliverable"))
        final = hop is None and (status in FINAL or probe)
        if row is None:
            row = message.rows[token] = Row(ts, recipient, status, final, probe)
        elif not row.final:
            row.status, row.final, row.probe = status, final, row.probe or probe
        entry.tokens.append(token)
        if hop is not None:
            self._link(hop[0], message, row if hop[1] else None)

    def expired(self, key: str, ts: float) -> None:
        """Returned to sender: what was still deferred for it will never go."""
        if ts >= self.due:
            self.tick(ts)
        entry = self.entries.get(key)
        if entry is None:
            return
        for token in entry.tokens:
            row = entry.message.rows.get(token)
            if row is not None and not row.final:
                row.status, row.final = "expired", True

    def removed(self, key: str, ts: float) -> None:
        """The queue file is gone (delivered, returned, or deleted by postsuper)."""
        if ts >= self.due:
            self.tick(ts)
        entry = self.entries.get(key)
        if entry is not None and entry.removed is None:
            entry.removed = ts
            self.closing.append((ts, entry))
            self.due = min(self.due, ts + GRACE)

    def tick(self, now: float) -> None:
        """Settle the queue files removed longer than GRACE ago (by the log's own time)."""
        closing = self.closing
        while closing and closing[0][0] + GRACE <= now:
            _, entry = closing.popleft()
            if self.entries.get(entry.key) is entry:
                self._settle(entry)
        self.due = closing[0][0] + GRACE if closing else INFINITY

    # -- the import's end, and the next import of the same log -----------------------------------

    def open_mail_rows(self) -> list[tuple[Row, MailRow]]:
        """(row, what to write for it) for every open row; the importer writes them and sets their ids."""
        out: list[tuple[Row, MailRow]] = []
        for message in self._messages():
            out.extend((row, self._mail_row(message, row)) for row in message.rows.values())
        return out

    def carry(self) -> dict[str, Any]:
        """What is still open, for the import that continues this log: addresses as sealed tokens only, rows
        by the ids they were written under (`open_mail_rows`)."""
        messages = self._messages()
        index = {id(m): i for i, m in enumerate(messages)}
        order = {id(e): i for i, e in enumerate(self.entries.values())}
        return {
            "messages": [
                [
                    list(m.sender) if m.sender is not None else "",
                    m.size,
                    m.kind,
                    [[row.id, row.final] for row in m.rows.values()],
                ]
                for m in messages
            ],
            "entries": [
                [
                    e.key,
                    index[id(e.message)],
                    e.own,
                    e.known,
                    e.removed,
                    e.forward.id if e.forward is not None else None,
                    e.tokens,
                ]
                for e in self.entries.values()
            ],
            "closing": [order[id(e)] for _, e in self.closing if self.entries.get(e.key) is e],
        }

    @staticmethod
    def carried_ids(state: dict[str, Any]) -> list[int]:
        return [int(r[0]) for m in state.get("messages", []) for r in m[3] if r[0] is not None]

    def resume(self, state: dict[str, Any], rows: dict[int, tuple[float, Sealed, str, bool]]) -> None:
        """Take over what an earlier import of this log left open (`carry`). `rows` are its rows as the
        casebook still holds them, by id: a row gone since (purged, erased) stays gone."""
        messages: list[Message] = []
        by_id: dict[int, Row] = {}
        for sender, size, kind, kept in state.get("messages", []):
            message = Message(Sealed(str(sender[0]), bool(sender[1])) if sender else None, int(size), str(kind))
            for row_id, final in kept:
                found = rows.get(int(row_id))
                if found is None:
                    continue
                ts, recipient, status, probe = found
                row = Row(ts, recipient, status, bool(final), probe)
                message.rows[recipient.token] = row
                by_id[int(row_id)] = row
            messages.append(message)
        entries = []
        for key, at, own, known, removed, forward, tokens in state.get("entries", []):
            entry = self._entry(str(key), messages[int(at)], bool(own), bool(known))
            entry.removed = None if removed is None else float(removed)
            entry.forward = by_id.get(int(forward)) if forward is not None else None
            entry.tokens = [str(t) for t in tokens]
            entries.append(entry)
        for at in state.get("closing", []):
            entry = entries[int(at)]
            if entry.removed is not None:
                self.closing.append((entry.removed, entry))
        self.due = self.closing[0][0] + GRACE if self.closing else INFINITY

    def resume_queued(self, queued: list[list[Any]]) -> None:
        """What an import made before messages were counted as such left: queue ids and their senders."""
        for key, sender, size in queued:
            sealed = Sealed(str(sender[0]), bool(sender[1])) if sender else None
            kind = NOTICE if sealed is None else MESSAGE
            self._entry(str(key), Message(sealed, int(size), kind), own=True, known=True)

    # -- inside ----------------------------------------------------------------------------------

    def _entry(self, key: str, message: Message, own: bool, known: bool) -> Entry:
        if len(self.entries) >= LIMIT:
            self._settle(next(iter(self.entries.values())))
        entry = self.entries[key] = Entry(key, message, own, known)
        message.entries.append(entry)
        return entry

    def _link(self, key: str, message: Message, forward: Row | None) -> None:
        """Queue file `key` carries `message` on (a filter's re-injection, a local forward)."""
        entry = self.entries.get(key)
        if entry is None:
            entry = self._entry(key, message, own=False, known=True)
        elif entry.message is not message:
            self._merge(entry.message, message, forward)
        entry.own = False
        entry.forward = forward

    def _merge(self, copy: Message, into: Message, forward: Row | None) -> None:
        """A copy already seen under its own queue id (the race of hops): its rows are the original's."""
        for token, row in copy.rows.items():
            same = forward if forward is not None else into.rows.get(token)
            if same is None:
                into.rows[token] = row
            else:
                same.take(row)
        for entry in copy.entries:
            entry.message = into
            entry.own = False
            into.entries.append(entry)
        copy.entries = []
        copy.rows = {}

    def _settle(self, entry: Entry) -> None:
        if self.entries.get(entry.key) is entry:
            del self.entries[entry.key]
        message = entry.message
        if entry in message.entries:
            message.entries.remove(entry)
        if not message.entries:
            self.settled.extend(self._mail_row(message, row) for row in message.rows.values())
            message.rows = {}

    def _messages(self) -> list[Message]:
        seen: set[int] = set()
        out: list[Message] = []
        for entry in self.entries.values():
            if id(entry.message) not in seen:
                seen.add(id(entry.message))
                out.append(entry.message)
        return out

    @staticmethod
    def _mail_row(message: Message, row: Row) -> MailRow:
        kind = PROBE if row.probe else message.kind
        return MailRow(row.ts, message.sender, row.recipient, message.size, row.status, kind)
