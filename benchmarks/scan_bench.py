"""Benchmark `ledgercheck scan`: files per second with 1 and 2 workers, and peak memory, as N grows.

    python -m benchmarks.scan_bench                      # N = 100, 500, 1000; --jobs 1 and 2
    python -m benchmarks.scan_bench --sizes 200 --jobs 2 --repeat 3

Each N is a folder of N files: N - 5 generated small unit workbooks (copies of 40 distinct templates)
and the 5 broken files of benchmarks/units.py (not a workbook, truncated, encrypted, no organizations
sheet, an unreadable date). Each run is the real command in a fresh process, writing the JSON report;
the benchmark checks that every file is in it. Peak memory is the maximum resident set size of the
main process and of the largest worker, and CPU time is that of the main process and of all workers
together (getrusage); CPU time per file does not depend on what else the machine is doing, wall time
does. This is a measurement, not a test: run it on an otherwise idle machine, best of a few repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.units import make_units, write_broken

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-15"
BROKEN = 5


def child(argv: list[str]) -> None:
    """Run the scan in this process and print its peak memory (the parent times the whole process)."""
    from ledgercheck.cli import main

    code = 0
    try:
        main(argv, standalone_mode=True)
    except SystemExit as exc:
        code = int(exc.code or 0)
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"exit": code, "main_kb": own.ru_maxrss, "worker_kb": workers.ru_maxrss,
                      "main_cpu": own.ru_utime + own.ru_stime, "worker_cpu": workers.ru_utime + workers.ru_stime}))


def prepare(folder: Path, count: int, pool: list[Path], broken: Path) -> None:
    folder.mkdir(parents=True)
    for index in range(count - BROKEN):
        os.link(pool[index], folder / f"unit-{index + 1:05d}.xlsx")
    for path in broken.iterdir():
        os.link(path, folder / path.name)


def measure(folder: Path, jobs: int, output: Path) -> dict[str, float]:
    argv = ["scan", str(folder), "--jobs", str(jobs), "--as-of", AS_OF, "--format", "json", "--output",
            str(output), "--quiet"]
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "benchmarks.scan_bench", "--child", json.dumps(argv)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(run.stderr)
    stats = json.loads(run.stdout.strip().splitlines()[-1])
    report = json.loads(output.read_text(encoding="utf-8"))
    files = len(report["files"])
    return {"seconds": seconds, "files": files, "accounted": files == report["summary"]["files"],
            "main_mb": stats["main_kb"] / 1024, "worker_mb": stats["worker_kb"] / 1024, "exit": stats["exit"],
            "main_cpu": stats["main_cpu"], "worker_cpu": stats["worker_cpu"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,1000", help="comma-separated numbers of files")
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is reported")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    sizes = [int(n) for n in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    with tempfile.TemporaryDirectory(prefix="ledgercheck-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        pool = make_units(work / "pool", max(sizes))
        write_broken(work / "broken")
        print(f"generated {max(sizes)} unit workbooks in {time.perf_counter() - started:.1f} s; "
              f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.2f}", flush=True)
        print("| files | --jobs | seconds | files/s | CPU ms/file workers | CPU ms/file main | peak RSS main (MB) "
              "| peak RSS worker (MB) | all files in report |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
        for count in sizes:
            folder = work / f"n{count}"
            prepare(folder, count, pool, work / "broken")
            for jobs in jobs_list:
                runs = [measure(folder, jobs, work / f"n{count}-j{jobs}.json") for _ in range(args.repeat)]
                best = min(runs, key=lambda r: r["seconds"])
                print(f"| {count} | {jobs} | {best['seconds']:.2f} | {count / best['seconds']:.0f} | "
                      f"{best['worker_cpu'] * 1000 / count:.1f} | {best['main_cpu'] * 1000 / count:.1f} | "
                      f"{max(r['main_mb'] for r in runs):.0f} | {max(r['worker_mb'] for r in runs):.0f} | "
                      f"{'yes' if all(r['accounted'] and r['files'] == count for r in runs) else 'NO'} |", flush=True)


if __name__ == "__main__":
    main()
