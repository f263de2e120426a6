"""Fingerprints do not depend on where a row is: inserting title rows or reordering rows changes none."""

from __future__ import annotations

from collections import Counter

from openpyxl import load_workbook

from tests.ledgers import TOTAL, VIOLATIONS, audit_json, copy_sample


def fingerprints(path) -> tuple[Counter, dict[str, int]]:
    _result, data = audit_json(path)
    return Counter(f["fingerprint"] for f in data["findings"]), {f["fingerprint"]: f["location"]["row"]
                                                               for f in data["findings"]}


def test_inserting_rows_at_the_top_of_every_sheet_keeps_every_fingerprint(tmp_path) -> None:
    before, rows = fingerprints(VIOLATIONS)
    path = copy_sample(tmp_path)
    book = load_workbook(path)
    for sheet in book.worksheets:
        sheet.insert_rows(1, amount=2)
        sheet["A1"] = f"某委机关党委党建工作台账——{sheet.title}"
        sheet["A2"] = "填报单位：机关党委办公室"
    book.save(path)
    after, moved = fingerprints(path)
    assert sum(before.values()) == TOTAL
    assert after == before
    assert all(moved[fp] == rows[fp] + 2 for fp in rows)  # the rows did move: the fingerprints did not


def test_reordering_and_inserting_data_rows_keeps_every_fingerprint(tmp_path) -> None:
    before, _rows = fingerprints(VIOLATIONS)
    path = copy_sample(tmp_path)
    book = load_workbook(path)
    for sheet in book.worksheets:
        data = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        sheet.delete_rows(2, amount=len(data))
        for values in reversed(data):
            sheet.append(values)
    book.save(path)
    after, _moved = fingerprints(path)
    assert after == before
