"""Scan throughput: files per second for small and realistic unit workbooks, 1 and 2 workers, the local process pool
and a Dask LocalCluster.

    python -m benchmarks.scan_units                       # 400 small, 200 realistic units; --jobs 1, 2; 2 rounds
    python -m benchmarks.scan_units --small 1000 --realistic 400 --repeat 3 --executors local,dask --jobs 1,2
    python -m benchmarks.scan_units --write OUT_DIR 200   # only write 200 realistic units into OUT_DIR
    python -m benchmarks.scan_units --small 0 --realistic 0 --excel 200   # the realistic units as Excel saves them

Two kinds of unit. The small units of benchmarks/units.py (a branch or a general branch, 5–30 members, a year) are
what an inspector collects by the hundred from small offices. The realistic unit is the issue's "five-branch unit
ledger": a 机关党委 over five branches of 20 members (two Party groups in every other branch), 2024 and 2025 of
committee meetings, theme days, Party-group meetings, assemblies, lectures, organizational life and heart-to-heart
talks, monthly dues with a yearly raise, training hours per year, elections and member development, audited as of
2026-01-15. Like a real ledger it is mostly compliant, with a few violations planted (benchmarks/ledgers.py
`plant`). It is built with benchmarks/ledgers.py's builder and written in the canonical layout by the template
writer with a title row, as units.py writes the small units: 6 organizations, 100 members, 512 meetings, 2,326 dues
rows, a 130 KB workbook. Both folders are copies of a few distinct templates (40 small, 4 realistic). Both are
written with openpyxl's write-only mode, every text in its cell (`t="inlineStr"`), as some systems' exports are;
`--excel N` adds N realistic units re-saved as Excel and WPS save a workbook (texts in the shared table, the same
cells and findings: benchmarks/worker_cpu.py `excel_copy`), the shape of a ledger a secretary kept in Excel.

Each measurement is the real command in a fresh process, `python -m ledgercheck scan FOLDER --jobs J --executor E
--as-of 2026-01-15 --no-config --format json --output FILE --quiet`, timed from start to exit; CPU time is the
scan's and its worker processes' (benchmarks/child_usage.py). Besides the end-to-end rate (files ÷ seconds), the same scan of one
file gives the start-up (interpreter, rules, pool or cluster) and the rate after start-up, (N − 1) ÷ (t_N − t_1),
which is what a scan of thousands of files approaches. The JSON report of every run must be byte for byte the one
the local pool wrote for the same folder. This is a measurement, not a test: the figures depend on the machine and
on what else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import child_usage
from benchmarks.ledgers import POSTS, _Builder
from benchmarks.units import make_units
from ledgercheck.template.writer import Style, write_workbook

YEARS = (2024, 2025)
BRANCHES = 5
MEMBERS_PER_BRANCH = 20
TEMPLATES = 4


class _TwoYears(_Builder):
    """benchmarks/ledgers.py's builder for `YEARS`, with the realistic unit's branches (named, every member's ID
    on the dues rows, each admission at a branch assembly)."""

    def branch(self, index: int, parent: str | None, size: int) -> list[dict[str, Any]]:
        rng = self.rng
        org_id = f"B{index:02d}"
        groups: list[str | None] = ["第一党小组", "第二党小组"] if index % 2 == 0 else [None]
        members = []
        for position in range(size):
            post = POSTS[position] if position < len(POSTS) else None
            probationary = position == size - 1
            retired = not post and not probationary and position % 9 == 8
            members.append(self.member(org_id, groups[position % len(groups)], post, probationary, retired))
        elected = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 500))
        full = sum(1 for m in members if m["member_kind"] == "正式党员")
        self.org(org_id, BRANCH_NAMES[index - 1], "党支部", parent, len(POSTS), members[0]["name"], elected, full)
        self.meetings(org_id, members, groups)
        for member in members:
            self.dues(member, with_id=True)
            for year in self.years:
                if member["joined_on"].year <= year:
                    hours = 60 if member["party_post"] else rng.randint(34, 48)
                    self.tables["training"].append({"name": member["name"], "year": year, "hours": hours})
        sponsors = [m["name"] for m in members[5:7]]
        for member in members:
            if member["member_kind"] == "预备党员":
                self.recruit(member, sponsors)
                # Admitted by the branch assembly of that day (支部工作条例 第十一条).
                self.meeting(org_id, "支部党员大会", member["joined_on"], members, members[0]["name"])
        return members

    def dues(self, member: dict[str, Any], with_id: bool) -> None:
        """As the base builder's, but the month a date cell, as Excel stores a typed 2025-03."""
        from samples.generate import dues_rate

        kind = member["person_kind"]
        joined = member["joined_on"]
        base = float(self.rng.randrange(3200, 6000, 100) if kind == "离退休" else self.rng.randrange(4500, 14000, 100))
        for year in self.years:
            due = round(base * dues_rate(kind, base), 2)
            for month in range(1, 13):
                if (year, month) < (joined.year, joined.month):
                    continue
                self.tables["dues"].append({
                    "name": member["name"], "id_number": member["id_number"] if with_id else None,
                    "org_id": member["org_id"], "month": dt.date(year, month, 1), "base": base, "due": due,
                    "paid": due, "paid_on": dt.date(year, month, self.rng.randint(3, 25))})
            base += 300.0


