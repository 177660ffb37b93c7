"""Showing text that came from users or logs: always as inert plain text."""

from __future__ import annotations

import re

from rich.text import Text

from casebook import i18n

# C0 and C1 control characters (escape sequences start with ESC or CSI); tab and newline are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: object) -> str:
    """Strip control characters, so an escape sequence in a name or URL cannot drive the terminal."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(value))


def plain(value: object, style: str = "") -> Text:
    """A Rich Text that never interprets markup: `[red]x` shows as written."""
    return Text(clean(value), style=style)


def number(value: int) -> str:
    """A count as its reader writes it: 12.345 in Dutch, 12,345 in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if i18n.get_language() == "nl" else text
