"""Dates written without their year (3月5日) in a yearly record whose title or sheet name gives the year
(2025年组织生活记录): a clean ledger kept that way came out "incomplete" (exit 2) with an INPUT-BAD-DATE per row and
every meeting unheld. They are read in that year, with one notice per column; without exactly one year to take,
each such cell says it lacks the year and how to give it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgercheck.common.i18n import chinese_number
from ledgercheck.ingest.aliases import load_aliases
from ledgercheck.ingest.coerce import CellError, to_date, to_month
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.model.periods import Period, Unit
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json

_CN = "〇一二三四五六七八九"


def _cn(number: int) -> str:
    """十二, 五, 二十一: as people write a month or a day in Chinese numerals."""
    tens, ones = divmod(number, 10)
    return (("" if tens == 1 else _CN[tens]) + "十" if tens else "") + (_CN[ones] if ones else "")


def _yearless(day: dt.date, row: int) -> str:
    """The ways a secretary writes a day without its year, by turns."""
    forms = [f"{day.month}月{day.day}日", f"{day.month}月{day.day}号", f"{_cn(day.month)}月{_cn(day.day)}日",
             f"{day.month}月{day.day}日（周{'一二三四五六日'[day.weekday()]}）下午", f"{day.month}月{day.day}日至{day.day}日"]
    return forms[row % len(forms)]


def _without_years(source: Path, path: Path, *, title: str | None, dues_sheet: str = "党费") -> dict[str, int]:
    """The sample with the meetings' and the dues' dates and months written without their year: a title row above
    the meetings' header (when given) and the dues sheet renamed. The count of cells rewritten, by column."""
    book = openpyxl.load_workbook(source)
    meetings, dues = book["组织生活"], book["党费"]
    counts = {"日期": 0, "所属月份": 0, "缴纳日期": 0}
    date_column = [c.value for c in meetings[1]].index("日期") + 1
    for row in range(2, meetings.max_row + 1):
        cell = meetings.cell(row, date_column)
        if isinstance(cell.value, dt.datetime):
            cell.value = _yearless(cell.value.date(), row)
            counts["日期"] += 1
    headers = [c.value for c in dues[1]]
    month_column, paid_column = headers.index("所属月份") + 1, headers.index("缴纳日期") + 1
    for row in range(2, dues.max_row + 1):
        month = dues.cell(row, month_column)
        if isinstance(month.value, str) and month.value[:4].isdigit():
            number = int(month.value[5:7])
            month.value = number if row % 3 == 0 else f"{number}月" if row % 3 == 1 else f"{_cn(number)}月"
            counts["所属月份"] += 1
        paid = dues.cell(row, paid_column)
        if isinstance(paid.value, dt.datetime):
            paid.value = f"{paid.value.month}月{paid.value.day}日"
            counts["缴纳日期"] += 1
    if title is not None:
        meetings.insert_rows(1)
        meetings.cell(1, 1, title)
    dues.title = dues_sheet
    book.save(path)
    return counts


