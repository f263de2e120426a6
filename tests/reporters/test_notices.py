"""Rectification notices (整改通知书) from a scan: the .docx read back with python-docx as a person would check it,
converted by LibreOffice, and the printable HTML page printed by headless Chromium."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.units import unit_tables
from ledgercheck.app.config import Settings
from ledgercheck.app.context import Context
from ledgercheck.common.errors import UsageError
from ledgercheck.findings.notices import Notice, NoticeItem, NoticeOrg, NoticeTerms, parse_deadline, terms_for
from ledgercheck.findings.result import RuleInfo
from ledgercheck.findings.scan.notices import ScanNotices
from ledgercheck.findings.scan.report import RunOutcome, ScanReport
from ledgercheck.findings.scan.store import ScanStore
from ledgercheck.findings.scan.summary import FileResult, FindingRow, OrgResult
from ledgercheck.reporters import render, reporter
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.notices import SUFFIX, WrittenNotices, notice_file_name, safe_stem, write_notices
from ledgercheck.scan.discover import discover
from ledgercheck.scan.progress import make_progress
from ledgercheck.scan.run import scan
from ledgercheck.template.writer import write_workbook
from tests.conftest import SAMPLE_AS_OF, SAMPLES
from tests.formats import libreoffice_convert, soffice

docx = pytest.importorskip("docx", reason="python-docx is not installed (the test extra installs it)")
from docx.oxml.ns import qn  # noqa: E402

ISSUED = dt.date(2026, 1, 20)
DEADLINE = "2026年2月19日"  # 30 days after ISSUED
TITLE = "党建工作台账检查整改通知书"
UNSAFE = "审计处:第一?党支部*.xlsx"  # a name Linux allows and Windows does not


@dataclass
class Scanned:
    folder: Path
    out: Path
    written: WrittenNotices
    findings: dict[str, list[FindingRow]]  # display path → the unit's findings, as the store has them
    units: dict[str, str]  # display path → unit name
    rules: dict[str, RuleInfo]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Scanned:
    """The violations sample under three names (one unsafe on Windows, one of the same stem in a subfolder), the
    clean sample, a file that is not a workbook, and a unit with an unreadable date; scanned, then noticed."""
    folder = tmp_path_factory.mktemp("notice-units")
    shutil.copyfile(SAMPLES / "violations.xlsx", folder / "violations.xlsx")
    shutil.copyfile(SAMPLES / "clean.xlsx", folder / "clean.xlsx")
    (folder / "sub").mkdir()
    shutil.copyfile(SAMPLES / "violations.xlsx", folder / "sub" / "violations.xlsx")
    shutil.copyfile(SAMPLES / "violations.xlsx", folder / UNSAFE)
    (folder / "not-a-workbook.xlsx").write_text("这不是 Excel 文件", encoding="utf-8")
    tables = unit_tables(11)
    tables["meetings"][0]["date"] = "2025年13月45日"  # an input error; the rest is audited
    write_workbook(folder / "bad-date.xlsx", tables)
    out = tmp_path_factory.mktemp("notices") / "整改通知书"
    context = Context.build(Settings(as_of=dt.date.fromisoformat(SAMPLE_AS_OF)))
    discovery = discover([str(folder)])
    with ScanStore() as store:
        report = scan(discovery, context, 1, make_progress(len(discovery.files), "zh", quiet=True), store)
        written = write_notices(report, context.rule_infos(), out, terms=NoticeTerms(days=30, issued=ISSUED))
        findings: dict[str, list[FindingRow]] = {}
        units = {}
        for line in store.findings():
            findings.setdefault(line.path, []).append(line.finding)
        for row in store.files():
            units[row.path] = row.unit or ""
    return Scanned(folder, out, written, findings, units, {r.rule_id: r for r in context.rule_infos()})


def _display(scanned: Scanned, name: str) -> str:
    """The scan's display path of `name` (the two copies of the violations sample have the same findings)."""
    return next(path for path in scanned.units if Path(path).name == name)


def _rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def _problem_tables(document) -> list:
    return [t for t in document.tables if t.rows[0].cells[-1].text == "整改要求"]


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += ["\t".join(row) for row in _rows(document)]
    return "\n".join(parts)


# ---------------------------------------------------------------- which units get a notice, and their file names


