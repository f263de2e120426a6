"""Shared fixtures: paths to the shipped packs and samples, a runner for the CLI."""

from __future__ import annotations

import compileall
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RULES = ROOT / "rules"
SAMPLE_AS_OF = "2026-01-15"


@pytest.fixture(scope="session")
def national():
    from ledgercheck.rulebook.loader import load_rulebook

    return load_rulebook("national")


# ---------------------------------------------------------------- audited samples shared by the CI-format tests


@pytest.fixture(scope="session")
def violations_doc():
    """The JSON document of samples/violations.xlsx (a fresh copy for each test)."""
    import copy

    from tests.ledgers import VIOLATIONS, audit_json

    _result, data = audit_json(VIOLATIONS)
    return lambda: copy.deepcopy(data)


@pytest.fixture(scope="session")
def rectified(tmp_path_factory):
    """(ledger, baseline): the violations sample audited into baseline.json, then one violation fixed
    (组织!I8: B05 gets its secretary, so REC-ORG-COMPLETE is resolved)."""
    from tests.ledgers import cli, copy_sample, set_cell

    folder = tmp_path_factory.mktemp("rectified")
    ledger = copy_sample(folder)
    baseline = folder / "baseline.json"
    assert cli("audit", ledger, "--format", "json", "--output", baseline).exit_code == 1
    from ledgercheck.ingest.loader import load_ledger

    members = load_ledger(ledger).ledger.members_by_org["B05"]
    secretary = next(m for m in members if m.party_post == "书记")  # the branch's own secretary
    set_cell(ledger, "组织", "I8", secretary.name)
    return ledger, baseline


@pytest.fixture(scope="session")
def bad_date_ledger(tmp_path_factory):
    """The violations sample with an impossible date in 组织生活!C2 (an input error: exit 2)."""
    from tests.ledgers import copy_sample, set_cell

    return set_cell(copy_sample(tmp_path_factory.mktemp("bad-date")), "组织生活", "C2", "2025年13月45日")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the package once: the many `python -m ledgercheck` children the tests start would each compile
    every module again where PYTHONDONTWRITEBYTECODE is set (as on CI), about 0.1 s of CPU each."""
    compileall.compile_dir(ROOT / "ledgercheck", quiet=1)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many cases the fuzz tests tried (the README's testing section records a large run)."""
    import sys

    fuzz = sys.modules.get("tests.test_fuzz")
    if fuzz is not None and (fuzz.TRIED["workbooks"] or fuzz.TRIED["packs"]):
        tried = fuzz.TRIED
        terminalreporter.write_line(f"fuzz: {tried['workbooks']} workbooks and {tried['packs']} rule packs in "
                                    f"{tried['seconds']:.1f} s (LEDGERCHECK_FUZZ_EXAMPLES={fuzz.BUDGET})")
    archives = sys.modules.get("tests.test_fuzz_zip")
    if archives is not None and archives.TRIED["cases"]:
        terminalreporter.write_line(f"fuzz: {archives.TRIED['cases']} mutated archives in "
                                    f"{archives.TRIED['seconds']:.1f} s")
