"""`ledgercheck template`: the blank workbook's layout, and a template filled in by hand audits cleanly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from ledgercheck.app.audit import audit_workbook
from ledgercheck.model.schema import ENUMS, SHEETS, FieldType
from ledgercheck.template.blank import INSTRUCTIONS, header_text, write_template
from tests.test_cli import run

D = dt.date
MEMBER_ID = next(f for s in SHEETS if s.title == "党员" for f in s.fields if f.header == "身份证号")
AS_OF = D(2026, 1, 15)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "台账.xlsx")


def test_template_has_every_sheet_with_canonical_headers_frozen_and_styled(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [INSTRUCTIONS] + [s.title for s in SHEETS]
    for spec in SHEETS:
        sheet = book[spec.title]
        # Required headers say so in their text too: the fill colour is lost on a black-and-white printout.
        assert [c.value for c in sheet[1]] == [f.header + ("（*必填）" if f.required else "") for f in spec.fields]
        assert sheet.freeze_panes == "A2"
        for cell, field in zip(sheet[1], spec.fields):
            assert cell.font.bold
            assert cell.comment is not None and field.header in cell.comment.text
            assert ("必填" in cell.comment.text) == field.required
        # Only the header row is locked, without a password: rows can be typed, inserted, sorted and filtered.
        assert sheet.protection.sheet and not sheet.protection.password
        assert sheet["A1"].protection.locked
        # Column styles unlock every cell below: the template's columns and the secretary's own to their right.
        assert not sheet.column_dimensions["A"].protection.locked
        assert not sheet.column_dimensions[get_column_letter(len(spec.fields) + 3)].protection.locked
        assert sheet.protection.insertRows is False and sheet.protection.sort is False


def test_enumerated_columns_have_drop_down_lists(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    for spec in SHEETS:
        sheet = book[spec.title]
        lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v for v in sheet.data_validations.dataValidation}
        for letter, field in zip("ABCDEFGHIJKLMNOP", spec.fields):
            if field.enum:
                validation = lists[letter]
                assert validation.type == "list"
                assert validation.formula1.strip('"').split(",") == list(ENUMS[field.enum])
                assert str(validation.sqref).endswith("10001")
                # A single choice is enforced; a joint meeting may list several kinds, so only a warning.
                assert validation.errorStyle == ("stop" if field.type is FieldType.ENUM else "warning")
            elif field.type is FieldType.REF:
                assert lists[letter].formula1.startswith("'组织'!$A$2")


def test_date_id_and_org_columns_have_formats(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    for spec in SHEETS:
        sheet = book[spec.title]
        for letter, field in zip("ABCDEFGHIJKLMNOP", spec.fields):
            fmt = sheet.column_dimensions[letter].number_format
            if field.type is FieldType.DATE:
                assert fmt == "yyyy-mm-dd", (spec.key, field.key)
            elif field.type in (FieldType.ID_NUMBER, FieldType.PHONE) or field.key in ("org_id", "parent_id"):
                assert fmt == "@", (spec.key, field.key)


def test_instructions_sheet_explains_every_column(template: Path) -> None:
    sheet = openpyxl.load_workbook(template)[INSTRUCTIONS]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    described = {(r[0], r[1]) for r in rows if r[1]}
    for spec in SHEETS:
        for field in spec.fields:
            assert (spec.title, header_text(field)) in described
    notes = [r for r in rows if r[1] == header_text(MEMBER_ID) and r[0] == "党员"][0]
    assert "文本格式" in notes[4] and "18位" in notes[6]
    assert any(r[1] == "组织类型（*必填）" and r[5] == "、".join(ENUMS["org_type"]) for r in rows)


def _fill(sheet, rows: list[dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    """Type values under the headers the way a person would: by column name, one row per record, below the
    example row."""
    columns = {str(cell.value).removesuffix("（*必填）"): cell.column for cell in sheet[1]}
    for offset, row in enumerate(rows, start=3):
        for header, value in row.items():
            sheet.cell(offset, columns[header], value)


def fill_template(path: Path, out: Path) -> Path:
    book = openpyxl.load_workbook(path)
    _fill(book["组织"], [
        {"组织编号": "D01", "组织名称": "某局机关党委", "组织类型": "机关党委", "成立日期": "2012年5月4日",
         "本届选举日期": D(2023, 9, 16), "书记": "王建国", "支委会委员人数": 7},
        {"组织编号": "B01", "组织名称": "办公室党支部", "组织类型": "党支部", "上级组织编号": "D01",
         "成立日期": "2012/5/4", "本届选举日期": "2024-03-20", "任期年限": 3, "书记": "王建国", "支委会委员人数": 3},
        {"组织编号": "B02", "组织名称": "离退休干部党支部", "组织类型": "党支部", "上级组织编号": "某局机关党委",
         "成立日期": D(2015, 7, 1), "本届选举日期": "2023.6.30", "书记": "李 娜", "支委会委员人数": 0},
    ])
    _fill(book["党员"], [
        {"姓名": "王建国", "身份证号": "11010119800101001X", "性别": "男", "出生日期": "1980-01-01", "所在组织编号": "B01",
         "党员类别": "正式党员", "入党日期": "2003年7月1日", "转正日期": "2004年7月1日", "党内职务": "书记",
         "人员类别": "在职", "状态": "正常", "联系电话": "13800138000"},
        {"姓名": "张敏", "身份证号": "110101199203040028", "性别": "女", "出生日期": D(1992, 3, 4), "所在组织编号": "B01",
         "党员类别": "预备党员", "入党日期": D(2025, 6, 1), "人员类别": "在职"},
        {"姓名": "李 娜", "身份证号": "110105195505050044", "性别": "女", "出生日期": "1955年5月", "所在组织编号": "B02",
         "党员类别": "正式党员", "入党日期": "1980-10", "转正日期": "1981-10", "人员类别": "离退休"},
    ])
    _fill(book["组织生活"], [
        {"组织编号": "B01", "活动类型": "支部委员会", "日期": "2025-01-06", "主持人": "王建国", "记录人": "张敏",
         "应到人数": 3, "实到人数": 3, "主题": "研究年度计划"},
        {"组织编号": "B01", "活动类型": "组织生活会、民主评议党员", "日期": D(2025, 12, 18), "主持人": "王建国",
         "记录人": "张敏", "应到人数": 2, "实到人数": 2, "缺席人员": "", "主题": "年度组织生活会"},
        {"组织编号": "B02", "活动类型": "党课", "日期": "2025年3月26日", "主讲人": "李娜", "主题": "专题党课"},
    ])
    _fill(book["党费"], [
        {"姓名": "王建国", "身份证号": "11010119800101001X", "组织编号": "B01", "所属月份": "2025-01",
         "缴费基数": 9800, "应缴金额": 147, "实缴金额": 147, "缴纳日期": "2025/1/8"},
        {"姓名": "李 娜", "组织编号": "B02", "所属月份": "2025年2月", "缴费基数": 4200, "应缴金额": 21, "实缴金额": 21},
    ])
    _fill(book["换届选举"], [
        {"组织编号": "B01", "选举日期": "2024-03-20", "应到人数": 25, "实到人数": 24, "应选人数": 3, "候选人数": 4,
         "上级批复日期": "2024-04-10"},
    ])
    _fill(book["发展党员"], [
        {"姓名": "张敏", "组织编号": "B01", "入党申请日期": "2022-03-01", "谈话日期": "2022-03-20",
         "确定积极分子日期": "2022-06-01", "确定发展对象日期": "2024-11-01", "集中培训学时": 32,
         "支部大会讨论日期": "2025-06-01", "上级审批日期": "2025-07-10", "入党介绍人": "王建国、李娜"},
    ])
    _fill(book["学习培训"], [{"姓名": "王建国", "年度": 2025, "学时": 56}])
    book.save(out)
    return out


def test_template_filled_in_by_hand_audits_without_input_issues(template: Path, tmp_path: Path, national) -> None:
    filled = fill_template(template, tmp_path / "filled.xlsx")
    result = audit_workbook(filled, national, AS_OF)
    # The example rows kept above the records are passed over, each said once, and nothing else is reported.
    assert {(i.code, i.location.sheet, i.location.row) for i in result.input_issues} == {
        ("INPUT-EXAMPLE-ROW", spec.title, 2) for spec in SHEETS}
    assert all(i.message("zh") == "第2行是填写示例，不是记录，未读入" for i in result.input_issues)
    assert result.crashes == []
    records = {s["name"]: s["records"] for s in result.sheets}
    assert records == {INSTRUCTIONS: 0, "组织": 3, "党员": 3, "组织生活": 3, "党费": 2, "换届选举": 1, "发展党员": 1,
                       "学习培训": 1}
    assert result.orgs == 3


def test_template_command_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    first = run("template", out)
    assert first.exit_code == 0, first.output
    assert "填表说明" in first.stdout and out.is_file()
    again = run("template", out, "--lang", "en")
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run("template", out, "--force").exit_code == 0
    wrong = run("template", tmp_path / "台账.xls")
    assert wrong.exit_code == 2 and ".xlsx" in wrong.stderr


def test_the_blank_template_is_not_reported_as_clean(template: Path) -> None:
    """Nothing to audit is an input error (exit 2), never "no problems found"."""
    for lang, clean, incomplete in (("zh", "未发现问题。", "检查不完整"), ("en", "No findings.", "incomplete")):
        result = run("audit", template, "--lang", lang)
        assert result.exit_code == 2
        assert incomplete in result.stdout and clean not in result.stdout


def test_dates_counts_and_years_are_checked_as_they_are_typed(template: Path) -> None:
    """A typo (2024-13-05, 三人) gets Excel's own warning at once; a warning, not a refusal, since 2024年3月5日 is
    read too."""
    book = openpyxl.load_workbook(template)
    for spec in SHEETS:
        sheet = book[spec.title]
        kinds = {str(v.sqref).split(":")[0].rstrip("0123456789"): v for v in sheet.data_validations.dataValidation}
        for letter, field in zip("ABCDEFGHIJKLMNOP", spec.fields):
            expected = {FieldType.DATE: "date", FieldType.INT: "whole", FieldType.YEAR: "whole"}.get(field.type)
            if expected:
                assert kinds[letter].type == expected and kinds[letter].errorStyle == "warning", (spec.key, field.key)
                assert kinds[letter].prompt


def test_english_template_has_english_sheets_and_headers_and_is_read(tmp_path: Path, national) -> None:
    out = tmp_path / "ledger.xlsx"
    result = run("template", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Instructions"] + [s.en for s in SHEETS]
    members = book[next(s.en for s in SHEETS if s.title == "党员")]
    headers = [c.value for c in members[1]]
    assert "name (*required)" in headers or any(h.endswith(" (*required)") for h in headers)
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers)
    instructions = [[c.value for c in row] for row in book["Instructions"].iter_rows()]
    assert instructions[0][0] == "Instructions"
    # A filled English template is read like the Chinese one: sheets and (*required) headers are understood.
    orgs = book[next(s.en for s in SHEETS if s.title == "组织")]
    columns = {str(c.value).removesuffix(" (*required)"): c.column for c in orgs[1]}
    org_fields = {f.en: f for f in SHEETS[0].fields}
    values = {"org_id": "B01", "name": "Office Party branch", "org_type": "党支部", "founded": D(2012, 5, 4),
              "elected": D(2024, 3, 20), "secretary": "王建国", "committee_size": 3}
    for field in org_fields.values():
        if field.key in values:
            orgs.cell(3, columns[field.en], values[field.key])
    book.save(out)
    audited = audit_workbook(out, national, AS_OF)
    assert [i.message("en") for i in audited.input_issues
            if "no data rows" not in i.message("en") and i.code != "INPUT-EXAMPLE-ROW"] == []
    assert {s["name"]: s["records"] for s in audited.sheets}[orgs.title] == 1


def test_header_comments_say_each_thing_once(template: Path) -> None:
    """A comment that says 「本列已设为文本格式」 and then 「请设置为文本格式」 reads as a contradiction."""
    book = openpyxl.load_workbook(template)
    for spec in SHEETS:
        for cell in book[spec.title][1]:
            text = cell.comment.text
            assert text.count("分隔") <= 1 and text.count("文本格式") <= 1, text
            sentences = [s for s in text.split("\n", 1)[1].split("。") if s]
            assert len(sentences) == len(set(sentences)), text


def test_each_sheet_has_an_example_row_that_the_audit_passes_over(template: Path, tmp_path: Path, national) -> None:
    """Row 2 shows a filled-in record, grey, marked 「示例：」 with a comment; it is never read as a record, and a
    ledger whose examples were deleted reads without a word about them."""
    book = openpyxl.load_workbook(template)
    for spec in SHEETS:
        sheet = book[spec.title]
        first = sheet.cell(2, 1)
        assert str(first.value).startswith("示例："), spec.key
        assert first.font.italic and first.comment is not None and "不读入" in first.comment.text
        assert not any(c.protection.locked for c in sheet[2] if c.has_style), spec.key  # can be typed over, deleted
        assert sum(1 for c in sheet[2] if c.value not in (None, "")) >= min(3, len(spec.fields)), spec.key
    kept = audit_workbook(template, national, AS_OF)
    assert all(s["records"] == 0 for s in kept.sheets)
    assert sorted(i.location.sheet for i in kept.input_issues if i.code == "INPUT-EXAMPLE-ROW") == sorted(
        s.title for s in SHEETS)
    # Deleted examples: the records moved up to row 2 read as usual, and no example row is reported.
    filled = openpyxl.load_workbook(fill_template(template, tmp_path / "filled.xlsx"))
    for spec in SHEETS:
        filled[spec.title].delete_rows(2)
    filled.save(tmp_path / "deleted.xlsx")
    result = audit_workbook(tmp_path / "deleted.xlsx", national, AS_OF)
    assert [i.code for i in result.input_issues] == []
    assert {s["name"]: s["records"] for s in result.sheets}["党员"] == 3


def test_the_english_example_row_is_marked_in_english(tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    assert run("template", out, "--lang", "en").exit_code == 0
    book = openpyxl.load_workbook(out)
    assert all(str(book[s.en].cell(2, 1).value).startswith("Example: ") for s in SHEETS)
