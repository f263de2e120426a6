"""The JSON output validates against the JSON Schema shipped in the package, in every situation it covers."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.ledgers import CLEAN, COMMITTEE_B01_MAY, VIOLATIONS, audit_json, audit_schema, cli, write


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = audit_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid(validator: jsonschema.Draft202012Validator, data: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("workbook", [VIOLATIONS, CLEAN], ids=["violations", "clean"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plain_audit_output_validates(validator, workbook, lang) -> None:
    _result, data = audit_json(workbook, "--lang", lang)
    assert_valid(validator, data)
    assert data["baseline"] is None and data["resolved"] == [] and data["summary"]["new"] is None


def test_output_with_baseline_waivers_and_notices_validates(validator, tmp_path, rectified) -> None:
    ledger, baseline = rectified
    waivers = write(tmp_path / "waivers.yaml", f"""\
waivers:
  - {{fingerprint: {COMMITTEE_B01_MAY}, reason: 顺延召开, approver: 王书记, expires: 2026-06-30}}
  - {{rule: MEET-PARTY-LECTURE, org: B03, reason: 并入集中党课, approver: 王书记, expires: 2025-12-31}}
  - {{rule: ORG-BRANCH-MAX-50, org: B99, reason: 不存在的组织, approver: 王书记, expires: 2026-12-31}}
""")
    _result, data = audit_json(ledger, "--baseline", baseline, "--waivers", waivers)
    assert_valid(validator, data)
    assert data["summary"]["resolved"] == 1 and data["resolved"][0]["baseline_state"] == "resolved"
    assert data["summary"]["waived"] == 1
    assert {n["code"] for n in data["waivers"]["notices"]} == {"WAIVER-EXPIRED", "WAIVER-UNUSED"}


def test_output_with_input_errors_validates(validator, bad_date_ledger) -> None:
    result = cli("audit", bad_date_ledger, "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["input_issues"] and data["summary"]["input_errors"] >= 1
    assert_valid(validator, data)

