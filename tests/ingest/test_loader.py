"""Loader tests on workbooks built in tmp_path: messy layouts, input issues and row accounting."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ledgercheck.ingest.loader import LoadResult, load_ledger
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.periods import Period, Unit
from ledgercheck.model.records import DuesPayment, Meeting, Member, Org, Record
from ledgercheck.template.writer import Style, text_dates, write_workbook

Cells = Sequence[object]


@dataclasses.dataclass
class SheetDef:
    rows: Sequence[Cells]  # row 1 first; None leaves a cell empty
    merges: Sequence[str] = ()  # "A1:H1"
    first_row: int = 1  # where rows[0] is written (1-based)
    first_col: int = 1


def build(path: Path, sheets: Mapping[str, SheetDef | Sequence[Cells]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, sheet_def in sheets.items():
        if not isinstance(sheet_def, SheetDef):
            sheet_def = SheetDef(sheet_def)
        sheet = book.create_sheet(name)
        for r, cells in enumerate(sheet_def.rows):
            for c, value in enumerate(cells):
                if value is None:
                    continue
                cell = sheet.cell(sheet_def.first_row + r, sheet_def.first_col + c, value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for merge in sheet_def.merges:
            sheet.merge_cells(merge)
    book.save(path)
    return path


def plain(record: Record) -> Record:
    """The record without its provenance, for value comparison."""
    return dataclasses.replace(record, src=None, row=None)


def where(record: Record, field: str) -> tuple[str | None, int | None, str | None]:
    location = record.at(field)
    assert location is not None
    return location.sheet, location.row, location.column


def issue_key(issue: InputIssue) -> tuple[object, ...]:
    loc = issue.location
    return issue.code, issue.level, loc.sheet, loc.row, loc.column


ORGS_SHEET = [["组织编号", "组织名称", "组织类型", "上级组织编号"],
              ["D01", "机关党委", "机关党委", None],
              ["B01", "第一党支部", "党支部", "D01"],
              ["B02", "第二党支部", "党支部", "D01"]]
MEMBERS_SHEET = [["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]]


# ---- (a) a messy workbook -----------------------------------------------------------------------


def messy_workbook(path: Path) -> Path:
    return build(path, {
        # English headers, an alias sheet name, an org-type alias and a parent given by name.
        "组织信息": [
            ["Org ID", "Name", "Type", "Parent ID", "Established", "Secretary", "Committee size"],
            ["D01", "某局机关党委", "Organ committee", None, "2010年1月", None, None],
            ["B01", "第一党支部", "支部", "D01", dt.date(2015, 3, 1), "张　三", "５人"],
            ["B02", "第二党支部", "Party branch", "某局机关党委", "２０１６／７／１", " 王 五 ", 3],
        ],
        # Title row merged across, a two-level header (group label 党籍信息 over three sub-headers,
        # the other header cells merged vertically), unknown 序号/备注 columns and blank rows.
        "党员花名册": SheetDef(
            rows=[
                ["第一、第二党支部党员花名册（2024年）"],
                ["序号", "姓名", "所在支部", "党籍信息", None, None, "联系电话", "备注"],
                [None, None, None, "党员类别", "入党日期", "转正日期", None, None],
                [1, " 张 三 ", "B01", "正式党员", "2015年7月1日", "2016.7.1", "１３８００１３８０００", "无"],
                [2, "李　四", "B01", "预备", "２０２４－０６－３０", None, None, None],
                [None, None, None, None, None, None, None, None],
                [None, "", "—", None, " ", None, None, None],
                [3, "王五", "第二党支部", "正式", "20100701", dt.date(2011, 7, 1), 13900139000, "调入"],
                [4, "赵　六", "B02", "Full member", "2019/7/1 00:00:00", 43647.0 + 365, None, None],
            ],
            merges=["A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3", "H2:H3"],
        ),
        "三会一课记录": SheetDef(
            rows=[
                ["2024年三会一课记录"],
                ["支部编号", "会议类型", "会议日期", "主持人", "应到", "实到", "缺席人员", "会议内容", "附件"],
                ["B01", "支委会", "2024年3月5日", "张　三", "５人", "4", "李 四", "研究发展党员工作", "有"],
                ["B01", "党员大会、党课", "2024/3/12", "张三", 10, 9.0, "王 五、赵六", "专题党课", None],
                [None] * 9,
                ["第二党支部", "主题党日", "２０２４．４．１", None, None, None, "全到", None, None],
                ["B02", "Party lecture", 45383.0, " 王 五 ", "3人", "3人", None, None, None],
            ],
            merges=["A1:I1"],
        ),
        # Starts at B2 (column A and row 1 empty): the locations must still be the sheet's own.
        "党费收缴": SheetDef(
            rows=[
                ["姓名", "所在支部", "所属月份", "应缴金额", "实缴金额", "缴纳日期"],
                ["张三", "B01", "2024年3月", "¥12.50元", "12.5", dt.date(2024, 3, 20)],
                ["李　四", "B01", "2024-04", 3, "３元", "2024.4.2"],
            ],
            first_row=2, first_col=2,
        ),
    })


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> LoadResult:
    return load_ledger(messy_workbook(tmp_path_factory.mktemp("messy") / "台账.xlsx"))


def test_messy_workbook_has_no_issues(messy: LoadResult) -> None:
    assert [issue_key(i) for i in messy.issues] == []


def test_messy_workbook_sheet_summaries(messy: LoadResult) -> None:
    summaries = {s.name: (s.key, s.header_row, s.rows, s.records, s.skipped) for s in messy.sheets}
    assert summaries == {
        "组织信息": ("orgs", 1, 3, 3, 0),
        "党员花名册": ("members", 3, 4, 4, 0),
        "三会一课记录": ("meetings", 2, 4, 4, 0),
        "党费收缴": ("dues", 2, 2, 2, 0),
    }


def test_messy_workbook_orgs(messy: LoadResult) -> None:
    assert [plain(o) for o in messy.ledger.orgs] == [
        Org(org_id="D01", name="某局机关党委", org_type="机关党委", established=dt.date(2010, 1, 1)),
        Org(org_id="B01", name="第一党支部", org_type="党支部", parent_id="D01", established=dt.date(2015, 3, 1),
            secretary="张三", committee_size=5),
        Org(org_id="B02", name="第二党支部", org_type="党支部", parent_id="D01", established=dt.date(2016, 7, 1),
            secretary="王五", committee_size=3),
    ]
    b02 = messy.ledger.org_by_id["B02"]
    assert where(b02, "org_id") == ("组织信息", 4, "A")
    assert where(b02, "secretary") == ("组织信息", 4, "F")
    assert where(b02, "committee_size") == ("组织信息", 4, "G")


def test_messy_workbook_members(messy: LoadResult) -> None:
    assert [plain(m) for m in messy.ledger.members] == [
        Member(name="张三", org_id="B01", member_kind="正式党员", joined_on=dt.date(2015, 7, 1),
               full_on=dt.date(2016, 7, 1), phone="13800138000"),
        Member(name="李四", org_id="B01", member_kind="预备党员", joined_on=dt.date(2024, 6, 30)),
        Member(name="王五", org_id="B02", member_kind="正式党员", joined_on=dt.date(2010, 7, 1),
               full_on=dt.date(2011, 7, 1), phone="13900139000"),
        Member(name="赵六", org_id="B02", member_kind="正式党员", joined_on=dt.date(2019, 7, 1),
               full_on=dt.date(2020, 6, 30)),
    ]
    rows = [m.ref.row for m in messy.ledger.members]  # type: ignore[union-attr]
    assert rows == [4, 5, 8, 9]
    zhao = messy.ledger.members[3]
    assert where(zhao, "name") == ("党员花名册", 9, "B")
    assert where(zhao, "org_id") == ("党员花名册", 9, "C")
    assert where(zhao, "member_kind") == ("党员花名册", 9, "D")
    assert where(zhao, "joined_on") == ("党员花名册", 9, "E")
    assert where(zhao, "full_on") == ("党员花名册", 9, "F")
    assert where(zhao, "phone") == ("党员花名册", 9, "G")
    assert messy.ledger.columns["members"] == {"name", "org_id", "member_kind", "joined_on", "full_on", "phone"}


def test_messy_workbook_meetings(messy: LoadResult) -> None:
    assert [plain(m) for m in messy.ledger.meetings] == [
        Meeting(org_id="B01", kind=("支部委员会",), date=dt.date(2024, 3, 5), host="张三", expected=5, present=4,
                absentees=("李四",), topic="研究发展党员工作"),
        Meeting(org_id="B01", kind=("支部党员大会", "党课"), date=dt.date(2024, 3, 12), host="张三", expected=10,
                present=9, absentees=("王五", "赵六"), topic="专题党课"),
        Meeting(org_id="B02", kind=("主题党日",), date=dt.date(2024, 4, 1)),
        Meeting(org_id="B02", kind=("党课",), date=dt.date(2024, 4, 1), host="王五", expected=3, present=3),
    ]
    assert [m.ref.row for m in messy.ledger.meetings] == [3, 4, 6, 7]  # type: ignore[union-attr]
    third = messy.ledger.meetings[2]
    assert where(third, "org_id") == ("三会一课记录", 6, "A")
    assert where(third, "date") == ("三会一课记录", 6, "C")
    assert where(third, "absentees") == ("三会一课记录", 6, "G")
    assert where(third, "topic") == ("三会一课记录", 6, "H")


def test_messy_workbook_dues_offset_sheet(messy: LoadResult) -> None:
    assert [plain(d) for d in messy.ledger.dues] == [
        DuesPayment(name="张三", org_id="B01", month=Period(2024, Unit.MONTH, 3), due=12.5, paid=12.5,
                    paid_on=dt.date(2024, 3, 20)),
        DuesPayment(name="李四", org_id="B01", month=Period(2024, Unit.MONTH, 4), due=3.0, paid=3.0,
                    paid_on=dt.date(2024, 4, 2)),
    ]
    second = messy.ledger.dues[1]
    assert where(second, "name") == ("党费收缴", 4, "B")
    assert where(second, "month") == ("党费收缴", 4, "D")
    assert where(second, "paid_on") == ("党费收缴", 4, "G")


def test_layout_writer_round_trip_with_title_rows_and_text_dates(tmp_path: Path) -> None:
    days = [dt.date(2024, 1, 9), dt.date(2024, 2, 29), dt.date(2024, 10, 31), dt.date(2024, 12, 1),
            dt.date(2025, 3, 5)]
    tables = {
        "orgs": [{"org_id": "B01", "name": "第一党支部", "org_type": "党支部"}],
        "members": [{"name": "张三", "org_id": "B01", "member_kind": "正式党员", "joined_on": d} for d in days],
        "meetings": [{"org_id": "B01", "kind": ("支部委员会",), "date": d} for d in days],
    }
    for style in (Style(english=True, title_rows=2, dates=text_dates),
                  Style(title_rows=1)):
        path = write_workbook(tmp_path / f"w{style.english}.xlsx", tables, style)
        result = load_ledger(path)
        assert result.issues == []
        assert [m.joined_on for m in result.ledger.members] == days
        assert [m.date for m in result.ledger.meetings] == days
        assert [m.ref.row for m in result.ledger.meetings] == [style.title_rows + 2 + i  # type: ignore[union-attr]
                                                               for i in range(len(days))]


# ---- (b) input issues ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def troubled(tmp_path_factory: pytest.TempPathFactory) -> LoadResult:
    path = build(tmp_path_factory.mktemp("issues") / "问题台账.xlsx", {
        "组织": [
            ["组织编号", "组织名称", "组织类型", "上级组织编号"],
            ["D01", "机关党委", "机关党委", None],
            ["B01", "第一党支部", "党支部", "D01"],
            ["B01", "重复的支部", "党支部", "D01"],
        ],
        "党员": [
            ["姓名", "身份证号", "性别", "所在组织编号", "党员类别", "入党日期"],
            ["张三", "110105194912310021", "男", "B01", "正式党员", dt.date(2015, 7, 1)],
            ["李四", None, "女", "B01", "正式党员", "2015-02-30"],
            ["王五", None, "男", "B01", None, dt.date(2015, 7, 1)],
            ["赵六", None, "男", "X99", "正式党员", None],
            ["钱七", None, "未知", "B01", "正式党员", None],
            ["孙八", 110105194912310021, "女", "B01", "正式党员", None],
        ],
        "组织生活": [
            ["组织编号", "活动类型", "日期"],
            ["B01", "支委会", dt.date(2024, 3, 5)],
        ],
        "党费": [
            ["姓名", "实缴金额"],
            ["张三", 12],
            ["李四", 15],
        ],
        "说明": [["本台账由第一党支部填报"], [None], ["填表人：张三"]],
    })
    return load_ledger(path)


def test_each_input_issue_has_code_level_and_location(troubled: LoadResult) -> None:
    assert sorted(issue_key(i) for i in troubled.issues) == sorted([
        ("INPUT-DUPLICATE-ORG", "error", "组织", 4, "A"),
        ("INPUT-BAD-DATE", "error", "党员", 3, "F"),
        ("INPUT-MISSING-REQUIRED", "error", "党员", 4, "E"),
        ("INPUT-UNKNOWN-ORG", "error", "党员", 5, "D"),
        ("INPUT-BAD-VALUE", "error", "党员", 6, "C"),
        ("INPUT-ID-AS-NUMBER", "error", "党员", 7, "B"),
        ("INPUT-MISSING-COLUMN", "error", "党费", 1, None),
        ("INPUT-UNKNOWN-SHEET", "warning", "说明", None, None),
    ])
    assert all(i.location.file == "问题台账.xlsx" for i in troubled.issues)


def test_input_issue_details(troubled: LoadResult) -> None:
    by_code = {i.code: i for i in troubled.issues}
    assert by_code["INPUT-DUPLICATE-ORG"].row_skipped and by_code["INPUT-DUPLICATE-ORG"].params == {"value": "B01"}
    assert by_code["INPUT-MISSING-REQUIRED"].row_skipped
    assert by_code["INPUT-MISSING-REQUIRED"].location.field == "member_kind"
    assert by_code["INPUT-MISSING-REQUIRED"].params == {"column": "党员类别"}
    # Unreadable optional cells keep the row.
    for code in ("INPUT-BAD-DATE", "INPUT-BAD-VALUE", "INPUT-ID-AS-NUMBER", "INPUT-UNKNOWN-ORG"):
        assert not by_code[code].row_skipped, code
    assert by_code["INPUT-BAD-DATE"].params == {"column": "入党日期", "value": "2015-02-30"}
    assert by_code["INPUT-BAD-VALUE"].params["value"] == "未知"
    assert by_code["INPUT-UNKNOWN-ORG"].params == {"value": "X99", "count": 1, "rows": "5"}
    missing = by_code["INPUT-MISSING-COLUMN"]
    assert missing.params["column"] == "所属月份" and missing.params["rows"] == 2
    assert "「姓名」" in str(missing.params["headers"])  # the headers it saw
    assert by_code["INPUT-UNKNOWN-SHEET"].params["rows"] == 2
    # Messages render (every placeholder is filled) in both languages.
    for issue in troubled.issues:
        for lang in ("zh", "en"):
            message = issue.message(lang)
            assert message and "{" not in message


def test_rows_with_issues_become_records_or_are_skipped(troubled: LoadResult) -> None:
    members = {m.name: m for m in troubled.ledger.members}
    assert sorted(members) == ["孙八", "张三", "李四", "赵六", "钱七"]  # 王五 lacks 党员类别
    assert members["李四"].joined_on is None and members["李四"].unreadable == {"joined_on"}
    assert members["钱七"].gender is None and members["钱七"].unreadable == {"gender"}
    assert members["孙八"].id_number is None and members["孙八"].unreadable == {"id_number"}
    assert members["张三"].id_number == "110105194912310021" and members["张三"].unreadable == frozenset()
    assert members["赵六"].org_id == "X99"
    assert [o.name for o in troubled.ledger.orgs] == ["机关党委", "第一党支部"]
    summaries = {s.name: (s.key, s.rows, s.records, s.skipped) for s in troubled.sheets}
    assert summaries["党员"] == ("members", 6, 5, 1)
    assert summaries["党费"] == ("dues", 2, 0, 2)
    assert summaries["说明"] == (None, 2, 0, 2)
    assert troubled.ledger.dues == []


def test_duplicate_org_row_is_counted_as_skipped(troubled: LoadResult) -> None:
    summary = next(s for s in troubled.sheets if s.name == "组织")
    assert len(troubled.ledger.orgs) == 2
    assert (summary.rows, summary.records, summary.skipped) == (3, 2, 1)


def test_missing_members_and_meetings_sheets_are_warnings(tmp_path: Path) -> None:
    result = load_ledger(build(tmp_path / "only-orgs.xlsx", {"组织": ORGS_SHEET}))
    assert sorted((i.code, i.level, i.message("zh")) for i in result.issues) == [
        ("INPUT-MISSING-SHEET", "warning", "工作簿中没有「党员」表"),
        ("INPUT-MISSING-SHEET", "warning", "工作簿中没有「组织生活」表")]


def test_header_not_found_and_duplicate_columns(tmp_path: Path) -> None:
    path = build(tmp_path / "h.xlsx", {
        "组织": ORGS_SHEET,
        "党员": [["随便写点什么"], ["张三", "B01", "正式党员"]],
        "组织生活": [["组织编号", "活动类型", "日期", "日期"], ["B01", "党课", "2024-03-05", "2024-04-05"]],
    })
    result = load_ledger(path)
    assert sorted(issue_key(i) for i in result.issues) == [
        ("INPUT-DUPLICATE-COLUMN", "warning", "组织生活", 1, "D"),  # the column not read; the message names both
        # the members sheet is there but could not be read: INPUT-NO-HEADER says so, not "no members sheet"
        ("INPUT-NO-HEADER", "error", "党员", None, None),
    ]
    no_header = next(i for i in result.issues if i.code == "INPUT-NO-HEADER")
    assert no_header.params == {"rows": 2, "scanned": 20}
    assert [m.date for m in result.ledger.meetings] == [dt.date(2024, 3, 5)]


# ---- (c) recognition by headers -----------------------------------------------------------------


def test_unknown_sheet_name_is_recognized_by_its_headers(tmp_path: Path) -> None:
    path = build(tmp_path / "c.xlsx", {
        "组织": ORGS_SHEET,
        "Sheet1": [["2024年名单"], ["姓名", "所在组织编号", "党员类别", "入党日期"],
                   ["张三", "B01", "正式党员", "2015-07-01"], ["李四", "B02", "预备党员", "2024-06-30"]],
        "Sheet2": [["会议", "备注"], ["x", "y"]],
    })
    result = load_ledger(path)
    summary = {s.name: (s.key, s.header_row, s.records) for s in result.sheets}
    assert summary["Sheet1"] == ("members", 2, 2)
    assert summary["Sheet2"] == (None, None, 0)
    assert [(m.name, m.org_id, m.joined_on) for m in result.ledger.members] == [
        ("张三", "B01", dt.date(2015, 7, 1)), ("李四", "B02", dt.date(2024, 6, 30))]
    assert where(result.ledger.members[1], "joined_on") == ("Sheet1", 4, "D")
    assert sorted(issue_key(i) for i in result.issues) == [
        ("INPUT-MISSING-SHEET", "warning", None, None, None),  # no meetings sheet
        ("INPUT-UNKNOWN-SHEET", "warning", "Sheet2", None, None),
    ]


# ---- (d) preset meeting sheets ------------------------------------------------------------------


def test_preset_sheet_supplies_the_meeting_kind(tmp_path: Path) -> None:
    path = build(tmp_path / "d.xlsx", {
        "组织": ORGS_SHEET,
        "党员": MEMBERS_SHEET,
        "支委会记录": [["组织编号", "日期", "主持人", "议题"],
                       ["B01", "2024-01-10", "张三", "研究工作"], ["B01", "2024年2月8日", "张三", None]],
        "2024年党课记录": [["组织编号", "日期", "主讲人"], ["B02", "2024/3/1", "王五"]],
    })
    result = load_ledger(path)
    assert result.issues == []
    assert [(m.org_id, m.kind, m.date) for m in result.ledger.meetings] == [
        ("B01", ("支部委员会",), dt.date(2024, 1, 10)),
        ("B01", ("支部委员会",), dt.date(2024, 2, 8)),
        ("B02", ("党课",), dt.date(2024, 3, 1)),
    ]
    assert result.ledger.meetings[0].topic == "研究工作"
    assert result.ledger.meetings[2].lecturer == "王五"
    assert result.ledger.has_column("meetings", "kind")
    assert where(result.ledger.meetings[1], "date") == ("支委会记录", 3, "B")
    assert {s.name: s.key for s in result.sheets}["2024年党课记录"] == "meetings"


# ---- (e) org referenced by name -----------------------------------------------------------------


def test_records_naming_their_org_are_resolved_to_its_id(tmp_path: Path) -> None:
    path = build(tmp_path / "e.xlsx", {
        "组织": ORGS_SHEET,
        "党员": [["姓名", "所在支部", "党员类别"], ["张三", "第一党支部", "正式党员"], ["李四", " 第二 党支部 ", "预备党员"]],
        "组织生活": [["党支部", "活动类型", "日期"],
                     ["第一党支部", "主题党日", "2024-03-01"],
                     ["第二党支部", "党课", "2024-03-02"],
                     ["B01", "支委会", "2024-03-03"],
                     ["第九党支部", "支委会", "2024-03-04"]],
    })
    result = load_ledger(path)
    assert [m.org_id for m in result.ledger.members] == ["B01", "B02"]
    assert [m.org_id for m in result.ledger.meetings] == ["B01", "B02", "B01", "第九党支部"]
    assert [issue_key(i) for i in result.issues] == [("INPUT-UNKNOWN-ORG", "error", "组织生活", 5, "A")]
    assert len(result.ledger.meetings_by_org["B01"]) == 2
    # The resolved record keeps its location.
    assert where(result.ledger.meetings[1], "org_id") == ("组织生活", 3, "A")


# ---- (f) accounting invariant -------------------------------------------------------------------

BLANK = (None, "", " ", "—", "无")

MEMBER_COLUMNS: dict[str, tuple[object, ...]] = {
    "姓名": ("张三", " 李 四 ", "王五", 123, None, "无", "—"),
    "身份证号": ("110105194912310021", 110105194912310021, "abc", None),
    "性别": ("男", "女", "M", "未知", None),
    "所在组织编号": ("B01", "第一党支部", "X99", 12, None, ""),
    "党员类别": ("正式党员", "预备", "党员", "群众", None, 3),
    "入党日期": (dt.date(2015, 7, 1), "2015-07-01", "2015年7月", "2015-02-30", 42000.0, "昨天", None, "—"),
    "备注": (None, "调入", 5),
}
MEETING_COLUMNS: dict[str, tuple[object, ...]] = {
    "组织编号": ("B01", "第二党支部", "X99", None, "—"),
    "活动类型": ("支委会", "党员大会、党课", "茶话会", None, 3.0, "无"),
    "日期": (dt.date(2024, 3, 5), "2024/3/5", "2024年3月", "2024-13-01", 45383.0, None),
    "应到人数": (5, "5人", "五人", -1, None),
    "缺席人员": ("张三、李四", "全到", None),
    "附注": (None, "x"),
}
MEMBER_SHEET_NAMES = ("党员", "党员花名册", "Members", "2024年党员名册")
MEETING_SHEET_NAMES = ("组织生活", "三会一课记录", "会议记录", "组织生活台账")
TITLES = ("党建工作台账", "第一党支部", "（2024年度）", "")


@st.composite
def sheet_contents(draw: st.DrawFn, columns: dict[str, tuple[object, ...]]) -> SheetDef:
    headers = draw(st.permutations(list(columns)))
    titles = draw(st.lists(st.sampled_from(TITLES), max_size=3))
    merge_titles = draw(st.booleans())
    rows: list[list[object]] = [[title] for title in titles]
    merges = [f"A{n}:{get_column_letter(len(headers))}{n}" for n, title in enumerate(titles, start=1)
              if merge_titles and title]
    rows.append(list(headers))
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            rows.append([draw(st.sampled_from(BLANK)) for _h in headers])
        else:
            rows.append([draw(st.sampled_from(columns[h])) for h in headers])
    return SheetDef(rows, merges)


def _is_blank(value: object) -> bool:
    return value in BLANK


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet_contents(MEMBER_COLUMNS), sheet_contents(MEETING_COLUMNS),
       st.sampled_from(MEMBER_SHEET_NAMES), st.sampled_from(MEETING_SHEET_NAMES))
def test_every_nonempty_row_is_a_record_or_a_skipped_row_with_an_error(
        members: SheetDef, meetings: SheetDef, members_name: str, meetings_name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = build(Path(folder) / "random.xlsx", {"组织": ORGS_SHEET, members_name: members,
                                                   meetings_name: meetings})
        result = load_ledger(path)
    records: dict[str, list[Record]] = {members_name: list(result.ledger.members),
                                        meetings_name: list(result.ledger.meetings)}
    summaries = {s.name: s for s in result.sheets}
    assert set(summaries) == {"组织", members_name, meetings_name}
    for summary in result.sheets:
        assert summary.key is not None
        assert summary.rows == summary.records + summary.skipped
    for name, sheet_def in ((members_name, members), (meetings_name, meetings)):
        summary = summaries[name]
        header_row = next(n for n, cells in enumerate(sheet_def.rows, start=1) if len(cells) > 1)
        assert summary.header_row == header_row
        content = {n for n, cells in enumerate(sheet_def.rows, start=1)
                   if n > header_row and not all(_is_blank(c) for c in cells)}
        assert summary.rows == len(content)
        record_rows = [r.ref.row for r in records[name]]  # type: ignore[union-attr]
        assert len(record_rows) == len(set(record_rows)) == summary.records
        assert set(record_rows) <= content
        skipped = content - set(record_rows)
        assert len(skipped) == summary.skipped
        errors_by_row: dict[int, list[InputIssue]] = {}
        for issue in result.issues:
            if issue.location.sheet == name and issue.level == "error" and issue.location.row is not None:
                errors_by_row.setdefault(issue.location.row, []).append(issue)
        # Rows with something only in columns that are not read, and rows that repeat an earlier row word for
        # word, are each one notice that names them all.
        named = {row for issue in result.issues if issue.location.sheet == name
                 and issue.code in ("INPUT-NO-CONTENT-ROW", "INPUT-DUPLICATE-MEMBER") for row in issue.rows}
        assert named <= skipped
        for row in skipped - named:
            assert errors_by_row.get(row), f"{name} row {row} was skipped without an error"
            assert any(i.row_skipped for i in errors_by_row[row])
        for row in record_rows:
            assert not any(i.row_skipped for i in errors_by_row.get(row, []))
        assert all(row in content for row in errors_by_row)


def test_boolean_cell_is_not_confused_with_a_cached_number(tmp_path: Path) -> None:
    path = build(tmp_path / "bool.xlsx", {
        "组织": ORGS_SHEET,
        "党员": MEMBERS_SHEET,
        "组织生活": [["组织编号", "活动类型", "日期", "应到人数"],
                     ["B01", "党课", "2024-03-05", 1],
                     ["B01", "党课", "2024-03-06", True]],
    })
    result = load_ledger(path)
    assert [m.expected for m in result.ledger.meetings] == [1, None]
    assert [issue_key(i) for i in result.issues] == [("INPUT-BAD-NUMBER", "error", "组织生活", 3, "D")]


def test_a_boolean_cell_does_not_answer_for_a_later_number(tmp_path: Path) -> None:
    """True == 1 in Python: a TRUE cell between two 1s must not be cached under the key 1."""
    from ledgercheck.template.writer import write_workbook

    orgs = [{"org_id": "B01", "name": "一支部", "org_type": "党支部"}]
    meetings = [{"org_id": "B01", "kind": "党课", "date": "2025-01-0%d" % day, "expected": value}
                for day, value in ((1, 1), (2, True), (3, 1))]
    result = load_ledger(write_workbook(tmp_path / "b.xlsx", {"orgs": orgs, "meetings": meetings}))
    assert [m.expected for m in result.ledger.meetings] == [1, None, 1]
    assert [(i.code, i.location.row) for i in result.issues if i.level == "error"] == [("INPUT-BAD-NUMBER", 3)]


def test_the_readers_copy_of_a_sheet_is_freed_before_its_rows_are_read(tmp_path: Path, monkeypatch) -> None:
    """The reader keeps the parsed sheet in its own memory (tens of MB for a large dues sheet): the loader lets go of
    it before it turns the rows into records, or the large audit holds both (212 against 255 MB measured)."""
    import gc
    import weakref

    from ledgercheck.ingest import loader, workbook

    class Parsed:  # stands for the reader's sheet, which a weak reference cannot follow
        def __init__(self, sheet: object):
            self.sheet = sheet

        def __getattr__(self, name: str) -> object:
            return getattr(self.sheet, name)

    alive: list[weakref.ref[Parsed]] = []
    seen: list[bool] = []
    sheet_of, read = workbook.Workbook.sheet, loader._Loader._read

    def sheet(self: workbook.Workbook, name: str) -> workbook.SheetData:
        data = sheet_of(self, name)
        data._sheet = Parsed(data._sheet)  # type: ignore[assignment]
        alive.append(weakref.ref(data._sheet))  # type: ignore[arg-type]
        return data

    def reading(self: loader._Loader, *args: object) -> object:
        gc.collect()
        seen.append(alive[-1]() is None)
        return read(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(workbook.Workbook, "sheet", sheet)
    monkeypatch.setattr(loader._Loader, "_read", reading)
    path = build(tmp_path / "l.xlsx", {"组织": [["组织编号", "组织名称", "组织类型"], ["B01", "一支部", "党支部"]],
                                       "党员": [["姓名", "所在组织编号"], ["张伟", "B01"]]})
    load_ledger(path)
    assert seen == [True, True]


def test_a_long_column_is_coerced_once_per_distinct_value(monkeypatch) -> None:
    """A dues sheet repeats every member's name in each month's row: however many members, each distinct name is
    coerced once (a fixed cache of 20,000 coerced 17× the names for 5× the rows), with the same outcomes."""
    from ledgercheck.ingest import loader
    from ledgercheck.ingest.aliases import builtin_table
    from ledgercheck.model.schema import SHEETS_BY_KEY

    monkeypatch.setattr(loader, "CACHE_LIMIT", 10)  # as 20,000 is to a unit of 25,000 members
    spec = SHEETS_BY_KEY["dues"].by_key["name"]
    names = [f"党员{n}" for n in range(40)]
    column = [name for name in names for _month in range(12)]  # 480 cells, 40 distinct
    reader = loader._ColumnReader(spec, spec.header, builtin_table())
    coerced: list[object] = []
    coerce, direct = reader._coerce, reader.direct
    assert direct is not None  # a name's text is coerced by to_name alone (loader.DIRECT)
    monkeypatch.setattr(reader, "_coerce", lambda raw: coerced.append(raw) or coerce(raw))
    monkeypatch.setattr(reader, "direct", lambda raw: coerced.append(raw) or direct(raw))
    outcomes = reader.convert(column)
    assert len(coerced) == 40
    plain = loader._ColumnReader(spec, spec.header, builtin_table())
    assert outcomes == [plain._coerce(raw) for raw in column]
    short = loader._ColumnReader(spec, spec.header, builtin_table())
    short.convert(names)  # a short column of distinct values: the cache stays at its floor
    assert len(short) == 10


def _outcome(value: object) -> object:
    """A coerced value, or an error's code and parameters (a CellError is equal to itself alone)."""
    return (value.code, value.params) if isinstance(value, Exception) else (type(value), value)


