"""The terminal summary of a scan: overview, compliance by rule, sizes, 红黑榜, and the files with problems.

Per-unit and per-organization detail for thousands of units belongs in the xlsx/html/json reports;
the table names every file that could not be fully audited, so none goes unnoticed. File names, unit and
organization names and messages are printed as they are (no rich markup), with control characters spelled out
(`printable`): a file name cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.scan.report import ScanReport
from ledgercheck.findings.scan.roll import RollCheck
from ledgercheck.findings.scan.store import FileRow
from ledgercheck.findings.scan.summary import SCORE_FORMULA
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.scan.labels import (
    SEVERITY_ONE,
    STATUS,
    L,
    incomplete_note,
    marked,
    movement_mark,
    org_type,
    percent,
    rank_text,
    roll_line,
    score,
    score_labels,
    size_labels,
    skipped_text,
    status_text,
    unit_and_file,
)
from ledgercheck.reporters.terminal import GAP, INDENT, Para, emit, head_line, lines_of, para
from ledgercheck.reporters.terminal import console as report_console

RANKED = 10
# Below this width the wide tables (compliance by rule, rankings, worst organizations) are printed as blocks, one
# rule, unit or organization each, so that no column is dropped, no figure cut and no name folded (a pipe's 120
# cells included); the files not fully audited, whose notes are prose, are always blocks.
STACKED_BELOW = 130
TIES_LISTED = 3 * RANKED  # a tie at the end of a list is listed whole, up to this many units
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


def header_items(report: ScanReport) -> list[tuple[str, str]]:
    """The metadata line as (label, value) pairs: the HTML report spaces them, the terminal joins them."""
    lang, totals = report.lang, report.totals
    separator, opening, closing = (", ", " (", ")") if lang == "en" else ("，", "（", "）")
    counts = separator.join(f"{STATUS[s](lang)} {totals.statuses[s]}" for s in STATUS if totals.statuses[s])
    if report.outcome.not_finished:
        counts += f"{separator if counts else ''}{L['not_finished'](lang)} {report.outcome.not_finished}"
    items = [(L["as_of"](lang), report.as_of.isoformat())]
    if report.since:
        items.append((L["since"](lang), report.since.isoformat()))
    items += [(L["packs"](lang), ", ".join(f"{n} {v}" for n, v in report.packs)),
              (L["files"](lang), f"{report.outcome.total}{opening}{counts or L['none'](lang)}{closing}"),
              (L["seconds"](lang), f"{report.seconds:.1f} s"), (L["jobs"](lang), str(report.jobs))]
    return items


def header_lines(report: ScanReport) -> list[str]:
    items = [f"{label}: {value}" for label, value in header_items(report)]
    first = 3 if report.since else 2  # as of, window start, rule packs | files | time, worker processes
    return ["    ".join(items[:first]), items[first], "    ".join(items[first + 1:])]


def overview_line(report: ScanReport) -> str:
    lang, t = report.lang, report.totals
    if lang == "en":
        part = f" ({t.incomplete} audited in part, neither scored nor ranked)" if t.incomplete else ""
        return (f"{t.audited} units audited{part}: {t.orgs} organizations, {t.members} members; {t.findings['error']} "
                f"errors, {t.findings['warning']} warnings, {t.findings['info']} info; mean score "
                f"{score(t.mean_score)}.")
    part = f"（其中{t.incomplete}个检查不完整，不评分、不排名）" if t.incomplete else ""
    return (f"已检查{t.audited}个单位{part}：{t.orgs}个组织、{t.members}名党员；错误{t.findings['error']}条，"
            f"警告{t.findings['warning']}条，提示{t.findings['info']}条；平均得分{score(t.mean_score)}。")


def interrupted_line(report: ScanReport) -> str:
    return L["interrupted"](report.lang).format(done=report.outcome.finished, left=report.outcome.not_finished)


def _compliance(report: ScanReport) -> Table:
    """Rules by category, worst first within each; each category's line sums its rules."""
    lang = report.lang
    table = _table(L["compliance"](lang), expand=True)
    for key, justify in (("rule_id", "left"), ("rule", "left"), ("severity", "left"), ("judged", "right"),
                         ("complying", "right"), ("rate", "right")):
        table.add_column(L[key](lang), justify=justify, no_wrap=key != "rule",  # type: ignore[arg-type]
                         ratio=1 if key == "rule" else None, overflow="fold",
                         min_width=len("100.0%") if key == "rate" else None)  # a narrow terminal never cuts 100.0%
    table.add_column("", no_wrap=True)
    table.add_column(L["findings"](lang), justify="right")
    for group in report.rule_categories():
        total = group.tally
        table.add_row("", group.label(lang), "", str(total.judged), str(total.complying), percent(total.rate),
                      _bar(total.rate), str(total.findings), style="bold")
        for info, tally in group.rules:
            rate = tally.rate
            table.add_row(info.rule_id, info.title(lang),
                          RichText(SEVERITY_ONE[info.severity.value](lang), style=SEVERITY_STYLE[info.severity.value]),
                          str(tally.judged), str(tally.complying), percent(rate), _bar(rate), str(tally.findings))
        table.add_section()
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


