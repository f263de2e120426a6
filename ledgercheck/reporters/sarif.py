"""SARIF 2.1.0, built from the JSON serialization, for code-scanning services (GitHub) and SARIF viewers.

Locations: a workbook is not a text file, so a cell has no line and column in SARIF's sense. Each result's
physical location is the workbook (`artifactLocation.uri`, the path as given, percent-encoded) with
`region.startLine` = the Excel row (GitHub requires a line ≥ 1; 1 when the finding has no row), and the cell
itself is a logical location (`fullyQualifiedName` 组织!A3, `name` A3; a whole row 党员!5:5; a sheet as a whole,
such as an unrecognized sheet, the sheet's name) that the message repeats. Sheet, row, column and field are also in
the result's properties.

Rules: `tool.driver.rules` lists every rule that ran, with its title, rationale, how to fix, and its
citation (`properties.citation`). Waived findings carry an accepted external suppression with the waiver's
reason; with `--baseline`, `baselineState` is `new` or `unchanged`. Resolved findings are not results: a
results list is what is wrong now (see the JSON or `ledgercheck diff` for rectification).
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from ledgercheck.common.i18n import Lang
from ledgercheck.findings.result import AuditResult
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import where

VERSION = "2.1.0"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
BASELINE_STATE = {"new": "new", "open": "unchanged"}
FINGERPRINT_KEY = "ledgercheck/v1"
LANGUAGE = {"zh": "zh-CN", "en": "en-US"}


def artifact_uri(path: str) -> str:
    """A URI reference for the workbook: file:///… when absolute, else a relative reference."""
    if PurePosixPath(path).is_absolute():
        return "file://" + quote(path)
    if PureWindowsPath(path).is_absolute():
        return "file:///" + quote(PureWindowsPath(path).as_posix(), safe="/:")
    return quote(path.replace("\\", "/"))


def _rule(rule: dict[str, Any], lang: Lang) -> dict[str, Any]:
    basis = "依据" if lang == "zh" else "Basis"
    fix = rule.get("fix") or ""
    text = f"{fix}\n{basis}：{rule['citation']}" if lang == "zh" else f"{fix}\n{basis}: {rule['citation']}"
    markdown = f"{fix}\n\n**{basis}**：{rule['citation']}" if lang == "zh" else \
        f"{fix}\n\n**{basis}**: {rule['citation']}"
    return {
        "id": rule["id"],
        "shortDescription": {"text": rule["title"]},
        "fullDescription": {"text": rule.get("rationale") or rule["title"]},
        "help": {"text": text.strip(), "markdown": markdown.strip()},
        "defaultConfiguration": {"level": LEVEL[rule["severity"]]},
        "properties": {"citation": rule["citation"], "severity": rule["severity"], "tags": rule.get("tags", [])},
    }


def _rules(doc: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    rules = list(doc.get("rules", []))
    known = {r["id"] for r in rules}
    for finding in doc["findings"]:  # a finding's rule is always described, even from an older document
        if finding["rule"]["id"] not in known:
            known.add(finding["rule"]["id"])
            rules.append({"id": finding["rule"]["id"], "title": finding["rule"]["title"],
                          "severity": finding["severity"], "citation": finding["citation"]})
    return [_rule(r, lang) for r in rules]


def _location(finding: dict[str, Any], file: str) -> dict[str, Any]:
    loc = finding.get("location") or {}
    physical = {"artifactLocation": {"uri": artifact_uri(str(loc.get("file") or file))},
                "region": {"startLine": max(1, int(loc.get("row") or 1))}}
    location: dict[str, Any] = {"physicalLocation": physical}
    sheet, row, column = loc.get("sheet"), loc.get("row"), loc.get("column")
    if sheet:  # a cell (A3), a whole row (5:5), or a sheet as a whole (an unrecognized sheet, a sheet-level problem)
        name = (f"{column}{row}" if column else f"{row}:{row}") if row is not None else str(sheet)
        location["logicalLocations"] = [{"name": name, "fullyQualifiedName": where(loc)}]
    return location


def _result(finding: dict[str, Any], index: dict[str, int], file: str, lang: Lang) -> dict[str, Any]:
    cell = where(finding.get("location"))
    text = finding["message"] + ((f"（{cell}）" if lang == "zh" else f" ({cell})") if cell else "")
    loc = finding.get("location") or {}
    result: dict[str, Any] = {
        "ruleId": finding["rule"]["id"],
        "ruleIndex": index[finding["rule"]["id"]],
        "level": LEVEL[finding["severity"]],
        "message": {"text": text},
        "locations": [_location(finding, file)],
        "partialFingerprints": {FINGERPRINT_KEY: finding["fingerprint"]},
        "properties": {"org_id": finding["org_id"], "org_name": finding["org_name"], "period": finding["period"],
                       "subject": finding["subject"], "citation": finding["citation"],
                       "sheet": loc.get("sheet"), "row": loc.get("row"), "column": loc.get("column"),
                       "field": loc.get("field"), "evidence": finding.get("evidence", {})},
    }
    state = finding.get("baseline_state")
    if state in BASELINE_STATE:
        result["baselineState"] = BASELINE_STATE[state]
    waiver = finding.get("waiver")
    if waiver:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": waiver["reason"],
                                   "properties": {"approver": waiver["approver"], "expires": waiver["expires"],
                                                  "source": waiver["source"]}}]
    return result


