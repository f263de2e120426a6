"""Both attendance counts in one cell (实到人数 7/8, or a 出席情况 column of 应到8人，实到7人), as meeting and
election records often give them: each such cell was an INPUT-BAD-NUMBER error (exit 2) and the quorum rules lost
their counts. The cell is read as the count present and the count expected, with one notice per sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ledgercheck.ingest.coerce import Attendance, CellError, to_attendance
from ledgercheck.ingest.loader import load_ledger
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json

_FORMS = ["{p}/{e}", "应到{e}人，实到{p}人", "实到{p}人（应到{e}人）", "应到会{e}人 实到会{p}人，缺席{a}人", "{p}人／{e}人"]


def _paired(source: Path, path: Path, *, header: str | None) -> dict[str, list[int]]:
    """The sample with 实到人数 holding both counts in turns of _FORMS, and 应到人数 deleted (meetings and elections);
    with `header`, the column renamed. The rows rewritten, by sheet."""
    book = openpyxl.load_workbook(source)
    rows: dict[str, list[int]] = {}
    for sheet in ("组织生活", "换届选举"):
        ws = book[sheet]
        headers = [c.value for c in ws[1]]
        expected, present = headers.index("应到人数") + 1, headers.index("实到人数") + 1
        rows[sheet] = []
        for row in range(2, ws.max_row + 1):
            e, p = ws.cell(row, expected).value, ws.cell(row, present).value
            if isinstance(e, int) and isinstance(p, int):
                ws.cell(row, present).value = _FORMS[row % len(_FORMS)].format(p=p, e=e, a=e - p)
                rows[sheet].append(row)
        if header is not None:
            ws.cell(1, present).value = header
        ws.delete_cols(expected)
    book.save(path)
    return rows


@pytest.mark.parametrize("header", [None, "出席情况"])
def test_both_counts_in_one_cell_are_read_as_both(tmp_path: Path, header: str | None) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = tmp_path / "paired.xlsx"
    rows = _paired(SAMPLES / "violations.xlsx", path, header=header)
    assert len(rows["组织生活"]) > 250 and len(rows["换届选举"]) >= 5

    paired_code, report = audit_json(path)
    assert paired_code == code == 1
    assert sorted((f["rule"]["id"], f["fingerprint"]) for f in report["findings"]) == \
        sorted((f["rule"]["id"], f["fingerprint"]) for f in plain["findings"])
    assert "ELECT-QUORUM-4-5" in {f["rule"]["id"] for f in report["findings"]}, "the counts are judged"
    assert report["summary"]["skipped_rules"] == plain["summary"]["skipped_rules"] == 0, "no rule lacks its column"
    extra = [i for i in report["input_issues"] if i["code"] not in {j["code"] for j in plain["input_issues"]}]
    column = header or "实到人数"
    assert [(i["code"], i["level"], i["location"]["sheet"], i["location"]["row"], i["location"]["column"])
            for i in extra] == [("INPUT-ATTENDANCE-PAIR", "warning", "组织生活", rows["组织生活"][0], "H"),
                                ("INPUT-ATTENDANCE-PAIR", "warning", "换届选举", rows["换届选举"][0], "C")]
    assert extra[0]["message"] == (
        f"「{column}」有{len(rows['组织生活'])}行同时写了实到和应到人数（如 7/8、应到8人，实到7人；第2–{rows['组织生活'][-1]}行）："
        "分别读作实到人数和「应到人数」（「应到人数」列已填写的，以该列为准）")


def test_a_filled_expected_column_wins(tmp_path: Path) -> None:
    """Where 应到人数 has its own value, the pair's second count does not replace it."""
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    ws = book["组织生活"]
    headers = [c.value for c in ws[1]]
    expected, present = headers.index("应到人数") + 1, headers.index("实到人数") + 1
    counts = ws.cell(2, present).value, ws.cell(2, expected).value
    ws.cell(2, present).value = f"{counts[0]}/99"
    path = tmp_path / "both.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 0 and not report["findings"]
    assert [i["code"] for i in report["input_issues"]] == ["INPUT-ATTENDANCE-PAIR"]
    meeting = next(m for m in load_ledger(path).ledger.meetings if m.row == 2)
    assert (meeting.present, meeting.expected) == counts != (counts[0], 99)


@pytest.mark.parametrize(("text", "pair"), [
    ("7/8", (7, 8)), ("7 / 8", (7, 8)), ("７／８", (7, 8)), ("7人/8人", (7, 8)), ("应到8人，实到7人", (7, 8)),
    ("应到8人实到7人缺席1人（病假）", (7, 8)), ("实到7人（应到8人）", (7, 8)), ("应出席8人，实际到会7人", (7, 8)),
    ("8/8", (8, 8)), ("0/5", (0, 5)),
])
def test_pairs(text: str, pair: tuple[int, int]) -> None:
    found = to_attendance(text)
    assert isinstance(found, Attendance) and tuple(found) == pair


@pytest.mark.parametrize("text", ["9/8", "7", "应到8人", "实到7人", "张三/李四", "2025/3", "8-1", "0/0", 7, None])
def test_not_pairs(text: object) -> None:
    """More present than expected, one count only, names, a date: not a pair."""
    with pytest.raises(CellError) as bad:
        to_attendance(text)
    assert bad.value.code == "INPUT-BAD-NUMBER"


def test_a_column_of_attendee_names_is_not_read_as_counts(tmp_path: Path) -> None:
    """出席情况 holding names (张三、李四…) contradicts a count: the column is set aside with a notice, never read
    cell by cell as bad numbers."""
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    ws = book["组织生活"]
    column = ws.max_column + 1
    ws.cell(1, column).value = "出席情况"
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = "张三、李四、王五"
    path = tmp_path / "names.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 0 and not report["findings"]
    assert {i["code"] for i in report["input_issues"]} <= {"INPUT-COLUMN-CONTRADICTED", "INPUT-DUPLICATE-COLUMN"}
