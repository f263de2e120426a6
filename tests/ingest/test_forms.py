"""Records kept as forms (ingest/forms.py): a meeting a sheet, or blocks down a sheet, each label beside its value.

Each was refused before (exit 2, the meeting rules not checked): the header search took 会议时间 | 2025年3月5日 for
a table's header. The forms here are the sample's own meetings written as forms, so the audit must come out as the
sample's does, and every finding and input problem must name the form's own cell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.ingest.aliases import load_aliases
from ledgercheck.ingest.forms import as_form
from ledgercheck.ingest.loader import load_ledger
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json
from tests.ingest.test_loader import build

ORG = "政策法规处党支部"
# The meetings sheet's fields as a form names them, two to a row; 会议地点 and 会议内容 are known and not read.
LAYOUT = [[("会议时间", "日期"), ("活动类型", "活动类型")], [("主持人", "主持人"), ("记录人", "记录人")],
          [("应到人数", "应到人数"), ("实到人数", "实到人数")], [("党小组", "党小组"), ("主讲人", "主讲人")],
          [("缺席人员", "缺席人员"), ("会议地点", None)], [("会议主题", "主题")], [("会议内容", None)]]


def _forms(path: Path, per_sheet: int) -> tuple[Path, dict[tuple[int, str], tuple[str, int, int]]]:
    """The violations sample with ORG's meetings moved from the meetings table into forms, `per_sheet` blocks a sheet;
    and where each went: (table row, header) → (sheet, row, column) of its value."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    orgs = {row[1].value: row[0].value for row in book["组织"].iter_rows(min_row=2)}
    table = book["组织生活"]
    header = [c.value for c in table[1]]
    mine = [r for r in range(2, table.max_row + 1) if table.cell(r, 1).value == orgs[ORG]]
    placed: dict[tuple[int, str], tuple[str, int, int]] = {}
    for start in range(0, len(mine), per_sheet):
        sheet = book.create_sheet(f"会议记录{start // per_sheet + 1}")
        sheet.cell(1, 1, f"{ORG}会议记录")
        row = 3
        for source in mine[start:start + per_sheet]:
            values = {h: table.cell(source, header.index(h) + 1).value for h in header}
            for pairs in LAYOUT:
                for i, (label, field) in enumerate(pairs):
                    sheet.cell(row, 1 + 2 * i, label)
                    value = values.get(field) if field else "三楼会议室" if label == "会议地点" else "传达学习……"
                    if value is not None:
                        sheet.cell(row, 2 + 2 * i, value)
                        if isinstance(value, dt.datetime):
                            sheet.cell(row, 2 + 2 * i).number_format = "yyyy-mm-dd"
                    if field:
                        placed[(source, field)] = (sheet.title, row, 2 + 2 * i)
                row += 1
            row += 1  # a blank row between blocks
    for source in reversed(mine):
        table.delete_rows(source)
    book.save(path)
    return path, placed


def _same_audit_at_the_form_cells(tmp_path: Path, per_sheet: int) -> dict[str, Any]:
    path, placed = _forms(tmp_path / "forms.xlsx", per_sheet)
    code, expected = audit_json(SAMPLES / "violations.xlsx")
    written_code, report = audit_json(path)
    assert written_code == code
    assert [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in expected["findings"]]
    added = [i for i in report["input_issues"] if i not in expected["input_issues"]]
    sheets = {sheet for sheet, _, _ in placed.values()}
    assert sorted((i["code"], i["location"]["sheet"]) for i in added) == sorted(
        (code, sheet) for sheet in sheets for code in ("INPUT-FORM-SHEET", "INPUT-ORG-BY-TITLE"))
    # A finding about one of the moved meetings names the form's cell where its value now is.
    book = openpyxl.load_workbook(path)
    original = openpyxl.load_workbook(SAMPLES / "violations.xlsx")["组织生活"]
    header = [c.value for c in original[1]]
    by_fingerprint = {f["fingerprint"]: f for f in expected["findings"]}
    moved = 0
    for finding in report["findings"]:
        where = finding["location"]
        if where is None or where["sheet"] not in sheets:
            continue
        before = by_fingerprint[finding["fingerprint"]]["location"]
        field = header[openpyxl.utils.column_index_from_string(before["column"]) - 1]
        assert placed[(before["row"], field)] == (where["sheet"], where["row"],
                                                  openpyxl.utils.column_index_from_string(where["column"]))
        assert book[where["sheet"]][f"{where['column']}{where['row']}"].value == \
            original[f"{before['column']}{before['row']}"].value
        moved += 1
    return {"moved": moved, "report": report, "placed": placed}


