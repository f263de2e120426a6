"""Take the screenshots in docs/images from the real programs.

    python docs/screenshots.py            # all
    python docs/screenshots.py annotated  # only the marked-up copy's

- The web page (Debian's chromium through chromium-driver): starts `ledgercheck serve`'s app on a free port,
  uploads samples/violations.xlsx through the file input as a secretary would, and saves the start page, the
  result page (1400 px wide and 400 px, a phone), and the mapping page of a ledger with a column nobody could
  recognize.
- The marked-up copy (`audit --annotate`) as LibreOffice prints it: its 检查结果 sheet, and the 组织 sheet
  with its marked cells and comments.
- The scan's HTML report (docs/scan-report.png): `ledgercheck scan` of 300 generated units and the broken files
  of benchmarks/units.py, at 1280 px, its first 2000 pixels.

    python docs/screenshots.py scan       # only the scan report's
"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"


def full_page(driver: object, path: Path, width: int, height: int | None = None) -> None:
    """A screenshot of the whole page (or its first `height` pixels) at `width` CSS pixels."""
    page_height = driver.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {  # type: ignore[attr-defined]
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(page_height, height or page_height), "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))
    print(f"wrote {path.relative_to(ROOT)}")


def annotated() -> None:
    """The marked-up copy of the sample, printed to PDF by LibreOffice and cut to its first page."""
    import subprocess

    from openpyxl import load_workbook
    from PIL import Image, ImageChops

    sys.path.insert(0, str(ROOT))
    from tests.formats import libreoffice_convert

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        copy = folder / "violations-annotated.xlsx"
        subprocess.run([sys.executable, "-m", "ledgercheck", "audit", "samples/violations.xlsx", "--as-of",
                        "2026-01-15", "--annotate", str(copy)], cwd=ROOT, capture_output=True, check=False)
        for sheet, image in (("检查结果", "annotated-findings.png"), ("组织", "annotated-orgs.png")):
            book = load_workbook(copy)
            for other in [name for name in book.sheetnames if name != sheet]:
                book.remove(book[other])
            single = folder / f"{image}.xlsx"
            book.save(single)
            pdf = libreoffice_convert(single, 'pdf:calc_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                                      folder / "pdf")
            subprocess.run(["pdftoppm", "-r", "110", "-f", "1", "-l", "1", "-png", str(pdf), str(folder / image)],
                           check=True)
            page = Image.open(next(folder.glob(f"{image}*.png"))).convert("RGB")
            box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
            (page.crop((max(0, box[0] - 20), max(0, box[1] - 20), min(page.width, box[2] + 20),
                        min(page.height, box[3] + 20))) if box else page).save(IMAGES / image)
            print(f"wrote docs/images/{image}")


def scan_report() -> None:
    """The scan report of 300 generated units and 5 broken files, as Chromium shows it at 1280 px."""
    import subprocess

    sys.path.insert(0, str(ROOT))
    from benchmarks.units import make_units, write_broken
    from tests.web.server import chrome

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "units"
        make_units(folder, 300)
        write_broken(folder / "broken")
        page = Path(scratch) / "scan.html"
        subprocess.run([sys.executable, "-m", "ledgercheck", "scan", str(folder), "--as-of", "2026-01-15", "--quiet",
                        "-o", str(page)], cwd=ROOT, capture_output=True, check=False)
        driver = chrome(scratch, 1280, 1000)
        try:
            driver.get(page.as_uri())
            full_page(driver, ROOT / "docs" / "scan-report.png", 1280, 2000)
        finally:
            driver.quit()


def main() -> None:
    if sys.argv[1:] == ["annotated"]:
        annotated()
        return
    if sys.argv[1:] == ["scan"]:
        scan_report()
        return
    annotated()
    scan_report()
    sys.path.insert(0, str(ROOT))
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By

    from tests.web.server import chrome, running, submit

    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, running(workers=2) as base:
        driver = chrome(scratch, 1400, 1000)
        try:
            driver.get(f"{base}/?lang=zh")
            full_page(driver, IMAGES / "web-start.png", 1400, 1000)
            submit(driver, base, ROOT / "samples" / "violations.xlsx")
            full_page(driver, IMAGES / "web-result.png", 1400, 2200)
            driver.set_window_size(400, 900)
            driver.refresh()
            full_page(driver, IMAGES / "web-result-phone.png", 400, 2400)
            driver.set_window_size(1400, 1000)
            ledger = Path(scratch) / "台账.xlsx"
            book = load_workbook(ROOT / "samples" / "violations.xlsx")
            book["组织生活"]["K1"] = "第11栏"
            book.save(ledger)
            submit(driver, base, ledger)
            driver.find_element(By.LINK_TEXT, "台账识别情况").click()
            target = driver.find_element(By.CSS_SELECTOR, "select[aria-label*='第11栏']")
            driver.execute_script("arguments[0].closest('section').scrollIntoView()", target)
            section = driver.execute_script("return arguments[0].closest('section').getBoundingClientRect().top "
                                            "+ window.scrollY", target)
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": max(0, section - 8), "width": 1400, "height": 760, "scale": 1}})
            (IMAGES / "web-mapping.png").write_bytes(base64.b64decode(shot["data"]))
            print("wrote docs/images/web-mapping.png")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
