"""Organization IDs made of digits, whose leading zeros Excel dropped in one sheet and not in another (组织 sheet 2,
roster 002): matched by their value, with a notice per sheet. Every row was an unknown organization before."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SAMPLES
from tests.ingest.audited import audit_json

SHEETS = ("党员", "组织生活", "党费", "换届选举", "发展党员", "学习培训")




def _renumbered(target: Path, orgs_as_numbers: bool, clash: bool = False) -> dict[str, str]:
    """The violations sample with digit IDs: the 组织 sheet's as numbers (2) and the others' as text (002), or the
    other way round. `clash`: two organizations whose IDs have one value (02 and 002)."""
    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    orgs = book["组织"]
    header = [c.value for c in orgs[1]]
    ids = {r[0].value: f"{i:03d}" for i, r in enumerate(orgs.iter_rows(min_row=2), start=1)}
    if clash:  # the first two organizations become 01 and 001: both stand for 1
        first, second = list(ids)[:2]
        ids[first], ids[second] = "01", "001"
    there, here = (int, str) if orgs_as_numbers else (str, int)
    parent = header.index("上级组织编号")
    for row in orgs.iter_rows(min_row=2):
        row[0].value = there(ids[row[0].value])
        if row[parent].value in ids:
            row[parent].value = there(ids[row[parent].value])
    for name in SHEETS:
        sheet = book[name]
        for column, title in enumerate(c.value for c in sheet[1]):
            if title and "组织编号" in title:
                for row in sheet.iter_rows(min_row=2):
                    if row[column].value in ids:
                        row[column].value = here(ids[row[column].value])
    book.save(target)
    return ids


@pytest.mark.parametrize("orgs_as_numbers", [True, False])
def test_ids_that_lost_their_zeros_are_matched_by_value(tmp_path: Path, orgs_as_numbers: bool) -> None:
    code, plain = audit_json(SAMPLES / "violations.xlsx")
    path = tmp_path / "zeros.xlsx"
    _renumbered(path, orgs_as_numbers)
    zeros_code, report = audit_json(path)
    assert zeros_code == code == 1
    # The same findings on the same people and organizations (their keys hold the IDs, which differ here).
    assert sorted((f["rule"]["id"], f["subject"]["label"], f["period"] or "") for f in report["findings"]) == \
        sorted((f["rule"]["id"], f["subject"]["label"], f["period"] or "") for f in plain["findings"])
    assert not [i for i in report["input_issues"] if i["code"] == "INPUT-UNKNOWN-ORG"]
    notices = [i for i in report["input_issues"] if i["code"] == "INPUT-ORG-ID-ZEROS"]
    sheets = [i["location"]["sheet"] for i in notices]
    assert len(sheets) == len(set(sheets)) and {"党员", "组织生活", "党费"} <= set(sheets)  # one notice a sheet
    assert all(i["level"] == "warning" for i in notices)
    example = "「002」即「2」" if orgs_as_numbers else "「2」即「002」"
    assert any(example in i["message"] for i in notices), notices[0]["message"]


def test_two_ids_of_one_value_are_not_guessed_between(tmp_path: Path) -> None:
    path = tmp_path / "clash.xlsx"
    _renumbered(path, orgs_as_numbers=False, clash=True)
    _code, report = audit_json(path)
    codes = {i["code"] for i in report["input_issues"]}
    assert "INPUT-UNKNOWN-ORG" in codes
