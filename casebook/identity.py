"""How a person's identifiers are written down, the same way at the log import and in the directory.

A proxy user name arrives as "ACME\\Jan.Peeters", "jan.peeters@ACME.LOCAL" or
"jan.peeters"; all three are the user "jan.peeters". A mail address is
lower-cased. An IP address is written in its canonical form.
"""

from __future__ import annotations

import ipaddress
import re

# What people type into the directory: a dot-atom local part and a domain name with at least one dot, in any
# script (RFC 6531: jörg.müller@dewerf.be), lower case as the logs' addresses are made (normalise_log_mail).
_MAIL = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$")


def normalise_user(text: str) -> str:
    user = text.strip().lower()
    user = user.rsplit("\\", 1)[-1]  # DOMAIN\user
    user = user.split("@", 1)[0]  # user@realm
    return user


def normalise_mail(text: str) -> str:
    mail = text.strip().strip("<>").lower()
    if not _MAIL.match(mail):
        raise ValueError(text)
    return mail


# What a mail server may log as an address (RFC 5321, with RFC 6531's UTF-8): a dot-atom or quoted local
# part, and a domain name (any script) or an address literal; a bare local part or @localhost is a user of
# the server itself.
_LOG_MAIL = re.compile(
    r'^(?:"(?:[^"\\]|\\.)*"|[^\s@<>"()\[\],;:\\]+)'
    r"(?:@(?:[^\s@<>\"()\[\],;:\\]+|\[[^\]\s]+\]))?$"
)


def normalise_log_mail(text: str) -> str:
    """A mail address as a mail log has it, normalised as the directory's are (lower case): the same person
    gets the same pseudonym. Wider than `normalise_mail`, which checks what people type into the directory:
    a log holds what servers accepted, SMTPUTF8 and quoted local parts included."""
    mail = text.strip().strip("<>").lower()
    if not _LOG_MAIL.match(mail):
        raise ValueError(text)
    return mail


def in_domains(address: str, domains: tuple[str, ...]) -> bool:
    """Whether a normalised address belongs to the organisation: one of its mail domains or a subdomain of
    one (mail.dewerf.be under dewerf.be), or a user of the server itself (no domain, localhost)."""
    at = address.rfind("@")
    if at < 0 or address.rfind('"') > at:  # no domain (an @ inside a quoted local part is no domain either)
        return True
    domain = address[at + 1 :].rstrip(".")
    if domain == "localhost":
        return True
    return any(domain == d or domain.endswith("." + d) for d in domains)


def normalise_ip(text: str) -> str:
    return str(ipaddress.ip_address(text.strip()))
