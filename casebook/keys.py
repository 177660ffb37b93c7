"""The casebook's secret key, kept in a file apart from the database.

One random master key per casebook; each use gets its own key derived from it
(pseudonyms, the audit chain), so no two purposes share key material. Without
the key file the database cannot link events to people nor forge the audit
chain.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from casebook.errors import CasebookError

KEY_BYTES = 32


def create_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    return key


def load_key(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CasebookError("error.key_missing", path=str(path)) from None
    except OSError as exc:
        raise CasebookError("error.key_unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CasebookError("error.key_exposed", path=str(path), mode=f"{stat.S_IMODE(info.st_mode):04o}")
    try:
        key = path.read_bytes()
    except OSError as exc:  # another owner's file, a folder under its name: say so, not a traceback
        raise CasebookError("error.key_unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    if len(key) != KEY_BYTES:
        raise CasebookError("error.key_damaged", path=str(path))
    return key


def derive(master: bytes, purpose: str) -> bytes:
    return hmac.new(master, f"casebook/{purpose}/v1".encode(), hashlib.sha256).digest()


def fingerprint(master: bytes) -> str:
    """What the database keeps to recognise its key: a keyed hash of a fixed text, telling nothing of the key."""
    return derive(master, "fingerprint").hex()