def test_a_notice_per_unit_with_problems_and_none_for_clean_or_unreadable_files(scanned: Scanned) -> None:
    names = sorted(path.name for path in scanned.written)
    assert "violations-整改通知书.docx" in names and "violations-2-整改通知书.docx" in names
    assert "审计处_第一_党支部_-整改通知书.docx" in names
    assert not any(name.startswith(("clean", "not-a-workbook")) for name in names)
    assert all(path.parent == scanned.out and path.is_file() for path in scanned.written)
    counts = scanned.written.counts
    assert counts.written == len(scanned.written)
    assert "某局机关党委" in counts.without_problems  # the clean sample's unit
    assert [Path(p).name for p in counts.unreadable] == ["not-a-workbook.xlsx"]
    summary = scanned.written.summary("zh")
    assert f"已生成整改通知书 {len(names)} 份" in summary and "1 个单位未发现需要整改的问题" in summary
    assert "1 个文件无法读取" in summary
    assert scanned.written.html is not None and scanned.written.html.name == "整改通知书（全部）.html"


def test_notice_numbers_follow_the_scan_order(scanned: Scanned) -> None:
    numbers = [docx.Document(path).paragraphs[1].text for path in scanned.written]
    assert numbers == [f"台账整改〔2026〕{i:03d}号" for i in range(1, len(numbers) + 1)]


@pytest.mark.parametrize(("name", "expected"), [
    ("violations.xlsx", "violations-整改通知书.docx"),
    ("a/b.c.xlsx", "b.c-整改通知书.docx"),
    ("a\\b.xlsx", "b-整改通知书.docx" if os.sep == "\\" else "a_b-整改通知书.docx"),
    ('审计:处?*<>|".xlsx', "审计_处______-整改通知书.docx"),
    ("CON.xlsx", "_CON-整改通知书.docx"),
    ("nul.tar.xlsx", "_nul.tar-整改通知书.docx"),
    ("trailing. .xlsx", "trailing-整改通知书.docx"),
    ("d/\\xcc\\xa8.xlsx", "_xcc_xa8-整改通知书.docx"),  # a GBK name as the scan shows it (escaped)
    (".xlsx", ".xlsx-整改通知书.docx"),
    ("tab\there.xlsx", "tab_here-整改通知书.docx"),
])
def test_file_names_are_safe_on_windows(name: str, expected: str) -> None:
    assert notice_file_name(name) == expected


def test_file_names_are_unique_ignoring_case_and_short_enough() -> None:
    taken: set[str] = set()
    first, second, third = (notice_file_name(n, taken) for n in ("a/台账.xlsx", "b/台账.xlsx", "c/台账.XLSX"))
    assert (first, second, third) == ("台账-整改通知书.docx", "台账-2-整改通知书.docx", "台账-3-整改通知书.docx")
    assert notice_file_name("Unit.xlsx", taken) != notice_file_name("UNIT.xlsx", taken)
    long = notice_file_name("党" * 200 + ".xlsx")
    assert len(long.encode("utf-8")) <= 240 and long.endswith("-整改通知书.docx")
    assert safe_stem("") == "unit" and safe_stem("...") == "unit" and safe_stem("\udccc") == "_udccc"


# ---------------------------------------------------------------- what a person checks in the .docx


def test_every_finding_appears_with_its_cell_basis_and_fix(scanned: Scanned) -> None:
    display = _display(scanned, "violations.xlsx")
    document = docx.Document(scanned.out / "violations-整改通知书.docx")
    rows = [row for table in _problem_tables(document) for row in _rows_of(table)]
    findings = scanned.findings[display]
    listed = [f for f in findings if f.severity in ("error", "warning")]
    assert len(rows) == len(listed) == 37
    unmatched = list(rows)
    for finding in listed:
        info = scanned.rules[finding.rule_id]
        row = next((r for r in unmatched if finding.message in r[2] and r[3] == (finding.location or "—")), None)
        assert row is not None, f"{finding.rule_id} {finding.location} {finding.message} is not in the notice"
        unmatched.remove(row)
        assert row[1] == {"error": "错误", "warning": "警告"}[finding.severity]
        assert row[2].startswith(info.title("zh"))
        assert row[4] == info.basis("zh") and row[5] == info.fix("zh")
        assert "!" in row[3]  # sheet!cell
    advisory = [f for f in findings if f.severity == "info"]
    assert advisory and all(f.message not in _text(document) for f in advisory)  # info is advice, not a problem
    text = _text(document)
    assert not re.search(r"\d{15,}", text)  # no ID number in full: the messages were masked upstream