def _ranking(title: str, rows: list[FileRow], report: ScanReport, more: int = 0) -> Table:
    lang = report.lang
    table = _table(title, expand=True, caption=L["more_tied"](lang).format(count=more) if more else None,
                   caption_justify="left")
    table.add_column(L["rank"](lang), justify="right", no_wrap=True)
    table.add_column(L["units"](lang), ratio=1, overflow="fold")
    table.add_column(L["file"](lang), ratio=1, overflow="fold")
    for key in ("orgs_judged", "error", "warning", "score"):
        table.add_column(L[key](lang), justify="right", no_wrap=True)
    moved = report.movement
    if moved is not None:
        table.add_column(L["move"](lang), justify="right", no_wrap=True)
    for row in rows:
        cells = [rank_text(row, lang), _p(row.unit or ""), _p(row.path), str(row.orgs_judged),
                 str(row.counts["error"]), str(row.counts["warning"]), score(row.score)]
        if moved is not None:
            cells.append(movement_mark(moved.of(row.unit or row.path, row.path), lang))
        table.add_row(*cells)
    return table


@dataclass
class Ranking:
    key: str  # best (红榜) | worst (黑榜) | all (one ranking, when there are too few units for two)
    title: str
    rows: list[FileRow]
    more: int = 0  # units tied with the last one listed, not listed (beyond TIES_LISTED)


def _head(rows: Iterable[FileRow], skip: Collection[int] = ()) -> tuple[list[FileRow], int]:
    """The first RANKED rows and those tied with the last of them (up to TIES_LISTED), and how many tied rows
    more: a list never ends inside a tie without saying so."""
    taken: list[FileRow] = []
    more = 0
    for row in rows:
        if row.seq in skip:
            continue
        if len(taken) >= RANKED and row.score != taken[-1].score:
            break
        if len(taken) < TIES_LISTED:
            taken.append(row)
        else:
            more += 1
    return taken, more


def rankings(report: ScanReport) -> list[Ranking]:
    """红榜 and 黑榜 (the best and the worst RANKED units, ties at the cut included), or one ranking when there
    are no more than 2 × RANKED scored units. Only fully audited units are scored, so only they are ranked; a unit
    tied with the whole 红榜 is not on the 黑榜."""
    lang, store, scored = report.lang, report.store, report.totals.scored_units
    if not scored:
        return []
    if scored <= 2 * RANKED:
        return [Ranking("all", L["ranking"](lang), list(store.files("best")))]
    best, more = _head(store.files("best"))
    lists = [Ranking("best", L["best"](lang), best, more)]
    worst, more = _head(store.files("worst"), {r.seq for r in best})
    if worst:
        lists.append(Ranking("worst", L["worst"](lang), worst, more))
    return lists


