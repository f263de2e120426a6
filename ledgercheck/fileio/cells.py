"""Writing cells: text that looks like a formula stays text, text a workbook cannot hold is spelled out, and
columns widen to show a value."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ledgercheck.common.privacy import writable

DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters

_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def readable_text(text: str) -> str:
    """Our text (which may quote the ledger) as the copy's cells and comments show it: a control character, which
    a workbook cannot hold, spelled out (`\\x1b`), and a literal `_x0000_` kept literal (Excel reads `_xHHHH_` as
    an escaped character: `_x0000_` would make the copy one Excel refuses)."""
    if "_x" in text:
        text = _ESCAPED.sub(r"_x005F_\1", text)
    return writable(text)


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write a cell; text that starts like a formula (=, +, -, @) stays text, shown as written, never run."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def display_width(value: object) -> int:
    if isinstance(value, dt.datetime):
        return 16 if value.time() != dt.time() else 10
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def text_width(value: object) -> float:
    """Approximate width in character units: a Chinese character is about 1.7 digits wide."""
    return sum(1.7 if ord(ch) > 0x2E80 else 1.0 for ch in str(value))


def widen(sheet: Any, cell: Any) -> None:
    """Widen (never narrow) a column so that a marked cell can be read: `###` hides a wrong date."""
    if cell.value is None:
        return
    wanted = min(40, display_width(cell.value) + 2)
    dimension = sheet.column_dimensions.get(cell.column_letter)  # [] would create one, 13 wide
    current = dimension.width if dimension is not None and dimension.customWidth else DEFAULT_WIDTH
    if current < wanted:
        sheet.column_dimensions[cell.column_letter].width = wanted
