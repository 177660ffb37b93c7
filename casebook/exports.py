"""Writing what casebook exports: the one way a file leaves it, from the app or the command line.

- The app writes into the casebook's exports folder (setting `exports_folder`,
  default `exports` in the casebook's folder), under a name it chooses itself
  and never over an existing file: nobody at a forced-command SSH login picks
  a path, so nobody can aim an export at the key or at `.ssh/authorized_keys`.
  The administrator collects the files there (README, "Exports").
- The command line writes where `--out` says, `-` meaning stdout, with two
  rules: never over (or into) the casebook's own files, and never over an
  existing file without `--force`.

Every command that writes a file (receipt forms today; letters, access
answers and reports as they come) calls `write_export` or `save`.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from casebook import files, settings
from casebook.errors import CasebookError, Refused
from casebook.permissions import Action

if TYPE_CHECKING:
    from casebook.session import Session

STDOUT = "-"
# A name chosen twice on one day gets a number; past this many, something is wrong.
MAX_SAME_NAME = 1000
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def folder(session: Session) -> Path:
    """The exports folder, resolved (a relative setting is taken inside the casebook's folder)."""
    session.require(Action.VIEW_SETTINGS)
    where = session.casebook.files
    chosen = Path(settings.get(session.casebook.store, "exports_folder"))
    # Checked again here, not only when set: a folder replaced by a link since must not lead elsewhere.
    files.check_exports_folder(where, chosen)
    return files.resolved(where.home / chosen)


def safe_name(stem: str, suffix: str) -> str:
    """A file name with nothing a file system could read as a path or a hidden file."""
    clean = _UNSAFE.sub("_", stem).strip("._") or "export"
    return f"{clean[:80]}{_UNSAFE.sub('_', suffix)}"


def output_path(session: Session, out: str | os.PathLike[str], *, force: bool = False) -> Path | None:
    """Where a command's `--out` may write, resolved; None for `-` (stdout). Refused by the rules above."""
    if str(out) == STDOUT:
        return None
    where = session.casebook.files
    target = files.resolved(out)
    files.refuse_own_file(where, out, writing=True)
    if files.inside(target, files.resolved(where.home)) and not files.inside(target, folder(session)):
        raise Refused("files.own", "refused.inside_casebook", path=str(out), folder=str(where.home))
    if target.is_dir():
        raise Refused("files.overwrite", "refused.output_is_folder", path=str(out))
    if target.exists() and not force:
        raise Refused("files.overwrite", "refused.output_exists", path=str(out))
    return target


def write_export(
    session: Session, needs: Action, out: str | os.PathLike[str], data: str | bytes, *, force: bool = False
) -> Path | None:
    """Write `data` where `--out` says (see `output_path`); None when that is stdout, for the caller to print.

    `needs` is the permission the export falls under (the one its content asked for). A new file is
    created exclusively; an existing one (with `force`) is replaced whole, written beside it and renamed
    over it, so a failed write never leaves half a file.
    """
    session.require(needs)
    target = output_path(session, out, force=force)
    if target is None:
        return None
    try:
        if force and target.exists():
            _replace(target, data)
        else:
            _write(target, data)
    except FileExistsError:
        # Made by someone else since it was looked at: the rule holds all the same.
        raise Refused("files.overwrite", "refused.output_exists", path=str(out)) from None
    session.record("export.written", target.name, {"path": str(target)})
    return target


def save(session: Session, needs: Action, name: str, data: str | bytes) -> Path:
    """Write `data` into the exports folder under `name` (the app's choice), or name-2, name-3...; never over a file."""
    session.require(needs)
    into = folder(session)
    try:
        into.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise CasebookError("export.error.write", path=str(into), detail=exc.strerror or str(exc)) from exc
    stem, dot, suffix = name.rpartition(".")
    base, ending = (safe_name(stem, ""), f".{_UNSAFE.sub('_', suffix)}") if dot else (safe_name(name, ""), "")
    for number in range(1, MAX_SAME_NAME + 1):
        target = into / (f"{base}{ending}" if number == 1 else f"{base}-{number}{ending}")
        try:
            _write(target, data)
        except FileExistsError:
            continue
        session.record("export.written", target.name, {"path": str(target)})
        return target
    raise CasebookError("export.error.too_many", path=str(into), name=base)


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _write(target: Path, data: str | bytes) -> None:
    """Create the file for its owner only, never through a link, never over one (FileExistsError)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        raise
    except OSError as exc:
        raise CasebookError("export.error.write", path=str(target), detail=exc.strerror or str(exc)) from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(_bytes(data))


def _replace(target: Path, data: str | bytes) -> None:
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
    try:
        _write(temporary, data)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        raise CasebookError("export.error.write", path=str(target), detail=exc.strerror or str(exc)) from exc
    finally:
        temporary.unlink(missing_ok=True)
