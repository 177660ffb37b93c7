"""A rejected line, kept as a sample for the person who imported it, with no identifier left in it."""

from __future__ import annotations

import re

from casebook.plaintext import inert

HIDDEN = "\N{HORIZONTAL ELLIPSIS}"
_IDENTIFIERS = re.compile(
    r"<[^>]*>"  # a mail address in angle brackets (Postfix)
    r"|\S+@\S+"  # a mail address or user@realm
    r"|\S+\\\S+"  # DOMAIN\user
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b"  # IPv4
    r"|(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|[0-9A-Fa-f]*::[0-9A-Fa-f:]*"  # IPv6, full or shortened
    r"|(?:(?<=[\s(=])|^)/[^\s/()]+/[^\s()]*"  # a file's path: a mailbox is named after its owner (Postfix)
    r'|(?<=user: )"[^"]*"|(?<=for user )\S+'  # Postfix naming a local user: unknown user: "x", for user x
)


def sanitise(line: bytes, separator: str = " ", positions: tuple[int, ...] = ()) -> str:
    """A rejected line as inert text with no identifier left in it: the casebook keeps none in clear.

    The line could not be parsed, so which word is a person is a guess: the
    fields where the format keeps its user and client go, and so does
    anything shaped like an address, a mail address, DOMAIN\\user, a URL's
    user info (user:password@) or a mailbox's path.
    Control characters show as U+FFFD; the line is cut short.
    """
    text = line[:500].decode("utf-8", errors="replace")
    if positions:
        fields = text.split(separator)
        if separator == " ":
            fields = [f for f in fields if f]  # columns padded with spaces
        for position in positions:
            if position < len(fields):
                fields[position] = HIDDEN
        text = separator.join(fields)
    text = _IDENTIFIERS.sub(HIDDEN, text)
    return inert(text)
