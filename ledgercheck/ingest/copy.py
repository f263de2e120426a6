"""The audited workbook as an editable openpyxl copy, for the marked-up copy (`audit --annotate`).

An .xlsx/.xlsm is loaded with openpyxl, so the user's data, formats, other sheets, pictures (with Pillow) and
charts stay; text boxes, shapes and macros, which openpyxl does not keep, are not in the copy: `dropped_parts`
compares the original with the saved copy and says exactly what the copy lacks; an
.xls, .ods or .xlsb is read with calamine and rebuilt as a new workbook holding the values, merged cells and
date formats, but not the original's fonts, colours or column widths. The original is only read.

An .xlsx that openpyxl cannot open or save (a damaged sheet, more columns than a sheet can have) is rebuilt from
its values the same way, and a sheet calamine cannot read is left out: the copy says what it lacks (`dropped`).
A rebuilt copy holds what Excel can: text is written in Excel's own escapes (a control character as `_x001B_`, a
literal `_x0000_` as `_x005F_x0000_`), cells beyond Excel's grid are left out, and a sheet name Excel would
refuse (`/*[?:`, more than 31 characters, `_x001B_`) is changed; `titles` maps each sheet's name to the copy's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledgercheck.common.errors import LedgercheckError, UsageError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.fileio.cells import put, widen
from ledgercheck.ingest.formats import read_as

COPIED = {".xlsx", ".xlsm"}  # loaded as they are; other formats are rebuilt from their values
# Parts of an .xlsx that openpyxl does not carry over into the copy, by the folder (or file) that holds them.
DROPPED = {"xl/media/": Text("图片", "pictures"), "xl/charts/": Text("图表", "charts"),
           "shapes": Text("文本框和图形", "text boxes and shapes"), "xl/vbaProject.bin": Text("宏", "macros"),
           # what a copy rebuilt from the values lacks (below)
           "formatting": Text("格式（原文件无法按原样复制，副本只含数值）",
                              "formatting (the original could not be copied as it is: the copy holds its values)"),
           "unreadable-sheets": Text("无法读取的工作表", "unreadable sheets"),
           "unreadable-rows": Text("无法读取的行", "unreadable rows"),
           "beyond-grid": Text("超出 Excel 行列范围的单元格", "cells beyond Excel's rows and columns")}
PARTS = ("xl/media/", "xl/charts/", "xl/vbaProject.bin")  # the keys of DROPPED that are parts of the package
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's grid
MAX_TITLE = 31  # characters in a sheet name


@dataclass
class EditableCopy:
    book: Any  # an openpyxl Workbook
    titles: dict[str, str] = field(default_factory=dict)  # the original's sheet name → the copy's
    dropped: tuple[str, ...] = ()  # keys of DROPPED the copy lacks beyond dropped_parts (a rebuilt copy)
    rebuilt: bool = False  # from the values, not the original's package


_SHAPE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sp[\s>]")  # a drawing's shape or text box (not spPr, spLocks)


def _contents(archive: zipfile.ZipFile) -> dict[str, int]:
    """How many pictures, charts, shapes and macro projects a package holds, by the keys of DROPPED."""
    names = archive.namelist()
    counts = {key: sum(1 for name in names if name.startswith(key)) for key in PARTS}
    counts["shapes"] = sum(len(_SHAPE.findall(archive.read(name))) for name in names
                           if name.startswith("xl/drawings/") and name.endswith(".xml")
                           and archive.getinfo(name).file_size < 64 << 20)
    return counts


def dropped_parts(source: Path, copy: bytes | None = None) -> tuple[str, ...]:
    """Which of DROPPED the workbook holds that the copy (its saved bytes) holds fewer of; without the copy, which
    it holds at all. None for formats other than .xlsx/.xlsm, which are rebuilt from their values."""
    if read_as(source) not in COPIED:
        return ()
    try:
        with zipfile.ZipFile(source) as archive:
            original = _contents(archive)
        kept = {key: 0 for key in original}
        if copy is not None:
            with zipfile.ZipFile(io.BytesIO(copy)) as archive:
                kept = _contents(archive)
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, KeyError):
        return ()
    return tuple(key for key, count in original.items() if count > kept.get(key, 0))


def editable_copy(source: Path) -> Any:
    """The copy's openpyxl workbook (see copy_of)."""
    return copy_of(source).book


def copy_of(source: Path, rebuild: bool = False) -> EditableCopy:
    """The audited workbook as an editable copy: an .xlsx/.xlsm as it is when openpyxl can open it, else (or with
    `rebuild`) rebuilt from its values. Raises UsageError or WorkbookError when neither can be made."""
    kind = read_as(source)
    if kind in COPIED and not rebuild:
        import openpyxl

        try:
            with warnings.catch_warnings(record=True) as warned, source.open("rb") as stream:
                # openpyxl warns about parts it does not keep (extensions, some drawings); the copy is only a copy.
                warnings.simplefilter("always", UserWarning)
                # From the open file: openpyxl refuses a name that does not end in .xlsx (an .xlsx named .xls).
                book = openpyxl.load_workbook(stream, rich_text=True)  # only read; saved elsewhere
            if _has_nul_escape(source):
                _escape_nul(book)
            if any(_FAR_DATE in str(w.message) for w in warned):
                _numbers_back(book, source)
            return EditableCopy(book, {name: name for name in book.sheetnames})
        except Exception:  # noqa: BLE001 - openpyxl raises many types for damaged files: rebuilt from the values
            rebuild = True
    try:
        copy = _rebuilt(source)
    except LedgercheckError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader's error on a file the audit could read
        raise UsageError(Text("无法打开台账副本进行标注", "cannot open the copy of the ledger to mark it"),
                         Location(str(source)), f"{type(exc).__name__}: {exc}") from None
    if rebuild and kind in COPIED:
        copy.dropped = ("formatting", *copy.dropped)
    return copy