def _rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_the_notice_names_the_unit_its_organizations_and_the_inspection(scanned: Scanned) -> None:
    document = docx.Document(scanned.out / "violations-整改通知书.docx")
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == TITLE
    assert paragraphs[2] == "某委机关党委："  # the addressee
    intro = paragraphs[3]
    assert "2026年1月15日" in intro and "national 2026.11" in intro and "violations.xlsx" in intro
    assert "共检查组织8个" in intro and "共37条（错误14条、警告23条）" in intro
    summary = document.tables[0]
    assert [c.text for c in summary.rows[0].cells] == ["序号", "组织", "组织类型", "错误", "警告", "小计"]
    orgs = [[c.text for c in row.cells] for row in summary.rows[1:]]
    assert len(orgs) == 9 and orgs[-1][1:] == ["合计", "", "14", "23", "37"]
    assert ["2", "办公室党支部（B01）", "党支部", "3", "8", "11"] in orgs
    headings = [p.text for p in document.paragraphs if p.style.name == "Notice Subheading"]
    assert headings[0] == "（一）办公室党支部（B01）：错误3条、警告8条"
    assert len(headings) == 7  # the organizations with problems, each with its table
    assert len(_problem_tables(document)) == 7


def test_deadline_signature_seal_and_receipt(scanned: Scanned) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document(scanned.out / "violations-整改通知书.docx")
    text = _text(document)
    assert f"于{DEADLINE}前完成" in text and f"请于{DEADLINE}前" in text
    signature = [p for p in document.paragraphs if p.text.startswith(("检查单位（盖章）", "日期："))]
    assert [p.text for p in signature] == ["检查单位（盖章）：" + "\u3000" * 8, "日期：2026年1月20日"]
    assert signature[0].runs[1].underline  # a line to write the inspecting office's name on
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT or p.style.paragraph_format.alignment ==
               WD_ALIGN_PARAGRAPH.RIGHT for p in signature)
    assert any(p.text == "整改情况回执" for p in document.paragraphs)
    receipt = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    labels = [row[0] for row in receipt]
    assert labels[:4] == ["被检查单位", "通知书编号", "台账文件", "问题数"]
    assert {"整改情况", "单位负责人（签字）", "单位（盖章）"} <= set(labels)
    assert receipt[0][1] == "某委机关党委" and receipt[3][1] == "37条（错误14条、警告23条）"


def test_problem_tables_repeat_their_header_and_never_split_a_row(scanned: Scanned) -> None:
    document = docx.Document(scanned.out / "violations-整改通知书.docx")
    tables = document.tables
    for number, table in enumerate(tables):
        for index, row in enumerate(table.rows):
            properties = row._tr.trPr
            assert properties is not None and properties.find(qn("w:cantSplit")) is not None
            header = properties.find(qn("w:tblHeader")) is not None
            assert header == (index == 0 and number < len(tables) - 1)  # the receipt has no header row
    problems = _problem_tables(document)[0]
    assert [c.text for c in problems.rows[0].cells] == ["序号", "级别", "问题", "位置（工作表!单元格）", "依据",
                                                        "整改要求"]


def test_a4_portrait_with_chinese_fonts(scanned: Scanned) -> None:
    document = docx.Document(scanned.out / "violations-整改通知书.docx")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    styles = document.styles
    fonts = styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) == "仿宋" and fonts.get(qn("w:eastAsiaTheme")) is None
    for name, face in (("Notice Title", "黑体"), ("Notice Body", "仿宋"), ("Notice Heading", "黑体"),
                       ("Notice Subheading", "楷体"), ("Notice Table", "仿宋")):
        assert styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) == face
    language = styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert language.get(qn("w:eastAsia")) == "zh-CN"
    assert styles["Notice Title"].font.size.pt == 22 and styles["Notice Body"].font.size.pt == 16
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer  # page numbers


