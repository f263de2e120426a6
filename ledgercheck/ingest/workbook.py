"""Open a workbook with python-calamine and stream each sheet's rows with merged cells filled in.

calamine reads .xlsx, .xlsm, .xlsb, .xls and .ods, and is many times faster than openpyxl.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import cast

import python_calamine as calamine

from ledgercheck.common.errors import WorkbookError
from ledgercheck.common.i18n import Front, Text
from ledgercheck.common.limits import EXCEL_CELL_TEXT, Limits
from ledgercheck.common.location import Location
from ledgercheck.common.timing import phase
from ledgercheck.fileio.names import readable_path
from ledgercheck.ingest import panics, prefetch
from ledgercheck.ingest.formats import CFB_SIGNATURE, READABLE, disguised, read_as
from ledgercheck.ingest.preflight import Preflight, SheetCheck, Unreadable, check
from ledgercheck.ingest.shadow import Shadow, as_merges, open_book

# Filling a merged range costs its area; bigger ranges are filled only where they meet the header rows.
MAX_MERGE_FILL = 100_000
HEADER_ROWS = 50

Cell = object
Row = list[Cell]


@dataclass
class SheetData:
    """A sheet's rows (0-based, absolute) as lists of cell values aligned to column A."""

    name: str
    merges: list[tuple[int, int, int, int]]  # (first_row, first_col, last_row, last_col), inclusive
    _sheet: calamine.CalamineSheet
    marks: Mapping[tuple[int, int], object] | None = None  # cells calamine blanks: preflight.Unreadable
    long_text: bool = True  # whether a cell may hold text beyond Excel's limit (the preflight could not rule it out)
    # Rows the reader failed on (0-based row -> the reader's words), read as empty: INPUT-ROW-UNREADABLE.
    lost: dict[int, str] = field(default_factory=dict)

    def rows(self) -> list[Row]:
        """Every row (index = 0-based row number) aligned to column A, merged ranges filled with their first cell.

        Error cells and formulas without a saved result are preflight.Unreadable markers, not blanks, and so is
        text longer than Excel lets a cell hold (INPUT-CELL-TOO-LONG: the cell is not read). A row the reader
        fails on (a date cell of -1e308 makes it panic) is empty and listed in `lost`; SheetUnreadable when the
        reader fails on the sheet as a whole.
        """
        rows = _values(self)
        if self.long_text:
            _cap_text(rows)
        for (r, c), marker in (self.marks or {}).items():
            if r < len(rows):
                cells = rows[r]
                if len(cells) <= c:
                    cells.extend([""] * (c + 1 - len(cells)))
                cells[c] = marker
        width = max(map(len, rows), default=0) if self.merges else 0
        for r0, c0, r1, c1 in self.merges:
            # Nothing is filled beyond the cells the sheet has: a merged range may claim any size.
            r1, c1 = min(r1, len(rows) - 1), min(c1, width - 1)
            if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_MERGE_FILL:
                r1 = min(r1, HEADER_ROWS - 1)  # a huge merged block is filled only where headers are
            if r0 >= len(rows) or r0 > r1 or c0 > c1:
                continue
            first = rows[r0]
            value = first[c0] if c0 < len(first) else ""
            for cells in rows[r0:r1 + 1]:
                if len(cells) <= c1:
                    cells.extend([""] * (c1 + 1 - len(cells)))
                for column in range(c0, c1 + 1):
                    if cells[column] == "" or cells[column] is None:
                        cells[column] = value
        for r in self.lost:  # reported as a whole: neither a merged range nor a marked cell brings part of it back
            rows[r] = [""] * len(rows[r])
        return rows

    def values(self) -> list[Row]:
        """Every row as stored (merged ranges not filled), aligned to column A: for copying a sheet."""
        return _values(self)


def _values(sheet: SheetData) -> list[Row]:
    with phase("parse"), panics.quiet():
        try:
            return cast("list[Row]", sheet._sheet.to_python(skip_empty_area=False))
        except BaseException as exc:  # noqa: BLE001 - reader errors and panics; see panics.reader_failed
            if not panics.reader_failed(exc):
                raise
            failure = str(exc)
        try:
            rows, lost = _row_by_row(sheet._sheet)
        except BaseException as exc:  # noqa: BLE001 - as above
            if not panics.reader_failed(exc):
                raise
            raise SheetUnreadable(sheet.name, failure) from None
        if len(lost) == len(rows):  # it fails on every row: the sheet as a whole
            raise SheetUnreadable(sheet.name, failure)
        sheet.lost = lost
        return rows


