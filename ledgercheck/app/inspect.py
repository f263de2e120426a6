"""`ledgercheck inspect`: how each sheet and column of a ledger was understood, and an alias file that says it.

The alias file written by `--write-aliases` records what was understood beyond the layout's own headers (sheet
names, synonyms, values) and lists every unrecognized column as a commented line to fill in; the user edits it
and passes it back with `--aliases`, where it wins over the built-in tables.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from ledgercheck.app.context import Context
from ledgercheck.common.i18n import Front, Text
from ledgercheck.common.privacy import BIDI_CONTROLS, mask_text, masker
from ledgercheck.fileio.names import escape_undecodable
from ledgercheck.findings.inspection import ColumnView, Inspection, SheetView
from ledgercheck.findings.redact import redact_issues
from ledgercheck.ingest.loader import LoadResult, SheetSummary
from ledgercheck.ingest.understand import SheetPlan
from ledgercheck.model.schema import SHEETS_BY_KEY

# Input problems that are about understanding the workbook (the rest are about cells: audit lists them).
UNDERSTANDING = frozenset({
    "INPUT-UNKNOWN-SHEET", "INPUT-NO-HEADER", "INPUT-MISSING-COLUMN", "INPUT-DUPLICATE-COLUMN",
    "INPUT-UNKNOWN-COLUMN", "INPUT-COLUMN-BY-VALUES", "INPUT-COLUMN-CONTRADICTED", "INPUT-ALIAS-SHADOWED",
    "INPUT-INFERRED-MEMBER-KIND", "INPUT-ORG-INFERRED", "INPUT-ORG-FROM-OPTION", "INPUT-WIDE-NO-YEAR",
    "INPUT-MISSING-SHEET", "INPUT-TOTAL-ROW", "INPUT-EXAMPLE-ROW", "INPUT-SHEET-TOO-LARGE", "INPUT-SHEET-UNREADABLE", "INPUT-EMPTY-SHEET",
})


def inspect(context: Context, paths: Sequence[Path]) -> Inspection:
    loaded = context.read(paths[0] if len(paths) == 1 else list(paths))
    found = inspection_of(loaded, [escape_undecodable(str(p)) for p in paths], context.settings.show_pii)
    return found if context.settings.show_pii else _names_masked(found)


def _names_masked(found: Inspection) -> Inspection:
    """File and sheet names, headers and input problems masked as the audit's reports mask them (an ID number in
    a file name). Not for the web page's corrections, which must name the headers as written; the alias file
    (--write-aliases) keeps them as written too, since it must match them."""
    sheets = [dataclasses.replace(sheet, name=mask_text(sheet.name), file=mask_text(sheet.file), columns=tuple(
        dataclasses.replace(column, header=mask_text(column.header)) for column in sheet.columns))
        for sheet in found.sheets]
    return dataclasses.replace(found, files=[mask_text(f) for f in found.files], sheets=sheets,
                               issues=redact_issues(found.issues))


def inspection_of(loaded: LoadResult, files: list[str], show_pii: bool = False, front: Front = "cli") -> Inspection:
    """How a ledger already read was understood; `front`: who gets its alias file (the web page's 识别设置)."""
    mask = masker(show_pii)
    plans = {(p.file, p.name): p for p in loaded.plans}
    sheets = [_sheet(summary, plans.get((summary.file or loaded.ledger.file, summary.name)), mask, front)
              for summary in loaded.sheets]
    issues = [i for i in loaded.issues if i.code in UNDERSTANDING]
    return Inspection(files, sheets, issues, aliases_yaml(loaded, front))


def _sheet(summary: SheetSummary, plan: SheetPlan | None, mask: Callable[[str], str],
           front: Front = "cli") -> SheetView:
    spec = SHEETS_BY_KEY.get(summary.key or "")
    kind_label = Text(spec.title, spec.en) if spec else None
    columns: list[ColumnView] = []
    notes: list[Text] = []
    if plan is not None and spec is not None:
        for column in plan.columns:
            field_spec = spec.by_key.get(column.field or "")
            label = Text(field_spec.header, field_spec.en) if field_spec else None
            if column.month is not None:
                own = spec.by_key.get(column.field or "paid") or spec.by_key["paid"]
                label = Text(f"{own.header}（{column.month.localized('zh')}）", f"{own.en} ({column.month.label})")
            nearest = tuple(Text(spec.by_key[k].header, spec.by_key[k].en) for k in column.nearest)
            samples = tuple(mask(s) for s in column.samples)
            letter = plan.form_labels.get(column.letter, column.letter) if plan.form_labels is not None else column.letter
            columns.append(ColumnView(letter, column.header, column.field, label, column.how, samples, nearest))
        notes = _notes(plan, front)
    how = plan.how if plan is not None else ("none" if summary.key is None else "name")
    return SheetView(summary.name, summary.file or "", summary.key, kind_label, how,
                     summary.header_row if plan is not None and plan.header_row is not None else None,
                     plan.header_rows if plan is not None else 1, summary.rows, summary.records, summary.skipped,
                     tuple(columns), tuple(notes))


def _notes(plan: SheetPlan, front: Front = "cli") -> list[Text]:
    notes = []
    month = plan.preset.get("month")
    if month is not None:
        notes.append(Text(f"每行都是{month.localized('zh')}的党费（按工作表名称）",  # type: ignore[attr-defined]
                          f"every row is dues for {month}, by the sheet's name"))
    kind = plan.preset.get("kind")
    if kind:
        by_title = plan.infer.get("kind") == "title"
        notes.append(Text(f"每行都是「{kind[0]}」（按{'表格标题' if by_title else '工作表名称'}）",  # type: ignore[index]
                          f"every row is a {kind[0]}, by the sheet's {'title' if by_title else 'name'}"))  # type: ignore[index]
    if plan.infer.get("member_kind"):
        notes.append(Text("党员类别按转正日期推断", "member kind inferred from the full-membership date"))
    if plan.infer.get("org_id") == "name":
        notes.append(Text("没有组织编号列：以组织名称为编号", "no organization code column: names are the codes"))
    elif plan.infer.get("org_id") == "sheet-name":
        notes.append(Text("没有组织列：属于工作表名称所写的组织", "no organization column: the organization the sheet's name "
                          "names"))
    elif plan.infer.get("org_id") == "title":
        notes.append(Text("没有组织列：属于表格标题所写的组织", "no organization column: the organization the sheet's title "
                          "names"))
    elif plan.infer.get("org_id") == "sections":
        notes.append(Text("没有组织列：各行属于其上方分组标题行所写的组织",
                          "no organization column: each row belongs to the organization its heading row names"))
    elif plan.infer.get("org_id"):
        notes.append(Text("没有组织列：属于台账唯一的组织（或「所属组织」中填写的组织）",
                          "no organization column: the ledger's one organization (or the Organization field's)")
                     if front == "web" else
                     Text("没有组织列：属于台账唯一的组织（或 --org 指定的组织）",
                          "no organization column: the ledger's one organization (or --org's)"))
    if plan.infer.get("org_type"):
        notes.append(Text("没有组织类型列：按名称推断（…党支部为党支部，…党总支为党总支）",
                          "no organization type column: inferred from the names (…党支部 is a branch …)"))
    if plan.infer.get("name"):
        notes.append(Text("没有姓名列：按党员编号对应「党员」表", "no name column: members found by their number"))
    if plan.form_labels is not None:
        notes.append(Text("按表单读入：每项名称右侧是它的内容，每组一条记录；「列」给出的是各项名称所在的单元格",
                          "read as a form: each item's value beside its name, a record per block; the column "
                          "given is the cell of each item's name"))
    if plan.wide:
        notes.append(Text("党费按月分列：每个填写了金额的月份单元格读作一条缴费记录",
                          "dues in a column per month: each filled month cell is read as one payment"))
    return notes


# What a YAML stream may not carry raw (PyYAML refuses it, or reads it as a line break) or should not (a bidi
# control reorders what an editor shows): written as an escape in the double-quoted string.
_YAML_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff{BIDI_CONTROLS}]")


