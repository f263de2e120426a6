"""JUnit XML, built from the JSON serialization, for CI systems that display test reports (GitLab, Jenkins).

One test suite per organization and one test case per rule judged for it. A test case fails when it has a
finding that fails the run under the same policy as the exit code (`--fail-on`, `--fail-on-new`, waivers), so
the report and the exit code agree; findings that do not block are listed in the case's system-out. Input
problems make a suite of their own (one case per sheet), and rules the ledger lacks data for are skipped cases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.result import AuditResult
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import SEVERITY, status, where

# Characters XML 1.0 cannot hold at all; a cell value may contain them.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

L = {
    "input": Text("台账读取", "reading the ledger"),
    "workbook": Text("工作簿", "workbook"),
    "skipped": Text("未检查的规则", "rules not checked"),
    "findings": Text("{n}条问题", "{n} finding(s)"),
    "basis": Text("依据", "basis"),
    "input_errors": Text("{n}个无法读取的单元格或行", "{n} cell(s) or row(s) could not be read"),
    "internal": Text("内部错误", "internal error"),
}


def _clean(text: object) -> str:
    return _INVALID.sub("\ufffd", str(text))


def _line(finding: dict[str, Any], lang: Lang) -> str:
    state = status(finding.get("baseline_state"), bool(finding.get("waiver")), lang)
    parts = [SEVERITY[finding["severity"]](lang), finding.get("period") or "", where(finding.get("location")),
             finding["message"], f"{L['basis'](lang)}: {finding['citation']}", f"[{finding['fingerprint']}]"]
    if state:
        parts.insert(1, f"({state})")
    return "  ".join(p for p in parts if p)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: object) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _suite(parent: ET.Element, name: str, properties: dict[str, object]) -> ET.Element:
    suite = _element(parent, "testsuite", name=name, tests=0, failures=0, errors=0, skipped=0, time="0")
    props = _element(suite, "properties")
    for key, value in properties.items():
        _element(props, "property", name=key, value=value if value is not None else "")
    return suite


def _count(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    for tag, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        suite.set(attribute, str(sum(1 for c in cases if c.find(tag) is not None)))


def _org_suite(root: ET.Element, org: dict[str, Any], doc: dict[str, Any], blocking: set[str],
               titles: dict[str, str], lang: Lang) -> None:
    label = f"{org['org_name']}（{org['org_id']}）" if lang == "zh" else f"{org['org_name']} ({org['org_id']})"
    suite = _suite(root, label, {"file": doc["file"], "as_of": doc["as_of"], "org_id": org["org_id"]})
    findings = [f for f in doc["findings"] if f["org_id"] == org["org_id"]]
    crashes = [c for c in doc.get("internal_errors", []) if c["org_id"] == org["org_id"]]
    rule_ids = list(dict.fromkeys([*org.get("rules", []), *(f["rule"]["id"] for f in findings)]))
    for rule_id in rule_ids:
        case = _element(suite, "testcase", name=f"{rule_id} {titles.get(rule_id, '')}".strip(),
                        classname=f"ledgercheck.{org['org_id']}", file=doc["file"], time="0")
        own = [f for f in findings if f["rule"]["id"] == rule_id]
        failing = [f for f in own if f["fingerprint"] in blocking]
        if failing:
            severity = max(failing, key=lambda f: ("info", "warning", "error").index(f["severity"]))["severity"]
            _element(case, "failure", "\n".join(_line(f, lang) for f in failing),
                     message=L["findings"](lang).replace("{n}", str(len(failing))), type=severity)
        quiet = [f for f in own if f["fingerprint"] not in blocking]
        if quiet:
            _element(case, "system-out", "\n".join(_line(f, lang) for f in quiet))
        for crash in (c for c in crashes if c["rule"] == rule_id):
            _element(case, "error", crash["error"], message=L["internal"](lang), type=crash["kind"])
    _count(suite)


def _issue_lines(issues: list[dict[str, Any]]) -> str:
    return "\n".join(f"{where(i['location'])}  {i['code']}  {i['message']}" for i in issues)


def _input_suite(root: ET.Element, doc: dict[str, Any], lang: Lang) -> None:
    suite = _suite(root, L["input"](lang), {"file": doc["file"]})
    issues = doc.get("input_issues", [])
    sheets = [s["name"] for s in doc.get("sheets", [])]
    for sheet in [None, *sheets]:
        mine = [i for i in issues if (i["location"] or {}).get("sheet") == sheet]
        if sheet is None and not mine:
            continue
        case = _element(suite, "testcase", name=sheet or L["workbook"](lang), classname="ledgercheck.input",
                        file=doc["file"], time="0")
        errors = [i for i in mine if i["level"] == "error"]
        if errors:
            _element(case, "failure", _issue_lines(errors), message=L["input_errors"](lang).replace("{n}", str(len(errors))),
                     type="input")
        notices = [i for i in mine if i["level"] != "error"]
        if notices:
            _element(case, "system-out", _issue_lines(notices))
    for skipped in doc.get("skipped_rules", []):
        case = _element(suite, "testcase", name=skipped["rule"], classname="ledgercheck.skipped", file=doc["file"],
                        time="0")
        _element(case, "skipped", message=skipped["reason"])
    _count(suite)


def build(doc: dict[str, Any], blocking: set[str], lang: Lang) -> ET.Element:
    root = ET.Element("testsuites", {"name": f"ledgercheck: {_clean(doc['file'])}"})
    titles = {r["id"]: r["title"] for r in doc.get("rules", [])}
    _input_suite(root, doc, lang)
    for org in doc.get("organizations", []):
        _org_suite(root, org, doc, blocking, titles, lang)
    suites = root.findall("testsuite")
    for attribute in ("tests", "failures", "errors", "skipped"):
        root.set(attribute, str(sum(int(s.get(attribute, "0")) for s in suites)))
    root.set("time", "0")
    return root


def render(result: AuditResult, options: ReportOptions) -> str:
    blocking = {f.fingerprint for f in result.findings if options.policy.blocks(f)}
    root = build(result.to_dict(options.lang), blocking, options.lang)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(result: AuditResult, stream: Any, options: ReportOptions) -> None:
    stream.write(render(result, options))
