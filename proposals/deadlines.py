"""Statutory deadlines of proposal handling (DOMAIN §3.3, §3.5) on China's official calendar.

Working days follow the State Council's holiday schedule with its adjusted working days, from the
`chinesecalendar` package. For a year the package does not know yet, Monday to Friday count as
working days (and a warning is logged) until the package is updated.
"""

import logging
from datetime import date, timedelta

import chinese_calendar
from dateutil.relativedelta import relativedelta

logger = logging.getLogger(__name__)

ACKNOWLEDGE_WORKING_DAYS = 5
HANDLING_MONTHS = 3
MAX_HANDLING_MONTHS = 6
FEEDBACK_MONTHS = 1


_WARNED_YEARS: set[int] = set()


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _WARNED_YEARS:
            _WARNED_YEARS.add(day.year)
            logger.warning("no official calendar for %s yet; counting Monday to Friday", day.year)
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself does not count)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def subtract_working_days(end: date, days: int) -> date:
    """The latest day with `days` working days after it up to and including `end`."""
    day = end
    while days > 0:
        days -= is_working_day(day)
        day -= timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def acknowledgement_due(assigned_on: date) -> date:
    return add_working_days(assigned_on, ACKNOWLEDGE_WORKING_DAYS)


def handling_due(assigned_on: date) -> date:
    return assigned_on + relativedelta(months=HANDLING_MONTHS)


def latest_extension(assigned_on: date) -> date:
    return assigned_on + relativedelta(months=MAX_HANDLING_MONTHS)


def feedback_due(replied_on: date) -> date:
    return replied_on + relativedelta(months=FEEDBACK_MONTHS)