# openpyxl's warning for a number in a date-formatted cell that no date can be (20240101 typed into a date cell,
# -1e308): it makes the cell the error #VALUE!.
_FAR_DATE = "outside the limits for dates"


def _numbers_back(book: Any, source: Path) -> None:
    """Put back the numbers openpyxl turned into #VALUE! (see _FAR_DATE): the copy is the user's workbook to edit,
    and the cell holds their number, which Excel and WPS show as ##### in a date format, as in the original. A
    cell that is #VALUE! in the original too stays so."""
    from ledgercheck.ingest.preflight import cells_in_part

    for sheet in book.worksheets:
        errors = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row
                  if cell.data_type == "e" and cell.value == "#VALUE!"}
        if not errors:
            continue
        for address, (kind, saved) in cells_in_part(source, sheet.title, errors).items():
            if kind == b"n" and saved is not None:
                try:
                    number = float(saved)
                except ValueError:
                    continue
                errors[address].value = int(number) if number.is_integer() and abs(number) < 2 ** 53 else number


# `_x0000_` written by a program that does not escape a literal `_x` (openpyxl does not): Excel would read it as
# NUL, which no cell can hold, and refuse the copy. The copy keeps it as the text it was meant to be.
_NUL_ESCAPE = re.compile(r"(?<!_x005F)_x0000_")
_NUL_ESCAPE_BYTES = re.compile(rb"(?<!_x005F)_x0000_")


def _has_nul_escape(source: Path) -> bool:
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
                    data = archive.read(info)
                    if b"_x0000_" in data and _NUL_ESCAPE_BYTES.search(data):
                        return True
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        pass
    return False


def _escape_nul(book: Any) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "_x0000_" in cell.value:
                    cell.value = _NUL_ESCAPE.sub("_x005F_x0000_", cell.value)


# Text as Excel reads it back: `_xHHHH_` is an escaped character, so a literal one escapes its underscore.
_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML; Excel writes them as _x001B_
_NO_CHARACTER = re.compile(r"[\x00\ud800-\udfff\ufffe\uffff]")  # not even escaped (a cell cannot hold NUL)


def excel_value(text: str) -> str:
    """A value for a cell of the copy that Excel (and calamine) read back as `text`."""
    if "_x" in text:
        text = _ESCAPED.sub(r"_x005F_\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return _NO_CHARACTER.sub("\ufffd", text)


_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:\x00-\x1f\x7f\ud800-\udfff]")


def excel_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, as close to `name` as can be, not in `taken` (compared as Excel does, ignoring
    case)."""
    title = _TITLE_FORBIDDEN.sub("_", name)
    title = _ESCAPED.sub(r"-\1", title).strip("'") or "Sheet"
    if title.lower() == "history":  # reserved by Excel
        title += "_"
    title = title[:MAX_TITLE]
    number = 1
    candidate = title
    while candidate.lower() in taken:
        number += 1
        tail = f" ({number})"
        candidate = title[:MAX_TITLE - len(tail)] + tail
    taken.add(candidate.lower())
    return candidate


def _rebuilt(source: Path) -> EditableCopy:
    """An .xlsx workbook with the values of a workbook read with calamine (.xls, .ods, .xlsb, or an .xlsx that
    openpyxl cannot copy)."""
    from openpyxl import Workbook as OutBook

    from ledgercheck.ingest.workbook import SheetTooLarge, SheetUnreadable, Workbook

    book = OutBook()
    book.remove(book.active)
    titles: dict[str, str] = {}
    taken: set[str] = set()
    dropped: list[str] = []
    with Workbook(source) as original:
        for name in original.sheet_names:
            try:
                data = original.sheet(name)
                rows = data.values()
            except (SheetTooLarge, SheetUnreadable):
                dropped.append("unreadable-sheets")
                continue
            if data.lost:
                dropped.append("unreadable-rows")
            title = excel_title(name, taken)
            titles.setdefault(name, title)
            sheet = book.create_sheet(title)
            for row, cells in enumerate(rows, start=1):
                if row > MAX_ROWS:
                    dropped.append("beyond-grid")
                    break
                if len(cells) > MAX_COLUMNS and any(c not in ("", None) for c in cells[MAX_COLUMNS:]):
                    dropped.append("beyond-grid")
                for column, value in enumerate(cells[:MAX_COLUMNS], start=1):
                    if value == "" or value is None:
                        continue
                    cell = put(sheet, row, column, excel_value(value) if isinstance(value, str) else value)
                    if isinstance(value, dt.datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm" if value.time() != dt.time() else "yyyy-mm-dd"
                    elif isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
            for cell in (c for row in sheet.iter_rows() for c in row if c.value is not None):
                widen(sheet, cell)
            for r0, c0, r1, c1 in data.merges:
                if (r0, c0) != (r1, c1) and r1 < MAX_ROWS and c1 < MAX_COLUMNS:
                    sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    return EditableCopy(book, titles, tuple(dict.fromkeys(dropped)), rebuilt=True)
