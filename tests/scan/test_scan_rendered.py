"""The scan reports in the clients their readers use: the HTML page in Chromium (1400 px, a 400 px phone, printed
to PDF) and the xlsx in LibreOffice (printed to PDF). What an inspector checks before handing them over: the
units audited in part are not on the 红黑榜 but listed apart, a phone does not squeeze the tables, the printout is
A4 with every unit's findings, and the 红黑榜 sheet is one page."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from benchmarks.units import make_units, unit_tables, write_broken
from ledgercheck.cli import main
from ledgercheck.template.writer import write_workbook
from tests.conftest import SAMPLE_AS_OF
from tests.formats import libreoffice_convert, soffice

SCORED = 22  # more than 2 × 10: a 红榜 and a 黑榜
PART_READ = "bad-date.xlsx"  # an impossible date: one cell not read, the rest audited
NO_DUES = "no-dues.xlsx"  # the 党费 sheet left out: the dues rules not judged
ABSENT = "东城区档案局机关党支部"  # on the list of units that should report, and sent nothing


def _squash(text: str) -> str:
    """Text without whitespace: a PDF breaks a table cell's text over lines wherever the column ends."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A scan of 22 fully audited units, one read in part, one without its 党费 sheet and one unreadable, as
    HTML, xlsx and JSON."""
    folder = tmp_path_factory.mktemp("rendered-units")
    make_units(folder, SCORED, templates=SCORED, seed=7)
    broken = tmp_path_factory.mktemp("broken")
    write_broken(broken)
    for name in (PART_READ, "encrypted.xlsx"):
        shutil.copyfile(broken / name, folder / name)
    tables = unit_tables(4242)
    del tables["dues"]
    write_workbook(folder / NO_DUES, tables)
    out = tmp_path_factory.mktemp("rendered-out")
    scan = ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--jobs", "2"]
    plain = json.loads(CliRunner().invoke(main, [*scan, "--format", "json"]).stdout)
    # The list of units that should report: every unit but the last, and one that sent nothing.
    *listed, unlisted = sorted(f["unit"] for f in plain["files"] if f["unit"])
    (out / "应报单位.txt").write_text("\n".join([*listed, ABSENT]) + "\n", encoding="utf-8")
    for suffix in ("html", "xlsx", "json"):
        result = CliRunner().invoke(main, [*scan, "--expected", str(out / "应报单位.txt"),
                                           "-o", str(out / f"scan.{suffix}")])
        assert result.exit_code == 2, result.output  # the unreadable file and the incomplete audits
    report = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert [u["unit"] for u in report["expected"]["not_reported"]] == [ABSENT]
    assert [u["unit"] for u in report["expected"]["unlisted"] if u["unit"]] == [unlisted]
    assert report["schema_version"] == "1.5" and report["summary"]["incomplete"] == 2
    files = {Path(f["path"]).name: f for f in report["files"]}
    incomplete = {name for name, f in files.items() if f["status"] != "unreadable" and not f["complete"]}
    assert incomplete == {PART_READ, NO_DUES}
    assert files[NO_DUES]["missing_sheets"] == ["dues"] and files[NO_DUES]["skipped_rules"]
    return {"folder": folder, "out": out, "report": report, "files": files, "unlisted": unlisted,
            "incomplete_units": {files[name]["unit"] for name in incomplete}}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None or shutil.which("chromedriver") is None,
                                    reason="Chromium or chromium-driver is not installed (CI installs Debian's)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")
    from tests.web.server import chrome

    driver = chrome(str(tmp_path_factory.mktemp("chrome")), 1400, 1000)
    try:
        yield driver
    finally:
        driver.quit()


def _ranked_units(driver: Any) -> list[str]:
    """The unit names in the 红榜 and 黑榜 tables as shown (their badges and file lines aside)."""
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('table.best tbody tr, table.worst tbody tr'))
          .map(r => r.cells[1].firstChild.textContent.trim());""")


