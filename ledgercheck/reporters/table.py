"""The human report: rich tables grouped by organization and severity, ending with a summary line.

Consecutive periods of the same rule and subject (a committee that missed Feb–Dec) are shown as one
row with the range, so a neglected branch gives a readable page rather than a hundred lines.

Text from the ledger and its file names goes to a terminal: it is printed as it is (no rich markup, so `[/x]` in a
cell is text), with control characters spelled out (`printable`), so a cell cannot send escape sequences.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.finding import Finding
from ledgercheck.findings.groups import FindingGroup, group_findings
from ledgercheck.findings.result import AuditResult
from ledgercheck.findings.severity import Severity
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import WAIVED, no_findings, status, summary_line, where

SEVERITY = {severity: (severity.label, style) for severity, style in
            ((Severity.ERROR, "bold red"), (Severity.WARNING, "yellow"), (Severity.INFO, "cyan"))}
LEVEL = {"error": SEVERITY[Severity.ERROR], "warning": SEVERITY[Severity.WARNING]}

L = {
    "title": Text("ledgercheck 审计报告", "ledgercheck audit report"),
    "file": Text("文件", "file"),
    "as_of": Text("截止日期", "as of"),
    "window": Text("审计期间", "window"),
    "to": Text("至", "to"),
    "packs": Text("规则包", "rule packs"),
    "level": Text("级别", "level"),
    "rule": Text("规则", "rule"),
    "period": Text("期间", "period"),
    "where": Text("位置", "location"),
    "message": Text("说明", "message"),
    "basis": Text("依据", "basis"),
    "inputs": Text("输入问题（无法读取或需要注意的单元格）", "input problems (cells that could not be read or need attention)"),
    "skipped": Text("未检查的规则（台账缺少所需数据）", "rules not checked (the ledger lacks their data)"),
    "crashes": Text("内部错误（请报告此问题；加 --debug 查看详情）", "internal errors (please report; --debug shows details)"),
    "rule_errors": Text("规则错误（规则包的问题，规则未能完成检查）", "rule errors (problems of the rule pack; these rules "
                                                         "could not finish)"),
    "status": Text("状态", "status"),
    "resolved": Text("已整改（基线 {file} 中有、本次未再发现）", "resolved (in the baseline {file}, not found now)"),
    "not_rechecked": Text("另有{n}条基线问题本次未复查（规则未运行、组织已不在台账中或期间不在审计期间内）",
                          "{n} baseline findings were not re-checked (rule not run, organization gone, or period "
                          "outside the window)"),
    "waivers": Text("豁免提醒", "waiver notices"),
}
STATE_STYLE = {"new": "bold magenta", "open": "", None: ""}


def _message(group: FindingGroup, lang: Lang) -> RichText:
    text = RichText(_p(group.message(lang)))
    example = group.example(lang)
    if example is not None:  # a series: the first period's own figures
        text.append(f"\n{_p(example)}", style="dim")
    citation = _p((group.first.citation_short or group.first.citation)(lang))
    text.append(f"\n{L['basis'](lang)}：{citation}" if lang == "zh" else f"\nBasis: {citation}", style="dim")
    return text


def _status(finding: Finding, lang: Lang) -> RichText:
    text = status(finding.baseline_state, finding.waiver is not None, lang)
    style = "dim" if finding.waiver is not None else STATE_STYLE[finding.baseline_state]
    return RichText(text, style=style)


def _org_table(findings: list[Finding], lang: Lang, with_status: bool) -> Table:
    first = findings[0]
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    tally = " · ".join(f"{SEVERITY[s][0](lang)} {n}" for s, n in counts.items() if n)
    waived = sum(1 for f in findings if f.waiver is not None)
    if waived:
        tally += f"（{WAIVED(lang)} {waived}）" if lang == "zh" else f" ({waived} {WAIVED(lang)})"
    groups = group_findings(findings)
    if len(groups) < len(findings):  # say what the rows are: a series of periods is one row
        tally += (f"；同一问题的多个期间合并后共{len(groups)}行" if lang == "zh"
                  else f"; {len(groups)} rows, a problem's periods on one")
    table = Table(title=_p(f"{first.org_name}（{first.org_id}）  {tally}"), title_justify="left", box=box.SIMPLE_HEAD,
                  show_lines=False, expand=True, title_style="bold")
    table.add_column(L["level"](lang), no_wrap=True)
    if with_status:
        table.add_column(L["status"](lang), no_wrap=True)
    table.add_column(L["rule"](lang), no_wrap=True, style="bold")
    table.add_column(L["period"](lang), no_wrap=True)
    table.add_column(L["where"](lang), no_wrap=True)
    table.add_column(L["message"](lang), ratio=1, overflow="fold")
    for group in groups:
        first = group.first
        label, style = SEVERITY[first.severity]
        cell = first.location.short() if first.location else ""
        cells = [RichText(label(lang), style=style)] + ([_status(first, lang)] if with_status else [])
        table.add_row(*cells, _p(first.rule_id), group.labels(lang).replace("（", "\n（").replace(" (", "\n("),
                      _p(cell), _message(group, lang))
    return table


def _resolved(result: AuditResult, lang: Lang, console: Console) -> None:
    """Findings of the baseline that are gone: rectified. They come from the baseline's JSON as written."""
    baseline = result.baseline
    if baseline is None:
        return
    if baseline.resolved:
        table = Table(title=_p(L["resolved"](lang).replace("{file}", baseline.file)), title_justify="left",
                      box=box.SIMPLE_HEAD, expand=True, title_style="bold green")
        for name in ("rule", "period", "where", "message"):
            table.add_column(L[name](lang), no_wrap=name != "message", ratio=1 if name == "message" else None,
                             overflow="fold")
        for finding in baseline.resolved:
            table.add_row(RichText(_p(str(finding["rule"]["id"])), style="bold"), _p(str(finding.get("period") or "")),
                          _p(where(finding.get("location"))),
                          _p(f"{finding.get('org_name', '')}（{finding['org_id']}）：{finding.get('message', '')}"
                             if lang == "zh" else
                             f"{finding.get('org_name', '')} ({finding['org_id']}): {finding.get('message', '')}"))
        console.print(table)
    if baseline.not_rechecked:
        console.print(L["not_rechecked"](lang).replace("{n}", str(len(baseline.not_rechecked))), style="yellow")