@settings(max_examples=200, deadline=None)
@given(column=st.lists(st.sampled_from([0, 1, 2, 0.0, 1.0, 2.5, True, False, "1", "是", None, ""]), max_size=40),
       key=st.sampled_from(["expected", "paid"]), limit=st.sampled_from([1, 3, 20_000]))
def test_a_column_converts_as_each_cell_alone_whatever_its_booleans(column: list[object], key: str,
                                                                      limit: int) -> None:
    """True == 1 and False == 0 in Python: whatever the order of booleans, numbers and texts, and however small the
    cache, a column converts to what each cell converts to on its own."""
    from ledgercheck.ingest import loader
    from ledgercheck.ingest.aliases import builtin_table
    from ledgercheck.model.schema import SHEETS_BY_KEY

    spec = SHEETS_BY_KEY["meetings" if key == "expected" else "dues"].by_key[key]
    reader = loader._ColumnReader(spec, spec.header, builtin_table())
    reader.limit = limit
    converted = reader.convert(column)
    alone = [loader._ColumnReader(spec, spec.header, builtin_table()).convert([cell])[0] for cell in column]
    assert list(map(_outcome, converted)) == list(map(_outcome, alone))


@settings(max_examples=200, deadline=None)
@given(column=st.lists(st.one_of(st.sampled_from(["张三", "张 三", " 李四 ", "", " ", "无", "-", "N/A", "全到", "张三、李四（病假）",
                                                  "110101199003071234", "1101011990030712", "13812345678", "0755-1234567",
                                                  "第一党支部", "B01", "x" * 40, "\u3000", "李四\n王五"]),
                                 st.none(), st.booleans(), st.integers(-5, 20), st.floats(allow_nan=False),
                                 st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))), max_size=30),
       key=st.sampled_from([("members", "name"), ("members", "id_number"), ("members", "phone"),
                            ("meetings", "absentees"), ("meetings", "topic"), ("dues", "org_id")]),
       limit=st.sampled_from([1, 20_000]))
