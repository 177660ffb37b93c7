"""Showing text that came from users or logs: always as inert plain text."""

from __future__ import annotations

from rich.text import Text

from casebook.plaintext import inert as clean

__all__ = ["clean", "plain"]


def plain(value: object, style: str = "") -> Text:
    """A Rich Text that never interprets markup (`[red]x` shows as written), control characters made visible."""
    return Text(clean(value), style=style)
