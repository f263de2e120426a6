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


def test_the_documented_ci_install_works(wheel: Path, tmp_path: Path) -> None:
    """docs/ci.md installs the wheel the project builds, by its file name: the name is this version's, and pip
    installs it into a fresh environment where `ledgercheck` then audits (dependencies from this environment)."""
    from ledgercheck import __version__

    name = f"ledgercheck-{__version__}-py3-none-any.whl"
    assert wheel.name == name
    ci = (ROOT / "docs" / "ci.md").read_text("utf-8")
    assert f"pip install tools/{name}" in ci and "pip install ledgercheck\n" not in ci
    # --target: the wheel's files and console script in a folder of their own (never touching this environment's
    # own install); its dependencies are this environment's.
    site = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed",
                              "--target", str(site), str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    script = site / "bin" / "ledgercheck"
    if os.name == "nt":
        script = site / "Scripts" / "ledgercheck.exe"
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import ledgercheck; print(ledgercheck.__file__)"], env=env,
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.startswith(str(site)), where.stdout  # the installed wheel, not the checkout
    run = subprocess.run([str(script), "audit", str(SAMPLES / "clean.xlsx"), "--as-of", "2026-01-15", "--no-config"],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert run.returncode == 0 and "未发现问题" in run.stdout, run.stderr


def test_the_installed_wheel_reads_the_stored_packs(wheel: Path, tmp_path: Path) -> None:
    """The stored validated packs and alias table (ledgercheck/app/prebuilt.py) match the wheel's own layout
    (packs under ledgercheck/packs), so an installed ledgercheck does not validate the built-in pack again."""
    names = zipfile.ZipFile(wheel).namelist()
    assert "ledgercheck/data/rulepacks/national.json" in names and "ledgercheck/data/aliases.prebuilt.json" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("import ledgercheck; from ledgercheck.rulebook.prebuilt import load_prebuilt; "
             "from ledgercheck.ingest.builtin_aliases import load_prebuilt as aliases; "
             "print(ledgercheck.__file__, load_prebuilt('national') is not None, aliases() is not None)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(site)})
    assert run.stdout.split() == [str(site / "ledgercheck" / "__init__.py"), "True", "True"], run.stderr
