"""Writing the answer to a request into the casebook's exports folder, under a name the app chooses.

The file is written by `casebook.exports.save`, the one way a file leaves the casebook from the app:
into the exports folder only, never over an earlier export (a number is added to the name instead).
"""

from __future__ import annotations

import json
from pathlib import Path

from casebook import access, exports
from casebook.i18n import t
from casebook.permissions import Action
from casebook.session import Session

FORMATS = ("md", "json")


def answer_bytes(session: Session, request_id: int, fmt: str) -> bytes:
    """The answer as the CLI's `access export` writes it: readable Markdown, or JSON."""
    if fmt == "json":
        return (json.dumps(access.as_json(session, request_id), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return access.as_markdown(session, request_id).encode("utf-8")


def export_answer(session: Session, request_id: int, fmt: str) -> Path:
    """Write the answer (the core checks who may read it) into the exports folder; returns where it went."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    data = answer_bytes(session, request_id, fmt)
    # The answer was read under the one or the other permission; the file is written under the same.
    needs = Action.REQUEST_MANAGE if session.may(Action.REQUEST_MANAGE) else Action.REQUEST_OWN
    return exports.save(session, needs, f"{t('access.file', id=request_id)}.{fmt}", data)
