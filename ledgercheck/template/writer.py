"""Write ledger rows to a workbook in the canonical layout (or an English/messy variant).

Used by the rule-case harness, the sample generator and the tests, so every fixture goes through the
real loader. openpyxl is imported here only: reading uses calamine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledgercheck.model.periods import Period
from ledgercheck.model.schema import SHEETS, FieldType, SheetSpec

DateStyle = Callable[[dt.date, int], object]


def date_cell(day: dt.date, _index: int) -> object:
    return day


def text_dates(day: dt.date, index: int) -> object:
    """Rotate through the text spellings real ledgers use."""
    styles = (
        lambda d: f"{d.year}年{d.month}月{d.day}日",
        lambda d: f"{d.year}/{d.month}/{d.day}",
        lambda d: f"{d.year}.{d.month}.{d.day}",
        lambda d: d.strftime("%Y%m%d"),
        lambda d: d.isoformat(),
    )
    return styles[index % len(styles)](day)


@dataclass(frozen=True)
class Style:
    english: bool = False  # English sheet names and headers
    title_rows: int = 0  # title rows above the header (merged across the columns)
    dates: DateStyle = date_cell
    all_columns: bool = False  # every column of the layout, even when no row uses it
    sheet_names: Mapping[str, str] | None = None  # override sheet names by sheet key


def _columns(spec: SheetSpec, rows: Sequence[Mapping[str, Any]], style: Style) -> list[str]:
    used = {key for row in rows for key in row}
    unknown = used - set(spec.by_key)
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)} for sheet {spec.key}")
    return [f.key for f in spec.fields if style.all_columns or f.required or f.key in used]


def _cell(spec: SheetSpec, key: str, value: Any, style: Style, index: int) -> object:
    if value is None:
        return None
    field = spec.by_key[key]
    if isinstance(value, Period):
        return value.label
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dt.date) and field.type is FieldType.DATE:
        return style.dates(value, index)
    if isinstance(value, dt.date) and field.type is FieldType.MONTH:
        return f"{value.year}-{value.month:02d}"
    return value


def write_workbook(path: Path, tables: Mapping[str, Sequence[Mapping[str, Any]]], style: Style = Style(),
                   title: str = "党建工作台账") -> Path:
    """Write the given sheets (by key: orgs, members, …) in layout order; returns `path`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for spec in SHEETS:
        if spec.key not in tables:
            continue
        rows = tables[spec.key]
        name = (style.sheet_names or {}).get(spec.key) or (spec.en if style.english else spec.title)
        sheet = book.create_sheet(name)
        columns = _columns(spec, rows, style)
        for number in range(1, style.title_rows + 1):
            sheet.cell(number, 1, f"{title} — {name}" if number == 1 else "")
            if len(columns) > 1:
                sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(columns))
        header_row = style.title_rows + 1
        for column, key in enumerate(columns, start=1):
            field = spec.by_key[key]
            cell = sheet.cell(header_row, column, field.en if style.english else field.header)
            cell.font = Font(bold=True)
        for offset, row in enumerate(rows, start=1):
            for column, key in enumerate(columns, start=1):
                value = _cell(spec, key, row.get(key), style, offset + column)
                cell = sheet.cell(header_row + offset, column, value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str) and spec.by_key[key].type is FieldType.ID_NUMBER:
                    cell.number_format = "@"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
