"""The xlsx and HTML scan reports: sheets, filters, native charts, escaping, and a real browser's rendering."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from benchmarks.units import unit_tables
from ledgercheck.cli import main
from ledgercheck.reporters.scan import svg
from ledgercheck.template.writer import write_workbook
from tests.conftest import SAMPLE_AS_OF, SAMPLES

HOSTILE_NAME = "@SUM(1+1)*cmd|' /C calc'!A0机关党总支"  # formula-like text (openpyxl writes it as text)
SCRIPT_NAME = "<script>alert(1)</script>党支部"


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory, units_dir: Path) -> Path:
    """Samples, a few generated units, a broken file, and a unit whose names are formulas and markup."""
    folder = tmp_path_factory.mktemp("report-units")
    for name in ("clean.xlsx", "violations.xlsx"):
        shutil.copyfile(SAMPLES / name, folder / name)
    for name in ("unit-00001.xlsx", "unit-00002.xlsx", "broken/encrypted.xlsx", "broken/bad-date.xlsx"):
        shutil.copyfile(units_dir / name, folder / Path(name).name)
    tables = unit_tables(3)
    assert len(tables["orgs"]) > 2  # a general branch over branches
    tables["orgs"][0]["name"] = HOSTILE_NAME
    tables["orgs"][1]["name"] = SCRIPT_NAME
    write_workbook(folder / "hostile.xlsx", tables)
    return folder


def run_scan(folder: Path, output: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--output",
                                       str(output), *extra])
    assert result.exit_code == 2, result.output  # the encrypted file
    assert output.exists()


@pytest.fixture(scope="module")
def xlsx_report(report_dir: Path, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("xlsx") / "scan.xlsx"
    run_scan(report_dir, output)
    return output


@pytest.fixture(scope="module")
def html_report(report_dir: Path, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("html") / "scan.html"
    run_scan(report_dir, output)
    return output


def test_xlsx_has_the_sheets_with_chinese_headers(xlsx_report: Path) -> None:
    book = openpyxl.load_workbook(xlsx_report)
    assert book.sheetnames == ["汇总", "规则", "红黑榜", "单位", "组织", "问题"]
    units = book["单位"]
    # What an inspector looks for first (得分, 排名) stands beside the unit's name; the file comes last.
    header = [c.value for c in units[1]]
    assert header[:4] == ["单位", "得分", "排名", "状态"] and header[-2:] == ["说明", "文件"]
    rows = list(units.iter_rows(min_row=2, values_only=True))
    assert {Path(r[-1]).name for r in rows} == {"clean.xlsx", "violations.xlsx", "unit-00001.xlsx", "unit-00002.xlsx",
                                     "encrypted.xlsx", "hostile.xlsx", "bad-date.xlsx"}
    encrypted = next(r for r in rows if r[-1].endswith("encrypted.xlsx"))
    assert encrypted[3] == "无法读取" and "已加密" in encrypted[-2] and encrypted[1] is None and encrypted[2] is None
    rules = book["规则"]
    assert [rules.cell(1, col).value for col in (1, 2, 3)] == ["类别", "规则", "达标率"]
    committee = next(r for r in rules.iter_rows(min_row=2, values_only=True) if r[7] == "MEET-COMMITTEE-MONTHLY")
    assert 0 < committee[2] < 1 and rules.cell(2, 3).number_format == "0.0%"


def test_xlsx_findings_sheet_has_a_filter_and_frozen_header(xlsx_report: Path) -> None:
    book = openpyxl.load_workbook(xlsx_report)
    findings = book["问题"]
    assert findings.freeze_panes == "A2"
    assert findings.auto_filter.ref == f"A1:I{findings.max_row}"
    assert findings.max_row > 21  # violations alone has 21 findings
    assert [c.value for c in findings[1]] == ["单位", "文件", "组织编号", "组织", "级别", "规则编号", "期间", "位置",
                                              "问题说明"]
    for name in ("组织", "规则"):
        assert book[name].auto_filter.ref and book[name].freeze_panes == "A2"
    assert book["单位"].auto_filter.ref and book["单位"].freeze_panes == "B2"  # the unit's name stays in view


def test_xlsx_has_native_charts_of_compliance(xlsx_report: Path) -> None:
    book = openpyxl.load_workbook(xlsx_report)
    assert len(book["汇总"]._charts) == 3
    with zipfile.ZipFile(xlsx_report) as archive:
        charts = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == 3
        compliance = archive.read(charts[0]).decode("utf-8")
    assert "<c:barChart>" in compliance and "<c:barDir val=\"bar\"/>" in compliance
    references = re.findall(r"<c:f>([^<]*)</c:f>", compliance)
    last = book["规则"].max_row  # a row per rule below the header
    assert last > 2 and references == [f"规则!$B$2:$B${last}", f"规则!$C$2:$C${last}"]  # rule titles, rates


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:].upper() if cell.fill and cell.fill.fill_type == "solid" else ""


def test_xlsx_marks_units_audited_in_part_and_keeps_them_off_the_ranking(xlsx_report: Path) -> None:
    book = openpyxl.load_workbook(xlsx_report)
    units = book["单位"]
    rows = {Path(r[-1].value).name: r for r in units.iter_rows(min_row=2)}
    part, unreadable, whole = rows["bad-date.xlsx"], rows["encrypted.xlsx"], rows["clean.xlsx"]
    assert part[3].value == "有无法读取的单元格" and part[1].value is None and part[2].value is None  # 得分, 排名
    assert re.fullmatch(r"\d+/\d+", part[10].value) and "无法读取" in part[12].value  # 未检查规则, 说明
    assert _fill(part[0]) == "FFE0B2" and _fill(unreadable[0]) == "FFCDD2" and _fill(whole[0]) == ""  # amber, red
    ranking = book["红黑榜"]
    text = [[c.value for c in row] for row in ranking.iter_rows()]
    start = next(i for i, row in enumerate(text) if row[0] and str(row[0]).startswith("未参加排名"))
    ranked_names = {row[1] for row in text[:start] if row[1]}
    part_unit = part[0].value
    assert part_unit not in ranked_names and any(row[1] == part_unit for row in text[start:])
    assert any(row[1] and str(row[1]).endswith("encrypted.xlsx") for row in text[start:])


def test_xlsx_layout_an_inspector_can_read_and_print(xlsx_report: Path) -> None:
    book = openpyxl.load_workbook(xlsx_report)
    summary = book["汇总"]
    assert summary.row_dimensions[1].height >= 24  # the 16 pt title is not clipped
    # The charts stand beside the small tables and end before 1,400 px: a 1600 px screen shows them whole.
    def pixels(col: int, offset: int) -> float:
        dims = [summary.column_dimensions.get(openpyxl.utils.get_column_letter(c + 1)) for c in range(col)]
        return sum(int(d.width * 7 + 5) if d else 64 for d in dims) + offset / 9525  # Excel's pixels

    edges = [(pixels(c.anchor._from.col, c.anchor._from.colOff), pixels(c.anchor.to.col, c.anchor.to.colOff))
             for c in summary._charts]
    assert len(edges) == 3 and all(200 <= left and right <= 1400 for left, right in edges), edges
    ranking = book["红黑榜"]
    setup = ranking.page_setup
    assert ranking.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1, setup.fitToHeight or 1) == (1, 1)  # 1 is the default
    assert setup.paperSize == 9  # A4
    # Too few units here for a 红榜 and a 黑榜 (test_scan_rendered has them): one ranking, then those not ranked.
    [ranked, unranked] = [row[0] for row in ranking.iter_rows()
                          if row[0].value and str(row[0].value).startswith(("单位得分排名", "未参加排名"))]
    assert ranked.font.color.rgb[-6:] == "C00000" and unranked.font.color.rgb[-6:] == "E65100"
    rules = book["规则"]
    formats = rules.conditional_formatting
    colours = {rule.dxf.fill.bgColor.rgb[-6:] for cf in formats for rule in cf.rules if rule.dxf and rule.dxf.fill}
    assert {"C8E6C9", "FFE0B2", "FFCDD2"} <= colours  # green, amber, red by value
    assert all(str(cf.sqref).startswith("C2:C") for cf in formats)
    rates = [r[2] for r in rules.iter_rows(min_row=2, values_only=True)]
    categories = [r[0] for r in rules.iter_rows(min_row=2, values_only=True)]
    for category in dict.fromkeys(categories):  # worst first within each category; unjudged rules last
        within = [rate for rate, c in zip(rates, categories) if c == category]
        judged = [rate for rate in within if rate is not None]
        assert judged == sorted(judged) and within[:len(judged)] == judged
    units = book["单位"]
    # 得分 and 排名 are narrow columns right of the unit's name: they show on any screen without scrolling.
    widths = {i: d.width for d in units.column_dimensions.values() for i in range(d.min, d.max + 1)}
    assert widths[1] <= 34 and widths[2] <= 10 and widths[3] <= 10


def test_xlsx_never_turns_ledger_text_into_formulas(xlsx_report: Path) -> None:
    book = openpyxl.load_workbook(xlsx_report)
    cells = [c for row in book["组织"].iter_rows(min_row=2) for c in row if c.value == HOSTILE_NAME]
    assert cells, "the hostile organization name is missing"
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(xlsx_report) as archive:
        sheets = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in sheet for sheet in sheets)


def test_html_is_self_contained_and_escaped(html_report: Path) -> None:
    page = html_report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    # One inline script (sorting, filtering); nothing loaded from anywhere.
    assert page.count("<script>") == 1 and page.count("<script") == 1
    assert not re.search(r"<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=|fetch\(|XMLHttpRequest", page,
                         re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;党支部" in page and SCRIPT_NAME not in page
    assert "Noto Sans CJK SC" in page and "Microsoft YaHei" in page
    # Compliance by rule as HTML bars (they reflow on a phone), the two histograms as SVG.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert page.count('<div class="rate">') > 21  # one bar per rule
    for heading in ("各项规定达标率", "单位得分分布", "党支部规模分布", "各单位情况", "encrypted.xlsx", "已加密"):
        assert heading in page


def test_svg_bars_are_as_long_as_the_rates() -> None:
    chart = svg.rate_bars([("甲", 1.0, "100%"), ("乙", 0.5, "50%"), ("丙", None, "—")], "达标率", label_width=100,
                          width=330)
    widths = [float(w) for w in re.findall(r'class="bar" x="100" y="[\d.]+" width="([\d.]+)"', chart)]
    assert widths == [100.0, 50.0]  # plot width 330 - 100 - 130; no bar for a rule nobody was judged on


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(tmp_path)})


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium package)")
def test_html_renders_charts_in_a_real_browser(html_report: Path, tmp_path: Path) -> None:
    from PIL import Image

    dom = chromium("--dump-dom", html_report.as_uri(), tmp_path=tmp_path)
    assert dom.returncode == 0, dom.stderr
    assert dom.stdout.count('class="bar ') >= 21 and "各项规定达标率" in dom.stdout
    png = tmp_path / "scan.png"
    # Tall enough for the compliance bars of every rule and the histograms below them.
    shot = chromium(f"--screenshot={png}", "--window-size=1280,4000", html_report.as_uri(), tmp_path=tmp_path)
    assert shot.returncode == 0 and png.exists(), shot.stderr
    image = Image.open(png).convert("RGB")
    assert image.size == (1280, 4000)
    colors = image.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50  # not a blank page
    counts = {rgb: n for n, rgb in colors}

    def pixels(hex_color: str) -> int:
        return counts.get(tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5)), 0)

    # The compliance bars and the histograms are drawn in their solid colours.
    assert pixels(svg.GREEN) + pixels(svg.AMBER) + pixels(svg.RED) > 20_000
    assert pixels(svg.BLUE) > 2_000
    dark = sum(n for n, (r, g, b) in colors if r + g + b < 200)
    assert dark > 5_000  # text was drawn (labels, tables)


def test_svg_labels_fit_their_column_and_long_ones_are_shortened() -> None:
    labels = ["正式党员7人以上的党支部应设立支部委员会", "短"]
    chart = svg.rate_bars([(label, 0.5, "50%") for label in labels], "达标率")
    assert all(f">{label}</text>" in chart for label in labels)  # the longest label sets the column width
    narrow = svg.rate_bars([(labels[0], 0.5, "50%")], "达标率", max_label_width=100)
    assert f">{labels[0]}</text>" not in narrow and "…</text>" in narrow  # the tooltip keeps the full text


def test_html_carries_a_bounded_number_of_notices_and_says_where_the_rest_are(
        report_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each notice repeats its unit's findings: the page of a scan of thousands keeps the first notices and says
    how many there are and how to have them all (5,000 units made a page of 37 MB that took a browser 13 s)."""
    from ledgercheck.reporters.scan import html_

    full = tmp_path / "full.html"
    run_scan(report_dir, full)
    notices = full.read_text(encoding="utf-8").count("整改情况回执")
    assert notices >= 3
    monkeypatch.setattr(html_, "NOTICES_LIMIT", 2)
    bounded = tmp_path / "bounded.html"
    run_scan(report_dir, bounded)
    page = bounded.read_text(encoding="utf-8")
    assert page.count("整改情况回执") == 2
    assert f"整改通知书共 {notices} 份，本页只附前 2 份" in page and "--notices" in page
