"""A real `ledgercheck serve` app under uvicorn in a background thread, for the browser tests and screenshots."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SAMPLE_AS_OF = "2026-01-15"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def running(**config: Any) -> Iterator[str]:
    """The base URL of a server running until the block ends."""
    import uvicorn

    from ledgercheck.app.config import Settings
    from ledgercheck.web.app import create_app
    from ledgercheck.web.config import ServeConfig

    port = free_port()
    app = create_app(ServeConfig(Settings(), port=port, **config))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def chrome(download_dir: str, width: int = 1400, height: int = 1000) -> Any:
    """Headless Debian chromium driven by chromium-driver (never a downloaded browser or driver)."""
    import shutil

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--lang=zh-CN", "--hide-scrollbars"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": download_dir,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or ""), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


def submit(driver: Any, base: str, *paths: Path) -> str:
    """Choose the files in the file input, set the audit date, press the button; the result page's text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/?lang=zh")
    driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    date = driver.find_element(By.NAME, "as_of")
    driver.execute_script("arguments[0].value = arguments[1]", date, SAMPLE_AS_OF)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 60).until(lambda d: "/r/" in d.current_url)
    text: str = driver.find_element(By.TAG_NAME, "body").text
    return text
