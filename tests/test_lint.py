"""The code passes ruff's correctness checks (undefined or unused names, bad comparisons)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_finds_nothing() -> None:
    command = [shutil.which("ruff") or sys.executable, *([] if shutil.which("ruff") else ["-m", "ruff"])]
    run = subprocess.run([*command, "check", "--quiet", "ledgercheck", "tests", "samples", "benchmarks"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
