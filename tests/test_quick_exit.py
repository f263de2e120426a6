"""The command ends without Python's teardown (ledgercheck/__main__.py `leave`), and loses nothing by it: the
whole report reaches a file or a pipe, the exit code is kept, and what is registered with atexit still runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS


def _ledgercheck(*args: object, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ledgercheck", *map(str, args)], capture_output=True,
                          env={**os.environ, **env}, timeout=120)


def test_the_whole_report_reaches_the_pipe_and_the_exit_code_is_kept(tmp_path: Path) -> None:
    timings = tmp_path / "timings.json"
    run = _ledgercheck("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--format", "json",
                       LEDGERCHECK_TIMINGS=str(timings))
    assert run.returncode == 1  # findings
    report = json.loads(run.stdout)  # complete: the last byte arrived
    assert report["summary"]["error"] > 0
    assert set(json.loads(timings.read_text())) >= {"setup", "load", "rules", "report"}  # atexit ran


def test_an_error_exits_2_with_its_message() -> None:
    run = _ledgercheck("audit", "no-such-ledger.xlsx")
    assert run.returncode == 2
    assert "no-such-ledger.xlsx" in run.stderr.decode() and "Traceback" not in run.stderr.decode()


def test_a_reader_that_goes_away_leaves_no_noise() -> None:
    process = subprocess.Popen([sys.executable, "-m", "ledgercheck", "audit", str(VIOLATIONS), "--as-of",
                                SAMPLE_AS_OF], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in errors and "Exception ignored" not in errors


def test_without_a_stderr_the_exit_codes_hold_and_stdout_stays_the_report(tmp_path: Path) -> None:
    """Started with descriptor 2 closed (a daemon, a CI step that closes it): sys.stderr is None. The exit code is
    still the audit's (the quick exit used to fail flushing None and end with 1), and a scan's progress, which
    print() would then send to stdout, is not shown at all: stdout stays the JSON report."""
    def run(*args: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "ledgercheck", *map(str, args)], stdout=subprocess.PIPE,
                              timeout=120, preexec_fn=lambda: os.close(2))

    assert run("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--format", "json").returncode == 1
    assert run("audit", "no-such-ledger.xlsx").returncode == 2
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(VIOLATIONS.read_bytes())
    (folder / "b.xlsx").write_bytes(b"not a workbook")
    scan = run("scan", folder, "--as-of", SAMPLE_AS_OF, "--format", "json", "--jobs", "1")
    assert scan.returncode == 2
    assert sorted(f["status"] for f in json.loads(scan.stdout)["files"]) == ["ok", "unreadable"]


def test_without_a_stdout_a_report_is_refused_before_the_work() -> None:
    """Descriptor 1 closed: a command whose report would go there says so (exit 2) instead of failing inside (an
    'internal error') or, for a scan, after reading every file; with -o it writes its report as usual."""
    def run(*args: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "ledgercheck", *map(str, args)], stderr=subprocess.PIPE,
                              timeout=120, preexec_fn=lambda: os.close(1))

    for args in (["audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF], ["rules", "list"], ["explain", "DUES-MONTHLY"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr.decode().startswith("用法错误: 没有可写的标准输出"), (args, result.stderr)
    assert run("--help").returncode == 0 and run("--version").returncode == 0  # nothing to show, nothing wrong
