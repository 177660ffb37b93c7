"""The one catalogue of user-facing text, Dutch (default) and English.

The catalogue lives in `catalogue.toml` beside this module: one table per
message with an `nl` and an `en` entry. Keys are dotted paths of the tables.

A message that counts something gives each language its plural forms, by the
names CLDR uses (Babel knows which form a number takes in each language):

    [overview.totals.users]
    nl = { one = "{count} gebruiker", other = "{count} gebruikers" }
    en = { one = "{count} user", other = "{count} users" }

`t(key, count=n)` then picks the form for n and writes n as a number of the language.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

_language = DEFAULT_LANGUAGE


Text = str | dict[str, str]  # one text, or its plural forms ("one", "other", ...)


@cache
def catalogue() -> dict[str, dict[str, Text]]:
    """Every message, flattened to {"dotted.key": {"nl": ..., "en": ...}}."""
    raw = tomllib.loads(resources.files("casebook").joinpath("catalogue.toml").read_text("utf-8"))
    flat: dict[str, dict[str, Text]] = {}

    def is_plural(value: object) -> bool:
        return isinstance(value, dict) and "other" in value and all(isinstance(v, str) for v in value.values())

    def walk(prefix: str, table: dict[str, Any]) -> None:
        texts = {
            lang: text
            for lang, text in table.items()
            if lang in LANGUAGES and (isinstance(text, str) or is_plural(text))
        }
        if texts:
            flat[prefix] = texts
        for name, value in table.items():
            if isinstance(value, dict) and name not in texts:
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
    return t_in(_language, key, **params)


def t_in(language: str, key: str, /, **params: Any) -> str:
    """The message for `key` in a language chosen by the caller, whatever the person's (a letter is in Dutch)."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(language) or entry.get(DEFAULT_LANGUAGE) or key
    if isinstance(text, dict):
        text, params = _plural(text, params, language)
    return text.format(**params) if params else text


def _plural(forms: dict[str, str], params: dict[str, Any], language: str) -> tuple[str, dict[str, Any]]:
    """The form the `count` parameter asks for, with the count written as the language writes numbers."""
    from casebook import formatting  # it writes numbers by language: imported when first needed

    count = params.get("count")
    if not isinstance(count, int):
        raise TypeError("a plural message needs an int `count`")
    form = formatting.plural_form(count, language)
    return forms.get(form, forms["other"]), {**params, "count": formatting.number(count, language)}
