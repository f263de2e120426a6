"""Calendar periods (month, quarter, year), audit windows and calendar arithmetic.

A period is judged only when it is complete (its last day is before the as-of date), lies wholly
inside the audit window, and starts on or after the organization was established.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from ledgercheck.common.i18n import Lang


class Unit(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_MONTHS_PER = {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.YEAR: 12}
# First and last days, computed once: checks ask for the same few periods again and again.
_STARTS: dict[Period, dt.date] = {}
_OF: dict[tuple[Unit, dt.date], Period] = {}  # Period.of, by unit and day
OF_KEPT = 1 << 13  # about 1.6 MB; a unit asks for some 1,000 distinct days
_ENDS: dict[Period, dt.date] = {}


class Period(NamedTuple):
    """One calendar month, quarter or year. `number` is the month (1–12), quarter (1–4) or 1.

    A NamedTuple: comparing and hashing periods is C-level work, and ledgers compare a great many.
    """

    year: int
    unit: Unit
    number: int  # the month (1–12), quarter (1–4) or 1 for a year

    @classmethod
    def of(cls, unit: Unit, day: dt.date) -> Period:
        """The period `day` falls in (remembered: rules ask for the same meeting and payment days again and
        again, and a lookup costs a quarter of making the period)."""
        key = (unit, day)
        found = _OF.get(key)
        if found is None:
            if len(_OF) >= OF_KEPT:
                _OF.clear()
            if unit is Unit.MONTH:
                found = cls(day.year, unit, day.month)
            elif unit is Unit.QUARTER:
                found = cls(day.year, unit, (day.month - 1) // 3 + 1)
            else:
                found = cls(day.year, unit, 1)
            _OF[key] = found
        return found

    @property
    def start(self) -> dt.date:
        start = _STARTS.get(self)
        if start is None:
            start = _STARTS[self] = dt.date(self.year, (self.number - 1) * _MONTHS_PER[self.unit] + 1, 1)
        return start

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        end = _ENDS.get(self)
        if end is None:
            last_month = self.number * _MONTHS_PER[self.unit]
            end = _ENDS[self] = dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])
        return end

    def next(self) -> Period:
        if self.number * _MONTHS_PER[self.unit] == 12:
            return Period(self.year + 1, self.unit, 1)
        return Period(self.year, self.unit, self.number + 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """Stable machine label: 2025-03, 2025-Q2, 2025."""
        if self.unit is Unit.MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        if self.unit is Unit.QUARTER:
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    def localized(self, lang: Lang) -> str:
        if lang == "en":
            return self.label
        if self.unit is Unit.MONTH:
            return f"{self.year}年{self.number}月"
        if self.unit is Unit.QUARTER:
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年"

    def __str__(self) -> str:
        return self.label

    @classmethod
    def parse(cls, label: str) -> Period:
        match = re.fullmatch(r"(\d{4})(?:-(?:(\d{2})|Q([1-4])))?", label)
        if not match:
            raise ValueError(f"not a period label: {label!r} (expected 2025-03, 2025-Q2 or 2025)")
        year = int(match.group(1))
        if match.group(2):
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"month out of range in {label!r}")
            return cls(year, Unit.MONTH, month)
        if match.group(3):
            return cls(year, Unit.QUARTER, int(match.group(3)))
        return cls(year, Unit.YEAR, 1)


@dataclass(frozen=True, slots=True)
class Window:
    """The audit window: records dated from `start` up to and including `as_of` are judged."""

    start: dt.date
    as_of: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.as_of


def complete_periods(unit: Unit, window: Window, since: dt.date | None = None, share: float = 1.0) -> list[Period]:
    """The periods to judge: those that ended inside the window (on or before as-of, on or after its start).

    A period ending on the as-of date is complete (a year-end audit judges the year); one still running is not.
    `since` (an organization's establishment, a committee's election) removes the periods before it, and the
    period it falls in unless it existed for at least `share` of that period's days.
    """
    periods = []
    period = Period.of(unit, window.start)
    while period.end <= window.as_of:
        if since is None or since <= period.start or (
                since <= period.end and (period.end - since).days + 1 >= share * ((period.end - period.start).days + 1)):
            periods.append(period)
        period = period.next()
    return periods


class MonthDate(dt.date):
    """A date the ledger gives with its month only (入党日期 2025.03): stored as a day of that month (the 1st, or the
    last for an "until" field), but it says no more than the month. Rules that compare days give it the whole month
    (`earliest`, `latest`); it equals, hashes, orders and serializes (str, JSON) as the day stored, so fingerprints
    and machine formats do not change, but a message shows it as the ledger gave it: its month."""

    __slots__ = ()

    def localized(self, lang: Lang) -> str:
        """2022-06 in a message (i18n.format_value), not 2022-06-01: the ledger named no day."""
        return f"{self.year:04d}-{self.month:02d}"


class YearDate(dt.date):
    """A date the ledger gives with its year only (入党日期 1985年, common for members who joined decades ago):
    stored as 1 January, it says no more than the year. As for a MonthDate, rules that compare days give it the
    whole year (`earliest`, `latest`), and it serializes as the day stored but shows as its year."""

    __slots__ = ()

    def localized(self, lang: Lang) -> str:
        return f"{self.year:04d}"


def earliest(day: dt.date) -> dt.date:
    """The first day `day` may stand for: its month's first for a MonthDate, its year's for a YearDate, else itself."""
    kind = day.__class__
    if kind is MonthDate:
        return day.replace(day=1)
    return dt.date(day.year, 1, 1) if kind is YearDate else day


def latest(day: dt.date) -> dt.date:
    """The last day `day` may stand for: its month's last for a MonthDate, its year's for a YearDate, else itself."""
    kind = day.__class__
    if kind is MonthDate:
        return Period(day.year, Unit.MONTH, day.month).end
    return dt.date(day.year, 12, 31) if kind is YearDate else day


@lru_cache(maxsize=1 << 16, typed=True)  # typed: a MonthDate equals its plain day, and stays a MonthDate
def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic: Jan 31 + 1 month = Feb 28/29 (dateutil's clipping).

    Cached: checks ask for the same few dates again and again, and relativedelta is slow to build.
    dateutil is imported on first use, so commands that never do date arithmetic start without it.
    """
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def add_years(day: dt.date, years: int | float) -> dt.date:
    """Whole or fractional years as calendar months: 1.5 years = 18 months."""
    return add_months(day, round(years * 12))


@lru_cache(maxsize=1 << 16)
def calendar_gap(earlier: dt.date, later: dt.date) -> tuple[int, int]:
    """(whole calendar months, remaining days) from `earlier` to `later`; both negative when reversed.

    dateutil's relativedelta(later, earlier), in months and days.
    """
    from dateutil.relativedelta import relativedelta

    delta = relativedelta(later, earlier)
    return delta.years * 12 + delta.months, delta.days


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier` to `later` (negative when reversed)."""
    return calendar_gap(earlier, later)[0]


def years_between(earlier: dt.date, later: dt.date) -> int:
    """Completed years from `earlier` to `later`: age on a date, Party standing."""
    months = calendar_gap(earlier, later)[0]
    return months // 12 if months >= 0 else -(-months // 12)
