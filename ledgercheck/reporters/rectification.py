"""The rectification status between two audits (`ledgercheck diff`): per organization new / still open /
resolved, then the findings of each state. As a rich table, Markdown or JSON. The table and Markdown print the
reports' text as it is, with control characters spelled out (`printable`)."""

from __future__ import annotations

import io
import json
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import SEVERITY, STATE, WAIVED, where
from ledgercheck.reporters.markdown import escape, status_table
from ledgercheck.review.baseline import Rectification

L = {
    "title": Text("整改情况", "Rectification status"),
    "org": Text("组织", "organization"),
    "total": Text("合计", "total"),
    "none": Text("两次审计都没有问题。", "Neither audit has findings."),
    "not_rechecked": Text("{n}条上次的问题本次未复查（规则未运行、组织已不在台账中或期间不在审计期间内）",
                          "{n} earlier findings were not re-checked (rule not run, organization gone, or period "
                          "outside the window)"),
}
ORDER = ("new", "open", "resolved")


def _heading(rect: Rectification, lang: Lang) -> str:
    old, new = rect.old, rect.new
    return f"{L['title'](lang)}: {old['file']} ({old['as_of']}) → {new['file']} ({new['as_of']})"


def _line(finding: dict, lang: Lang) -> str:
    waived = f" [{WAIVED(lang)}]" if finding.get("waiver") and finding["baseline_state"] != "resolved" else ""
    parts = [SEVERITY[finding["severity"]](lang), finding["rule"]["id"], finding.get("period") or "",
             where(finding.get("location")), f"{finding.get('org_name', '')}: {finding.get('message', '')}"]
    return "  ".join(p for p in parts if p) + waived


def table(rect: Rectification, lang: Lang, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width or 120, no_color=True, highlight=False, soft_wrap=False, markup=False,
                      emoji=False)
    console.print(_p(_heading(rect, lang)), style="bold")
    if not rect.orgs:
        console.print(L["none"](lang))
        return _trimmed(buffer.getvalue())
    grid = Table(box=box.SIMPLE_HEAD)
    grid.add_column(L["org"](lang))
    for name in (*ORDER, "waived", "not_rechecked"):
        grid.add_column((WAIVED if name == "waived" else STATE[name])(lang), justify="right")
    rows = [(f"{o.org_name}（{o.org_id}）" if lang == "zh" else f"{o.org_name} ({o.org_id})", o) for o in rect.orgs]
    rows.append((L["total"](lang), rect.total))
    for label, o in rows:
        grid.add_row(_p(label), *(str(getattr(o, n)) for n in (*ORDER, "waived", "not_rechecked")))
    console.print(grid)
    for state in ORDER:
        items = [f for f in rect.findings if f["baseline_state"] == state]
        if items:
            console.print(f"{STATE[state](lang)} ({len(items)})", style="bold")
            for finding in items:
                console.print("  " + _p(_line(finding, lang)), overflow="fold")
    if rect.not_rechecked:
        console.print(L["not_rechecked"](lang).replace("{n}", str(len(rect.not_rechecked))))
    return _trimmed(buffer.getvalue())


def _trimmed(text: str) -> str:
    """Lines without the spaces rich pads table cells with (a file or a pipe gets none)."""
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())


def markdown(rect: Rectification, lang: Lang) -> str:
    lines = [f"## {escape(_heading(rect, lang))}", ""]
    if not rect.orgs:
        return "\n".join(lines + [L["none"](lang)]) + "\n"
    lines += status_table(rect, lang)
    for state in ORDER:
        items = [f for f in rect.findings if f["baseline_state"] == state]
        if items:
            lines += [f"### {STATE[state](lang)} ({len(items)})", ""]
            lines += [f"- {escape(_line(f, lang))}" for f in items] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_table(rect: Rectification, stream: TextIO, options: ReportOptions) -> None:
    stream.write(table(rect, options.lang, options.width))


def write_markdown(rect: Rectification, stream: TextIO, options: ReportOptions) -> None:
    stream.write(markdown(rect, options.lang))


def write_json(rect: Rectification, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json.dumps(rect.to_dict(), ensure_ascii=False, indent=2) + "\n")
