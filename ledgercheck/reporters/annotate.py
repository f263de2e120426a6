"""The marked-up copy (`audit --annotate OUT.xlsx`): the ledger with every cell a finding points at
highlighted by severity and commented (what is wrong, how to fix it, the basis), and a first sheet with the counts
per organization and all findings, by rule title, with links to the cells.

The user's own formatting stays: a cell with a fill of its own keeps it and is marked by a thick border in the
severity's colour instead; column widths are kept (only a date or number too narrow to show, which Excel
replaces by ###, widens its column).

A reporter: it marks an editable copy of the audited workbook that it is given (ingest/copy.py makes it;
app/annotate.py writes it out), and never reads the workbook itself or evaluates rules.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from ledgercheck.common.i18n import Front, Lang, Text
from ledgercheck.common.location import Location
from ledgercheck.common.privacy import shown_names
from ledgercheck.fileio.cells import put, readable_text, text_width, widen
from ledgercheck.findings.finding import Finding
from ledgercheck.findings.groups import FindingGroup, group_findings
from ledgercheck.findings.result import AuditResult, RuleInfo
from ledgercheck.findings.severity import LABELS
from ledgercheck.model.issues import INPUT_FIXES, InputIssue, input_fix
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.labels import no_findings, summary_line

# Light fills that keep the text readable: red for errors, orange for warnings, blue for notes.
FILLS = {"error": "FFC7CE", "warning": "FFE2B7", "info": "DDEBF7"}
# The border that marks a cell whose own fill is kept: the severity's colour, strong enough to see on any fill.
BORDERS = {"error": "C00000", "warning": "ED7D31", "info": "2F75B5"}
RANK = {"error": 3, "warning": 2, "info": 1}
MAX_COMMENT_LINES = 40
WIDTHS = (8, 30, 24, 18, 12, 50, 36, 32, 22)  # the findings sheet's columns

SHEET_NAME = Text("检查结果", "Findings")  # both are in layout.NOTE_SHEETS, so auditing the copy skips them
TITLE = "ledgercheck"
L = {
    "title": Text("ledgercheck 检查结果", "ledgercheck findings"),
    "meta": Text("文件：{file}    截止日期：{as_of}    审计期间：{start} 至 {end}    规则包：{packs}",
                 "File: {file}    as of: {as_of}    window: {start} to {end}    rule packs: {packs}"),
    "hint": Text("点击「位置」列的链接跳到对应单元格；被标注的单元格按级别着色（红：错误，橙：警告，蓝：提示），"
                 "鼠标移到单元格上可看到批注。运行 ledgercheck explain 规则编号 可查看规则详情。",
                 "Click a link in the Location column to go to the cell. Marked cells are coloured by severity "
                 "(red: error, orange: warning, blue: info) and carry a comment. `ledgercheck explain RULE` "
                 "explains a rule."),
    "hint_web": Text("点击「位置」列的链接跳到对应单元格；被标注的单元格按级别着色（红：错误，橙：警告，蓝：提示），"
                     "鼠标移到单元格上可看到批注。各条规则的详情见检查网页的「检查规则」页。",
                     "Click a link in the Location column to go to the cell. Marked cells are coloured by severity "
                     "(red: error, orange: warning, blue: info) and carry a comment. The checking page's Rules page "
                     "explains each rule."),
    "columns": Text("级别|问题|组织|期间|位置|说明|怎样改正|依据|规则编号",
                    "Severity|Problem|Organization|Period|Location|Message|How to fix|Basis|Rule ID"),
    "by_org": Text("各组织问题数", "Problems per organization"),
    "org_columns": Text("组织|错误|警告|提示", "Organization|Errors|Warnings|Info"),
    "input_org": Text("（台账本身：无法读取的单元格、行和表）", "(the ledger itself: cells, rows and sheets not read)"),
    "fix": Text("怎样改正", "How to fix"),
    "reading": Text("读取台账", "Reading the ledger"),
    "own_fill": Text("（此单元格原有底色已保留，问题用粗边框标出）",
                     "(the cell's own fill is kept; the problem is marked by the thick border)"),
    "input_error": Text("输入错误", "input error"),
    "input_warning": Text("输入注意", "input notice"),
    "skipped": Text("未检查的规则（台账缺少所需数据）", "Rules not checked (the ledger lacks their data)"),
    "basis": Text("依据", "Basis"),
    "periods": Text("{title}：共{count}期未达到要求（{periods}）", "{title}: not met in {count} periods ({periods})"),
    "previous": Text("原批注", "Earlier comment"),
    "more": Text("……另有{count}条，见「检查结果」工作表", "… {count} more: see the Findings sheet"),
}


@dataclass(frozen=True)
class Mark:
    """One thing to say about one cell: a finding or an input issue."""

    level: str  # error | warning | info
    rule: str
    text: str
    finding: Finding | None = None


# ---------------------------------------------------------------- marking cells


def mark(book: Any, result: AuditResult, lang: Lang, titles: Mapping[str, str] | None = None,
         front: Front = "cli") -> tuple[int, int]:
    """Mark the cells the findings and input problems point at, and add the findings sheet first.

    `titles`: the audited workbook's sheet names → the copy's, when the copy had to rename a sheet (ingest/copy.py).
    `front`: whose copy it is (the web page's advice names its fields, not options). Returns the number of cells
    marked and of rows listed.
    """
    cells = 0
    names = _sheet_names(book, titles)
    fixes = _fixes(result, front)
    for (sheet_name, row, column), items in _marks(result, lang, front).items():
        if sheet_name in names:
            sheet = book[names[sheet_name]]
            cell = sheet.cell(row, column)
            _mark_cell(cell, items, lang, fixes)
            if isinstance(cell.value, (int, float, dt.date)) and not isinstance(cell.value, bool):
                widen(sheet, cell)  # a date or number too narrow to show is ### in Excel; text just overflows
            # Printing (or PDF export) of the copy lists the comments after the sheet.
            sheet.page_setup.cellComments = "atEnd"
            cells += 1
    return cells, _findings_sheet(book, result, lang, names, front)


def _sheet_names(book: Any, titles: Mapping[str, str] | None) -> dict[str, str]:
    """A location's sheet name → the copy's sheet. A location names its sheet as reports show it (perhaps masked),
    and as the audited workbook has it (the copy may have had to rename it)."""
    if not titles:
        return shown_names(book.sheetnames)
    return {shown: titles.get(name, name) for shown, name in shown_names(list(titles)).items()
            if titles.get(name, name) in book.sheetnames}


def write(result: AuditResult, out: BinaryIO, options: ReportOptions) -> None:
    """The registry's entry: mark `options.workbook` (the editable copy of the audited workbook) and save it."""
    if options.workbook is None:
        raise ValueError("the annotate reporter needs options.workbook (ingest.copy.editable_copy)")
    mark(options.workbook, result, options.lang, front=options.front)
    options.workbook.save(out)



def _cell_of(location: Location | None) -> tuple[str, int, int] | None:
    from openpyxl.utils import column_index_from_string

    if location is None or location.sheet is None or location.row is None:
        return None
    # A field the sheet has no column for: the row's first cell carries the mark.
    column = column_index_from_string(location.column) if location.column else 1
    return location.sheet, location.row, column


def _marks(result: AuditResult, lang: Lang, front: Front = "cli") -> dict[tuple[str, int, int], list[Mark]]:
    marks: dict[tuple[str, int, int], list[Mark]] = defaultdict(list)
    for issue in result.input_issues:
        where = _cell_of(issue.location)
        if where is not None:
            marks[where].append(Mark(issue.level, issue.code, issue.message(lang, front)))
    for finding in result.findings:
        where = _cell_of(finding.location)
        if where is not None:
            marks[where].append(Mark(finding.severity.value, finding.rule_id, finding.message(lang), finding))
    return marks


def _fixes(result: AuditResult, front: Front = "cli") -> dict[str, Text]:
    """Rule id or input-problem code → how to put it right (as `ledgercheck explain` says it)."""
    fixes: dict[str, Text] = {code: fix for code in INPUT_FIXES if (fix := input_fix(code, front)) is not None}
    fixes.update({info.rule_id: info.fix for info in result.rule_info if info.fix is not None})
    return fixes


def _comment_text(items: list[Mark], lang: Lang, fixes: Mapping[str, Text] | None = None) -> str:
    """One entry per rule: its title, what is wrong, how to fix it and the basis; a rule that failed in several
    periods on this cell is one entry with the periods."""
    by_rule: dict[str, list[Mark]] = {}
    for item in sorted(items, key=lambda m: -RANK[m.level]):
        by_rule.setdefault(item.rule, []).append(item)
    entries = []
    for rule, group in by_rule.items():
        first = group[0]
        label = _level_label(first.level, first.finding is None, lang)
        findings = [m.finding for m in group if m.finding is not None]
        if len(findings) > 1 and all(f.period is not None for f in findings):
            series = FindingGroup(findings)
            body = L["periods"].format(title=findings[0].rule_title(lang), count=len(findings),
                                       periods=series.labels(lang).split("（")[0].split(" (")[0])(lang)
        else:
            body = "\n".join(m.text for m in group)
        title = f"{first.finding.rule_title(lang)}（{rule}）" if first.finding is not None else rule
        entry = f"【{label}】{title}\n{body}"
        fix = (fixes or {}).get(rule)
        if fix is not None:
            entry += f"\n{L['fix'](lang)}：{fix(lang)}"
        if first.finding is not None:
            entry += f"\n{L['basis'](lang)}：{first.finding.citation(lang)}"
        entries.append(entry)
    text = "\n\n".join(entries)
    lines = text.split("\n")
    if len(lines) > MAX_COMMENT_LINES:
        hidden = len(lines) - MAX_COMMENT_LINES
        text = "\n".join(lines[:MAX_COMMENT_LINES]) + "\n" + L["more"].format(count=hidden)(lang)
    return text


def _level_label(level: str, is_input: bool, lang: Lang) -> str:
    if is_input:
        return (L["input_error"] if level == "error" else L["input_warning"])(lang)
    return LABELS[level](lang)


def own_fill(cell: Any) -> bool:
    """Whether the cell has a fill of the user's (not none, not one of ours from an earlier marked-up copy)."""
    fill = cell.fill
    if fill is None or fill.fill_type is None:
        return False
    colour = fill.fgColor.rgb if fill.fgColor is not None and fill.fgColor.type == "rgb" else None
    return not (fill.fill_type == "solid" and isinstance(colour, str) and colour[-6:].upper() in FILLS.values())


def _mark_cell(cell: Any, items: list[Mark], lang: Lang, fixes: Mapping[str, Text] | None = None) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Border, PatternFill, Side

    level = max((m.level for m in items), key=RANK.__getitem__)
    text = readable_text(_comment_text(items, lang, fixes))
    if own_fill(cell):
        side = Side(style="thick", color=BORDERS[level])
        cell.border = Border(left=side, right=side, top=side, bottom=side)
        text += "\n" + L["own_fill"](lang)
    else:
        cell.fill = PatternFill("solid", fgColor=FILLS[level])
    if cell.comment is not None and cell.comment.author != TITLE:
        text = f"{L['previous'](lang)}：{cell.comment.text}\n——\n{text}"
    comment = Comment(text, TITLE)
    lines = sum(1 + len(line) // 24 for line in text.split("\n"))
    comment.width, comment.height = 320, min(600, 20 + 15 * lines)
    cell.comment = comment


# ---------------------------------------------------------------- the findings sheet


def _findings_sheet(book: Any, result: AuditResult, lang: Lang, names: dict[str, str] | None = None,
                    front: Front = "cli") -> int:
    """`names`: a location's sheet name → the copy's sheet (_sheet_names)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    name = SHEET_NAME(lang)
    if name in book.sheetnames:
        old = book[name]
        if str(old.cell(1, 1).value or "").startswith(TITLE):  # ours, from annotating an annotated copy
            book.remove(old)
        else:
            name = _unique(name, book.sheetnames)
    sheet = book.create_sheet(name, 0)
    book.active = 0
    for other in book.worksheets[1:]:
        other.sheet_view.tabSelected = False
    sheet.cell(1, 1, L["title"](lang)).font = Font(bold=True, size=14)
    packs = ", ".join(f"{n} {v}" for n, v in result.packs)
    sheet.cell(2, 1, readable_text(L["meta"].format(file=result.file, as_of=result.as_of.isoformat(),
                                                 start=result.window.start.isoformat(),
                                                 end=result.window.as_of.isoformat(), packs=packs)(lang)))
    sheet.cell(3, 1, readable_text(summary_line(result, lang))).font = Font(bold=True)
    per_org = sheet.cell(4, 1, readable_text(org_line(result, lang)))
    per_org.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(WIDTHS))
    sheet.row_dimensions[4].height = 16 * max(1, math.ceil(text_width(per_org.value) / sum(WIDTHS)))
    sheet.cell(5, 1, L["hint_web" if front == "web" else "hint"](lang)).font = Font(italic=True, color="595959")
    header = 7
    for column, title in enumerate(L["columns"](lang).split("|"), start=1):
        cell = sheet.cell(header, column, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    row = header + 1
    infos = {info.rule_id: info for info in result.rule_info}
    rows = [_issue_row(i, lang, front) for i in result.input_issues] + [_group_row(g, lang, infos.get(g.first.rule_id))
                                                                 for g in group_findings(result.findings)]
    if names is None:
        names = shown_names(book.sheetnames)
    for level, values, location in rows:
        values = [readable_text(v) if isinstance(v, str) else v for v in values]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            cell.alignment = Alignment(wrap_text=column in (2, 6, 7, 8), vertical="top")
        # Wrapped text needs a taller row: spreadsheets do not grow rows written by a program.
        lines = max(1, *(math.ceil(text_width(values[i]) / WIDTHS[i]) for i in (1, 5, 6, 7)))
        sheet.row_dimensions[row].height = 16 * lines
        sheet.cell(row, 1).fill = PatternFill("solid", fgColor=FILLS[level])
        _link(sheet.cell(row, 5), location, names)
        row += 1
    if not rows:
        sheet.cell(row, 1, no_findings(len(result.input_errors), lang)).font = Font(
            bold=True, color="9C5700" if result.input_errors else "006100")
        row += 1
    if result.skipped_rules:
        row += 1
        sheet.cell(row, 1, L["skipped"](lang)).font = Font(bold=True)
        for skipped in result.skipped_rules:
            row += 1
            put(sheet, row, 2, readable_text(infos[skipped.rule_id].title(lang) if skipped.rule_id in infos
                                             else skipped.rule_id))
            put(sheet, row, 6, readable_text(skipped.reason(lang)))
            put(sheet, row, 9, readable_text(skipped.rule_id))
    for letter, width in zip("ABCDEFGHI", WIDTHS):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if rows:
        sheet.auto_filter.ref = f"A{header}:I{header + len(rows)}"
    return len(rows)


def _unique(name: str, taken: list[str]) -> str:
    number = 2
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"


def org_line(result: AuditResult, lang: Lang) -> str:
    """The problems per organization in one line: 办公室党支部：错误3、警告2；… (organizations without any, counted)."""
    counts: dict[str, dict[str, int]] = {}
    names = {org.org_id: org.name for org in result.organizations}
    for finding in result.findings:
        per = counts.setdefault(finding.org_id, {"error": 0, "warning": 0, "info": 0})
        per[finding.severity.value] += 1
        names.setdefault(finding.org_id, finding.org_name)
    zh = lang == "zh"
    parts = []
    for org_id, per in counts.items():
        shown = [f"{LABELS[level](lang)}{' ' if not zh else ''}{n}" for level, n in per.items() if n]
        parts.append(f"{names.get(org_id) or org_id}{'：' if zh else ': '}{('、' if zh else ', ').join(shown)}")
    clean = len(set(names) - set(counts))
    head = L["by_org"](lang) + ("：" if zh else ": ")
    if clean:
        parts.append(f"其余{clean}个组织未发现问题" if zh else f"{clean} other organization(s) without problems")
    return head + ("；" if zh else "; ").join(parts) if parts else head + ("未发现问题" if zh else "none")


def _finding_row(finding: Finding, lang: Lang, info: RuleInfo | None) -> tuple[str, list[object], Location | None]:
    label = LABELS[finding.severity.value](lang)
    where = finding.location.short() if finding.location else ""
    org = f"{finding.org_name}（{finding.org_id}）" if lang == "zh" else f"{finding.org_name} ({finding.org_id})"
    title = info.title(lang) if info is not None else finding.rule_title(lang)
    fix = info.fix(lang) if info is not None and info.fix is not None else ""
    return finding.severity.value, [label, title, org, finding.period.label if finding.period else "", where,
                                    finding.message(lang), fix, finding.citation(lang), finding.rule_id], \
        finding.location


def _group_row(group: FindingGroup, lang: Lang, info: RuleInfo | None) -> tuple[str, list[object], Location | None]:
    """A finding, or a series of one rule about one subject in several periods as one row (its first cell)."""
    level, values, location = _finding_row(group.first, lang, info)
    if group.count > 1:
        values[3] = group.labels(lang)
        values[5] = group.message(lang) + "\n" + (group.example(lang) or "")
    return level, values, location


def _issue_row(issue: InputIssue, lang: Lang, front: Front = "cli") -> tuple[str, list[object], Location | None]:
    label = _level_label(issue.level, True, lang)
    where = issue.location.short() if issue.location.sheet else ""
    advice = input_fix(issue.code, front)
    fix = advice(lang) if advice is not None else ""
    return issue.level, [label, L["reading"](lang), "", "", where, issue.message(lang, front), fix, "", issue.code], \
        issue.location


def _link(cell: Any, location: Location | None, sheets: dict[str, str]) -> None:
    """An internal link ('组织'!A3) from the findings list to the cell (`sheets`: shown_names of the book's)."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    where = _cell_of(location)
    if where is None or where[0] not in sheets:
        return
    from openpyxl.utils import get_column_letter

    sheet_name, row, column = sheets[where[0]], where[1], where[2]
    target = "'" + sheet_name.replace("'", "''") + f"'!{get_column_letter(column)}{row}"
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target, display=str(cell.value))
    cell.font = Font(color="0563C1", underline="single")
