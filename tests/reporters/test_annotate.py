"""`audit --annotate`: the marked-up copy highlights and comments each finding's cell; the original is untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from ledgercheck.app.annotate import write_annotated
from ledgercheck.app.audit import audit_workbook
from ledgercheck.findings.groups import group_findings
from ledgercheck.reporters.annotate import FILLS
from ledgercheck.template.writer import write_workbook
from tests.conftest import SAMPLE_AS_OF, SAMPLES
from tests.formats import copy_as_xls, libreoffice_convert, soffice
from tests.test_cli import assert_one_line_error, audit

AS_OF = dt.date(2026, 1, 15)
VIOLATIONS = SAMPLES / "violations.xlsx"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(cell) -> str:  # type: ignore[no-untyped-def]
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory, national):  # type: ignore[no-untyped-def]
    result = audit_workbook(VIOLATIONS, national, AS_OF)
    out = tmp_path_factory.mktemp("annotate") / "标注.xlsx"
    before = _digest(VIOLATIONS)
    summary = write_annotated(result, VIOLATIONS, out)
    assert _digest(VIOLATIONS) == before  # the original is only read
    return result, out, summary


def test_every_finding_cell_is_highlighted_by_severity_and_commented(annotated) -> None:
    result, out, summary = annotated
    book = openpyxl.load_workbook(out)
    cells = set()
    for finding in result.findings:
        loc = finding.location
        cell = book[loc.sheet][loc.cell]
        cells.add((loc.sheet, loc.cell))
        assert cell.comment is not None, loc.short()
        assert finding.rule_id in cell.comment.text and finding.citation.zh in cell.comment.text
        assert finding.rule_title.zh in cell.comment.text
        info = next(i for i in result.rule_info if i.rule_id == finding.rule_id)
        assert info.fix is None or f"怎样改正：{info.fix.zh}" in cell.comment.text
        # A run of consecutive periods of one rule is summarised in one line, as in the table.
        assert finding.message.zh in cell.comment.text or finding.rule_title.zh in cell.comment.text
        worst = max((f for f in result.findings if f.location == loc), key=lambda f: f.severity.rank)
        assert _fill(cell) == FILLS[worst.severity.value]
    assert summary.cells == len(cells)


def test_several_findings_on_one_cell_share_one_comment(annotated) -> None:
    _result, out, _summary = annotated
    comment = openpyxl.load_workbook(out)["组织"]["A3"].comment.text  # B01: committee and Party group
    assert "MEET-COMMITTEE-MONTHLY" in comment and "MEET-PARTY-GROUP-MONTHLY" in comment
    assert comment.count("【错误】") == 2


def test_data_and_other_cells_are_unchanged(annotated) -> None:
    _result, out, _summary = annotated
    original, copy = openpyxl.load_workbook(VIOLATIONS), openpyxl.load_workbook(out)
    assert copy.sheetnames == ["检查结果", *original.sheetnames]
    for name in original.sheetnames:
        assert [[c.value for c in row] for row in original[name].iter_rows()] == \
               [[c.value for c in row] for row in copy[name].iter_rows()], name
    assert _fill(copy["组织"]["B3"]) == "" and copy["组织"]["B3"].comment is None


def test_findings_sheet_lists_everything_with_links(annotated) -> None:
    result, out, summary = annotated
    sheet = openpyxl.load_workbook(out)["检查结果"]
    assert sheet.cell(1, 1).value.startswith("ledgercheck")
    header = [c.value for c in sheet[7]]
    assert header == ["级别", "问题", "组织", "期间", "位置", "说明", "怎样改正", "依据", "规则编号"]
    groups = group_findings(result.findings)  # a rule broken by one subject in several periods is one row
    rows = list(sheet.iter_rows(min_row=8, max_row=7 + len(groups)))
    assert summary.listed == len(rows) == len(groups) < len(result.findings)
    infos = {i.rule_id: i for i in result.rule_info}
    for row, group in zip(rows, groups):
        finding = group.first
        # The rule by its Chinese title; its id last, for `ledgercheck explain`.
        assert row[1].value == infos[finding.rule_id].title.zh and row[8].value == finding.rule_id
        assert row[5].value.startswith(group.message("zh"))
        assert row[6].value == (infos[finding.rule_id].fix.zh if infos[finding.rule_id].fix else None)
        link = row[4].hyperlink
        assert link is not None and link.location == f"'{finding.location.sheet}'!{finding.location.cell}"
        assert row[7].value == finding.citation.zh
    series = next(row for row, group in zip(rows, groups) if group.count > 1)
    assert "（共" in series[3].value and "例：" in series[5].value  # its periods, and one period's own message


def test_auditing_the_annotated_copy_gives_the_same_findings(annotated, national) -> None:
    result, out, _summary = annotated
    again = audit_workbook(out, national, AS_OF)
    assert again.input_issues == []  # the findings sheet is ours, not an unknown sheet
    assert sorted(f.fingerprint for f in again.findings) == sorted(f.fingerprint for f in result.findings)


def test_input_problems_are_marked_and_user_comments_kept(tmp_path: Path, national) -> None:
    source = write_workbook(tmp_path / "bad.xlsx", {
        "orgs": [{"org_id": "B01", "name": "第一党支部", "org_type": "党支部", "established": dt.date(2020, 1, 1),
                  "elected_on": "去年春天", "secretary": "张三", "committee_size": 0}]})
    book = openpyxl.load_workbook(source)
    book["组织"]["E2"].comment = Comment("书记手写的备注", "张三")
    book["组织"]["B2"].comment = Comment("另一条备注", "张三")
    book.save(source)
    result = audit_workbook(source, national, AS_OF)
    assert sorted(i.code for i in result.input_issues) == ["INPUT-BAD-DATE", "INPUT-MISSING-SHEET",
                                                           "INPUT-MISSING-SHEET"]
    out = tmp_path / "bad-标注.xlsx"
    write_annotated(result, source, out)
    copy = openpyxl.load_workbook(out)
    bad = copy["组织"]["E2"]
    assert _fill(bad) == FILLS["error"] and "INPUT-BAD-DATE" in bad.comment.text and "去年春天" in bad.comment.text
    assert bad.comment.text.startswith("原批注：书记手写的备注")  # the user's note is kept, ours follows
    assert copy["组织"]["B2"].comment.text == "另一条备注" and _fill(copy["组织"]["B2"]) == ""
    listed = [[c.value for c in row] for row in copy["检查结果"].iter_rows(min_row=8)]
    bad_row = next(r for r in listed if r[8] == "INPUT-BAD-DATE")
    assert bad_row[0] == "输入错误" and bad_row[4] == "组织!E2" and "2024-03-05" in bad_row[6]  # how to write it
    assert any(r[8] == "INPUT-MISSING-SHEET" and not r[4] for r in listed)  # no cell to point at


def test_old_excel_input_gets_an_xlsx_copy_with_the_same_marks(tmp_path: Path, national, annotated) -> None:
    result_xlsx, out_xlsx, _summary = annotated
    xls = copy_as_xls(VIOLATIONS, tmp_path / "violations.xls")
    result = audit_workbook(xls, national, AS_OF)
    out = tmp_path / "violations-标注.xlsx"
    write_annotated(result, xls, out)
    copy, reference = openpyxl.load_workbook(out), openpyxl.load_workbook(out_xlsx)
    for finding in result_xlsx.findings:
        loc = finding.location
        assert copy[loc.sheet][loc.cell].comment.text == reference[loc.sheet][loc.cell].comment.text
        assert _fill(copy[loc.sheet][loc.cell]) == _fill(reference[loc.sheet][loc.cell])
    assert copy["党员"]["D2"].is_date  # dates stay dates
    assert copy["党员"]["B2"].value == reference["党员"]["B2"].value  # ID numbers stay text


def test_cli_refuses_to_overwrite_the_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(VIOLATIONS.read_bytes())
    before = _digest(ledger)
    assert_one_line_error(audit(ledger, "--annotate", ledger), "不能覆盖")
    assert_one_line_error(audit(ledger, "--annotate", tmp_path / "." / "台账.xlsx", "--lang", "en"), "overwrite")
    assert_one_line_error(audit(ledger, "--annotate", tmp_path / "copy.xls"), ".xlsx")
    assert _digest(ledger) == before


def test_cli_writes_the_copy_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out" / "标注.xlsx"
    result = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--annotate", out, "--format", "json")
    assert result.exit_code == 1
    assert result.stdout.lstrip().startswith("{")  # stdout carries only the JSON
    assert "已写出标注副本" in result.stderr and str(out) in result.stderr
    assert openpyxl.load_workbook(out).sheetnames[0] == "检查结果"
    english = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--annotate", out, "--lang", "en")
    assert "Wrote the marked-up copy" in english.stderr
    assert openpyxl.load_workbook(out).sheetnames[0] == "Findings"


def _ppm_pixels(ppm: bytes) -> tuple[int, int, bytes]:
    match = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    assert match
    return int(match.group(1)), int(match.group(2)), ppm[match.end():]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_highlights_and_comments(annotated, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    _result, out, _summary = annotated
    pdf = libreoffice_convert(out, 'pdf:calc_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                              tmp_path)
    reader = pypdf.PdfReader(str(pdf))
    notes = [a.get_object().get("/Contents", "") for page in reader.pages for a in page.get("/Annots") or []
             if a.get_object().get("/Subtype") == "/Text"]
    assert any("MEET-COMMITTEE-MONTHLY" in n and "办公室党支部在2025年5月未召开支部委员会会议" in n for n in notes)
    assert "ledgercheck" in reader.pages[0].extract_text()
    # The 组织 sheet's page shows the light red fill of an error cell.
    ppm = subprocess.run(["pdftoppm", "-r", "40", "-f", "2", "-l", "2", str(pdf)], capture_output=True,
                         check=True).stdout if _has("pdftoppm") else None
    if ppm:
        _w, _h, pixels = _ppm_pixels(ppm)
        red = bytes.fromhex(FILLS["error"])
        assert sum(1 for i in range(0, len(pixels), 3) if pixels[i:i + 3] == red) > 100


def _has(tool: str) -> bool:
    import shutil

    return shutil.which(tool) is not None


def test_the_message_says_what_the_copy_lacks(tmp_path: Path) -> None:
    """openpyxl does not carry pictures, charts or macros over: the secretary is told, not surprised."""
    import zipfile

    source = tmp_path / "with-picture.xlsx"
    with zipfile.ZipFile(SAMPLES / "violations.xlsx") as original, zipfile.ZipFile(source, "w") as copy:
        for info in original.infolist():
            copy.writestr(info, original.read(info.filename))
        copy.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n")
    result = audit(source, "--as-of", SAMPLE_AS_OF, "--annotate", tmp_path / "marked.xlsx")
    assert "副本中没有原文件的图片" in result.stderr and "宏" not in result.stderr
    plain = audit(SAMPLES / "violations.xlsx", "--as-of", SAMPLE_AS_OF, "--annotate", tmp_path / "plain.xlsx")
    assert "已写出标注副本" in plain.stderr and "副本中没有" not in plain.stderr


def test_the_findings_sheet_counts_problems_per_organization(annotated) -> None:
    result, out, _summary = annotated
    line = openpyxl.load_workbook(out)["检查结果"].cell(4, 1).value
    assert line.startswith("各组织问题数：")
    for org in {f.org_id: f.org_name for f in result.findings}.items():
        errors = sum(1 for f in result.findings if f.org_id == org[0] and f.severity.value == "error")
        assert f"{org[1]}：" in line and (not errors or f"错误{errors}" in line.split(f"{org[1]}：")[1].split("；")[0])


def test_the_users_fill_widths_pictures_and_charts_are_kept(tmp_path: Path, national) -> None:
    """A yellow cell the secretary coloured stays yellow (a thick border marks it, and the comment says so);
    column widths stay; pictures and charts survive, and the message names exactly what does not (a text box)."""
    import xlsxwriter

    source = tmp_path / "own.xlsx"
    original = openpyxl.load_workbook(VIOLATIONS)
    logo = tmp_path / "logo.png"
    _png(logo)
    with xlsxwriter.Workbook(source) as book:
        for sheet in original.worksheets:
            out = book.add_worksheet(sheet.title)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    fmt = book.add_format({"bg_color": "#FFFF00"}) if (sheet.title, cell.coordinate) == (
                        "组织", "A3") else None
                    if isinstance(cell.value, dt.datetime):
                        out.write_datetime(cell.row - 1, cell.column - 1, cell.value,
                                           book.add_format({"num_format": "yyyy-mm-dd"}))
                    else:
                        out.write(cell.row - 1, cell.column - 1, cell.value, fmt)
            out.set_column(1, 1, 30)
        first = book.get_worksheet_by_name("组织")
        first.insert_image("M2", str(logo))
        first.insert_textbox("M8", "本支部自制说明")
        chart = book.add_chart({"type": "column"})
        chart.add_series({"values": "=组织!$J$2:$J$4"})
        first.insert_chart("M12", chart)
    result = audit(source, "--as-of", SAMPLE_AS_OF, "--annotate", tmp_path / "marked.xlsx")
    assert "文本框和图形" in result.stderr and "图片" not in result.stderr and "图表" not in result.stderr
    copy = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    own = copy["组织"]["A3"]
    assert _fill(own) == "FFFF00"  # the user's yellow, not our pink
    assert own.border.left.style == "thick" and "原有底色已保留" in own.comment.text
    assert copy["组织"].column_dimensions["B"].width == pytest.approx(30, abs=1)
    assert len(copy["组织"]._images) == 1 and len(copy["组织"]._charts) == 1


def _png(path: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress((b"\x00" + b"\xc0\x00\x00" * 4) * 4)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def _cell_xml(book: Path, sheet: str, address: str) -> str:
    from ledgercheck.ingest.preflight import cells_in_part

    found = cells_in_part(book, sheet, [address])
    kind, saved = found[address]
    return f"{kind.decode()}:{saved.decode() if saved is not None else None}"


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")  # openpyxl reading the copy back
def test_a_number_no_date_can_be_stays_a_number_in_the_copy(tmp_path: Path, national) -> None:
    """openpyxl reads a date-formatted number outside its dates (20240101 typed into a date cell, -1e308) as the
    error #VALUE!: the copy, the user's workbook to edit, would have lost the number. A true #VALUE! stays."""
    source = tmp_path / "far-dates.xlsx"
    book = openpyxl.load_workbook(VIOLATIONS)
    roster = book["党员"]
    roster["D3"].value, roster["D4"].value = 20240101, -1e308  # 出生日期, a date format
    roster["D3"].number_format = roster["D4"].number_format = "yyyy-mm-dd"
    roster["J5"] = "=1/0"  # openpyxl saves no value for it: made a saved error below, as Excel writes one
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as original, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":  # 党员
                data, count = re.subn(rb'<c r="J5"[^>]*>.*?</c>', b'<c r="J5" t="e"><v>#VALUE!</v></c>', data)
                assert count == 1
            target.writestr(info, data)
    result = audit_workbook(source, national, AS_OF)
    assert [(i.code, i.location.cell) for i in result.input_issues if i.code == "INPUT-ROW-UNREADABLE"] \
        == [("INPUT-ROW-UNREADABLE", "D4")]
    out = tmp_path / "far-dates-标注.xlsx"
    write_annotated(result, source, out)
    assert _cell_xml(out, "党员", "D3") == "n:20240101" == _cell_xml(source, "党员", "D3")
    assert _cell_xml(out, "党员", "D4") == "n:-1e+308" == _cell_xml(source, "党员", "D4")
    assert _cell_xml(out, "党员", "J5") == "e:#VALUE!" == _cell_xml(source, "党员", "J5")
    copy = openpyxl.load_workbook(out)
    assert copy["党员"]["D4"].comment is not None and "INPUT-ROW-UNREADABLE" in copy["党员"]["D4"].comment.text
