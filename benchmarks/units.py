"""Synthetic unit workbooks for the scan benchmark and tests: many small units, some broken files.

Built with samples/generate.py's Unit builder, so every workbook is a ledger the loader really reads.
Most units are a single branch or a general branch with a few branches below it (the small ledgers
an inspector collects by the hundred); some have planted violations. Writing workbooks with openpyxl is
slow, so `make_units` writes a few dozen distinct templates and copies them under new names.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Callable
from pathlib import Path

from ledgercheck.template.writer import Style, write_workbook
from samples.generate import Branch, Unit

CITIES = "东城 西城 朝阳 海淀 丰台 石景山 通州 顺义 昌平 大兴 房山 门头沟 怀柔 平谷 密云 延庆".split()
DEPARTMENTS = ("财政局 教育局 民政局 司法局 商务局 审计局 统计局 应急管理局 水务局 园林绿化局 文化和旅游局 "
               "卫生健康委员会 生态环境局 市场监督管理局 人力资源和社会保障局 住房和城乡建设委员会").split()
OFFICES = "办公室 综合科 业务一科 业务二科 政策法规科 财务科 信息中心 后勤服务中心 离退休干部".split()
KINDS_TO_DROP = ("支部委员会", "主题党日", "党小组会", "支部党员大会", "党课")
TEMPLATES = 40


def unit_tables(seed: int) -> dict[str, list[dict]]:
    """One small unit: a single branch (half of them) or a general branch over two or three branches."""
    rng = random.Random(seed)
    unit = Unit(seed)
    name = f"{rng.choice(CITIES)}区{rng.choice(DEPARTMENTS)}"
    offices = rng.sample(OFFICES, 3)
    if rng.random() < 0.5:
        members = rng.randint(5, 30)
        unit.branch(Branch("B01", f"{name}机关党支部", members, committee=3 if members >= 7 else 0,
                           groups=2 if members >= 12 else 1, parent=None))  # type: ignore[arg-type]
    else:
        unit.org("Z01", f"{name}机关党总支", "党总支", None, dt.date(2023, 5, 10), 5, None)
        for index, office in enumerate(offices[:rng.randint(2, 3)]):
            members = rng.randint(6, 24)
            unit.branch(Branch(f"B{index + 1:02d}", f"{office}党支部", members, committee=3 if members >= 7 else 0,
                               groups=2 if members >= 12 else 1, parent="Z01"))
        top = unit.tables["orgs"][0]
        top["secretary"] = unit.tables["orgs"][1]["secretary"]
    meetings = unit.tables["meetings"]
    for _ in range(rng.choice((0, 0, 1, 2, 3, 6, 12))):  # planted violations: meetings not held
        candidates = [m for m in meetings if m["kind"] in KINDS_TO_DROP]
        if candidates:
            meetings.remove(rng.choice(candidates))
    return unit.tables


def write_unit(path: Path, seed: int) -> Path:
    return write_workbook(path, unit_tables(seed), Style(), title="党建工作台账")


def write_broken(folder: Path) -> dict[str, str]:
    """Files a real collection contains; returns name → what is wrong with it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "not-a-workbook.xlsx").write_text("这不是 Excel 文件", encoding="utf-8")
    good = write_unit(folder / "truncated.xlsx", 7)
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    # An encrypted .xlsx is an OLE compound file (CFB), not a zip archive.
    (folder / "encrypted.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))
    write_workbook(folder / "no-orgs-sheet.xlsx", {"meetings": [
        {"org_id": "B01", "kind": "主题党日", "date": dt.date(2025, 3, 10)}]})
    tables = unit_tables(11)
    tables["meetings"][0]["date"] = "2025年13月45日"  # an impossible date: an input error, the rest is audited
    write_workbook(folder / "bad-date.xlsx", tables)
    return {"not-a-workbook.xlsx": "unreadable", "truncated.xlsx": "unreadable", "encrypted.xlsx": "unreadable",
            "no-orgs-sheet.xlsx": "unreadable", "bad-date.xlsx": "input_errors"}


def make_units(folder: Path, count: int, templates: int = TEMPLATES, seed: int = 1,
               write: Callable[[Path, int], Path] | None = None) -> list[Path]:
    """`count` unit workbooks named unit-00001.xlsx …, copied round-robin from distinct templates (written by
    `write`, this module's small unit by default)."""
    write = write or write_unit
    folder.mkdir(parents=True, exist_ok=True)
    template_dir = folder / ".templates"  # hidden: a scan of `folder` does not see it
    sources = [write(template_dir / f"t{i:03d}.xlsx", seed * 1000 + i) for i in range(min(templates, count))]
    paths = []
    for index in range(count):
        target = folder / f"unit-{index + 1:05d}.xlsx"
        shutil.copyfile(sources[index % len(sources)], target)
        paths.append(target)
    return paths
