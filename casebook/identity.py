"""How a person's identifiers are written down, the same way at the log import and in the directory.

A proxy user name arrives as "ACME\\Jan.Peeters", "jan.peeters@ACME.LOCAL" or
"jan.peeters"; all three are the user "jan.peeters". A mail address is
lower-cased. An IP address is written in its canonical form.
"""

from __future__ import annotations

import ipaddress
import re

_MAIL = re.compile(
    r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)


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


def normalise_ip(text: str) -> str:
    return str(ipaddress.ip_address(text.strip()))