def test_a_meeting_a_sheet_is_read_as_the_table_would_be(tmp_path: Path) -> None:
    outcome = _same_audit_at_the_form_cells(tmp_path, per_sheet=1)
    assert len({sheet for sheet, _, _ in outcome["placed"].values()}) > 20
    assert outcome["moved"] > 0


def test_blocks_down_one_sheet_are_one_meeting_each(tmp_path: Path) -> None:
    outcome = _same_audit_at_the_form_cells(tmp_path, per_sheet=100)
    notice = next(i for i in outcome["report"]["input_issues"] if i["code"] == "INPUT-FORM-SHEET")
    rows = {r for (r, _f) in outcome["placed"]}
    assert f"{len(rows)}条" in notice["message"]
    assert outcome["moved"] > 0


def test_findings_name_the_form_cell(tmp_path: Path) -> None:
    """On violations.xlsx, a finding on a moved meeting (a host who is not on the committee, a quorum) points into
    the form, at the cell holding the value it is about."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    table = book["组织生活"]
    header = [c.value for c in table[1]]
    code, expected = audit_json(SAMPLES / "violations.xlsx")
    about = [f for f in expected["findings"] if f["location"] and f["location"]["sheet"] == "组织生活"
             and f["location"]["column"]]
    assert about
    target = about[0]
    row = target["location"]["row"]
    values = {h: table.cell(row, i + 1).value for i, h in enumerate(header)}
    orgs = {r[0].value: r[1].value for r in book["组织"].iter_rows(min_row=2)}
    sheet = book.create_sheet("一次会议")
    sheet.cell(1, 1, f"{orgs[values['组织编号']]}会议记录")
    r = 2
    cells = {}
    for pairs in LAYOUT:
        for i, (label, field) in enumerate(pairs):
            sheet.cell(r, 1 + 2 * i, label)
            if field:
                cells[field] = f"{'BD'[i]}{r}"  # an empty value's cell too: a finding about it names the cell
                if values.get(field) is not None:
                    sheet.cell(r, 2 + 2 * i, values[field])
        r += 1
    table.delete_rows(row)
    book.save(tmp_path / "one.xlsx")
    _code, report = audit_json(tmp_path / "one.xlsx")
    found = next(f for f in report["findings"] if f["fingerprint"] == target["fingerprint"])
    field = header[openpyxl.utils.column_index_from_string(target["location"]["column"]) - 1]
    assert found["location"]["sheet"] == "一次会议"
    assert f"{found['location']['column']}{found['location']['row']}" == cells[field]


def test_a_bad_value_in_a_form_names_its_cell(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型"], ["B01", "第一党支部", "党支部"], ["B02", "第二党支部", "党支部"]],
        "党员": [["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]],
        "表1": [["第一党支部支部委员会会议记录"], [],
                  ["会议时间", "2025年2月31日", "地点", "会议室"], ["主持人", "张三"], ["应到人数", 5, "实到人数", "五人多"],
                  ["会议内容", "研究发展党员工作"], [None, "（续）讨论"], ["记录人签字：李四"]]})
    result = load_ledger(path)
    problems = {(i.code, i.location.row, i.location.column) for i in result.issues}
    assert ("INPUT-BAD-DATE", 3, "B") in problems
    assert ("INPUT-BAD-NUMBER", 5, "D") in problems
    assert ("INPUT-FORM-TEXT", 8, None) in problems  # the signature: reported; the content's second line is content
    assert not any(i.location.row == 7 for i in result.issues)
    assert ("INPUT-KIND-BY-TITLE", None, None) in problems and ("INPUT-ORG-BY-TITLE", None, None) in problems


def test_a_form_listing_those_present_counts_them(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型"], ["B01", "第一党支部", "党支部"], ["B02", "第二党支部", "党支部"]],
        "党员": [["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]],
        "3月支委会": [["第一党支部支部委员会会议记录"], ["会议时间", "2025年3月5日", "应到人数", 5],
                   ["主持人", "张三"], ["参会人员：张三、李四、王五（列席：赵六）"], ["缺席人员", "钱七、孙八"]],
        "4月支委会": [["第一党支部支部委员会会议记录"], ["会议时间", "2025年4月5日", "应到人数", 5],
                   ["主持人", "张三"], ["参会人员", "全体委员"]]})
    result = load_ledger(path)
    march, april = sorted(result.ledger.meetings, key=lambda m: m.date)
    assert (march.present, march.expected, march.absentees) == (3, 5, ("钱七", "孙八"))
    assert (april.present, april.expected) == (5, 5)  # 全体委员: everyone expected
    assert march.at("present").cell == "A4"
    notices = [(i.code, i.location.sheet, i.location.cell) for i in result.issues if i.code == "INPUT-PRESENT-FROM-NAMES"]
    assert notices == [("INPUT-PRESENT-FROM-NAMES", "3月支委会", "A4"), ("INPUT-PRESENT-FROM-NAMES", "4月支委会", "B4")]


def test_an_election_kept_as_a_form(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型"], ["B01", "第一党支部", "党支部"], ["B02", "第二党支部", "党支部"]],
        "党员": [["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]],
        "换届选举": [["第一党支部换届选举情况"],
                 ["选举日期", dt.date(2025, 6, 10), "应到会人数", 20], ["实到会人数", 19, "应选人数", 3],
                 ["候选人数", 4, "上级批复日期", dt.date(2025, 6, 20)]]})
    result = load_ledger(path)
    [election] = result.ledger.elections
    assert (election.org_id, election.date, election.eligible, election.present, election.seats, election.candidates) \
        == ("B01", dt.date(2025, 6, 10), 20, 19, 3, 4)
    assert election.at("present").cell == "B3" and election.at("candidates").cell == "B4"


def test_a_recruit_kept_as_a_record_of_the_whole_procedure(tmp_path: Path) -> None:
    """发展党员全程纪实表, a sheet a person: the stages' dates read; 性别, no field of the sheet, reported at its cell."""
    path = build(tmp_path / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型"], ["B01", "第一党支部", "党支部"], ["B02", "第二党支部", "党支部"]],
        "党员": [["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"], ["李四", "B01", "正式党员"]],
        "王五": [["第一党支部发展党员工作全程纪实表"],
               ["姓名", "王五", "性别", "男", "出生年月", "1995.03"],
               ["递交入党申请书时间", dt.date(2022, 3, 1), "谈话时间", dt.date(2022, 3, 20)],
               ["确定为入党积极分子时间", dt.date(2022, 9, 1)],
               ["确定为发展对象时间", dt.date(2023, 10, 8), "培训学时", 24],
               ["入党介绍人", "张三、李四"],
               ["支部大会讨论时间", dt.date(2024, 1, 10), "上级党委审批时间", dt.date(2024, 2, 20)]]})
    result = load_ledger(path)
    [recruit] = result.ledger.recruits
    assert (recruit.name, recruit.org_id, recruit.applied_on, recruit.candidate_on, recruit.training_hours,
            recruit.sponsors, recruit.admitted_on) == ("王五", "B01", dt.date(2022, 3, 1), dt.date(2023, 10, 8), 24,
                                                       ("张三", "李四"), dt.date(2024, 1, 10))
    assert recruit.at("approved_on").cell == "D7" and recruit.at("name").cell == "B2"
    assert [(i.code, i.location.cell) for i in result.issues if i.location.sheet == "王五"] == [
        ("INPUT-FORM-SHEET", None), ("INPUT-UNKNOWN-COLUMN", "C2"), ("INPUT-ORG-BY-TITLE", None)]


