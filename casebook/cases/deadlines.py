"""Working days and the legal deadlines of a case (art. 35 of the law of 3 July 1978 on employment contracts).

In labour law a working day is every day but Sundays and public holidays: Saturdays count. The Civil
Code's new definition (book 1, art. 1.7, without Saturdays) was set aside for labour law by the law of
26 December 2022. Belgium's ten public holidays (1 January, Easter Monday, 1 May, Ascension Day, Whit
Monday, 21 July, 15 August, 1 November, 11 November, 25 December) come from the `holidays` package,
which computes the moving feasts. Illness or holidays of the people involved do not stop the count.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

# Dismissal for serious cause: the decision within three working days after the person entitled to
# dismiss has certain knowledge of the facts, and the written reasons within three working days after it.
DISMISSAL_DECISION_DAYS = 3
DISMISSAL_REASONS_DAYS = 3


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year))


def is_working_day(day: date) -> bool:
    return day.isoweekday() != 7 and day not in _public_holidays(day.year)


def working_days_after(start: date, count: int) -> date:
    """The `count`-th working day after `start`: the count begins the next day (art. 35: 'binnen drie werkdagen')."""
    day = start
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def dismissal_decision_due(known_on: date) -> date:
    return working_days_after(known_on, DISMISSAL_DECISION_DAYS)


def dismissal_reasons_due(dismissed_on: date) -> date:
    return working_days_after(dismissed_on, DISMISSAL_REASONS_DAYS)
