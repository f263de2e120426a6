"""The human report: a table per organization, ending with the counts per rule and per organization, the summary
line and the next step.

Consecutive periods of the same rule and subject (a committee that missed Feb–Dec) are shown as one
row with the range, so a neglected branch gives a readable page rather than a hundred lines. The columns are
measured once for the whole report, so every organization's table lines up; where the terminal is too narrow
for the message column to hold a message (`MESSAGE_MIN` cells), each finding is a block instead, as linters
print them: level, rule, period and cell on a line, the message and its basis indented under it. Text wraps by
the Chinese line-breaking rules (common/wrap.py, reporters/terminal.py).

Text from the ledger and its file names goes to a terminal: it is printed as it is (no rich markup, so `[/x]` in a
cell is text), with control characters spelled out (`printable`), so a cell cannot send escape sequences.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from typing import TextIO

from rich.text import Text as RichText

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.finding import Finding
from ledgercheck.findings.groups import FindingGroup, group_findings
from ledgercheck.findings.result import AuditResult
from ledgercheck.findings.severity import Severity
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import WAIVED, no_findings, status, summary_line, where
from ledgercheck.reporters.terminal import (
    GAP,
    INDENT,
    Cell,
    Grid,
    collapse,
    column_width,
    console,
    emit,
    flowing,
    head_line,
    lines_of,
    para,
)
from ledgercheck.reporters.terminal import width as cell_width

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
    "rows": Text("；同一问题的多个期间合并后共{rows}行", "; {rows} rows shown, each problem's periods on one"),
    "by_rule": Text("各规则的问题数", "Findings per rule"),
    "by_org": Text("各组织的问题数", "Findings per organization"),
    "next_inputs": Text("下一步：先按「位置」改正无法读取的单元格，再重新检查；规则的依据和改法见 ledgercheck explain "
                        "规则编号。", "Next: correct the cells that could not be read (see their location) and audit "
                        "again; ledgercheck explain RULE-ID gives a rule's basis and how to fix it."),
    "next_findings": Text("下一步：按「位置」逐条改正台账（先改「错误」）后重新检查；规则的依据和改法见 ledgercheck "
                          "explain 规则编号。", "Next: correct the ledger at each location (errors first) and audit "
                          "again; ledgercheck explain RULE-ID gives a rule's basis and how to fix it."),
}
MESSAGE_MIN = 40  # cells the message column needs (20 Chinese characters); below it, the stacked layout
PERIOD_MAX = 17  # the period column: 2025-07 ~ 2025-12
STATE_STYLE = {"new": "bold magenta", "open": "", None: ""}


def _message(group: FindingGroup, lang: Lang, keep: Sequence[str]) -> Cell:
    """The message, a series' first period (its own figures) and the basis, as the paragraphs of a cell."""
    paragraphs = [para(_p(group.message(lang)), keep=keep)]
    example = group.example(lang)
    if example is not None:
        paragraphs.append(para(_p(example), "dim", keep))
    citation = _p((group.first.citation_short or group.first.citation)(lang))
    paragraphs.append(para(f"{L['basis'](lang)}：{citation}" if lang == "zh" else f"Basis: {citation}", "dim"))
    return paragraphs


def _status(finding: Finding, lang: Lang) -> tuple[str, str]:
    text = status(finding.baseline_state, finding.waiver is not None, lang)
    return text, "dim" if finding.waiver is not None else STATE_STYLE[finding.baseline_state]


def _periods(group: FindingGroup, lang: Lang) -> list[str]:
    """A group's periods in the table's short form: the range, and the count on a line of its own."""
    label = group.labels(lang)
    for mark in ("（", " ("):
        if mark in label:
            head, tail = label.split(mark, 1)
            return [head, mark.strip() + tail]
    return [label] if label else []


