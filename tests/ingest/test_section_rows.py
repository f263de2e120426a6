"""A roster without an organization column, grouped under heading rows that name each branch (办公室党支部 on a row
of its own, often merged across the table): each row belongs to the heading above it. The whole sheet was refused
(INPUT-MISSING-COLUMN) and the headings reported as members without a kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from ledgercheck.cli import main
from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json


def _grouped(source: Path, target: Path, heading: str, merged: bool, first_plain: bool = False) -> list[int]:
    """`source` with its roster rewritten: no organization column, a heading row per organization. The rows of the
    headings, 1-based."""
    book = openpyxl.load_workbook(source)
    names = {r[0].value: r[1].value for r in book["组织"].iter_rows(min_row=2)}
    old = book["党员"]
    header = [c.value for c in old[1]]
    org = header.index("所在组织编号")
    rows = [[c.value for c in r] for r in old.iter_rows(min_row=2) if any(c.value is not None for c in r)]
    sheet = book.create_sheet("党员花名册", index=book.sheetnames.index("党员"))
    del book["党员"]
    sheet.append([h for i, h in enumerate(header) if i != org])
    width = len(header) - 1
    headings, current = [], None
    ordered = sorted(rows, key=lambda r: r[org])
    if first_plain:  # one member above the first heading: not this layout
        sheet.append([v for i, v in enumerate(ordered[0]) if i != org])
    for row in ordered:
        if row[org] != current:
            current = row[org]
            sheet.append([heading.format(name=names[current])])
            headings.append(sheet.max_row)
            if merged:
                sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        sheet.append([v for i, v in enumerate(row) if i != org])
    book.save(target)
    return headings


@pytest.mark.parametrize(("heading", "merged"), [("{name}", False), ("{name}", True), ("一、{name}（党员名单）", True)])
def test_each_row_belongs_to_the_heading_above_it(tmp_path: Path, heading: str, merged: bool) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = tmp_path / "grouped.xlsx"
    headings = _grouped(SAMPLES / "violations.xlsx", path, heading, merged)
    grouped_code, report = audit_json(path)
    assert grouped_code == code
    # The same findings, the same organizations: only where they point (another sheet, other rows) differs.
    assert sorted((f["rule"]["id"], f["org_id"], f["subject"], f["period"]) for f in report["findings"]) == \
        sorted((f["rule"]["id"], f["org_id"], f["subject"], f["period"]) for f in plain["findings"])
    extra = [i for i in report["input_issues"] if i["location"].get("sheet") == "党员花名册"]
    assert [(i["code"], i["level"], i["location"]["row"]) for i in extra] == [
        ("INPUT-ORG-BY-SECTION", "warning", headings[0])]
    assert extra[0]["message"].startswith(f"没有组织列：按分组标题行（第{'、'.join(map(str, headings[:6]))}")
    inspected = CliRunner().invoke(main, ["inspect", str(path)]).output
    assert "没有组织列：各行属于其上方分组标题行所写的组织" in inspected


def test_rows_above_the_first_heading_are_not_this_layout(tmp_path: Path) -> None:
    path = tmp_path / "plain-first.xlsx"
    _grouped(SAMPLES / "violations.xlsx", path, "{name}", False, first_plain=True)
    code, report = audit_json(path)
    assert code == 2
    assert "INPUT-MISSING-COLUMN" in {i["code"] for i in report["input_issues"]}
    assert "INPUT-ORG-BY-SECTION" not in {i["code"] for i in report["input_issues"]}


def _per_sheet(target: Path, title: str) -> list[str]:
    """The sample's roster split into a sheet per organization, without an organization column, each sheet
    named by `title` formatted with the organization's name. The sheets' names."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    names = {r[0].value: r[1].value for r in book["组织"].iter_rows(min_row=2)}
    old = book["党员"]
    header = [c.value for c in old[1]]
    org = header.index("所在组织编号")
    groups: dict[str, list[list[Any]]] = {}
    for row in old.iter_rows(min_row=2, values_only=True):
        if any(v is not None for v in row):
            groups.setdefault(row[org], []).append(list(row))
    at = book.sheetnames.index("党员")
    made = []
    for offset, (org_id, rows) in enumerate(groups.items()):
        sheet = book.create_sheet(title.format(name=names[org_id]), index=at + offset)
        sheet.append([h for i, h in enumerate(header) if i != org])
        for row in rows:
            sheet.append([v for i, v in enumerate(row) if i != org])
        made.append(sheet.title)
    del book["党员"]
    book.save(target)
    return made


def test_a_sheet_per_organization_named_after_it(tmp_path: Path) -> None:
    _code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = tmp_path / "per-sheet.xlsx"
    sheets = _per_sheet(path, "{name}党员名册")
    code, report = audit_json(path)
    assert code == 1
    assert sorted((f["rule"]["id"], f["org_id"], f["subject"]["label"], f["period"] or "") for f in
                  report["findings"]) == sorted((f["rule"]["id"], f["org_id"], f["subject"]["label"], f["period"] or "")
                                                for f in plain["findings"])
    notices = [(i["code"], i["location"]["sheet"]) for i in report["input_issues"] if i["location"]["sheet"] in sheets]
    assert notices == [("INPUT-ORG-BY-SHEET-NAME", s) for s in sheets]


def test_a_sheet_named_after_an_organization_others_belong_to_is_not_all_its_own(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    rows = book["组织"]
    header = [c.value for c in rows[1]]
    top = next(r[header.index("组织名称")].value for r in rows.iter_rows(min_row=2)
               if r[header.index("上级组织编号")].value in (None, ""))
    roster = book["党员"]
    org = [c.value for c in roster[1]].index("所在组织编号")
    roster.delete_cols(org + 1)
    roster.title = f"{top}党员名册"
    path = tmp_path / "top.xlsx"
    book.save(path)
    code, report = audit_json(path)
    assert code == 2
    assert "INPUT-MISSING-COLUMN" in {i["code"] for i in report["input_issues"]}
    assert "INPUT-ORG-BY-SHEET-NAME" not in {i["code"] for i in report["input_issues"]}