def _waiver_notices(result: AuditResult, lang: Lang, console: Console) -> None:
    if not result.waiver_notices:
        return
    console.print(L["waivers"](lang), style="bold yellow")
    for notice in result.waiver_notices:
        console.print(_p(f"  {notice.location.file}:{notice.location.line}: {notice.message(lang)}"))


def _header(result: AuditResult, lang: Lang, console: Console) -> None:
    packs = ", ".join(f"{n} {v}" for n, v in result.packs)
    console.print(L["title"](lang), style="bold")
    console.print(_p(f"{L['file'](lang)}: {result.file}"), overflow="fold")
    console.print(_p(f"{L['as_of'](lang)}: {result.as_of.isoformat()}    {L['window'](lang)}: "
                     f"{result.window.start.isoformat()} {L['to'](lang)} {result.window.as_of.isoformat()}    "
                     f"{L['packs'](lang)}: {packs}"), overflow="fold")


def _inputs(result: AuditResult, lang: Lang, console: Console) -> None:
    if not result.input_issues:
        return
    table = Table(title=L["inputs"](lang), title_justify="left", box=box.SIMPLE_HEAD, expand=True, title_style="bold")
    table.add_column(L["level"](lang), no_wrap=True)
    table.add_column(L["where"](lang), no_wrap=True)
    table.add_column(L["message"](lang), ratio=1, overflow="fold")
    for issue in result.input_issues:
        label, style = LEVEL[issue.level]
        table.add_row(RichText(label(lang), style=style), _p(issue.location.short()), _p(issue.message(lang)))
    console.print(table)


def _notes(result: AuditResult, lang: Lang, console: Console) -> None:
    if result.skipped_rules:
        console.print(L["skipped"](lang), style="bold")
        for skipped in result.skipped_rules:
            console.print(_p(f"  {skipped.rule_id}: {skipped.reason(lang)}"))
    for cause, heading in (("rule", "rule_errors"), ("bug", "crashes")):
        crashes = [c for c in result.crashes if c.cause == cause]
        if crashes:
            console.print(L[heading](lang), style="bold red")
            for crash in crashes:
                console.print(_p(f"  {crash.rule_id} ({crash.kind}) @ {crash.org_id}: {crash.describe(lang)}"))


def write(result: AuditResult, stream: TextIO, options: ReportOptions) -> None:
    lang = options.lang
    is_tty = stream.isatty() if hasattr(stream, "isatty") else False
    console = Console(file=stream, width=options.width or (None if is_tty else 120),
                      force_terminal=options.color, no_color=options.color is False, highlight=False,
                      soft_wrap=False, markup=False, emoji=False)
    _header(result, lang, console)
    _inputs(result, lang, console)
    if not result.findings:
        console.print(no_findings(len(result.input_errors), lang), style="yellow" if result.input_errors else "green")
    with_status = result.baseline is not None or any(f.waiver is not None for f in result.findings)
    for _org, group in groupby(result.findings, key=lambda f: f.org_id):
        console.print(_org_table(list(group), lang, with_status))
    _resolved(result, lang, console)
    _waiver_notices(result, lang, console)
    _notes(result, lang, console)
    console.print(summary_line(result, lang), style="bold")
