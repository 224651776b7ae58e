"""Deadlines in working days on the official calendar, adjusted working days included."""

from datetime import date

from proposals import deadlines


def test_acknowledgement_across_national_day_2023():
    # 2023: Sep 29 – Oct 6 off; Saturday Oct 7 and Sunday Oct 8 are adjusted working days.
    assert deadlines.acknowledgement_due(date(2023, 9, 28)) == date(2023, 10, 11)
    assert deadlines.is_working_day(date(2023, 10, 7))
    assert not deadlines.is_working_day(date(2023, 10, 2))


def test_ordinary_week_and_spring_festival():
    assert deadlines.acknowledgement_due(date(2023, 3, 1)) == date(2023, 3, 8)
    # 2024 Spring Festival: Feb 10–17 off, Feb 4 (Sun) and Feb 18 (Sun) worked
    assert deadlines.add_working_days(date(2024, 2, 8), 2) == date(2024, 2, 18)


def test_months_and_their_limits():
    assert deadlines.handling_due(date(2023, 11, 30)) == date(2024, 2, 29)
    assert deadlines.latest_extension(date(2023, 3, 1)) == date(2023, 9, 1)
    assert deadlines.feedback_due(date(2023, 1, 31)) == date(2023, 2, 28)


def test_years_beyond_the_calendar_fall_back_to_weekdays():
    assert deadlines.is_working_day(date(2030, 1, 7))  # a Monday
    assert not deadlines.is_working_day(date(2030, 1, 6))  # a Sunday
    assert deadlines.working_days_between(date(2023, 9, 28), date(2023, 10, 11)) == 5
