"""Passphrase hashing with scrypt (memory-hard, standard library), one salt per user.

The stored form names its parameters, so they can be raised later without
invalidating existing hashes: "scrypt$n$r$p$salt$hash" (base64).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

# 2**15 x 8 x 128 bytes = 32 MiB per attempt: costly to guess in bulk, quick enough to sign in.
N, R, P = 2**15, 8, 1
_cost = {"n": N, "r": R, "p": P}
DKLEN = 32
_MAXMEM = 128 * 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def set_cost(n: int = N, r: int = R, p: int = P) -> None:
    """Change the cost of new hashes. The test suite lowers it; nothing else should."""
    _cost.update(n=n, r=r, p=p)
    dummy_hash.cache_clear()


def hash_passphrase(passphrase: str) -> str:
    n, r, p = _cost["n"], _cost["r"], _cost["p"]
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=DKLEN, maxmem=_MAXMEM)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_passphrase(passphrase: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            passphrase.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=_MAXMEM,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@cache
def dummy_hash() -> str:
    """Checked against when the user does not exist, so a wrong name costs as much time as a wrong passphrase."""
    return hash_passphrase(secrets.token_urlsafe(16))
