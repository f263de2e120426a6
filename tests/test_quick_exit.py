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