def _row_by_row(sheet: calamine.CalamineSheet) -> tuple[list[Row], dict[int, str]]:
    """The rows as `to_python(skip_empty_area=False)` gives them, converted one at a time, so that a row the reader
    fails on costs that row only. Each row `iter_rows` yields starts at the used range's first column; a failed
    row has been consumed all the same, so the next one follows."""
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return [], {}
    pad: Row = [""] * start[1]
    rows: list[Row] = []
    lost: dict[int, str] = {}
    iterator = sheet.iter_rows()
    while len(rows) <= end[0]:  # bounded even if a failing row were not consumed
        try:
            cells = next(iterator)
        except StopIteration:
            break
        except BaseException as exc:  # noqa: BLE001 - a panic on this row's cells
            if not panics.reader_failed(exc):
                raise
            lost[len(rows)] = str(exc)
            cells = [""] * (end[1] + 1 - start[1])
        rows.append(pad + cells)
    return rows, lost


def _cap_text(rows: list[Row]) -> None:
    """Text beyond Excel's limit (32,767 characters) becomes an INPUT-CELL-TOO-LONG marker: it is not read."""
    limit = EXCEL_CELL_TEXT
    for cells in rows:
        for column, value in enumerate(cells):
            if value.__class__ is str and len(value) > limit:
                cells[column] = Unreadable("INPUT-CELL-TOO-LONG", f"{len(value):,}")


