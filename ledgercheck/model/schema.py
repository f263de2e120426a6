"""The canonical ledger layout: sheets, their fields, value types and enumerations.

One table shared by the loader, the template writer and the docs (see shared ledger-format.md).
Header and value *aliases* live in data/aliases.yaml so that users can extend them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


class FieldType(StrEnum):
    TEXT = "text"
    NAME = "name"  # a person's name: inner spaces used for alignment are dropped
    INT = "int"
    NUMBER = "number"
    DATE = "date"
    MONTH = "month"  # a calendar month (dues month)
    YEAR = "year"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    NAMES = "names"  # several names separated by 、，,;；
    ENUM = "enum"
    ENUMS = "enums"  # one or more enumerated values (a joint meeting record)
    REF = "ref"  # an organization reference: id or name


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One column of the canonical layout: its key, headers, type and the values it accepts."""

    key: str
    header: str  # canonical Chinese header
    en: str  # English header
    type: FieldType
    required: bool = False  # without it the row cannot become a record
    enum: str | None = None  # name of the enumeration for ENUM/ENUMS
    month_ok: str | None = None  # "start" or "end": a month-only value is accepted as that day
    year_ok: bool = False  # a year-only value (1985年) is accepted too, as a YearDate (members' own dates, 成立日期)
    note: str = ""  # explanation for the template's instructions sheet
    bounds: tuple[int, int] | None = None  # plausible range of an INT field, inclusive


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the canonical layout and its columns."""

    key: str
    title: str  # canonical sheet name
    en: str
    fields: tuple[FieldSpec, ...]
    optional: bool = False
    note: str = ""  # what one row is, for the template's instructions sheet

    @cached_property
    def by_key(self) -> dict[str, FieldSpec]:
        return {f.key: f for f in self.fields}


F = FieldSpec
T = FieldType

ENUMS: dict[str, tuple[str, ...]] = {
    "org_type": ("机关党委", "党委", "党总支", "党支部", "联合党支部", "临时党支部"),
    "meeting_kind": ("支部党员大会", "支部委员会", "党小组会", "党课", "主题党日", "组织生活会",
                     "民主评议党员", "谈心谈话", "集中学习"),
    "member_kind": ("正式党员", "预备党员"),
    "person_kind": ("在职", "离退休", "学生", "其他"),
    # 正常 to 失联 are members in the register (they count: Member.active); the last four are not (S-JY 第二十四条 on
    # 失联 and 出国（境）: 停止党籍 only after six months out of contact, or five years abroad).
    "status": ("正常", "流动", "出国（境）", "失联", "停止党籍", "转出", "出党", "去世"),
    "gender": ("男", "女"),
}

# 联合党支部 and 临时党支部 count as 党支部 for every rule that names 党支部.
BASE_ORG_TYPE = {"联合党支部": "党支部", "临时党支部": "党支部"}

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("orgs", "组织", "Organizations", (
        F("org_id", "组织编号", "Org ID", T.TEXT, required=True, note="工作簿内唯一，如 D01、B01"),
        F("name", "组织名称", "Name", T.TEXT, required=True),
        F("org_type", "组织类型", "Type", T.ENUM, required=True, enum="org_type"),
        F("parent_id", "上级组织编号", "Parent ID", T.REF, note="最上级组织留空"),
        F("established", "成立日期", "Established", T.DATE, month_ok="start", year_ok=True),
        F("elected_on", "本届选举日期", "Elected on", T.DATE, month_ok="start",
          note="本届委员会（或书记）选举产生的日期"),
        F("term_years", "任期年限", "Term years", T.INT, note="填写则覆盖规则的默认任期", bounds=(1, 20)),
        F("deferral_until", "延期换届批准至", "Deferral until", T.DATE, month_ok="end",
          note="上级批准延期换届的截止日期"),
        F("secretary", "书记", "Secretary", T.NAME),
        F("committee_size", "支委会委员人数", "Committee size", T.INT, note="0 或留空表示不设委员会"),
    ), note="一行一个党组织：机关党委、党总支、党支部都填在这里"),
    SheetSpec("members", "党员", "Members", (
        F("name", "姓名", "Name", T.NAME, required=True),
        F("id_number", "身份证号", "ID number", T.ID_NUMBER, note="18位，请设置为文本格式"),
        F("gender", "性别", "Gender", T.ENUM, enum="gender"),
        F("birth_date", "出生日期", "Birth date", T.DATE, month_ok="start", year_ok=True),
        F("org_id", "所在组织编号", "Org ID", T.REF, required=True),
        F("group", "党小组", "Party group", T.TEXT),
        F("member_kind", "党员类别", "Member kind", T.ENUM, required=True, enum="member_kind"),
        F("joined_on", "入党日期", "Joined on", T.DATE, month_ok="start", year_ok=True,
          note="支部大会接收为预备党员的日期"),
        F("full_on", "转正日期", "Full member on", T.DATE, month_ok="start", year_ok=True),
        F("party_post", "党内职务", "Party post", T.TEXT, note="书记、副书记、组织委员、宣传委员、纪检委员等"),
        F("person_kind", "人员类别", "Person kind", T.ENUM, enum="person_kind"),
        F("status", "状态", "Status", T.ENUM, enum="status", note="留空视为正常；正常、流动、出国（境）、失联均为在册党员，计入人数"),
        F("member_no", "党员编号", "Member no.", T.TEXT, note="本单位给党员的编号（如有）；其他表可用它指明党员"),
        F("transferred_in", "转入日期", "Transferred in", T.DATE, note="组织关系转入本组织的日期"),
        F("transferred_out", "转出日期", "Transferred out", T.DATE, note="组织关系转出的日期"),
        F("phone", "联系电话", "Phone", T.PHONE),
    ), note="一行一名党员（含预备党员）；转出、去世等人员保留并填写「状态」"),
    SheetSpec("meetings", "组织生活", "Meetings", (
        F("org_id", "组织编号", "Org ID", T.REF, required=True),
        F("kind", "活动类型", "Kind", T.ENUMS, required=True, enum="meeting_kind",
          note="一次活动兼有多种类型时用、分隔，如“组织生活会、民主评议党员”"),
        F("date", "日期", "Date", T.DATE),
        F("group", "党小组", "Party group", T.TEXT, note="党小组会填写"),
        F("host", "主持人", "Host", T.NAME),
        F("recorder", "记录人", "Recorder", T.NAME),
        F("lecturer", "主讲人", "Lecturer", T.NAME, note="党课填写"),
        F("expected", "应到人数", "Expected", T.INT),
        F("present", "实到人数", "Present", T.INT),
        F("absentees", "缺席人员", "Absentees", T.NAMES, note="多人用、分隔"),
        F("topic", "主题", "Topic", T.TEXT),
    ), note="一行一次会议或活动（三会一课、主题党日、组织生活会、谈心谈话等）"),
    SheetSpec("dues", "党费", "Dues", (
        F("name", "姓名", "Name", T.NAME, required=True),
        F("id_number", "身份证号", "ID number", T.ID_NUMBER),
        F("org_id", "组织编号", "Org ID", T.REF),
        F("month", "所属月份", "Month", T.MONTH, required=True, note="如 2025-03 或 2025年3月"),
        F("base", "缴费基数", "Base", T.NUMBER, note="税后工资或离退休费（元/月）"),
        F("due", "应缴金额", "Due", T.NUMBER),
        F("paid", "实缴金额", "Paid", T.NUMBER, note="未缴留空或填0"),
        F("paid_on", "缴纳日期", "Paid on", T.DATE),
        F("member_no", "党员编号", "Member no.", T.TEXT, note="「党员」表的党员编号（没有姓名列时据此找到党员）"),
    ), note="一行一名党员一个月的党费"),
    SheetSpec("elections", "换届选举", "Elections", (
        F("org_id", "组织编号", "Org ID", T.REF, required=True),
        F("date", "选举日期", "Date", T.DATE, required=True),
        F("eligible", "应到人数", "Eligible", T.INT, note="有选举权的应到会人数"),
        F("present", "实到人数", "Present", T.INT),
        F("seats", "应选人数", "Seats", T.INT),
        F("candidates", "候选人数", "Candidates", T.INT),
        F("approved_on", "上级批复日期", "Approved on", T.DATE),
    ), optional=True, note="一行一次换届选举（选填）"),
    SheetSpec("recruits", "发展党员", "Recruits", (
        F("name", "姓名", "Name", T.NAME, required=True),
        F("id_number", "身份证号", "ID number", T.ID_NUMBER),
        F("birth_date", "出生日期", "Birth date", T.DATE, month_ok="start"),
        F("org_id", "组织编号", "Org ID", T.REF, required=True),
        F("applied_on", "入党申请日期", "Applied on", T.DATE),
        F("talked_on", "谈话日期", "Talked on", T.DATE),
        F("activist_on", "确定积极分子日期", "Activist on", T.DATE),
        F("candidate_on", "确定发展对象日期", "Candidate on", T.DATE),
        F("training_hours", "集中培训学时", "Training hours", T.NUMBER),
        F("admitted_on", "支部大会讨论日期", "Admitted on", T.DATE),
        F("approved_on", "上级审批日期", "Approved on", T.DATE),
        F("sponsors", "入党介绍人", "Sponsors", T.NAMES, note="两人用、分隔"),
        F("full_on", "转正日期", "Full member on", T.DATE),
        F("extended_until", "延长预备期至", "Extended until", T.DATE, month_ok="end"),
    ), optional=True, note="一行一名入党申请人、积极分子、发展对象或预备党员（选填）"),
    SheetSpec("training", "学习培训", "Training", (
        F("name", "姓名", "Name", T.NAME, required=True),
        F("year", "年度", "Year", T.YEAR, required=True),
        F("hours", "学时", "Hours", T.NUMBER, required=True),
        # Two members of one name are told apart the way dues rows do it: by ID number, else by organization.
        F("org_id", "组织编号", "Org ID", T.REF, note="有同名党员时填写，区分是哪个支部的党员"),
        F("id_number", "身份证号", "ID number", T.ID_NUMBER, note="有同名党员时填写，区分是哪一位"),
    ), optional=True, note="一行一名党员一年的学习培训学时（选填）"),
)

SHEETS_BY_KEY: dict[str, SheetSpec] = {s.key: s for s in SHEETS}

# Sheets ledgercheck itself adds (the template's instructions, the annotated copy's findings list):
# the loader passes over them instead of reporting them as unknown sheets.
NOTE_SHEETS: tuple[str, ...] = ("填表说明", "Instructions", "检查结果", "Findings")
