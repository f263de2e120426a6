"""Dues kept wide, four columns under each month (缴费基数 | 应缴 | 实缴 | 缴纳日期), read as the long sheet is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json

SUBS = (("缴费基数", "缴费基数"), ("应缴", "应缴金额"), ("实缴", "实缴金额"), ("缴纳日期", "缴纳日期"))


def _pivoted(path: Path) -> int:
    """violations.xlsx with its dues sheet pivoted: a title row, 姓名 | 身份证号 | 组织编号 | 1月 (merged over the
    four) …, then the four under each month; the months it has no row for left empty. Returns the rows pivoted."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    long = book["党费"]
    header = [c.value for c in long[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in long.iter_rows(min_row=2)]
    years = {str(r["所属月份"])[:4] for r in rows}
    assert years == {"2025"}, years
    people: dict[tuple[object, ...], dict[int, dict[str, object]]] = {}
    for r in rows:
        month = int(str(r["所属月份"])[5:7])
        months = people.setdefault((r["姓名"], r["身份证号"], r["组织编号"]), {})
        assert month not in months, (r["姓名"], month)
        months[month] = r
    del book["党费"]
    wide = book.create_sheet("2025年党费")
    wide.append(["2025年党费收缴明细"])
    top: list[object] = ["姓名", "身份证号", "组织编号"]
    for m in range(1, 13):
        top += [f"{m}月"] + [None] * (len(SUBS) - 1)
    wide.append(top)
    wide.append([None, None, None] + [sub for _m in range(12) for sub, _h in SUBS])
    for m in range(12):
        first = 4 + m * len(SUBS)
        wide.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + len(SUBS) - 1)
    for (name, id_number, org), months in people.items():
        line: list[object] = [name, id_number, org]
        for m in range(1, 13):
            line += [months[m][h] if m in months else None for _s, h in SUBS]
        wide.append(line)
        for cell in wide[wide.max_row]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"
    book.save(path)
    return len(rows)


def test_dues_with_columns_under_each_month_read_as_the_long_sheet(tmp_path: Path) -> None:
    count = _pivoted(tmp_path / "wide.xlsx")
    code, expected = audit_json(SAMPLES / "violations.xlsx")
    wide_code, report = audit_json(tmp_path / "wide.xlsx")
    assert wide_code == code and count > 500
    assert [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"], f["message"]) for f in expected["findings"]]
    assert report["skipped_rules"] == expected["skipped_rules"]
    assert [i for i in report["input_issues"] if i not in expected["input_issues"]] == []
