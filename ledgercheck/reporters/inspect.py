"""How a ledger was understood (`ledgercheck inspect`): a table per sheet for people, JSON for tools.

The table prints sheet names, headers and sample values as they are (no rich markup), with control characters
spelled out (`printable`)."""

from __future__ import annotations

import json
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.inspection import COLUMN_HOW, SHEET_HOW, Inspection, SheetView
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.terminal import trimmed

L = {
    "title": Text("ledgercheck 台账识别情况", "ledgercheck: how the ledger was understood"),
    "files": Text("文件", "file(s)"),
    "sheet": Text("工作表「{name}」", "sheet {name}"),
    "as": Text("读作「{kind}」表（{how}）", "read as the {kind} sheet ({how})"),
    "unknown": Text("未识别，未读入（{how}）", "not recognized, not read ({how})"),
    "header": Text("表头在第{row}行", "header on row {row}"),
    "two_rows": Text("（两行表头）", " (two rows)"),
    "counts": Text("{rows}行数据：读入{records}条，跳过{skipped}行", "{rows} data rows: {records} records, {skipped} skipped"),
    "columns": Text("列|表头|读作|依据|示例", "Column|Header|Read as|Why|Examples"),
    "none": Text("（不读）", "(not read)"),
    "nearest": Text("可能是：", "perhaps: "),
    "problems": Text("需要注意", "Notices"),
    "hint": Text("列读错了或没有读？运行 ledgercheck inspect 台账.xlsx --write-aliases 别名.yaml，改好后用 "
                 "ledgercheck audit 台账.xlsx --aliases 别名.yaml 检查。",
                 "A column misread or not read? Run ledgercheck inspect LEDGER --write-aliases aliases.yaml, edit it, "
                 "and audit with --aliases aliases.yaml."),
}
_STYLE = {"unknown": "yellow", "contradicted": "yellow", "duplicate": "dim", "ignored": "dim", "values": "cyan",
          "hint": "cyan", "user": "green"}


def _sheet_lines(sheet: SheetView, lang: Lang) -> list[str]:
    title = L["sheet"].format(name=sheet.name)(lang)
    if sheet.kind_label is not None:
        title += "  " + L["as"].format(kind=sheet.kind_label(lang), how=SHEET_HOW[sheet.how](lang))(lang)
    elif sheet.how == "hidden":
        title += "  " + SHEET_HOW["hidden"](lang)
    else:
        title += "  " + L["unknown"].format(how=SHEET_HOW[sheet.how](lang))(lang)
    lines = [title]
    facts = []
    if sheet.header_row is not None:
        facts.append(L["header"].format(row=sheet.header_row)(lang) + (L["two_rows"](lang) if sheet.header_rows == 2
                                                                         else ""))
    facts.append(L["counts"].format(rows=sheet.rows, records=sheet.records, skipped=sheet.skipped)(lang))
    lines.append(("；" if lang == "zh" else "; ").join(facts))
    lines += [f"· {note(lang)}" for note in sheet.notes]
    return lines


def write_table(inspection: Inspection, stream: TextIO, options: ReportOptions) -> None:
    lang = options.lang
    is_tty = stream.isatty() if hasattr(stream, "isatty") else False
    console = Console(file=trimmed(stream), width=options.width or (None if is_tty else 120), force_terminal=options.color,
                      no_color=options.color is False, highlight=False, soft_wrap=False, markup=False, emoji=False)
    console.print(L["title"](lang), style="bold")
    console.print(_p(f"{L['files'](lang)}: {', '.join(inspection.files)}"))
    for sheet in inspection.sheets:
        console.print()
        lines = _sheet_lines(sheet, lang)
        console.print(_p(lines[0]), style="bold")
        for line in lines[1:]:
            console.print(_p(line))
        if not sheet.columns:
            continue
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1))
        for index, title in enumerate(L["columns"](lang).split("|")):
            table.add_column(title, overflow="fold", no_wrap=index == 0, max_width=28 if index == 4 else None)
        for column in sheet.columns:
            field = column.field_label(lang) if column.field_label is not None else L["none"](lang)
            why = COLUMN_HOW[column.how](lang)
            if column.nearest:
                why += "；" if lang == "zh" else "; "
                why += L["nearest"](lang) + ("、" if lang == "zh" else ", ").join(n(lang) for n in column.nearest)
            table.add_row(_p(column.letter), RichText(_p(column.header)),
                          RichText(field, style=_STYLE.get(column.how, "")), RichText(_p(why)),
                          RichText(_p(("、" if lang == "zh" else ", ").join(column.samples))))
        console.print(table)
    if inspection.issues:
        console.print()
        console.print(L["problems"](lang), style="bold")
        for issue in inspection.issues:
            where = issue.location.short()
            console.print(_p(f"  {where}  {issue.message(lang)}"), overflow="fold")
    console.print()
    console.print(L["hint"](lang))


def write_json(inspection: Inspection, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json.dumps(inspection.to_dict(options.lang), ensure_ascii=False, indent=2) + "\n")
