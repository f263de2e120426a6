"""The audit as one self-contained HTML page, for the branch secretary who has to put the ledger right.

First whether the check is complete, the counts and a chart of the problems by category, a table of the
organizations, then each organization's findings by category with the regulation and how to put each right.
The input problems come before the findings when they kept the check from being complete, after them otherwise.

`body` is the fragment a web front end embeds in its own page (every class starts with `lc-`, nothing is scoped
to `body`; the stylesheet is `CSS`); `write` wraps it in a page. Nothing is fetched: no script, font, style or
image. Every piece of ledger text is escaped.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TextIO

from ledgercheck.common.i18n import Front, Lang, Text, vocab
from ledgercheck.common.location import Location
from ledgercheck.findings.finding import Finding
from ledgercheck.findings.groups import FindingGroup, group_findings
from ledgercheck.findings.result import AuditResult, RuleInfo
from ledgercheck.model.issues import InputIssue, input_fix
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import SEVERITY, STATE, WAIVED, summary_line, where
from ledgercheck.reporters.markup import escape
from ledgercheck.reporters.scan.svg import fit, text_width

LEVELS = ("error", "warning", "info")
RUN = 10  # at most this many rows share a rule's cells: a printed page breaks between the runs
COLORS = {"error": "#C00000", "warning": "#E65100", "info": "#1565C0"}  # as --lc-red, --lc-orange, --lc-blue

# A finding's category is its rule's first tag that names one (the national pack's tags), in this order.
OTHER = "其他"
CATEGORIES: dict[str, Text] = {
    "组织设置": Text("组织设置", "Organization setup"),
    "三会一课": Text("三会一课", "Three meetings and one lecture"),
    "组织生活": Text("组织生活", "Organizational life"),
    "党费": Text("党费", "Party dues"),
    "发展党员": Text("发展党员", "Recruiting members"),
    "换届": Text("换届", "Committee terms"),
    "选举": Text("选举", "Elections"),
    "教育培训": Text("教育培训", "Education and training"),
    "党员管理": Text("党员管理", "Member management"),
    "台账": Text("台账", "Ledger records"),
    "local-practice": Text("地方做法", "Local practice"),
    OTHER: Text("其他", "Other"),
}

L: dict[str, Text] = {
    "title": Text("台账检查报告", "Ledger audit report"),
    "file": Text("文件", "File"),
    "as_of": Text("截止日期", "As of"),
    "window": Text("审计期间", "Window"),
    "to": Text("至", "to"),
    "packs": Text("规则包", "Rule packs"),
    "orgs": Text("组织", "Organizations"),
    "errors": Text("错误", "Errors"),
    "warnings": Text("警告", "Warnings"),
    "infos": Text("提示", "Info"),
    "inputs_card": Text("输入问题", "Input problems"),
    "chart": Text("问题分类统计", "Problems by category"),
    "org_table": Text("各组织情况", "Organizations"),
    "org": Text("组织", "Organization"),
    "org_type": Text("类型", "Type"),
    "total": Text("合计", "Total"),
    "findings": Text("检查发现的问题", "Findings"),
    "level": Text("级别", "Level"),
    "rule": Text("规则", "Rule"),
    "period": Text("期间", "Period"),
    "where": Text("位置", "Location"),
    "message": Text("说明", "Message"),
    "basis": Text("依据", "Basis"),
    "fix": Text("怎样改正", "How to fix"),
    "reason": Text("原因", "Reason"),
    "org_clean": Text("未发现问题。", "No problems found."),
    "inputs": Text("输入问题（无法读取或需要注意的单元格）", "Input problems (cells that could not be read or need attention)"),
    "inputs_note": Text("级别为“错误”的单元格或行无法读取，没有参加检查；改正后请重新检查。",
                        "Cells and rows of level error could not be read and were not checked; correct them and "
                        "audit again."),
    "no_inputs": Text("没有输入问题：台账各表都已读入。", "No input problems: every sheet of the ledger was read."),
    "skipped": Text("未检查的规则（台账缺少所需数据）", "Rules not checked (the ledger lacks their data)"),
    "rule_errors": Text("规则错误（规则包的问题，这些规则未能完成检查）",
                        "Rule errors (problems of the rule pack; these rules could not finish)"),
    "crashes": Text("内部错误（请报告此问题；加 --debug 查看详情）", "Internal errors (please report; --debug shows details)"),
    "crashes_web": Text("内部错误（请报告此问题）", "Internal errors (please report)"),
    "resolved": Text("已整改（基线 {file} 中有、本次未再发现）", "Resolved (in the baseline {file}, not found now)"),
    "waivers": Text("豁免提醒", "Waiver notices"),
    "waiver": Text("已豁免：{reason}（审批人 {approver}，有效期至 {expires}）",
                   "Waived: {reason} (approved by {approver}, until {expires})"),
}

CSS = """
.lc-report { --lc-red: #C00000; --lc-orange: #E65100; --lc-blue: #1565C0; --lc-green: #2E7D32;
  --lc-ink: #212121; --lc-muted: #616161; --lc-line: #E0E0E0; --lc-head: #FBE9E7;
  max-width: 1240px; margin: 0 auto; padding: 24px 32px 64px; color: var(--lc-ink); background: #FFF;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif;
  font-size: 15px; line-height: 1.6; text-align: left; overflow-wrap: break-word; }
