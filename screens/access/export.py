"""Writing the answer to a request into the casebook folder's exports/ subfolder, under a name the app chooses.

The file is written by the documents' safe writer (`save_in_exports`): never over the casebook's own files,
never over an earlier export (a number is added to the name instead).
"""

from __future__ import annotations

import json
from pathlib import Path

from casebook import access
from casebook.documents.export import save_in_exports
from casebook.i18n import t
from casebook.session import Session

FORMATS = ("md", "json")


def answer_bytes(session: Session, request_id: int, fmt: str) -> bytes:
    """The answer as the CLI's `access export` writes it: readable Markdown, or JSON."""
    if fmt == "json":
        return (json.dumps(access.as_json(session, request_id), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return access.as_markdown(session, request_id).encode("utf-8")


def export_answer(session: Session, request_id: int, fmt: str) -> Path:
    """Write the answer (the core checks who may read it) into exports/; returns where it went."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    data = answer_bytes(session, request_id, fmt)
    return save_in_exports(session, t("access.file", id=request_id), fmt, data)
