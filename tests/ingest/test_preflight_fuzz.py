"""Random worksheet XML in every form calamine accepts, against what calamine itself makes of it.

openpyxl always writes `<row r="1"><c r="A1" …>`, so the workbook fuzzing of tests/test_fuzz.py never meets the
other forms; this writes the sheet's XML directly. The property: whenever the preflight lets a sheet through
under some limits, calamine's used range of that sheet is within them, and whenever it refuses a sheet small
enough to parse safely here, it reports calamine's extent. calamine runs in a child process, since a used range
it cannot allocate aborts the process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgercheck.common.limits import Limits
from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.preflight import check
from tests.malformed.generate import valid

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SAFE_CELLS = 2_000_000  # calamine is run on a refused sheet only below this many cells

positions = st.tuples(st.one_of(st.integers(1, 60), st.integers(1, 3_000)),
                      st.one_of(st.integers(1, 30), st.integers(1, 800)))
address_forms = st.sampled_from(["usual", "lower", "single", "spaces", "after", "none", "prefixed", "reference"])


def _cell(form: str, row: int, column: int) -> str:
    ref = f"{column_letter(column - 1)}{row}"
    value = "<v>1</v>"
    return {
        "usual": f'<c r="{ref}" t="n">{value}</c>',
        "lower": f'<c r="{ref.lower()}" t="n">{value}</c>',
        "single": f"<c r='{ref}' t='n'>{value}</c>",
        "spaces": f'<c  r = "{ref}" t="n">{value}</c>',
        "after": f'<c t="n" s="0" r="{ref}">{value}</c>',
        "none": f"<c>{value}</c>",
        "prefixed": f'<x:c xmlns:x="{NS}" r="{ref}" t="n"><x:v>1</x:v></x:c>',
        "reference": f'<c r="&#{ord(ref[0])};{ref[1:]}" t="n">{value}</c>',
    }[form]


def _row(form: str, row: int, cells: str) -> str:
    return {"usual": f'<row r="{row}">{cells}</row>', "after": f'<row spans="1:2" r="{row}">{cells}</row>',
            "single": f"<row r='{row}'>{cells}</row>", "none": f"<row>{cells}</row>"}[form]


rows = st.lists(st.tuples(st.sampled_from(["usual", "after", "single", "none"]), st.integers(1, 3_000),
                          st.lists(st.tuples(address_forms, positions), min_size=0, max_size=4)),
                min_size=1, max_size=6)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plain") / "plain.xlsx"
    valid(path)
    return path


def _calamine_extent(path: Path) -> tuple[int, int] | None:
    """calamine's used range of the sheet, or None when it refuses the sheet with an error (the loader reports
    that as INPUT-SHEET-UNREADABLE). Aborting the process fails the test: that is the bug looked for."""
    code = ("import json, sys, python_calamine as c\n"
            "book = c.CalamineWorkbook.from_path(sys.argv[1])\n"
            "sheet = book.get_sheet_by_name('党员')\n"
            "print(json.dumps([sheet.end[0] + 1, sheet.end[1] + 1] if sheet.height else [0, 0]))\n")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    if run.returncode == 1 and "CalamineError" in run.stderr:
        return None
    assert run.returncode == 0, run.stderr[-3000:]
    rows, columns = json.loads(run.stdout)
    return rows, columns


@settings(max_examples=int(os.environ.get("LEDGERCHECK_FUZZ_EXAMPLES", 30)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet_rows=rows, max_rows=st.sampled_from([50, 2_000]), max_cells=st.sampled_from([1_000, 200_000]))
def test_what_the_preflight_lets_through_calamine_reads_within_the_limits(
        plain: Path, tmp_path_factory: pytest.TempPathFactory, sheet_rows: list, max_rows: int,
        max_cells: int) -> None:
    xml = "".join(_row(row_form, row, "".join(_cell(form, r, c) for form, (r, c) in cells))
                  for row_form, row, cells in sheet_rows)
    body = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>{xml}</sheetData>'
            "</worksheet>").encode()
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, body if info.filename == "xl/worksheets/sheet2.xml"
                            else source.read(info.filename))
    found = check(path, "fuzz", Limits(max_rows=max_rows, max_cells=max_cells)).sheets["党员"].too_large
    if found is None:
        extent = _calamine_extent(path)
        assert extent is None or (extent[0] <= max_rows and extent[0] * extent[1] <= max_cells), extent
    elif found["rows"] * found["columns"] <= SAFE_CELLS:
        extent = _calamine_extent(path)
        assert extent is None or (found["rows"], found["columns"]) == extent, (found, extent)
