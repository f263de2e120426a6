"""Reading an inspector's list of the units that should report (应报单位名单) for `scan --expected`.

The list is what an inspector already keeps: a workbook (the first sheet with content), a CSV file or a text file
with one unit a line. In a workbook or CSV the names are the column headed 单位名称 (or 单位, 名称, 党组织名称 …);
a sheet without such a header may hold the names in its only column of text (a 序号 column of numbers beside it
is passed over). A CSV file saved by Excel on a Chinese Windows is GBK: read as such when it is not UTF-8.
Every row is read or named: a row with content but no name is returned among the notes, never dropped unsaid.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ledgercheck.common.errors import UsageError, with_reason
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.coerce import is_empty
from ledgercheck.ingest.fold import fold
from ledgercheck.ingest.formats import READABLE
from ledgercheck.ingest.preflight import Unreadable

NAME_HEADERS = frozenset(fold(h) for h in (
    "单位名称", "单位", "名称", "党组织名称", "组织名称", "党组织", "应报单位", "报送单位", "单位全称", "党组织全称",
    "基层党组织名称", "unit", "unit name", "name", "organization"))
# A column of the units' codes, beside the names: a code names one unit where a name may be shared (机关党委).
CODE_HEADERS = frozenset(fold(h) for h in (
    "党组织代码", "组织代码", "党组织编码", "组织编码", "党组织编号", "组织编号", "单位代码", "单位编码", "代码", "编码",
    "code", "unit code", "organization code"))
HEADER_ROWS = 10  # rows searched for the header
TEXT_SUFFIXES = frozenset({".txt", ".csv"})


@dataclass
class RollRows:
    """The names read, each with where it stands (a cell or a line), and what was passed over and why."""

    names: list[tuple[str, Location]] = field(default_factory=list)
    notes: list[tuple[Text, Location]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # each name's code ("" for none), when the list has a code column


def read_roll(path: Path, display: str | None = None) -> RollRows:
    display = display or str(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = _text(path, display)
        if suffix == ".txt":
            return _lines(text, display)
        reader = csv.reader(io.StringIO(text))
        try:
            rows: list[list[object]] = [list(r) for r in reader]
        except csv.Error as exc:  # a field beyond the csv module's limit (131,072 characters): not a list of units
            raise UsageError(Text("应报单位名单不是可以读取的 CSV 文件", "the list of units is not a CSV file that can be "
                                  "read"), Location(display, line=reader.line_num), str(exc)) from None
        return _table(rows, display, None)
    if suffix not in READABLE:
        raise UsageError(Text(f"应报单位名单须是 Excel 工作簿、CSV 或文本文件（.xlsx、.csv、.txt），不是 {suffix or '无扩展名的文件'}",
                              f"the list of units must be a workbook, CSV or text file (.xlsx, .csv, .txt), not "
                              f"{suffix or 'a file without an extension'}"), Location(display))
    from ledgercheck.common.errors import WorkbookError
    from ledgercheck.ingest.workbook import SheetTooLarge, SheetUnreadable, Workbook

    try:
        with Workbook(path, display) as book:
            hidden = book.hidden_sheets()
            chosen: RollRows | None = None
            for name in book.sheet_names:
                if name in hidden:
                    continue
                sheet_rows = book.sheet(name).rows()
                if not any(_filled(cell) for cells in sheet_rows for cell in cells):
                    continue
                if chosen is None:
                    chosen = _table(sheet_rows, display, name)
                else:  # another list (last year's?) beside it: said, not merged and not passed over silently
                    chosen.notes.append((Text("名单只读取第一个有内容的工作表，这个工作表未读取",
                                              "only the first sheet with content is the list; this sheet was not "
                                              "read"), Location(display, name)))
            if chosen is not None:
                return chosen
    except WorkbookError as exc:
        raise UsageError(Text(f"无法读取应报单位名单：{exc.message.zh}", f"cannot read the list of units: {exc.message.en}"),
                         exc.location, exc.detail) from None
    except (SheetTooLarge, SheetUnreadable) as exc:
        raise UsageError(Text("无法读取应报单位名单的工作表", "cannot read the list of units' sheet"),
                         Location(display, exc.sheet)) from None
    raise UsageError(Text("应报单位名单是空的", "the list of units is empty"), Location(display))


def _text(path: Path, display: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(with_reason(Text("无法读取应报单位名单", "cannot read the list of units"), exc),
                         Location(display)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")  # Excel's CSV on a Chinese Windows


def _filled(cell: object) -> bool:
    """A cell with content: not blank, and not a mark for nothing (—, 无) as a ledger's cells are read."""
    return not is_empty(cell)


