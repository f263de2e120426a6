"""Take the web page's screenshots in docs/images from the real page (Debian's chromium through chromium-driver).

    python docs/screenshots.py

Starts `ledgercheck serve`'s app on a free port, uploads samples/violations.xlsx through the file input as a
secretary would, and saves the start page, the result page (1400 px wide and 400 px, a phone), and the mapping
page of a ledger with a column nobody could recognize.
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


def main() -> None:
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