@pytest.mark.browser  # slow: a real Chromium
@needs_chromium
def test_html_at_1400_px_ranks_only_complete_audits_and_lists_the_others_apart(scanned, browser) -> None:
    browser.set_window_size(1400, 1000)
    browser.get((scanned["out"] / "scan.html").as_uri())
    ranked = _ranked_units(browser)
    assert len(ranked) >= 20  # 红榜 and 黑榜, ten each at least (ties at the cut are listed whole)
    assert not set(ranked) & scanned["incomplete_units"]
    unranked = browser.execute_script("""
        const h = Array.from(document.querySelectorAll('h2')).find(h => h.textContent.startsWith('未参加排名'));
        const table = h.nextElementSibling.nextElementSibling.querySelector('table');
        return Array.from(table.tBodies[0].rows).map(r => r.textContent);""")
    for unit in scanned["incomplete_units"]:
        row = next(r for r in unranked if unit in r)
        assert "检查不完整" in row and re.search(r"\d+/\d+", row)  # marked, with the rules not checked
    assert any("encrypted.xlsx" in r and "无法读取" in r for r in unranked)
    # Sorting by a heading works (the inline script ran): 得分 ascending puts the lowest score first.
    scores = browser.execute_script("""
        const t = document.querySelector('table.best');
        t.tHead.rows[0].cells[2].click();
        return Array.from(t.tBodies[0].rows).map(r => Number(r.cells[2].textContent));""")
    assert scores == sorted(scores)
    # 报送情况: the unit on the list that sent nothing first, in red; the unit the list lacks next, in amber.
    roll = browser.execute_script("""
        let e = Array.from(document.querySelectorAll('h2')).find(h => h.textContent === '报送情况');
        while (!e.querySelector('table')) e = e.nextElementSibling;  // past the note and the filter box
        const table = e.querySelector('table');
        return Array.from(table.tBodies[0].rows).map(r => [r.cells[0].textContent, r.cells[2].textContent,
          getComputedStyle(r.cells[2]).color]);""")
    assert roll[0] == [ABSENT, "未报送", "rgb(192, 0, 0)"]
    assert [scanned["unlisted"], "名单外", "rgb(230, 81, 0)"] in roll[1:3]  # with the file that could not be read
    assert sum(1 for row in roll if row[1] == "已报送") == len(roll) - 3
    # The last unit with findings, far below the window when the page opened (drawn only once scrolled to): opened
    # there, its findings are on screen at their full height, where the reader looks.
    shown = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const unit = Array.from(document.querySelectorAll('details.unit')).reverse()
          .find(d => d.querySelector('table.findings tbody tr:not(.org)'));
        const below = unit.getBoundingClientRect().top > innerHeight;
        unit.open = true;
        const row = unit.querySelector('table.findings tbody tr:not(.org)');
        row.scrollIntoView({block: 'center'});
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const box = row.getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + 8, box.top + box.height / 2);
          done([below, box.height, row.contains(hit), row.cells[1].textContent]);
        }));""")
    below, height, hit, title = shown
    assert below and height >= 20 and hit and title, shown


@pytest.mark.browser  # slow: a real Chromium
@needs_chromium
def test_html_on_a_400_px_phone_scrolls_tables_instead_of_squeezing_them(scanned, browser) -> None:
    browser.set_window_size(400, 900)
    browser.get((scanned["out"] / "scan.html").as_uri())
    width = browser.execute_script("return document.documentElement.clientWidth")
    page = browser.execute_script("return document.documentElement.scrollWidth")
    assert page <= width  # the page itself never scrolls sideways
    # The units table is wider than the phone and scrolls in its own box; its 说明 column is not two characters.
    # Measured once scrolled to, as a reader sees it: what is off screen is drawn only then (content-visibility).
    box = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const t = Array.from(document.querySelectorAll('table.filterable')).pop();
        t.scrollIntoView();
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const note = Array.from(t.tBodies[0].rows).map(r => r.cells[r.cells.length - 1])
            .find(c => c.textContent.length > 20);
          done([t.parentNode.clientWidth, t.parentNode.scrollWidth, getComputedStyle(t.parentNode).overflowX,
                note.getBoundingClientRect().width]);
        }));""")
    client, scroll, overflow, note_width = box
    assert overflow == "auto" and scroll > client and note_width >= 140  # at least ten 14 px characters a line
    # The histograms are drawn no smaller than a phone can read: their labels at least 9 px high.
    label = browser.execute_script("""
        const t = document.querySelector('svg.chart text.axis');
        return t.getBoundingClientRect().height;""")
    assert label >= 9


@pytest.mark.browser  # slow: a real Chromium
@needs_chromium
def test_html_prints_on_a4_with_every_units_findings(scanned, browser, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed")
    browser.set_window_size(1400, 1000)
    # Printed with scripts off: the print style alone opens every unit (the script only adds sorting, filtering).
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get((scanned["out"] / "scan.html").as_uri())
        assert not browser.find_elements("css selector", "input.filter")  # the script did not run
        printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info  # A4, not Letter
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    report = scanned["report"]
    # The page's rows of findings stand for every finding (a rule broken by one subject in several periods is one
    # row that says how many) ...
    browser.get((scanned["out"] / "scan.html").as_uri())
    rows = browser.execute_script("""
        return Array.from(document.querySelectorAll('details.unit')).map(d => [
          d.querySelector('summary b').textContent,
          Array.from(d.querySelectorAll('table.findings tbody tr:not(.org)')).map(r => [
            Number(r.dataset.n || 1), r.cells[2].textContent, r.cells[3].textContent])]);""")
    audited = [e for e in report["files"] if e["status"] != "unreadable"]
    assert {unit: sum(n for n, _p, _w in found) for unit, found in rows} == {
        e["unit"]: len(e["findings"]) for e in audited}
    # ... and the printout has each unit, each row's periods and cell, and the title of every rule broken.
    for unit, found in rows:
        assert _squash(unit) in text
        for _n, periods, where in found:
            assert _squash(periods) in text and _squash(where) in text, (unit, periods, where)
    titles = {r["id"]: r["title"] for r in report["rules"]}
    for rule in {f["rule"] for e in audited for f in e["findings"]}:
        assert _squash(titles[rule]) in text
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > len(audited)  # each unit starts a page, after the summary's
    # After the units, a rectification notice for each unit with errors or warnings, with its receipt.
    to_rectify = [e for e in audited if e["findings_count"]["error"] + e["findings_count"]["warning"]]
    assert text.count("党建工作台账检查整改通知书") == len(to_rectify) > 0
    assert text.count("整改情况回执") == len(to_rectify)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_xlsx_ranking_sheet_prints_on_one_page_in_libreoffice(scanned, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed")
    book = load_workbook(scanned["out"] / "scan.xlsx")
    # 红榜 under a red band, 黑榜 under a dark one: not to be mistaken for each other, in colour or in grey.
    bands = {str(row[0].value)[:2]: row[0].fill.fgColor.rgb[-6:] for row in book["红黑榜"].iter_rows()
             if row[0].value and str(row[0].value).startswith(("红榜", "黑榜"))}
    assert bands == {"红榜": "C00000", "黑榜": "263238"}
    for name in [n for n in book.sheetnames if n != "红黑榜"]:
        book.remove(book[name])
    single = tmp_path / "ranking.xlsx"
    book.save(single)
    pdf = libreoffice_convert(single, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", info), info
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "红榜" in text and "黑榜" in text and "未参加排名的单位" in text
    for unit in scanned["incomplete_units"]:
        assert _squash(unit) in text  # listed, apart