def unranked_rows(report: ScanReport) -> list[FileRow]:
    """Files neither scored nor ranked because their audit is incomplete or they could not be read, in path order."""
    return [row for row in report.store.files() if not row.audited or row.incomplete]


def _worst_orgs(report: ScanReport) -> Table:
    lang = report.lang
    table = _table(L["worst_orgs"](lang), expand=True)
    table.add_column(L["units"](lang), ratio=1, overflow="fold")
    table.add_column(L["org"](lang), ratio=1, overflow="fold")
    for key in ("org_type", "members", "error", "warning", "rules_failed", "score"):
        table.add_column(L[key](lang), justify="left" if key == "org_type" else "right", no_wrap=True)
    for org in report.store.orgs(order="worst", limit=RANKED):
        table.add_row(_p(marked(org.unit or org.path, org.complete, lang)), _p(f"{org.name}（{org.org_id}）"),
                      _p(org_type(org.org_type, lang)),
                      str(org.members), str(org.counts["error"]), str(org.counts["warning"]),
                      f"{org.rules_failed}/{org.rules_judged}", score(org.score))
    return table


def short_paths(paths: list[str]) -> list[str]:
    """The paths without the folder they all share (a file's name when there is one): a narrow terminal folds
    a file name, never the long folder in front of it."""
    if len(paths) == 1:
        return [PurePath(paths[0]).name]
    try:
        common = os.path.commonpath(paths)
    except ValueError:  # absolute and relative mixed, or different drives
        return paths
    return [os.path.relpath(p, common) if common else p for p in paths]


def write(report: ScanReport, stream: TextIO, options: ReportOptions | None = None) -> None:
    """The summary on a terminal (its width) or to a pipe or file (120 cells, no trailing spaces)."""
    options = options or ReportOptions(lang=report.lang)
    with report_console(stream, options) as (console, cells):
        _write(report, console, cells, options)
    if report.movement is not None:
        from ledgercheck.reporters.history_ import write_comparison_table

        write_comparison_table(report.movement, stream, options, changed_rules_only=True)
    with report_console(stream, options) as (console, _cells):
        _tail(report, console)


def _write(report: ScanReport, console: Console, cells: int, options: ReportOptions) -> None:
    lang = report.lang
    narrow = cells < STACKED_BELOW
    # Paragraphs are wrapped by the Chinese line-breaking rules (common/wrap.py), not by rich.
    head = [para(L["title"](lang), "bold"), *(para(_p(line)) for line in header_lines(report))]
    if report.outcome.interrupted:
        head.append(para(interrupted_line(report), "bold red"))
    head += [para(overview_line(report), "bold"), para(SCORE_FORMULA(lang), "dim")]
    if report.roll is not None:  # who did not report is listed at the end, with the other notes
        head.insert(-1, para(_p(roll_line(report.roll, lang)), "bold red" if report.roll.not_reported else "bold"))
    emit(console, lines_of(head, cells))
    if narrow:
        emit(console, _compliance_blocks(report, cells))
    else:
        console.print(_compliance(report))
    if report.totals.sizes:
        console.print(_sizes(report))
        dist = "  ".join(f"{label}: {n}" for label, n in zip(score_labels(), report.totals.scores))
        console.print(RichText(L["score_dist"](lang), style="bold") + RichText(f"  {dist}"))
    unranked = report.totals.incomplete
    for ranking in rankings(report):
        title = ranking.title + (f"（{L['ranked_only'](lang).format(count=unranked)}）" if unranked and lang == "zh"
                                 else f" ({L['ranked_only'](lang).format(count=unranked)})" if unranked else "")
        if narrow:
            emit(console, _ranking_blocks(title, ranking.rows, report, cells, ranking.more))
        else:
            console.print(_ranking(title, ranking.rows, report, ranking.more))
    emit(console, _problem_blocks(report, cells))
    if report.totals.orgs_judged:
        if narrow:
            emit(console, _worst_org_blocks(report, cells))
        else:
            console.print(_worst_orgs(report))


# ---------------------------------------------------------------- narrow terminals: a block per item


def _filled(*paragraphs: Para) -> list[Para]:
    return [p for p in paragraphs if p.text]


def _title(text: str, cells: int) -> list[RichText]:
    return [RichText(""), *lines_of([para(text, "bold")], cells)]


def _compliance_blocks(report: ScanReport, cells: int) -> list[RichText]:
    """Each category, then each rule: id, level, rate, bar, judged/complying, findings; its title indented."""
    lang = report.lang
    lines = _title(L["compliance"](lang), cells)
    counts = L["judged"](lang), L["complying"](lang), L["findings"](lang)
    for group in report.rule_categories():
        total = group.tally
        lines.append(RichText(""))
        lines += head_line([(group.label(lang), "bold"), (percent(total.rate), "bold"), ("", ""),
                            (f"{counts[0]} {total.judged} · {counts[1]} {total.complying} · {counts[2]} "
                             f"{total.findings}", "")], None, cells, 0)
        for info, tally in group.rules:
            level = info.severity.value
            lines += head_line([(info.rule_id, "bold"), (SEVERITY_ONE[level](lang), SEVERITY_STYLE[level]),
                                (percent(tally.rate), ""), (_bar(tally.rate, 10).plain, ""),
                                (f"{tally.complying}/{tally.judged} · {counts[2]} {tally.findings}", "")],
                               None, cells, INDENT)
            lines += lines_of([para(info.title(lang), "dim")], cells, 2 * INDENT)
    return lines


def _ranking_blocks(title: str, rows: list[FileRow], report: ScanReport, cells: int, more: int) -> list[RichText]:
    """Each unit: rank, score, errors and warnings, movement; then its name and file indented."""
    lang = report.lang
    lines = _title(title, cells)
    moved = report.movement
    for row in rows:
        parts = [(rank_text(row, lang), "bold"), (f"{L['score'](lang)} {score(row.score)}", "bold"),
                 (f"{L['error'](lang)} {row.counts['error']}", ""), (f"{L['warning'](lang)} {row.counts['warning']}", ""),
                 (f"{L['orgs_judged'](lang)} {row.orgs_judged}", "")]
        if moved is not None:
            parts.append((movement_mark(moved.of(row.unit or row.path, row.path), lang), ""))
        lines += head_line(parts, None, cells, 0)
        lines += lines_of(_filled(para(_p(row.unit or "")), para(_p(row.path), "dim")), cells, INDENT + GAP)
    if more:
        lines += lines_of([para(L["more_tied"](lang).format(count=more), "dim")], cells)
    return lines


def _problem_blocks(report: ScanReport, cells: int) -> list[RichText]:
    """Every file not fully audited: name, status, counts and rules not checked; then why, indented."""
    lang = report.lang
    rows = unranked_rows(report)
    if not rows:
        return []
    lines = _title(L["problems"](lang) + (f" ({len(rows)})" if lang == "en" else f"（{len(rows)}）"), cells)
    for row, name in zip(rows, short_paths([row.path for row in rows])):
        style = "bold red" if row.status == "unreadable" else "yellow"
        parts = [(_p(name), "bold"), (status_text(row, lang), style)]
        if row.audited:
            parts += [(f"{L['error'](lang)} {row.counts['error']}", ""),
                      (f"{L['warning'](lang)} {row.counts['warning']}", "")]
        skipped = skipped_text(row, lang)
        if skipped:
            parts.append((f"{L['skipped'](lang)} {skipped}", ""))
        lines += head_line(parts, None, cells, 0)
        lines += lines_of(_filled(para(_p(row.unit or "")), para(_p(incomplete_note(row, lang)), "dim")), cells,
                          INDENT + GAP)
    lines += lines_of([para(L["unranked_note"](lang), "dim")], cells)
    return lines


