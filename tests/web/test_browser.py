"""The web page in a real browser (Debian's chromium through chromium-driver): upload through the file input, the
same findings as the command line, the downloads, the mapping correction, and a phone-width page."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.ledgers import VIOLATIONS
from tests.web.conftest import cli_json, shown_messages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                       reason="Chromium is not installed (CI installs Debian's chromium package)"),
    pytest.mark.skipif(shutil.which("chromedriver") is None,
                       reason="chromium-driver is not installed (CI installs Debian's chromium-driver package)"),
]
selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from tests.web.server import chrome, running, submit  # noqa: E402


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(downloads: Path) -> Iterator[Any]:
    browser = chrome(str(downloads))
    yield browser
    browser.quit()


def downloaded(folder: Path, suffix: str, before: set[Path]) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new = [p for p in folder.iterdir() if p not in before and p.suffix == suffix]
        if new:
            return new[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded")


def test_upload_shows_the_command_lines_findings_and_the_downloads_open(base: str, driver: Any,
                                                                       downloads: Path) -> None:
    text = submit(driver, base, VIOLATIONS)
    expected = cli_json(VIOLATIONS)
    missing = [message for message in shown_messages(expected) if message not in text]
    assert missing == []
    assert f"错误{expected['summary']['error']}条" in text
    before = set(downloads.iterdir())
    driver.find_element(By.PARTIAL_LINK_TEXT, "标注了问题的台账副本").click()
    copy = downloaded(downloads, ".xlsx", before)
    book = load_workbook(copy)
    assert book.sheetnames[0] == "检查结果" and book["检查结果"].max_row > len(expected["findings"])
    driver.get(f"{base}/")
    before = set(downloads.iterdir())
    driver.find_element(By.PARTIAL_LINK_TEXT, "下载空白台账模板").click()
    template = downloaded(downloads, ".xlsx", before)
    assert {"组织", "党员", "组织生活", "党费"} <= set(load_workbook(template).sheetnames)


def test_the_mapping_page_corrects_a_column_and_the_rerun_finds_its_violation(base: str, driver: Any,
                                                                              tmp_path: Path) -> None:
    ledger = tmp_path / "renamed.xlsx"
    book = load_workbook(VIOLATIONS)
    book["组织生活"]["K1"] = "第11栏"
    book.save(ledger)
    expected = [f["message"] for f in cli_json(VIOLATIONS)["findings"] if f["rule"]["id"] == "REC-MEETING-COMPLETE"]
    text = submit(driver, base, ledger)
    assert expected and not any(message in text for message in expected)
    driver.find_element(By.LINK_TEXT, "台账识别情况").click()
    select = driver.find_element(By.CSS_SELECTOR, "select[aria-label*='第11栏']")
    Select(select).select_by_value("topic")
    first = driver.current_url
    driver.find_element(By.XPATH, "//button[contains(., '按修改重新检查')]").click()
    WebDriverWait(driver, 60).until(lambda d: "/r/" in d.current_url and d.current_url != first
                                    and "/mapping" not in d.current_url)
    text = driver.find_element(By.TAG_NAME, "body").text
    assert all(message in text for message in expected)


def test_the_result_page_fits_a_phone(base: str, driver: Any) -> None:
    driver.set_window_size(400, 900)
    try:
        submit(driver, base, VIOLATIONS)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        view = driver.execute_script("return window.innerWidth")
        assert view == 400 and width <= view, (width, view)  # wide tables scroll inside their box, the page does not
    finally:
        driver.set_window_size(1400, 1000)
