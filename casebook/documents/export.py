"""The documents' exports: what they are called, written through the one way a file leaves the casebook.

Writing itself, and its rules, are casebook.exports': never over (or into) the
casebook's own files, never over a file unless asked (the command line's
`--out`), and the app's exports into the exports folder under a name chosen here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from casebook import exports
from casebook.documents import archive, reports
from casebook.documents.model import Document
from casebook.i18n import t

if TYPE_CHECKING:
    from casebook.session import Session


def file_name(kept: archive.Kept, fmt: str) -> str:
    """privacyverklaring-v3.pdf: the kind's name in the person's language, the version, the format."""
    stem = re.sub(r"[^a-z0-9-]+", "-", t(f"documents.file.{kept.kind.replace('-', '_')}").lower()).strip("-")
    return f"{stem or 'document'}-v{kept.version}.{fmt}"


def export_to_folder(session: Session, kind: str, fmt: str, version: int | None = None) -> Path:
    """Write a kept document (default: its newest version) into the exports folder (casebook.exports.save).

    The name is made from the document; an earlier export of the same version is left alone (a
    number is added), so nothing is ever written over.
    """
    kept = archive.get(session, kind, version)
    return exports.save(session, reports.kind(kind).read, file_name(kept, fmt), kept.render(fmt))


def report_file_stem(document: Document) -> str:
    """verslag-raad-van-bestuur-2026-10-01-2026-11-30: the kind in the person's language, the period."""
    stem = re.sub(r"[^a-z0-9-]+", "-", t(f"documents.file.{document.kind.replace('-', '_')}").lower()).strip("-")
    if document.about.period is not None:
        first, last = document.about.period
        stem += f"-{first.isoformat()}-{last.isoformat()}"
    return stem or "report"


def export_document(session: Session, document: Document, fmt: str) -> Path:
    """Write a report as it was made and shown into the exports folder, under the permission of its kind."""
    name = f"{report_file_stem(document)}.{fmt}"
    return exports.save(session, reports.kind(document.kind).read, name, reports.render(document, fmt))
