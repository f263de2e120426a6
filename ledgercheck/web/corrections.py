"""The mapping page: how each sheet and column was read, the user's corrections, and the alias file they make.

A correction is what an alias file says (docs/reading.md): a column's header read as a field
(`columns: {field: [header]}`), a header not read (`ignore: [header]`), or a sheet name taken as a kind of
sheet (`names: [sheet]`). The re-run audits the same workbooks with that file as the user's alias layer, which
wins over the built-in one; the file is offered for download to pass to `ledgercheck audit --aliases` later.
"""

from __future__ import annotations

from typing import Any

import yaml

from ledgercheck.common.i18n import Lang
from ledgercheck.findings.inspection import COLUMN_HOW, SHEET_HOW, Inspection
from ledgercheck.model.schema import SHEETS_BY_KEY

NOT_READ = "-"
FIXED = {"month", "year"}  # columns read by their shape (a month of wide dues, the year beside 月份)

Corrections = dict[str, dict[str, Any]]  # sheet key → {"columns": {field: [header]}, "ignore": [...], "names": [...]}


def rows(inspection: Inspection, lang: Lang) -> list[dict[str, Any]]:
    """What the mapping page shows, sheet by sheet, with the form's field names and choices."""
    out = []
    for index, sheet in enumerate(inspection.sheets):
        if sheet.how in ("note", "hidden"):  # a hidden sheet is not read whatever it is taken for
            continue
        spec = SHEETS_BY_KEY.get(sheet.kind or "")
        options = [(f.key, f"{f.en if lang == 'en' else f.header}") for f in spec.fields] if spec else []
        columns = []
        for column in sheet.columns:
            columns.append({
                "letter": column.letter, "header": column.header, "field": column.field or NOT_READ,
                "label": column.field_label(lang) if column.field_label else None, "how": column.how,
                "why": COLUMN_HOW[column.how](lang), "samples": list(column.samples),
                "nearest": [n(lang) for n in column.nearest], "name": f"c{index}_{column.letter}",
                "editable": column.how not in FIXED, "problem": column.how in ("unknown", "contradicted")})
        out.append({"index": index, "name": sheet.name, "file": sheet.file, "kind": sheet.kind,
                    "kind_label": sheet.kind_label(lang) if sheet.kind_label else None,
                    "why": SHEET_HOW[sheet.how](lang), "header_row": sheet.header_row, "rows": sheet.rows,
                    "records": sheet.records, "skipped": sheet.skipped, "notes": [n(lang) for n in sheet.notes],
                    "options": options, "columns": columns, "recognized": spec is not None,
                    "select": f"s{index}"})
    return out


def changes(inspection: Inspection, form: dict[str, str]) -> Corrections:
    """The corrections the submitted form asks for (only what differs from how the ledger was read)."""
    found: Corrections = {}
    for index, sheet in enumerate(inspection.sheets):
        spec = SHEETS_BY_KEY.get(sheet.kind or "")
        if spec is None:
            kind = form.get(f"s{index}", NOT_READ)
            if kind in SHEETS_BY_KEY and sheet.how not in ("note", "hidden"):
                _entry(found, kind)["names"].append(sheet.name)
            continue
        fields = {f.key for f in spec.fields}
        for column in sheet.columns:
            chosen = form.get(f"c{index}_{column.letter}")
            if chosen is None or column.how in FIXED or not column.header:
                continue
            if chosen == NOT_READ and column.field is not None:
                _entry(found, spec.key)["ignore"].append(column.header)
            elif chosen in fields and chosen != column.field:
                _entry(found, spec.key)["columns"].setdefault(chosen, []).append(column.header)
    return found


def _entry(corrections: Corrections, kind: str) -> dict[str, Any]:
    return corrections.setdefault(kind, {"names": [], "columns": {}, "ignore": []})


def merge(old: Corrections, new: Corrections) -> Corrections:
    """Earlier corrections with newer ones on top: a header takes its latest meaning only."""
    merged: Corrections = {}
    for source in (old, new):
        for kind, entry in source.items():
            target = _entry(merged, kind)
            for name in entry.get("names", []):
                if name not in target["names"]:
                    target["names"].append(name)
            for header in entry.get("ignore", []):
                _forget(target, header)
                target["ignore"].append(header)
            for field, headers in entry.get("columns", {}).items():
                for header in headers:
                    _forget(target, header)
                    target["columns"].setdefault(field, []).append(header)
    return merged


def _forget(entry: dict[str, Any], header: str) -> None:
    entry["ignore"] = [h for h in entry["ignore"] if h != header]
    for field in list(entry["columns"]):
        entry["columns"][field] = [h for h in entry["columns"][field] if h != header]
        if not entry["columns"][field]:
            del entry["columns"][field]


def to_yaml(corrections: Corrections) -> str:
    sheets = {kind: {key: value for key, value in entry.items() if value} for kind, entry in corrections.items()}
    head = ("# 在 ledgercheck 网页「台账识别情况」中所做的修改。下次检查时一并上传，或在命令行中用\n"
            "# ledgercheck audit 台账.xlsx --aliases 本文件。格式见 docs/reading.md。\n"
            "# Corrections made on the web page's 'How the ledger was read'. Upload it with the ledger next time, or\n"
            "# pass it to ledgercheck audit --aliases. The format is in docs/reading.md.\n")
    return head + yaml.safe_dump({"sheets": sheets}, allow_unicode=True, sort_keys=False, default_flow_style=None)
