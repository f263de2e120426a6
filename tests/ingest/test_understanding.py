"""Understanding real ledgers: headers people write, values that decide, shapes that real systems export.

Each test builds the small workbook that shows one behaviour, as a secretary's file would have it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ledgercheck.app.config import CliOptions, resolve
from ledgercheck.app.context import Context
from ledgercheck.ingest.aliases import load_aliases
from ledgercheck.ingest.loader import LoadResult, load_ledger
from ledgercheck.model.periods import Period, Unit
from tests.ingest.test_loader import SheetDef, build

D = dt.date
ORGS = [["组织编号", "组织名称", "组织类型", "上级组织编号"],
        ["D01", "机关党委", "机关党委", None],
        ["B01", "第一党支部", "党支部", "D01"],
        ["B02", "第二党支部", "党支部", "D01"]]


def codes(result: LoadResult) -> list[tuple[str, str | None, str | None]]:
    """The input problems, but the notice that the ledger has no meetings sheet (these workbooks are partial)."""
    return sorted((i.code, i.location.sheet, i.location.column) for i in result.issues
                  if i.code != "INPUT-MISSING-SHEET")


def plan_of(result: LoadResult, sheet: str):  # noqa: ANN201
    return next(p for p in result.plans if p.name == sheet)


def fields_of(result: LoadResult, sheet: str) -> dict[str, str | None]:
    return {c.header: c.field for c in plan_of(result, sheet).columns}


# ---------------------------------------------------------------- headers


def test_the_member_system_export_whose_person_kind_header_holds_member_kinds(tmp_path: Path) -> None:
    """全国党员管理信息系统 exports name the member kind 人员类别 (正式党员/预备党员), the layout's header for the person
    kind, and give the person kind as 在职状态: every cell was an input error (exit 2). Values decide, with a notice."""
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员信息": [
        ["姓名", "所在党支部", "人员类别", "在职状态", "现任党内职务", "工作岗位", "是否失联党员"],
        ["张三", "第一党支部", "正式党员", "在职", "书记", "科员", "否"],
        ["李四", "第一党支部", "预备党员", "离退休", None, "处长", "否"],
        ["王五", "第二党支部", "正式党员", "在职", "组织委员", "科员", "是"],
        ["赵六", "第二党支部", "正式党员", "在职", None, "科员", "否"],
    ]})
    result = load_ledger(path)
    assert fields_of(result, "党员信息") == {"姓名": "name", "所在党支部": "org_id", "人员类别": "member_kind",
                                          "在职状态": "person_kind", "现任党内职务": "party_post", "工作岗位": None,
                                          "是否失联党员": None}
    assert [(m.member_kind, m.person_kind, m.party_post) for m in result.ledger.members] == [
        ("正式党员", "在职", "书记"), ("预备党员", "离退休", None), ("正式党员", "在职", "组织委员"), ("正式党员", "在职", None)]
    assert codes(result) == [("INPUT-COLUMN-BY-VALUES", "党员信息", "C")]


def test_the_layouts_own_header_with_values_of_no_field_is_still_read_cell_by_cell(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "党员类别", "人员类别"], ["张三", "B01", "正式党员", "干部编制"],
        ["李四", "B01", "正式党员", "在职"], ["王五", "B01", "正式党员", "乙类"], ["赵六", "B01", "正式党员", "丙类"]]})
    result = load_ledger(path)
    assert fields_of(result, "党员")["人员类别"] == "person_kind"
    assert [c for c in codes(result) if c[0] == "INPUT-BAD-VALUE"] == [("INPUT-BAD-VALUE", "党员", "D")] * 3


def test_statuses_of_member_systems_are_read_and_members_away_still_count(tmp_path: Path) -> None:
    """党员状态 as Party-member systems export it: 流动党员, 出国(境), 失联党员 are members in the register (S-JY
    第二十四条); they were input errors (exit 2) and left out of every count."""
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "党员类别", "党员状态"],
        ["张三", "B01", "正式党员", "正常"], ["李四", "B01", "正式党员", "流动党员"],
        ["王五", "B01", "正式党员", "出国(境)"], ["赵六", "B01", "正式党员", "失联党员"],
        ["钱七", "B01", "正式党员", "已停止党籍"],
    ]})
    result = load_ledger(path)
    assert codes(result) == []
    assert [(m.name, m.status, m.active) for m in result.ledger.members] == [
        ("张三", "正常", True), ("李四", "流动", True), ("王五", "出国（境）", True), ("赵六", "失联", True),
        ("钱七", "停止党籍", False)]
    assert [m.name for m in result.ledger.active_members("B01")] == ["张三", "李四", "王五", "赵六"]



def test_a_bracket_names_the_values_and_the_values_decide(tmp_path: Path) -> None:
    """人员类别（正式/预备） is the member kind; the real 在职/离退休 column is the person kind: both are read."""
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员花名册": [
        ["姓名", "所在党支部", "人员类别（正式/预备）", "在职/离退休", "入党时间"],
        ["张三", "第一党支部", "正式", "在职", "2001.07"],
        ["李四", "第一党支部", "预备", "离退休", "2025年03月"],
        ["王五", "第二党支部", "正式", "在职", "1985.03"],
    ]})
    result = load_ledger(path)
    assert fields_of(result, "党员花名册") == {"姓名": "name", "所在党支部": "org_id", "人员类别（正式/预备）": "member_kind",
                                          "在职/离退休": "person_kind", "入党时间": "joined_on"}
    assert [(m.name, m.org_id, m.member_kind, m.person_kind, m.joined_on) for m in result.ledger.members] == [
        ("张三", "B01", "正式党员", "在职", D(2001, 7, 1)), ("李四", "B01", "预备党员", "离退休", D(2025, 3, 1)),
        ("王五", "B02", "正式党员", "在职", D(1985, 3, 1))]
    assert codes(result) == []


def test_a_header_whose_values_say_otherwise_is_read_as_what_the_values_are(tmp_path: Path) -> None:
    """党籍状态 holding 正式党员/预备党员 is the member kind, not the status; the decision is reported."""
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "党籍状态"], ["张三", "B01", "正式党员"], ["李四", "B01", "预备党员"],
        ["王五", "B02", "正式党员"]]})
    result = load_ledger(path)
    assert fields_of(result, "党员")["党籍状态"] == "member_kind"
    assert [m.member_kind for m in result.ledger.members] == ["正式党员", "预备党员", "正式党员"]
    assert codes(result) == [("INPUT-COLUMN-BY-VALUES", "党员", "C")]
    issue = next(i for i in result.issues if i.code == "INPUT-COLUMN-BY-VALUES")
    assert "党员类别" in issue.message("zh") and "正式党员" in issue.message("zh")


def test_common_headers_of_real_exports_are_understood(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "发展党员": [
        ["姓名", "证件号码", "所属党支部", "递交入党申请书时间", "确定为入党积极分子时间", "确定为发展对象时间",
         "支部大会讨论通过时间", "上级党委审批时间"],
        ["赵六", None, "B01", "2023.03.05", "2023.10.08", "2024.10.10", "2025.03.20", "2025.05.10"]],
        "组织生活": [["所属党支部", "会议类型", "实际时间", "会议议题"], ["B01", "支委会", "2025.01.06", "学习"]],
        "党费": [["实缴人姓名", "所属党支部", "交费月份", "交费金额"], ["赵六", "B01", "2025年01月", 10]]})
    result = load_ledger(path)
    assert set(fields_of(result, "发展党员").values()) == {"name", "id_number", "org_id", "applied_on", "activist_on",
                                                        "candidate_on", "admitted_on", "approved_on"}
    assert fields_of(result, "组织生活") == {"所属党支部": "org_id", "会议类型": "kind", "实际时间": "date",
                                         "会议议题": "topic"}
    assert fields_of(result, "党费") == {"实缴人姓名": "name", "所属党支部": "org_id", "交费月份": "month",
                                       "交费金额": "paid"}
    assert codes(result) == []


def test_an_unrecognized_column_is_listed_once_with_the_fields_it_may_be(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["序号", "姓名", "所在组织编号", "党员类别", "入党年份日子", "档案管理单位", "备注"],
        [1, "张三", "B01", "正式党员", "2001", "汉族", None], [2, "李四", "B01", "正式党员", "2002", "汉族", "无"]]})
    result = load_ledger(path)
    unknown = [i for i in result.issues if i.code == "INPUT-UNKNOWN-COLUMN"]
    assert [(i.location.column, i.params["column"]) for i in unknown] == [("E", "入党年份日子"), ("F", "档案管理单位")]
    assert "入党日期" in unknown[0].message("zh")  # the nearest field
    assert [c.how for c in plan_of(result, "党员").columns if c.header in ("序号", "备注")] == ["ignored", "ignored"]


def test_values_that_contradict_the_header_are_an_input_problem_never_zero(tmp_path: Path) -> None:
    """是/否 under 支委人数 is not a committee size, and a column of dates is not training hours."""
    path = build(tmp_path / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型", "支委人数"], ["B01", "第一党支部", "党支部", "是"],
               ["B02", "第二党支部", "党支部", "否"], ["B03", "第三党支部", "党支部", "是"]],
        "发展党员": [["姓名", "组织编号", "培训学时"], ["甲", "B01", D(2024, 5, 1)], ["乙", "B01", D(2024, 6, 1)],
                 ["丙", "B02", D(2024, 7, 1)]]})
    result = load_ledger(path)
    assert ("INPUT-COLUMN-CONTRADICTED", "组织", "D") in codes(result)
    assert ("INPUT-COLUMN-CONTRADICTED", "发展党员", "C") in codes(result)
    assert all(o.committee_size is None for o in result.ledger.orgs)
    assert not result.ledger.has_column("orgs", "committee_size")  # rules that need it are not checked
    assert not result.ledger.has_column("recruits", "training_hours")


def test_the_layouts_own_header_keeps_its_column_and_reports_each_unreadable_cell(tmp_path: Path) -> None:
    """Under the template's own header, a value that is not a number is an input problem of its cell."""
    path = build(tmp_path / "l.xlsx", {
        "组织": [["组织编号", "组织名称", "组织类型", "支委会委员人数"], ["B01", "第一党支部", "党支部", "是"],
               ["B02", "第二党支部", "党支部", 3], ["B03", "第三党支部", "党支部", "否"]]})
    result = load_ledger(path)
    assert [c for c in codes(result) if c[0] == "INPUT-BAD-NUMBER"] == [("INPUT-BAD-NUMBER", "组织", "D")] * 2
    assert [o.committee_size for o in result.ledger.orgs] == [None, 3, None]  # never 0