BRANCH_NAMES = ("办公室党支部", "综合业务处党支部", "政策法规处党支部", "财务处党支部", "信息中心党支部")


def unit_tables(seed: int) -> dict[str, list[dict[str, Any]]]:
    """The rows of one five-branch unit, keyed by the layout's field keys."""
    builder = _TwoYears(seed, YEARS)
    secretary = ""
    for index in range(1, BRANCHES + 1):
        members = builder.branch(index, "D01", MEMBERS_PER_BRANCH)
        secretary = secretary or members[0]["name"]
    builder.org("D01", "某局机关党委", "机关党委", None, 7, secretary, dt.date(2023, 9, 16),
                BRANCHES * MEMBERS_PER_BRANCH)
    orgs = builder.tables["orgs"]
    orgs.insert(0, orgs.pop())  # the top organization first, as people write
    builder.plant(BRANCHES * 2)  # about one violation of each planted kind
    return builder.tables


def write_unit(path: Path, seed: int) -> Path:
    return write_workbook(path, unit_tables(seed), Style(), title="党建工作台账")


def write_excel_unit(path: Path, seed: int) -> Path:
    from benchmarks.worker_cpu import excel_copy

    written = write_unit(path.with_name(f"{path.stem}-written.xlsx"), seed)
    excel_copy(written, path)
    written.unlink()
    return path


def make_excel(folder: Path, count: int, templates: int = TEMPLATES, seed: int = 1) -> list[Path]:
    """`count` five-branch units as Excel saves them, copied round-robin from a few templates."""
    return make_units(folder, count, templates, seed, write=write_excel_unit)


def make_realistic(folder: Path, count: int, templates: int = TEMPLATES, seed: int = 1) -> list[Path]:
    """`count` five-branch unit workbooks named unit-00001.xlsx …, copied round-robin from a few templates."""
    return make_units(folder, count, templates, seed, write=write_unit)


ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-15"


@dataclass
class Run:
    seconds: float
    cpu: float  # the scan's and its workers' (those it waited for)
    report: bytes


def scan(folder: Path, jobs: int, executor: str, output: Path) -> Run:
    argv = [sys.executable, "-m", "ledgercheck", "scan", str(folder), "--jobs", str(jobs), "--executor", executor,
            "--as-of", AS_OF, "--no-config", "--format", "json", "--output", str(output), "--quiet"]
    with tempfile.TemporaryFile() as err:
        usage = child_usage.measure(argv, cwd=ROOT, stderr=err)
        err.seek(0)
        stderr = err.read()
    if usage.status not in (0, 1):  # 1: findings
        raise SystemExit(f"{' '.join(argv)} failed ({usage.status}):\n{stderr.decode(errors='replace')}")
    return Run(usage.seconds, usage.cpu, output.read_bytes())


