"""Roster rows that repeat an earlier row: a word-for-word copy is not read (it would count the member twice in every
rule: an old copy of the roster doubled every "dues not paid" finding); the same ID number with other data is
pointed out and read; a member listed in two branches with the transfer dates is a transfer, not a repeat."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from ledgercheck.cli import main
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json

HEADERS = ['姓名', '身份证号', '性别', '出生日期', '所在组织编号', '党小组', '党员类别', '入党日期', '转正日期', '党内职务',
           '人员类别', '状态', '党员编号', '转入日期', '转出日期', '联系电话']



def _audit(path: Path) -> dict[str, Any]:
    return audit_json(path)[1]


def _inspect(path: Path) -> dict[str, Any]:
    return {s["name"]: s for s in json.loads(CliRunner().invoke(main, ["inspect", str(path), "--format",
                                                                       "json"]).stdout)["sheets"]}


def _findings(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["rule"]["id"], f["fingerprint"]) for f in report["findings"]]


def _book() -> tuple[openpyxl.Workbook, Any]:
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    sheet = book["党员"]
    assert [c.value for c in sheet[1]] == HEADERS  # the columns the edits below address
    return book, sheet


def _issues(report: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [i for i in report["input_issues"] if i["code"] == code]


def test_an_old_copy_of_the_roster_is_not_read_twice(tmp_path: Path) -> None:
    plain = _audit(SAMPLES / "violations.xlsx")
    book, sheet = _book()
    book.copy_worksheet(sheet).title = "党员（2023年）"
    path = tmp_path / "copy.xlsx"
    book.save(path)
    report = _audit(path)
    assert _findings(report) == _findings(plain)
    [issue] = [i for i in report["input_issues"] if i not in plain["input_issues"]]
    rows = sheet.max_row - 1
    assert issue["code"] == "INPUT-DUPLICATE-MEMBER" and issue["level"] == "warning"
    assert issue["location"]["sheet"] == "党员（2023年）" and issue["location"]["row"] == 2
    assert issue["message"] == f"{rows}行与「党员」表中的记录完全相同（第2–{rows + 1}行），是重复登记，未读入"
    copy = _inspect(path)["党员（2023年）"]
    assert (copy["records"], copy["skipped"]) == (0, rows)


def test_a_pasted_row_is_read_once_and_a_changed_one_is_pointed_out(tmp_path: Path) -> None:
    plain = _audit(SAMPLES / "violations.xlsx")
    book, sheet = _book()
    pasted = [c.value for c in sheet[5]]
    changed = [c.value for c in sheet[9]]
    changed[7] = dt.datetime(2001, 7, 1)  # 入党日期: another date under the same ID number
    sheet.append(pasted)
    sheet.append(changed)
    path = tmp_path / "rows.xlsx"
    book.save(path)
    report = _audit(path)
    last = sheet.max_row
    [dup] = _issues(report, "INPUT-DUPLICATE-MEMBER")
    assert dup["location"] == {**dup["location"], "sheet": "党员", "row": last - 1, "column": "B"}
    assert dup["message"].startswith("1行与「党员」表中的记录完全相同（第") and "未读入" in dup["message"]
    [same] = _issues(report, "INPUT-SAME-ID-NUMBER")
    assert same["location"]["row"] == last and "两行都已读入" in same["message"]
    members = _inspect(path)["党员"]
    assert members["records"] == _inspect(SAMPLES / "violations.xlsx")["党员"]["records"] + 1  # the changed row
    assert members["skipped"] == 1
    assert len(_findings(report)) >= len(_findings(plain))


def test_a_member_transferred_between_branches_is_no_repeat(tmp_path: Path) -> None:
    book, sheet = _book()
    row = [c.value for c in sheet[3]]
    moved = list(row)
    row_index = 3
    sheet.cell(row_index, HEADERS.index("转出日期") + 1, dt.datetime(2025, 3, 1))
    moved[HEADERS.index("所在组织编号")] = "B02"
    moved[HEADERS.index("党小组")] = None
    moved[HEADERS.index("党内职务")] = None
    moved[HEADERS.index("转入日期")] = dt.datetime(2025, 3, 1)
    sheet.append(moved)
    path = tmp_path / "transfer.xlsx"
    book.save(path)
    report = _audit(path)
    assert not _issues(report, "INPUT-DUPLICATE-MEMBER") and not _issues(report, "INPUT-SAME-ID-NUMBER")


def test_in_a_ledger_of_several_files_the_repeat_is_counted_in_its_own_file(tmp_path: Path) -> None:
    """Two workbooks of one ledger may each have a 党员 sheet: a row of the second repeating one of the first is the
    second's skipped row, and the message names the other file; the first's roster keeps every row."""
    book, sheet = _book()
    extra = openpyxl.Workbook()
    roster = extra.active
    roster.title = "党员"
    roster.append(HEADERS)
    roster.append([c.value for c in sheet[5]])
    roster.append([c.value for c in sheet[9]])
    path = tmp_path / "补充名单.xlsx"
    extra.save(path)
    result = CliRunner().invoke(main, ["audit", str(SAMPLES / "violations.xlsx"), str(path), "--format", "json",
                                       "--as-of", "2026-01-15", "--no-config"])
    report = json.loads(result.stdout)
    assert _findings(report) == _findings(_audit(SAMPLES / "violations.xlsx"))
    [issue] = _issues(report, "INPUT-DUPLICATE-MEMBER")
    assert issue["location"]["file"] == str(path)
    assert issue["message"] == "2行与「violations.xlsx：党员」表中的记录完全相同（第2–3行），是重复登记，未读入"
    rosters = {s["file"]: (s["rows"], s["records"], s["skipped"]) for s in report["sheets"] if s["name"] == "党员"}
    assert rosters == {str(SAMPLES / "violations.xlsx"): (sheet.max_row - 1, sheet.max_row - 1, 0),
                       str(path): (2, 0, 2)}