def test_a_table_is_never_read_as_a_form() -> None:
    for sample in ("clean.xlsx", "violations.xlsx", "own-roster.xlsx"):
        assert not [i for i in load_ledger(SAMPLES / sample).issues if i.code.startswith("INPUT-FORM")]


_FIELDS = {"会议时间": "2025-03-05", "主持人": "张三", "记录人": "李四", "应到人数": 9, "实到人数": 8,
           "缺席人员": "王五", "会议主题": "学习", "党小组": "第一党小组"}


@settings(max_examples=60, deadline=None)
@given(order=st.permutations(sorted(_FIELDS)), widths=st.lists(st.integers(1, 3), min_size=8, max_size=8),
       inline=st.lists(st.booleans(), min_size=8, max_size=8), gap=st.integers(0, 2))
def test_any_arrangement_of_a_form_reads_every_value(order: list[str], widths: list[int], inline: list[bool],
                                                     gap: int) -> None:
    """Labels in any order, one to three a row, some written with their value in one cell (会议时间：…), the values
    a column or two to the right: each value lands under its label, at its own cell."""
    rows: list[list[object]] = [["第一党支部支部委员会会议记录"], []]
    where = {}
    labels = list(order)
    w = 0
    while labels:
        row: list[object] = []
        for _ in range(widths[w % len(widths)]):
            if not labels:
                break
            label = labels.pop(0)
            if inline[len(labels) % len(inline)]:
                where[label] = (len(rows) + 1, len(row))
                row.append(f"{label}：{_FIELDS[label]}")
            else:
                row += [label] + [None] * gap
                where[label] = (len(rows) + 1, len(row))
                row.append(_FIELDS[label])
        rows.append(row)
        w += 1
    form = as_form(rows, "meetings", load_aliases())
    assert form is not None and form.blocks == 1
    header, values = form.rows[-2], form.rows[-1]
    for label, value in _FIELDS.items():
        column = header.index(label)
        assert str(values[column]) == str(value)
        letter = openpyxl.utils.get_column_letter(column + 1)
        row, col = where[label]
        assert form.cells[(len(form.rows), letter)] == (row, openpyxl.utils.get_column_letter(col + 1))