def test_names_numbers_and_texts_convert_as_through_every_check(column: list[object], key: tuple[str, str],
                                                                limit: int) -> None:
    """A name's, ID number's, phone's, text's or organization's text cell is coerced by its type's function alone
    (`loader.DIRECT`): the same values and the same problems as through everything `_coerce` looks at."""
    from ledgercheck.ingest import loader
    from ledgercheck.ingest.aliases import builtin_table
    from ledgercheck.model.schema import SHEETS_BY_KEY

    spec = SHEETS_BY_KEY[key[0]].by_key[key[1]]
    found = []
    for direct in (True, False):
        loader.DIRECT = direct
        try:
            reader = loader._ColumnReader(spec, spec.header, builtin_table())
            reader.limit = limit
            found.append((list(map(_outcome, reader.convert(column))), reader.errors))
        finally:
            loader.DIRECT = True
    assert found[0] == found[1]


def test_a_read_without_samples_differs_only_in_the_columns_samples() -> None:
    """A scan shows no column's first values (`load_ledger(samples=False)`): the plans lack them and nothing else
    changes, neither the records nor the input problems."""
    import dataclasses

    from tests.conftest import SAMPLES

    for name in ("violations.xlsx", "own-roster.xlsx", "violations-english.xlsx"):
        full, bare = load_ledger(SAMPLES / name), load_ledger(SAMPLES / name, samples=False)
        assert any(column.samples for plan in full.plans for column in plan.columns)
        assert not any(column.samples for plan in bare.plans for column in plan.columns)
        stripped = [dataclasses.replace(plan, columns=[dataclasses.replace(c, samples=()) for c in plan.columns])
                    for plan in full.plans]
        assert stripped == bare.plans
        assert repr(bare.ledger) == repr(full.ledger)  # records are equal by identity; their values by repr
        assert repr(bare.issues) == repr(full.issues) and bare.sheets == full.sheets