.lc-report *, .lc-report *::before, .lc-report *::after { box-sizing: border-box; }
.lc-report h1 { color: var(--lc-red); font-size: 26px; line-height: 1.3; margin: 0 0 8px; padding-bottom: 8px;
  border-bottom: 3px solid var(--lc-red); }
.lc-report h2 { font-size: 20px; line-height: 1.35; margin: 36px 0 12px; padding-left: 10px;
  border-left: 5px solid var(--lc-red); }
.lc-report h3 { font-size: 18px; line-height: 1.4; margin: 0; }
.lc-report h4 { font-size: 16px; line-height: 1.4; margin: 16px 0 6px; }
.lc-report a { color: var(--lc-blue); }
.lc-meta { display: flex; flex-wrap: wrap; gap: 0 24px; margin: 2px 0; color: var(--lc-muted); }
.lc-meta b { color: var(--lc-ink); font-weight: 600; }
.lc-status { margin: 18px 0; padding: 12px 16px; border-radius: 6px; border-left: 6px solid; font-weight: 600; }
.lc-status-clean { background: #E8F5E9; border-color: var(--lc-green); color: #1B5E20; }
.lc-status-done { background: #E3F2FD; border-color: var(--lc-blue); }
.lc-status-incomplete { background: #FFF3E0; border-color: var(--lc-orange); color: #BF360C; }
.lc-cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(104px, 1fr)); gap: 12px; margin: 18px 0; }
.lc-card { border: 1px solid var(--lc-line); border-top: 4px solid var(--lc-line); border-radius: 6px;
  padding: 8px 14px; }
.lc-card b { display: block; font-size: 28px; line-height: 1.25; font-variant-numeric: tabular-nums; }
.lc-card span { color: var(--lc-muted); }
.lc-card-error { border-top-color: var(--lc-red); } .lc-card-error.lc-some b { color: var(--lc-red); }
.lc-card-warning { border-top-color: var(--lc-orange); } .lc-card-warning.lc-some b { color: var(--lc-orange); }
.lc-card-info { border-top-color: var(--lc-blue); } .lc-card-info.lc-some b { color: var(--lc-blue); }
.lc-card-inputs.lc-some { border-top-color: var(--lc-orange); }
.lc-summary { color: var(--lc-muted); }
.lc-chart { display: block; max-width: 100%; height: auto; margin: 8px 0; }
.lc-chart text { fill: var(--lc-ink); }
.lc-chart .lc-axis { fill: var(--lc-muted); }
.lc-scroll { overflow-x: auto; margin: 6px 0 14px; }
.lc-table { border-collapse: collapse; width: 100%; }
.lc-table th, .lc-table td { border: 1px solid var(--lc-line); padding: 5px 8px; text-align: left;
  vertical-align: top; }
.lc-table th { background: var(--lc-head); font-weight: 600; white-space: nowrap; }
.lc-table .lc-n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.lc-table tfoot td { font-weight: 600; background: #FAFAFA; }
.lc-orgs { width: auto; }
.lc-orgs td.lc-n, .lc-orgs th.lc-n { min-width: 4.5em; }
.lc-nowrap { white-space: nowrap; }
.lc-sub { color: var(--lc-muted); font-size: 13px; font-weight: normal; }
.lc-id { display: block; color: var(--lc-muted); font-size: 12px; overflow-wrap: anywhere;
  font-family: ui-monospace, "SFMono-Regular", Consolas, "Liberation Mono", monospace; }
.lc-report code { font-family: ui-monospace, "SFMono-Regular", Consolas, "Liberation Mono", monospace, sans-serif;
  font-size: 0.95em; }
.lc-file { display: block; white-space: normal; overflow-wrap: anywhere; color: var(--lc-muted); font-size: 13px; }
.lc-sev { font-weight: 700; white-space: nowrap; }
.lc-error { color: var(--lc-red); }
.lc-warning { color: var(--lc-orange); }
.lc-info { color: var(--lc-blue); }
.lc-ok { color: var(--lc-green); }
.lc-list { table-layout: fixed; min-width: 880px; }
.lc-input-list, .lc-skipped { min-width: 640px; }
.lc-findings .lc-col-level { width: 6%; } .lc-findings .lc-col-rule { width: 14%; }
.lc-findings .lc-col-period { width: 9%; } .lc-findings .lc-col-where { width: 10%; }
.lc-findings .lc-col-message { width: 27%; } .lc-findings .lc-col-basis { width: 14%; }
.lc-findings .lc-col-fix { width: 20%; }
.lc-input-list .lc-col-level { width: 7%; } .lc-input-list .lc-col-where { width: 15%; }
.lc-input-list .lc-col-message { width: 44%; } .lc-input-list .lc-col-fix { width: 34%; }
.lc-skipped .lc-col-rule { width: 45%; } .lc-skipped .lc-col-reason { width: 55%; }
.lc-list .lc-basis { color: var(--lc-muted); font-size: 14px; }
.lc-list tr.lc-sev-error > td:first-child { box-shadow: inset 4px 0 0 var(--lc-red); }
.lc-list tr.lc-sev-warning > td:first-child { box-shadow: inset 4px 0 0 var(--lc-orange); }
.lc-list tr.lc-sev-info > td:first-child { box-shadow: inset 4px 0 0 var(--lc-blue); }
.lc-badge { display: inline-block; margin: 2px 0 0 4px; padding: 0 6px; border: 1px solid; border-radius: 9px;
  font-size: 12px; font-weight: normal; line-height: 1.5; white-space: nowrap; }
.lc-badge-new { color: #6A1B9A; }
.lc-badge-open, .lc-badge-waived { color: var(--lc-muted); }
.lc-list tr.lc-waived > td { background: #F7F7F7; }
.lc-waiver { display: block; margin-top: 2px; color: var(--lc-muted); font-size: 13px; }
.lc-example { display: block; margin-top: 2px; color: var(--lc-muted); font-size: 13px; }
.lc-org { margin: 24px 0 0; padding-top: 10px; border-top: 1px solid var(--lc-line); }
.lc-tally { margin: 2px 0 8px; }
@media screen and (max-width: 720px) {
  .lc-report { padding: 12px 12px 40px; font-size: 14px; }
  .lc-report h1 { font-size: 22px; }
  .lc-report h2 { font-size: 18px; margin-top: 28px; }
  .lc-stack, .lc-stack tbody, .lc-stack tr, .lc-stack td { display: block; width: auto; min-width: 0; }
  .lc-stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .lc-stack tr { margin: 0 0 10px; padding: 6px 0; border: 1px solid var(--lc-line); border-left-width: 4px;
    border-radius: 6px; }
  .lc-stack tr.lc-sev-error { border-left-color: var(--lc-red); }
  .lc-stack tr.lc-sev-warning { border-left-color: var(--lc-orange); }
  .lc-stack tr.lc-sev-info { border-left-color: var(--lc-blue); }
  .lc-list.lc-stack tr > td:first-child { box-shadow: none; }
  .lc-stack td { position: relative; padding: 2px 10px 2px 6.5em; border: 0; }
  .lc-stack td::before { content: attr(data-label); position: absolute; left: 10px; width: 5.5em;
    color: var(--lc-muted); font-size: 13px; font-weight: normal; }
}
@page { size: A4; margin: 15mm; }
@media print {
  .lc-report { max-width: none; margin: 0; padding: 0; font-size: 10pt;
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .lc-report h2, .lc-report h3, .lc-report h4, .lc-org-head { break-after: avoid; page-break-after: avoid; }
  .lc-status, .lc-cards, .lc-chart, .lc-org-head, .lc-table tr { break-inside: avoid; page-break-inside: avoid; }
  .lc-scroll { overflow: visible; }
  .lc-list, .lc-input-list, .lc-skipped { min-width: 0; }
  .lc-table { font-size: 9pt; line-height: 1.45; }
  .lc-table th, .lc-table td { padding: 3px 5px; }
  .lc-list .lc-basis { font-size: 8.5pt; }
  .lc-id { font-size: 7.5pt; }
  .lc-findings .lc-col-level { width: 7%; } .lc-findings .lc-col-rule { width: 16%; }
  .lc-findings .lc-col-period { width: 10%; } .lc-findings .lc-col-where { width: 10%; }
  .lc-findings .lc-col-message { width: 25%; } .lc-findings .lc-col-basis { width: 14%; }
  .lc-findings .lc-col-fix { width: 18%; }
  .lc-report a { color: inherit; text-decoration: none; }
}
"""

_SAFE_ID = re.compile(r"[\w-]+")


def org_anchor(org_id: str) -> str:
    """`lc-org-B01`: the id of an organization's section, for links from this page and others.

    An org ID with characters an id or a URL fragment cannot hold as they are gets them replaced and a short hash
    appended, so two organizations never share an anchor.
    """
    if _SAFE_ID.fullmatch(org_id):
        return f"lc-org-{org_id}"
    cleaned = re.sub(r"[^\w-]+", "_", org_id).strip("_")
    digest = hashlib.sha1(org_id.encode("utf-8")).hexdigest()[:8]
    return f"lc-org-{cleaned}-{digest}" if cleaned else f"lc-org-{digest}"


def category(info: RuleInfo | None) -> str:
    """The category (a key of CATEGORIES) of a rule's findings."""
    return next((tag for tag in (info.tags if info else ()) if tag in CATEGORIES), OTHER)


def incomplete(result: AuditResult) -> bool:
    """Part of the ledger went unchecked: unreadable input, rules without their data, a sheet missing, a crash."""
    return not result.complete


def _h(text: object) -> str:
    """Escaped text, line breaks kept."""
    return escape("" if text is None else str(text)).replace("\r\n", "\n").replace("\n", "<br>")


def _period(finding: Finding, lang: Lang) -> str:
    """2025年5月, 2025年第3季度: a line break may come after 年, nowhere else."""
    if finding.period is None:
        return "—"
    words = re.split(r"(?<=年)", finding.period.localized(lang))
    return "<wbr>".join(f'<span class="lc-nowrap">{_h(word)}</span>' for word in words if word)


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(LEVELS, 0)
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def _tally(counts: dict[str, int], lang: Lang) -> str:
    return " · ".join(f'<span class="lc-{level}">{escape(SEVERITY[level](lang))} {counts[level]}</span>'
                      for level in LEVELS if counts[level])


def _table(headers: Sequence[tuple[str, str]], rows: Iterable[str], css: str = "", foot: str = "",
           cols: Sequence[str] = ()) -> str:
    """headers: (label, css class); rows: finished <tr> elements; cols: the columns' names, for their widths in
    the stylesheet (the same in every table of a kind, so that a page of them lines up)."""
    head = "".join(f'<th class="{c}">{escape(h)}</th>' if c else f"<th>{escape(h)}</th>" for h, c in headers)
    group = "<colgroup>" + "".join(f'<col class="lc-col-{c}">' for c in cols) + "</colgroup>" if cols else ""
    tfoot = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (f'<div class="lc-scroll"><table class="lc-table {css}">{group}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody>{tfoot}</table></div>")


def _td(label: str, content: str, css: str = "", rowspan: int = 1) -> str:
    """A cell with its column's name, shown before it when a narrow screen stacks the row into a block."""
    attrs = f' data-label="{escape(label)}"'
    if css:
        attrs += f' class="{css}"'
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    return f"<td{attrs}>{content}</td>"


@dataclass
class _OrgGroup:
    org_id: str
    name: str
    org_type: str
    findings: list[Finding] = field(default_factory=list)


class _Report:
    def __init__(self, result: AuditResult, lang: Lang, front: Front = "cli"):
        self.result = result
        self.lang = lang
        self.front = front
        self.rules = {info.rule_id: info for info in result.rule_info}
        # The file name goes before a cell only when the ledger is kept in several workbooks.
        self.several = any(isinstance(sheet, dict) and sheet.get("file") for sheet in result.sheets)
        self.incomplete = incomplete(result)
        self.groups = self._groups()

    def t(self, key: str) -> str:
        return L[key](self.lang)

    def _groups(self) -> list[_OrgGroup]:
        """Every organization in ledger order with its findings (an organization with none too)."""
        groups = {o.org_id: _OrgGroup(o.org_id, o.name, o.org_type) for o in self.result.organizations}
        for finding in self.result.findings:
            group = groups.get(finding.org_id)
            if group is None:
                group = groups[finding.org_id] = _OrgGroup(finding.org_id, finding.org_name, "")
            group.findings.append(finding)
        return list(groups.values())

    def cell(self, location: Location | None) -> str:
        if location is None:
            return "—"
        short = location.short()
        # 组织生活!F64 may break after the "!", nowhere else.
        code = "<code>" + "<wbr>".join(f'<span class="lc-nowrap">{_h(part)}</span>'
                                       for part in re.split(r"(?<=!)", short) if part) + "</code>"
        if self.several and location.file and location.line is None and short != location.file:
            name = PurePath(location.file).name  # the whole path on hover
            return f'<span class="lc-file" title="{escape(location.file)}">[{_h(name)}]</span>{code}'
        return code

    # ------------------------------------------------------------------ the head of the page

    def head(self) -> str:
        result, t = self.result, self.t
        packs = ", ".join(f"{name} {version}" for name, version in result.packs)
        sep = "：" if self.lang == "zh" else ": "
        items = [[(t("file"), result.file)],
                 [(t("as_of"), result.as_of.isoformat()),
                  (t("window"), f"{result.window.start.isoformat()} {t('to')} {result.window.as_of.isoformat()}"),
                  (t("packs"), packs)]]
        lines = "".join('<p class="lc-meta">' + "".join(f"<span><b>{escape(k)}</b>{sep}{_h(v)}</span>"
                                                          for k, v in line) + "</p>" for line in items)
        return f'<header class="lc-head"><h1>{escape(t("title"))}</h1>{lines}</header>'

    def status(self) -> str:
        result, zh = self.result, self.lang == "zh"
        counts = result.counts()
        found = len(result.findings)
        if self.incomplete:
            issues, skipped = len(result.input_issues), len(result.skipped_rules)
            crashed = len({c.rule_id for c in result.crashes})
            parts = []
            if issues:
                parts.append(f"有{issues}个输入问题" if zh else f"{issues} input problem{'s' * (issues != 1)}")
            if skipped:
                parts.append(f"{skipped}条规则因缺少数据未检查" if zh else
                             f"{skipped} rule{'s' * (skipped != 1)} not checked for lack of data")
            if crashed:
                parts.append(f"{crashed}条规则出错未能完成检查" if zh else
                             f"{crashed} rule{'s' * (crashed != 1)} could not finish")
            link = '<a href="#lc-inputs">' + ("输入问题" if zh else "input problems") + "</a>"
            if zh:
                what = "，".join(parts)
                todo = f"先改正下面的{link}，再重新检查" if issues else "先补齐下面列出的数据，再重新检查"
                text = f"检查不完整：{what}。{todo}；在此之前，列出的问题可能不是全部。"
            else:
                what = ", ".join(parts)
                todo = (f"correct the {link} below first, then audit again" if issues else
                        "add the missing data listed below, then audit again")
                text = f"Incomplete check: {what}. To finish it, {todo}; until then the findings may not be all."
            return f'<p class="lc-status lc-status-incomplete" role="status">{text}</p>'
        if not found:
            text = (f"✓ 未发现问题：{result.orgs}个组织已按{result.rules}条规则全部检查。" if zh else
                    f"✓ No problems found: {result.orgs} organizations checked against all {result.rules} rules.")
            return f'<p class="lc-status lc-status-clean" role="status">{text}</p>'
        text = (f"检查完整：{result.orgs}个组织已按{result.rules}条规则全部检查，发现问题{found}条（错误{counts['error']}条，"
                f"警告{counts['warning']}条，提示{counts['info']}条），请按下文逐条改正。" if zh else
                f"Complete check: {result.orgs} organizations checked against all {result.rules} rules; {found} "
                f"problems found ({counts['error']} errors, {counts['warning']} warnings, {counts['info']} info). "
                f"Put each right as described below.")
        return f'<p class="lc-status lc-status-done" role="status">{text}</p>'

    def cards(self) -> str:
        result = self.result
        counts = result.counts()
        items = [("orgs", result.orgs, "orgs"), ("error", counts["error"], "errors"),
                 ("warning", counts["warning"], "warnings"), ("info", counts["info"], "infos"),
                 ("inputs", len(result.input_issues), "inputs_card")]
        cards = "".join(f'<div class="lc-card lc-card-{key}{" lc-some" if value else ""}" data-key="{key}">'
                        f"<b>{value}</b><span>{escape(self.t(label))}</span></div>" for key, value, label in items)
        return (f'<div class="lc-cards">{cards}</div>'
                f'<p class="lc-summary">{_h(summary_line(result, self.lang))}</p>')

    # ------------------------------------------------------------------ the chart and the organizations

    def by_category(self) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        for finding in self.result.findings:
            key = category(self.rules.get(finding.rule_id))
            found.setdefault(key, dict.fromkeys(LEVELS, 0))[finding.severity.value] += 1
        return {key: found[key] for key in CATEGORIES if key in found}

    def chart(self) -> str:
        """Horizontal bars of the problems per category, each split by level."""
        rows = [(CATEGORIES[key](self.lang), counts) for key, counts in self.by_category().items()]
        if not rows:
            return ""
        title, size, row, top, plot = self.t("chart"), 15, 30, 62, 300
        label_width = math.ceil(min(max(text_width(label, size) for label, _c in rows), 280)) + 14
        width = label_width + plot + 50  # room for the total after the longest bar
        peak = max(sum(counts.values()) for _label, counts in rows)
        height = top + row * len(rows) + 8
        parts = [f'<svg class="lc-chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
                 f'height="{height}" aria-label="{escape(title)}">',
                 f'<text x="0" y="20" font-size="16" font-weight="bold">{escape(title)}</text>']
        x = 0.0
        for level in LEVELS:
            word = SEVERITY[level](self.lang)
            parts.append(f'<rect x="{x:.1f}" y="33" width="12" height="12" fill="{COLORS[level]}"/>'
                         f'<text x="{x + 17:.1f}" y="44" font-size="13" class="lc-axis">{escape(word)}</text>')
            x += 17 + text_width(word, 13) + 18
        for index, (label, counts) in enumerate(rows):
            y = top + index * row
            parts.append(f'<text x="{label_width - 10}" y="{y + row / 2 + 5:.1f}" text-anchor="end" '
                         f'font-size="{size}">{escape(fit(label, label_width - 14, size))}</text>')
            left = float(label_width)
            for level in LEVELS:
                if not counts[level]:
                    continue
                span = plot * counts[level] / peak
                parts.append(f'<rect class="lc-bar" x="{left:.1f}" y="{y + 5}" width="{span:.1f}" height="{row - 10}" '
                             f'fill="{COLORS[level]}"><title>{escape(label)} · {escape(SEVERITY[level](self.lang))}'
                             f" {counts[level]}</title></rect>")
                left += span
            parts.append(f'<text x="{left + 8:.1f}" y="{y + row / 2 + 5:.1f}" font-size="14">'
                         f"{sum(counts.values())}</text>")
        parts.append("</svg>")
        return "".join(parts)

    def org_table(self) -> str:
        t = self.t
        rows, totals = [], dict.fromkeys(LEVELS, 0)
        for group in self.groups:
            counts = _counts(group.findings)
            for level in LEVELS:
                totals[level] += counts[level]
            name = (f'<a href="#{escape(org_anchor(group.org_id))}">{_h(group.name)}</a> '
                    f'<span class="lc-sub">{_h(group.org_id)}</span>')
            cells = [_td(t("org"), name), _td(t("org_type"), _h(vocab(group.org_type, self.lang)), "lc-nowrap")]
            cells += [_td(t(label), str(counts[level]) if counts[level] else "0",
                          f"lc-n lc-{level}" if counts[level] else "lc-n")
                      for level, label in zip(LEVELS, ("errors", "warnings", "infos"))]
            rows.append(f"<tr>{''.join(cells)}</tr>")
        foot = ("<tr>" + _td(t("org"), escape(t("total"))) + _td(t("org_type"), "")
                + "".join(_td(t(label), str(totals[level]), "lc-n")
                          for level, label in zip(LEVELS, ("errors", "warnings", "infos"))) + "</tr>")
        headers = [(t("org"), ""), (t("org_type"), ""), (t("errors"), "lc-n"), (t("warnings"), "lc-n"),
                   (t("infos"), "lc-n")]
        return (f'<section class="lc-section" id="lc-organizations"><h2>{escape(t("org_table"))}</h2>'
                f"{_table(headers, rows, 'lc-orgs', foot)}</section>")

    # ------------------------------------------------------------------ findings

    def findings(self) -> str:
        parts = [f'<section class="lc-section" id="lc-findings"><h2>{escape(self.t("findings"))}</h2>']
        parts += [self.org_section(group) for group in self.groups]
        parts.append("</section>")
        return "".join(parts)

    def org_section(self, group: _OrgGroup) -> str:
        lang, t = self.lang, self.t
        counts = _counts(group.findings)
        kind = vocab(group.org_type, lang)
        sub = " · ".join(_h(part) for part in (group.org_id, kind) if part)
        if group.findings:
            tally = _tally(counts, lang)
            waived = sum(1 for f in group.findings if f.waiver is not None)
            if waived:
                tally += f'（{escape(WAIVED(lang))} {waived}）' if lang == "zh" else f" ({waived} {escape(WAIVED(lang))})"
        else:
            tally = f'<span class="lc-ok">{escape(t("org_clean"))}</span>'
        parts = [f'<section class="lc-org" id="{escape(org_anchor(group.org_id))}">'
                 f'<header class="lc-org-head"><h3>{_h(group.name)} <span class="lc-sub">{sub}</span></h3>'
                 f'<p class="lc-tally">{tally}</p></header>']
        by_category: dict[str, list[Finding]] = {}
        for finding in group.findings:
            by_category.setdefault(category(self.rules.get(finding.rule_id)), []).append(finding)
        for key in CATEGORIES:
            if key in by_category:
                mine = by_category[key]
                parts.append(f'<h4>{escape(CATEGORIES[key](lang))} <span class="lc-sub">{len(mine)}</span></h4>')
                parts.append(self.finding_table(mine))
        parts.append("</section>")
        return "".join(parts)

    def finding_table(self, findings: list[Finding]) -> str:
        t = self.t
        names = ("level", "rule", "period", "where", "message", "basis", "fix")
        rows: list[str] = []
        groups = group_findings(findings)  # a rule broken by one subject in several periods: one row
        index = 0
        while index < len(groups):
            # A rule's consecutive rows share its title, basis and fix (cells spanning up to RUN rows).
            end = index + 1
            while end < len(groups) and end - index < RUN and groups[end].first.rule_id == groups[index].first.rule_id:
                end += 1
            for position in range(index, end):
                rows.append(self.finding_row(groups[position].first, end - index if position == index else 0,
                                             groups[position]))
            index = end
        return _table([(t(n), "") for n in names], rows, "lc-list lc-stack lc-findings", cols=names)

    def finding_row(self, finding: Finding, span: int, group: FindingGroup | None = None) -> str:
        """One finding (or a series of them, `group`); `span` > 0 on the first row of a rule's run (its title, basis
        and fix cells), else 0."""
        lang, t = self.lang, self.t
        level = finding.severity.value
        info = self.rules.get(finding.rule_id)
        badges = ""
        if finding.baseline_state in ("new", "open"):
            badges += (f'<span class="lc-badge lc-badge-{finding.baseline_state}">'
                       f"{escape(STATE[finding.baseline_state](lang))}</span>")
        if finding.waiver is not None:
            badges += f'<span class="lc-badge lc-badge-waived">{escape(WAIVED(lang))}</span>'
        series = group is not None and group.count > 1
        message = _h(finding.message(lang))
        if group is not None and series:
            message = f'{_h(group.message(lang))}<span class="lc-example">{_h(group.example(lang))}</span>'
        if finding.waiver is not None:
            waiver = finding.waiver
            note = L["waiver"].format(reason=waiver.reason, approver=waiver.approver, expires=waiver.expires)
            message += f'<span class="lc-waiver">{_h(note(lang))}</span>'
        cells = [_td(t("level"), f'<span class="lc-sev lc-{level}">{escape(SEVERITY[level](lang))}</span>{badges}')]
        if span:
            title = info.title(lang) if info else finding.rule_title(lang)
            cells.append(_td(t("rule"), f'{_h(title)}<span class="lc-id">{_h(finding.rule_id)}</span>', "lc-rule",
                             span))
        period = _h(group.labels(lang)) if group is not None and series else _period(finding, lang)
        cells += [_td(t("period"), period), _td(t("where"), self.cell(finding.location), "lc-cell"),
                  _td(t("message"), message, "lc-msg")]
        if span:
            basis = info.basis(lang) if info else (finding.citation_short or finding.citation)(lang)
            fix = info.fix(lang) if info and info.fix else "—"
            cells += [_td(t("basis"), _h(basis), "lc-basis", span), _td(t("fix"), _h(fix), "lc-fix", span)]
        css = f"lc-sev-{level}" + (" lc-waived" if finding.waiver is not None else "")
        return f'<tr class="{css}">{"".join(cells)}</tr>'

    # ------------------------------------------------------------------ input problems and what was not checked

    def inputs(self) -> str:
        result, lang, t = self.result, self.lang, self.t
        parts = [f'<section class="lc-section lc-inputs" id="lc-inputs"><h2>{escape(t("inputs"))}</h2>']
        if result.input_issues:
            parts.append(f'<p class="lc-sub">{escape(t("inputs_note"))}</p>')
            rows = [self.input_row(issue) for issue in result.input_issues]
            names = ("level", "where", "message", "fix")
            parts.append(_table([(t(n), "") for n in names], rows, "lc-list lc-stack lc-input-list", cols=names))
        else:
            parts.append(f'<p class="lc-ok">{escape(t("no_inputs"))}</p>')
        if result.skipped_rules:
            parts.append(f"<h3>{escape(t('skipped'))}</h3>")
            rows = []
            for skipped in result.skipped_rules:
                title = _h(skipped.title(lang)) if skipped.title else ""
                title += f'<span class="lc-id">{_h(skipped.rule_id)}</span>'
                rows.append(f"<tr>{_td(t('rule'), title, 'lc-rule')}"
                            f"{_td(t('reason'), _h(skipped.reason(lang)), 'lc-msg')}</tr>")
            parts.append(_table([(t("rule"), ""), (t("reason"), "")], rows, "lc-list lc-stack lc-skipped",
                                cols=("rule", "reason")))
        bug = "crashes_web" if self.front == "web" else "crashes"
        for cause, heading in (("rule", "rule_errors"), ("bug", bug)):
            crashes = [c for c in result.crashes if c.cause == cause]
            if crashes:
                parts.append(f'<h3 class="lc-error">{escape(t(heading))}</h3><ul>')
                parts += [f"<li><code>{_h(c.rule_id)}</code> ({_h(c.kind)}) @ {_h(c.org_id)}: {_h(c.describe(lang))}"
                          "</li>" for c in crashes]
                parts.append("</ul>")
        parts.append("</section>")
        return "".join(parts)

    def input_row(self, issue: InputIssue) -> str:
        lang, t = self.lang, self.t
        level = issue.level
        fix = input_fix(issue.code, self.front)
        cells = [_td(t("level"), f'<span class="lc-sev lc-{level}">{escape(SEVERITY[level](lang))}</span>'),
                 _td(t("where"), self.cell(issue.location), "lc-cell"),
                 _td(t("message"), f'{_h(issue.message(lang, self.front))}<span class="lc-id">{_h(issue.code)}</span>', "lc-msg"),
                 _td(t("fix"), _h(fix(lang)) if fix else "—", "lc-fix")]
        return f'<tr class="lc-sev-{level}">{"".join(cells)}</tr>'

    # ------------------------------------------------------------------ review: resolved findings, waivers

    def review(self) -> str:
        result, lang, t = self.result, self.lang, self.t
        parts: list[str] = []
        baseline = result.baseline
        if baseline is not None and baseline.resolved:
            parts.append(f'<section class="lc-section" id="lc-resolved">'
                         f"<h2>{_h(t('resolved').replace('{file}', baseline.file))}</h2>")
            rows = []
            for found in baseline.resolved:
                org = f"{found.get('org_name', '')}（{found['org_id']}）" if lang == "zh" else \
                    f"{found.get('org_name', '')} ({found['org_id']})"
                rows.append("<tr>" + _td(t("org"), _h(org)) + _td(t("rule"), f'<span class="lc-id">'
                                                                  f"{_h(found['rule']['id'])}</span>")
                            + _td(t("period"), _h(found.get("period") or "—"), "lc-nowrap")
                            + _td(t("where"), f"<code>{_h(where(found.get('location')))}</code>", "lc-cell")
                            + _td(t("message"), _h(found.get("message", "")), "lc-msg") + "</tr>")
            parts.append(_table([(t(n), "") for n in ("org", "rule", "period", "where", "message")], rows,
                                "lc-list lc-stack lc-resolved"))
            parts.append("</section>")
        if result.waiver_notices:
            parts.append(f'<section class="lc-section" id="lc-waivers"><h2>{escape(t("waivers"))}</h2><ul>')
            parts += [f"<li><code>{_h(n.location.file)}:{n.location.line}</code> {_h(n.message(lang))}</li>"
                      for n in result.waiver_notices]
            parts.append("</ul></section>")
        return "".join(parts)


def body(result: AuditResult, lang: Lang, front: Front = "cli") -> str:
    """The report as an HTML fragment (no <html>, <head> or <body>) in one `<div class="lc-report">`; `front`: who
    reads it (the web page shows it, and its advice names the page's fields rather than options)."""
    report = _Report(result, lang, front)
    parts = [f'<div class="lc-report" lang="{"en" if lang == "en" else "zh-CN"}">', report.head(), report.status(),
             report.cards(), report.chart(), report.org_table()]
    if report.incomplete:
        parts += [report.inputs(), report.findings(), report.review()]
    else:
        parts += [report.findings(), report.review(), report.inputs()]
    parts.append("</div>")
    return "".join(parts)


def write(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    lang = options.lang
    title = f"{L['title'](lang)}{'：' if lang == 'zh' else ': '}{result.file}"
    out.write(f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
              f'<meta name="viewport" content="width=device-width, initial-scale=1">'
              f"<title>{escape(title)}</title><style>{CSS}</style></head>"
              f'<body style="margin:0">{body(result, lang, options.front)}</body></html>\n')
