"""Markdown, built from the JSON serialization: for merge-request comments and CI job summaries.

A headline with the counts, the rectification status per organization when there is a baseline, one table of
findings per organization, the resolved findings, then input problems, skipped rules and waiver notices. Text
from the ledger is escaped so a cell value cannot break a table or inject markup, and its control characters are
spelled out (`\x1b`) so that printing the report on a terminal cannot send escape sequences.
"""

from __future__ import annotations

import re
from typing import Any

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable
from ledgercheck.findings.result import AuditResult
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import SEVERITY, STATE, WAIVED, no_findings, status, where
from ledgercheck.review.baseline import Rectification, rectification_of_audit

L = {
    "title": Text("ledgercheck 审计报告", "ledgercheck audit report"),
    "file": Text("文件", "file"),
    "as_of": Text("截止日期", "as of"),
    "window": Text("审计期间", "window"),
    "packs": Text("规则包", "rule packs"),
    "rectification": Text("整改情况", "Rectification"),
    "org": Text("组织", "organization"),
    "total": Text("合计", "total"),
    "level": Text("级别", "level"),
    "status": Text("状态", "status"),
    "rule": Text("规则", "rule"),
    "period": Text("期间", "period"),
    "where": Text("位置", "location"),
    "message": Text("说明", "message"),
    "basis": Text("依据", "basis"),
    "resolved": Text("已整改", "Resolved"),
    "inputs": Text("输入问题", "Input problems"),
    "skipped": Text("未检查的规则", "Rules not checked"),
    "waivers": Text("豁免提醒", "Waiver notices"),
    "baseline": Text("基线", "baseline"),
}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")  # & too: ledger text "&amp;" is shown as written, not as "&"


def escape(text: object) -> str:
    """Markdown-safe table cell text: markup characters escaped, line breaks as <br>, control characters spelled."""
    return printable(_SPECIAL.sub(r"\\\1", str(text or "")).replace("\r\n", "\n").replace("\n", "<br>"))


def _code(text: object) -> str:
    """Text for an inline code span (a file name): backquotes cannot end it, control characters are spelled."""
    return printable(str(text).replace("`", "'").replace("\r", " ").replace("\n", " "))


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return lines + [""]


def status_table(rect: Rectification, lang: Lang) -> list[str]:
    """The rectification status per organization (also printed by `ledgercheck diff --format markdown`)."""
    headers = [L["org"](lang), STATE["new"](lang), STATE["open"](lang), STATE["resolved"](lang), WAIVED(lang),
               STATE["not_rechecked"](lang)]
    rows = [[escape(f"{o.org_name}（{o.org_id}）" if lang == "zh" else f"{o.org_name} ({o.org_id})"), str(o.new),
             str(o.open), str(o.resolved), str(o.waived), str(o.not_rechecked)] for o in rect.orgs]
    total = rect.total
    rows.append([f"**{L['total'](lang)}**", f"**{total.new}**", f"**{total.open}**", f"**{total.resolved}**",
                 f"**{total.waived}**", f"**{total.not_rechecked}**"])
    return _table(headers, rows)


def _finding_rows(groups: list[tuple[dict[str, Any], dict[str, Any]]], lang: Lang,
                  with_status: bool) -> list[list[str]]:
    """One row per group (a finding, or one rule broken by one subject in several periods): its first finding's
    level, state and cell, the periods, and the group's message."""
    rows = []
    for f, group in groups:
        series = len(group["fingerprints"]) > 1
        cells = [SEVERITY[f["severity"]](lang)]
        if with_status:
            cells.append(status(f.get("baseline_state"), bool(f.get("waiver")), lang))
        periods = (f"{group['periods'][0]} ~ {group['periods'][-1]}（{group['count']}）" if series
                   else f.get("period") or "")
        message = (escape(group["message"]) + "<br>" + escape(("例：" if lang == "zh" else "e.g. ") + f["message"])
                   if series else escape(f["message"]))
        cells += [f"`{_code(f['rule']['id'])}`", printable(periods), escape(where(f.get("location"))),
                  message + "<br>" + escape(f"{L['basis'](lang)}{'：' if lang == 'zh' else ': '}{f['citation']}")]
        rows.append(cells)
    return rows


