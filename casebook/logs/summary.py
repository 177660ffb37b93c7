"""How an import is told to a person: its counts in words, the lines that are no event named.

Not every valid line of a log is an event: Postfix writes queue bookkeeping and
connections around each message, a CSV starts with its header. The importer
counts them (`ImportResult.not_events`); here they are named, so that
"593 lines, 232 imported, 1 rejected" no longer leaves 360 lines unexplained.
The command line, the import screen and the list of imports all say it so.
"""

from __future__ import annotations

from casebook import i18n
from casebook.formatting import elapsed
from casebook.i18n import t


def not_events_text(fmt: str | None) -> str:
    """What the lines that are no event are in a format: 'queue bookkeeping and connections' for Postfix."""
    key = f"logs.not_events.{fmt}"
    return t(key) if key in i18n.catalogue() else t("logs.not_events.other")


def counts_text(
    fmt: str | None, lines: int, imported: int, not_events: int, rejected: int, seconds: float | None = None
) -> str:
    """'593 regels: 232 ingelezen, 360 zonder gebeurtenis (wachtrijbeheer en verbindingen), 1 afgekeurd, in 2 s'."""
    parts = [t("logs.counts.imported", count=imported)]
    if not_events:
        parts.append(t("logs.counts.not_events", count=not_events, what=not_events_text(fmt)))
    parts.append(t("logs.counts.rejected", count=rejected))
    text = t("logs.counts.lines", count=lines) + ": " + ", ".join(parts)
    if seconds is not None:
        text += ", " + t("logs.counts.took", duration=elapsed(seconds))
    return text
