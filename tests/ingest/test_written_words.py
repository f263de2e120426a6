"""Words secretaries write where the layout asks for a number or a list: 未缴 in 实缴金额 (the layout asks for a blank
or 0), 免交 for a month waived, 全体到会 in 缺席人员, and person kinds named by employment (公务员, 事业编, 待业). Each
was an input error (exit 2), or a name nobody has; each now reads as what it says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from ledgercheck.ingest.coerce import ALL_PRESENT_MARKERS, UNPAID_MARKERS, WAIVED_MARKERS
from ledgercheck.ingest.loader import load_ledger
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json


def _variant(path: Path, sheet: str, header: str, value: Callable[[int, object], object]) -> Path:
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    ws = book[sheet]
    column = [c.value for c in ws[1]].index(header) + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = value(row, ws.cell(row, column).value)
    book.save(path)
    return path


def _same(tmp_path: Path, sheet: str, header: str, layout: Callable[[int, object], object],
          written: Callable[[int, object], object]) -> dict[str, object]:
    """The audit with the words written equals the audit with the layout's spelling: findings and input problems."""
    code, expected = audit_json(_variant(tmp_path / "layout.xlsx", sheet, header, layout))
    written_code, report = audit_json(_variant(tmp_path / "written.xlsx", sheet, header, written))
    assert written_code == code
    assert [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in expected["findings"]]
    assert [(i["code"], i["message"]) for i in report["input_issues"]] == \
        [(i["code"], i["message"]) for i in expected["input_issues"]]
    return report


