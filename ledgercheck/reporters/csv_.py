"""CSV for Excel and WPS: one row per finding (resolved ones last), built from the JSON serialization.

UTF-8 with a byte-order mark, so Excel and WPS detect the encoding and Chinese text opens correctly, and CRLF
line ends. Headers and labels follow `--lang` (zh for people; `--lang en` gives English headers and values
for scripts). A cell that starts with = + - @, a tab or a carriage return is prefixed with a single quote so a
spreadsheet shows it as text instead of running it as a formula (CSV injection). Control characters (but line
feeds and tabs) are spelled out (`\x1b`): CSV is often printed on a terminal, which must not receive escape
sequences from a cell.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable
from ledgercheck.findings.result import AuditResult
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import SEVERITY, STATE, WAIVED

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# (key, header). The keys are the documented column names (docs/output.md); headers follow --lang.
COLUMNS: tuple[tuple[str, Text], ...] = (
    ("org_id", Text("组织编号", "org_id")),
    ("org_name", Text("组织", "organization")),
    ("severity", Text("级别", "severity")),
    ("rule_id", Text("规则编号", "rule_id")),
    ("rule_title", Text("规则", "rule")),
    ("period", Text("期间", "period")),
    ("sheet", Text("工作表", "sheet")),
    ("cell", Text("单元格", "cell")),
    ("subject", Text("对象", "subject")),
    ("message", Text("说明", "message")),
    ("citation", Text("依据", "citation")),
    ("state", Text("整改状态", "state")),
    ("waived", Text("豁免", "waived")),
    ("waiver_reason", Text("豁免理由", "waiver_reason")),
    ("waiver_approver", Text("审批人", "waiver_approver")),
    ("waiver_expires", Text("豁免到期", "waiver_expires")),
    ("fingerprint", Text("指纹", "fingerprint")),
    ("count", Text("期数", "count")),
)


def neutralize(value: object) -> str:
    text = "" if value is None else str(value)
    return printable("'" + text if text.startswith(FORMULA_START) else text)


def _cell(location: dict[str, Any] | None) -> str:
    if not location or location.get("row") is None:
        return ""
    return f"{location.get('column') or ''}{location['row']}" if location.get("column") else \
        f"{location['row']}:{location['row']}"


def row(finding: dict[str, Any], lang: Lang) -> dict[str, str]:
    location = finding.get("location") or {}
    waiver = finding.get("waiver") or {}
    state = finding.get("baseline_state")
    values = {
        "org_id": finding["org_id"], "org_name": finding.get("org_name", ""),
        "severity": SEVERITY[finding["severity"]](lang), "rule_id": finding["rule"]["id"],
        "rule_title": finding["rule"]["title"], "period": finding.get("period") or "",
        "sheet": location.get("sheet") or "", "cell": _cell(location),
        "subject": (finding.get("subject") or {}).get("label", ""), "message": finding["message"],
        "citation": finding["citation"], "state": STATE[state](lang) if state else "",
        "waived": WAIVED(lang) if waiver else "", "waiver_reason": waiver.get("reason", ""),
        "waiver_approver": waiver.get("approver", ""), "waiver_expires": waiver.get("expires", ""),
        "fingerprint": finding["fingerprint"], "count": 1,
    }
    return {key: neutralize(value) for key, value in values.items()}


def build(doc: dict[str, Any], lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header(lang) for _key, header in COLUMNS])
    by_print = {f["fingerprint"]: f for f in doc["findings"]}
    # A rule broken by one subject in several periods is one row: its periods listed, the first period's cell and
    # fingerprint (the others are in the JSON's groups).
    for group in doc.get("groups") or [{"fingerprints": [f["fingerprint"]]} for f in doc["findings"]]:
        values = row(by_print[group["fingerprints"][0]], lang)
        if len(group["fingerprints"]) > 1:
            values |= {"period": neutralize(", ".join(group["periods"])), "message": neutralize(group["message"]),
                       "count": str(len(group["fingerprints"]))}
        writer.writerow([values[key] for key, _header in COLUMNS])
    for finding in doc.get("resolved", []):
        values = row(finding, lang)
        writer.writerow([values[key] for key, _header in COLUMNS])
    return BOM + buffer.getvalue()


def render(result: AuditResult, options: ReportOptions) -> str:
    return build(result.to_dict(options.lang), options.lang)


def write(result: AuditResult, stream: Any, options: ReportOptions) -> None:
    stream.write(render(result, options))