def test_a_rule_needing_a_missing_column_is_not_checked_not_a_finding_per_row(tmp_path: Path) -> None:
    rows = [["组织编号", "活动类型", "日期", "主持人", "记录人", "应到人数", "实到人数"]]
    rows += [["B01", "支部委员会", D(2025, m, 5), "张三", "李四", 5, 5] for m in range(1, 13)]
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "组织生活": rows})
    context = Context.build(resolve(CliOptions(as_of=D(2026, 1, 15), select=("REC-MEETING-COMPLETE",),
                                                no_config=True)))
    result = context.audit(path)
    assert result.findings == []
    assert [(s.rule_id, s.reason.zh) for s in result.skipped_rules] == [
        ("REC-MEETING-COMPLETE", "「组织生活」表没有「主题」列")]


# ---------------------------------------------------------------- aliases


def test_a_users_alias_wins_over_a_built_in_one_and_says_so(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("sheets:\n  members:\n    columns:\n      party_post: [类别]\n", "utf-8")
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "党员类别", "类别"], ["张三", "B01", "正式党员", "书记"]]})
    result = load_ledger(path, load_aliases([aliases]))
    assert fields_of(result, "党员")["类别"] == "party_post" and result.ledger.members[0].party_post == "书记"
    shadowed = [i for i in result.issues if i.code == "INPUT-ALIAS-SHADOWED"]
    assert len(shadowed) == 1 and shadowed[0].location.file == str(aliases) and shadowed[0].location.line == 4
    assert "党员类别" in shadowed[0].message("zh")  # the built-in meaning it replaces


