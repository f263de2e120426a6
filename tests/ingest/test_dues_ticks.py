"""A dues register that ticks each month paid (√, 已缴) instead of the amount: one error for the sheet, the dues
rules not run. It was an error per ticked cell (1,313 on the sample) and a warning per member and month, as if
nobody had paid."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json


def _register(target: Path, mark: str, amounts: bool = False) -> int:
    """The clean sample with its dues as a 2025 register, a column per month; the rows written."""
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    dues = book["党费"]
    people: dict[tuple[str, str], dict[int, float]] = {}
    for row in dues.iter_rows(min_row=2, values_only=True):
        people.setdefault((row[0], row[2]), {})[int(str(row[3])[5:7])] = row[6]
    sheet = book.create_sheet("2025年党费收缴登记表", index=book.sheetnames.index("党费"))
    del book["党费"]
    sheet.append(["姓名", "组织编号", *(f"{m}月" for m in range(1, 13))])
    for number, ((name, org), months) in enumerate(people.items()):
        sheet.append([name, org, *((months[m] if amounts and number == 0 else mark) if m in months else None
                                   for m in range(1, 13))])
    book.save(target)
    return len(people)


@pytest.mark.parametrize("mark", ["√", "已缴"])
def test_a_register_of_ticks_is_one_error_and_no_dues_finding(tmp_path: Path, mark: str) -> None:
    path = tmp_path / "ticks.xlsx"
    rows = _register(path, mark)
    code, report = audit_json(path)
    assert code == 2
    issues = [i for i in report["input_issues"] if i["location"]["sheet"] == "2025年党费收缴登记表"]
    assert [(i["code"], i["level"], i["location"]["row"]) for i in issues] == [("INPUT-DUES-TICKS", "error", 2)]
    assert issues[0]["message"].startswith(f"党费按月分列，但各月填的是勾选标记（{mark}），不是金额（第2–{rows + 1}行）")
    assert not [f for f in report["findings"] if f["rule"]["id"].startswith("DUES-")]
    skipped = {s["rule"] for s in report["skipped_rules"]}
    assert {"DUES-MONTHLY", "DUES-BRACKET-AMOUNT"} <= skipped


def test_amounts_among_the_ticks_are_read_and_each_tick_is_a_cell_that_is_no_number(tmp_path: Path) -> None:
    path = tmp_path / "mixed.xlsx"
    _register(path, "√", amounts=True)
    _code, report = audit_json(path)
    codes = {i["code"] for i in report["input_issues"]}
    assert "INPUT-DUES-TICKS" not in codes and "INPUT-BAD-NUMBER" in codes
