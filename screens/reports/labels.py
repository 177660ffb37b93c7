"""How the Reports mode names a period: '1 oktober 2026 – 28 november 2026 (59 dagen)'."""

from __future__ import annotations

from casebook.formatting import long_date
from casebook.i18n import t
from casebook.logs.rollups import Period


def period_words(span: Period) -> str:
    days = (span.last_day - span.first_day).days + 1
    return t("reports.period.days", first=long_date(span.first_day), last=long_date(span.last_day), count=days)