def test_dates_without_their_year_are_read_in_the_year_of_the_title_or_sheet_name(tmp_path: Path) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = tmp_path / "yearless.xlsx"
    counts = _without_years(SAMPLES / "violations.xlsx", path, title="某机关党委2025年度组织生活记录",
                            dues_sheet="2025年党费")
    assert counts["日期"] > 250 and counts["所属月份"] > 1000 and counts["缴纳日期"] > 1000

    yearless_code, report = audit_json(path)
    assert yearless_code == code == 1
    assert [(f["rule"]["id"], f["fingerprint"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"]) for f in plain["findings"]]
    assert {f["rule"]["id"] for f in report["findings"]} >= {"MEET-COMMITTEE-MONTHLY", "DUES-MONTHLY"}
    extra = [(i["code"], i["level"], i["location"]["sheet"], i["location"]["column"], i["message"])
             for i in report["input_issues"] if i["code"] not in {j["code"] for j in plain["input_issues"]}]
    assert extra == [
        ("INPUT-YEAR-FROM-TITLE", "warning", "组织生活", "C",
         f"「日期」有{counts['日期']}个日期没有写年份，按标题中的2025年读入"),
        ("INPUT-YEAR-FROM-TITLE", "warning", "2025年党费", "D",
         f"「所属月份」有{counts['所属月份']}个日期没有写年份，按表名中的2025年读入"),
        ("INPUT-YEAR-FROM-TITLE", "warning", "2025年党费", "H",
         f"「缴纳日期」有{counts['缴纳日期']}个日期没有写年份，按表名中的2025年读入"),
    ]
    assert [i for i in report["input_issues"] if i["code"] != "INPUT-YEAR-FROM-TITLE"] == \
        [i for i in plain["input_issues"]]


@pytest.mark.parametrize("title", [None, "2024—2025年组织生活记录", "2025年组织生活记录（制表日期：2026年1月10日）"])
def test_without_exactly_one_year_each_date_says_it_lacks_the_year(tmp_path: Path, title: str | None) -> None:
    """No year to take, or two (a span, a 制表日期): never a guess, each cell is an input error that says how."""
    path = tmp_path / "no-year.xlsx"
    counts = _without_years(SAMPLES / "clean.xlsx", path, title=title)
    code, report = audit_json(path)
    assert code == 2
    lacking = [i for i in report["input_issues"] if i["code"] == "INPUT-DATE-NO-YEAR"]
    assert len(lacking) == sum(counts.values())
    first = next(i for i in lacking if i["location"]["sheet"] == "组织生活")
    assert first["message"] == ("「日期」没有写年份：一月五日（请写明年份，如 2025年3月5日；整张表是同一年的，也可以在表头上方的标题"
                                "或表名中写明年份，如「2025年组织生活记录」）")
    assert first["location"]["row"] == (3 if title else 2) and first["location"]["column"] == "C"
    assert not [i for i in report["input_issues"] if i["code"] == "INPUT-YEAR-FROM-TITLE"]


def test_the_year_of_one_file_is_not_remembered_for_the_next(tmp_path: Path) -> None:
    """Values read in one sheet's year stay out of the memo the loader shares across files (a scan's worker)."""
    aliases = load_aliases()
    days = {}
    for year in (2025, 2024, 2025):
        path = tmp_path / f"{year}.xlsx"
        _without_years(SAMPLES / "clean.xlsx", path, title=f"{year}年组织生活记录", dues_sheet=f"{year}年党费")
        ledger = load_ledger(path, aliases).ledger
        days[year] = {m.date.year for m in ledger.meetings} | {d.month.year for d in ledger.dues}
        assert days[year] == {year}


@given(st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)), st.integers(0, 4))
def test_a_day_without_its_year_is_that_day_in_the_year_given(day: dt.date, form: int) -> None:
    text = _yearless(day, form)
    assert to_date(text, None, day.year) == day
    with pytest.raises(CellError) as lacking:
        to_date(text)
    assert lacking.value.code == "INPUT-DATE-NO-YEAR"


@pytest.mark.parametrize(("value", "month"), [(3, 3), (12.0, 12), ("3月", 3), ("3月份", 3), ("十二月", 12), ("一月", 1)])
def test_a_month_without_its_year(value: object, month: int) -> None:
    assert to_month(value, 2025) == Period(2025, Unit.MONTH, month)
    with pytest.raises(CellError) as lacking:
        to_month(value)
    assert lacking.value.code == "INPUT-DATE-NO-YEAR"


@pytest.mark.parametrize("value", ["2月30日", "13月5日", "0月1日", 13, 0, 2.5, "3.5", "3/5", "约3月"])
def test_not_a_day_or_month_with_or_without_a_year(value: object) -> None:
    for year in (None, 2025):
        with pytest.raises(CellError) as bad:
            to_month(value, year) if not isinstance(value, str) or "日" not in value else to_date(value, None, year)
        assert bad.value.code in {"INPUT-BAD-MONTH", "INPUT-BAD-DATE"}


def test_chinese_numerals_as_written() -> None:
    assert [_cn(n) for n in (1, 10, 12, 20, 21, 31)] == ["一", "十", "十二", "二十", "二十一", "三十一"]
    assert all(chinese_number(_cn(n)) == n for n in range(1, 32))
