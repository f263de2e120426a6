"""Look at a workbook's package before calamine opens it: refuse what would exhaust memory or is not a workbook.

calamine materializes a sheet as a dense grid from A1 to its farthest non-empty cell, so a single value at
XFD1048576 asks for 17 billion cells and aborts the process; it also returns error cells (#N/A, #REF!) and
formulas without a saved result as empty strings, indistinguishable from blank cells. So, before it opens the
file, this module reads the archive itself:

- the central directory: number of parts, total unpacked size, compression ratio of each part (bombs);
- every XML part, refusing DTDs and entity declarations (Excel and LibreOffice never write them), with
  defusedxml where the XML is parsed (the workbook's sheet list, ODS content);
- each worksheet's XML as bytes, in row-aligned chunks: the used range (rows × columns of non-empty cells),
  checked against the limits, and the cells calamine would turn into blanks: error values and formulas with
  no cached value. Those become `Unreadable` markers the loader reports with their cell.

Byte searches (`bytes.find`, regular expressions with a literal prefix) keep this to a fraction of a second on
the largest realistic ledger; an exact, slower scan runs only when the quick bound exceeds a limit (a million
styled empty rows) or the XML is written in an unusual form (namespace prefixes, cells without addresses).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ledgercheck.errors import WorkbookError
from ledgercheck.i18n import Text
from ledgercheck.limits import Limits
from ledgercheck.model.provenance import Location

ZIP_FORMATS = {".xlsx", ".xlsm", ".xlsb", ".ods"}
CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
RATIO_FLOOR = 1 << 20  # parts smaller than this are not judged by their compression ratio
CHUNK = 16 << 20


class Unreadable:
    """A cell calamine cannot give a value for. The loader reports it instead of reading it as blank."""

    __slots__ = ("code", "text")

    def __init__(self, code: str, text: str):
        self.code = code  # INPUT-ERROR-CELL or INPUT-FORMULA-NO-VALUE
        self.text = text  # the error value (#REF!) or the formula

    def __repr__(self) -> str:
        return f"Unreadable({self.code}, {self.text!r})"

    def __str__(self) -> str:
        return self.text


@dataclass
class SheetCheck:
    """What the package says about one sheet: a reason not to read it, and cells to report."""

    too_large: dict[str, object] | None = None  # params of INPUT-SHEET-TOO-LARGE
    marks: dict[tuple[int, int], Unreadable] = field(default_factory=dict)  # (row, column), 0-based


@dataclass
class Preflight:
    sheets: dict[str, SheetCheck] = field(default_factory=dict)  # by sheet name
    notices: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # workbook-level warnings


def _error(zh: str, en: str, display: str, detail: str | None = None) -> WorkbookError:
    return WorkbookError(Text(zh, en), Location(display), detail)


def check(path: Path, display: str, limits: Limits) -> Preflight:
    """Raise WorkbookError when the file must not be opened at all; else what to watch for per sheet."""
    size = path.stat().st_size
    if size > limits.max_file_size:
        raise _error(f"文件过大（{_mb(size)}），超过上限 {limits.describe('max_file_size')}；"
                     "如确属台账，可用 --limit max-file-size=… 调高",
                     f"the file is too large ({_mb(size)}), above the limit {limits.describe('max_file_size')}; "
                     "raise it with --limit max-file-size=… if this really is a ledger", display)
    suffix = path.suffix.lower()
    if suffix not in ZIP_FORMATS:
        return Preflight()
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(CFB_SIGNATURE):
        return Preflight()  # an encrypted package: the workbook reader says so
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            raise _error("文件不完整（压缩包的目录缺失，可能是下载或复制中断）：请重新获取完整的文件",
                         "the file is incomplete (the archive's directory is missing: an interrupted download "
                         "or copy); get the complete file again", display)
        raise _error("文件已损坏或不是 Excel 工作簿（内容不是 Excel/WPS 保存的格式）",
                     "the file is damaged or not an Excel workbook (its content is not what Excel or WPS "
                     "saves)", display)
    try:
        with zipfile.ZipFile(path) as archive:
            return _Package(archive, display, limits, suffix).check()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError, zlib.error) as exc:
        raise _error("文件已损坏（压缩包中的数据无法解压）", "the file is damaged (data in the archive cannot be "
                     "unpacked)", display, str(exc)) from None


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB" if size >= 1 << 20 else f"{size / 1024:.1f} KB"


class _Package:
    def __init__(self, archive: zipfile.ZipFile, display: str, limits: Limits, suffix: str):
        self.archive = archive
        self.display = display
        self.limits = limits
        self.suffix = suffix
        self.infos = archive.infolist()

    def check(self) -> Preflight:
        self._directory()
        result = Preflight()
        if any(PurePosixPath(i.filename).name.lower() == "vbaproject.bin" for i in self.infos):
            result.notices.append(("INPUT-MACROS", {}))
        if self.suffix == ".ods":
            # The reader loads every sheet of an .ods when it opens the file: one too large sheet stops all.
            for name, found in self._ods().items():
                if found.too_large is not None:
                    params = found.too_large
                    raise WorkbookError(Text(
                        f"已用区域延伸到 {params['cell']}（{params['rows']}行×{params['columns']}列），"
                        f"超过上限 {params['limit']}；.ods 文件只能整体读取，无法检查。请删除多余的行列，或用 --limit 调高上限",
                        f"the used range reaches {params['cell']} ({params['rows']} rows × "
                        f"{params['columns']} columns), beyond the limit {params['limit']}; an .ods file is read "
                        "whole, so it cannot be audited. Delete the stray rows and columns, or raise the limit "
                        "with --limit"), Location(self.display, name))
            return result
        sheets = self._xlsx_sheets() if self.suffix in {".xlsx", ".xlsm"} else {}
        parts = set(sheets.values())
        for info in self.infos:
            if info.is_dir() or info.filename in parts:
                continue
            if info.filename.lower().endswith((".xml", ".rels")):
                self._no_dtd(info.filename, self._read(info)[:4096])
            else:
                self._read(info)  # every part decompresses to its declared size with a good checksum
        for name, part in sheets.items():
            if part in {i.filename for i in self.infos}:
                result.sheets[name] = self._sheet(name, part)
        return result

    # ---- the archive ---------------------------------------------------------------------------------

    def _directory(self) -> None:
        limits = self.limits
        if len(self.infos) > limits.max_parts:
            raise _error(f"压缩包中有{len(self.infos):,}个文件，超过上限 {limits.describe('max_parts')}，不像是台账",
                         f"the archive holds {len(self.infos):,} files, above the limit "
                         f"{limits.describe('max_parts')}; this is not a ledger", self.display)
        total = sum(i.file_size for i in self.infos)
        if total > limits.max_unpacked_size:
            raise _error(f"解压后共 {_mb(total)}，超过上限 {limits.describe('max_unpacked_size')}（可能是压缩炸弹）；"
                         "如确属台账，可用 --limit max-unpacked-size=… 调高",
                         f"it unpacks to {_mb(total)}, above the limit {limits.describe('max_unpacked_size')} "
                         "(a decompression bomb?); raise it with --limit max-unpacked-size=… if this really is "
                         "a ledger", self.display)
        for info in self.infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > limits.max_compression_ratio:
                raise _error(f"压缩包中的「{info.filename}」压缩比为 {ratio:.0f}:1（{_mb(info.file_size)}），超过上限 "
                             f"{limits.describe('max_compression_ratio')}，疑似压缩炸弹，拒绝读取",
                             f"{info.filename} in the archive has a compression ratio of {ratio:.0f}:1 "
                             f"({_mb(info.file_size)}), above the limit "
                             f"{limits.describe('max_compression_ratio')}: refused as a likely decompression "
                             "bomb", self.display)

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        with self.archive.open(info) as stream:
            return stream.read(info.file_size + 1)

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The part in pieces that end after a row element, so no cell is cut in two."""
        with self.archive.open(info) as stream:
            carry = b""
            while True:
                block = stream.read(CHUNK)
                if not block:
                    if carry:
                        yield carry
                    return
                buffer = carry + block
                cut = buffer.rfind(b"row>")
                if cut < 0 and len(buffer) < 4 * CHUNK:
                    carry = buffer
                    continue
                cut = len(buffer) if cut < 0 else cut + 4
                yield buffer[:cut]
                carry = buffer[cut:]

    def _no_dtd(self, part: str, head: bytes) -> None:
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise _error(f"「{part}」含有 XML 文档类型或实体声明（Excel、WPS 从不写入），可能是恶意构造的文件，拒绝读取",
                         f"{part} declares an XML document type or entities, which Excel and WPS never write; "
                         "refused as possibly malicious", self.display)

    def _parse(self, part: str, data: bytes):  # -> Element
        try:
            return SafeET.fromstring(data, forbid_dtd=True)
        except DefusedXmlException:
            self._no_dtd(part, b"<!DOCTYPE")
            raise
        except SafeET.ParseError as exc:
            raise _error(f"「{part}」不是有效的 XML，文件已损坏", f"{part} is not valid XML: the file is damaged",
                         self.display, str(exc)) from None

    # ---- .xlsx / .xlsm ------------------------------------------------------------------------------

    def _xlsx_sheets(self) -> dict[str, str]:
        """Sheet name → worksheet part, from the workbook part and its relationships."""
        names = {i.filename: i for i in self.infos}
        book_part = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for rel in self._parse("_rels/.rels", self._read(names["_rels/.rels"])):
                if rel.get("Type", "").endswith("/officeDocument"):
                    book_part = _resolve("", rel.get("Target", book_part))
        if book_part not in names:
            return {}
        rels_part = str(PurePosixPath(book_part).parent / "_rels" / (PurePosixPath(book_part).name + ".rels"))
        targets: dict[str, str] = {}
        if rels_part in names:
            for rel in self._parse(rels_part, self._read(names[rels_part])):
                targets[rel.get("Id", "")] = _resolve(str(PurePosixPath(book_part).parent), rel.get("Target", ""))
        sheets: dict[str, str] = {}
        for element in self._parse(book_part, self._read(names[book_part])).iter():
            if element.tag.rsplit("}", 1)[-1] != "sheet":
                continue
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if element.get("name") is not None and rid in targets:
                sheets[element.get("name")] = targets[rid]
        return sheets

    def _sheet(self, name: str, part: str) -> SheetCheck:
        info = self.archive.getinfo(part)
        scan = _SheetScan()
        first = True
        for chunk in self._chunks(info):
            if first:
                self._no_dtd(part, chunk[:4096])
                first = False
            scan.feed(chunk)
        rows, columns = scan.bound()
        if scan.prefixed:
            rows, columns = self._parsed_extent(info)
        elif not self._fits(rows, columns):
            # The quick bound counts empty styled rows and tags that are not cells: count exactly.
            exact = self._exact_extent(info) if scan.cells_seen == scan.cells_addressed else None
            rows, columns = exact if exact is not None else self._parsed_extent(info)
        result = SheetCheck(marks=scan.marks)
        if not self._fits(rows, columns):
            limit = self.limits.describe("max_rows" if rows > self.limits.max_rows else "max_cells")
            result.too_large = {"cell": f"{_letters(columns - 1)}{rows}", "rows": rows, "columns": columns,
                                "limit": limit}
            result.marks = {}
        return result

    def _fits(self, rows: int, columns: int) -> bool:
        return rows <= self.limits.max_rows and rows * columns <= self.limits.max_cells

    def _exact_extent(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """Rows and columns of the non-empty cells (a styled empty cell or row does not count)."""
        rows = columns = 0
        for chunk in self._chunks(info):
            for match in _FILLED_CELL.finditer(chunk):
                rows = max(rows, int(match.group(2)))
                columns = max(columns, _column_number(match.group(1)))
        return rows, columns

    def _parsed_extent(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """The same for XML in an unusual form, parsed: cells without an address follow the one before."""
        rows = columns = 0
        row = 0
        with self.archive.open(info) as stream:
            try:
                for event, element in SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if event == "start" and tag == "row":
                        row = int(element.get("r") or row + 1)
                        column = 0
                    elif event == "end" and tag == "c":
                        address = element.get("r")
                        column = _address(address)[1] + 1 if address else column + 1
                        if any((child.text or "").strip() or len(child) for child in element):
                            rows, columns = max(rows, row), max(columns, column)
                        element.clear()
                    elif event == "end" and tag == "row":
                        element.clear()
            except DefusedXmlException:
                self._no_dtd(info.filename, b"<!DOCTYPE")
            except (SafeET.ParseError, ValueError) as exc:
                raise _error(f"「{info.filename}」不是有效的 XML，文件已损坏",
                             f"{info.filename} is not valid XML: the file is damaged", self.display, str(exc)) from None
        return rows, columns

    # ---- .ods ---------------------------------------------------------------------------------------

    def _ods(self) -> dict[str, SheetCheck]:
        """ODS repeats rows and cells by count (number-rows-repeated): a repeated value is materialized."""
        names = {i.filename: i for i in self.infos}
        for part in names:
            if part.lower().endswith(".xml"):
                self._no_dtd(part, self._read(names[part])[:4096])
        if "content.xml" not in names:
            return {}
        table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
        office_ns = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
        result: dict[str, SheetCheck] = {}
        name, row, rows, columns, row_repeat, column, filled_row = "", 0, 0, 0, 1, 0, False
        with self.archive.open(names["content.xml"]) as stream:
            try:
                for event, element in SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True):
                    tag = element.tag
                    if tag == f"{table_ns}table" and event == "start":
                        name, row, rows, columns = element.get(f"{table_ns}name") or "", 0, 0, 0
                    elif tag == f"{table_ns}table-row" and event == "start":
                        row_repeat = int(element.get(f"{table_ns}number-rows-repeated") or 1)
                        column, filled_row = 0, False
                    elif tag in (f"{table_ns}table-cell", f"{table_ns}covered-table-cell") and event == "end":
                        repeat = int(element.get(f"{table_ns}number-columns-repeated") or 1)
                        column += repeat
                        if element.get(f"{office_ns}value-type") or len(element):
                            columns = max(columns, column)
                            filled_row = True
                        element.clear()
                    elif tag == f"{table_ns}table-row" and event == "end":
                        row += row_repeat
                        if filled_row:
                            rows = row
                        element.clear()
                    elif tag == f"{table_ns}table" and event == "end":
                        check_ = SheetCheck()
                        if not self._fits(rows, columns):
                            limit = self.limits.describe("max_rows" if rows > self.limits.max_rows else "max_cells")
                            check_.too_large = {"cell": f"{_letters(columns - 1)}{rows}", "rows": rows,
                                                "columns": columns, "limit": limit}
                        result[name] = check_
                        element.clear()
            except DefusedXmlException:
                self._no_dtd("content.xml", b"<!DOCTYPE")
            except (SafeET.ParseError, ValueError) as exc:
                raise _error("「content.xml」不是有效的 XML，文件已损坏", "content.xml is not valid XML: the file is damaged",
                             self.display, str(exc)) from None
        return result


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = [p for p in base.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _column_number(letters: bytes | str) -> int:
    """A → 1, AB → 28."""
    number = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(ch) - 64
    return number


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _address(ref: str) -> tuple[int, int]:
    """'B12' → (11, 1), 0-based."""
    match = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref.strip().upper())
    if not match:
        raise ValueError(ref)
    return int(match.group(2)) - 1, _column_number(match.group(1)) - 1


# ---- scanning a worksheet's XML ---------------------------------------------------------------------

_ROW_ADDRESS = re.compile(rb'<row r="(\d+)"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d+"')  # columns AA and beyond (most ledgers have none)
_FILLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?(?<!/)>(?!</c>|<v\s*/>|<v></v>)')
_CELL_START = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(r|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_FORMULA_START = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ERROR_TYPE = re.compile(rb'\bt="e"')
TEXT_TYPES = {b"str", b"inlineStr", b"s"}


class _SheetScan:
    """Quick statistics of a worksheet's XML, fed chunk by chunk, and the cells calamine would blank.

    A row or cell written without its address (r="…") follows the one before it, so each such element can
    push the used range one row or column further: the bound adds their number.
    """

    def __init__(self) -> None:
        self.max_row = 0
        self.rows_seen = 0  # row elements (and a few other tags starting with <row)
        self.rows_addressed = 0  # row elements in the usual form <row r="N"
        self.cells_seen = 0  # cell elements (and a few other tags starting with <c)
        self.cells_addressed = 0  # cell elements in the usual form <c r="B2"
        self.wide = 0  # widest column among cells in columns AA and beyond
        self.prefixed = False  # elements with a namespace prefix (<x:row>): parsed instead
        self.marks: dict[tuple[int, int], Unreadable] = {}
        self._first = True

    def feed(self, chunk: bytes) -> None:
        if self._first:
            self._first = False
            self.prefixed = b"<sheetData" not in chunk and b":sheetData" in chunk
        self.rows_seen += chunk.count(b"<row")
        addresses = _ROW_ADDRESS.findall(chunk)
        self.rows_addressed += len(addresses)
        if addresses:
            self.max_row = max(self.max_row, max(map(int, addresses)))
        self.cells_seen += chunk.count(b"<c")
        self.cells_addressed += chunk.count(b'<c r="')
        for match in _WIDE_CELL.finditer(chunk):
            self.wide = max(self.wide, _column_number(match.group(1)))
        if b't="e"' in chunk:
            for match in _ERROR_TYPE.finditer(chunk):
                self._mark(chunk, match.start(), "error")
        if b"<f" in chunk or (self.prefixed and b":f" in chunk):
            for match in _FORMULA_START.finditer(chunk):
                self._mark(chunk, match.start(), "formula")

    def bound(self) -> tuple[int, int]:
        """Rows and columns the used range cannot exceed; empty styled rows and cells count here."""
        rows = self.max_row + max(0, self.rows_seen - self.rows_addressed)
        columns = max(self.wide, 26 if self.cells_seen else 0) + max(0, self.cells_seen - self.cells_addressed)
        return rows, columns

    def _mark(self, chunk: bytes, position: int, what: str) -> None:
        start = chunk.rfind(b"<", 0, position + 1)
        while start > 0 and not _CELL_START.match(chunk, start):
            start = chunk.rfind(b"<", 0, start)
        tag = _CELL_START.match(chunk, start) if start >= 0 else None
        end = _CELL_END.search(chunk, position)
        if tag is None or end is None:
            return
        attributes = dict(_ATTRIBUTE.findall(tag.group(1)))
        if b"r" not in attributes:
            return
        body = chunk[tag.end():end.start()]
        value = _VALUE.search(body)
        cached = value.group(1) if value else None
        try:
            where = _address(attributes[b"r"].decode())
        except ValueError:
            return
        if what == "error" and attributes.get(b"t") == b"e":
            self.marks[where] = Unreadable("INPUT-ERROR-CELL", _unescape(cached or b"#N/A"))
        elif what == "formula" and where not in self.marks:
            formula = _FORMULA.search(body)
            if formula is None:
                return
            empty = cached is None or (not cached.strip() and attributes.get(b"t") not in TEXT_TYPES)
            if empty and attributes.get(b"t") != b"e":
                self.marks[where] = Unreadable("INPUT-FORMULA-NO-VALUE",
                                               "=" + _unescape(formula.group(1) or b"") if formula.group(1) else "=…")


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def sheet_xml(data: bytes) -> SheetCheck:  # for tests: scan one worksheet's XML
    scan = _SheetScan()
    scan.feed(data)
    return SheetCheck(marks=scan.marks)


