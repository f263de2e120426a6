"""A report written to a file or a pipe: lines as long as their text (no padding to 120 columns), none longer
than 120 cells, nothing but the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS, cli


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("baseline") / "earlier.json"
    assert cli("audit", VIOLATIONS, "--as-of", "2025-12-15", "--format", "json", "-o", path).exit_code == 1
    return path


@pytest.mark.parametrize("command", [
    ["audit", VIOLATIONS],
    ["audit", VIOLATIONS, "--lang", "en"],
    ["remind", VIOLATIONS, "--as-of", SAMPLE_AS_OF],
    ["explain", "DUES-BRACKET-AMOUNT"],
    ["explain", "--list"],
    ["rules", "list"],
    ["inspect", VIOLATIONS],
    ["scan", VIOLATIONS.parent, "--as-of", SAMPLE_AS_OF, "--jobs", "1"],
], ids=lambda command: " ".join(str(c) for c in command if not isinstance(c, Path)))
def test_no_line_is_padded(command: list) -> None:
    result = cli(*command)
    assert result.exit_code in (0, 1), result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 10
    assert [line for line in lines if line != line.rstrip()] == []
    assert max(cell_len(line) for line in lines) <= 120


def test_diff_and_an_audit_against_a_baseline_are_not_padded(baseline: Path) -> None:
    for result in (cli("diff", baseline, baseline), cli("audit", VIOLATIONS, "--baseline", baseline)):
        assert result.exit_code in (0, 1), result.output
        assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []
