"""Reminders for people (a table, soonest first) and for machines (JSON).

The table's columns are measured over every reminder; where the terminal is too narrow for the details column
(`DETAILS_MIN` cells), each reminder is a block instead: date, status, organization, topic and cell on a line,
the details and basis indented under it. Text wraps by the Chinese line-breaking rules (reporters/terminal.py).
The table prints ledger text as it is (no rich markup) with control characters spelled out (`printable`)."""

from __future__ import annotations

import json
from typing import TextIO

from rich.text import Text as RichText

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.reminders import TOPICS, Reminder, RemindResult
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.terminal import (
    GAP,
    INDENT,
    Cell,
    Grid,
    collapse,
    column_width,
    console,
    emit,
    head_line,
    lines_of,
    para,
)

SOON_DAYS = 30  # highlighted as urgent
DETAILS_MIN = 40  # cells the details column needs; below it, a block per reminder

L = {
    "title": Text("ledgercheck 到期提醒", "ledgercheck reminders"),
    "file": Text("文件", "file"),
    "range": Text("截止日期 {as_of}，提醒 {until} 前到期的事项（换届提前6个月提醒）",
                  "as of {as_of}; items due by {until} (elections six months ahead)"),
    "columns": Text("日期|状态|组织|事项|位置|说明", "Date|Status|Organization|Topic|Location|Details"),
    "overdue": Text("已逾期{days}天", "{days} days overdue"),
    "today": Text("今天到期", "due today"),
    "left": Text("还有{days}天", "in {days} days"),
    "basis": Text("依据", "Basis"),
    "none": Text("近期没有到期事项。", "Nothing falls due in this period."),
    "notes": Text("未提醒的内容", "Not covered"),
    "summary": Text("共{total}项：已逾期{overdue}项，{soon}天内到期{near}项。",
                    "{total} items: {overdue} overdue, {near} due within {soon} days."),
    "inputs": Text("台账有{count}个无法读取的单元格，提醒可能不完整；运行 ledgercheck audit 查看详情。",
                   "the ledger has {count} cells that could not be read, so reminders may be incomplete; run "
                   "ledgercheck audit for details."),
}


def _status(reminder: Reminder, result: RemindResult, lang: Lang) -> tuple[str, str]:
    days = reminder.days_left(result.as_of)
    if days < 0:
        return L["overdue"].format(days=-days)(lang), "bold red"
    if days == 0:
        return L["today"](lang), "bold red"
    return L["left"].format(days=days)(lang), "yellow" if days <= SOON_DAYS else ""


def _details(reminder: Reminder, lang: Lang) -> Cell:
    paragraphs = [para(_p(reminder.message(lang)), keep=[_p(reminder.org_name)])]
    if reminder.basis is not None:
        sep = "：" if lang == "zh" else ": "
        paragraphs.append(para(_p(f"{L['basis'](lang)}{sep}{reminder.basis(lang)}"), "dim"))
    return paragraphs


def _items(result: RemindResult, lang: Lang, cells: int) -> list[RichText]:
    rows: list[tuple[list[tuple[str, str]], Cell]] = []
    for reminder in result.reminders:
        where = _p(reminder.location.short()) if reminder.location else ""
        rows.append(([(reminder.date.isoformat(), ""), _status(reminder, result, lang), (_p(reminder.org_name), ""),
                      (TOPICS[reminder.topic](lang), ""), (where, "")], _details(reminder, lang)))
    titles = L["columns"](lang).split("|")
    grid = Grid([column_width((fixed[i][0] for fixed, _d in rows), titles[i]) for i in range(5)], cells, DETAILS_MIN,
                titles)
    lines: list[RichText] = []
    if grid.fits:
        lines += grid.header()
        for fixed, details in rows:
            lines += grid.row([*([para(text, style)] for text, style in fixed), details])
        return lines
    for fixed, details in rows:
        lines += head_line(fixed, grid.widths, cells) + lines_of(details, cells, INDENT + GAP)
    return lines


def write_table(result: RemindResult, stream: TextIO, options: ReportOptions) -> None:
    lang = options.lang
    with console(stream, options) as (out, cells):
        lines = lines_of([para(L["title"](lang), "bold")], cells)
        lines += lines_of([para(_p(f"{L['file'](lang)}: {result.file}"))], cells, 0, INDENT)
        lines += lines_of([para(L["range"].format(as_of=result.as_of.isoformat(),
                                                  until=result.until.isoformat())(lang))], cells)
        if result.reminders:
            lines += [RichText(""), *_items(result, lang, cells), RichText("")]
        else:
            lines += lines_of([para(L["none"](lang), "green")], cells)
        if result.notes:
            lines += lines_of([para(L["notes"](lang), "bold")], cells)
            for note in result.notes:
                lines += lines_of([para(_p(note(lang)))], cells, INDENT, INDENT)
        overdue = sum(1 for r in result.reminders if r.date < result.as_of)
        near = sum(1 for r in result.reminders if 0 <= r.days_left(result.as_of) <= SOON_DAYS)
        lines += lines_of([para(L["summary"].format(total=len(result.reminders), overdue=overdue, near=near,
                                                    soon=SOON_DAYS)(lang), "bold")], cells)
        if result.input_errors:
            lines += lines_of([para(L["inputs"].format(count=len(result.input_errors))(lang), "bold red")], cells)
        emit(out, collapse(lines))


def write_json(result: RemindResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json.dumps(result.to_dict(options.lang), ensure_ascii=False, indent=2) + "\n")