def test_value_aliases_of_real_exports(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "政治面貌", "人员类别"], ["张三", "B01", "中共党员", "教职工"],
        ["李四", "B01", "中共预备党员", "退休"], ["王五", "B01", "正", "在编"], ["赵六", "B01", "预", "在职"]]})
    result = load_ledger(path)
    assert [(m.member_kind, m.person_kind) for m in result.ledger.members] == [
        ("正式党员", "在职"), ("预备党员", "离退休"), ("正式党员", "在职"), ("预备党员", "在职")]
    assert codes(result) == []


# ---------------------------------------------------------------- sheets


def test_sheets_with_default_names_are_recognized_by_their_contents(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {
        "Sheet1": ORGS,
        "Sheet2": [["姓名", "所在组织编号", "党员类别", "入党日期"], ["张三", "B01", "正式党员", "2001-07-01"]],
        "Sheet3": [["姓名", "所在党支部", "入党时间", "性别"], ["李四", "B01", "2001-07-01", "男"]]})
    result = load_ledger(path)
    assert [(p.name, p.key, p.how) for p in result.plans] == [
        ("Sheet1", "orgs", "headers"), ("Sheet2", "members", "headers"), ("Sheet3", "members", "headers")]
    # A roster lacking a required column is an error that names it, not a lost sheet.
    missing = next(i for i in result.issues if i.code == "INPUT-MISSING-COLUMN")
    assert missing.location.sheet == "Sheet3" and missing.params["column"] == "党员类别"
    assert "「入党时间」" in str(missing.params["headers"]) and missing.level == "error"


