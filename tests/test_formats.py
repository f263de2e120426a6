"""Old Excel (.xls) and OpenDocument (.ods) copies of a ledger give the same findings as the .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ledgercheck.app.audit import audit_workbook
from tests.conftest import SAMPLES
from tests.formats import copy_as_ods, copy_as_xls, libreoffice_convert, soffice
from tests.test_cli import assert_one_line_error, audit

AS_OF = dt.date(2026, 1, 15)
VIOLATIONS = SAMPLES / "violations.xlsx"


def _key(result) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return sorted((f.fingerprint, f.rule_id, f.location.sheet if f.location else None,
                   f.location.cell if f.location else None, f.message.zh) for f in result.findings)


@pytest.fixture(scope="module")
def reference(national):  # type: ignore[no-untyped-def]
    return audit_workbook(VIOLATIONS, national, AS_OF)


@pytest.mark.parametrize("convert", [copy_as_xls, copy_as_ods], ids=["xls", "ods"])
def test_old_format_copy_gives_the_same_findings(tmp_path: Path, national, reference, convert) -> None:
    copy = convert(VIOLATIONS, tmp_path / f"violations.{convert.__name__[-3:]}")
    result = audit_workbook(copy, national, AS_OF)
    assert result.input_issues == []
    assert len(result.findings) == len(reference.findings) > 0
    assert _key(result) == _key(reference)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_xls_conversion_gives_the_same_findings(tmp_path: Path, national, reference) -> None:
    """A real Excel 97-2003 file as Excel or WPS would save it (the xlwt copy above is a simpler writer)."""
    copy = libreoffice_convert(VIOLATIONS, "xls", tmp_path)
    result = audit_workbook(copy, national, AS_OF)
    assert result.input_issues == []
    assert _key(result) == _key(reference)


@pytest.mark.parametrize(("name", "zh", "en"), [
    ("ledger.et", "WPS", "WPS"),
    ("ledger.ett", "WPS", "WPS"),
    ("ledger.csv", "CSV", "CSV"),
    ("ledger.txt", "CSV", "CSV"),
    ("ledger.numbers", "另存为", "save it as an Excel workbook"),
    ("ledger.docx", "另存为", "save it as an Excel workbook"),
    ("ledger", "无扩展名", "(none)"),
])
def test_unsupported_formats_say_what_to_do(tmp_path: Path, name: str, zh: str, en: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"not a workbook")
    line = assert_one_line_error(audit(path), zh, ".xlsx")
    assert line.startswith("无法读取台账: ")
    assert_one_line_error(audit(path, "--lang", "en"), en, ".xlsx")


@pytest.mark.parametrize(("convert", "suffix", "actual"), [
    (None, ".xls", ".xlsx"), (copy_as_ods, ".xls", ".ods"), (copy_as_xls, ".xlsx", ".xls"),
    (copy_as_ods, ".xlsx", ".ods")], ids=["xlsx-named-xls", "ods-named-xls", "xls-named-xlsx", "ods-named-xlsx"])
def test_a_workbook_named_otherwise_is_read_as_what_it_is(tmp_path: Path, national, reference, convert, suffix: str,
                                                          actual: str) -> None:
    """Some systems export an .xlsx under an .xls name, people rename files, and Windows hides the suffix: it is
    read as what it is, with the same findings, and said; an .xlsx's marked-up copy keeps its formatting."""
    import shutil

    from openpyxl import load_workbook

    from ledgercheck.app.annotate import write_annotated

    source = convert(VIOLATIONS, tmp_path / f"violations{actual}") if convert else VIOLATIONS
    named = shutil.copyfile(source, tmp_path / f"花名册导出{suffix}")
    result = audit_workbook(named, national, AS_OF)
    assert [(i.code, i.params, i.level) for i in result.input_issues] == [
        ("INPUT-RENAMED-WORKBOOK", {"suffix": suffix, "actual": actual}, "warning")]
    assert result.input_issues[0].message("zh") == f"文件名是 {suffix}，内容其实是 {actual} 工作簿：已按 {actual} 读取"
    assert _key(result) == _key(reference)
    if not convert:
        marked = write_annotated(result, named, tmp_path / "marked.xlsx")
        assert "formatting" not in marked.dropped
        assert load_workbook(tmp_path / "marked.xlsx")["党员"]["A1"].font.b  # the header's bold kept


@pytest.mark.parametrize(("convert", "name", "actual"), [
    (None, "花名册导出", ".xlsx"), (None, "花名册导出.xlsx.1", ".xlsx"), (None, "花名册导出.csv", ".xlsx"),
    (copy_as_xls, "花名册导出", ".xls"), (copy_as_ods, "花名册导出.tmp", ".ods")],
    ids=["xlsx-no-suffix", "xlsx-named-.1", "xlsx-named-csv", "xls-no-suffix", "ods-named-tmp"])
def test_a_workbook_under_another_suffix_or_none_is_read_as_what_it_is(tmp_path: Path, national, reference, convert,
                                                                       name: str, actual: str) -> None:
    """A download that lost its name's end (台账), a second copy (台账.xlsx.1), a workbook renamed .csv: read as the
    workbook it is, with the same findings, and said; a name without a suffix is shown whole."""
    import shutil

    source = convert(VIOLATIONS, tmp_path / f"violations{actual}") if convert else VIOLATIONS
    named = shutil.copyfile(source, tmp_path / name)
    result = audit_workbook(named, national, AS_OF)
    shown = Path(name).suffix or name
    assert [(i.code, i.params) for i in result.input_issues] == [
        ("INPUT-RENAMED-WORKBOOK", {"suffix": shown, "actual": actual})]
    assert result.input_issues[0].message("zh") == f"文件名是 {shown}，内容其实是 {actual} 工作簿：已按 {actual} 读取"
    assert _key(result) == _key(reference)


def test_a_wps_et_file_keeps_its_advice_even_when_it_is_a_compound_file(tmp_path: Path) -> None:
    """WPS's own format is a compound file like an .xls, but it is not read as one: its advice stands."""
    path = copy_as_xls(VIOLATIONS, tmp_path / "ledger.xls").rename(tmp_path / "ledger.et")
    assert_one_line_error(audit(path), "WPS", ".xlsx")


def test_a_zip_that_is_no_workbook_is_still_refused_by_its_name(tmp_path: Path) -> None:
    """A Word document is a zip package too: without a workbook part, the name's advice stands."""
    import zipfile

    from ledgercheck.ingest.formats import sniff

    for name in ("会议记录", "会议记录.docx"):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        assert sniff(path) is None
        assert_one_line_error(audit(path), "另存为", ".xlsx")
