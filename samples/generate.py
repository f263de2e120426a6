"""Generate the bundled sample ledgers (deterministic: run it again and the files are the same data).

    python samples/generate.py            # writes samples/*.xlsx next to this script

- clean.xlsx                 a 机关党委 with four branches that keeps every rule (as of 2026-01-15)
- violations.xlsx            a 机关党委 with six branches and a general branch, with planted violations
                             (listed in violations.expected.yaml with their cells)
- violations-english.xlsx    the same ledger with English sheet names and headers, a title row above
                             each header and dates written as text: it must give the same findings
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledgercheck.template.writer import Style, text_dates, write_workbook

AS_OF = dt.date(2026, 1, 15)
YEAR = 2025
HERE = Path(__file__).resolve().parent

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 志强 海燕 晓东 玉兰 国庆 "
         "文博 思远 雨涵 子轩 浩然 欣怡 俊杰 佳琪 明轩 婷婷 宇航 晨曦 立新 红梅 建国 春华 秋实 志刚 丽华 振宇").split()
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random, birth: dt.date, male: bool) -> str:
    area = rng.choice(["110101", "110105", "110108", "310104", "440304", "320102", "330106", "420106"])
    serial = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{area}{birth:%Y%m%d}{serial:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


def dues_rate(person_kind: str, base: float) -> float:
    """The bracket table of the dues provisions (党费规定 第二、五、六条)."""
    if person_kind == "离退休":
        return 0.005 if base <= 5000 else 0.01
    if base <= 3000:
        return 0.005
    if base <= 5000:
        return 0.01
    if base <= 10000:
        return 0.015
    return 0.02


@dataclass
class Branch:
    org_id: str
    name: str
    members: int
    committee: int = 3  # 0: secretary only
    groups: int = 1
    parent: str = "D01"
    elected_on: dt.date = dt.date(2024, 3, 20)
    org_type: str = "党支部"
    probationary: int = 1


@dataclass
class Unit:
    """Builds the rows of a compliant ledger; the violation sample then edits them."""

    seed: int
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.used_names: set[str] = set()
        for key in ("orgs", "members", "meetings", "dues", "elections", "recruits", "training"):
            self.tables[key] = []

    def name(self) -> str:
        while True:
            candidate = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def org(self, org_id: str, name: str, org_type: str, parent: str | None, elected_on: dt.date,
            committee: int, secretary: str | None) -> dict[str, Any]:
        row = {"org_id": org_id, "name": name, "org_type": org_type, "parent_id": parent,
               "established": dt.date(2012, 5, 4), "elected_on": elected_on, "secretary": secretary,
               "committee_size": committee}
        self.tables["orgs"].append(row)
        self.tables["elections"].append(self.election(org_id, elected_on, committee or 1))
        return row

    def election(self, org_id: str, date: dt.date, seats: int) -> dict[str, Any]:
        eligible = self.rng.randint(12, 30)
        return {"org_id": org_id, "date": date, "eligible": eligible, "present": eligible - self.rng.randint(0, 2),
                "seats": seats, "candidates": seats + max(1, -(-seats // 5)), "approved_on": date + dt.timedelta(days=21)}

    def member(self, org_id: str, group: str | None, post: str | None = None, probationary: bool = False,
               retired: bool = False) -> dict[str, Any]:
        # A secretary has over a year of Party standing when elected (支部工作条例 第二十三条).
        latest = 2015 if post == "书记" else 2022
        male = self.rng.random() < 0.55
        youngest = 1962 if retired else 1990 if post == "书记" else 1998
        birth = dt.date(self.rng.randint(1958 if retired else 1968, youngest), self.rng.randint(1, 12),
                        self.rng.randint(1, 28))
        joined = dt.date(YEAR, self.rng.randint(2, 6), self.rng.randint(1, 28)) if probationary else \
            dt.date(self.rng.randint(max(birth.year + 19, 1985), latest), self.rng.randint(1, 12), self.rng.randint(1, 28))
        row = {"name": self.name(), "id_number": id_number(self.rng, birth, male), "gender": "男" if male else "女",
               "birth_date": birth, "org_id": org_id, "group": group,
               "member_kind": "预备党员" if probationary else "正式党员", "joined_on": joined,
               "full_on": None if probationary else joined.replace(year=joined.year + 1),
               "party_post": post, "person_kind": "离退休" if retired else "在职", "status": "正常",
               "phone": f"13{self.rng.randint(0, 9)}{self.rng.randint(10000000, 99999999)}"}
        self.tables["members"].append(row)
        return row

    def branch(self, spec: Branch) -> None:
        groups = [f"第{'一二三四'[i]}党小组" for i in range(spec.groups)] if spec.groups > 1 else [None]
        # A committee in an organ has its discipline member (机关基层组织工作条例 第九条).
        posts = ["书记", "组织委员", "纪检委员", "宣传委员", "副书记", "青年委员", "统战委员"][:max(spec.committee, 1)]
        members = []
        for index in range(spec.members):
            post = posts[index] if index < len(posts) else None
            probationary = spec.members - index <= spec.probationary
            retired = not post and not probationary and index % 9 == 8
            members.append(self.member(spec.org_id, groups[index % len(groups)], post, probationary, retired))
        secretary = members[0]["name"]
        self.org(spec.org_id, spec.name, spec.org_type, spec.parent, spec.elected_on, spec.committee, secretary)
        self.meetings(spec, members, groups)
        for member in members:
            self.dues(member)
            hours = 60 if member["party_post"] else self.rng.randint(34, 48)
            self.tables["training"].append({"name": member["name"], "year": YEAR, "hours": hours})

    def meeting(self, org_id: str, kind: str, date: dt.date, people: list[dict[str, Any]], host: str,
                **extra: Any) -> dict[str, Any]:
        # Fewer than half absent, so every meeting keeps its quorum (支部工作条例 第十一、十二条).
        k = min((len(people) - 1) // 2, self.rng.choice([0, 0, 1, 2]))
        absent = [p["name"] for p in self.rng.sample(people, k=k)]
        row = {"org_id": org_id, "kind": kind, "date": date, "host": host,
               "recorder": people[1]["name"] if len(people) > 1 else host, "expected": len(people),
               "present": len(people) - len(absent), "absentees": absent or None,
               "topic": TOPICS.get(kind, "学习贯彻党的创新理论"), **extra}
        self.tables["meetings"].append(row)
        return row

    def meetings(self, spec: Branch, members: list[dict[str, Any]], groups: list[str | None]) -> None:
        secretary = members[0]["name"]
        committee = members[:spec.committee]
        for month in range(1, 13):
            day = lambda d: dt.date(YEAR, month, d)  # noqa: E731 - a tiny local helper
            if spec.committee:
                self.meeting(spec.org_id, "支部委员会", day(5), committee, secretary)
            self.meeting(spec.org_id, "主题党日", day(15), members, secretary)
            for index, group in enumerate(groups):
                people = [m for m in members if m["group"] == group]
                self.meeting(spec.org_id, "党小组会", day(20 + index), people, people[0]["name"], group=group)
            if month % 3 == 0:
                self.meeting(spec.org_id, "支部党员大会", day(25), members, secretary)
                self.meeting(spec.org_id, "党课", day(26), members, secretary, lecturer=secretary)
        self.meeting(spec.org_id, "组织生活会、民主评议党员", dt.date(YEAR, 12, 18), members, secretary)
        self.meeting(spec.org_id, "谈心谈话", dt.date(YEAR, 11, 6), members[:2], secretary)

    def dues(self, member: dict[str, Any]) -> None:
        kind = member["person_kind"]
        base = float(self.rng.randrange(3200, 6000, 100) if kind == "离退休" else self.rng.randrange(4500, 14000, 100))
        due = round(base * dues_rate(kind, base), 2)
        first = member["joined_on"].month if member["joined_on"].year == YEAR else 1
        for month in range(first, 13):
            self.tables["dues"].append({"name": member["name"], "id_number": member["id_number"],
                                        "org_id": member["org_id"], "month": dt.date(YEAR, month, 1), "base": base,
                                        "due": due, "paid": due, "paid_on": dt.date(YEAR, month, 8)})

    def recruit(self, org_id: str, member: dict[str, Any], sponsors: list[str]) -> None:
        admitted = member["joined_on"]
        self.tables["recruits"].append({
            "name": member["name"], "id_number": member["id_number"], "birth_date": member["birth_date"],
            "org_id": org_id, "applied_on": admitted - dt.timedelta(days=800),
            "talked_on": admitted - dt.timedelta(days=780), "activist_on": admitted - dt.timedelta(days=700),
            "candidate_on": admitted - dt.timedelta(days=200), "training_hours": 32,
            "admitted_on": admitted, "approved_on": admitted + dt.timedelta(days=40),
            "sponsors": sponsors, "full_on": None})


TOPICS = {"支部委员会": "研究支部月度工作", "主题党日": "主题党日：重温入党誓词", "党小组会": "学习讨论",
          "支部党员大会": "通报支部工作", "党课": "专题党课", "谈心谈话": "谈心谈话",
          "组织生活会、民主评议党员": "年度组织生活会和民主评议党员"}


def build(branches: list[Branch], seed: int, committee_name: str) -> Unit:
    unit = Unit(seed)
    unit.org("D01", committee_name, "机关党委", None, dt.date(2022, 9, 16), 7, None)
    for spec in branches:
        if spec.org_type == "党总支":
            unit.org(spec.org_id, spec.name, "党总支", spec.parent, spec.elected_on, spec.committee, None)
        else:
            unit.branch(spec)
    # Committees above the branches have no members of their own: their secretary sits in a branch below.
    orgs = unit.tables["orgs"]
    for row in orgs:
        if row["secretary"] is None:
            row["secretary"] = next(o["secretary"] for o in orgs if o["parent_id"] == row["org_id"] and o["secretary"])
    members = unit.tables["members"]
    for member in members:
        if member["member_kind"] == "预备党员":
            branch = [m for m in members if m["org_id"] == member["org_id"]]
            full = [m["name"] for m in branch if m["member_kind"] == "正式党员"][:2]
            unit.recruit(member["org_id"], member, full)
            # Admitted by the branch assembly of that day (支部工作条例 第十一条).
            unit.meeting(member["org_id"], "支部党员大会", member["joined_on"], branch, branch[0]["name"],
                         topic="讨论接收预备党员")
    for row in orgs:
        if row["org_type"] == "党总支":  # its discipline member sits in a branch below
            below = next(m for o in orgs if o["parent_id"] == row["org_id"] for m in members
                         if m["org_id"] == o["org_id"] and not m["party_post"] and m["member_kind"] == "正式党员")
            below["party_post"] = "党总支纪检委员"
            next(r for r in unit.tables["training"] if r["name"] == below["name"])["hours"] = 60  # a leader's 56 hours
    # The Party committee's secretary gives a Party lecture each year (支部工作条例 第十五条).
    top = orgs[0]
    unit.meeting(top["org_id"], "党课", dt.date(YEAR, 6, 28), members, top["secretary"], lecturer=top["secretary"],
                 topic="党委书记讲党课")
    return unit


def clean() -> Unit:
    return build([
        Branch("B01", "办公室党支部", 30, committee=5, groups=3),
        Branch("B02", "业务一处党支部", 28, committee=3, groups=2, elected_on=dt.date(2023, 4, 11)),
        Branch("B03", "业务二处党支部", 27, committee=3, groups=2),
        Branch("B04", "离退休干部党支部", 25, committee=3, groups=2, probationary=0),
    ], seed=20251, committee_name="某局机关党委")


def violations() -> tuple[Unit, list[dict[str, Any]]]:
    """A unit with violations planted; returns the rows and the expected findings."""
    unit = build([
        Branch("B01", "办公室党支部", 26, committee=3, groups=2),
        Branch("B02", "政策法规处党支部", 9, committee=0),
        Branch("B03", "财务处党支部", 12, committee=2, elected_on=dt.date(2022, 3, 1)),
        Branch("B04", "综合业务处党支部", 52, committee=5, groups=3),
        Branch("Z01", "直属单位党总支", 0, committee=3, org_type="党总支", elected_on=dt.date(2024, 6, 1)),
        Branch("B05", "信息中心党支部", 3, committee=0, parent="Z01", probationary=1),
        Branch("B06", "后勤服务中心党支部", 8, committee=3, parent="Z01", elected_on=dt.date(2021, 5, 10)),
    ], seed=20252, committee_name="某委机关党委")
    t = unit.tables
    expected: list[dict[str, Any]] = []

    def drop_meeting(org_id: str, kind: str, month: int, group: str | None = None) -> None:
        rows = [m for m in t["meetings"] if m["org_id"] == org_id and m["kind"] == kind and m["date"].month == month
                and (group is None or m.get("group") == group)]
        assert rows, (org_id, kind, month)
        t["meetings"].remove(rows[0])

    def org(org_id: str) -> dict[str, Any]:
        return next(o for o in t["orgs"] if o["org_id"] == org_id)

    def member(org_id: str, index: int) -> tuple[dict[str, Any], int]:
        rows = [(m, i) for i, m in enumerate(t["members"]) if m["org_id"] == org_id]
        return rows[index]

    org_row = {o["org_id"]: i + 2 for i, o in enumerate(t["orgs"])}

    def expect(rule: str, org_id: str, location: str, period: str | None = None, subject: str | None = None) -> None:
        item = {"rule": rule, "org": org_id, "location": location}
        if period:
            item["period"] = period
        if subject:
            item["subject"] = subject
        expected.append(item)

    # 三会一课 and organizational life
    drop_meeting("B01", "支部委员会", 5)
    expect("MEET-COMMITTEE-MONTHLY", "B01", f"组织!A{org_row['B01']}", "2025-05")
    drop_meeting("B02", "支部党员大会", 9)
    expect("MEET-BRANCH-ASSEMBLY-QUARTERLY", "B02", f"组织!A{org_row['B02']}", "2025-Q3")
    drop_meeting("B01", "党小组会", 8, group="第二党小组")
    expect("MEET-PARTY-GROUP-MONTHLY", "B01", f"组织!A{org_row['B01']}", "2025-08", "第二党小组")
    drop_meeting("B03", "主题党日", 2)
    expect("MEET-THEME-DAY-MONTHLY", "B03", f"组织!A{org_row['B03']}", "2025-02")
    drop_meeting("B03", "党课", 6)
    expect("MEET-PARTY-LECTURE", "B03", f"组织!A{org_row['B03']}", "2025-Q2")
    joint = next(m for m in t["meetings"] if m["org_id"] == "B03" and m["kind"] == "组织生活会、民主评议党员")
    joint["kind"] = "民主评议党员"
    expect("MEET-ORG-LIFE-ANNUAL", "B03", f"组织!A{org_row['B03']}", "2025")
    joint = next(m for m in t["meetings"] if m["org_id"] == "B02" and m["kind"] == "组织生活会、民主评议党员")
    joint["kind"] = "组织生活会"
    expect("MEET-MEMBER-APPRAISAL-ANNUAL", "B02", f"组织!A{org_row['B02']}", "2025")
    drop_meeting("B04", "谈心谈话", 11)
    expect("MEET-HEART-TALK-ANNUAL", "B04", f"组织!A{org_row['B04']}", "2025")

    # Organization setup
    row, _ = member("B05", 2)
    assert row["member_kind"] == "预备党员"
    expect("ORG-BRANCH-MIN-3", "B05", f"组织!A{org_row['B05']}")
    expect("ORG-BRANCH-MAX-50", "B04", f"组织!A{org_row['B04']}")
    expect("ORG-BRANCH-COMMITTEE-AT-7", "B02", f"组织!A{org_row['B02']}")
    expect("ORG-BRANCH-COMMITTEE-SIZE", "B03", f"组织!J{org_row['B03']}")
    expect("ORG-JG-GENERAL-BRANCH-50-100", "Z01", f"组织!A{org_row['Z01']}")
    expect("ORG-JG-DISCIPLINE-MEMBER", "B03", f"组织!A{org_row['B03']}")  # a committee of two: no discipline member

    # Terms: B03 elected 2022-03-01 is overdue; B06's deferral goes beyond a year and has run out too.
    expect("TERM-ELECTION-OVERDUE", "B03", f"组织!F{org_row['B03']}")
    org("B06")["deferral_until"] = dt.date(2025, 12, 31)
    expect("TERM-DEFERRAL-MAX-1Y", "B06", f"组织!H{org_row['B06']}")
    expect("TERM-ELECTION-OVERDUE", "B06", f"组织!F{org_row['B06']}")

    # Record completeness and formats
    record = next(m for m in t["meetings"] if m["org_id"] == "B02" and m["kind"] == "支部党员大会")
    record["recorder"] = None
    expect("REC-MEETING-COMPLETE", "B02", f"组织生活!F{t['meetings'].index(record) + 2}",
           subject=f"{record['date'].isoformat()} 支部党员大会")
    org("B05")["secretary"] = None
    expect("REC-ORG-COMPLETE", "B05", f"组织!I{org_row['B05']}")
    row, index = member("B04", 10)
    row["id_number"] = None
    expect("REC-MEMBER-COMPLETE", "B04", f"党员!B{index + 2}", subject=row["name"])
    row, index = member("B06", 4)
    row["full_on"] = None
    expect("REC-MEMBER-FULL-DATE", "B06", f"党员!I{index + 2}", subject=row["name"])
    row, index = member("B01", 7)
    row["id_number"] = row["id_number"][:17] + ("0" if row["id_number"][17] != "0" else "1")
    expect("MEMB-ID-NUMBER-VALID", "B01", f"党员!B{index + 2}", subject=row["name"])
    plant_members_dues_and_development(unit, org_row, expected)
    return unit, expected


def plant_members_dues_and_development(unit: Unit, org_row: dict[str, int], expected: list[dict[str, Any]]) -> None:
    """Violations of the dues, membership, development, election and training rules.

    Rows are removed from the dues sheet here, so cells are resolved at the end, from the rows themselves.
    """
    t = unit.tables
    deferred: list[tuple[str, str, str, dict[str, Any], str, str | None, str | None]] = []

    def expect_cell(rule: str, org_id: str, sheet: str, row: dict[str, Any], column: str,
                    period: str | None = None, subject: str | None = None) -> None:
        deferred.append((rule, org_id, sheet, row, column, period, subject))

    def member(org_id: str, index: int) -> dict[str, Any]:
        return [m for m in t["members"] if m["org_id"] == org_id][index]

    def dues(person: dict[str, Any], month: int) -> dict[str, Any]:
        return next(d for d in t["dues"] if d["name"] == person["name"] and d["month"].month == month)

    # Six months without dues (党章 第九条): an error, and each month is also a missing month.
    lapsed = member("B01", 12)
    for month in range(7, 13):
        t["dues"].remove(dues(lapsed, month))
        expect_cell("DUES-MONTHLY", "B01", "members", lapsed, "A", f"{YEAR}-{month:02d}", lapsed["name"])
    expect_cell("DUES-6M-UNPAID-LAPSE", "B01", "members", lapsed, "A", f"{YEAR}-07", lapsed["name"])
    # A wrong amount due (1% instead of the 1.5% bracket) and a back payment after more than six months.
    payer = next(m for m in t["members"] if m["org_id"] == "B01" and m["person_kind"] == "在职"
                 and 5000 < dues(m, 3)["base"] <= 10000 and m is not lapsed)
    row = dues(payer, 3)
    row["due"] = row["paid"] = round(row["base"] * 0.01, 2)
    expect_cell("DUES-BRACKET-AMOUNT", "B01", "dues", row, "F", f"{YEAR}-03", f"{payer['name']} {YEAR}-03")
    row = dues(member("B03", 4), 2)
    row["paid_on"] = dt.date(YEAR, 9, 15)
    expect_cell("DUES-BACKPAY-MAX-6M", "B03", "dues", row, "H", f"{YEAR}-02", f"{row['name']} {YEAR}-02")

    # Six months absent from every organizational life meeting of the branch.
    absent = member("B06", 5)
    for meeting in t["meetings"]:
        if meeting["org_id"] == "B06" and meeting["date"].month >= 7 and meeting["kind"] not in ("支部委员会", "谈心谈话"):
            meeting["absentees"] = [absent["name"]]
            meeting["present"] = meeting["expected"] - 1
    expect_cell("MEMB-6M-ABSENT-LAPSE", "B06", "members", absent, "A", f"{YEAR}-07", absent["name"])

    # A committee meeting without quorum: two of five present.
    meeting = next(m for m in t["meetings"] if m["org_id"] == "B04" and m["kind"] == "支部委员会"
                   and m["date"].month == 4)
    committee = [m["name"] for m in t["members"] if m["org_id"] == "B04"][:5]
    meeting["absentees"], meeting["present"] = committee[2:], 2
    expect_cell("MEET-COMMITTEE-QUORUM-HALF", "B04", "meetings", meeting, "I",
                subject=f"{meeting['date'].isoformat()} 支部委员会")

    # An applicant under 18, a sponsor still probationary on the admission day, a late approval.
    young = {"name": unit.name(), "birth_date": dt.date(2008, 5, 10), "org_id": "B02",
             "applied_on": dt.date(YEAR, 9, 1), "talked_on": dt.date(YEAR, 9, 15)}
    t["recruits"].append(young)
    expect_cell("DEV-AGE-18", "B02", "recruits", young, "E", subject=young["name"])
    recruit = next(r for r in t["recruits"] if r["org_id"] == "B04")
    sponsor = member("B04", 6)
    joined = recruit["admitted_on"] - dt.timedelta(days=200)
    sponsor["joined_on"], sponsor["full_on"] = joined, joined.replace(year=joined.year + 1)
    recruit["sponsors"] = [recruit["sponsors"][0], sponsor["name"]]
    expect_cell("DEV-SPONSORS-TWO-FULL", "B04", "recruits", recruit, "L", subject=recruit["name"])
    late = next(r for r in t["recruits"] if r["org_id"] == "B03")
    late["approved_on"] = late["admitted_on"] + dt.timedelta(days=150)
    expect_cell("DEV-APPROVAL-3M", "B03", "recruits", late, "K", subject=late["name"])

    # An election at which only 6 of 8 voters were present (not more than four fifths).
    election = {"org_id": "B02", "date": dt.date(YEAR, 11, 20), "eligible": 8, "present": 6, "seats": 1,
                "candidates": 1, "approved_on": dt.date(YEAR, 12, 1)}
    t["elections"].append(election)
    expect_cell("ELECT-QUORUM-4-5", "B02", "elections", election, "D", subject=election["date"].isoformat())

    # Training: a member with 20 hours in the year.
    trainee = member("B04", 20)
    next(r for r in t["training"] if r["name"] == trainee["name"])["hours"] = 20
    expect_cell("EDU-MEMBER-32H", "B04", "members", trainee, "A", str(YEAR), trainee["name"])

    sheets = {"members": "党员", "dues": "党费", "meetings": "组织生活", "recruits": "发展党员", "elections": "换届选举"}
    for rule, org_id, sheet, row, column, period, subject in deferred:
        item: dict[str, Any] = {"rule": rule, "org": org_id,
                                "location": f"{sheets[sheet]}!{column}{t[sheet].index(row) + 2}"}
        if period:
            item["period"] = period
        if subject:
            item["subject"] = subject
        expected.append(item)


def write_expected(path: Path, expected: list[dict[str, Any]]) -> None:
    import yaml

    header = ("# Findings planted in violations.xlsx (as of 2026-01-15): the audit must report exactly these.\n"
              "# Written by samples/generate.py; do not edit by hand.\n")
    path.write_text(header + yaml.safe_dump({"as_of": AS_OF, "findings": expected}, allow_unicode=True,
                                            sort_keys=False), encoding="utf-8")


OWN_ROSTER = [
    ["序号", "姓名", "性别", "出生年月", "人员类别（正式/预备）", "在职/离退休", "入党时间", "转正时间", "党内身份", "联系电话"],
    [1, "王建华", "男", "1975.03", "正式", "在职", "2001.07.01", "2002.07.01", "书记", "13812345671"],
    [2, "李秀英", "女", "1982.11", "正式", "在职", "2008.06.12", "2009.06.12", "组织委员", "13812345672"],
    [3, "张伟", "男", "1988.05", "正式", "在职", "2012.05.20", "2013.05.20", "宣传委员", "13812345673"],
    [4, "刘芳", "女", "1990.09", "正式", "在职", "2015.10.08", "2016.10.08", None, "13812345674"],
    [5, "陈明", "男", "1961.02", "正式", "离退休", "1986.07.01", "1987.07.01", None, "13812345675"],
    [6, "杨静", "女", "1995.12", "正式", "在职", "2024.03.15", "2025.06.15", None, "13812345676"],
    [7, "赵磊", "男", "1998.04", "预备", "在职", "2025.05.20", None, None, "13812345677"],
]


def own_roster(path: Path) -> Path:
    """A branch's roster kept by hand, as secretaries keep them: its own headers, no organization column (the
    guide's worked example of `ledgercheck inspect` and an alias file)."""
    from openpyxl import Workbook

    book = Workbook()
    orgs = book.active
    orgs.title = "组织"
    for row in (["组织编号", "组织名称", "组织类型", "成立日期", "本届选举日期", "书记", "支委会委员人数"],
                ["B01", "第一党支部", "党支部", dt.date(2010, 3, 1), dt.date(2024, 3, 20), "王建华", 3]):
        orgs.append(row)
    roster = book.create_sheet("党员花名册")
    roster.append(["第一党支部党员花名册"])
    roster.merge_cells("A1:J1")
    for row in OWN_ROSTER:
        roster.append(row)
    book.save(path)
    return path


def main(out: Path = HERE) -> None:
    write_workbook(out / "clean.xlsx", clean().tables, Style(all_columns=True), title="某局机关党委党建工作台账")
    unit, expected = violations()
    write_workbook(out / "violations.xlsx", unit.tables, Style(all_columns=True), title="某委机关党委党建工作台账")
    write_workbook(out / "violations-english.xlsx", unit.tables,
                   Style(english=True, title_rows=1, dates=text_dates, all_columns=True),
                   title="Party-building ledger")
    write_expected(out / "violations.expected.yaml", expected)
    own_roster(out / "own-roster.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