def test_every_style_a_notice_names_is_defined_and_no_other(scanned: Scanned) -> None:
    """python-docx's template defines 175 styles, 354 KB parsed and compressed for every notice; a notice keeps
    the ones it names and what they build on. A name without its definition would fall back to Normal silently."""
    import zipfile

    with zipfile.ZipFile(scanned.out / "violations-整改通知书.docx") as package:
        styles = package.read("word/styles.xml").decode()
        named = set()
        for part in package.namelist():
            if part.startswith("word/") and part != "word/styles.xml" and part.endswith(".xml"):
                named |= set(re.findall(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', package.read(part).decode()))
    defined = set(re.findall(r'<w:style [^>]*w:styleId="([^"]+)"', styles))
    built_on = set(re.findall(r'<w:(?:basedOn|link|next) w:val="([^"]+)"', styles))
    assert {"NoticeTitle", "NoticeBody", "NoticeTable", "NoticeTableHead", "NoticeFooter", "TableGrid"} <= named
    assert named | built_on <= defined  # every style named, and every style a style names
    assert "LightShading-Accent1" not in defined and len(defined) < 30 and len(styles) < 40_000
    assert "<w:latentStyles" in styles  # Word and WPS still offer their built-in styles to whoever edits it


def test_input_errors_are_mentioned(scanned: Scanned) -> None:
    path = scanned.out / "bad-date-整改通知书.docx"
    assert path in scanned.written  # the generated unit has problems besides its unreadable date
    assert "处单元格无法读取" in _text(docx.Document(path))


# ---------------------------------------------------------------- terms: deadline, level, language


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-31", dt.date(2026, 3, 31)), ("2026/3/31", dt.date(2026, 3, 31)),
    ("2026年3月31日", dt.date(2026, 3, 31)), ("30", 30), ("30d", 30), ("15天", 15), (" 7 days ", 7),
])
def test_deadline_is_a_date_or_a_number_of_days(text: str, expected: object) -> None:
    assert parse_deadline(text) == expected


@pytest.mark.parametrize("text", ["", "0", "next month", "2026-02-30", "-5"])
def test_a_deadline_that_is_neither_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="整改期限"):
        parse_deadline(text)


def test_terms() -> None:
    assert terms_for(dt.date(2026, 3, 31), issued=ISSUED).deadline_on() == dt.date(2026, 3, 31)
    assert terms_for(10, issued=ISSUED).deadline_on() == dt.date(2026, 1, 30)
    assert terms_for(None, issued=ISSUED).deadline_on() == dt.date(2026, 2, 19)
    assert terms_for(dt.date(2026, 1, 1), issued=ISSUED).problem() is not None  # before the issue date
    assert NoticeTerms(min_severity="error").severities == ("error",)
    assert NoticeTerms(min_severity="info").severities == ("error", "warning", "info")
    assert NoticeTerms(prefix="X党工委", issued=ISSUED).number(12) == "X党工委〔2026〕012号"


def _notice(**changes: object) -> Notice:
    item = NoticeItem("error", "MEET-COMMITTEE-MONTHLY", "支部委员会会议一般每月召开1次",
                      "<b>办公室党支部</b>在2025年5月未召开支部委员会会议", "组织!A3", "《支部工作条例》第十二条",
                      "补录会议记录。", "2025-05")
    org = NoticeOrg("B01", "<script>alert(1)</script>党支部", "党支部", {"error": 1, "warning": 0, "info": 0}, (item,))
    values: dict[str, object] = dict(number="台账整改〔2026〕001号", unit="某局<机关>党委", file="a/b.xlsx",
                                     as_of=dt.date(2026, 1, 15), since=dt.date(2025, 1, 1),
                                     packs=(("national", "2026.11"),), issued=ISSUED, deadline=dt.date(2026, 3, 31),
                                     orgs=(org,), issuer="中共某市直属机关工作委员会")
    values.update(changes)
    return Notice(**values)  # type: ignore[arg-type]


def test_issuer_and_explicit_deadline_are_printed(tmp_path: Path) -> None:
    from ledgercheck.reporters.notice_docx import write_docx

    target = tmp_path / "n.docx"
    with target.open("wb") as stream:
        write_docx([_notice()], stream)
    text = _text(docx.Document(target))
    assert "中共某市直属机关工作委员会对你单位" in text and "检查单位（盖章）：中共某市直属机关工作委员会" in text
    assert "于2026年3月31日前完成" in text and "检查期间自2025年1月1日起" in text
    assert "某局<机关>党委：" in text and "<script>alert(1)</script>党支部（B01）" in text  # text, as it was


