"""Real-world ledger layouts: sheet names, header rows and value spellings copied from public sources.

Each Layout is a unit's workbook as a Party-building system exports it or a handed-down template lays it out.
Its sheets are filled with the rows of the violations sample (samples/generate.py): the same organizations,
people, meetings and dues, with the same planted violations, written as that source writes them. Where a source
has no sheet for something (most have no organizations sheet), the canonical sheet of `ledgercheck template`
stands in, and the layout says so. Every source is in tests/corpus/SOURCES.md.

A column declares the field it holds (None: data the rules do not use), and `also` the other readings that are
not wrong (a second column of the same field, say). tests/test_corpus.py checks how each column was understood
against these declarations, and the findings against an audit of the same data in the canonical layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Value = Callable[[Any, dict[str, Any]], Any]  # (the field's value, the whole row) → the cell as written


@dataclass(frozen=True)
class Col:
    header: str
    field: str | None = None  # the canonical field it holds; None: not data the rules use
    write: Value | None = None  # how the source spells the value (default: as it is)
    upper: str | None = None  # the stage row above (two-row headers)
    also: frozenset[str | None] = frozenset()  # other readings that are not wrong
    filler: Any = "—"  # the value of a column the rules do not use


@dataclass(frozen=True)
class SheetLayout:
    name: str
    kind: str  # the canonical sheet whose rows it holds
    columns: tuple[Col, ...]
    title: tuple[str, ...] = ()  # title rows above the header
    shape: str = "rows"  # rows | wide (1月…12月 columns) | months (a sheet per month) | year-month
    keep: Callable[[dict[str, Any]], bool] | None = None  # which rows of the kind this sheet holds
    year: int = 2025  # the year of a wide dues sheet or of month sheets
    source: str = ""  # the SOURCES.md entry (empty: the canonical layout standing in)


@dataclass(frozen=True)
class Layout:
    id: str
    title: str
    sheets: tuple[SheetLayout, ...]
    org_codes: bool = True  # False: the source names organizations only (their names are their ids)
    single_branch: str | None = None  # the one branch of a branch's own ledger (no organization column)
    shapes: tuple[str, ...] = field(default_factory=tuple)  # what the layout exercises, for the docs table


# ---------------------------------------------------------------- how sources spell values


def dotted(day: dt.date | None, _row: dict[str, Any] | None = None) -> str | None:
    return day.strftime("%Y.%m.%d") if day else None


def slashed(day: dt.date | None, _row: dict[str, Any] | None = None) -> str | None:
    return f"{day.year}/{day.month}/{day.day}" if day else None


def chinese(day: dt.date | None, _row: dict[str, Any] | None = None) -> str | None:
    return f"{day.year}年{day.month}月{day.day}日" if day else None


def padded_chinese(day: dt.date | None, _row: dict[str, Any] | None = None) -> str | None:
    return day.strftime("%Y年%m月%d日") if day else None


def with_time(day: dt.date | None, _row: dict[str, Any] | None = None) -> str | None:
    """owip: '2019/2/3  14:30' (text, two spaces before the time)."""
    return f"{day.year}/{day.month}/{day.day}  14:30" if day else None


def time_range(day: dt.date | None, _row: dict[str, Any] | None = None) -> str | None:
    """WisdomTown: 'yyyy-MM-dd HH:mm:ss-HH:mm:ss'."""
    return f"{day.isoformat()} 09:00:00-11:00:00" if day else None


def kind_short(kind: str | None, _row: dict[str, Any] | None = None) -> str | None:
    return {"正式党员": "正式", "预备党员": "预备"}.get(kind or "", kind)


def kind_one_char(kind: str | None, _row: dict[str, Any] | None = None) -> str | None:
    return {"正式党员": "正", "预备党员": "预"}.get(kind or "", kind)


def kind_political(kind: str | None, _row: dict[str, Any] | None = None) -> str | None:
    return {"正式党员": "中共党员", "预备党员": "中共预备党员"}.get(kind or "", kind)


def kind_coded(kind: str | None, _row: dict[str, Any] | None = None) -> str | None:
    return {"正式党员": "223_正式党员", "预备党员": "224_预备党员"}.get(kind or "", kind)


def meeting_kind_owip(kinds: str | None, _row: dict[str, Any] | None = None) -> str | None:
    return {"支部委员会": "支委会", "支部党员大会": "支部党员大会"}.get(kinds or "", kinds)


def meeting_kind_short(kinds: str | None, _row: dict[str, Any] | None = None) -> str | None:
    return {"支部党员大会": "党员大会"}.get(kinds or "", kinds)


def on_duty(row: dict[str, Any]) -> bool:
    return row.get("person_kind") != "离退休"


def retired(row: dict[str, Any]) -> bool:
    return row.get("person_kind") == "离退休"


def kind_is(*kinds: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: row.get("kind") in kinds


def kind_not(*kinds: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: row.get("kind") not in kinds


def names(people: Any, _row: dict[str, Any] | None = None) -> str | None:
    return "、".join(people) if people else None


# The organizations sheet of `ledgercheck template`, for sources that have none.
CANONICAL_ORGS = SheetLayout("组织", "orgs", (
    Col("组织编号", "org_id"), Col("组织名称", "name"), Col("组织类型", "org_type"), Col("上级组织编号", "parent_id"),
    Col("成立日期", "established"), Col("本届选举日期", "elected_on"), Col("任期年限", "term_years"),
    Col("延期换届批准至", "deferral_until"), Col("书记", "secretary"), Col("支委会委员人数", "committee_size")))

# ---------------------------------------------------------------- the layouts

OWIP = Layout("owip", "owip 组织工作信息平台（北京师范大学）的录入样表", org_codes=False, shapes=(
    "no org codes", "org code + name columns", "a sheet per meeting kind", "dates with times"), sheets=(
    SheetLayout("党支部", "orgs", source="owip-branch-import-branch", columns=(
        Col("党支部名称", "name"), Col("简称", None, filler="一支部"), Col("成立时间", "established"),
        Col("所属分党委", "parent_id"), Col("所属分党委编码", None, filler="020100"),
        Col("支部类别", None, filler="在职教工党支部"), Col("所在单位属性", None, filler="事业单位"),
        Col("是否是教工党支部", None, filler="是"), Col("联系电话", None, filler="58800000"))),
    SheetLayout("党员信息", "members", source="owip-member-inschool-import", columns=(
        Col("学工号", "member_no", lambda v, r: v), Col("姓名", "name"),
        Col("所在分党委编码", None, filler="020100"), Col("所在分党委", None, filler="机关党委"),
        Col("所在党支部编码", "org_id", lambda v, r: r.get("_code"), also=frozenset({None})),
        Col("所在党支部", "org_id", also=frozenset({None})),
        Col("党籍状态（正式党员或预备党员）", "member_kind"), Col("组织关系转入时间", "transferred_in"),
        Col("提交书面申请书时间", None, filler=dt.date(2010, 3, 1)), Col("入党时间", "joined_on"),
        Col("入党时所在党支部", None, filler="机关第一党支部"), Col("转正时间", "full_on"),
        Col("党内职务", "party_post"), Col("党内奖励", None, filler="无"))),
    SheetLayout("三会一课", "meetings", source="owip-meeting-import", keep=kind_not("主题党日"), columns=(
        Col("所在分党委编码", None, filler="020100"), Col("所在党支部", "org_id"),
        Col("会议类型", "kind", meeting_kind_owip), Col("主持人姓名", "host"), Col("记录人姓名", "recorder"),
        Col("计划会议时间", None, filler="2025/1/1  14:30"), Col("实际会议时间", "date", with_time),
        Col("会议地点", None, filler="会议室"), Col("应到人数", "expected"), Col("实到人数", "present"),
        Col("请假人数", None, filler=0), Col("会议议题", "topic"))),
    SheetLayout("主题党日", "meetings", source="owip-theme-day-import", keep=kind_is("主题党日"), columns=(
        Col("所在党支部", "org_id"), Col("活动名称", "kind", lambda v, r: "主题党日活动"),
        Col("实际时间", "date", with_time), Col("活动地点", None, filler="会议室"),
        Col("活动主题", "topic"), Col("应到人数", "expected"), Col("实到人数", "present"))),
))

WISDOMTOWN = Layout("wisdomtown", "WisdomTown 智慧乡镇党建模块的导出", shapes=(
    "dues in 1月…12月 columns", "year from the title row", "meeting time ranges"), sheets=(
    CANONICAL_ORGS,
    SheetLayout("党员信息", "members", source="wisdomtown-member-export", columns=(
        Col("所属党支部", "org_id", lambda v, r: r.get("_org_name")), Col("姓名", "name"), Col("性别", "gender"),
        Col("出生日期", "birth_date"), Col("民族", None, filler="汉族"), Col("学历", None, filler="本科"),
        Col("身份证号码", "id_number"), Col("联系电话", "phone"), Col("入党时间", "joined_on"),
        Col("党籍状态", "member_kind"), Col("工作/学习单位", None, filler="某局"))),
    SheetLayout("2025年党费", "dues", shape="wide", title=("2025年度党费收缴明细表",),
                source="wisdomtown-dues-year-by-member", columns=(
                    Col("序号", None), Col("姓名", "name"), Col("所在党支部", "org_id"), Col("核算基数（元）", "base"),
                    Col("缴费金额（元）", None, filler=0, also=frozenset({"paid"})))),
    SheetLayout("会议列表", "meetings", source="wisdomtown-meetings", columns=(
        Col("序号", None), Col("党组织名称", "org_id", lambda v, r: r.get("_org_name")), Col("会议主题", "topic"),
        Col("会议时间", "date", time_range), Col("会议地点", None, filler="党员活动室"),
        Col("会议类型", "kind", meeting_kind_short), Col("到课率", None, filler="100%"),
        Col("状态", None, filler="已结束"))),
))

WISDOMTOWN_MONTHS = Layout("wisdomtown-monthly", "WisdomTown 的月度党费导出（一个月一张表）", shapes=(
    "a dues sheet per month",), sheets=(
    CANONICAL_ORGS,
    SheetLayout("党员信息", "members", source="wisdomtown-member-export", columns=(
        Col("所属党支部", "org_id"), Col("姓名", "name"), Col("身份证号码", "id_number"), Col("入党时间", "joined_on"),
        Col("党籍状态", "member_kind"), Col("联系电话", "phone"))),
    SheetLayout("{year}年{month}月", "dues", shape="months", source="wisdomtown-dues-month", columns=(
        Col("序号", None), Col("姓名", "name"), Col("身份证号", "id_number"), Col("所属党支部", "org_id"),
        Col("核算基数", "base"), Col("应交金额", "due"), Col("实交金额", "paid"), Col("备注", None, filler=None))),
))

HPARTY = Layout("hparty", "HPartySystem 的报表导出", shapes=("year and month in two columns", "政治面貌 values"),
                sheets=(
    CANONICAL_ORGS,
    SheetLayout("党员名册", "members", source="hparty-member-roster", columns=(
        Col("序号", None), Col("姓名", "name"), Col("性别", "gender"), Col("身份证号", "id_number"),
        Col("出生日期", "birth_date"), Col("年龄", None, filler=40), Col("民族", None, filler="汉族"),
        Col("联系电话", "phone"), Col("学历", None, filler="本科"),
        Col("所属党组织", "org_id", lambda v, r: r.get("_org_name")),
        Col("人员状态", "member_kind", also=frozenset({None})),
        Col("政治面貌", "member_kind", kind_political, also=frozenset({None})), Col("入党时间", "joined_on"),
        Col("党龄(年)", None, filler=10))),
    SheetLayout("党费台账", "dues", shape="year-month", source="hparty-dues-ledger", columns=(
        Col("序号", None), Col("姓名", "name"), Col("所属党组织", "org_id", lambda v, r: r.get("_org_name")),
        Col("年份", None), Col("月份", "month"), Col("缴纳基数(元)", "base"), Col("应缴金额(元)", "due"),
        Col("实缴金额(元)", "paid"), Col("缴纳日期", "paid_on"), Col("缴纳方式", None, filler="微信"),
        Col("状态", None, filler="已缴"), Col("是否欠缴", None, filler="否"))),
    SheetLayout("三会一课", "meetings", source="hparty-meetings", columns=(
        Col("序号", None), Col("会议类型", "kind", meeting_kind_short), Col("会议标题", "topic"),
        Col("主办党组织", "org_id", lambda v, r: r.get("_org_name")), Col("会议日期", "date"),
        Col("开始时间", None, filler="14:30"), Col("会议地点", None, filler="会议室"), Col("主持人", "host"),
        Col("记录人", "recorder"), Col("应到人数", "expected"), Col("实到人数", "present"),
        Col("出勤率(%)", None, filler=100.0), Col("状态", None, filler="已归档"))),
))

CRCC = Layout("crcc", "中铁三局广东公司的党员花名册（在岗/不在岗两张表）", single_branch="B01", shapes=(
    "no organization column", "two title rows", "the roster split into two sheets"), sheets=(
    CANONICAL_ORGS,
    *(SheetLayout(name, "members", keep=keep, title=("中铁三局广东公司党员花名册", "时间：2026年01月"),
                  source="dj-crcc-member-roster", columns=(
                      Col("序号", None), Col("姓名", "name"), Col("性别", "gender"), Col("民族", None, filler="汉族"),
                      Col("出生\n年月", "birth_date"), Col("年龄", None, filler=40), Col("学历", None, filler="本科"),
                      Col("入党时间", "joined_on"), Col("转正时间", "full_on"),
                      Col("正式/预备党员", "member_kind", kind_short), Col("所在部门", None, filler="工程部"),
                      Col("职务", "party_post"), Col("身份证号", "id_number"),
                      Col("在岗情况", "person_kind", lambda v, r: "在岗" if v == "在职" else "退休")))
      for name, keep in (("在岗党员花名册", on_duty), ("不在岗党员花名册", retired))),
    SheetLayout("入党积极分子", "recruits", title=("入党积极分子名单",), source="dj-crcc-activists", columns=(
        Col("序号", None), Col("单位", None, filler="广东公司"), Col("姓名", "name"), Col("职务", None, filler="技术员"),
        Col("成为入党积极分子时间", "activist_on", also=frozenset({None})),
        Col("成为入党积极分子时间（有日、有月）", "activist_on", dotted, also=frozenset({None})),
        Col("第一学历", None, filler="本科"), Col("联系方式", None, filler="13800000000"))),
))

LHS = Layout("lhs", "全国党员管理信息系统（党组织和党员信息库）的导出字段", shapes=(
    "member kind from 转正日期", "organizations by name in the roster"), sheets=(
    SheetLayout("党组织信息", "orgs", source="lhs-national-org-db-base", columns=(
        Col("序号", None), Col("党组织全称", "name"), Col("党组织简称", None, filler="支部"),
        Col("成立日期", "established"), Col("党组织编码", "org_id"), Col("组织类别", "org_type"),
        Col("批准成立的上级党组织", "parent_id", lambda v, r: r.get("_parent_name")),
        Col("党组织书记", "secretary"))),
    SheetLayout("党员信息", "members", source="lhs-national-member-db", columns=(
        Col("序号", None), Col("姓名", "name"), Col("性别", "gender"), Col("公民身份号码", "id_number"),
        Col("民族", None, filler="汉族"), Col("出生日期", "birth_date"), Col("学历", None, filler="大学"),
        Col("人员类别", "person_kind"), Col("所在党支部", "org_id", lambda v, r: r.get("_org_name")),
        Col("手机号码", "phone"), Col("入党日期", "joined_on"), Col("转正日期", "full_on"),
        Col("党龄", None, filler=10), Col("工作岗位", None, filler="公务员"), Col("是否流动党员", None, filler="否"))),
    SheetLayout("发展党员", "recruits", source="lhs-national-development-db", columns=(
        Col("序号", None), Col("姓名", "name"), Col("性别", None, filler="男"), Col("公民身份证号码", "id_number"),
        Col("出生日期", "birth_date"), Col("申请入党日期", "applied_on"),
        Col("接受申请党组织", "org_id", lambda v, r: r.get("_org_name")),
        Col("确定入党积极分子日期", "activist_on"), Col("加入党组织日期", "admitted_on"),
        Col("转为正式党员日期", "full_on"))),
))

LAOMD = Layout("laomd", "中山大学学生党建系统的发展党员台账（阶段行在字段行之上）", org_codes=False, shapes=(
    "two header rows", "organizations without codes or types"), sheets=(
    SheetLayout("党支部信息", "orgs", title=("各党支部党员数据",), source="laomd-branch-stats", columns=(
        Col("支部名称", "name"), Col("年级", None, filler="2025级"), Col("班级人数", None, filler=30),
        Col("正式党员数", None, filler=10), Col("预备党员数", None, filler=2))),
    SheetLayout("成员信息", "recruits", title=("发展党员工作台账",), source="laomd-member-development-record", columns=(
        Col("党支部", "org_id", upper="基本信息"), Col("学号", None, upper="基本信息", filler="16340000"),
        Col("姓名", "name", upper="基本信息"), Col("出生时间", "birth_date", upper="基本信息"),
        Col("身份证号码", "id_number", upper="基本信息"),
        Col("递交入党申请书时间", "applied_on", upper="阶段1：入党申请阶段"),
        Col("首次组织谈话时间", "talked_on", upper="阶段1：入党申请阶段"),
        Col("确定为入党积极分子时间", "activist_on", upper="阶段2：积极分子和发展对象确定和考察阶段"),
        Col("确定发展对象时间（党委备案时间）", "candidate_on", upper="阶段2：积极分子和发展对象确定和考察阶段"),
        Col("入党介绍人", "sponsors", names, upper="阶段2：预备党员"),
        Col("确定为预备党员时间（支部大会）", "admitted_on", upper="阶段2：预备党员"),
        Col("党委审批时间", "approved_on", upper="阶段2：预备党员"),
        Col("转正时间（支部大会讨论转正时间）", "full_on", upper="阶段3：正式党员"))),
))

ZHUCAN = Layout("zhucan", "egovchina 党建平台的党员、组织录入模板", shapes=(
    "coded values (223_正式党员)", "two join-date columns", "date hints in headers"), sheets=(
    SheetLayout("组织信息", "orgs", source="zhucan-org-import", columns=(
        Col("序列", None), Col("组织编号", "org_id"), Col("党组织所在单位情况", None, filler="机关"),
        Col("组织名称", "name"), Col("组织类别", "org_type"), Col("组织状态", None, filler="正常"),
        Col("上级组织", "parent_id"), Col("党组织书记", "secretary"), Col("联系电话", None, filler="010-88888888"),
        Col("建立日期", "established"))),
    SheetLayout("Sheet1", "members", source="zhucan-partyinfo-import", columns=(
        Col("序号", None), Col("姓名", "name"), Col("党员类别", "member_kind", kind_coded),
        Col("所在组织(请不要输入特殊符号)", "org_id"), Col("性别", "gender"),
        Col("出生年月(2019/10/24)", "birth_date", slashed), Col("民族", None, filler="868_汉族"),
        Col("联系电话", "phone"), Col("档案管理单位", None, filler="组织部"),
        Col("加入党组织日期(2019/10/24)", "joined_on", slashed, also=frozenset({None})),
        Col("身份证", "id_number"), Col("入党时间(2019/10/24)", "joined_on", slashed, also=frozenset({None})))),
))

JTRC = Layout("jtrc", "人才中心流动党员导入模板（按身份证识别，没有组织列）", single_branch="B02", shapes=(
    "no organization column", "预/正", "sponsors in two columns"), sheets=(
    CANONICAL_ORGS,
    SheetLayout("Sheet1", "members", source="jtrc-party-import", columns=(
        Col("姓名", "name"), Col("身份证号", "id_number"), Col("性别", "gender"), Col("籍贯", None, filler="山东"),
        Col("出生年月", "birth_date", slashed), Col("学历", None, filler="本科"), Col("工作单位", None, filler="某局"),
        Col("预/正", "member_kind", kind_one_char), Col("入党时间", "joined_on", slashed),
        Col("历史党费缴至", None, filler="202512"), Col("转正时间", "full_on", slashed),
        Col("入党介绍人1", None, filler="王红"), Col("入党介绍人2", None, filler="李明"),
        Col("手机号码", "phone"), Col("入党申请书", None, filler="有"), Col("备注", None, filler=None))),
))

BAOBAO = Layout("baobao", "dangjian-springboot 的党员信息表（标题行之下）", shapes=(
    "a title row", "类别 decided by its values"), sheets=(
    CANONICAL_ORGS,
    SheetLayout("Sheet1", "members", title=("党员信息表",), source="baobao-member-import", columns=(
        Col("姓名", "name"), Col("电话号码", "phone"), Col("职务", "party_post"), Col("组织", "org_id"),
        Col("类别", "member_kind"), Col("性别", "gender"), Col("学号/工号", None, filler="2020001"),
        Col("入党时间", "joined_on"))),
))

LAYOUTS: tuple[Layout, ...] = (OWIP, WISDOMTOWN, WISDOMTOWN_MONTHS, HPARTY, CRCC, LHS, LAOMD, ZHUCAN, JTRC, BAOBAO)
