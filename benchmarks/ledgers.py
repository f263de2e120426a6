"""Synthetic ledgers of three sizes for the benchmarks (deterministic, written with openpyxl write-only).

    small   1 branch, ~30 members, one year of records
    medium  10 branches, 400 members, three years
    large   111 organizations, 5,000 members, ~15,000 meetings, 180,000 dues rows, three years
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from ledgercheck.layout import SHEETS_BY_KEY

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华东兰国庆博远涵轩然怡琪婷航曦新梅春秋实宇"


@dataclass(frozen=True)
class Size:
    name: str
    general_branches: int
    branches_per_general: int
    members_per_branch: int
    years: int


SIZES = {
    "small": Size("small", 0, 1, 30, 1),
    "medium": Size("medium", 0, 10, 40, 3),
    "large": Size("large", 10, 10, 50, 3),
}


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(serial: int) -> str:
    body = f"110101198001{serial % 28 + 1:02d}{serial % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


def _rows(size: Size, rng: random.Random) -> dict[str, list[list[object]]]:
    first_year = 2026 - size.years
    orgs = [["D01", "某机关党委", "机关党委", None, dt.date(2010, 1, 1), dt.date(2023, 6, 1), None, None, "甲", 7]]
    members: list[list[object]] = []
    meetings: list[list[object]] = []
    dues: list[list[object]] = []
    branch_parents = []
    for g in range(size.general_branches):
        gid = f"Z{g + 1:02d}"
        orgs.append([gid, f"第{g + 1}党总支", "党总支", "D01", dt.date(2010, 1, 1), dt.date(2024, 3, 1), None, None,
                     "乙", 5])
        # A real general branch of 500 members would be a committee; thresholds are not what is measured here.
        branch_parents += [gid] * size.branches_per_general
    if not branch_parents:
        branch_parents = ["D01"] * size.branches_per_general
    serial = 0
    for b, parent in enumerate(branch_parents):
        bid = f"B{b + 1:03d}"
        orgs.append([bid, f"第{b + 1}党支部", "党支部", parent, dt.date(2010, 1, 1), dt.date(2024, 3, 1), None, None,
                     "丙", 5])
        names = []
        for _ in range(size.members_per_branch):
            serial += 1
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) + str(serial)
            names.append(name)
            members.append([name, _id_number(serial), "男", dt.date(1980, 1, 1), bid,
                            f"第{serial % 3 + 1}党小组", "正式党员", dt.date(2005, 6, 1), dt.date(2006, 6, 1), None,
                            "在职", "正常", "13800000000"])
            for year in range(first_year, 2026):
                for month in range(1, 13):
                    dues.append([name, None, bid, f"{year}-{month:02d}", 8000, 120, 120,
                                 dt.date(year, month, 10)])
        for year in range(first_year, 2026):
            for month in range(1, 13):
                for kind, day in (("支部委员会", 5), ("主题党日", 15)):
                    meetings.append([bid, kind, dt.date(year, month, day), None, "丙", "丁", None, 5, 5,
                                     rng.choice([None, names[0], f"{names[1]}、{names[2]}"]), "学习"])
                for group in range(1, 4):
                    meetings.append([bid, "党小组会", dt.date(year, month, 20), f"第{group}党小组", "丙", "丁", None,
                                     17, 16, None, "学习"])
                if month % 3 == 0:
                    meetings.append([bid, "党课", dt.date(year, month, 26), None, "丙", "丁", "丙", len(names),
                                     len(names), None, "专题党课"])
                    meetings.append([bid, "支部党员大会", dt.date(year, month, 25), None, "丙", "丁", None,
                                     len(names), len(names) - 1, names[3], "通报工作"])
            meetings.append([bid, "组织生活会、民主评议党员", dt.date(year, 12, 20), None, "丙", "丁", None,
                             len(names), len(names), None, "年度组织生活会"])
            meetings.append([bid, "谈心谈话", dt.date(year, 11, 6), None, "丙", "丁", None, 2, 2, None, "谈心谈话"])
    return {"orgs": orgs, "members": members, "meetings": meetings, "dues": dues}


def generate(size_name: str, path: Path, seed: int = 7) -> Path:
    """Write the ledger of the given size to `path` (fast: openpyxl write-only mode)."""
    from openpyxl import Workbook

    size = SIZES[size_name]
    tables = _rows(size, random.Random(seed))
    book = Workbook(write_only=True)
    for key, rows in tables.items():
        spec = SHEETS_BY_KEY[key]
        sheet = book.create_sheet(spec.title)
        sheet.append([f.header for f in spec.fields])
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def cached(size_name: str, directory: Path) -> Path:
    path = directory / f"{size_name}.xlsx"
    if not path.exists():
        generate(size_name, path)
    return path
