"""Which format a log is in, from its first lines."""

from __future__ import annotations

from casebook.logs import clf, csvlog, postfix, squid

FORMATS = ("squid", "clf", "postfix", "csv")


def detect(first_lines: list[str]) -> str | None:
    """The format most of the first non-empty lines match (a CSV by its header), or None."""
    lines = [line for line in first_lines if line.strip()][:50]
    if not lines:
        return None
    if csvlog.looks_like(lines[0]):
        return "csv"
    votes = {
        "squid": sum(map(squid.looks_like, lines)),
        "clf": sum(map(clf.looks_like, lines)),
        "postfix": sum(map(postfix.looks_like, lines)),
    }
    best = max(votes, key=lambda name: votes[name])
    return best if votes[best] * 2 >= len(lines) else None
