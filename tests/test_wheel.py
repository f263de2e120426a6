"""The built-in rule pack works from an installed wheel, not only from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(out), str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    [wheel] = out.glob("ledgercheck-*.whl")
    return wheel


def test_wheel_contains_the_rule_packs_and_aliases(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "ledgercheck/packs/national/pack.yaml" in names
    assert "ledgercheck/packs/national/meetings.yaml" in names
    assert "ledgercheck/data/aliases.yaml" in names
    assert any(n.startswith("ledgercheck/packs/national/tests/") for n in names)
    assert "ledgercheck/data/audit-result.schema.json" in names


def test_audit_runs_from_the_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c",
                          "import ledgercheck, sys; print(ledgercheck.__file__); "
                          "from ledgercheck.cli import main; sys.argv=['ledgercheck', *sys.argv[1:]]; main()",
                          "audit", str(SAMPLES / "violations.xlsx"), "--as-of", "2026-01-15", "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.stdout.splitlines()[0].startswith(str(site))
    assert run.returncode == 1, run.stderr
    assert '"MEET-COMMITTEE-MONTHLY"' in run.stdout
