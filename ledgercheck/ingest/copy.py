"""The audited workbook as an editable openpyxl copy, for the marked-up copy (`audit --annotate`).

An .xlsx/.xlsm is loaded with openpyxl, so the user's data, formats and other sheets stay (pictures, charts and
macros, which openpyxl does not keep, are not in the copy: `dropped_parts` says which the original has); an
.xls, .ods or .xlsb is read with calamine and rebuilt as a new workbook holding the values, merged cells and
date formats, but not the original's fonts, colours or column widths. The original is only read.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.fileio.cells import put, widen

COPIED = {".xlsx", ".xlsm"}  # loaded as they are; other formats are rebuilt from their values
# Parts of an .xlsx that openpyxl does not carry over into the copy, by the folder (or file) that holds them.
DROPPED = {"xl/media/": Text("图片", "pictures"), "xl/charts/": Text("图表", "charts"),
           "xl/vbaProject.bin": Text("宏", "macros")}


def dropped_parts(source: Path) -> tuple[str, ...]:
    """Which of DROPPED the workbook holds (none for formats other than .xlsx/.xlsm, rebuilt from values)."""
    if source.suffix.lower() not in COPIED:
        return ()
    try:
        with zipfile.ZipFile(source) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return ()
    return tuple(key for key in DROPPED if any(name.startswith(key) for name in names))


def editable_copy(source: Path) -> Any:
    import openpyxl

    if source.suffix.lower() in COPIED:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about parts it does not keep (extensions, some drawings); the copy is only a copy.
                warnings.simplefilter("ignore", UserWarning)
                return openpyxl.load_workbook(source, rich_text=True)  # only read; saved elsewhere
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for damaged files
            raise UsageError(Text("无法打开台账副本进行标注", "cannot open the copy of the ledger to mark it"),
                             Location(str(source)), f"{type(exc).__name__}: {exc}") from None
    return _rebuilt(source)


def _rebuilt(source: Path) -> Any:
    """An .xlsx workbook with the values of an .xls/.ods/.xlsb workbook, read with calamine."""
    from openpyxl import Workbook as OutBook

    from ledgercheck.ingest.workbook import Workbook

    book = OutBook()
    book.remove(book.active)
    with Workbook(source) as original:
        for name in original.sheet_names:
            data = original.sheet(name)
            sheet = book.create_sheet(name)
            for row, cells in enumerate(data.values(), start=1):
                for column, value in enumerate(cells, start=1):
                    if value == "" or value is None:
                        continue
                    cell = put(sheet, row, column, value)
                    if isinstance(value, dt.datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm" if value.time() != dt.time() else "yyyy-mm-dd"
                    elif isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
            for cell in (c for row in sheet.iter_rows() for c in row if c.value is not None):
                widen(sheet, cell)
            for r0, c0, r1, c1 in data.merges:
                if (r0, c0) != (r1, c1):
                    sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    return book
