"""Meetings kept a sheet per kind, without a 活动类型 column, named as secretaries name them: the year after the
kind (党小组会2025), a suffix (2025年支委会会议记录, 2025年党课登记表, 谈心谈话记录表2025). Only the exact names
were known: the others were refused (INPUT-MISSING-COLUMN, exit 2) and every meeting on them found not held. A
sheet whose name names one kind of meeting is now read as that kind's, with one notice."""

from __future__ import annotations

import collections
from pathlib import Path

import openpyxl
import pytest

from ledgercheck.ingest.aliases import load_aliases
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json

SHEETS = {"支部委员会": "2025年支委会会议记录", "支部党员大会": "党员大会记录2025", "党小组会": "党小组会2025",
          "党课": "2025年党课登记表", "主题党日": "主题党日活动记录（2025年）", "组织生活会": "组织生活会2025年度",
          "民主评议党员": "2025年民主评议党员情况", "谈心谈话": "谈心谈话记录表2025"}


def _by_kind(path: Path) -> dict[str, str]:
    """The sample with each kind of meeting on a sheet of its own named as above, without the kind column.
    The sheets named by containment (not an exact name the alias table knows), by kind."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    meetings = book["组织生活"]
    headers = [c.value for c in meetings[1]]
    kind = headers.index("活动类型")
    rows: dict[str, list[list[object]]] = collections.defaultdict(list)
    kept: list[list[object]] = []
    for row in meetings.iter_rows(min_row=2, values_only=True):
        (rows[row[kind]] if row[kind] in SHEETS else kept).append(list(row))
    meetings.delete_rows(2, meetings.max_row)
    for row in kept:  # joint meetings (组织生活会、民主评议党员) stay on the sheet with the kind column
        meetings.append(row)
    for name, sheet_rows in rows.items():
        sheet = book.create_sheet(SHEETS[name])
        sheet.append([h for i, h in enumerate(headers) if i != kind])
        for row in sheet_rows:
            sheet.append([v for i, v in enumerate(row) if i != kind])
    book.save(path)
    aliases = load_aliases()
    return {kind: sheet for kind, sheet in SHEETS.items() if kind in rows and aliases.sheet_of(sheet) is None}


def test_a_sheet_per_kind_of_meeting_named_as_people_name_it(tmp_path: Path) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = tmp_path / "by-kind.xlsx"
    inferred = _by_kind(path)
    assert len(inferred) >= 6

    by_kind_code, report = audit_json(path)
    assert by_kind_code == code == 1
    assert sorted((f["rule"]["id"], f["fingerprint"]) for f in report["findings"]) == \
        sorted((f["rule"]["id"], f["fingerprint"]) for f in plain["findings"])
    extra = [(i["code"], i["level"], i["location"]["sheet"], i["message"]) for i in report["input_issues"]
             if i not in plain["input_issues"]]
    assert sorted(extra) == sorted(("INPUT-KIND-BY-SHEET-NAME", "warning", sheet,
                                    f"没有「活动类型」列：按工作表名称，各行都是「{kind}」")
                                   for kind, sheet in inferred.items())


@pytest.mark.parametrize(("name", "kind"), [
    ("2025年支委会会议记录", "支部委员会"), ("党员大会记录2025", "支部党员大会"), ("支部党员大会2025", "支部党员大会"),
    ("办公室党支部2025年支委会记录", "支部委员会"), ("谈心谈话记录表2025", "谈心谈话"), ("Party lectures 2025", "党课"),
    ("支委会和党员大会记录", None), ("会议记录2025", None), ("三会一课记录", None), ("Sheet1", None),
])
def test_the_kind_a_sheet_name_names(name: str, kind: str | None) -> None:
    """One kind named, the longest alias winning over those within it; two kinds, or none, give none."""
    assert load_aliases().value_in("meeting_kind", name) == kind


def test_a_sheet_naming_no_kind_is_still_refused(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    meetings = book["组织生活"]
    meetings.delete_cols([c.value for c in meetings[1]].index("活动类型") + 1)
    meetings.title = "会议记录2025"
    path = tmp_path / "no-kind.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 2
    assert [(i["code"], i["location"]["sheet"]) for i in report["input_issues"] if i["level"] == "error"] == \
        [("INPUT-MISSING-COLUMN", "会议记录2025")]