def _lines(text: str, display: str) -> RollRows:
    rows = RollRows()
    for number, line in enumerate(text.splitlines(), start=1):
        name = line.strip()
        if name and not name.startswith("#"):
            rows.names.append((name, Location(display, line=number)))
    if not rows.names:
        raise UsageError(Text("应报单位名单是空的", "the list of units is empty"), Location(display))
    return rows


def _table(cells: list[list[object]], display: str, sheet: str | None) -> RollRows:
    if not any(_filled(cell) for row in cells for cell in row):  # a CSV file of blank lines
        raise UsageError(Text("应报单位名单是空的", "the list of units is empty"), Location(display, sheet))
    header, column = _name_column(cells, display, sheet)
    code_column = _code_column(cells[header]) if header >= 0 else None
    rows = RollRows()
    for index in range(header + 1, len(cells)):
        row = cells[index]
        value = row[column] if column < len(row) else None
        where = Location(display, sheet, index + 1, column_letter(column))
        if value.__class__ is Unreadable:  # an error value (#REF!) or a formula without its result
            rows.notes.append((Text(f"这个单元格无法读取（{value}），未读取", f"this cell cannot be read ({value}); it was "
                                    "not read"), where))
        elif _filled(value):
            rows.names.append((str(value).strip(), where))
            if code_column is not None:
                code = row[code_column] if code_column < len(row) else None
                if code.__class__ is Unreadable:  # said, and the unit matched by its name
                    rows.notes.append((Text(f"这个代码单元格无法读取（{code}），这个单位按名称对应",
                                            f"this code cell cannot be read ({code}); the unit is matched by its "
                                            "name"), Location(display, sheet, index + 1, column_letter(code_column))))
                rows.codes.append(_code(code))
        elif any(_filled(cell) for cell in row):
            rows.notes.append((Text("这一行没有单位名称，未读取", "this row has no unit name; it was not read"), where))
    if not rows.names:
        raise UsageError(Text("应报单位名单中没有单位名称", "the list of units names no unit"),
                         Location(display, sheet, header + 2 if header >= 0 else 1, column_letter(column)))
    return rows


def _name_column(cells: list[list[object]], display: str, sheet: str | None) -> tuple[int, int]:
    """(the header row, or -1 when there is none; the names' column), both 0-based."""
    for index, row in enumerate(cells[:HEADER_ROWS]):
        for column, cell in enumerate(row):
            if isinstance(cell, str) and fold(cell) in NAME_HEADERS:
                return index, column
    width = max(map(len, cells), default=0)
    texts = [c for c in range(width) if any(_text_cell(r[c]) for r in cells if c < len(r))]
    if len(texts) == 1:
        return -1, texts[0]
    raise UsageError(Text("应报单位名单中找不到单位名称列：请给单位名称所在的列加上标题「单位名称」",
                          "the list of units has no column of unit names: head the names' column 单位名称"),
                     Location(display, sheet, 1))


def _code_column(header: list[object]) -> int | None:
    return next((c for c, cell in enumerate(header) if isinstance(cell, str) and fold(cell) in CODE_HEADERS), None)


def _code(cell: object) -> str:
    """A code cell as text: a code typed as a number (Excel shows 1234567, the reader gives 1234567.0) without
    its .0; "" for a blank or unreadable cell (the unit is then matched by its name; the caller notes the latter)."""
    if cell is None or cell.__class__ is Unreadable or not _filled(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _text_cell(cell: object) -> bool:
    """Text that is not a number written as text (a 序号 column of 1, 2, 3 is not names)."""
    if not isinstance(cell, str) or not cell.strip():
        return False
    try:
        float(cell.strip())
    except ValueError:
        return True
    return False