def test_what_a_word_document_cannot_hold_is_spelled_out_not_refused() -> None:
    """A cell may hold a control character (Excel keeps \\x07 as _x0007_, python-calamine gives it back) and a file
    name a byte not in UTF-8 (a zip from Windows unpacked on Linux): lxml refuses both, and the whole notice with
    them. They are written spelled out, as the terminal shows them."""
    from ledgercheck.reporters.notice_docx import write_docx

    item = NoticeItem("error", "MEET-COMMITTEE-MONTHLY", "支部委员会会议一般每月召开1次",
                      "办公\x07室党支部在2025年5月未召开支部委员会会议\x01", "组织!A3", "第十二条", "补录\x0b会议记录。")
    org = NoticeOrg("B01", "办公\x07室党支部", "党支部", {"error": 1, "warning": 0, "info": 0}, (item,))
    stream = io.BytesIO()
    write_docx([_notice(unit="某局\x1b[31m机关党委", file="报送/\udcb2\udcc6.xlsx", orgs=(org,),
                        issuer="机关\x00工委")], stream)
    document = docx.Document(io.BytesIO(stream.getvalue()))
    text = _text(document)
    assert "某局\\x1b[31m机关党委：" in text and "报送/\\xb2\\xc6.xlsx" in text and "机关\\x00工委" in text
    assert "办公\\x07室党支部（B01）" in text and "未召开支部委员会会议\\x01" in text and "补录\\x0b会议记录" in text
    assert "\x07" not in text and "\x1b" not in text
    assert document.core_properties.title.endswith("某局\\x1b[31m机关党委")


def test_a_unit_whose_name_is_longer_than_a_documents_title_gets_its_notice() -> None:
    """docProps hold 255 characters a property: a 240-character unit name made the title longer, and python-docx
    refused the whole notice (scan --notices stopped with an internal error). The name is whole in the text."""
    from ledgercheck.reporters.notice_docx import TITLE_LIMIT, write_docx

    name = "某" * 240 + "机关党委"
    stream = io.BytesIO()
    write_docx([_notice(unit=name)], stream)
    document = docx.Document(io.BytesIO(stream.getvalue()))
    title = document.core_properties.title
    assert len(title) == TITLE_LIMIT and title.endswith("…") and title.startswith("党建工作台账检查整改通知书")
    assert f"{name}：" in _text(document)


def test_english_notice(tmp_path: Path) -> None:
    from ledgercheck.reporters.notice_docx import write_docx

    stream = io.BytesIO()
    write_docx([_notice(lang="en")], stream)
    text = _text(docx.Document(io.BytesIO(stream.getvalue())))
    assert "Rectification notice" in text and "by 31 March 2026" in text and "1 error" in text


