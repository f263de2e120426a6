"""`benchmarks.worker_cpu --excel` measures the realistic units as Excel and WPS save them: the copy must hold the
same ledger (the same findings and input problems) in the other shape (texts in the shared table, not inline)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import python_calamine
from click.testing import CliRunner

from benchmarks.ledgers import generate as generate_ledger
from benchmarks.worker_cpu import excel_copy
from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF


def _audit(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json", "--fail-on", "never",
                                       "--as-of", SAMPLE_AS_OF, "--no-config"])
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.output)
    return report


def test_the_excel_copy_holds_the_same_ledger_with_shared_strings(tmp_path: Path) -> None:
    written = tmp_path / "unit.xlsx"
    generate_ledger("unit", written, seed=3)
    saved = tmp_path / "unit-excel.xlsx"
    excel_copy(written, saved)

    with zipfile.ZipFile(written) as before, zipfile.ZipFile(saved) as after:
        sheets = [n for n in after.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len([n for n in before.namelist() if n.startswith("xl/worksheets/sheet")])
        assert all(b't="inlineStr"' in before.read(n) for n in sheets if b"<is>" in before.read(n))
        assert not any(b"inlineStr" in after.read(n) for n in sheets)
        assert b'<c r="A1" t="s">' in after.read("xl/worksheets/sheet1.xml")
        assert "xl/sharedStrings.xml" in after.namelist()
        assert sum(after.getinfo(n).file_size for n in sheets) < sum(before.getinfo(n).file_size for n in sheets)

    # Every cell, with its type: a date stays a date (an ISO text would be read as one too, and hide it).
    old, new = (python_calamine.CalamineWorkbook.from_path(str(p)) for p in (written, saved))
    assert old.sheet_names == new.sheet_names
    dates = 0
    for name in old.sheet_names:
        rows = old.get_sheet_by_name(name).to_python()
        assert [[(type(v), v) for v in r] for r in new.get_sheet_by_name(name).to_python()] == \
            [[(type(v), v) for v in r] for r in rows], name
        dates += sum(isinstance(v, dt.date) for r in rows for v in r)
    assert dates > 1000, "the meetings', dues' and members' dates are among the cells compared"

    a, b = _audit(written), _audit(saved)
    assert a["findings"], "a realistic unit has findings to compare"
    for key in ("summary", "findings", "groups", "input_issues", "skipped_rules"):
        assert json.dumps(a[key], ensure_ascii=False).replace("unit.xlsx", "unit-excel.xlsx") == \
            json.dumps(b[key], ensure_ascii=False), key
