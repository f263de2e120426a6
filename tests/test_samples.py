"""The bundled samples: the clean unit has no findings; the violating one has exactly the planted ones."""

from __future__ import annotations

import datetime as dt

import yaml

from ledgercheck.app.audit import audit_workbook
from tests.conftest import SAMPLES

AS_OF = dt.date(2026, 1, 15)


def test_clean_sample_has_no_findings(national) -> None:
    result = audit_workbook(SAMPLES / "clean.xlsx", national, AS_OF)
    assert result.input_issues == []
    assert result.skipped_rules == []
    assert [f.message.zh for f in result.findings] == []


def test_violations_sample_reports_each_planted_violation_with_cell_and_citation(national) -> None:
    expected = yaml.safe_load((SAMPLES / "violations.expected.yaml").read_text(encoding="utf-8"))
    result = audit_workbook(SAMPLES / "violations.xlsx", national, AS_OF)
    assert result.input_issues == []
    actual = sorted((f.rule_id, f.org_id, f.location.short() if f.location else None,
                     f.period.label if f.period else None) for f in result.findings)
    planted = sorted((e["rule"], e["org"], e["location"], e.get("period")) for e in expected["findings"])
    assert actual == planted
    assert all(f.citation.zh.startswith("《") for f in result.findings)


def test_english_twin_gives_the_same_findings(national) -> None:
    canonical = audit_workbook(SAMPLES / "violations.xlsx", national, AS_OF)
    english = audit_workbook(SAMPLES / "violations-english.xlsx", national, AS_OF)
    assert english.input_issues == []

    def key(result):
        return sorted((f.rule_id, f.org_id, f.subject, f.period, f.fingerprint, f.message.zh) for f in result.findings)

    assert key(english) == key(canonical)
    # The English workbook has a title row, so every cell is one row lower and sheets have English names.
    rows = {f.fingerprint: f.location.row for f in canonical.findings}
    assert all(f.location.row == rows[f.fingerprint] + 1 for f in english.findings)