def _headers(lang: Lang, with_status: bool) -> list[str]:
    names = ["level", "status", "rule", "period", "where", "message"] if with_status else \
        ["level", "rule", "period", "where", "message"]
    return [L[n](lang) for n in names]


def _head(doc: dict[str, Any], lang: Lang) -> list[str]:
    packs = ", ".join(f"{p['name']} {p['version']}" for p in doc["rule_packs"])
    window = doc["window"]
    counts = doc["summary"]
    tally = " · ".join(f"{SEVERITY[s](lang)} {counts[s]}" for s in ("error", "warning", "info"))
    line = (f"**{L['file'](lang)}** `{_code(doc['file'])}` · **{L['as_of'](lang)}** {doc['as_of']} · "
            f"**{L['window'](lang)}** {window['start']} – {window['end']} · **{L['packs'](lang)}** {escape(packs)}")
    return [f"## {L['title'](lang)}", "", line, "", f"**{tally}**" + (
        f" · {WAIVED(lang)} {counts['waived']}" if counts.get("waived") else ""), ""]


def build(doc: dict[str, Any], lang: Lang) -> str:
    lines = _head(doc, lang)
    baseline = doc.get("baseline")
    with_status = baseline is not None or any(f.get("waiver") for f in doc["findings"])
    if baseline is not None:
        lines += [f"### {L['rectification'](lang)}", "", f"{L['baseline'](lang)}: `{_code(baseline['file'])}` "
                  f"({baseline.get('as_of') or '—'})", ""]
        lines += status_table(rectification_of_audit(doc), lang)
    if not doc["findings"]:
        lines += [no_findings(doc["summary"]["input_errors"], lang), ""]
    orgs = {o["org_id"]: o["org_name"] for o in doc.get("organizations", [])}
    by_print = {f["fingerprint"]: f for f in doc["findings"]}
    groups = doc.get("groups") or [{"fingerprints": [f["fingerprint"]], "message": f["message"]}
                                   for f in doc["findings"]]
    paired = [(by_print[g["fingerprints"][0]], g) for g in groups]
    for org_id in dict.fromkeys(f["org_id"] for f in doc["findings"]):
        mine = [(f, g) for f, g in paired if f["org_id"] == org_id]
        name = orgs.get(org_id) or mine[0][0]["org_name"]
        lines += [f"### {escape(name)}（{escape(org_id)}）" if lang == "zh" else f"### {escape(name)} ({escape(org_id)})",
                  ""]
        lines += _table(_headers(lang, with_status), _finding_rows(mine, lang, with_status))
    if doc.get("resolved"):
        lines += [f"### {L['resolved'](lang)}", ""]
        rows = [[escape(f"{f.get('org_name', '')}（{f['org_id']}）"), f"`{_code(f['rule']['id'])}`",
                 printable(f.get("period") or ""), escape(where(f.get("location"))), escape(f.get("message", ""))]
                for f in doc["resolved"]]
        lines += _table([L[n](lang) for n in ("org", "rule", "period", "where", "message")], rows)
    lines += _notes(doc, lang)
    return "\n".join(lines).rstrip("\n") + "\n"


def _notes(doc: dict[str, Any], lang: Lang) -> list[str]:
    lines: list[str] = []
    if doc.get("input_issues"):
        lines += [f"### {L['inputs'](lang)}", ""]
        lines += [f"- {SEVERITY.get(i['level'], SEVERITY['error'])(lang)} {escape(where(i['location']))}: "
                  f"{escape(i['message'])}" for i in doc["input_issues"]] + [""]
    if doc.get("skipped_rules"):
        lines += [f"### {L['skipped'](lang)}", ""]
        lines += [f"- `{_code(s['rule'])}`: {escape(s['reason'])}" for s in doc["skipped_rules"]] + [""]
    notices = (doc.get("waivers") or {}).get("notices", [])
    if notices:
        lines += [f"### {L['waivers'](lang)}", ""]
        lines += [f"- `{_code(n['file'])}:{n['line']}`: {escape(n['message'])}" for n in notices] + [""]
    return lines


def render(result: AuditResult, options: ReportOptions) -> str:
    return build(result.to_dict(options.lang), options.lang)


def write(result: AuditResult, stream: Any, options: ReportOptions) -> None:
    stream.write(render(result, options))