def _quoted(text: str) -> str:
    """A header as a YAML double-quoted string that reads back as written: JSON's string syntax (a control
    character a cell held as \\u0007) is YAML's, and what YAML may not carry raw is escaped too."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


_HEADS: dict[Front, list[str]] = {
    "cli": ["# 由 ledgercheck inspect --write-aliases 生成：本台账各表、各列是怎样读取的。",
            "# 核对后修改，再用 ledgercheck audit 台账.xlsx --aliases 本文件 检查；别名文件优先于内置别名。",
            "# 未识别的列写在注释里：删去行首的 # 并把 ? 改为字段名（每张表可用的字段名见其下的注释）。",
            "# Written by ledgercheck inspect --write-aliases: how each sheet and column was read. Edit it and pass",
            "# it back with --aliases (it wins over the built-in tables). Unrecognized columns are commented out:",
            "# remove the # and replace ? with a field name (each sheet lists its fields)."],
    "web": ["# ledgercheck 网页的「识别设置」：本台账各表、各列是怎样读取的。读错的列，在网页「台账识别情况」中改正最方便；",
            "# 也可以用文本编辑器修改本文件，下次检查时在「识别设置（别名文件）」中与台账一并上传（它优先于内置别名）。",
            "# 未识别的列写在注释里：删去行首的 # 并把 ? 改为字段名（每张表可用的字段名见其下的注释）。",
            "# The web page's reading settings: how each sheet and column was read. Correct a column under How the",
            "# ledger was read, or edit this file and upload it with the ledger next time (it wins over the built-in",
            "# tables). Unrecognized columns are commented out: remove the # and replace ? with a field name."],
}


def aliases_yaml(loaded: LoadResult, front: Front = "cli") -> str:
    """An alias file recording how the workbook was understood, with its unrecognized columns to fill in."""
    lines = [*_HEADS[front], "sheets:"]
    by_sheet: dict[str, list[SheetPlan]] = {}
    for plan in loaded.plans:
        if plan.key is not None:
            by_sheet.setdefault(plan.key, []).append(plan)
    for key, plans in by_sheet.items():
        spec = SHEETS_BY_KEY[key]
        lines.append(f"  {key}:  # {spec.title}")
        names = [p.name for p in plans if p.how == "headers"]
        if names:
            lines.append(f"    names: [{', '.join(_quoted(n) for n in names)}]")
        columns: dict[str, list[str]] = {}
        unknown: list[str] = []
        for plan in plans:
            for column in plan.columns:
                if column.field is not None and column.month is None and column.how not in ("exact",):
                    columns.setdefault(column.field, []).append(column.header)
                elif column.how in ("unknown", "contradicted"):
                    unknown.append(column.header)
        lines.append("    columns:")
        for field_key, headers in columns.items():
            lines.append(f"      {field_key}: [{', '.join(_quoted(h) for h in dict.fromkeys(headers))}]"
                         f"  # {spec.by_key[field_key].header}")
        for header in dict.fromkeys(unknown):
            lines.append(f"      # ?: [{_quoted(header)}]")
        if not columns and not unknown:
            lines[-1] = "    columns: {}"
        fields = "、".join(f"{f.key}（{f.header}）" for f in spec.fields)
        lines.append(f"    # {spec.title}表的字段 / fields: {fields}")
    if not by_sheet:
        lines[-1] = "sheets: {}"
    return "\n".join(lines) + "\n"
