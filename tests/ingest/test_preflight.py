"""The package check before calamine: limits, cells calamine would blank, XML in unusual forms."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgercheck.cli import main
from ledgercheck.common.errors import ConfigError, UsageError, WorkbookError
from ledgercheck.common.limits import Limits, from_options, parse_value, with_values
from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.preflight import _SheetScan, check, sheet_xml
from tests.malformed.generate import _rewrite, valid


def test_error_cells_and_formulas_without_results() -> None:
    xml = (b'<sheetData><row r="2"><c r="A2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B2"><f>SUM(A1)</f><v/></c>'
           b'<c r="C2" t="str"><f>IF(A1="","",A1)</f><v></v></c><c r="D2"><f>1+1</f><v>2</v></c>'
           b'<c r="E2" t="str"><f>A1&amp;"x"</f></c><c r="F2" t="e"><v>#N/A</v></c></row></sheetData>')
    marks = {k: (v.code, v.text) for k, v in sheet_xml(xml).marks.items()}
    assert marks == {(1, 0): ("INPUT-ERROR-CELL", "#DIV/0!"),
                     (1, 1): ("INPUT-FORMULA-NO-VALUE", "=SUM(A1)"),
                     (1, 4): ("INPUT-FORMULA-NO-VALUE", '=A1&"x"'),
                     (1, 5): ("INPUT-ERROR-CELL", "#N/A")}  # an empty text result (C2) is a value


def _with_sheet_xml(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    _rewrite(path, lambda part, data: body if part == "xl/worksheets/sheet2.xml" else data)
    return path


def test_prefixed_xml_and_cells_without_addresses_are_measured(tmp_path: Path) -> None:
    """Some writers use a namespace prefix, or leave out addresses: the extent is then parsed, not guessed."""
    ns = b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
    far = ns + b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>' \
        b'<x:row r="700000"><x:c r="B700000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    found = check(_with_sheet_xml(tmp_path, "prefixed.xlsx", far), "p", Limits())
    assert found.sheets["党员"].too_large == {"cell": "B700000", "rows": 700000, "columns": 2,
                                              "limit": "max-rows=500,000"}
    wide = b'<worksheet><sheetData><row>' + b"<c><v>1</v></c>" * 3000 + b"</row></sheetData></worksheet>"
    found = check(_with_sheet_xml(tmp_path, "wide.xlsx", wide), "w", Limits(max_cells=2000))
    assert found.sheets["党员"].too_large["columns"] == 3000


# One value at XFD1048576, written in each form calamine accepts: calamine would try to allocate 17 billion
# cells and abort the process, so each must be found before calamine parses the sheet.
FAR_CELLS = {
    "usual": b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>',
    "cell below its row": b'<row r="9"><c r="A1048576" t="n"><v>1</v></c><c r="XFD9" t="n"><v>1</v></c></row>',
    "row address after other attributes": b'<row spans="1:1" r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "unaddressed cell in a late row": b'<row spans="1:2" r="1048576"><c><v>1</v></c><c r="XFD9"><v>1</v></c></row>',
    "single quotes": b"<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>",
    "lower case": b'<row r="9"><c r="xfd1048576" t="n"><v>1</v></c></row>',
    "spaces around =": b'<row r="9"><c  r = "XFD1048576" t="n"><v>1</v></c></row>',
    "prefixed cell": b'<row r="9"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     b'r="XFD1048576" t="n"><x:v>1</x:v></x:c></row>',
    "character reference": b'<row r="9"><c r="&#88;FD1048576" t="n"><v>1</v></c></row>',
}


@pytest.mark.parametrize("form", FAR_CELLS)
def test_a_far_cell_in_any_form_is_refused_before_calamine(tmp_path: Path, form: str) -> None:
    path = tmp_path / "far.xlsx"
    _rewrite(path, lambda part, data: data.replace(b"</sheetData>", FAR_CELLS[form] + b"</sheetData>")
             if part == "xl/worksheets/sheet2.xml" else data)
    assert check(path, "far", Limits()).sheets["党员"].too_large["rows"] == 1048576
    # In a child process: were calamine to see the sheet, it would abort the process, not raise.
    run = subprocess.run([sys.executable, "-m", "ledgercheck", "audit", str(path), "--format", "json"],
                         capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert run.returncode == 2 and "INPUT-SHEET-TOO-LARGE" in run.stdout, run.stderr[-2000:]


def test_styled_empty_cells_do_not_count(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d" s="1"/><c r="ZZ%d" s="2"><v></v></c></row>' % (r, r, r)
                    for r in range(5, 600_005, 1000))
    path = tmp_path / "styled.xlsx"
    _rewrite(path, lambda part, data: data.replace(b"</sheetData>", rows + b"</sheetData>")
             if part == "xl/worksheets/sheet2.xml" else data)
    assert check(path, "s", Limits()).sheets["党员"].too_large is None


def test_limits_parse_sizes_and_refuse_nonsense() -> None:
    assert parse_value("max_file_size", "200MB") == 200 << 20 and parse_value("max_file_size", "1.5k") == 1536
    assert parse_value("max_rows", 10) == 10
    for name, value in (("max_rows", "10MB"), ("max_rows", 0), ("max_rows", True), ("max_cells", "many")):
        with pytest.raises(ValueError):
            parse_value(name, value)
    assert from_options(Limits(), ("max-rows=7", "max-file-size=2GB")) == Limits(max_rows=7, max_file_size=2 << 30)
    with pytest.raises(UsageError):
        from_options(Limits(), ("max-rows",))
    with pytest.raises(ConfigError, match="max-colums"):
        with_values(Limits(), {"max-colums": 3})


def test_limits_from_the_configuration(tmp_path: Path) -> None:
    ledger = valid(tmp_path / "ledger.xlsx") or tmp_path / "ledger.xlsx"
    config = tmp_path / "config.yaml"
    config.write_text("lang: en\nlimits:\n  max-rows: 2\n", "utf-8")
    result = CliRunner().invoke(main, ["audit", str(ledger), "--config", str(config), "--format", "json"])
    assert result.exit_code == 2 and "INPUT-SHEET-TOO-LARGE" in result.stdout and "max-rows=2" in result.stdout
    # the flag wins over the file
    result = CliRunner().invoke(main, ["audit", str(ledger), "--config", str(config), "--limit", "max-rows=100"])
    assert "INPUT-SHEET-TOO-LARGE" not in result.output
    config.write_text("limits:\n  max-rows: lots\n", "utf-8")
    result = CliRunner().invoke(main, ["audit", str(ledger), "--config", str(config)])
    assert result.exit_code == 2 and "config.yaml 第2行" in result.stderr and "max-rows" in result.stderr


def test_a_lying_archive_is_damaged(tmp_path: Path) -> None:
    """A part whose declared size is smaller than its data (a disguised bomb) fails its checksum when read."""
    path = valid(tmp_path / "ok.xlsx") or tmp_path / "ok.xlsx"
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    # Its central directory record (PK\x01\x02 …, the name at offset 46): uncompressed size at offset 24.
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(info.filename)] != info.filename.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    preflight = check(path, "lying", Limits())  # worksheets are scanned when first asked for
    with pytest.raises(WorkbookError):
        dict(preflight.sheets)
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2 and "ok.xlsx" in result.stderr and "Traceback" not in result.output


@given(rows=st.integers(min_value=0, max_value=10**9), cell_row=st.integers(min_value=0, max_value=10**10),
       column=st.sampled_from(["A", "Z", "AA", "XFD"]))
def test_the_quick_scan_ceiling_covers_every_cell_row(rows: int, cell_row: int, column: str) -> None:
    """A cell escapes the closer look only when it is in columns A–Z at or under a ceiling no lower than its rows."""
    ceiling, beyond = _SheetScan()._beyond(rows)
    matched = beyond.search(b'<c r="%s%d" t="n">' % (column.encode(), cell_row)) is not None
    assert ceiling >= rows
    assert matched == (len(column) > 1 or cell_row > ceiling)


def _far_cell(form: str, row: int, column: int) -> tuple[bytes, int]:
    """A value at (row, column), 1-based, written in `form`; and the column calamine puts it in."""
    letters = column_letter(column - 1)
    cell = f"{letters}{row}"
    xml = {
        "usual": f'<row r="{row}"><c r="{cell}" t="n"><v>1</v></c></row>',
        "cell below its row": f'<row r="9"><c r="{cell}" t="n"><v>1</v></c></row>',
        "row address after other attributes": f'<row spans="1:1" r="{row}"><c r="{cell}"><v>1</v></c></row>',
        "unaddressed cell in a late row": f'<row spans="1:2" r="{row}"><c><v>1</v></c></row>',
        "single quotes": f"<row r='{row}'><c r='{cell}' t='n'><v>1</v></c></row>",
        "lower case": f'<row r="9"><c r="{cell.lower()}" t="n"><v>1</v></c></row>',
        "spaces around =": f'<row r="9"><c  r = "{cell}" t="n"><v>1</v></c></row>',
        "prefixed cell": f'<row r="9"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                         f'r="{cell}" t="n"><x:v>1</x:v></x:c></row>',
        "character reference": f'<row r="9"><c r="&#{ord(letters[0])};{cell[1:]}" t="n"><v>1</v></c></row>',
    }[form]
    return xml.encode(), 1 if form == "unaddressed cell in a late row" else column


@pytest.fixture(scope="module")
def plain_ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[int, int]]:
    """A valid workbook, and the extent (rows, columns) of its 党员 sheet."""
    path = tmp_path_factory.mktemp("plain") / "plain.xlsx"
    valid(path)
    sheet = openpyxl.load_workbook(path)["党员"]
    return path, (sheet.max_row, sheet.max_column)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.sampled_from(sorted(FAR_CELLS)), row=st.integers(1, 1_048_576), column=st.integers(1, 16_384),
       max_rows=st.sampled_from([100, 5_000, 500_000]), max_cells=st.sampled_from([2_000, 100_000, 10_000_000]))
def test_the_preflight_measures_a_far_cell_in_any_form_exactly(
        plain_ledger: tuple[Path, tuple[int, int]], tmp_path_factory: pytest.TempPathFactory, form: str,
        row: int, column: int, max_rows: int, max_cells: int) -> None:
    """Refused exactly when the sheet's true extent (its farthest value, however written) is beyond a limit."""
    plain, (rows, columns) = plain_ledger
    xml, placed = _far_cell(form, row, column)
    path = tmp_path_factory.mktemp("far") / "far.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", xml + b"</sheetData>")
            target.writestr(info.filename, data)
    extent = (max(rows, row), max(columns, placed))
    found = check(path, "far", Limits(max_rows=max_rows, max_cells=max_cells)).sheets["党员"].too_large
    fits = extent[0] <= max_rows and extent[0] * extent[1] <= max_cells
    assert (found is None) == fits, (found, extent)
    if found is not None:
        assert (found["rows"], found["columns"]) == extent


def test_a_template_s_sheet_list_is_parsed_once_and_a_damaged_one_still_refused(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Units made from one template share their relationships and sheet list: parsed once (`preflight._PARSED`,
    bounded), with the same sheets found; a damaged sheet list is refused each time, never remembered."""
    from ledgercheck.ingest import preflight

    monkeypatch.setattr(preflight, "_PARSED", {})
    monkeypatch.setattr(preflight, "PARSED_KEPT", 2)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    valid(first)
    valid(second)
    found = []
    for path in (first, second):
        result = check(path, path.name, Limits())
        found.append(dict(result.sizes))
        result.close()
    assert found[0] == found[1] and found[0]
    assert 0 < len(preflight._PARSED) <= 2
    damaged = tmp_path / "damaged.xlsx"
    _rewrite(damaged, lambda name, data: b"<workbook><sheets><sheet" if name == "xl/workbook.xml" else data)
    for _ in range(2):
        with pytest.raises(WorkbookError, match="not valid XML"):
            check(damaged, damaged.name, Limits())
