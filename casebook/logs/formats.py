"""The log formats: one entry each, saying how a log of it is recognised and how its lines are read.

A format is a parser module (squid, clf, postfix, csvlog) plus an entry here;
the importer knows formats only through this registry. Every parser has one
shape: `parse(line)` gives a Hit (a web request) or a Mail (a delivery), None
for a valid line that is no event (a CSV's header, a Postfix connection), and
raises Reject for a line that is not valid; its `identity_fields` say where
the user and the client are, so that a rejected line's sample can be masked.
A parser whose state must outlive one import of a log (Postfix: messages
queued, their deliveries in the next part of the log) also offers
`carry(seal)`, that state with every address sealed, and `resume(state)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from casebook.logs import clf, csvlog, postfix, squid
from casebook.logs.hits import Hit, IdentityFields, Mail

# How many of a log's first non-empty lines the vote reads.
DETECT_LINES = 50


class LineParser(Protocol):
    identity_fields: IdentityFields

    def parse(self, line: str) -> Hit | Mail | None: ...


@dataclass(frozen=True)
class Context:
    """What a parser may need to know about the one import it reads for."""

    reference: datetime  # the import's moment: a syslog stamp has no year, and lies in the past
    default_host: str | None = None  # the site a web server's path-only requests went to


@dataclass(frozen=True)
class Format:
    name: str
    looks_like: Callable[[str], bool]  # one line: the vote for this format
    parser: Callable[[Context], LineParser]  # a fresh parser, for one import
    # Recognised by its first line alone, before any vote (a CSV by its header).
    by_header: bool = False
    # Its events are deliveries (Mail), not requests (Hit).
    mail: bool = False


REGISTRY: dict[str, Format] = {
    entry.name: entry
    for entry in (
        # In this order: a tie in the vote goes to the first.
        Format(squid.NAME, squid.looks_like, lambda context: squid.Parser()),
        Format(clf.NAME, clf.looks_like, lambda context: clf.Parser(context.default_host)),
        Format(postfix.NAME, postfix.looks_like, lambda context: postfix.Parser(context.reference), mail=True),
        Format(csvlog.NAME, csvlog.looks_like, lambda context: csvlog.Parser(), by_header=True),
    )
}
FORMATS: tuple[str, ...] = tuple(REGISTRY)


def detect(first_lines: list[str]) -> str | None:
    """The format most of the first non-empty lines match (a CSV by its header), or None."""
    lines = [line for line in first_lines if line.strip()][:DETECT_LINES]
    if not lines:
        return None
    for entry in REGISTRY.values():
        if entry.by_header and entry.looks_like(lines[0]):
            return entry.name
    votes = {entry.name: sum(map(entry.looks_like, lines)) for entry in REGISTRY.values() if not entry.by_header}
    best = max(votes, key=lambda name: votes[name])
    return best if votes[best] * 2 >= len(lines) else None
