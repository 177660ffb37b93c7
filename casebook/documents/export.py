"""Writing an export to a file: never over the casebook's own files, never over any file unless asked.

`write_export` is the one place the documents write a file the person named. `save_in_exports` is the
app's simpler way: the casebook folder's `exports/` subfolder, under a name the app makes (a kept
document's, a report's, an answer to a request), never over an earlier file.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.documents import archive, reports
from casebook.documents.model import Document
from casebook.errors import CasebookError, Refused
from casebook.i18n import t

if TYPE_CHECKING:
    from casebook.paths import CasebookFiles
    from casebook.session import Session

EXPORTS = "exports"


def _own_files(files: CasebookFiles) -> list[Path]:
    db = files.db
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal"), files.key]


def _is_casebook_file(path: Path, files: CasebookFiles) -> bool:
    """The database, its side files and the key, however the path reaches them (links included); and any
    file right in the casebook folder, which holds nothing but the casebook's own."""
    home = files.home.resolve()
    target = path.resolve()
    if target.parent == home or target == home:
        return True
    for own in _own_files(files):
        if target == own.resolve():
            return True
        try:
            if path.exists() and own.exists() and os.path.samefile(path, own):
                return True
        except OSError:
            continue
    return False


def check_target(path: Path, files: CasebookFiles, *, force: bool = False) -> Path:
    """Refuse a target before anything is made for it; the absolute path when it may be written."""
    path = path.expanduser().absolute()
    if _is_casebook_file(path, files):
        raise Refused("export.casebook_file", "refused.export_casebook_file", path=str(path))
    if path.is_dir():
        raise CasebookError("error.export_folder", path=str(path))
    if path.exists() and not force:
        raise Refused("export.overwrite", "refused.export_exists", path=str(path))
    return path


def write_export(path: Path, data: bytes, files: CasebookFiles, *, force: bool = False) -> Path:
    """Write `data` to `path`: refused on the casebook's own files always, on an existing file unless `force`.

    A new file is created exclusively (no race with another writer); an existing one, with `force`, is
    replaced whole (written beside it, then renamed over it), so a failed write never leaves half a file.
    """
    path = check_target(path, files, force=force)
    try:
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            return path
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    except FileExistsError:
        raise Refused("export.overwrite", "refused.export_exists", path=str(path)) from None
    except OSError as exc:
        raise CasebookError("error.export_unwritable", path=str(path), detail=exc.strerror or str(exc)) from None
    return path


def file_name(kept: archive.Kept, fmt: str) -> str:
    """privacyverklaring-v3.pdf: the kind's name in the person's language, the version, the format."""
    stem = re.sub(r"[^a-z0-9-]+", "-", t(f"documents.file.{kept.kind.replace('-', '_')}").lower()).strip("-")
    return f"{stem or 'document'}-v{kept.version}.{fmt}"


def save_in_exports(session: Session, stem: str, fmt: str, data: bytes) -> Path:
    """Write `data` into the casebook folder's exports/ subfolder as STEM.FMT; an earlier file of that name is
    left alone (a number is added), so nothing is ever written over. Returns where it went."""
    folder = session.casebook.files.home / EXPORTS
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise CasebookError("error.export_unwritable", path=str(folder), detail=exc.strerror or str(exc)) from None
    for attempt in range(1, 1000):
        path = folder / (f"{stem}.{fmt}" if attempt == 1 else f"{stem}-{attempt}.{fmt}")
        if path.exists():
            continue
        try:
            return write_export(path, data, session.casebook.files)
        except Refused as refusal:
            if refusal.rule != "export.overwrite":  # another process took the name meanwhile: try the next
                raise
    raise CasebookError("error.export_unwritable", path=str(folder), detail="no free file name")


def export_to_folder(session: Session, kind: str, fmt: str, version: int | None = None) -> Path:
    """Write a kept document (default: its newest version) into the casebook folder's exports/ subfolder.

    The name is made from the document; an earlier export of the same version is left alone (a
    number is added), so nothing is ever written over.
    """
    kept = archive.get(session, kind, version)
    data = kept.render(fmt)
    return save_in_exports(session, file_name(kept, fmt).rsplit(".", 1)[0], fmt, data)


def report_file_stem(document: Document) -> str:
    """verslag-raad-van-bestuur-2026-10-01-2026-11-30: the kind in the person's language, the period."""
    stem = re.sub(r"[^a-z0-9-]+", "-", t(f"documents.file.{document.kind.replace('-', '_')}").lower()).strip("-")
    if document.about.period is not None:
        first, last = document.about.period
        stem += f"-{first.isoformat()}-{last.isoformat()}"
    return stem or "report"


def export_document(session: Session, document: Document, fmt: str) -> Path:
    """Write a report as it was made and shown (whoever may still read its kind) into exports/."""
    session.require(reports.kind(document.kind).read)
    return save_in_exports(session, report_file_stem(document), fmt, reports.render(document, fmt))
