"""The pool: Ctrl-C stops cleanly and reports what finished; a worker that dies costs one file, not the scan."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ledgercheck.app.config import Settings
from ledgercheck.app.context import Context
from ledgercheck.findings.scan.summary import FileResult
from ledgercheck.scan.runner import run_scan
from tests.conftest import ROOT, SAMPLE_AS_OF

SETTINGS = Settings(as_of=dt.date(2026, 1, 15), lang="zh")
COPIES = 400


def _our_processes(marker: str) -> list[int]:
    """Processes whose command line mentions `marker` (the scan and any worker forked from it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to check that no worker is left behind")
def test_ctrl_c_stops_the_scan_and_reports_what_finished(tmp_path: Path, units_dir: Path) -> None:
    folder = tmp_path / "ctrl-c-units"
    folder.mkdir()
    source = units_dir / "unit-00001.xlsx"
    for index in range(COPIES):
        target = folder / f"u{index:04d}.xlsx"
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    output = tmp_path / "interrupted.json"
    # Its own process group, signalled as a whole, as a terminal's Ctrl-C signals the scan and its workers.
    process = subprocess.Popen([sys.executable, "-m", "ledgercheck", "scan", str(folder), "--jobs", "2", "--as-of",
                                SAMPLE_AS_OF, "--output", str(output), "--history", str(tmp_path / "h.db")],
                               cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", start_new_session=True)
    assert process.stderr is not None
    first = process.stderr.readline()  # the first progress line: 10 % done
    assert "已检查" in first, first
    os.killpg(process.pid, signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "检查被中断" in stderr
    assert "已记为检查历史第1轮（检查被中断，不参与比较）" in stderr  # the round is kept, and says what it is
    report = json.loads(output.read_text(encoding="utf-8"))
    summary = report["summary"]
    assert summary["interrupted"] is True
    assert COPIES // 10 <= summary["finished"] < COPIES
    assert summary["finished"] + summary["not_finished"] == COPIES
    assert len(report["files"]) == summary["finished"] and len(report["not_finished"]) == summary["not_finished"]
    assert {Path(f["path"]).name for f in report["files"]}.isdisjoint(Path(p).name for p in report["not_finished"])
    assert _our_processes(str(folder)) == []  # no worker left running


@pytest.mark.skipif(sys.platform != "linux", reason="the test relies on workers forked with the patched loader")
def test_a_worker_that_dies_costs_one_file_not_the_scan(monkeypatch, units_dir: Path) -> None:
    real = Context.read

    def dying(self: Context, path: Path, *args: object, **kwargs: object):  # noqa: ANN202
        if path.name == "unit-00003.xlsx":
            os._exit(1)  # as if killed by the out-of-memory killer
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(Context, "read", dying)
    files = [(p, p.name) for p in sorted(units_dir.glob("unit-*.xlsx"))]
    results: dict[str, FileResult] = {}
    outcome = run_scan(files, SETTINGS, 2, lambda _seq, result: results.__setitem__(result.path, result))
    assert not outcome.interrupted and outcome.finished == len(files) == len(results)
    assert results["unit-00003.xlsx"].status == "unreadable"
    assert "工作进程意外退出" in (results["unit-00003.xlsx"].error or "")
    assert all(r.status == "ok" for name, r in results.items() if name != "unit-00003.xlsx")


def test_results_stream_in_as_they_complete(units_dir: Path) -> None:
    files = [(p, p.name) for p in sorted(units_dir.glob("unit-*.xlsx"))]
    seen: list[int] = []
    started: list[int] = []
    outcome = run_scan(files, SETTINGS, 2, lambda seq, _result: seen.append(seq),
                       on_start=lambda: started.append(len(seen)))
    assert started == [0] and sorted(seen) == list(range(len(files))) and outcome.not_finished == 0
