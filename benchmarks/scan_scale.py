"""What an inspector's large scan costs beyond the audits: the history, the notices, the HTML page.

    python -m benchmarks.scan_scale                 # 5,000 small units, --jobs 2 (about 6 minutes)
    python -m benchmarks.scan_scale --units 1000 --jobs 2

Each step is the real command in a fresh process on the same folder of N small units (benchmarks/units.py, copies
of 200 distinct templates), timed from start to exit:

- `scan`: the scan alone, JSON report;
- `history 1`, `history 2`: two rounds into a new history (the second with its comparison);
- `notices`: the scan with `--notices` (a .docx per unit with errors or warnings, and their printable page);
- `html`: the scan with its HTML report, whose size is printed; where Chromium and selenium are installed, how long
  the page takes to open and to draw its units table (benchmarks/html_page.py).

What to look for is that each step stays a small multiple of `scan` as N grows: writing a round, checking the
notices against the inputs and laying out the page were each once quadratic in N (docs/scan.md). This is a
measurement, not a test: the figures depend on the machine and on what else it is doing (the load is printed).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import html_page
from benchmarks.units import make_units

AS_OF = "2026-01-15"


def timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ledgercheck-scale-"))
    try:
        make_units(work / "units", args.units, templates=min(200, args.units))
        scan = [sys.executable, "-m", "ledgercheck", "scan", "units", "--jobs", str(args.jobs), "--as-of", AS_OF,
                "--no-config", "--quiet"]
        figures = [
            ("scan", timed([*scan, "--format", "json", "--output", "r.json"], work)),
            ("history 1", timed([*scan, "--format", "json", "--output", "r.json", "--history", "h.db"], work)),
            ("history 2", timed([*scan, "--format", "json", "--output", "r.json", "--history", "h.db"], work)),
            ("notices", timed([*scan, "--format", "json", "--output", "r.json", "--notices", "notices"], work)),
            ("html", timed([*scan, "--format", "html", "--output", "r.html"], work)),
        ]
        notices = len(list((work / "notices").glob("*.docx")))
        print(f"{args.units} small units, --jobs {args.jobs}; python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f}\n")
        print("| step | seconds | ÷ scan |\n|---|---:|---:|")
        for name, seconds in figures:
            print(f"| {name} | {seconds:.1f} | {seconds / figures[0][1]:.2f} |")
        print(f"\nhistory: {(work / 'h.db').stat().st_size / args.units / 2 / 1024:.1f} KB a unit a round; "
              f"notices: {notices}; HTML page: {(work / 'r.html').stat().st_size / 1e6:.1f} MB")
        if shutil.which("chromium") and shutil.which("chromedriver") and importlib.util.find_spec("selenium"):
            print("\n" + html_page.table(work / "r.html"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