def test_two_header_rows_a_stage_over_repeated_field_names(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "发展党员": SheetDef(rows=[
        ["发展党员工作台账"],
        ["姓名", "所在党支部", "递交入党申请书", None, "确定入党积极分子", None, "确定发展对象"],
        [None, None, "时间", "谈话人", "时间", "培养联系人", "时间"],
        ["赵六", "B01", "2023.03.05", "张三", "2023.10.08", "李四", "2024.10.10"]],
        merges=["A1:G1", "A2:A3", "B2:B3", "C2:D2", "E2:F2"])})
    result = load_ledger(path)
    plan = plan_of(result, "发展党员")
    assert plan.header_rows == 2 and plan.header_row == 2
    recruit = result.ledger.recruits[0]
    assert (recruit.applied_on, recruit.activist_on, recruit.candidate_on) == (
        D(2023, 3, 5), D(2023, 10, 8), D(2024, 10, 10))


# ---------------------------------------------------------------- shapes


def test_dues_with_a_column_per_month_become_one_payment_per_filled_month(tmp_path: Path) -> None:
    header = ["序号", "姓名", "所在党支部", "核算基数（元）"] + [f"{m}月" for m in range(1, 13)]
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"], ["李四", "B01", "正式党员"]],
        "2025年党费": SheetDef(rows=[["第一党支部2025年度党费收缴明细"], header,
                                 [1, "张三", "B01", 5000] + [25] * 12,
                                 [2, "李四", "B01", 3000] + [15] * 6 + [None] * 6,
                                 ["合计", None, None, None] + [40] * 6 + [25] * 6])})
    result = load_ledger(path)
    dues = result.ledger.dues
    assert len(dues) == 18 and {d.month for d in dues if d.name == "李四"} == {
        Period(2025, Unit.MONTH, m) for m in range(1, 7)}
    june = next(d for d in dues if d.name == "李四" and d.month.number == 6)
    assert june.paid == 15 and june.at("paid").short() == "2025年党费!J4" and june.base == 3000
    assert ("INPUT-TOTAL-ROW", "2025年党费", None) in codes(result)


