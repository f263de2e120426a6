"""The terminal summary of a scan: overview, compliance by rule, sizes, 红黑榜, and the files with problems.

Per-unit and per-organization detail for thousands of units belongs in the xlsx/html/json reports;
the table names every file that could not be fully audited, so none goes unnoticed. File names, unit and
organization names and messages are printed as they are (no rich markup), with control characters spelled out
(`printable`): a file name cannot send escape sequences to the terminal.
"""

from __future__ import annotations

from itertools import islice
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.scan.report import ScanReport
from ledgercheck.findings.scan.store import FileRow
from ledgercheck.findings.scan.summary import SCORE_FORMULA
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.scan.labels import (
    SEVERITY_ONE,
    STATUS,
    L,
    movement_mark,
    org_type,
    percent,
    score,
    score_labels,
    size_labels,
)

RANKED = 10
UNFINISHED_LISTED = 20
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _table(title: str, **kwargs: object) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, **kwargs)  # type: ignore[arg-type]


def _bar(rate: float | None, width: int = 12) -> RichText:
    if rate is None:
        return RichText("")
    filled = round(rate * width)
    style = "green" if rate >= 0.9 else "yellow" if rate >= 0.7 else "red"
    return RichText("█" * filled, style=style) + RichText("░" * (width - filled), style="dim")


def header_lines(report: ScanReport) -> list[str]:
    lang, totals = report.lang, report.totals
    packs = ", ".join(f"{n} {v}" for n, v in report.packs)
    since = f"    {L['since'](lang)}: {report.since.isoformat()}" if report.since else ""
    separator, opening, closing = (", ", " (", ")") if lang == "en" else ("，", "（", "）")
    counts = separator.join(f"{STATUS[s](lang)} {totals.statuses[s]}" for s in STATUS if totals.statuses[s])
    if report.outcome.not_finished:
        counts += f"{separator if counts else ''}{L['not_finished'](lang)} {report.outcome.not_finished}"
    files = f"{L['files'](lang)}: {report.outcome.total}{opening}{counts or L['none'](lang)}{closing}"
    timing = f"{L['seconds'](lang)}: {report.seconds:.1f} s    {L['jobs'](lang)}: {report.jobs}"
    return [f"{L['as_of'](lang)}: {report.as_of.isoformat()}{since}    {L['packs'](lang)}: {packs}", files, timing]


def overview_line(report: ScanReport) -> str:
    lang, t = report.lang, report.totals
    if lang == "en":
        return (f"{t.audited} units audited: {t.orgs} organizations, {t.members} members; {t.findings['error']} "
                f"errors, {t.findings['warning']} warnings, {t.findings['info']} info; mean score "
                f"{score(t.mean_score)}.")
    return (f"已检查{t.audited}个单位：{t.orgs}个组织、{t.members}名党员；错误{t.findings['error']}条，"
            f"警告{t.findings['warning']}条，提示{t.findings['info']}条；平均得分{score(t.mean_score)}。")


def interrupted_line(report: ScanReport) -> str:
    return L["interrupted"](report.lang).format(done=report.outcome.finished, left=report.outcome.not_finished)


def _compliance(report: ScanReport) -> Table:
    lang = report.lang
    table = _table(L["compliance"](lang), expand=True)
    for key, justify in (("rule_id", "left"), ("rule", "left"), ("severity", "left"), ("judged", "right"),
                         ("complying", "right"), ("rate", "right")):
        table.add_column(L[key](lang), justify=justify, no_wrap=key != "rule",  # type: ignore[arg-type]
                         ratio=1 if key == "rule" else None, overflow="fold",
                         min_width=len("100.0%") if key == "rate" else None)  # a narrow terminal never cuts 100.0%
    table.add_column("", no_wrap=True)
    table.add_column(L["findings"](lang), justify="right")
    for info, tally in report.rule_rows():
        rate = tally.rate
        table.add_row(info.rule_id, info.title(lang), RichText(SEVERITY_ONE[info.severity.value](lang),
                                                                style=SEVERITY_STYLE[info.severity.value]),
                      str(tally.judged), str(tally.complying), percent(rate), _bar(rate), str(tally.findings))
    return table


def _sizes(report: ScanReport) -> Table:
    lang = report.lang
    table = _table(L["sizes"](lang))
    table.add_column(L["org_type"](lang))
    for label in size_labels():
        table.add_column(label, justify="right")
    table.add_column(L["total"](lang), justify="right")
    for kind, counts in sorted(report.totals.sizes.items(), key=lambda item: -sum(item[1])):
        table.add_row(_p(org_type(kind, lang)), *(str(c) for c in counts), str(sum(counts)))
    return table


def _ranking(title: str, rows: list[FileRow], report: ScanReport) -> Table:
    lang = report.lang
    table = _table(title, expand=True)
    table.add_column(L["rank"](lang), justify="right", no_wrap=True)
    table.add_column(L["units"](lang), ratio=1, overflow="fold")
    table.add_column(L["file"](lang), ratio=1, overflow="fold")
    for key in ("orgs", "error", "warning", "score"):
        table.add_column(L[key](lang), justify="right", no_wrap=True)
    moved = report.movement
    if moved is not None:
        table.add_column(L["move"](lang), justify="right", no_wrap=True)
    for row in rows:
        cells = [str(row.rank or ""), _p(row.unit or ""), _p(row.path), str(row.orgs), str(row.counts["error"]),
                 str(row.counts["warning"]), score(row.score)]
        if moved is not None:
            cells.append(movement_mark(moved.of(row.unit or row.path), lang))
        table.add_row(*cells)
    return table