def test_html_escapes_ledger_text_and_is_registered() -> None:
    value = [_notice()]
    page = render(value, reporter("notice", "html"), ReportOptions()).decode("utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;党支部" in page
    assert "&lt;b&gt;办公室党支部&lt;/b&gt;" in page and "@page { size: A4 portrait" in page
    assert page.count('class="notice"') == 1 and page.count('class="receipt"') == 1
    binary = render(value, reporter("notice", "docx"), ReportOptions())
    assert binary[:2] == b"PK" and TITLE in _text(docx.Document(io.BytesIO(binary)))


def test_several_notices_in_one_document_restart_page_numbers() -> None:
    from ledgercheck.reporters.notice_docx import document_for

    document = document_for([_notice(), _notice(number="台账整改〔2026〕002号")])
    assert len(document.sections) == 2
    assert document.sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert [p.text for p in document.paragraphs].count(TITLE) == 2


def test_missing_python_docx_is_a_clear_message(monkeypatch, tmp_path: Path) -> None:
    from ledgercheck.reporters.notice_docx import write_docx

    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(UsageError) as caught:
        write_docx([_notice()], io.BytesIO())
    assert "pip install 'ledgercheck[docx]'" in caught.value.message("zh")


@contextmanager
def _tiny_report() -> Iterator[ScanReport]:
    """A scan of one unit with one advisory (info) finding of a rule the report does not describe."""
    with ScanStore() as store:
        org = OrgResult("B01", "支部", "党支部", "党支部", None, 5, {"error": 0, "warning": 0, "info": 1}, 3, 1)
        store.add(0, FileResult("u.xlsx", "ok", unit="单位", orgs=[org],
                                findings=[FindingRow("B01", "支部", "X-1", "info", None, "组织!A2", "建议")]))
        yield ScanReport("zh", dt.date(2026, 1, 15), None, [("national", "2026.11")], [], store,
                         RunOutcome(1, 1, False), 1, 0.1)


def test_scan_notices_can_list_every_level() -> None:
    """min_severity=info lists the advisory findings too; iterating again reads the store again."""
    with _tiny_report() as report:
        assert list(ScanNotices(report)) == []
        notices = ScanNotices(report, terms=NoticeTerms(min_severity="info", issued=ISSUED))
        assert [n.unit for n in notices] == [n.unit for n in notices] == ["单位"]
        item = next(iter(notices)).items[0][1]
        assert item.message == "建议" and item.severity == "info"
        assert item.basis == "" and item.rule_title == "X-1"  # a rule the infos do not know: nothing invented


def test_write_notices_refuses_a_deadline_before_the_issue_date(tmp_path: Path) -> None:
    with _tiny_report() as report, pytest.raises(UsageError) as caught:
        write_notices(report, [], tmp_path / "out", terms=NoticeTerms(deadline=dt.date(2026, 1, 1), issued=ISSUED))
    assert "早于发文日期" in caught.value.message("zh") and not (tmp_path / "out").exists()


def test_write_notices_with_nothing_to_rectify_writes_an_empty_page(tmp_path: Path) -> None:
    with _tiny_report() as report:
        written = write_notices(report, None, tmp_path / "out", deadline=10)
    assert list(written) == [] and written.counts.without_problems == ["单位"]
    assert written.html is not None and "未发现需要整改的问题" in written.html.read_text("utf-8")
    assert written.summary("en").startswith("0 rectification notice(s) written; 1 unit(s) with nothing")


# ---------------------------------------------------------------- real renderers


def _pdf_text(page) -> str:
    """A PDF page's text without line breaks; NFKC maps the Kangxi radicals some CJK fonts' tables give back
    (⼯ U+2F2F) to the characters (工)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", page.extract_text()))


def _plain(text: str) -> str:
    """What `_pdf_text` makes of a text: full-width punctuation becomes ASCII (（ → (, ： → :)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _writer_installed() -> bool:
    office = soffice()
    if office is None:
        return False
    program = Path(office).resolve().parent
    return any(program.glob("libswlo.*")) or (program / "swriter").exists() or shutil.which("lowriter") is not None


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(not _writer_installed(), reason="LibreOffice Writer is not installed (Debian: libreoffice-writer)")
def test_libreoffice_converts_a_notice_to_pdf(scanned: Scanned, tmp_path: Path) -> None:
    from pypdf import PdfReader

    source = tmp_path / "notice.docx"
    shutil.copyfile(scanned.out / "violations-整改通知书.docx", source)
    pdf = libreoffice_convert(source, "pdf", tmp_path / "pdf")
    pages = [_pdf_text(page) for page in PdfReader(pdf).pages]
    assert len(pages) >= 3
    assert all(_plain(s) in pages[0] for s in (TITLE, "某委机关党委：", "台账整改〔2026〕"))
    everything = "".join(pages)
    for text in ("办公室党支部在2025年5月未召开支部委员会会议", "组织!A3", "《支部工作条例》第十二条",
                 "检查单位（盖章）", "日期：2026年1月20日", f"于{DEADLINE}前完成"):
        assert _plain(text) in everything, text
    assert _plain("整改情况回执") in pages[-1] and _plain("单位负责人（签字）") in pages[-1]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium package)")
def test_html_notices_print_a_new_page_per_unit_in_chromium(scanned: Scanned, tmp_path: Path) -> None:
    from pypdf import PdfReader

    assert CHROMIUM is not None and scanned.written.html is not None
    page = tmp_path / "notices.html"
    shutil.copyfile(scanned.written.html, page)
    pdf = tmp_path / "notices.pdf"
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                             f"--print-to-pdf={pdf}", page.as_uri()],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0 and pdf.exists(), result.stderr
    texts = [_pdf_text(page) for page in PdfReader(pdf).pages]
    first_pages = [i for i, text in enumerate(texts) if TITLE in text]
    assert len(first_pages) == len(scanned.written)  # each notice starts a page of its own
    receipts = [i for i, text in enumerate(texts) if text.startswith("整改情况回执")]
    assert len(receipts) == len(scanned.written)  # and so does each 回执
    units = sorted(set(scanned.units.values()) - {"某局机关党委", ""})  # the units with notices
    for number, index in enumerate(first_pages, 1):
        assert texts[index].startswith(TITLE) and _plain(f"台账整改〔2026〕{number:03d}号") in texts[index]
        assert any(_plain(f"{unit}：") in texts[index] for unit in units)  # the addressee, on the first page
    assert "办公室党支部在2025年5月未召开支部委员会会议" in "".join(texts)


