"""JUnit XML: read back with junitparser as CI systems do; failures agree with the exit code."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from ledgercheck.reporters.junit import build
from tests.ledgers import CLEAN, COMMITTEE_B01_MAY, VIOLATIONS, audit_json, cli, copy_sample, write


def junit(tmp_path, *args: object) -> tuple[int, JUnitXml]:
    path = tmp_path / "report.xml"
    result = cli("audit", *args, "--format", "junit", "--output", path)
    return result.exit_code, JUnitXml.fromfile(str(path))


def cases(xml: JUnitXml) -> list:
    return [(suite, case) for suite in xml for case in suite]


def failed(xml: JUnitXml) -> list[str]:
    return sorted(f"{case.classname} {case.name.split()[0]}" for _suite, case in cases(xml)
                  if any(isinstance(r, Failure) for r in case.result))


def test_one_case_per_rule_and_organization(tmp_path, violations_doc) -> None:
    code, xml = junit(tmp_path, VIOLATIONS)
    data = violations_doc()
    judged = sum(len(org["rules"]) for org in data["organizations"])
    org_cases = [case for suite, case in cases(xml) if case.classname.startswith("ledgercheck.") and
                 case.classname.split(".")[1] in {o["org_id"] for o in data["organizations"]}]
    assert len(org_cases) == judged
    assert xml.tests == sum(suite.tests for suite in xml) == len(cases(xml))
    names = {suite.name for suite in xml}
    assert "办公室党支部（B01）" in names and "台账读取" in names
    # --fail-on error (the default): exactly the rules with error findings fail, as the exit code says.
    errors = sorted({f"ledgercheck.{f['org_id']} {f['rule']['id']}" for f in data["findings"]
                     if f["severity"] == "error"})
    assert failed(xml) == errors and code == 1
    case = next(c for _s, c in cases(xml) if c.classname == "ledgercheck.B01" and
                c.name.startswith("MEET-COMMITTEE-MONTHLY"))
    assert "组织!A3" in case.result[0].text and COMMITTEE_B01_MAY in case.result[0].text
    warning_case = next(c for _s, c in cases(xml) if c.classname == "ledgercheck.B05" and
                        c.name.startswith("REC-ORG-COMPLETE"))
    assert warning_case.is_passed and "组织!I8" in warning_case.system_out


@pytest.mark.parametrize(("fail_on", "severities"), [("never", set()), ("warning", {"error", "warning"}),
                                                     ("info", {"error", "warning", "info"})])
def test_failures_follow_fail_on(tmp_path, violations_doc, fail_on, severities) -> None:
    code, xml = junit(tmp_path, VIOLATIONS, "--fail-on", fail_on)
    data = violations_doc()
    expected = sorted({f"ledgercheck.{f['org_id']} {f['rule']['id']}" for f in data["findings"]
                       if f["severity"] in severities})
    assert failed(xml) == expected
    assert code == (1 if expected else 0)


def test_clean_ledger_passes_every_case(tmp_path) -> None:
    code, xml = junit(tmp_path, CLEAN)
    assert code == 0 and xml.tests > 0 and failed(xml) == [] and xml.failures == 0


def test_waived_findings_pass(tmp_path) -> None:
    waivers = write(tmp_path / "waivers.yaml", f"waivers:\n  - {{fingerprint: {COMMITTEE_B01_MAY}, reason: 顺延, "
                                               f"approver: 王书记, expires: 2026-06-30}}\n")
    _code, xml = junit(tmp_path, VIOLATIONS, "--waivers", waivers)
    assert "ledgercheck.B01 MEET-COMMITTEE-MONTHLY" not in failed(xml)
    case = next(c for _s, c in cases(xml) if c.classname == "ledgercheck.B01" and
                c.name.startswith("MEET-COMMITTEE-MONTHLY"))
    assert "已豁免" in case.system_out


def test_input_errors_fail_the_sheet_case_and_skipped_rules_are_skipped(tmp_path, bad_date_ledger) -> None:
    code, xml = junit(tmp_path, bad_date_ledger)
    assert code == 2
    sheet = next(c for _s, c in cases(xml) if c.classname == "ledgercheck.input" and c.name == "组织生活")
    assert isinstance(sheet.result[0], Failure) and "INPUT-BAD-DATE" in sheet.result[0].text
    from openpyxl import load_workbook

    path = copy_sample(tmp_path, "no-dues.xlsx")
    book = load_workbook(path)
    del book["党费"]
    book.save(path)
    _code, xml = junit(tmp_path, path)
    skipped = [c for _s, c in cases(xml) if any(isinstance(r, Skipped) for r in c.result)]
    _result, data = audit_json(path)
    assert len(skipped) == len(data["skipped_rules"])


def test_control_characters_cannot_break_the_xml(violations_doc) -> None:
    data = violations_doc()
    data["findings"][0]["message"] = "bad\x01value\x0b"
    data["internal_errors"] = [{"rule": data["findings"][0]["rule"]["id"], "kind": "frequency",
                                "org_id": data["findings"][0]["org_id"], "error": "ZeroDivisionError\x00"}]
    root = build(data, {data["findings"][0]["fingerprint"]}, "zh")
    text = ET.tostring(root, encoding="unicode")
    parsed = ET.fromstring(text)
    assert "\ufffd" in text and parsed.get("errors") == "1"
    assert any(isinstance(r, Error) for _s, c in cases(JUnitXml.fromstring(text)) for r in c.result)
