"""Reminders for people (a rich table, soonest first) and for machines (JSON).

The table prints ledger text as it is (no rich markup) with control characters spelled out (`printable`)."""

from __future__ import annotations

import json
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.reminders import TOPICS, Reminder, RemindResult
from ledgercheck.reporters.base import ReportOptions

SOON_DAYS = 30  # highlighted as urgent

L = {
    "title": Text("ledgercheck 到期提醒", "ledgercheck reminders"),
    "file": Text("文件", "file"),
    "range": Text("截止日期 {as_of}，提醒 {until} 前到期的事项（换届提前6个月提醒）",
                  "as of {as_of}; items due by {until} (elections six months ahead)"),
    "columns": Text("日期|状态|组织|事项|说明|位置", "Date|Status|Organization|Topic|Details|Location"),
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


def _status(reminder: Reminder, result: RemindResult, lang: Lang) -> RichText:
    days = reminder.days_left(result.as_of)
    if days < 0:
        return RichText(L["overdue"].format(days=-days)(lang), style="bold red")
    if days == 0:
        return RichText(L["today"](lang), style="bold red")
    return RichText(L["left"].format(days=days)(lang), style="yellow" if days <= SOON_DAYS else "")


def _details(reminder: Reminder, lang: Lang) -> RichText:
    text = RichText(_p(reminder.message(lang)))
    if reminder.basis is not None:
        sep = "：" if lang == "zh" else ": "
        text.append(_p(f"\n{L['basis'](lang)}{sep}{reminder.basis(lang)}"), style="dim")
    return text


def write_table(result: RemindResult, stream: TextIO, options: ReportOptions) -> None:
    lang = options.lang
    is_tty = stream.isatty() if hasattr(stream, "isatty") else False
    console = Console(file=stream, width=options.width or (None if is_tty else 120), force_terminal=options.color,
                      no_color=options.color is False, highlight=False, soft_wrap=False, markup=False, emoji=False)
    console.print(L["title"](lang), style="bold")
    console.print(_p(f"{L['file'](lang)}: {result.file}"), overflow="fold")
    console.print(L["range"].format(as_of=result.as_of.isoformat(), until=result.until.isoformat())(lang),
                  markup=False)
    if result.reminders:
        table = Table(box=box.SIMPLE_HEAD, expand=True)
        for index, title in enumerate(L["columns"](lang).split("|")):
            wraps = index in (2, 4)  # organization names and details wrap; dates and cells do not
            table.add_column(title, no_wrap=not wraps, ratio=1 if index == 4 else None,
                             max_width=16 if index == 2 else None, overflow="fold")
        for reminder in result.reminders:
            where = reminder.location.short() if reminder.location else ""
            table.add_row(reminder.date.isoformat(), _status(reminder, result, lang),
                          RichText(_p(reminder.org_name)),
                          TOPICS[reminder.topic](lang), _details(reminder, lang), RichText(_p(where)))
        console.print(table)
    else:
        console.print(L["none"](lang), style="green")
    if result.notes:
        console.print(L["notes"](lang), style="bold")
        for note in result.notes:
            console.print(_p(f"  {note(lang)}"))
    overdue = sum(1 for r in result.reminders if r.date < result.as_of)
    near = sum(1 for r in result.reminders if 0 <= r.days_left(result.as_of) <= SOON_DAYS)
    console.print(L["summary"].format(total=len(result.reminders), overdue=overdue, near=near, soon=SOON_DAYS)(lang),
                  style="bold", markup=False)
    if result.input_errors:
        console.print(L["inputs"].format(count=len(result.input_errors))(lang), style="bold red", markup=False)


def write_json(result: RemindResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json.dumps(result.to_dict(options.lang), ensure_ascii=False, indent=2) + "\n")
