"""A rejected line, kept as a sample for the person who imported it, with no identifier left in it."""

from __future__ import annotations

import re

from casebook.plaintext import inert

HIDDEN = "\N{HORIZONTAL ELLIPSIS}"
# Postfix's fields that name a person or a host, whichever daemon writes them (smtpd's sasl_username=, client=,
# helo=; a policy server's sender= and client_name=; dovecot's user=): their value goes, whatever its shape.
_FIELDS = (
    "sasl_username|sasl_sender|client|client_name|client_address|reverse_client_name|helo|from|to|orig_to"
    "|sender|recipient|user|rip|lip"
)
_IDENTIFIERS = re.compile(
    rf"(?<![\w-])(?P<field>{_FIELDS})=(?:<[^>]*>|\S+?)(?=[,;]?(?:\s|$))"  # field=value, up to a comma or space
    r"|\b[A-Za-z0-9][A-Za-z0-9.-]*(?=\[(?:IPv6:)?[0-9A-Fa-f]*[.:][0-9A-Fa-f:.]*\])"  # a host and its address
    r"|<[^>]*>"  # a mail address in angle brackets (Postfix)
    r'|"[^"]*"@\S+'  # a mail address with a quoted local part
    r"|\S+@\S+"  # a mail address or user@realm
    r"|\S+\\\S+"  # DOMAIN\user
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b"  # IPv4
    r"|(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{1,4})*::[0-9A-Fa-f:]*"  # IPv6, full or shortened
    r"|(?:(?<=[\s(=])|^)/[^\s/()]+/[^\s()]*"  # a file's path: a mailbox is named after its owner (Postfix)
    r'|(?<=user: )"[^"]*"|(?<=for user )\S+'  # Postfix naming a local user: unknown user: "x", for user x
)


def _hide(found: re.Match[str]) -> str:
    field = found.group("field")
    return f"{field}={HIDDEN}" if field else HIDDEN


def sanitise(line: bytes, separator: str = " ", positions: tuple[int, ...] = ()) -> str:
    """A rejected line as inert text with no identifier left in it: the casebook keeps none in clear.

    The line could not be parsed, so which word is a person is a guess: the
    fields where the format keeps its user and client go, and so does
    anything shaped like an address, a mail address, DOMAIN\\user, a URL's
    user info (user:password@), a mailbox's path, or the value of a field
    that names a person or a host (sasl_username=, client=, helo=, ...).
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
    text = _IDENTIFIERS.sub(_hide, text)
    return inert(text)