class _Layout:
    """The columns of a report, measured over all its findings: a table when the message column is wide enough,
    else blocks."""

    def __init__(self, groups: list[FindingGroup], lang: Lang, with_status: bool, cells: int) -> None:
        self.lang, self.with_status, self.cells = lang, with_status, cells
        firsts = [g.first for g in groups]
        titles = [L["level"](lang), *([L["status"](lang)] if with_status else []), L["rule"](lang),
                  L["period"](lang), L["where"](lang), L["message"](lang)]
        periods = [line for g in groups for line in _periods(g, lang)]
        widths = [column_width((SEVERITY[f.severity][0](lang) for f in firsts), titles[0])]
        if with_status:
            widths.append(column_width((_status(f, lang)[0] for f in firsts), L["status"](lang)))
        widths += [column_width((_p(f.rule_id) for f in firsts), L["rule"](lang)),
                   column_width(periods, L["period"](lang), PERIOD_MAX),
                   column_width((_p(f.location.short()) for f in firsts if f.location), L["where"](lang))]
        self.grid = Grid(widths, cells, MESSAGE_MIN, titles)
        self.table = self.grid.fits
        # a block's head: level, status, rule and period aligned across the report when they fit
        self.aligned = widths[:-1]

    def header(self) -> list[RichText]:
        return self.grid.header() if self.table else []

    def rows(self, group: FindingGroup, keep: Sequence[str]) -> list[RichText]:
        first = group.first
        label, style = SEVERITY[first.severity]
        level = (label(self.lang), style)
        state = [_status(first, self.lang)] if self.with_status else []
        rule = (_p(first.rule_id), "bold")
        cell = _p(first.location.short()) if first.location else ""
        message = _message(group, self.lang, keep)
        if self.table:
            def single(text: str, style: str = "") -> Cell:
                return [para(text, style)]

            return self.grid.row([single(*level), *(single(*s) for s in state), single(*rule),
                                  [para(line) for line in _periods(group, self.lang)], single(cell), message])
        head = [level, *state, rule, (group.labels(self.lang), ""), (cell, "")]
        return head_line(head, self.aligned, self.cells) + lines_of(message, self.cells, INDENT + GAP)


def _org_label(name: str, org_id: str, lang: Lang) -> str:
    """办公室党支部（B01） / 办公室党支部 (B01)."""
    return _p(f"{name}（{org_id}）" if lang == "zh" else f"{name} ({org_id})")


def _org_title(findings: list[Finding], lang: Lang, cells: int) -> list[RichText]:
    first = findings[0]
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    parts = [f"{SEVERITY[s][0](lang)} {n}" for s, n in counts.items() if n]  # 「错误 3」 kept on one line
    tally = " · ".join(parts)
    waived = sum(1 for f in findings if f.waiver is not None)
    if waived:
        tally += f"（{WAIVED(lang)} {waived}）" if lang == "zh" else f" ({waived} {WAIVED(lang)})"
    rows = len(group_findings(findings))
    if rows < len(findings):  # say what the rows are: a series of periods is one row
        tally += L["rows"].format(rows=rows)(lang)
    title = f"{_org_label(first.org_name, first.org_id, lang)}  {_p(tally)}"
    return lines_of([para(title, "bold", [_p(first.org_name), *parts])], cells)


def _resolved(result: AuditResult, lang: Lang, cells: int) -> list[RichText]:
    """Findings of the baseline that are gone: rectified. They come from the baseline's JSON as written."""
    baseline = result.baseline
    if baseline is None:
        return []
    lines: list[RichText] = []
    if baseline.resolved:
        lines.append(RichText(""))
        lines += lines_of([para(_p(L["resolved"](lang).replace("{file}", baseline.file)), "bold green")], cells)
        rows = [(_p(str(f["rule"]["id"])), _p(str(f.get("period") or "")), _p(where(f.get("location"))),
                 _p(f"{f.get('org_name', '')}（{f['org_id']}）：{f.get('message', '')}" if lang == "zh" else
                    f"{f.get('org_name', '')} ({f['org_id']}): {f.get('message', '')}")) for f in baseline.resolved]
        titles = [L[name](lang) for name in ("rule", "period", "where", "message")]
        grid = Grid([column_width((r[i] for r in rows), titles[i]) for i in range(3)], cells, MESSAGE_MIN, titles)
        if grid.fits:
            lines += grid.header()
        for rule, period, cell, message in rows:
            if grid.fits:
                lines += grid.row([[para(rule, "bold")], [para(period)], [para(cell)], [para(message)]])
            else:
                lines += head_line([(rule, "bold"), (period, ""), (cell, "")], None, cells)
                lines += lines_of([para(message)], cells, INDENT + GAP)
    if baseline.not_rechecked:
        lines += lines_of([para(L["not_rechecked"](lang).replace("{n}", str(len(baseline.not_rechecked))),
                                "yellow")], cells)
    return lines


