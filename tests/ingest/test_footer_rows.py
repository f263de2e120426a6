"""The rows a sheet ends with that sign or annotate it (制表人：…, 注：…, 填表说明) are not records, and neither is a
合计 row on a sheet without names: both were read as records that lack their required values, and a clean ledger
became "incomplete" (exit 2)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ledgercheck.ingest.coerce import normalize
from ledgercheck.ingest.loader import _FOOTER
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json


def test_sign_off_notes_and_totals_are_not_records(tmp_path: Path) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    members, meetings = book["党员"], book["组织生活"]
    last_member, last_meeting = members.max_row, meetings.max_row
    members.cell(last_member + 2, 1, "制表人：张三        审核人：李四        制表日期：2025年12月31日")
    members.cell(last_member + 3, 1, "注：1. 本表由党支部组织委员填写；2. 党员状态变化请及时更新。")
    meetings.cell(last_meeting + 1, 1, "填表说明：活动类型从下拉列表选择。")
    meetings.cell(last_meeting + 2, 1, "合计")
    meetings.cell(last_meeting + 2, 2, f"共开展活动{last_meeting - 1}次")
    meetings.cell(last_meeting + 3, 2, "（盖章）")
    path = tmp_path / "footer.xlsx"
    book.save(path)

    footer_code, report = audit_json(path)
    assert footer_code == code == 1
    assert [(f["rule"]["id"], f["fingerprint"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"]) for f in plain["findings"]]
    extra = [(i["code"], i["level"], i["location"]["sheet"], i["location"]["row"], i["message"])
             for i in report["input_issues"] if i not in plain["input_issues"]]
    assert extra == [
        ("INPUT-FOOTER-ROW", "warning", "党员", last_member + 2,
         f"第{last_member + 2}、{last_member + 3}行是表尾的签字栏或说明（制表人：张三 审核人：李四 制表日期：2025年…），"
         "不是记录，未读入"),
        ("INPUT-FOOTER-ROW", "warning", "组织生活", last_meeting + 1,
         f"第{last_meeting + 1}、{last_meeting + 3}行是表尾的签字栏或说明（填表说明：活动类型从下拉列表选择。），不是记录，未读入"),
        ("INPUT-TOTAL-ROW", "warning", "组织生活", last_meeting + 2, f"第{last_meeting + 2}行是合计行，不是记录，未读入"),
    ]


def test_a_note_among_the_records_is_no_footer(tmp_path: Path) -> None:
    """Only the rows the sheet ends with: a note between records is read as a row, and says what it lacks."""
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    members = book["党员"]
    members.insert_rows(5)
    members.cell(5, 1, "注：以下为第二党小组")
    path = tmp_path / "note.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 2
    assert {(i["code"], i["location"]["row"]) for i in report["input_issues"]} >= {("INPUT-MISSING-REQUIRED", 5)}
    assert not [i for i in report["input_issues"] if i["code"] == "INPUT-FOOTER-ROW"]


@pytest.mark.parametrize("text", [
    "制表人：张三", "制表人:张三 审核人:李四", "填表人：", "审核人", "负责人（签字）：", "支部书记签字：", "书记：王五",
    "制表日期：2025年12月31日", "填报时间:2025-12-31", "注：1.本表……", "注:", "备注：其他情况另附", "说明：", "填表说明",
    "填表说明：活动类型从下拉列表选择", "注意事项：", "（盖章）", "(签字)", "盖章", "附注：",
])
def test_footer_texts(text: str) -> None:
    assert _FOOTER.match(normalize(text))


@pytest.mark.parametrize("text", [
    "张三", "注册会计师", "备注栏目", "说明会", "B01", "2025-03-05", "支部党员大会", "书记讲党课", "审核人员培训",
    "制表人员名单", "签字仪式", "组织委员", "合计",
])
def test_record_texts_are_no_footer(text: str) -> None:
    assert not _FOOTER.match(normalize(text))