def test_unpaid_written_in_words_is_unpaid(tmp_path: Path) -> None:
    words = sorted(UNPAID_MARKERS)
    report = _same(tmp_path, "党费", "实缴金额", lambda row, paid: 0 if row % 40 == 0 else paid,
                   lambda row, paid: words[row // 40 % len(words)] if row % 40 == 0 else paid)
    assert any(f["rule"]["id"] == "DUES-6M-UNPAID-LAPSE" or f["rule"]["id"] == "DUES-BRACKET-AMOUNT"
               for f in report["findings"])


def test_a_month_waived_in_words_is_settled_and_its_approval_asked_for(tmp_path: Path) -> None:
    """免交 where a month was paid in full: the same findings, the month not unpaid nor underpaid, and one
    DUES-HARDSHIP-WAIVER a waived month in the window (before, an input error each and exit 2)."""
    words = sorted(WAIVED_MARKERS)
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    ws = book["党费"]
    header = [c.value for c in ws[1]]
    paid, due, month = (header.index(h) + 1 for h in ("实缴金额", "应缴金额", "所属月份"))
    chosen = [r for r in range(2, ws.max_row + 1)
              if r % 25 == 0 and ws.cell(r, paid).value and ws.cell(r, paid).value == ws.cell(r, due).value]
    for i, row in enumerate(chosen):
        ws.cell(row, paid).value = words[i % len(words)]
    book.save(tmp_path / "waived.xlsx")
    code, expected = audit_json(SAMPLES / "violations.xlsx")
    written_code, report = audit_json(tmp_path / "waived.xlsx")
    assert written_code == code
    assert [(i["code"], i["message"]) for i in report["input_issues"]] == \
        [(i["code"], i["message"]) for i in expected["input_issues"]]
    waivers = [f for f in report["findings"] if f["rule"]["id"] == "DUES-HARDSHIP-WAIVER"]
    assert [(f["rule"]["id"], f["fingerprint"]) for f in report["findings"] if f not in waivers] == \
        [(f["rule"]["id"], f["fingerprint"]) for f in expected["findings"]]
    in_window = {str(ws.cell(r, month).value)[:7] for r in chosen
                 if str(ws.cell(r, month).value)[:7] >= expected["window"]["start"][:7]}
    assert len(chosen) > 10 and {f["period"] for f in waivers} <= in_window and len(waivers) == len(
        [r for r in chosen if str(ws.cell(r, month).value)[:7] >= expected["window"]["start"][:7]])
    assert all(f["severity"] == "info" for f in waivers)


def test_everyone_present_written_in_words_is_nobody_absent(tmp_path: Path) -> None:
    words = sorted(ALL_PRESENT_MARKERS)
    _same(tmp_path, "组织生活", "缺席人员", lambda row, names: names,
          lambda row, names: names or words[row % len(words)])
    meetings = load_ledger(tmp_path / "written.xlsx").ledger.meetings
    assert not {name for m in meetings for name in m.absentees} & ALL_PRESENT_MARKERS, "nobody is named 全体到会"
    assert sum(1 for m in meetings if not m.absentees) > 100


@pytest.mark.parametrize(("kind", "words"), [
    ("在职", ["公务员", "参公", "事业编", "事业编制", "劳务派遣", "编外人员", "工勤人员", "领导干部"]),
])
def test_person_kinds_by_employment(tmp_path: Path, kind: str, words: list[str]) -> None:
    _same(tmp_path, "党员", "人员类别", lambda row, value: value,
          lambda row, value: words[row % len(words)] if value == kind else value)


def test_a_list_of_those_present_counts_as_the_number_present(tmp_path: Path) -> None:
    """参会人员 listing names instead of 实到人数: read as their count, 全体党员 as the expected count, with one
    notice; the audit is the sample's (the quorum rules judged as before), where before the column was not read
    and three rules went unchecked."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    ws = book["组织生活"]
    header = [c.value for c in ws[1]]
    present, expected = header.index("实到人数") + 1, header.index("应到人数") + 1
    ws.cell(1, present).value = "参会人员"
    everyone = 0
    for row in range(2, ws.max_row + 1):
        count = ws.cell(row, present).value
        if count is None:
            continue
        if count == ws.cell(row, expected).value and row % 3 == 0:
            ws.cell(row, present).value = "全体党员"
            everyone += 1
        else:
            ws.cell(row, present).value = "、".join(f"党员{i}" for i in range(int(count)))
    book.save(tmp_path / "listed.xlsx")
    code, expected_report = audit_json(SAMPLES / "violations.xlsx")
    listed_code, report = audit_json(tmp_path / "listed.xlsx")
    assert listed_code == code and everyone > 5
    assert [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in expected_report["findings"]]
    added = [i for i in report["input_issues"] if i not in expected_report["input_issues"]]
    assert [i["code"] for i in added] == ["INPUT-PRESENT-FROM-NAMES"]
    assert report["skipped_rules"] == expected_report["skipped_rules"]  # MEET-*-QUORUM judged, as on the sample


def test_meetings_named_instead_of_kinds_are_read_as_the_kinds_they_name(tmp_path: Path) -> None:
    """A 会议名称 column (3月份支部委员会会议, 召开党小组会, 主题党日（重温入党誓词）) instead of 活动类型: each row is
    the kind its name names, with one notice; the audit is the sample's. Before, the sheet was refused (exit 2) and
    fifteen meeting rules went unchecked."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    ws = book["组织生活"]
    header = [c.value for c in ws[1]]
    kind, day, topic = (header.index(h) + 1 for h in ("活动类型", "日期", "主题"))
    ws.cell(1, kind).value = "会议名称"
    shapes = ["{m}月份{k}", "{k}会议", "召开{k}", "{m}月{k}（{t}）"]
    for row in range(2, ws.max_row + 1):
        written, when = ws.cell(row, kind).value, ws.cell(row, day).value
        month = when.month if hasattr(when, "month") else ""
        ws.cell(row, kind).value = shapes[row % len(shapes)].format(m=month, k=written, t=ws.cell(row, topic).value)
    book.save(tmp_path / "named.xlsx")
    code, expected = audit_json(SAMPLES / "violations.xlsx")
    named_code, report = audit_json(tmp_path / "named.xlsx")
    assert named_code == code
    assert [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in expected["findings"]]
    added = [i for i in report["input_issues"] if i not in expected["input_issues"]]
    assert [i["code"] for i in added] == ["INPUT-KIND-WITHIN-TEXT"]
    assert report["skipped_rules"] == expected["skipped_rules"]
