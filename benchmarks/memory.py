"""Peak memory of `ledgercheck audit` on the benchmark ledgers, the largest realistic one included.

    python -m benchmarks.memory                       # small, medium and large, JSON report to a file
    python -m benchmarks.memory --sizes large --repeat 3

Each run is the real command in a fresh process (`python -m ledgercheck audit LEDGER --format json -o …`);
its peak resident set size is read with getrusage(RUSAGE_CHILDREN) in a wrapper process that runs nothing
else, so the figure is that of the audit alone. `peak_rss(args)` measures any other command line the same
way (the speed benchmark can call it). This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.ledgers import SIZES, cached

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-15"
_WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - started
print(code, seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss(args: list[str]) -> tuple[int, float, float]:
    """(exit code, seconds, peak RSS in MB) of `python -m ledgercheck ARGS` run alone in a fresh process."""
    command = [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "ledgercheck", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    code, seconds, maxrss = int(out[0]), float(out[1]), int(out[2])
    return code, seconds, maxrss / (2**20 if sys.platform == "darwin" else 2**10)  # bytes on macOS, KiB elsewhere


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the lowest peak is reported")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ledgercheck-bench")
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()} on {platform.machine()}, peak RSS of `ledgercheck audit` "
          f"(--format json --output), best of {args.repeat}")
    print(f"{'ledger':8} {'file MB':>8} {'seconds':>8} {'peak RSS MB':>12} {'exit':>5}")
    rows = []
    for size in args.sizes:
        ledger = cached(size, args.cache)
        report = args.cache / f"{size}.json"
        runs = [peak_rss(["audit", str(ledger), "--as-of", AS_OF, "--format", "json", "--output", str(report),
                          "--no-config"]) for _ in range(args.repeat)]
        code, seconds, peak = min(runs, key=lambda r: r[2])
        rows.append({"size": size, "file_mb": ledger.stat().st_size / 2**20, "seconds": seconds, "peak_rss_mb": peak,
                     "exit": code})
        print(f"{size:8} {ledger.stat().st_size / 2**20:8.1f} {seconds:8.2f} {peak:12.0f} {code:5}")
    print(json.dumps(rows))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
