"""How the casebook writes numbers, volumes, durations and dates for a reader, in Dutch or English.

One place for every figure a screen, a command or a letter shows, so a count
reads the same everywhere: 12.345 in Dutch (nl_BE), 12,345 in English; 2,8 GB
and 2.8 GB. Domain names too: an internationalised one reads bücher.de, not its
punycode. The grouping, decimal signs and month names come from Babel's
CLDR data, not from hand-written tables. JSON output never goes through here:
it keeps plain numbers.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from casebook import i18n

# The locale of each catalogue language: Belgian Dutch, and British English (day-month order, as in Europe).
LOCALES = {"nl": "nl_BE", "en": "en_GB"}
_UNITS = ("B", "KB", "MB", "GB", "TB")


def locale(language: str | None = None) -> str:
    return LOCALES[language or i18n.get_language()]


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def plural_form(count: int, language: str | None = None) -> str:
    """The CLDR plural category of `count` in the current language (or `language`): "one", "other", ..."""
    return _locale(locale(language)).plural_form(abs(count))


def number(value: int, language: str | None = None) -> str:
    """A count: 12.345 (nl), 12,345 (en)."""
    return format_decimal(int(value), locale=locale(language))


def people(count: int | None, minimum: int) -> str:
    """How many people a global figure is about; fewer than the policy's smallest group shows as "< N"."""
    return number(count) if count is not None else f"< {number(minimum)}"


def decimal(value: float, digits: int = 1) -> str:
    """A measure with `digits` decimals: 2,8 (nl), 2.8 (en)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale())


def size(count: int) -> str:
    """A volume in bytes, in the largest unit under 1024 (binary steps, as proxies count): '2,8 GB'."""
    value = float(count)
    unit = 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value /= 1024
        unit += 1
    if unit <= 1:
        return f"{number(round(value))} {_UNITS[unit]}"
    return f"{decimal(value)} {_UNITS[unit]}"


def duration(seconds: float) -> str:
    """A total time in words, to the minute once it passes one: '42 s', '12 min', '443 u 23 min'."""
    total = round(seconds)
    if total < 60:
        return i18n.t("format.seconds", seconds=number(total))
    minutes = total // 60
    if minutes < 60:
        return i18n.t("format.minutes", minutes=number(minutes))
    return i18n.t("format.hours_minutes", hours=number(minutes // 60), minutes=f"{minutes % 60:02d}")


def elapsed(seconds: float) -> str:
    """How long a job took, to the second: 'under 1 s', '12 s', '3 min 4 s'."""
    if seconds < 1:
        return i18n.t("format.under_second")
    whole = round(seconds)
    if whole < 60:
        return i18n.t("format.seconds", seconds=number(whole))
    return i18n.t("format.minutes_seconds", minutes=number(whole // 60), seconds=whole % 60)


def clock_time(seconds: float | None, hours: bool = True) -> str:
    """A time as a clock shows it, for table cells: hours:minutes ('443:23') or minutes:seconds ('0:24')."""
    if seconds is None:
        return "-"
    total = round(seconds)
    if hours:
        total //= 60  # whole minutes
    return f"{number(total // 60)}:{total % 60:02d}"


def domain_text(name: str | None) -> str:
    """A host or domain name as people write it: internationalised labels in their own letters.

    'xn--bcher-kva.de' -> 'bücher.de'. Storage and JSON keep the ASCII (punycode) form; only what
    a person reads is turned back. A label that is not valid punycode stays as it is.
    """
    if not name or "xn--" not in name.lower():
        return name or ""
    labels = []
    for label in name.split("."):
        if label.lower().startswith("xn--"):
            try:
                label = label.lower().encode("ascii").decode("idna")
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


def long_date(value: date, language: str | None = None) -> str:
    """A date written out, as in a letter or the policy text: '1 januari 2027', '1 January 2027'."""
    return format_date(value, "d MMMM y", locale=LOCALES[language or i18n.get_language()])


def month(value: date, language: str | None = None) -> str:
    """A calendar month written out, as a report's table heads it: 'oktober 2026', 'October 2026'."""
    return format_date(value, "LLLL y", locale=LOCALES[language or i18n.get_language()])