def _listed(heading: Text, items: list[str], lang: Lang, cells: int, style: str = "bold") -> list[RichText]:
    """A heading and its items, each indented, its later lines hanging."""
    lines = lines_of([para(heading(lang), style)], cells)
    for item in items:
        lines += lines_of([para(_p(item))], cells, INDENT, INDENT)
    return lines


def _waiver_notices(result: AuditResult, lang: Lang, cells: int) -> list[RichText]:
    if not result.waiver_notices:
        return []
    return _listed(L["waivers"], [f"{n.location.file}:{n.location.line}: {n.message(lang)}"
                                  for n in result.waiver_notices], lang, cells, "bold yellow")


def _header(result: AuditResult, lang: Lang, cells: int) -> list[RichText]:
    packs = ", ".join(f"{n} {v}" for n, v in result.packs)
    colon = ": "
    lines = lines_of([para(L["title"](lang), "bold")], cells)
    lines += lines_of([para(_p(f"{L['file'](lang)}{colon}{result.file}"))], cells, 0, INDENT)
    parts = [f"{L['as_of'](lang)}{colon}{result.as_of.isoformat()}",
             f"{L['window'](lang)}{colon}{result.window.start.isoformat()} {L['to'](lang)} "
             f"{result.window.as_of.isoformat()}", f"{L['packs'](lang)}{colon}{packs}"]
    line = "    ".join(parts)
    if cell_width(line) <= cells:
        lines.append(RichText(_p(line)))
    else:
        lines += head_line([(_p(p), "") for p in parts], None, cells, 0)
    return lines


def _inputs(result: AuditResult, lang: Lang, cells: int) -> list[RichText]:
    if not result.input_issues:
        return []
    lines = [RichText(""), *lines_of([para(L["inputs"](lang), "bold")], cells)]
    levels = [LEVEL[i.level] for i in result.input_issues]
    titles = [L["level"](lang), L["where"](lang), L["message"](lang)]
    grid = Grid([column_width((label(lang) for label, _s in levels), titles[0]),
                 column_width((_p(i.location.short()) for i in result.input_issues), titles[1])], cells, MESSAGE_MIN,
                titles)
    lines += grid.header() if grid.fits else [RichText("")]
    for issue, (label, style) in zip(result.input_issues, levels):
        cell, message = _p(issue.location.short()), [para(_p(issue.message(lang)))]
        if grid.fits:
            lines += grid.row([[para(label(lang), style)], [para(cell)], message])
        else:
            lines += head_line([(label(lang), style), (cell, "")], None, cells) + lines_of(message, cells, INDENT + GAP)
    return lines


def _notes(result: AuditResult, lang: Lang, cells: int) -> list[RichText]:
    lines: list[RichText] = []
    if result.skipped_rules:
        lines += _listed(L["skipped"], [f"{s.rule_id}: {s.reason(lang)}" for s in result.skipped_rules], lang, cells)
    for cause, heading in (("rule", "rule_errors"), ("bug", "crashes")):
        crashes = [c for c in result.crashes if c.cause == cause]
        if crashes:
            lines += _listed(L[heading], [f"{c.rule_id} ({c.kind}) @ {c.org_id}: {c.describe(lang)}" for c in crashes],
                             lang, cells, "bold red")
    return lines


def _tally(findings: Sequence[Finding], lang: Lang) -> str:
    counts = Counter(f.severity for f in findings)
    return " · ".join(f"{SEVERITY[s][0](lang)} {counts[s]}" for s in Severity if counts[s])


