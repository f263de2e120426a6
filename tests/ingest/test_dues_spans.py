"""Dues paid for several months in one row (所属月份 2025年1-3月, 2025年第一季度, 2025年上半年), as branches that
collect by the quarter record them: each such row was an INPUT-BAD-MONTH error (exit 2) and its months were found
unpaid. Such a row is read as one row a month, the amounts shared equally, with one notice for the sheet."""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgercheck.ingest.aliases import load_aliases
from ledgercheck.ingest.coerce import CellError, MonthSpan, to_months
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.model.periods import Period, Unit
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json

_SPELLINGS = ["2025年1-3月", "2025年第一季度", "2025.1-2025.3", "补缴2025年1月至3月党费", "2025Q1"]


def _quarterly(source: Path, path: Path, *, year_column: bool = False) -> tuple[list[int], dict[tuple[str, str], int]]:
    """The sample with each member's regular first quarter (three rows with the same amounts, each paid in its own
    month or the next) written as one row: the sum paid, the amount due one month's on every third such row and the
    quarter's on the others, paid on the third month's day. The new rows' numbers, and who was grouped (name, ID)."""
    book = openpyxl.load_workbook(source)
    dues = book["党费"]
    headers = [c.value for c in dues[1]]
    at = {h: i for i, h in enumerate(headers)}
    rows = [[c.value for c in r] for r in dues.iter_rows(min_row=2)]
    by_member: dict[tuple[str, str], list[list[object]]] = collections.defaultdict(list)
    for row in rows:
        by_member[(row[at["姓名"]], row[at["身份证号"]])].append(row)
    out: list[list[object]] = []
    spans: list[int] = []
    grouped: dict[tuple[str, str], int] = {}
    for who, member_rows in by_member.items():
        months = {r[at["所属月份"]]: r for r in member_rows}
        quarter = [months.get(f"2025-0{m}") for m in (1, 2, 3)]
        regular = all(quarter) and len({(r[at["应缴金额"]], r[at["实缴金额"]]) for r in quarter}) == 1 \
            and quarter[0][at["实缴金额"]] and all(
                isinstance(r[at["缴纳日期"]], dt.datetime)
                and (r[at["缴纳日期"]].year, r[at["缴纳日期"]].month) <= (2025, m + 1) for m, r in zip((1, 2, 3), quarter))
        if not regular:
            out += member_rows
            continue
        lump = list(quarter[0])
        lump[at["所属月份"]] = "1-3月" if year_column else _SPELLINGS[len(grouped) % len(_SPELLINGS)]
        lump[at["实缴金额"]] = round(quarter[0][at["实缴金额"]] * 3, 2)
        if len(grouped) % 3:
            lump[at["应缴金额"]] = round(quarter[0][at["应缴金额"]] * 3, 2)
        lump[at["缴纳日期"]] = quarter[2][at["缴纳日期"]]
        grouped[who] = len(out) + 2
        spans.append(len(out) + 2)
        out.append(lump)
        out += [r for r in member_rows if r not in quarter]
    if year_column:
        at_month = at["所属月份"]
        headers[at_month] = "月份"
        headers.insert(at_month, "年份")
        out = [r[:at_month] + [2025 if isinstance(r[at_month], str) else None] + [
            r[at_month] if r[at_month] == "1-3月" else int(str(r[at_month])[5:7]) if r[at_month] else None
        ] + r[at_month + 1:] for r in out]
    dues.delete_rows(1, dues.max_row)
    dues.append(headers)
    for row in out:
        dues.append(row)
    book.save(path)
    return spans, grouped


