"""Writing the answer to a request into the casebook folder's exports/ subfolder, under a name the app chooses.

The file is written by the documents' safe writer (`write_export`): never over the casebook's own files,
never over an earlier export (a number is added to the name instead).
"""

from __future__ import annotations

import json
from pathlib import Path

from casebook import access
from casebook.documents.export import EXPORTS, write_export
from casebook.errors import CasebookError, Refused
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
    files = session.casebook.files
    folder = files.home / EXPORTS
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise CasebookError("error.export_unwritable", path=str(folder), detail=exc.strerror or str(exc)) from None
    stem = t("access.file", id=request_id)
    for attempt in range(1, 1000):
        path = folder / (f"{stem}.{fmt}" if attempt == 1 else f"{stem}-{attempt}.{fmt}")
        if path.exists():
            continue
        try:
            return write_export(path, data, files)
        except Refused as refusal:
            if refusal.rule != "export.overwrite":  # another process took the name meanwhile: try the next
                raise
    raise CasebookError("error.export_unwritable", path=str(folder), detail="no free file name")
