"""The casebook's own files, and the places outside it that casebook reads from and writes to.

The database (with its journals), the key and the audit trail's anchor are
never read as input nor written over as output, whatever path or link leads to them: an import of the
key would show its bytes among the rejected lines, an export over it destroys
the casebook. The app, the only way in for people without a shell on the
server, is held closer still (casebook.logs.sources, casebook.exports): it
never reaches into the casebook's folder or the service account's home, where
`.ssh/authorized_keys` decides who may come in.

Paths are judged resolved (symlinks followed, `..` gone), and a file that is
one of the own files under another name (a hard link) is recognised too.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from casebook.errors import Refused
from casebook.paths import CasebookFiles

# SQLite's companions of the database: whoever writes over one of them corrupts the casebook as surely.
DB_COMPANIONS = ("-wal", "-shm", "-journal")


def resolved(path: str | os.PathLike[str]) -> Path:
    """The absolute path with every symlink followed; a part that does not exist yet is kept as given."""
    return Path(path).expanduser().resolve()


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or lies somewhere below it (both resolved)."""
    return path == folder or folder in path.parents


def own_files(files: CasebookFiles) -> list[Path]:
    """The database, its journals, the key and the audit trail's anchor."""
    companions = (files.db.with_name(files.db.name + suffix) for suffix in DB_COMPANIONS)
    return [files.db, *companions, files.key, files.anchor]


def is_own_file(files: CasebookFiles, path: str | os.PathLike[str]) -> bool:
    target = resolved(path)
    for own in own_files(files):
        if target == resolved(own):
            return True
        try:
            if os.path.samefile(target, own):
                return True
        except OSError:
            continue  # one of them does not exist (or cannot be looked at): not the same file
    return False


def account_home() -> Path | None:
    """The home folder of the account running casebook, from the password database (not $HOME)."""
    try:
        return resolved(pwd.getpwuid(os.geteuid()).pw_dir)
    except (KeyError, OSError):
        return None


def protected_folders(files: CasebookFiles) -> list[Path]:
    """What the app never reaches into: the casebook's folder and the home of the account it runs as."""
    home = account_home()
    return [resolved(files.home), *([home] if home and home != Path("/") else [])]


def refuse_own_file(files: CasebookFiles, path: str | os.PathLike[str], *, writing: bool) -> None:
    if is_own_file(files, path):
        raise Refused("files.own", "refused.own_file_write" if writing else "refused.own_file_read", path=str(path))


def check_import_folder(files: CasebookFiles, folder: Path) -> None:
    """An import folder (setting `import_folders`) lies outside the folders the app never reaches into."""
    target = resolved(folder)
    if not folder.is_absolute() or any(inside(target, guarded) for guarded in protected_folders(files)):
        raise Refused("settings.folder", "refused.setting_import_folder", folder=str(folder))


def check_exports_folder(files: CasebookFiles, folder: Path) -> None:
    """The exports folder (setting `exports_folder`, relative to the casebook's folder) is a folder of its own:
    not the casebook's folder, not the account's home, nothing in an `.ssh` folder."""
    target = resolved(files.home / folder)
    reserved = [resolved(files.home), *([home] if (home := account_home()) else [])]
    if target in reserved or ".ssh" in target.parts or is_own_file(files, target):
        raise Refused("settings.folder", "refused.setting_exports_folder", folder=str(folder))