class Workbook:
    """An opened workbook. Use as a context manager so the file is closed."""

    def __init__(self, path: Path, display: str | None = None, limits: Limits | None = None):
        self.path = path
        self.display = display or path.name
        suffix = path.suffix.lower()
        where = Location(self.display)
        if not path.exists():
            raise WorkbookError(Text("文件不存在", "file not found"), where)
        if path.is_dir():
            raise WorkbookError(Text("这是一个文件夹，不是工作簿", "this is a folder, not a workbook"), where)
        kind = read_as(path)  # a workbook under another name is read as what it is (formats.read_as)
        if kind not in READABLE:
            raise WorkbookError(unsupported(suffix), where, web=unsupported(suffix, "web"))
        if path.is_file() and path.stat().st_size == 0:  # a save that failed, a copy that did not finish
            raise WorkbookError(Text("文件是空的（0 字节）：请重新保存或重新报送", "the file is empty (0 bytes): save it "
                                     "again or send it again"), where)
        limits = limits or Limits()
        self._file_book: calamine.CalamineWorkbook | None = None  # `_original`
        self._prefetch = prefetch.claim(path)  # sheets the command already started to parse (ingest/prefetch.py)
        prefetched = self._prefetch
        if prefetched is not None and prefetched.preflight is not None and prefetched.book is not None:
            # The background thread ran the preflight with the default limits before calamine opened the file;
            # what it measured is judged again under these limits (a sheet too large for the defaults was left
            # to parse here; one within them but not within these is refused before it is used).
            prefetched.preflight.named(self.display)
            try:
                judged = prefetched.preflight.under(limits)
            except BaseException:
                self._drop_prefetch()
                raise
            if judged is not None:
                self.preflight: Preflight = judged
                self._book: calamine.CalamineWorkbook = prefetched.book
                self._copy: Shadow | None = prefetched.copy  # what `_book` was opened on, if a copy (shadow.py)
                return
        if self._prefetch is not None:  # a format whose checks depend on the limits throughout: check again
            self._drop_prefetch()
        # A name that is not UTF-8, or an .xlsx named .xls, is read through a link under a plain name that says
        # the format (the reader and the preflight choose by the name; each keeps the file it opened).
        with readable_path(path, kind) as readable:
            self.preflight = check(readable, self.display, limits)
            if kind != suffix:  # a name without a suffix is shown whole: 文件名是 台账，内容其实是 .xlsx 工作簿
                self.preflight.notices.append(("INPUT-RENAMED-WORKBOOK", {"suffix": suffix or path.name,
                                                                          "actual": kind}))
            self._open(readable, suffix, where)

    def _open(self, readable: Path, suffix: str, where: Location) -> None:
        path = self.path
        self._copy = None
        try:
            self._book, self._copy = open_book(readable, self.preflight)
        except calamine.PasswordError:
            self.preflight.close()
            raise WorkbookError(Text("工作簿设有打开密码，请在 Excel/WPS 中取消密码后另存再检查",
                                     "the workbook is password-protected; remove the password and save it again"),
                                where) from None
        except BaseException as exc:  # noqa: BLE001 - reader errors and panics; see panics.reader_failed
            self.preflight.close()
            if not panics.reader_failed(exc):
                raise
            if suffix in {".xlsx", ".xlsm", ".xlsb"} and _is_compound_file(path):
                raise WorkbookError(ENCRYPTED, where) from None
            if suffix == ".xls" and not _is_compound_file(path):  # the reader's "Cfb error: Invalid OLE …"
                raise WorkbookError(disguised(path) or NOT_XLS, where) from None
            raise WorkbookError(Text("文件已损坏或不是 Excel 工作簿", "the file is damaged or not an Excel workbook"),
                                where, str(exc)) from None

    def _drop_prefetch(self) -> None:
        """Read without the prefetch: wait for its threads and close what it opened."""
        if self._prefetch is not None:
            self._prefetch.finish()
            if self._prefetch.book is not None:
                self._prefetch.book.close()
            if self._prefetch.preflight is not None:
                self._prefetch.preflight.close()
            self._prefetch = None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._prefetch is not None:
            self._prefetch.finish()
        for book in (self._book, self._file_book):
            try:
                if book is not None:
                    book.close()
            except Exception:  # noqa: BLE001 - closing twice or a half-open file is harmless
                pass
        self.preflight.close()

    def _original(self) -> calamine.CalamineWorkbook:
        """The file as it was checked, for what a copy (shadow.py) cannot give: a sheet it leaves out, the merged
        cells of a sheet whose list the scan could not read (rare: see `sheet`)."""
        if self._file_book is None:
            found = self.preflight.worksheets()  # a copy was made: the package's bytes are there to read
            self._file_book = (calamine.CalamineWorkbook.from_filelike(BytesIO(found[0]())) if found is not None
                               else calamine.CalamineWorkbook.from_path(str(self.path)))
        return self._file_book

    def no_date_cells(self, name: str, rows: Collection[int]) -> dict[int, list[str]]:
        """For some of a sheet's rows (0-based), the columns whose number no date can be (`SheetData.lost`): only
        an .xlsx package can tell (`Preflight.no_date_cells`)."""
        try:
            found = self.preflight.no_date_cells(name, [row + 1 for row in rows])
        except WorkbookError:  # a part that cannot be read again: the rows are reported without their cells
            return {}
        return {row - 1: columns for row, columns in found.items()}

    @property
    def sheet_names(self) -> list[str]:
        return list(self._prefetch.names if self._prefetch is not None else self._book.sheet_names)

    def hidden_sheets(self) -> set[str]:
        """The sheets Excel or WPS does not show (hidden or very hidden)."""
        return set(self._prefetch.hidden) if self._prefetch is not None else prefetch.hidden_sheets(self._book)

    def waits_for_largest(self, name: str) -> bool:
        """Whether `sheet(name)` would wait for the background parse (prefetch.py) of the workbook's largest sheet."""
        return self._prefetch is not None and self._prefetch.waits_for_largest(name)

    def sheet(self, name: str) -> SheetData:
        """The sheet; SheetTooLarge or SheetUnreadable when it cannot be read (the others still can)."""
        found = self.preflight.sheets.get(name, SheetCheck())
        if found.too_large is not None:
            raise SheetTooLarge(name, found.too_large)
        if found.unreadable is not None:  # the reader failed on it in the preflight's child process
            raise SheetUnreadable(name, found.unreadable)
        try:
            with phase("parse"):
                sheet = self._prefetch.take(name) if self._prefetch is not None else None
                if sheet is None:
                    if self._prefetch is not None:
                        self._prefetch.finish()  # the book is not to be used by two threads at once
                    copy = self._copy
                    if copy is not None and name in copy.left_out:  # the prefetch's second thread was to read it
                        sheet, copy = self._original().get_sheet_by_name(name), None
                    else:
                        sheet = self._book.get_sheet_by_name(name)
                else:
                    copy = self._prefetch.from_copy.get(name)  # type: ignore[union-attr]
            # Parsed from the copy (shadow.py): calamine did not look for the merged cells, the scan did.
            merges = copy.merges(name, sheet, found.merges) if copy is not None else as_merges(sheet.merged_cell_ranges)
            if merges is None:
                merges = as_merges(self._original().get_sheet_by_name(name).merged_cell_ranges)
        except BaseException as exc:  # noqa: BLE001 - reader errors and panics; see panics.reader_failed
            if not panics.reader_failed(exc):
                raise
            raise SheetUnreadable(name, str(exc)) from None
        return SheetData(name, merges, sheet, found.marks, self.preflight.long_text or found.long_text)