def test_one_sheet_per_month_of_dues(tmp_path: Path) -> None:
    months = {f"2025年{m}月": [["序号", "姓名", "身份证号", "所属党支部", "核算基数", "应交金额", "实交金额", "备注"],
                               [1, "张三", None, "第一党支部", 5000, 25, 25, None]] for m in (1, 2, 3)}
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]], **months})
    result = load_ledger(path)
    assert sorted(d.month.label for d in result.ledger.dues) == ["2025-01", "2025-02", "2025-03"]
    assert all(d.org_id == "B01" for d in result.ledger.dues)
    assert [p.how for p in result.plans if p.key == "dues"] == ["month-name"] * 3


def test_year_and_month_in_two_columns(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党费台账": [
        ["序号", "姓名", "所属党组织", "年份", "月份", "缴纳基数(元)", "应缴金额(元)", "实缴金额(元)"],
        [1, "张三", "第一党支部", 2025, 3, 5000, 25, 25], [2, "张三", "第一党支部", 2025, 4, 5000, 25, 25]]})
    result = load_ledger(path)
    assert [d.month.label for d in result.ledger.dues] == ["2025-03", "2025-04"]
    assert [d.paid for d in result.ledger.dues] == [25, 25]


def test_a_branch_ledger_without_an_organization_column(tmp_path: Path) -> None:
    one = [["组织编号", "组织名称", "组织类型"], ["B01", "第一党支部", "党支部"]]
    path = build(tmp_path / "l.xlsx", {"组织": one, "党员": [
        ["姓名", "党员类别", "入党日期"], ["张三", "正式党员", "2001-07-01"]]})
    result = load_ledger(path)
    assert [m.org_id for m in result.ledger.members] == ["B01"]
    assert ("INPUT-ORG-INFERRED", "党员", None) in codes(result)
    # With several organizations the sheet cannot be placed: an error names the missing column.
    path = build(tmp_path / "two.xlsx", {"组织": ORGS, "党员": [["姓名", "党员类别"], ["张三", "正式党员"]]})
    result = load_ledger(path)
    assert result.ledger.members == [] and ("INPUT-MISSING-COLUMN", "党员", None) in codes(result)
    assert load_ledger(path, org="B02").ledger.members[0].org_id == "B02"  # --org says which
    # Without an organizations sheet at all, --org names the branch.
    path = build(tmp_path / "roster.xlsx", {"花名册": [["姓名", "党员类别"], ["张三", "正式党员"]]})
    result = load_ledger(path, org="第三党支部")
    assert [(o.org_id, o.org_type) for o in result.ledger.orgs] == [("第三党支部", "党支部")]
    assert result.ledger.members[0].org_id == "第三党支部"


def test_member_kind_from_the_full_membership_date(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "入党时间", "转正时间"], ["张三", "B01", "2001-07-01", "2002-07-01"],
        ["李四", "B01", "2025-07-01", None]]})
    result = load_ledger(path)
    assert [m.member_kind for m in result.ledger.members] == ["正式党员", "预备党员"]
    assert ("INPUT-INFERRED-MEMBER-KIND", "党员", None) in codes(result)


