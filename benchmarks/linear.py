"""Linear to Excel's row limit (issue 19, target 3): the audit at 0.5×, 1×, 2×, 4× and 5× the large ledger.

    python -m benchmarks.linear                    # 3 audits per size, after one warm-up audit of each
    python -m benchmarks.linear --repeat 1 --factors 0.5,1,5

The ledgers are the large ledger's shape (benchmarks.ledgers: a 机关党委 over 党委 over branches of 50 members,
three years) with 10 branches per 党委 and 100 × the factor branches: 5× is about 1.07 million rows, its dues
sheet about 900,000 (Excel's limit is 1,048,576). They are written on first use into benchmarks/.cache/ (about
20 s per 1× of rows). Each audit is a fresh process (`python -m ledgercheck audit … --format json`), its CPU
time (all threads) and peak RSS (benchmarks/child_usage.py), with `--limit max-rows=1048576 --limit
max-cells=20971520` (Excel's row limit; the defaults, 500,000 rows and 10 million cells, refuse the dues sheet
from 4× up or read it exactly first). The target: CPU per row within 15 % of each other across the
factors (the largest ÷ the smallest median), and peak memory ≤ 1 GB at 5×. A fixed cost per process
(start-up, imports, about 0.3–0.5 s of CPU) weighs on the smallest ledger: the table also shows CPU per row
with the small benchmark ledger's audit CPU taken off, and the bare python-calamine read's CPU per row of the
same ledger (alternating with the audits): the floor is not linear either on a machine whose caches a 1 GB
working set outgrows, so the audit's spread is to be read beside the floor's. Generating and measuring everything takes about
10–15 minutes on a busy 2-core machine (most of it writing the ledgers the first time).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from benchmarks.ledgers import SIZES, Size, cached
from benchmarks.run import CACHE, ROOT, audit, bare

WITHIN = 1.15
MEMORY_MIB = 1024
# Above 2× the dues sheet has more rows than the default limit (500,000) and, from 4×, about as many cells as the
# default max-cells (10 million): every size is audited with Excel's row limit, and room for 20 columns of it.
# Near the default cell limit a sheet is read exactly before it is admitted (preflight `_filled_extent`); that
# cost is printed apart (at 4×, whose dues sheet is just within the default cell limit), not as a failure of
# linearity.
EXCEL = ["--limit", "max-rows=1048576", "--limit", "max-cells=20971520"]


def ledger(factor: float):  # type: ignore[no-untyped-def]
    """The large ledger's shape with 100 × factor branches (a name of its own in SIZES, so it is cached)."""
    if factor == 1:
        return cached("large", CACHE)
    branches = round(100 * factor)
    name = f"large-x{factor:g}"
    SIZES[name] = Size(name, branches // 10, branches, 50)
    return cached(name, CACHE)


def rows_of(path) -> int:  # type: ignore[no-untyped-def]
    return int(subprocess.run([sys.executable, "-m", "benchmarks.bare_read", str(path)], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", default="0.5,1,2,4,5", help="comma-separated multiples of the large ledger")
    parser.add_argument("--repeat", type=int, default=3, help="audits per size (the median is reported)")
    args = parser.parse_args()
    factors = [float(f) for f in args.factors.split(",")]
    started = time.perf_counter()
    fixed = statistics.median(audit(cached("small", CACHE), ROOT, EXCEL).cpu for _ in range(3))
    rows: list[tuple[float, int, float, float, float]] = []
    for factor in factors:
        path = ledger(factor)
        count = rows_of(path)
        audit(path, ROOT, EXCEL)  # warm-up: the page cache, compiled bytecode
        runs, floors = [], []
        for _ in range(args.repeat):  # alternating, so that a busy minute slows both alike
            runs.append(audit(path, ROOT, EXCEL))
            floors.append(bare(path))
        cpu = statistics.median(r.cpu for r in runs)
        peak = max(r.peak_mib for r in runs)
        rows.append((factor, count, cpu, peak, statistics.median(r.cpu for r in floors)))
        print(f"{factor:g}×: {count:,} rows, {cpu:.2f} s CPU, {peak:.0f} MiB "
              f"({time.perf_counter() - started:.0f} s so far)", file=sys.stderr, flush=True)
    print(f"\nmedian of {args.repeat} audits per size; a small audit's CPU (the fixed cost): {fixed:.2f} s\n")
    print("| × large | rows | CPU s | µs per row | µs per row, fixed cost off | peak MiB | bare read µs per row |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    per_row, floor_per_row = [], []
    for factor, count, cpu, peak, floor in rows:
        per_row.append(cpu / count * 1e6)
        floor_per_row.append(floor / count * 1e6)
        print(f"| {factor:g} | {count:,} | {cpu:.2f} | {cpu / count * 1e6:.2f} | {(cpu - fixed) / count * 1e6:.2f} "
              f"| {peak:.0f} | {floor / count * 1e6:.2f} |")
    spread = max(per_row) / min(per_row)
    largest = max(rows)[3]
    met = [spread <= WITHIN, largest <= MEMORY_MIB]
    print(f"\nCPU per row, largest ÷ smallest: {spread:.3f} (target ≤ {WITHIN}): {'met' if met[0] else 'missed'}; "
          f"the bare python-calamine read's own: {max(floor_per_row) / min(floor_per_row):.3f}")
    print(f"peak memory at {max(factors):g}×: {largest:.0f} MiB (target ≤ {MEMORY_MIB}): "
          f"{'met' if met[1] else 'missed'}")
    if 4 in factors:
        near = statistics.median(audit(ledger(4), ROOT, EXCEL[:2]).cpu for _ in range(args.repeat))
        within = next(cpu for factor, _count, cpu, _peak, _floor in rows if factor == 4)
        print(f"4× with the default max-cells (its dues sheet is read exactly before it is admitted): {near:.2f} s "
              f"CPU, +{near - within:.2f} s ({near / within:.2f}×)")
    print(f"({time.perf_counter() - started:.0f} s in all)")
    sys.exit(0 if all(met) else 1)


if __name__ == "__main__":
    main()