@dataclass
class Row:
    kind: str
    files: int
    executor: str
    jobs: int
    one: Run  # a scan of one file
    many: Run  # the best of the scans of all files
    identical: bool  # every run's JSON is the local pool's

    @property
    def rate(self) -> float:
        return self.files / self.many.seconds

    @property
    def steady(self) -> float:
        return (self.files - 1) / max(self.many.seconds - self.one.seconds, 1e-6)

    @property
    def cpu_ms(self) -> float:
        return (self.many.cpu - self.one.cpu) * 1000 / (self.files - 1)


def measure(folders: dict[str, tuple[Path, Path]], executors: list[str], jobs_list: list[int], repeat: int,
            work: Path) -> list[Row]:
    """Every configuration once per round, round after round, so that a busy minute slows all of them alike and
    the best of the rounds is each one's quietest; a configuration's one-file scans alternate with its full ones."""
    configs = [(kind, executor, jobs) for kind in folders for executor in executors for jobs in jobs_list]
    ones: dict[tuple[str, str, int], list[Run]] = {config: [] for config in configs}
    manys: dict[tuple[str, str, int], list[Run]] = {config: [] for config in configs}
    for round_ in range(repeat):
        for config in configs:
            kind, executor, jobs = config
            folder, single = folders[kind]
            ones[config].append(scan(single, jobs, executor, work / "one.json"))
            manys[config].append(scan(folder, jobs, executor, work / f"{kind}-{executor}-{jobs}.json"))
            print(f"round {round_ + 1}: {kind} {executor} --jobs {jobs}: "
                  f"{manys[config][-1].seconds:.1f} s", file=sys.stderr, flush=True)
    rows = []
    for config in configs:
        kind, executor, jobs = config
        folder, _single = folders[kind]
        reference = manys[(kind, "local", jobs_list[0])][0].report if "local" in executors \
            else scan(folder, 1, "local", work / "reference.json").report
        files = sum(1 for path in folder.iterdir() if path.suffix == ".xlsx")
        rows.append(Row(kind, files, executor, jobs, min(ones[config], key=lambda run: run.seconds),
                        min(manys[config], key=lambda run: run.seconds),
                        all(run.report == reference for run in manys[config])))
    return rows


def table(rows: list[Row]) -> str:
    lines = ["| unit | files | executor | workers | seconds | files/s | start-up s | files/s after start-up "
             "| CPU ms per file | JSON = local pool's |", "|---|---:|---|---:|---:|---:|---:|---:|---:|:---:|"]
    for r in rows:
        lines.append(f"| {r.kind} | {r.files} | {r.executor} | {r.jobs} | {r.many.seconds:.2f} | {r.rate:.1f} "
                     f"| {r.one.seconds:.2f} | {r.steady:.1f} | {r.cpu_ms:.0f} | {'yes' if r.identical else 'NO'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=400, help="small unit workbooks (0: none)")
    parser.add_argument("--realistic", type=int, default=200, help="five-branch unit workbooks (0: none)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--executors", default="local,dask", help="comma-separated: local, dask")
    parser.add_argument("--repeat", type=int, default=2, help="rounds of scans; each one's fastest is reported")
    parser.add_argument("--excel", type=int, default=0,
                        help="five-branch unit workbooks as Excel and WPS save them (shared strings; 0: none)")
    parser.add_argument("--write", nargs=2, metavar=("OUT_DIR", "COUNT"), help="only write realistic units")
    args = parser.parse_args()
    if args.write:
        make_realistic(Path(args.write[0]), int(args.write[1]))
        return

    jobs_list = [int(j) for j in args.jobs.split(",")]
    executors = [e.strip() for e in args.executors.split(",")]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ledgercheck-units-") as tmp:
        work = Path(tmp)
        folders: dict[str, tuple[Path, Path]] = {}
        for kind, count, make in (("small", args.small, make_units), ("five-branch", args.realistic, make_realistic),
                                  ("five-branch, Excel-saved", args.excel, make_excel)):
            if count > 0:
                paths = make(work / kind, count)
                single = work / f"{kind}-one"
                single.mkdir()
                shutil.copyfile(paths[0], single / paths[0].name)
                folders[kind] = (work / kind, single)
        rows = measure(folders, executors, jobs_list, args.repeat, work)
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after; best of {args.repeat}\n")
    print(table(rows))


if __name__ == "__main__":
    main()
