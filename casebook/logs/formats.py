"""The log formats: one entry each, saying how a log of it is recognised and how its lines are read.

A format is a parser module (squid, clf, postfix, csvlog, visitlog) plus an entry here;
the importer knows formats only through this registry. Every parser has one
shape: `parse(line)` gives a Hit (a web request) or a Delivery (a line about
a mail's recipient), None for a valid line that is no event (a CSV's header, a
Postfix connection, another program's line in a mail log), a Span for a
visits format's row (a visit a log platform aggregated), and raises Reject
for a line that is not valid; its `identity_fields` say where the user and the
client are, so that a rejected line's sample can be masked.

A mail format's parser counts messages, not lines: it keeps a ledger
(`mailflow`) whose settled rows the importer writes (`settled`), whose open
rows it writes when the import ends, and whose state, sealed, outlives one
import of a log (`carry()`, `resume(state, rows)`): messages queued, their
deliveries in the next part of the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Protocol

from casebook.logs import clf, csvlog, postfix, squid, visitlog
from casebook.logs.hits import Hit, IdentityFields, Sealed

# How many of a log's first non-empty lines the vote reads.
DETECT_LINES = 50


class LineParser(Protocol):
    identity_fields: IdentityFields

    def parse(self, line: str) -> Hit | postfix.Delivery | visitlog.Span | None: ...


@dataclass(frozen=True)
class Context:
    """What a parser may need to know about the one import it reads for."""

    reference: datetime  # the import's moment: a syslog stamp has no year, and lies in the past
    default_host: str | None = None  # the site a web server's path-only requests went to
    seal: Callable[[str], Sealed] | None = None  # a mail address to its pseudonym's token (never kept in clear)
    zone: tzinfo | None = None  # the time zone of stamps that name none (syslog's)


@dataclass(frozen=True)
class Format:
    name: str
    looks_like: Callable[[str], bool]  # one line: the vote for this format
    parser: Callable[[Context], LineParser]  # a fresh parser, for one import
    # Recognised by its first line alone, before any vote (a CSV by its header).
    by_header: bool = False
    # Its events are deliveries (mail), not requests (Hit).
    mail: bool = False
    # Its records are visits a log platform aggregated (`visitlog.Span`), not requests.
    visits: bool = False
    # A line of another program that logs of this format carry among their own (a mail.log's dovecot lines):
    # it votes neither for nor against any format.
    foreign: Callable[[str], bool] | None = None


REGISTRY: dict[str, Format] = {
    entry.name: entry
    for entry in (
        # In this order: a tie in the vote goes to the first.
        Format(squid.NAME, squid.looks_like, lambda context: squid.Parser()),
        Format(clf.NAME, clf.looks_like, lambda context: clf.Parser(context.default_host)),
        Format(
            postfix.NAME,
            postfix.looks_like,
            lambda context: postfix.Parser(context.reference, context.seal, context.zone),
            mail=True,
            foreign=postfix.foreign,
        ),
        Format(csvlog.NAME, csvlog.looks_like, lambda context: csvlog.Parser(), by_header=True),
        Format(
            visitlog.NAME,
            visitlog.looks_like,
            lambda context: visitlog.Parser(context.reference.timestamp()),
            by_header=True,
            visits=True,
        ),
    )
}
FORMATS: tuple[str, ...] = tuple(REGISTRY)


def detect(first_lines: list[str]) -> str | None:
    """The format most of the first non-empty lines match (a CSV by its header), or None.

    Lines of other programs (a Debian mail.log's dovecot or amavis lines) are left out of the vote: the
    format is that of the lines that remain.
    """
    strangers = [entry.foreign for entry in REGISTRY.values() if entry.foreign is not None]
    lines = [line for line in first_lines if line.strip() and not any(f(line) for f in strangers)][:DETECT_LINES]
    if not lines:
        return None
    for entry in REGISTRY.values():
        if entry.by_header and entry.looks_like(lines[0]):
            return entry.name
    votes = {entry.name: sum(map(entry.looks_like, lines)) for entry in REGISTRY.values() if not entry.by_header}
    best = max(votes, key=lambda name: votes[name])
    return best if votes[best] * 2 >= len(lines) else None