def _results(doc: dict[str, Any], index: dict[str, int], lang: Lang) -> list[dict[str, Any]]:
    """One result per problem: a rule broken by one subject in several periods is one result, at its first period's
    cell with the others as related locations, its periods and their fingerprints in the properties."""
    by_print = {f["fingerprint"]: f for f in doc["findings"]}
    results = []
    for group in doc.get("groups") or [{"fingerprints": [f["fingerprint"]]} for f in doc["findings"]]:
        prints = group["fingerprints"]
        result = _result(by_print[prints[0]], index, doc["file"], lang)
        if len(prints) > 1:
            result["message"]["text"] = group["message"]
            others = [by_print[p] for p in prints[1:]]
            result["relatedLocations"] = [{"id": n, **_location(f, doc["file"])} for n, f in enumerate(others, 1)
                                          if f.get("location")]
            result["properties"] |= {"periods": group["periods"], "fingerprints": prints}
        results.append(result)
    return results


def _notification(level: str, code: str, text: str, location: dict[str, Any] | None, file: str) -> dict[str, Any]:
    note: dict[str, Any] = {"level": level, "message": {"text": text}, "descriptor": {"id": code}}
    if location:
        note["locations"] = [_location({"location": location}, file)]
    return note


def _invocation(doc: dict[str, Any]) -> dict[str, Any]:
    file = doc["file"]
    execution = [_notification(i["level"], i["code"], i["message"], i["location"], file)
                 for i in doc.get("input_issues", [])]
    execution += [_notification("error", "INTERNAL-ERROR", f"{c['rule']} ({c['kind']}) @ {c['org_id']}: {c['error']}",
                                None, file) for c in doc.get("internal_errors", [])]
    configuration = [_notification("note", "RULE-SKIPPED", f"{s['rule']}: {s['reason']}", None, file)
                     for s in doc.get("skipped_rules", [])]
    for notice in doc.get("waivers", {}).get("notices", []):
        note = _notification("warning", notice["code"], notice["message"], None, file)
        note["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(notice["file"])},
                                                   "region": {"startLine": max(1, notice.get("line") or 1)}}}]
        configuration.append(note)
    summary = doc["summary"]
    return {"executionSuccessful": not (summary["input_errors"] or summary["internal_errors"]),
            "toolExecutionNotifications": execution, "toolConfigurationNotifications": configuration}


def build(doc: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The SARIF log for one audit document (AuditResult.to_dict)."""
    rules = _rules(doc, lang)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    tool = doc.get("tool", {})
    driver = {"name": "ledgercheck", "version": tool.get("version", ""), "rules": rules,
              "properties": {"rule_packs": doc.get("rule_packs", [])}}
    run = {
        "tool": {"driver": driver},
        "invocations": [_invocation(doc)],
        "language": LANGUAGE[lang],
        "results": _results(doc, index, lang),
        "properties": {"as_of": doc["as_of"], "window": doc["window"], "summary": doc["summary"]},
    }
    return {"$schema": SCHEMA, "version": VERSION, "runs": [run]}


def render(result: AuditResult, options: ReportOptions) -> str:
    return json.dumps(build(result.to_dict(options.lang), options.lang), ensure_ascii=False, indent=2) + "\n"


def write(result: AuditResult, stream: Any, options: ReportOptions) -> None:
    stream.write(render(result, options))
