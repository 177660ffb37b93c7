"""Pseudonymisation at the door: identifiers become keyed hashes before anything is stored.

The token is HMAC-SHA256 over "kind:identifier" under a key derived from the
casebook's key file, which lives outside the database. Without that file the
tokens cannot be linked to anyone; individualisation (later) is the one place
that recomputes them from the employee directory, and it is audited.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from casebook import identity


class Pseudonymiser:
    def __init__(self, key: bytes) -> None:
        self._key = key
        # One HMAC per distinct identifier in a file, not per line.
        self.token = lru_cache(maxsize=262144)(self._token)

    def _token(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def of_client(self, kind: str, value: str) -> str:
        """A proxy user or a client address, as logged: normalised here, so every format agrees."""
        if kind == "user":
            value = identity.normalise_user(value)
        elif kind == "ip":
            try:
                value = identity.normalise_ip(value)
            except ValueError:
                kind = "host"  # a client logged by name rather than address
                value = value.lower()
        return self.token(kind, value)

    def of_mail(self, address: str) -> str:
        return self.token("mail", address)
