"""Host names and registrable domains, offline.

The host comes from the URL or the CONNECT target: lower-cased, port dropped,
IDN as punycode. The registrable domain ("www.news.bbc.co.uk" -> "bbc.co.uk")
comes from the Public Suffix List bundled with the publicsuffixlist package:
nothing is fetched at run time.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

from casebook.logs.hits import Reject

_HOST_CHARS = re.compile(r"^[a-z0-9_.-]+$")
# The scheme (if any), then user info: everything up to the last "@" before the path, query or fragment.
_USER_INFO = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*://)?)[^/?#]*@")
_PSL = PublicSuffixList()


# What follows the first "://" up to the path, query or fragment: an absolute URL's authority.
_AUTHORITY = re.compile(r"(?s).*?://([^/?#]*)")
# Its match, bound: the importer's cache of hosts is keyed on the authority as logged (user info and all).
authority_match = _AUTHORITY.match


def authority_of(target: str) -> str:
    """The part of an absolute URL or a CONNECT "host:port" its host comes from (user info dropped), as logged.

    Many URLs share one authority (query strings make nearly every URL new): the importer looks hosts up by
    this, and normalises each distinct one once (`host_of_authority`). Reject when there is none.
    """
    found = _AUTHORITY.match(target)
    if found is not None:
        authority = found.group(1)
    elif target.startswith("/") or not target:
        raise Reject("no_host")
    else:
        authority = target.split("/", 1)[0]
    return authority.rsplit("@", 1)[-1] if "@" in authority else authority


def host_of(target: str) -> str:
    """The host of an absolute URL or of a CONNECT "host:port"; Reject when there is none."""
    return host_of_authority(authority_of(target))


@lru_cache(maxsize=65536)
def host_of_authority(authority: str) -> str:
    """The host an authority names: lower-cased, port dropped, IDN as punycode; Reject when it names none."""
    if authority.startswith("["):  # [IPv6]:port
        end = authority.find("]")
        if end < 0:
            raise Reject("bad_host")
        return _ip(authority[1:end])
    if authority.count(":") == 1:
        authority = authority.split(":", 1)[0]
    elif authority.count(":") > 1:
        return _ip(authority)
    host = authority.strip(".").lower()
    if not host:
        raise Reject("no_host")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise Reject("bad_host") from None
    if not _HOST_CHARS.match(host) or len(host) > 253:
        raise Reject("bad_host")
    return host


def without_user_info(target: str) -> str:
    """The URL (or CONNECT target) without its user info: "http://an:secret@host/x" -> "http://host/x".

    A password in a URL is still a password; it is never stored, whatever the policy keeps of URLs.
    """
    return _USER_INFO.sub(r"\1", target, count=1)


def _ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise Reject("bad_host") from None


@lru_cache(maxsize=65536)
def domain_of(host: str) -> str:
    """The registrable domain; an IP address or a bare name stands for itself."""
    if host[-1].isdigit() or ":" in host:
        try:
            ipaddress.ip_address(host)
            return host
        except ValueError:
            pass
    return _PSL.privatesuffix(host) or host
