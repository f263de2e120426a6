"""A sheet Excel and WPS do not show is not read as the ledger's: an old copy of the roster kept out of sight would
double every member (and every "dues not paid" finding). It is named, with its rows and what it looks like."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from ledgercheck.cli import main
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json


def _findings(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["rule"]["id"], f["fingerprint"]) for f in report["findings"]]


def _with_hidden(source: Path, target: Path, copy_of: str, title: str, state: str = "hidden") -> Path:
    book = openpyxl.load_workbook(source)
    sheet = book.copy_worksheet(book[copy_of])
    sheet.title = title
    sheet.sheet_state = state
    book.save(target)
    return target


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_an_old_copy_of_the_roster_kept_hidden_changes_no_finding(tmp_path: Path, state: str) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = _with_hidden(SAMPLES / "violations.xlsx", tmp_path / "hidden.xlsx", "党员", "党员（2023年旧表）", state)
    hidden_code, report = audit_json(path)
    assert hidden_code == code == 1
    assert _findings(report) == _findings(plain)
    extra = [i for i in report["input_issues"] if i not in plain["input_issues"]]
    assert [(i["code"], i["level"], i["location"]["sheet"]) for i in extra] == [
        ("INPUT-HIDDEN-SHEET", "warning", "党员（2023年旧表）")]
    rows = sum(1 for r in openpyxl.load_workbook(SAMPLES / "violations.xlsx")["党员"].iter_rows() if any(
        c.value not in (None, "") for c in r))
    assert f"{rows}行有内容，像是「党员」表" in extra[0]["message"]
    _code, english = audit_json(path, "--lang", "en")
    assert "a hidden sheet (Excel and WPS do not show it), not checked" in english["input_issues"][-1]["message"]
    assert "looks like the Members sheet" in english["input_issues"][-1]["message"]


def test_an_empty_hidden_sheet_is_not_mentioned(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    book.create_sheet("Sheet9").sheet_state = "hidden"
    path = tmp_path / "empty-hidden.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 0 and report["input_issues"] == [] and report["findings"] == []


def test_the_only_roster_hidden_is_missing_and_pointed_at(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    book["党员"].sheet_state = "hidden"
    path = tmp_path / "roster-hidden.xlsx"
    book.save(path)
    _code, report = audit_json(path)
    codes = {i["code"]: i for i in report["input_issues"]}
    assert "INPUT-HIDDEN-SHEET" in codes and "像是「党员」表" in codes["INPUT-HIDDEN-SHEET"]["message"]
    assert codes["INPUT-HIDDEN-SHEET"]["location"]["sheet"] == "党员"
    assert "INPUT-MISSING-SHEET" in codes  # the roster the secretary sees has no members sheet


def test_inspect_says_the_sheet_is_hidden(tmp_path: Path) -> None:
    path = _with_hidden(SAMPLES / "clean.xlsx", tmp_path / "hidden.xlsx", "党员", "下拉选项")
    result = CliRunner().invoke(main, ["inspect", str(path), "--format", "json"])
    sheets = {s["name"]: s for s in json.loads(result.stdout)["sheets"]}
    assert sheets["下拉选项"]["how"] == "hidden" and sheets["下拉选项"]["records"] == 0
    assert sheets["下拉选项"]["skipped"] == sheets["下拉选项"]["rows"] > 0
    text = CliRunner().invoke(main, ["inspect", str(path)]).output
    assert "工作表「下拉选项」  隐藏的工作表，未读入" in text
