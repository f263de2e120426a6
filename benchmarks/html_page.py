"""How long a scan's HTML page takes to open in Chromium, and to draw its units table when scrolled to.

    python -m benchmarks.html_page r.html --repeat 3   # a page the scan wrote (benchmarks/scan_scale.py does)

The page lays out only what is on screen (CSS `content-visibility: auto` on its tables and units): the rest is
drawn when the reader scrolls to it. Each round opens the page as written and a copy with that rule switched off,
alternately in one headless Debian Chromium (1400 × 1000), and times:

- `open`: from navigation to the load event (parsing, style, the first layout, the script);
- `units table`: from scrolling the units table (各单位情况) into view to the second frame after, when it is drawn.

Medians of `--repeat` rounds. A measurement, not a test: the machine and what else runs on it move the figures.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

RULE = "content-visibility: auto"


def driver() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    chrome = webdriver.Chrome(service=Service(shutil.which("chromedriver") or ""), options=options)
    chrome.set_page_load_timeout(600)
    chrome.set_script_timeout(600)
    return chrome


def timings(chrome: Any, page: Path) -> tuple[float, float]:
    """(seconds to open, seconds to draw the units table once scrolled to)."""
    chrome.get("about:blank")
    started = time.perf_counter()
    chrome.get(page.as_uri())
    opened = time.perf_counter() - started
    drawn = chrome.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const table = Array.from(document.querySelectorAll('table.filterable')).pop();
        const started = performance.now();
        table.scrollIntoView();
        requestAnimationFrame(() => requestAnimationFrame(() => done((performance.now() - started) / 1000)));""")
    return opened, float(drawn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(table(args.page, args.repeat))


def table(page: Path, repeat: int = 3) -> str:
    """The figures as a Markdown table: the page as written and with the rule off."""
    text = page.read_text(encoding="utf-8")
    if RULE not in text:
        raise SystemExit(f"{page}: no {RULE!r} in the page's style")
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / page.name
        plain.write_text(text.replace(RULE, "content-visibility: visible", 1), encoding="utf-8")
        chrome = driver()
        try:
            found: dict[str, list[tuple[float, float]]] = {"as written": [], "every part laid out": []}
            for _ in range(repeat):
                found["as written"].append(timings(chrome, page))
                found["every part laid out"].append(timings(chrome, plain))
        finally:
            chrome.quit()
    lines = [f"{page.name}: {page.stat().st_size / 1e6:.1f} MB, median of {repeat}", "",
             "| page | open s | units table drawn s |", "|---|---:|---:|"]
    for name, runs in found.items():
        lines.append(f"| {name} | {statistics.median(r[0] for r in runs):.2f} | "
                     f"{statistics.median(r[1] for r in runs):.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
