"""Synthetic ledgers of three sizes for the benchmarks (deterministic; written with openpyxl write-only).

    small   one branch (党支部) of 30 members
    medium  a 机关党委 over 10 branches: 11 organizations, 400 members
    large   a 机关党委 over 10 党委 over 100 branches: 111 organizations, 5,000 members,
            ~15,600 meetings, ~180,000 dues rows (the shape of the issue's "large ledger")

Every size covers three years (2023–2025, audited as of 2026-01-15) and fills every sheet the national
pack reads — organizations, members, meetings, dues, elections, member development, training hours — so
every rule has real work to do. Like a real ledger it is mostly compliant: dues follow the bracket table,
meetings keep their quorum, elections their margins; a few violations are planted per size (a missed
committee meeting, a dues row at the wrong rate, a meeting record without its recorder), so the audit
also builds findings.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledgercheck.model.schema import SHEETS_BY_KEY
from samples.generate import GIVEN, SURNAMES, dues_rate, id_number

AS_OF = dt.date(2026, 1, 15)
YEARS = (2023, 2024, 2025)
# Bump when the generated data changes, so cached ledgers from an older generator are not reused.
VERSION = 2
POSTS = ["书记", "组织委员", "宣传委员", "纪检委员", "副书记"]


@dataclass(frozen=True)
class Size:
    name: str
    committees: int  # 党委 between the 机关党委 and the branches; 0: branches directly below it
    branches: int  # in all
    members_per_branch: int
    top: bool = True  # False: the single branch is the top organization
    formulas: bool = False  # written as Excel writes it: 应缴金额 a formula with its cached value (xlsxwriter)
    years: tuple[int, ...] = YEARS  # the years of meetings, dues and training


SIZES = {
    "small": Size("small", 0, 1, 30, top=False),
    "medium": Size("medium", 0, 10, 40),
    "large": Size("large", 10, 100, 50),
    # The large ledger's data as an Excel-saved workbook: the dues sheet's 应缴金额 is a formula of the base
    # (the bracket table) with its saved value, as Excel and xlsxwriter write it (about 180,000 formula cells).
    "formula": Size("formula", 10, 100, 50, formulas=True),
    # What a scan collects by the hundred: one unit's 机关党委 over five branches, 100 members, two years.
    "unit": Size("unit", 0, 5, 20, years=(2024, 2025)),
}

Table = list[dict[str, Any]]


class _Builder:
    def __init__(self, seed: int, years: tuple[int, ...] = YEARS):
        self.rng = random.Random(seed)
        self.years = years
        self.tables: dict[str, Table] = {key: [] for key in
                                         ("orgs", "members", "meetings", "dues", "elections", "recruits", "training")}
        self.names: set[str] = set()

    def name(self) -> str:
        rng = self.rng
        while True:
            candidate = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate

    def org(self, org_id: str, name: str, org_type: str, parent: str | None, committee: int,
            secretary: str | None, elected_on: dt.date, eligible: int) -> None:
        self.tables["orgs"].append({"org_id": org_id, "name": name, "org_type": org_type, "parent_id": parent,
                                    "established": dt.date(2012, 5, 4), "elected_on": elected_on,
                                    "secretary": secretary, "committee_size": committee})
        # Quorum over four fifths, candidates at least 20% more than seats (选举工作条例 第十三条).
        present = eligible - self.rng.randint(0, eligible // 6)
        seats = max(committee, 1)
        self.tables["elections"].append({"org_id": org_id, "date": elected_on, "eligible": eligible,
                                         "present": present, "seats": seats, "candidates": seats + -(-seats // 5),
                                         "approved_on": elected_on + dt.timedelta(days=20)})

    def member(self, org_id: str, group: str | None, post: str | None, probationary: bool,
               retired: bool) -> dict[str, Any]:
        rng = self.rng
        male = rng.random() < 0.55
        youngest = 1962 if retired else 1990 if post else 1998
        birth = dt.date(rng.randint(1955 if retired else 1965, youngest), rng.randint(1, 12), rng.randint(1, 28))
        if probationary:
            joined = dt.date(self.years[-1], rng.randint(2, 6), rng.randint(1, 28))
        else:
            joined = dt.date(rng.randint(max(birth.year + 19, 1985), 2014 if post else 2021), rng.randint(1, 12),
                             rng.randint(1, 28))
        row = {"name": self.name(), "id_number": id_number(rng, birth, male), "gender": "男" if male else "女",
               "birth_date": birth, "org_id": org_id, "group": group,
               "member_kind": "预备党员" if probationary else "正式党员", "joined_on": joined,
               "full_on": None if probationary else joined.replace(year=joined.year + 1), "party_post": post,
               "person_kind": "离退休" if retired else "在职", "status": "正常",
               "phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"}
        self.tables["members"].append(row)
        return row

    def branch(self, index: int, parent: str | None, size: int) -> list[dict[str, Any]]:
        rng = self.rng
        org_id = f"B{index:03d}"
        group_count = 1 if index % 2 else 2
        groups = [f"第{'一二'[g]}党小组" for g in range(group_count)] if group_count > 1 else [None]
        members = []
        for position in range(size):
            post = POSTS[position] if position < len(POSTS) else None
            probationary = position == size - 1
            retired = not post and not probationary and position % 9 == 8
            members.append(self.member(org_id, groups[position % len(groups)], post, probationary, retired))
        elected = dt.date(2023, 3, 1) + dt.timedelta(days=rng.randint(0, 800))
        full = sum(1 for m in members if m["member_kind"] == "正式党员")
        self.org(org_id, f"第{index}党支部", "党支部", parent, len(POSTS), members[0]["name"], elected, full)
        self.meetings(org_id, members, groups)
        for member in members:
            self.dues(member, with_id=index % 2 == 0)
            for year in self.years:
                if member["joined_on"].year <= year:
                    hours = 60 if member["party_post"] else rng.randint(34, 48)
                    self.tables["training"].append({"name": member["name"], "year": year, "hours": hours})
        sponsors = [m["name"] for m in members[5:7]]
        for member in members:
            if member["member_kind"] == "预备党员":
                self.recruit(member, sponsors)
        return members

    def meeting(self, org_id: str, kind: str, date: dt.date, people: list[dict[str, Any]], host: str,
                **extra: Any) -> None:
        # A few absentees, never so many that the meeting loses its quorum.
        absent = self.rng.sample(people, k=min((len(people) - 1) // 2, self.rng.choice((0, 0, 1, 1, 2, 3))))
        self.tables["meetings"].append({
            "org_id": org_id, "kind": kind, "date": date, "host": host, "recorder": people[1]["name"],
            "expected": len(people), "present": len(people) - len(absent),
            "absentees": "、".join(p["name"] for p in absent) or None, "topic": TOPICS[kind], **extra})

    def meetings(self, org_id: str, members: list[dict[str, Any]], groups: list[str | None]) -> None:
        secretary = members[0]["name"]
        committee = members[:len(POSTS)]
        by_group = {g: [m for m in members if m["group"] == g] for g in groups}
        for year in self.years:
            for month in range(1, 13):
                self.meeting(org_id, "支部委员会", dt.date(year, month, 5), committee, secretary)
                self.meeting(org_id, "主题党日", dt.date(year, month, 15), members, secretary)
                for offset, (group, people) in enumerate(by_group.items()):
                    self.meeting(org_id, "党小组会", dt.date(year, month, 18 + offset), people, people[0]["name"],
                                 group=group)
                if month % 3 == 0:
                    self.meeting(org_id, "支部党员大会", dt.date(year, month, 24), members, secretary)
                    self.meeting(org_id, "党课", dt.date(year, month, 26), members, secretary, lecturer=secretary)
            self.meeting(org_id, "组织生活会、民主评议党员", dt.date(year, 12, 18), members, secretary)
            self.meeting(org_id, "谈心谈话", dt.date(year, 11, 6), members[:2], secretary)

    def dues(self, member: dict[str, Any], with_id: bool) -> None:
        kind = member["person_kind"]
        joined = member["joined_on"]
        base = float(self.rng.randrange(3200, 6000, 100) if kind == "离退休" else self.rng.randrange(4500, 14000, 100))
        for year in self.years:
            due = round(base * dues_rate(kind, base), 2)
            for month in range(1, 13):
                if (year, month) < (joined.year, joined.month):
                    continue
                self.tables["dues"].append({
                    "name": member["name"], "id_number": member["id_number"] if with_id else None,
                    "org_id": member["org_id"], "month": f"{year}-{month:02d}", "base": base, "due": due,
                    "paid": due, "paid_on": dt.date(year, month, self.rng.randint(3, 25))})
            base += 300.0  # a yearly raise: the bracket and the amount move with it

    def recruit(self, member: dict[str, Any], sponsors: list[str]) -> None:
        admitted = member["joined_on"]
        self.tables["recruits"].append({
            "name": member["name"], "id_number": member["id_number"], "birth_date": member["birth_date"],
            "org_id": member["org_id"], "applied_on": admitted - dt.timedelta(days=800),
            "talked_on": admitted - dt.timedelta(days=780), "activist_on": admitted - dt.timedelta(days=700),
            "candidate_on": admitted - dt.timedelta(days=200), "training_hours": 32, "admitted_on": admitted,
            "approved_on": admitted + dt.timedelta(days=40), "sponsors": "、".join(sponsors), "full_on": None})

    def plant(self, branches: int) -> None:
        """A few violations per size: about one per ten branches of each kind."""
        rng = self.rng
        t = self.tables
        committee_meetings = [m for m in t["meetings"] if m["kind"] == "支部委员会"]
        for meeting in rng.sample(committee_meetings, k=max(1, branches // 10)):
            t["meetings"].remove(meeting)
        for row in rng.sample(t["dues"], k=max(1, branches // 10)):
            row["due"] = row["paid"] = round(row["base"] * 0.003, 2)
        for meeting in rng.sample(t["meetings"], k=max(1, branches // 10)):
            meeting["recorder"] = None


TOPICS = {"支部委员会": "研究支部月度工作", "主题党日": "主题党日：重温入党誓词", "党小组会": "学习讨论",
          "支部党员大会": "通报支部工作", "党课": "专题党课", "谈心谈话": "谈心谈话",
          "组织生活会、民主评议党员": "年度组织生活会和民主评议党员"}


def tables(size: Size, seed: int = 7) -> dict[str, Table]:
    """The rows of every sheet, keyed by the layout's field keys."""
    builder = _Builder(seed, size.years)
    if not size.top:
        builder.branch(1, None, size.members_per_branch)
        builder.plant(size.branches)
        return builder.tables
    parents = ["D01"] * size.branches
    for c in range(size.committees):
        parents[c * size.branches // size.committees:(c + 1) * size.branches // size.committees] = \
            [f"P{c + 1:02d}"] * (size.branches // size.committees)
    secretaries: dict[str, str] = {}
    for index, parent in enumerate(parents, start=1):
        members = builder.branch(index, parent, size.members_per_branch)
        secretaries.setdefault(parent, members[0]["name"])
    # Committees above the branches have no members of their own: their secretary sits in a branch below.
    total = size.branches * size.members_per_branch
    for c in range(size.committees):
        org_id = f"P{c + 1:02d}"
        builder.org(org_id, f"第{c + 1}党委", "党委", "D01", 7, secretaries[org_id], dt.date(2022, 6, 1),
                    total // size.committees)
    builder.org("D01", "某机关党委", "机关党委", None, 7, next(iter(secretaries.values())), dt.date(2022, 9, 16),
                min(total, 400))
    orgs = builder.tables["orgs"]
    orgs[:] = orgs[-1:] + orgs[-1 - size.committees:-1] + orgs[:-1 - size.committees]  # top first, as people write
    builder.plant(size.branches)
    return builder.tables


def generate(size_name: str, path: Path, seed: int = 7) -> Path:
    """Write the ledger of the given size to `path` (openpyxl write-only mode: a few seconds for large)."""
    from openpyxl import Workbook

    rows = tables(SIZES[size_name], seed)
    book = Workbook(write_only=True)
    for key, records in rows.items():
        spec = SHEETS_BY_KEY[key]
        sheet = book.create_sheet(spec.title)
        sheet.append([f.header for f in spec.fields])
        for record in records:
            sheet.append([record.get(f.key) for f in spec.fields])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.xlsx")
    book.save(partial)
    if SIZES[size_name].formulas:
        _with_formulas(partial, rows["dues"], {(m["name"], m["org_id"]): m["person_kind"] for m in rows["members"]})
    partial.replace(path)  # an interrupted run never leaves a truncated ledger in the cache
    return path


def _due_formula(row: int, base_column: str, kind: str) -> str:
    """The bracket table (samples.generate.dues_rate) as a spreadsheet formula of the row's base."""
    base = f"{base_column}{row}"
    if kind == "离退休":
        rate = f"IF({base}<=5000,0.005,0.01)"
    else:
        rate = f"IF({base}<=3000,0.005,IF({base}<=5000,0.01,IF({base}<=10000,0.015,0.02)))"
    return f"=ROUND({base}*{rate},2)"


def _with_formulas(path: Path, dues: Table, kinds: dict[tuple[str, str], str]) -> None:
    """Give the dues sheet's 应缴金额 cells their formula, in front of the value openpyxl wrote as its saved
    result: `<c r="F2" t="n"><f>ROUND(…)</f><v>136.5</v></c>`, the shape Excel and xlsxwriter write."""
    import re
    import zipfile

    spec = SHEETS_BY_KEY["dues"]
    keys = [f.key for f in spec.fields]
    due_column, base_column = (_letter(keys.index(k)) for k in ("due", "base"))
    part = f"xl/worksheets/sheet{list(SHEETS_BY_KEY).index('dues') + 1}.xml"
    cell = re.compile(rb'<c r="' + due_column.encode() + rb'(\d+)" t="n"><v>')

    def formula(match: re.Match[bytes]) -> bytes:
        row = int(match.group(1))
        record = dues[row - 2]
        text = _due_formula(row, base_column, kinds.get((record["name"], record["org_id"]), "在职"))
        return match.group(0)[:-3] + b"<f>" + text[1:].replace("<", "&lt;").encode() + b"</f><v>"

    written = path.with_suffix(".formulas.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data, count = cell.subn(formula, data)
                assert count == len(dues), (count, len(dues))
            target.writestr(info, data)
    written.replace(path)


def _letter(index: int) -> str:
    return chr(65 + index)  # the dues sheet has fewer than 27 columns


def cached(size_name: str, directory: Path) -> Path:
    """The ledger of this size in `directory`, generated on first use."""
    path = directory / f"{size_name}-v{VERSION}.xlsx"
    if not path.exists():
        generate(size_name, path)
    return path