_CELLS = ["会议时间", "主持人", "记录人", "应到人数", "实到人数", "缺席人员", "参会人员", "会议内容", "会议主题", "活动类型",
          "会议地点", "性别", "选举日期", "记录人签字：李四", "会议时间：2025年3月5日", "参会人员：张三、李四", "张三", "李四、王五",
          "5", 5, 3.5, dt.date(2025, 3, 5), "2025年2月31日", "全体党员", "支部委员会", None, "（续）", "很长的一段会议内容" * 3]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(st.sampled_from(_CELLS), min_size=1, max_size=6), min_size=1, max_size=20),
       titled=st.booleans(), name=st.sampled_from(["Sheet2", "3月支委会", "换届选举", "王五"]))
def test_whatever_a_form_holds_every_problem_names_a_cell_of_the_sheet(tmp_path_factory: Any, rows: list[list[object]],
                                                                      titled: bool, name: str) -> None:
    """Random label-and-value sheets: nothing crashes, and every input problem and record location on the sheet
    names a cell inside it (a form's table cells are all moved back to the sheet's own), or, for a label without
    a value, the empty cell beside it, where the value belongs."""
    sheet = ([["第一党支部支部委员会会议记录"]] if titled else []) + rows
    path = build(tmp_path_factory.mktemp("f") / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型"], ["B01", "第一党支部", "党支部"], ["B02", "第二党支部", "党支部"]],
        "党员": [["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]], name: sheet})
    result = load_ledger(path)
    height, width = len(sheet), max(len(r) for r in sheet)
    places = [i.location for i in result.issues] + [
        r.at(f) for r in [*result.ledger.meetings, *result.ledger.elections, *result.ledger.recruits]
        for f in ("date", "host", "present", "name") if hasattr(r, f)]
    for where in places:
        if where is None or where.sheet != name:
            continue
        assert where.row is None or 1 <= where.row <= height, where
        assert where.column is None or openpyxl.utils.column_index_from_string(where.column) <= width + 1, where


def test_a_label_given_twice_in_one_record_reads_the_first_and_reports_the_other(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型"], ["B01", "第一党支部", "党支部"], ["B02", "第二党支部", "党支部"]],
        "党员": [["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]],
        "3月支委会": [["第一党支部支部委员会会议记录"], ["会议时间", "2025年3月5日", "主持人", "张三"],
                   ["记录人", "李四", "应到人数", 5], ["主持人", "王五"]]})
    result = load_ledger(path)
    [meeting] = result.ledger.meetings
    assert meeting.host == "张三" and meeting.at("host").cell == "D2"
    [notice] = [i for i in result.issues if i.code == "INPUT-FORM-TEXT"]
    assert notice.location.row == 4 and "第4行" in notice.message("zh")
    assert not [i for i in result.issues if i.code.startswith("INPUT-DUPLICATE")]