def _counts(result: AuditResult, lang: Lang, cells: int) -> list[RichText]:
    """The findings per rule (a line of rules per severity, most first) and per organization, in columns."""
    if not result.findings:
        return []
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule_id, []).append(finding)
    rule_cells = max(cell_width(_p(r)) for r in by_rule)
    count_cells = max(len(str(len(f))) for f in by_rule.values())
    label_cells = max(cell_width(SEVERITY[s][0](lang)) for s in Severity)
    lines = [RichText(""), *lines_of([para(L["by_rule"](lang), "bold")], cells)]
    for severity in Severity:
        ranked = sorted(((r, len(f)) for r, f in by_rule.items() if f[0].severity is severity),
                        key=lambda item: (-item[1], item[0]))
        if not ranked:
            continue
        label, style = SEVERITY[severity]
        items = [(f"{_p(rule)}{' ' * (rule_cells - cell_width(_p(rule)))} {str(n).rjust(count_cells)}", style)
                 for rule, n in ranked]
        margin = INDENT + label_cells + GAP
        if margin + max(cell_width(text) for text, _s in items) > cells:  # narrower than a rule and its count
            lines += lines_of([para(label(lang), style)], cells, INDENT)
            lines += [line for rule, n in ranked for line in lines_of([para(f"{_p(rule)} {n}", style)], cells,
                                                                       2 * INDENT, INDENT)]
            continue
        rows = flowing(items, cells, margin)
        for number, row in enumerate(rows):
            prefix = RichText(" " * INDENT)
            if number == 0:
                prefix.append(label(lang), style=style)
            prefix.append(" " * (margin - prefix.cell_len))
            lines.append(prefix + row[margin:])
    orgs = [(_org_label(group[0].org_name, group[0].org_id, lang), _tally(group, lang))
            for _org, grouped in groupby(result.findings, key=lambda f: f.org_id) for group in [list(grouped)]]
    name_cells = max(cell_width(name) for name, _t in orgs)
    tally_cells = max(cell_width(tally) for _n, tally in orgs)
    lines += [RichText(""), *lines_of([para(L["by_org"](lang), "bold")], cells)]
    if INDENT + name_cells + GAP + tally_cells <= cells:
        lines += flowing([(f"{name}{' ' * (name_cells - cell_width(name) + GAP)}{tally}", "") for name, tally in orgs],
                         cells)
    else:
        lines += [line for name, tally in orgs for line in lines_of([para(f"{name}  {tally}",
                                                                            keep=[name, *tally.split(" · ")])], cells,
                                                                      INDENT, INDENT)]
    return lines


def _next_step(result: AuditResult, lang: Lang, cells: int) -> list[RichText]:
    if result.input_errors:
        return lines_of([para(L["next_inputs"](lang))], cells)
    if result.findings:
        return lines_of([para(L["next_findings"](lang))], cells)
    return []


def write(result: AuditResult, stream: TextIO, options: ReportOptions) -> None:
    lang = options.lang
    with console(stream, options) as (out, cells):
        lines = _header(result, lang, cells) + _inputs(result, lang, cells)
        if not result.findings:
            lines += lines_of([para(no_findings(len(result.input_errors), lang),
                                    "yellow" if result.input_errors else "green")], cells)
        with_status = result.baseline is not None or any(f.waiver is not None for f in result.findings)
        layout = _Layout(group_findings(result.findings), lang, with_status, cells)
        names = sorted({_p(f.org_name) for f in result.findings}, key=len, reverse=True)
        for _org, grouped in groupby(result.findings, key=lambda f: f.org_id):
            findings = list(grouped)
            lines += [RichText(""), *_org_title(findings, lang, cells)]
            lines += [RichText(""), *layout.header()]
            for group in group_findings(findings):
                lines += layout.rows(group, names)
            lines.append(RichText(""))
        lines += _resolved(result, lang, cells) + _waiver_notices(result, lang, cells) + _notes(result, lang, cells)
        lines += _counts(result, lang, cells)
        lines += [RichText(""), *lines_of([para(summary_line(result, lang), "bold")], cells)]
        emit(out, collapse(lines + _next_step(result, lang, cells)))