def test_worker_processes_write_the_same_notices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan of thousands of units writes its notices in worker processes (--jobs): the same files, with the same
    names in the same order, as one process writes; a notice that would overwrite a file it must not is refused
    before any worker writes it."""
    import zipfile

    from ledgercheck.reporters import notice_pool

    folder = tmp_path / "units"
    folder.mkdir()
    for name in ("甲.xlsx", "乙.xlsx", "丙.xlsx", "丁.xlsx", "戊.xlsx"):
        shutil.copyfile(SAMPLES / "violations.xlsx", folder / name)
    context = Context.build(Settings(as_of=dt.date.fromisoformat(SAMPLE_AS_OF)))
    discovery = discover([str(folder)])
    monkeypatch.setattr(notice_pool, "BATCH", 2)  # 5 notices: two batches first, then the pool
    with ScanStore() as store:
        report = scan(discovery, context, 1, make_progress(len(discovery.files), "zh", quiet=True), store)
        terms = NoticeTerms(days=30, issued=ISSUED)
        one = write_notices(report, context.rule_infos(), tmp_path / "one", terms=terms, html=False)
        pool = write_notices(report, context.rule_infos(), tmp_path / "pool", terms=terms, html=False, jobs=2)
        inputs = [folder / f"{name}.xlsx" for name in ("甲", "乙", "丙", "丁", "戊")]
        with pytest.raises(UsageError, match="overwrite"):
            write_notices(report, context.rule_infos(), folder, terms=terms, html=False, jobs=2,
                          protected=[*inputs, folder / f"甲{SUFFIX}"])  # the last, while workers write
    assert [p.name for p in one] == [p.name for p in pool] and len(one) == 5
    for a, b in zip(one, pool):
        with zipfile.ZipFile(a) as first, zipfile.ZipFile(b) as second:
            assert first.namelist() == second.namelist()
            for part in first.namelist():
                assert first.read(part) == second.read(part), (a.name, part)
    assert not (folder / f"甲{SUFFIX}").exists()


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs a file that refuses writes (Linux /proc)")
def test_a_notice_that_cannot_be_written_says_which_and_leaves_nothing_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notice's path that refuses the write (here a link to /proc/version): the error names the file, and
    nothing half-done is left to complain later (python-docx's zip writer, closed over a failed stream, did)."""
    import gc

    from ledgercheck.reporters.notice_pool import write_one

    complaints: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", complaints.append)
    target = tmp_path / "甲-整改通知书.docx"
    target.symlink_to("/proc/version")
    notice = Notice(number="检字〔2026〕1号", unit="甲局", file="甲.xlsx", as_of=dt.date(2026, 1, 15), since=None,
                    packs=(("national", "2026.11"),), issued=ISSUED, deadline=dt.date(2026, 2, 14), orgs=())
    with pytest.raises(UsageError) as caught:
        write_one(notice, target)
    assert "甲-整改通知书.docx" in caught.value.describe("zh")
    del caught
    gc.collect()
    assert complaints == [] and [p.name for p in tmp_path.iterdir()] == ["甲-整改通知书.docx"]


