"""The two ways the core says no.

`CasebookError`: the casebook cannot be used as asked (missing, damaged, newer
version, folder not writable). `Refused`: the signed-in person or the law does
not allow an action; it names the rule that refused it. Both carry a catalogue
key, so the message appears in the user's language when it is shown, not when
it is raised.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import Any

from casebook import i18n


class CasebookError(Exception):
    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    @property
    def message(self) -> str:
        return i18n.t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message


class Refused(CasebookError):
    """An action refused by a rule; `rule` is the rule's stable id (e.g. "role.required")."""

    def __init__(self, rule: str, key: str, /, **params: Any) -> None:
        self.rule = rule
        super().__init__(key, **params)

    @property
    def message(self) -> str:
        return i18n.t("refused.format", rule=i18n.t(f"rule.{self.rule}"), reason=i18n.t(self.key, **self.params))


def explain(exc: BaseException) -> CasebookError | None:
    """A failure of the machine (a full disk, a read-only file system) in words, or None for a real bug.

    Every write of the casebook is one transaction, so when the disk fills up mid-way SQLite rolls it
    back: the message can promise that nothing already in the casebook was lost.
    """
    code = getattr(exc, "sqlite_errorcode", None) if isinstance(exc, sqlite3.Error) else None
    os_errno = exc.errno if isinstance(exc, OSError) else None
    if code == sqlite3.SQLITE_FULL or os_errno in (errno.ENOSPC, errno.EDQUOT):
        return CasebookError("error.disk_full", detail=str(exc))
    if code == sqlite3.SQLITE_READONLY or os_errno == errno.EROFS:
        return CasebookError("error.read_only", detail=str(exc))
    if code == sqlite3.SQLITE_IOERR or os_errno == errno.EIO:
        return CasebookError("error.io", detail=str(exc))
    return None
