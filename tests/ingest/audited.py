"""The JSON audit of a workbook, as the reading tests compare it with the sample's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF


def audit_json(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """Exit code and JSON report of `ledgercheck audit PATH --format json` as of the samples' date."""
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json", "--as-of", SAMPLE_AS_OF, "--no-config",
                                       *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.stdout, (result.exit_code, result.output, result.exception)
    report: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, report
