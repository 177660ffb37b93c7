"""Which files a log import may read.

The command line is run by someone with a shell on the server: it may read
what that shell can read, except the casebook's own files. The app is how
people without a shell get in (an SSH key's forced command), and the service
account it runs as can read more than its logs: the casebook's key, the
`.ssh` folder of its home. So in the app an import reads only from the folders
the setting `import_folders` allows (default `/var/log`), and never from the
casebook's folder or the account's home, whatever that setting says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casebook import files, settings
from casebook.errors import Refused
from casebook.paths import CasebookFiles
from casebook.permissions import Action
from casebook.session import Interface

if TYPE_CHECKING:
    from casebook.session import Session


def allowed_folders(session: Session) -> list[Path]:
    """The folders the app imports from (setting `import_folders`), as written there."""
    session.require(Action.IMPORT_LOGS)
    return [Path(folder) for folder in settings.get(session.casebook.store, "import_folders")]


@dataclass(frozen=True)
class Reach:
    """What one session's imports may read: asked once, then answered for any number of paths (a folder tree)."""

    own: CasebookFiles
    confined: bool
    allowed: tuple[Path, ...]  # as the setting writes them, for messages
    allowed_resolved: tuple[Path, ...]
    guarded: tuple[Path, ...]

    def refusal(self, path: str | os.PathLike[str]) -> Refused | None:
        """The refusal an import of `path` would meet, or None."""
        if files.is_own_file(self.own, path):
            return Refused("files.own", "refused.own_file_read", path=str(path))
        if not self.confined:
            return None
        target = files.resolved(path)
        if any(files.inside(target, folder) for folder in self.guarded):
            return Refused("files.import_folder", "refused.import_protected", path=str(path))
        if not any(files.inside(target, folder) for folder in self.allowed_resolved):
            return Refused(
                "files.import_folder",
                "refused.import_outside",
                path=str(path),
                folders=", ".join(str(folder) for folder in self.allowed),
            )
        return None

    def __call__(self, path: str | os.PathLike[str]) -> bool:
        """Whether an import may read `path` (for a folder: whether the app may show what is in it)."""
        return self.refusal(path) is None


def reach(session: Session) -> Reach:
    session.require(Action.IMPORT_LOGS)
    own = session.casebook.files
    folders = tuple(allowed_folders(session))
    return Reach(
        own=own,
        confined=session.interface is Interface.APP,
        allowed=folders,
        allowed_resolved=tuple(files.resolved(folder) for folder in folders),
        guarded=tuple(files.protected_folders(own)),
    )


def check(session: Session, path: str | os.PathLike[str]) -> Path:
    """The path an import of `path` reads, resolved; refused when the session may not read it.

    The import then reads the resolved path, so a link swapped after this check cannot lead elsewhere.
    """
    refused = reach(session).refusal(path)
    if refused is not None:
        raise refused
    return files.resolved(path)
