"""Property and example tests for ledgercheck.model.periods: periods, windows and calendar arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.model.periods import (
    Period,
    Unit,
    Window,
    add_months,
    add_years,
    complete_periods,
    months_between,
    years_between,
)

SETTINGS = settings(max_examples=200, deadline=None)

# Stay well away from date.min/date.max so that next()/add_months never overflow.
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))
units = st.sampled_from(list(Unit))
MONTHS = {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.YEAR: 12}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


# ---- Period --------------------------------------------------------------------------------------


@SETTINGS
@given(units, dates)
def test_period_of_contains_its_day_and_bounds_are_consistent(unit: Unit, day: dt.date) -> None:
    period = Period.of(unit, day)
    assert period.contains(day)
    assert period.start <= day <= period.end
    assert period.start.day == 1
    assert period.end.day == _last_day(period.end.year, period.end.month)
    # A period spans exactly its number of calendar months.
    assert (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1 == MONTHS[unit]
    assert period.start.year == period.end.year == period.year == day.year
    # The first and last day map back to the same period; the neighbours do not belong to it.
    assert Period.of(unit, period.start) == period
    assert Period.of(unit, period.end) == period
    assert not period.contains(period.start - dt.timedelta(days=1))
    assert not period.contains(period.end + dt.timedelta(days=1))


@SETTINGS
@given(units, dates)
def test_period_index_range(unit: Unit, day: dt.date) -> None:
    period = Period.of(unit, day)
    assert period.unit is unit
    if unit is Unit.MONTH:
        assert period.number == day.month
    elif unit is Unit.QUARTER:
        assert 1 <= period.number <= 4
        assert period.start.month in (1, 4, 7, 10)
        assert period.start.month <= day.month < period.start.month + 3
    else:
        assert period.number == 1
        assert period.start == dt.date(day.year, 1, 1)
        assert period.end == dt.date(day.year, 12, 31)


@SETTINGS
@given(units, dates)
def test_next_is_the_adjacent_following_period(unit: Unit, day: dt.date) -> None:
    period = Period.of(unit, day)
    following = period.next()
    assert following.unit is unit
    assert following.start == period.end + dt.timedelta(days=1)
    assert following > period
    assert Period.of(unit, period.end + dt.timedelta(days=1)) == following


@SETTINGS
@given(units, dates)
def test_label_parse_round_trip(unit: Unit, day: dt.date) -> None:
    period = Period.of(unit, day)
    label = period.label
    assert Period.parse(label) == period
    assert str(period) == label
    if unit is Unit.MONTH:
        assert label == f"{day.year:04d}-{day.month:02d}"
    elif unit is Unit.QUARTER:
        assert label == f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    else:
        assert label == f"{day.year:04d}"


@SETTINGS
@given(st.lists(st.tuples(units, dates), min_size=2, max_size=6))
def test_periods_of_one_unit_order_like_their_start_dates(items: list[tuple[Unit, dt.date]]) -> None:
    unit = items[0][0]
    periods = [Period.of(unit, day) for _u, day in items]
    assert sorted(periods) == sorted(periods, key=lambda p: p.start)


@pytest.mark.parametrize("label", ["2025-13", "2025-00", "2025-Q5", "2025-Q0", "25-03", "2025-3", "2025/03",
                                   "2025Q1", "", "abcd", "2025-03-01"])
def test_parse_rejects_bad_labels(label: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(label)


def test_localized_labels() -> None:
    assert Period(2025, Unit.MONTH, 3).localized("zh") == "2025年3月"
    assert Period(2025, Unit.QUARTER, 2).localized("zh") == "2025年第2季度"
    assert Period(2025, Unit.YEAR, 1).localized("zh") == "2025年"
    assert Period(2025, Unit.QUARTER, 2).localized("en") == "2025-Q2"


# ---- examples: leap years and quarter boundaries ------------------------------------------------


def test_february_in_leap_and_common_years() -> None:
    assert Period(2024, Unit.MONTH, 2).end == dt.date(2024, 2, 29)
    assert Period(2023, Unit.MONTH, 2).end == dt.date(2023, 2, 28)
    assert Period(1900, Unit.MONTH, 2).end == dt.date(1900, 2, 28)  # century, not a leap year
    assert Period(2000, Unit.MONTH, 2).end == dt.date(2000, 2, 29)  # divisible by 400
    assert Period(2024, Unit.QUARTER, 1).end == dt.date(2024, 3, 31)
    assert Period.of(Unit.MONTH, dt.date(2024, 2, 29)) == Period(2024, Unit.MONTH, 2)


@pytest.mark.parametrize(("day", "index"), [
    (dt.date(2025, 1, 1), 1), (dt.date(2025, 3, 31), 1), (dt.date(2025, 4, 1), 2), (dt.date(2025, 6, 30), 2),
    (dt.date(2025, 7, 1), 3), (dt.date(2025, 9, 30), 3), (dt.date(2025, 10, 1), 4), (dt.date(2025, 12, 31), 4),
])
def test_quarter_boundaries(day: dt.date, index: int) -> None:
    assert Period.of(Unit.QUARTER, day) == Period(2025, Unit.QUARTER, index)


def test_quarter_bounds_and_next_across_year_end() -> None:
    q2 = Period(2025, Unit.QUARTER, 2)
    assert (q2.start, q2.end) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert Period(2025, Unit.QUARTER, 4).next() == Period(2026, Unit.QUARTER, 1)
    assert Period(2025, Unit.MONTH, 12).next() == Period(2026, Unit.MONTH, 1)
    assert Period(2025, Unit.YEAR, 1).next() == Period(2026, Unit.YEAR, 1)


# ---- complete_periods ---------------------------------------------------------------------------


@st.composite
def windows(draw: st.DrawFn) -> tuple[Window, dt.date | None]:
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
    as_of = start + dt.timedelta(days=draw(st.integers(min_value=-40, max_value=6 * 366)))
    not_before = draw(st.none() | st.dates(min_value=dt.date(1985, 1, 1), max_value=dt.date(2047, 12, 31)))
    return Window(start, as_of), not_before


@settings(max_examples=300, deadline=None)
@given(units, windows(), st.sampled_from([1.0, 0.5, 0.0]))
def test_complete_periods_are_exactly_the_periods_that_ended_in_the_window(
        unit: Unit, window_and_floor: tuple[Window, dt.date | None], share: float) -> None:
    """A period is judged when it ended inside the window (the as-of day included) and, when the organization was
    established (`since`) during it, the organization existed for at least `share` of its days."""
    window, since = window_and_floor
    periods = complete_periods(unit, window, since, share)

    def owed(period: Period) -> bool:
        ended_inside = window.start <= period.end <= window.as_of
        if since is None or since <= period.start:
            return ended_inside
        existed = (period.end - since).days + 1
        return ended_inside and existed > 0 and existed >= share * ((period.end - period.start).days + 1)

    # Every period from the one holding the window's start to the one holding as-of, checked one by one.
    candidates, period = [], Period.of(unit, window.start)
    while period.start <= max(window.as_of, window.start):
        candidates.append(period)
        period = period.next()
    assert periods == [p for p in candidates if owed(p)]
    for earlier, later in zip(periods, periods[1:]):
        assert earlier.next() == later  # contiguous


def test_a_period_ending_on_the_as_of_date_is_judged() -> None:
    year_end = Window(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert complete_periods(Unit.YEAR, year_end) == [Period(2025, Unit.YEAR, 1)]
    assert complete_periods(Unit.MONTH, year_end)[-1] == Period(2025, Unit.MONTH, 12)
    assert complete_periods(Unit.QUARTER, Window(dt.date(2025, 1, 2), dt.date(2025, 3, 31))) == \
        [Period(2025, Unit.QUARTER, 1)]  # a window starting on 2 January still judges the year's first quarter
    assert complete_periods(Unit.MONTH, Window(dt.date(2025, 1, 1), dt.date(2025, 12, 30)))[-1] == \
        Period(2025, Unit.MONTH, 11)  # December is not over


def test_the_period_an_organization_was_established_in_counts_from_a_share() -> None:
    window = Window(dt.date(2025, 1, 1), dt.date(2026, 1, 15))
    established = dt.date(2025, 2, 15)
    assert complete_periods(Unit.YEAR, window, established, 0.5) == [Period(2025, Unit.YEAR, 1)]
    assert complete_periods(Unit.YEAR, window, established, 1.0) == []
    assert complete_periods(Unit.YEAR, window, dt.date(2025, 9, 1), 0.5) == []  # a third of the year


def test_complete_periods_examples() -> None:
    window = Window(dt.date(2024, 1, 1), dt.date(2025, 1, 15))
    quarters = complete_periods(Unit.QUARTER, window)
    assert [p.label for p in quarters] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    # A quarter that ends inside the window is judged, the one holding its start included; as-of on the last day
    # of a period judges it.
    assert [p.label for p in complete_periods(Unit.QUARTER, Window(dt.date(2024, 1, 2), dt.date(2024, 12, 31)))] \
        == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert complete_periods(Unit.YEAR, Window(dt.date(2024, 1, 1), dt.date(2025, 1, 1))) == [Period(2024, Unit.YEAR, 1)]
    assert complete_periods(Unit.YEAR, Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31))) == [Period(2024, Unit.YEAR, 1)]
    assert complete_periods(Unit.YEAR, Window(dt.date(2024, 1, 1), dt.date(2024, 12, 30))) == []
    # An organization established in March 2024 is judged from April's month / Q2 on.
    months = complete_periods(Unit.MONTH, window, dt.date(2024, 3, 15))
    assert months[0].label == "2024-04" and months[-1].label == "2024-12" and len(months) == 9
    assert complete_periods(Unit.QUARTER, window, dt.date(2024, 3, 15))[0].label == "2024-Q2"
    # not_before earlier than the window changes nothing.
    assert complete_periods(Unit.QUARTER, window, dt.date(2000, 1, 1)) == quarters
    # An empty window.
    assert complete_periods(Unit.MONTH, Window(dt.date(2024, 5, 1), dt.date(2024, 4, 1))) == []


# ---- calendar arithmetic ------------------------------------------------------------------------


def test_add_months_clips_to_month_end() -> None:
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 3, 31), 1) == dt.date(2024, 4, 30)
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2020, 1, 15), 1.5) == dt.date(2021, 7, 15)
    assert add_years(dt.date(2020, 1, 15), 0.5) == dt.date(2020, 7, 15)


@SETTINGS
@given(dates, st.integers(min_value=-600, max_value=600))
def test_add_months_properties(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    total = day.year * 12 + day.month - 1 + months
    assert result.year * 12 + result.month - 1 == total
    assert result.day == min(day.day, _last_day(result.year, result.month))
    # Clipping happens only when the day does not exist in the target month.
    if day.day <= 28:
        assert result.day == day.day


@SETTINGS
@given(dates, st.integers(min_value=-50, max_value=50))
def test_add_years_is_twelve_months(day: dt.date, years: int) -> None:
    assert add_years(day, years) == add_months(day, 12 * years)


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=600))
def test_months_between_inverts_add_months(day: dt.date, months: int) -> None:
    assert months_between(day, add_months(day, months)) == months


@SETTINGS
@given(dates, dates)
def test_months_between_is_the_largest_whole_number_of_months(a: dt.date, b: dt.date) -> None:
    earlier, later = min(a, b), max(a, b)
    months = months_between(earlier, later)
    assert months >= 0
    assert add_months(earlier, months) <= later
    assert add_months(earlier, months + 1) > later
    # Reversed, the count is not positive.
    assert months_between(later, earlier) <= 0
    assert months_between(earlier, earlier) == 0


@SETTINGS
@given(dates, dates)
def test_years_between_is_completed_years(a: dt.date, b: dt.date) -> None:
    earlier, later = min(a, b), max(a, b)
    years = years_between(earlier, later)
    assert years == months_between(earlier, later) // 12
    assert add_years(earlier, years) <= later
    assert add_years(earlier, years + 1) > later


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=100))
def test_years_between_inverts_add_years(day: dt.date, years: int) -> None:
    assert years_between(day, add_years(day, years)) == years


def test_years_between_examples() -> None:
    born = dt.date(2000, 5, 20)
    assert years_between(born, dt.date(2018, 5, 19)) == 17
    assert years_between(born, dt.date(2018, 5, 20)) == 18
    # Feb 29 birthdays: the anniversary in a common year is clipped to Feb 28, like add_years.
    assert years_between(dt.date(2000, 2, 29), dt.date(2018, 2, 27)) == 17
    assert years_between(dt.date(2000, 2, 29), dt.date(2018, 2, 28)) == 18
    assert months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 1
    assert months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 28)) == 0
    assert months_between(dt.date(2024, 3, 5), dt.date(2023, 3, 5)) == -12


# ---- the fast arithmetic agrees with dateutil ------------------------------------------------------


@SETTINGS
@given(dates, st.integers(min_value=-600, max_value=600))
def test_add_months_matches_dateutil(day: dt.date, months: int) -> None:
    from dateutil.relativedelta import relativedelta

    assert add_months(day, months) == day + relativedelta(months=months)


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=40),
       st.integers(min_value=0, max_value=400))
def test_duration_after_matches_dateutil(day: dt.date, years: int, months: int, days: int) -> None:
    from dateutil.relativedelta import relativedelta

    from ledgercheck.checks.base import Duration

    expected = day + relativedelta(years=years, months=months, days=days)
    assert Duration(years=years, months=months, days=days).after(day) == expected


@SETTINGS
@given(units, dates)
def test_period_end_is_cached_and_right(unit: Unit, day: dt.date) -> None:
    period = Period.of(unit, day)
    last_month = period.number * MONTHS[unit]
    assert period.end == dt.date(period.year, last_month, _last_day(period.year, last_month))
    assert period.end is period.end


@SETTINGS
@given(dates, dates)
def test_calendar_gap_matches_dateutil(earlier: dt.date, later: dt.date) -> None:
    from dateutil.relativedelta import relativedelta

    from ledgercheck.model.periods import calendar_gap

    delta = relativedelta(later, earlier)
    months, days = calendar_gap(earlier, later)
    assert (months, days) == (delta.years * 12 + delta.months, delta.days)
    assert months_between(earlier, later) == delta.years * 12 + delta.months
    assert years_between(earlier, later) == delta.years


@SETTINGS
@given(dates, st.integers(min_value=-400, max_value=400))
def test_calendar_gap_near_month_ends(day: dt.date, offset: int) -> None:
    from dateutil.relativedelta import relativedelta

    from ledgercheck.model.periods import calendar_gap

    last = dt.date(day.year, day.month, _last_day(day.year, day.month))  # clipping happens at month ends
    other = last + dt.timedelta(days=offset)
    for a, b in ((last, other), (other, last)):
        delta = relativedelta(b, a)
        assert calendar_gap(a, b) == (delta.years * 12 + delta.months, delta.days)


def test_month_only_date_shows_its_month_in_messages_and_its_day_to_machines() -> None:
    from ledgercheck.common.i18n import format_value, render
    from ledgercheck.findings.finding import _plain
    from ledgercheck.model.periods import MonthDate

    day = MonthDate(2022, 6, 1)
    assert render("本届于{elected_on}选举产生", {"elected_on": day}, "zh") == "本届于2022-06选举产生"
    assert format_value(day, "en") == "2022-06"
    assert _plain(day, "zh") == "2022-06-01"  # JSON, SARIF, CSV: one date form for machines
    assert format_value(dt.date(2022, 6, 1), "zh") == "2022-06-01"  # a full date is unchanged
    assert str(day) == "2022-06-01" and day == dt.date(2022, 6, 1)  # fingerprints and keys unchanged


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Unit)), st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 12, 31)))), max_size=40), st.integers(1, 8))
def test_remembered_periods_are_the_periods_made_afresh(items: list[tuple[Unit, dt.date]], kept: int) -> None:
    """Period.of remembers what it made (and forgets it all when full): a day gives its own month, quarter or year
    however often it is asked for, whatever was asked before, a datetime as its date."""
    from ledgercheck.model import periods

    saved = periods.OF_KEPT
    periods.OF_KEPT = kept
    periods._OF.clear()
    try:
        for unit, day in items * 2:
            number = {Unit.MONTH: day.month, Unit.QUARTER: (day.month - 1) // 3 + 1, Unit.YEAR: 1}[unit]
            assert Period.of(unit, day) == (day.year, unit, number)
            assert len(periods._OF) <= kept
    finally:
        periods.OF_KEPT = saved
