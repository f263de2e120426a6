"""Rows with something only in columns that are not read (a template's pre-numbered rows, 序号 1–200; a remark alone)
hold nothing of the ledger: one notice with their rows, not an error per row and cell (they made a clean ledger
"incomplete", exit 2). A row with some of the ledger in it and a required value missing is still an error."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from ledgercheck.cli import main
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json


def test_pre_numbered_rows_and_a_remark_alone_are_one_notice(tmp_path: Path) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    members = book["党员"]
    last = members.max_row
    members.insert_cols(1)
    members.cell(1, 1, "序号")
    for row in range(2, 201):
        members.cell(row, 1, row - 1)
    remarks = members.max_column + 1
    members.cell(1, remarks, "备注")
    members.cell(205, remarks, "该同志已调离，见转出记录")
    path = tmp_path / "numbered.xlsx"
    book.save(path)

    numbered_code, report = audit_json(path)
    assert numbered_code == code == 1
    assert [f["fingerprint"] for f in report["findings"]] == [f["fingerprint"] for f in plain["findings"]]
    extra = [i for i in report["input_issues"] if i not in plain["input_issues"]]
    assert [(i["code"], i["level"], i["location"]["sheet"], i["location"]["row"]) for i in extra] == [
        ("INPUT-NO-CONTENT-ROW", "warning", "党员", last + 1)]
    assert extra[0]["message"] == (f"{200 - last + 1}行只在不读入的列（「序号」、「备注」）中有内容，没有台账内容"
                                   f"（第{last + 1}–200、205行），未读入")
    sheet = {s["name"]: s for s in json.loads(CliRunner().invoke(main, ["inspect", str(path), "--format", "json"])
                                               .stdout)["sheets"]}["党员"]
    assert sheet["skipped"] == 200 - last + 1


def test_a_row_with_some_of_the_ledger_still_says_what_it_lacks(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    members = book["党员"]
    row = members.max_row + 1
    members.cell(row, 3, "男")  # 性别 only: a member's row begun and not finished
    path = tmp_path / "begun.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 2
    assert ("INPUT-MISSING-REQUIRED", row) in {(i["code"], i["location"]["row"]) for i in report["input_issues"]}
    assert not [i for i in report["input_issues"] if i["code"] == "INPUT-NO-CONTENT-ROW"]