def test_dues_naming_members_by_their_number(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["党员编号", "姓名", "所在组织编号", "党员类别"], ["A001", "张三", "B01", "正式党员"],
        ["A002", "李四", "B02", "正式党员"]],
        "党费": [["党员编号", "所属月份", "实缴金额"], ["A001", "2025-01", 10], ["A002", "2025-01", 10],
               ["A009", "2025-01", 10], ["A009", "2025-02", 10]]})
    result = load_ledger(path)
    assert [(d.name, d.org_id) for d in result.ledger.dues] == [("张三", "B01"), ("李四", "B02")]
    unknown = [i for i in result.issues if i.code == "INPUT-UNKNOWN-MEMBER-NO"]
    assert len(unknown) == 1 and unknown[0].params == {"value": "A009", "count": 2, "rows": "4–5"}


def test_sponsors_in_two_columns_are_read_together(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "发展党员": [
        ["姓名", "组织编号", "入党介绍人1", "入党介绍人2"], ["赵六", "B01", "张三", "李四"]]})
    assert load_ledger(path).ledger.recruits[0].sponsors == ("张三", "李四")


def test_an_organizations_sheet_without_codes_or_types(tmp_path: Path) -> None:
    path = build(tmp_path / "l.xlsx", {"支部信息": [
        ["党支部名称", "成立时间", "所属分党委"], ["第一党支部", "2010-01-01", None], ["机关党总支", "2010-01-01", None]],
        "党员": [["姓名", "所在党支部", "党员类别"], ["张三", "第一党支部", "正式党员"]]})
    result = load_ledger(path)
    assert [(o.org_id, o.org_type) for o in result.ledger.orgs] == [("第一党支部", "党支部"), ("机关党总支", "党总支")]
    assert result.ledger.members[0].org_id == "第一党支部"


def test_an_unknown_organization_is_one_problem_with_its_rows(tmp_path: Path) -> None:
    rows = [["姓名", "所在组织编号", "党员类别"]] + [[f"党员{i}", "第九党支部", "正式党员"] for i in range(40)]
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": rows})
    unknown = [i for i in load_ledger(path).issues if i.code == "INPUT-UNKNOWN-ORG"]
    assert len(unknown) == 1 and unknown[0].params == {"value": "第九党支部", "count": 40, "rows": "2–41"}


def test_a_ledger_in_several_workbooks_reads_as_one(tmp_path: Path) -> None:
    roster = build(tmp_path / "花名册.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", "党员类别"], ["张三", "B01", "正式党员"]]})
    dues = build(tmp_path / "党费.xlsx", {"党费": [["姓名", "所在支部", "所属月份", "实缴金额"],
                                                ["张三", "B01", "2025-01", 10]]})
    result = load_ledger([roster, dues])
    assert result.ledger.dues[0].name == "张三" and result.ledger.members[0].org_id == "B01"
    assert {s.file for s in result.sheets} == {str(roster), str(dues)}
    assert result.ledger.dues[0].at("paid").file == str(dues)  # findings point at the right workbook


@pytest.mark.parametrize("header", ["人员类别（正式/预备）", "正式/预备", "党员身份", "政治面貌"])
def test_spellings_of_the_member_kind(tmp_path: Path, header: str) -> None:
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "党员": [
        ["姓名", "所在组织编号", header], ["张三", "B01", "正式党员"], ["李四", "B01", "预备党员"]]})
    assert [m.member_kind for m in load_ledger(path).ledger.members] == ["正式党员", "预备党员"]


def test_a_notice_cuts_long_sample_values_short(tmp_path: Path) -> None:
    names = "、".join(f"党员{i}" for i in range(12))
    path = build(tmp_path / "l.xlsx", {"组织": ORGS, "组织生活": [
        ["组织编号", "活动类型", "日期", "参会情况"], *[["B01", "党课", dt.date(2025, 3, 5 + i), names] for i in range(4)]]})
    [notice] = [i for i in load_ledger(path).issues if i.code == "INPUT-COLUMN-CONTRADICTED"]
    assert "（党员0、党员1、党员2、…）" in notice.message("zh") and names not in notice.message("zh")
