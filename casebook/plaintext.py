"""Text that came from logs, files or people, made inert before anyone reads it.

A name, a URL or a log line may hold control characters: an escape sequence in
it could move the cursor, recolour or clear a terminal. Screens, the command
line and the import all clean such text through this one module.
"""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL (escape sequences start with ESC or CSI); tab and newline are kept.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def inert(value: object) -> str:
    """Every control character shown as U+FFFD, so the reader sees that something was there."""
    return CONTROL.sub(REPLACEMENT, str(value))


def one_line(value: str | None) -> str:
    """A name as a single line of plain text: control characters (tab and newline too) become spaces, runs of
    spaces one."""
    return " ".join(_ANY_CONTROL.sub(" ", value or "").split())
