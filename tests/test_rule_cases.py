"""Every rule case beside every shipped pack passes: the exact findings, nothing more, nothing less."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledgercheck.app.cases import run_case_file
from ledgercheck.rulebook.loader import load_rulebook
from tests.conftest import RULES

PACKS = sorted(p.parent.name for p in RULES.glob("*/pack.yaml"))
FILES = [(pack, path) for pack in PACKS for path in sorted((RULES / pack / "tests").glob("*.yaml"))]


@pytest.mark.parametrize(("pack", "path"), FILES, ids=[f"{pack}/{path.stem}" for pack, path in FILES])
def test_rule_cases(pack: str, path: Path, tmp_path: Path) -> None:
    outcomes = run_case_file(path, load_rulebook(str(RULES / pack)), tmp_path)
    failures = [f"{o.name} ({o.file}:{o.line}):\n    " + "\n    ".join(p.en for p in o.problems) for o in outcomes if not o.passed]
    assert not failures, "\n".join(failures)
