"""A scan's workbook report kept in the folder it scanned is not a ledger the next time (fileio/ownreports.py).

The inspector's round: `scan 收件箱 -o 收件箱/汇总.xlsx --history h.db` every month. The second round must neither
count 汇总.xlsx as a unit (unreadable, and a "new unit" in the history) nor refuse to overwrite it as an input.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledgercheck.cli import main
from ledgercheck.fileio.ownreports import REPORT_SHEETS, is_scan_report
from ledgercheck.reporters.scan.xlsx_ import SHEETS
from ledgercheck.scan.discover import discover
from tests.budget import SAMPLES
from tests.conftest import SAMPLE_AS_OF
from tests.corpus.build import project, unit, write_layout
from tests.corpus.layouts import LAYOUTS
from tests.malformed.generate import copy_into


def _scan(*args: object) -> Result:
    return CliRunner().invoke(main, ["scan", *(str(a) for a in args), "--as-of", SAMPLE_AS_OF, "--quiet"])


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for name in ("clean.xlsx", "violations.xlsx"):
        shutil.copyfile(SAMPLES / name, folder / name)
    return folder


def _without_mark(report: Path, copy: Path) -> None:
    """`report` as a version before the mark wrote it: the same parts without docProps/custom.xml."""
    with zipfile.ZipFile(report) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "docProps/custom.xml":
                target.writestr(info, source.read(info))


def test_the_second_round_passes_over_the_first_rounds_report(inbox: Path) -> None:
    summary = inbox / "汇总.xlsx"
    first = _scan(inbox, "-o", summary, "--history", inbox.parent / "h.db")
    assert first.exit_code == 1, first.output  # the violations sample has errors
    assert is_scan_report(summary)

    second = _scan(inbox, "-o", summary, "--history", inbox.parent / "h.db")
    assert second.exit_code == 1, second.output  # not 2: nothing unreadable, nothing refused
    assert "不能覆盖输入文件" not in second.output
    report = json.loads(_scan(inbox, "--format", "json").stdout)
    assert sorted(Path(f["path"]).name for f in report["files"]) == ["clean.xlsx", "violations.xlsx"]
    assert report["summary"]["files"] == 2 and report["summary"]["status"]["unreadable"] == 0
    assert [Path(p).name for p in report["summary"]["skipped_reports"]] == ["汇总.xlsx"]
    # In the history, round two against round one: the same two units, none new, none missing.
    compared = CliRunner().invoke(main, ["history", "compare", str(inbox.parent / "h.db"), "--format", "json"])
    moved = json.loads(compared.stdout)
    assert moved["rounds"] == [1, 2]
    assert [u["state"] for u in moved["units"]] == ["both", "both"], moved["units"]

    table = _scan(inbox)
    assert "未检查的本工具批量检查报告（不是台账）: 收件箱/汇总.xlsx" in table.output.replace(str(inbox.parent) + "/", "")
    english = _scan(inbox, "--lang", "en")
    assert "ledgercheck scan reports passed over (not ledgers):" in english.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_written_before_the_mark_is_told_by_its_sheets(inbox: Path, tmp_path: Path, lang: str) -> None:
    written = tmp_path / "report.xlsx"
    assert _scan(inbox, "-o", written, "--lang", lang).exit_code == 1
    old = inbox / "上月汇总.xlsx"
    _without_mark(written, old)
    with zipfile.ZipFile(old) as package:
        assert "docProps/custom.xml" not in package.namelist()
    assert is_scan_report(old)
    found = discover([str(inbox)])
    assert [Path(p).name for p, _d in found.files] == ["clean.xlsx", "violations.xlsx"]
    assert [Path(d).name for d in found.reports] == ["上月汇总.xlsx"]


def test_a_report_named_explicitly_is_scanned_and_reported_unreadable(inbox: Path) -> None:
    summary = inbox / "汇总.xlsx"
    assert _scan(inbox, "-o", summary).exit_code == 1
    result = _scan(summary, "--format", "json")
    report = json.loads(result.stdout)
    assert [f["status"] for f in report["files"]] == ["unreadable"]
    assert report["summary"]["skipped_reports"] == []


def test_no_ledger_is_taken_for_a_report(tmp_path: Path) -> None:
    tables, _ = unit()
    layouts = [write_layout(layout, project(layout, tables), tmp_path / f"{layout.id}.xlsx") for layout in LAYOUTS]
    ledgers = [*SAMPLES.glob("*.xlsx"), *layouts, *copy_into(tmp_path / "malformed").iterdir()]
    assert len(ledgers) > 60
    assert not [p for p in ledgers if p.is_file() and is_scan_report(p)]

    # A ledger with a summary and a rankings sheet besides its own sheets is still a ledger.
    import openpyxl

    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    book.create_sheet("汇总")
    book.create_sheet("红黑榜")
    mixed = tmp_path / "mixed.xlsx"
    book.save(mixed)
    assert not is_scan_report(mixed)

    # Another program's custom property of the same name, with another value: not the mark.
    buffer = io.BytesIO()
    with zipfile.ZipFile(mixed) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("docProps/custom.xml", (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
            'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="ledgercheck"><vt:lpwstr>checked'
            '</vt:lpwstr></property></Properties>'))
    other = tmp_path / "other.xlsx"
    other.write_bytes(buffer.getvalue())
    assert not is_scan_report(other)


def test_the_report_sheets_are_the_xlsx_reporters_own() -> None:
    assert REPORT_SHEETS == tuple(frozenset(label(lang) for label in SHEETS.values()) for lang in ("zh", "en"))