def _worst_org_blocks(report: ScanReport, cells: int) -> list[RichText]:
    lang = report.lang
    lines = _title(L["worst_orgs"](lang), cells)
    for org in report.store.orgs(order="worst", limit=RANKED):
        lines += head_line([(f"{L['score'](lang)} {score(org.score)}", "bold"),
                            (f"{L['error'](lang)} {org.counts['error']}", ""),
                            (f"{L['warning'](lang)} {org.counts['warning']}", ""),
                            (f"{L['rules_failed'](lang)} {org.rules_failed}/{org.rules_judged}", ""),
                            (f"{L['members'](lang)} {org.members}", "")], None, cells, 0)
        lines += lines_of([para(_p(f"{org.name}（{org.org_id}）") + "  " + _p(org_type(org.org_type, lang))),
                           para(_p(marked(org.unit or org.path, org.complete, lang)), "dim")], cells, INDENT + GAP)
    return lines


def _roll(check: RollCheck, console: Console, lang: Lang) -> None:
    """Who on the list did not report, and which files the list lacks (the first of each: the reports list all)."""
    console.print(_p(roll_line(check, lang)), style="bold", overflow="fold")
    for label, items in ((L["not_reported"](lang), [f"{e.name}（{e.where}）" if lang == "zh" else f"{e.name} ({e.where})"
                                                     for e in check.not_reported]),
                         (L["unlisted"](lang), [unit_and_file(u, lang) for u in check.unlisted])):
        if items:
            console.print(_p(f"{label}:"), overflow="fold")
            _first(console, items, lang, IN_REPORTS)


# Where the items a terminal leaves out are.
IN_REPORTS = Text("（见 xlsx、html、json 报告）", " (in the xlsx, html and json reports)")


def _first(console: Console, items: list[str], lang: Lang, where: Text | None = None) -> None:
    """The first UNFINISHED_LISTED items, a line each, then how many more there are (and `where`)."""
    for item in items[:UNFINISHED_LISTED]:
        console.print(_p(f"  {item}"), overflow="fold")
    rest = len(items) - UNFINISHED_LISTED
    if rest > 0:
        after = where(lang) if where is not None else ""
        console.print(f"  … and {rest} more{after}" if lang == "en" else f"  ……另有{rest}个{after}")


SAME_LISTED = 10  # units, and files per unit, the terminal lists when several files name the same unit


def _same_named(report: ScanReport, console: Console) -> None:
    """The files that name the same unit, a line per unit (all of them in the JSON report)."""
    same, lang = report.store.same_named(), report.lang
    if not same:
        return
    console.print(L["same_named"](lang), style="bold")
    sep = "、" if lang == "zh" else ", "
    for unit, files in same[:SAME_LISTED]:
        more = len(files) - SAME_LISTED
        rest = "" if more <= 0 else f"{sep}……另有{more}个" if lang == "zh" else f"{sep}… and {more} more"
        console.print(_p(f"  {unit}: {sep.join(files[:SAME_LISTED])}{rest}"), overflow="fold")
    if len(same) > SAME_LISTED:
        more = len(same) - SAME_LISTED
        console.print(f"  … and {more} more units (JSON: summary.same_name_units)" if lang == "en"
                      else f"  ……另有{more}个单位（JSON 报告的 summary.same_name_units）")


def _tail(report: ScanReport, console: Console) -> None:
    lang = report.lang
    if report.roll is not None:
        _roll(report.roll, console, lang)
    if report.unfinished:
        console.print(L["unfinished"](lang), style="bold")
        _first(console, list(report.unfinished), lang)
    if report.ignored:
        console.print(f"{L['ignored'](lang)}: {report.ignored}")
    if report.reports:
        names = ("、" if lang == "zh" else ", ").join(report.reports)
        console.print(_p(f"{L['reports'](lang)}: {names}"), overflow="fold")
    _same_named(report, console)
    if report.unmatched:
        console.print(_p(f"{L['unmatched'](lang)}: {', '.join(report.unmatched)}"), overflow="fold")
    if report.outcome.interrupted:
        console.print(interrupted_line(report), style="bold red")
    console.print(L["more"](lang), style="dim")