def _row_through_python_docx(table, values, widths, centred=(), bold_first_line=(), label=False, height=None,
                             last_right=False):
    """The straightforward row: python-docx's objects, as notice_docx wrote rows before it wrote their XML."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    row = table.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for index, (cell, value, width) in enumerate(zip(row.cells, values, widths)):
        cell.width = Cm(width)
        lines = value if isinstance(value, list) else [value]
        for number, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            paragraph._p.style = "NoticeTableHead" if label and index == 0 else "NoticeTable"
            if label and index == 1:
                paragraph.paragraph_format.space_before = Pt(3)
            if index in centred:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif last_right and index == len(values) - 1 and number == len(lines) - 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(line)
            if number == 0 and index in bold_first_line and len(lines) > 1:
                run.bold = True
            if label:
                run.font.size = Pt(12)
        if index in centred or (label and index == 0):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if height is not None:
        row.height = Cm(height)


@pytest.mark.parametrize("texts", [
    ["1", "错误", ["支部委员会会议一般每月召开1次", "办公室党支部在2025年3月未召开"], "组织!A2", "第十二条", "补录"],
    ["", " 前后有空格 ", ["a\tb", "一行\n二行\r\n三行"], "a&b<c>\"'", "𠀀😀　全角", "\t"],
    ["7", "提示", ["只有一行"], "—", "—", "末尾空格 "],
])
def test_a_row_written_as_xml_is_the_row_python_docx_writes(texts: list) -> None:
    """notice_docx writes a table row's XML in one parse (python-docx's objects took half of a notice's time): it
    must be the row python-docx makes, byte for byte, for every kind of text and every kind of row."""
    from lxml import etree

    from ledgercheck.reporters.notice_docx import FONTS, ITEM_COLUMNS_CM, _row, _styled

    document = docx.Document(io.BytesIO(_styled(FONTS)))
    kinds = [dict(centred=(0, 1), bold_first_line=(2,)), dict(centred=(0, 3, 4, 5)), dict(label=True, height=3.0),
             dict(label=True, last_right=True), dict()]
    for kind in kinds:
        values = texts if not kind.get("label") else [[texts[1]], texts[2] if isinstance(texts[2], list) else [texts[2]]]
        widths = ITEM_COLUMNS_CM if not kind.get("label") else (4.2, 11.4)
        ours = document.add_table(rows=0, cols=len(widths))
        theirs = document.add_table(rows=0, cols=len(widths))
        _row(ours, values, widths, **kind)
        _row_through_python_docx(theirs, values, widths, **kind)
        assert etree.tostring(ours._tbl.tr_lst[0]) == etree.tostring(theirs._tbl.tr_lst[0]), kind


def _table_through_python_docx(document, headers, widths):
    """The straightforward table: python-docx's add_table() and settings, as notice_docx made tables before."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    table = document.add_table(rows=0 if headers is None else 1, cols=len(widths))
    table._tbl.tblStyle_val = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    if headers is not None:
        head = table.rows[0]
        properties = head._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        properties.append(OxmlElement("w:tblHeader"))
        for cell, text, width in zip(head.cells, headers, widths):
            cell.width = Cm(width)
            cell.paragraphs[0]._p.style = "NoticeTableHead"
            cell.paragraphs[0].add_run(text)
            shading = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): "EDEDED"})
            cell._tc.get_or_add_tcPr().append(shading)
    return table


@pytest.mark.parametrize("headers", [["序号", "级别", "问题", "位置", "依据", "整改要求"], ["a&b", " 空格 ", "\t", "", "𠀀", "x"],
                                     None])
def test_a_table_written_as_xml_is_the_table_python_docx_writes(headers: list[str] | None) -> None:
    """Tables are written as XML too (python-docx's add_table() then took a third of a notice): the same table,
    byte for byte, in the same place (before the body's section properties), with and without a header row."""
    from lxml import etree

    from ledgercheck.reporters.notice_docx import FONTS, ITEM_COLUMNS_CM, _styled, _table

    ours, theirs = (docx.Document(io.BytesIO(_styled(FONTS))) for _ in range(2))
    for document in (ours, theirs):
        document.add_paragraph("前")
    _table(ours, headers, ITEM_COLUMNS_CM)
    _table_through_python_docx(theirs, headers, ITEM_COLUMNS_CM)
    assert etree.tostring(ours.element.body) == etree.tostring(theirs.element.body)
