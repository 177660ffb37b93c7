"""The one catalogue of user-facing text, Dutch (default) and English.

The catalogue lives in `catalogue.toml` beside this module: one table per
message with an `nl` and an `en` entry. Keys are dotted paths of the tables.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

_language = DEFAULT_LANGUAGE


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message, flattened to {"dotted.key": {"nl": ..., "en": ...}}."""
    raw = tomllib.loads(resources.files("casebook").joinpath("catalogue.toml").read_text("utf-8"))
    flat: dict[str, dict[str, str]] = {}

    def walk(prefix: str, table: dict[str, Any]) -> None:
        if any(isinstance(value, str) for value in table.values()):
            flat[prefix] = {lang: text for lang, text in table.items() if isinstance(text, str)}
        for name, value in table.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{name}" if prefix else name, value)

    walk("", raw)
    return flat


def set_language(language: str) -> None:
    global _language
    language = language.strip().lower()
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language


def get_language() -> str:
    return _language


def t(key: str, /, **params: Any) -> str:
    """The message for `key` in the current language, with `params` filled in.

    An unknown key shows as itself rather than failing: a missing translation
    must never hide the refusal or error it was meant to explain. A test keeps
    the catalogue complete.
    """
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(_language) or entry.get(DEFAULT_LANGUAGE) or key
    return text.format(**params) if params else text
