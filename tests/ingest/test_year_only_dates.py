"""A member's date given as a year alone (入党日期 1985年), as rosters keep it for members who joined decades ago.

It was refused (INPUT-BAD-DATE), so a 离退休干部党支部's roster made its unit's audit incomplete: unscored and
unranked in a scan. Now it is read as a date of that year, said once per column (INPUT-YEAR-ONLY), and a rule that
compares days gives it the whole year: it reports only what holds for every day of it, never a guess.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgercheck.common.i18n import format_value
from ledgercheck.ingest.coerce import CellError, to_date
from ledgercheck.model.periods import YearDate, earliest, latest
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json


@given(st.integers(1900, 2100), st.sampled_from(["{}年", "{}", "{}年度", " {} 年 ", "number"]))
def test_a_year_alone_is_the_whole_of_that_year(year: int, form: str) -> None:
    value: object = float(year) if form == "number" else form.format(year)
    day = to_date(value, "start", year_ok=True)
    assert day.__class__ is YearDate and day == dt.date(year, 1, 1)
    assert (earliest(day), latest(day)) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert format_value(day, "zh") == f"{year:04d}" and day.isoformat() == f"{year:04d}-01-01"


def test_chinese_numerals_give_the_year_too() -> None:
    assert to_date("一九八五年", "start", year_ok=True) == YearDate(1985, 1, 1)


@pytest.mark.parametrize("value, code", [("0000年", "INPUT-BAD-DATE"), ("0000", "INPUT-BAD-DATE"),
                                         ("1899年", "INPUT-DATE-TOO-EARLY")])
def test_a_year_that_is_no_date_is_said_so_not_a_crash(value: str, code: str) -> None:
    with pytest.raises(CellError) as caught:
        to_date(value, "start", year_ok=True)
    assert caught.value.code == code


@pytest.mark.parametrize("value", ["1985年", "1985", 1985.0])
def test_other_date_columns_still_refuse_a_year_alone(value: object) -> None:
    for month_ok in (None, "start"):  # a meeting's date; an organization's 成立日期
        with pytest.raises(CellError) as caught:
            to_date(value, month_ok)
        assert caught.value.code == "INPUT-BAD-DATE"


def _years_only(path: Path, recent: bool) -> list[tuple[str, list[int]]]:
    """violations.xlsx with the 入党日期 and 转正日期 of members who joined before 2015 written as their year alone,
    a third of them as numbers, and the organizations' 成立日期 too (or, `recent`, the dates of the members who joined
    since: the dates the rules look at); returns (column, rows) per column changed."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    sheet = book["党员"]
    header = [c.value for c in sheet[1]]
    changed: dict[str, list[int]] = {}
    for row in sheet.iter_rows(min_row=2):
        joined = row[header.index("入党日期")].value
        if not isinstance(joined, dt.datetime) or (joined.year >= 2015) != recent:
            continue
        for column in ("入党日期", "转正日期"):
            cell = row[header.index(column)]
            if isinstance(cell.value, dt.datetime):
                as_number = not recent and cell.row % 3 == 0
                cell.value = cell.value.year if as_number else f"{cell.value.year}年"
                cell.number_format = "General" if as_number else "@"
                changed.setdefault(column, []).append(cell.row)
    orgs = book["组织"]
    column = [c.value for c in orgs[1]].index("成立日期")
    for row in orgs.iter_rows(min_row=2):  # every organization was established in 2012, before the window
        cell = row[column]
        if not recent and isinstance(cell.value, dt.datetime):
            cell.value, cell.number_format = f"{cell.value.year}年", "@"
            changed.setdefault("成立日期", []).append(cell.row)
    book.save(path)
    return list(changed.items())


def test_old_members_dates_by_their_year_audit_as_the_full_dates_do(tmp_path: Path) -> None:
    changed = _years_only(tmp_path / "years.xlsx", recent=False)
    code, expected = audit_json(SAMPLES / "violations.xlsx")
    years_code, report = audit_json(tmp_path / "years.xlsx")
    assert years_code == code
    assert [f["fingerprint"] for f in report["findings"]] == [f["fingerprint"] for f in expected["findings"]]
    before = [(i["code"], i["location"]) for i in expected["input_issues"]]
    new = [i for i in report["input_issues"] if (i["code"], i["location"]) not in before]
    columns = {"入党日期": "H", "转正日期": "I", "成立日期": "E"}
    assert sorted((i["code"], i["location"]["column"]) for i in new) == sorted(
        ("INPUT-YEAR-ONLY", columns[name]) for name, _rows in changed)
    for issue in new:
        rows = dict(changed)[next(n for n, c in columns.items() if c == issue["location"]["column"])]
        assert issue["level"] == "warning" and issue["location"]["row"] == rows[0]
        assert f"共{len(rows)}行" in issue["message"]


def test_recent_dates_by_their_year_only_ever_find_less(tmp_path: Path) -> None:
    _years_only(tmp_path / "recent.xlsx", recent=True)
    _code, expected = audit_json(SAMPLES / "violations.xlsx")
    _code, report = audit_json(tmp_path / "recent.xlsx")
    found = {f["fingerprint"] for f in report["findings"]}
    assert found < {f["fingerprint"] for f in expected["findings"]}  # no guess becomes a finding
    # The sponsor whose 转正日期 is now "2025年" may have been full when the recruit was admitted on 2025-04-12.
    gone = [f for f in expected["findings"] if f["fingerprint"] not in found]
    assert [f["rule"]["id"] for f in gone] == ["DEV-SPONSORS-TWO-FULL"]
    assert not [i for i in report["input_issues"] if i["code"] == "INPUT-BAD-DATE"]


def test_an_organization_established_in_a_year_of_the_window_is_judged_only_after_it(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    orgs = book["组织"]
    header = [c.value for c in orgs[1]]
    for row in orgs.iter_rows(min_row=2):
        if row[header.index("组织编号")].value == "B01":
            row[header.index("成立日期")].value = "2025年"  # some day of 2025: which months it existed is not known
    book.save(tmp_path / "new-branch.xlsx")
    _code, expected = audit_json(SAMPLES / "violations.xlsx")
    _code, report = audit_json(tmp_path / "new-branch.xlsx")
    found = {f["fingerprint"] for f in report["findings"]}
    assert found < {f["fingerprint"] for f in expected["findings"]}
    # What B01 failed to hold or pay month by month is not asked of it before it surely existed; what it recorded
    # (an amount paid short) is still judged.
    gone = [f for f in expected["findings"] if f["fingerprint"] not in found]
    assert {f["org_id"] for f in gone} == {"B01"}
    assert {"MEET-COMMITTEE-MONTHLY", "DUES-MONTHLY"} <= {f["rule"]["id"] for f in gone}
    assert "DUES-BRACKET-AMOUNT" not in {f["rule"]["id"] for f in gone}