@pytest.mark.parametrize("year_column", [False, True])
def test_a_quarter_paid_in_one_row_is_read_as_three_months(tmp_path: Path, year_column: bool) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = tmp_path / "quarterly.xlsx"
    spans, grouped = _quarterly(SAMPLES / "violations.xlsx", path, year_column=year_column)
    assert len(spans) > 60

    quarterly_code, report = audit_json(path)
    assert quarterly_code == code == 1
    assert sorted((f["rule"]["id"], f["fingerprint"]) for f in report["findings"]) == \
        sorted((f["rule"]["id"], f["fingerprint"]) for f in plain["findings"])
    assert {f["rule"]["id"] for f in report["findings"]} >= {"DUES-MONTHLY", "DUES-BRACKET-AMOUNT"}
    extra = [i for i in report["input_issues"] if i["code"] not in {j["code"] for j in plain["input_issues"]}]
    assert [(i["code"], i["level"], i["location"]["sheet"], i["location"]["row"]) for i in extra] == \
        [("INPUT-DUES-SPAN", "warning", "党费", spans[0])]
    assert extra[0]["message"].startswith(f"第{spans[0]}、{spans[1]}、")
    assert f"（共{len(spans)}行，如 2025年1-3月、第一季度）：按每月一行读入，金额平均分到各月" in extra[0]["message"]

    ledger = load_ledger(path).ledger
    plain_ledger = load_ledger(SAMPLES / "violations.xlsx").ledger
    quarter = {Period(2025, Unit.MONTH, m) for m in (1, 2, 3)}

    def first_quarter(dues: object) -> dict[tuple[str, Period], tuple[object, object]]:
        return {(d.id_number, d.month): (d.due, d.paid) for d in dues if d.month in quarter}  # type: ignore[attr-defined]

    assert first_quarter(ledger.dues) == first_quarter(plain_ledger.dues)
    read = [d for d in ledger.dues if (d.name, d.id_number) in grouped and d.month in quarter]
    assert len(read) == 3 * len(grouped)
    assert {d.row for d in read} == set(grouped.values())  # each month points at the row that paid it


def test_a_span_without_its_year_takes_the_sheets(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    dues = book["党费"]
    month = [c.value for c in dues[1]].index("所属月份") + 1
    dues.cell(2, month, "1-3月")
    path = tmp_path / "no-year.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 2
    assert [(i["code"], i["location"]["row"]) for i in report["input_issues"] if i["level"] == "error"] == \
        [("INPUT-DATE-NO-YEAR", 2)]
    dues.title = "2025年党费"
    book.save(path)
    code, report = audit_json(path)
    assert code == 0
    assert {i["code"] for i in report["input_issues"]} == {"INPUT-DUES-SPAN"}


@given(st.integers(2000, 2030), st.integers(1, 12), st.integers(2, 12))
def test_a_range_of_months_is_every_month_in_it(year: int, first: int, count: int) -> None:
    start = Period(year, Unit.MONTH, first)
    months = [start]
    while len(months) < count:
        months.append(months[-1].next())
    last = months[-1]
    texts = [f"{year}年{first}月-{last.year}年{last.number}月", f"{year}.{first}-{last.year}.{last.number}",
             f"{year}-{first:02d}至{last.year}-{last.number:02d}"]
    if last.year == year:
        texts += [f"{year}年{first}-{last.number}月", f"{year}年{first}月至{last.number}月"]
    for text in texts:
        assert list(to_months(text)) == months, text


@pytest.mark.parametrize(("text", "first", "count"), [
    ("2025年第二季度", 4, 3), ("2025年4季度", 10, 3), ("2025Q3", 7, 3), ("2025年上半年", 1, 6), ("2025年下半年", 7, 6),
    ("2025年全年", 1, 12), ("2025年度", 1, 12), ("预交2025年7-12月党费", 7, 6), ("２０２５年１－３月", 1, 3),
])
def test_quarters_halves_and_the_year(text: str, first: int, count: int) -> None:
    months = to_months(text)
    assert isinstance(months, MonthSpan)
    assert months[0] == Period(2025, Unit.MONTH, first) and len(months) == count


@pytest.mark.parametrize("text", ["2025年3-1月", "2025年1-1月", "2024年1月-2025年6月", "2025年13-14月", "2025年第五季度",
                                  "张三", "2025年", "3", "2025-03"])
def test_not_a_span(text: str) -> None:
    """Backwards, one month, more than twelve, no such month: not a span (a single month is to_month's)."""
    with pytest.raises(CellError) as bad:
        to_months(text, 2025)
    assert bad.value.code == "INPUT-BAD-MONTH"


def test_spans_are_not_remembered_across_files(tmp_path: Path) -> None:
    """Read in a sheet's year, 1-3月 means that year's quarter in each file (the memo shared by a scan's worker)."""
    aliases = load_aliases()
    for year in (2025, 2024):
        book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
        dues = book["党费"]
        dues.cell(2, [c.value for c in dues[1]].index("所属月份") + 1, "1-3月")
        dues.title = f"{year}年党费"
        path = tmp_path / f"{year}.xlsx"
        book.save(path)
        ledger = load_ledger(path, aliases).ledger
        assert {d.month for d in ledger.dues if d.row == 2} == {Period(year, Unit.MONTH, m) for m in (1, 2, 3)}