def rankings(report: ScanReport) -> list[tuple[str, list[FileRow]]]:
    """红榜 and 黑榜 (the best and worst RANKED units), or one ranking when there are too few units for two."""
    lang, store, scored = report.lang, report.store, report.totals.scored_units
    if scored > 2 * RANKED:
        return [(L["best"](lang), list(islice(store.files("best"), RANKED))),
                (L["worst"](lang), list(islice(store.files("worst"), RANKED)))]
    return [(L["ranking"](lang), list(store.files("best")))] if scored else []


def _worst_orgs(report: ScanReport) -> Table:
    lang = report.lang
    table = _table(L["worst_orgs"](lang), expand=True)
    table.add_column(L["units"](lang), ratio=1, overflow="fold")
    table.add_column(L["org"](lang), ratio=1, overflow="fold")
    for key in ("org_type", "members", "error", "warning", "rules_failed", "score"):
        table.add_column(L[key](lang), justify="left" if key == "org_type" else "right", no_wrap=True)
    for org in report.store.orgs(order="worst", limit=RANKED):
        table.add_row(_p(org.unit or org.path), _p(f"{org.name}（{org.org_id}）"), _p(org_type(org.org_type, lang)),
                      str(org.members), str(org.counts["error"]), str(org.counts["warning"]),
                      f"{org.rules_failed}/{org.rules_judged}", score(org.score))
    return table


def _problems(report: ScanReport) -> Table | None:
    lang = report.lang
    rows = list(report.store.status_files("unreadable", "input_errors", "internal_errors"))
    if not rows:
        return None
    table = _table(f"{L['problems'](lang)}（{len(rows)}）" if lang == "zh" else f"{L['problems'](lang)} ({len(rows)})",
                   expand=True)
    table.add_column(L["file"](lang), ratio=1, overflow="fold")
    table.add_column(L["status"](lang), no_wrap=True)
    table.add_column(L["note"](lang), ratio=2, overflow="fold")
    for row in rows:
        if row.status == "input_errors":
            note = (f"{row.input_errors} cells or rows could not be read" if lang == "en"
                    else f"{row.input_errors}处单元格或行无法读取，结果不完整")
        elif row.status == "internal_errors":
            note = (f"{row.internal_errors} checks crashed" if lang == "en" else f"{row.internal_errors}项检查出错")
        else:
            note = row.error or ""
        style = "bold red" if row.status == "unreadable" else "yellow"
        table.add_row(_p(row.path), RichText(STATUS[row.status](lang), style=style), _p(note))
    return table


def write(report: ScanReport, stream: TextIO, options: ReportOptions | None = None) -> None:
    lang = report.lang
    is_tty = stream.isatty() if hasattr(stream, "isatty") else False
    console = Console(file=stream, width=None if is_tty else 140, highlight=False, soft_wrap=False, markup=False,
                      emoji=False)
    console.print(L["title"](lang), style="bold")
    for line in header_lines(report):
        console.print(_p(line), overflow="fold")
    if report.outcome.interrupted:
        console.print(interrupted_line(report), style="bold red")
    console.print(overview_line(report), style="bold")
    console.print(SCORE_FORMULA(lang), style="dim")
    console.print(_compliance(report))
    if report.totals.sizes:
        console.print(_sizes(report))
        dist = "  ".join(f"{label}: {n}" for label, n in zip(score_labels(), report.totals.scores))
        console.print(RichText(L["score_dist"](lang), style="bold") + RichText(f"  {dist}"))
    for title, rows in rankings(report):
        console.print(_ranking(title, rows, report))
    if report.totals.scored_units:
        console.print(_worst_orgs(report))
    problems = _problems(report)
    if problems is not None:
        console.print(problems)
    if report.movement is not None:
        from ledgercheck.reporters.history_ import write_comparison_table

        write_comparison_table(report.movement, stream, options or ReportOptions(lang=lang), changed_rules_only=True)
    _tail(report, console)


def _tail(report: ScanReport, console: Console) -> None:
    lang = report.lang
    if report.unfinished:
        console.print(L["unfinished"](lang), style="bold")
        for path in report.unfinished[:UNFINISHED_LISTED]:
            console.print(_p(f"  {path}"), overflow="fold")
        if len(report.unfinished) > UNFINISHED_LISTED:
            rest = len(report.unfinished) - UNFINISHED_LISTED
            console.print(f"  … and {rest} more" if lang == "en" else f"  ……另有{rest}个")
    if report.ignored:
        console.print(f"{L['ignored'](lang)}: {report.ignored}")
    if report.unmatched:
        console.print(_p(f"{L['unmatched'](lang)}: {', '.join(report.unmatched)}"), overflow="fold")
    if report.outcome.interrupted:
        console.print(interrupted_line(report), style="bold red")
    console.print(L["more"](lang), style="dim")