class SheetTooLarge(Exception):
    """The sheet's used range is beyond the limits: it is not read (INPUT-SHEET-TOO-LARGE)."""

    def __init__(self, sheet: str, params: dict[str, object]):
        super().__init__(sheet)
        self.sheet = sheet
        self.params = params


class SheetUnreadable(Exception):
    """calamine could not read the sheet (INPUT-SHEET-UNREADABLE); the other sheets may still be read."""

    def __init__(self, sheet: str, detail: str):
        super().__init__(sheet)
        self.sheet = sheet
        self.detail = detail


# An encrypted .xlsx is an OLE compound file holding the encrypted package, not a zip archive.
ENCRYPTED = Text("工作簿已加密（设有打开密码），或是改了扩展名的旧版 .xls 文件：请在 Excel/WPS 中取消密码，"
                 "另存为 Excel 工作簿（.xlsx）后再检查",
                 "the workbook is encrypted (password-protected) or is an old .xls file renamed: remove the "
                 "password and save it as an Excel workbook (.xlsx)")


def _is_compound_file(path: Path) -> bool:
    return _starts(path, CFB_SIGNATURE)


def _starts(path: Path, signature: bytes) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(len(signature)) == signature
    except OSError:
        return False


NOT_XLS = Text("文件内容不是 Excel 工作簿（可能是别的文件改了扩展名，或文件已损坏）：请在 Excel/WPS 中打开，“另存为” Excel "
               "工作簿（.xlsx）后再检查",
               "the file's content is not an Excel workbook (another file renamed, or damaged): open it in Excel or "
               "WPS, save it as an Excel workbook (.xlsx) and check it again")


def unsupported(suffix: str, front: Front = "cli") -> Text:
    if suffix in {".et", ".ett"}:
        return Text("不支持 WPS 的 .et 格式：请在 WPS 中“另存为” Excel 工作簿（.xlsx）后再检查",
                    "WPS .et files are not supported: in WPS use Save As → Excel workbook (.xlsx)")
    if suffix in {".csv", ".txt", ".tsv"} and front == "web":
        return Text("不支持 CSV/文本文件：台账需要多个工作表，请使用 Excel 工作簿（.xlsx），首页可下载空白台账模板",
                    "CSV/text files are not supported: a ledger has several sheets; use an .xlsx workbook (the "
                    "start page has a blank template)")
    if suffix in {".csv", ".txt", ".tsv"}:
        return Text("不支持 CSV/文本文件：台账需要多个工作表，请使用 Excel 工作簿（.xlsx），"
                    "可用 `ledgercheck template` 生成模板",
                    "CSV/text files are not supported: a ledger has several sheets; use an .xlsx workbook "
                    "(`ledgercheck template` writes one)")
    return Text(f"不支持的文件类型「{suffix or '无扩展名'}」：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再检查"
                "（也可读取 .xls、.ods）",
                f"unsupported file type {suffix or '(none)'}: save it as an Excel workbook (.xlsx) in Excel or WPS "
                f"(.xls and .ods are read too)")
