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
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ledgercheck.common.errors import WorkbookError
from ledgercheck.common.i18n import Text
from ledgercheck.common.limits import Limits
from ledgercheck.common.location import Location
from ledgercheck.ingest.addresses import cell_index, column_letter, column_number

ZIP_FORMATS = {".xlsx", ".xlsm", ".xlsb", ".ods"}
CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
RATIO_FLOOR = 1 << 20  # parts smaller than this are not judged by their compression ratio
CHUNK = 4 << 20  # bytes of XML scanned at a time: 16 MB took the same time and 20 MiB more peak memory


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


class LazySheets(Mapping[str, SheetCheck]):
    """Worksheet checks made on first use, once, whichever thread asks first (the others wait for it).

    Scanning a sheet's XML costs about as much as a third of calamine's parse of it, so the prefetch threads
    scan each sheet just before they parse it, overlapping the scans with the other sheets' parsing.
    """

    def __init__(self, parts: dict[str, str], scan: Callable[[str], SheetCheck]):
        self._parts = parts
        self._scan = scan
        self._done: dict[str, SheetCheck] = {}
        self._locks = {name: threading.Lock() for name in parts}

    def __getitem__(self, name: str) -> SheetCheck:
        if name not in self._parts:
            raise KeyError(name)
        with self._locks[name]:
            if name not in self._done:
                self._done[name] = self._scan(self._parts[name])
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


@dataclass
class Preflight:
    sheets: Mapping[str, SheetCheck] = field(default_factory=dict)  # by sheet name
    notices: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # workbook-level warnings
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of each worksheet's XML, unpacked (.xlsx)


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
    with _unpacking(display), zipfile.ZipFile(path) as archive:
        result, parts = _Package(archive, display, limits, suffix).check()
    if parts:  # worksheets: each is scanned when it is first asked for

        def scan(part: str) -> SheetCheck:
            with _unpacking(display), zipfile.ZipFile(path) as archive:
                return _Package(archive, display, limits, suffix).sheet(part)

        result.sheets = LazySheets(parts, scan)
    return result


@contextmanager
def _unpacking(display: str) -> Iterator[None]:
    try:
        yield
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

    def check(self) -> tuple[Preflight, dict[str, str]]:
        """The package-level checks, and the worksheet parts (by sheet name) still to scan."""
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
            return result, {}
        sheets = self._xlsx_sheets() if self.suffix in {".xlsx", ".xlsm"} else {}
        parts = set(sheets.values())
        for info in self.infos:
            if info.is_dir() or info.filename in parts:
                continue
            if info.filename.lower().endswith((".xml", ".rels")):
                self._no_dtd(info.filename, self._read(info)[:4096])
            else:
                self._read(info)  # every part decompresses to its declared size with a good checksum
        present = {i.filename: i.file_size for i in self.infos}
        result.sizes = {name: present[part] for name, part in sheets.items() if part in present}
        return result, {name: part for name, part in sheets.items() if part in present}

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

    def sheet(self, part: str) -> SheetCheck:
        info = self.archive.getinfo(part)
        scan = _SheetScan()
        first = True
        for chunk in self._chunks(info):
            if first:
                self._no_dtd(part, chunk[:4096])
                first = False
            scan.feed(chunk)
        rows, columns = scan.bound()
        if scan.prefixed or scan.unparseable:
            rows, columns = self._parsed_extent(info)
        elif not self._fits(rows, columns):
            # The quick bound counts styled empty rows and cells: count the non-empty ones exactly.
            rows, columns = self._parsed_extent(info) if scan.tolerant else self._exact_extent(info)
        result = SheetCheck(marks=scan.marks)
        if not self._fits(rows, columns):
            limit = self.limits.describe("max_rows" if rows > self.limits.max_rows else "max_cells")
            result.too_large = {"cell": f"{column_letter(columns - 1)}{rows}", "rows": rows, "columns": columns,
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
                columns = max(columns, column_number(match.group(1)))
        return rows, columns

    def _parsed_extent(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """The same for XML in an unusual form, parsed: cells without an address follow the one before."""
        rows = columns = 0
        row = column = 0
        with self.archive.open(info) as stream:
            try:
                for event, element in SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if event == "start" and tag == "row":
                        row = int(element.get("r") or row + 1)
                        column = 0
                    elif event == "end" and tag == "c":
                        address = element.get("r")
                        if address:  # calamine places the cell at its own address, whatever its row says
                            cell_row, column = (n + 1 for n in cell_index(address))
                        else:
                            cell_row, column = row, column + 1
                        if any((child.text or "").strip() or len(child) for child in element):
                            rows, columns = max(rows, cell_row), max(columns, column)
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
                            check_.too_large = {"cell": f"{column_letter(columns - 1)}{rows}", "rows": rows,
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








# ---- scanning a worksheet's XML ---------------------------------------------------------------------

_ROW_ADDRESS = re.compile(rb'<row r="(\d+)"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d+"')  # columns AA and beyond (most ledgers have none)
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d+)"')
_FILLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?(?<!/)>(?!</c>|<v\s*/>|<v></v>)')
_CELL_START = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(r|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_TAG = re.compile(rb"<\w+:f[\s>/]")
_ERROR_TYPE = re.compile(rb'\bt="e"')
TEXT_TYPES = {b"str", b"inlineStr", b"s"}
# Rows and cells in the form Excel, WPS, LibreOffice and openpyxl write: the address first, in double quotes,
# upper case. calamine also accepts every other form (single quotes, spaces, lower case, the address after
# other attributes, no address, a namespace prefix); any of those sends the chunk to the tolerant scan.
_ODD_ROW = re.compile(rb'<row(?! r="\d)[\s>/]')
_ODD_CELL = re.compile(rb'<c(?! r="[A-Z]{1,3}\d)[\s>/]')
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s>/]")  # quick: ":c " may also be text
_PREFIXED_ELEMENT = re.compile(rb"<[\w.-]+:(?:c|row)[\s>/]")
_ANY_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s>/])([^>]*)>")
_ADDRESS_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _SheetScan:
    """Quick bounds of a worksheet's used range, fed chunk by chunk, and the cells calamine would blank.

    calamine places a cell at its own address (r="B2"), whatever its row element says; a cell or row written
    without an address follows the one before it, so each such element can push the range one column or row
    further: the bound adds their number. A bound may be generous (styled empty cells count); the exact scans
    in `_Package.sheet` settle a bound that exceeds a limit.
    """

    def __init__(self) -> None:
        self.max_row = 0  # the largest row address of a row or a cell
        self.wide = 0  # the widest column among cells in columns AA and beyond
        self.extra_rows = 0  # rows without an address
        self.extra_columns = 0  # cells without an address
        self.prefixed = False  # elements with a namespace prefix (<x:row>): parsed instead
        self.tolerant = False  # some chunk held rows or cells in an unusual form
        self.unparseable = False  # an address the quick scans cannot read: parsed instead
        self.marks: dict[tuple[int, int], Unreadable] = {}
        self._first = True
        self._patterns: dict[int, re.Pattern[bytes]] = {}  # by ceiling

    def feed(self, chunk: bytes) -> None:
        if self._first:
            self._first = False
            self.prefixed = b"<sheetData" not in chunk and b":sheetData" in chunk
        if not self.prefixed and _PREFIXED_TAG.search(chunk) and _PREFIXED_ELEMENT.search(chunk):
            self.prefixed = True
        if self.prefixed:
            pass  # the XML is parsed instead
        elif _ODD_ROW.search(chunk) or _ODD_CELL.search(chunk):
            self.tolerant = True
            self._tolerant(chunk)
        else:
            self._usual(chunk)
        if b't="e"' in chunk:
            for match in _ERROR_TYPE.finditer(chunk):
                self._mark(chunk, match.start(), "error")
        for pattern in (_FORMULA_TAG, _PREFIXED_FORMULA_TAG) if self.prefixed else (_FORMULA_TAG,):
            for match in pattern.finditer(chunk):
                self._mark(chunk, match.start(), "formula")

    def _usual(self, chunk: bytes) -> None:
        """Rows and cells all in the usual form: byte searches with literal prefixes."""
        addresses = _ROW_ADDRESS.findall(chunk)
        ceiling, beyond = self._beyond(max(map(int, addresses)) if addresses else 0)
        if beyond.search(chunk):  # a cell in column AA or beyond, or below the ceiling: look at every cell
            for match in _WIDE_CELL.finditer(chunk):
                self.wide = max(self.wide, column_number(match.group(1)))
            self.max_row = max(self.max_row, ceiling, max(map(int, _CELL_ROW.findall(chunk)), default=0))
        else:
            self.max_row = max(self.max_row, ceiling)

    def _beyond(self, rows: int) -> tuple[int, re.Pattern[bytes]]:
        """A ceiling a little above `rows` (its first two digits, then nines: 184,213 → 189,999), and a pattern
        for the cells in columns AA and beyond or with a row address above that ceiling.

        Rounding up keeps the pattern short, and it is matched at every cell; the bound is a few percent
        generous, which only matters near a limit, where the exact scan settles it.
        """
        digits = str(rows)
        if len(digits) <= 2:
            ceiling, above = 99, [r"\d{3,}"]
        else:
            length, first, second = len(digits), int(digits[0]), int(digits[1])
            ceiling = int(digits[:2] + "9" * (length - 2))
            above = [rf"\d{{{length + 1},}}"]  # more digits (a leading zero only costs a closer look)
            if first < 9:
                above.append(rf"[{first + 1}-9]\d{{{length - 1}}}")
            if second < 9:
                above.append(rf"{first}[{second + 1}-9]\d{{{length - 2}}}")
        if ceiling not in self._patterns:
            pattern = rf'<c r="(?:[A-Z]{{2,3}}\d|[A-Z](?:{"|".join(above)})")'
            self._patterns[ceiling] = re.compile(pattern.encode())
        return ceiling, self._patterns[ceiling]

    def _tolerant(self, chunk: bytes) -> None:
        """Every row and cell element's own address, in whatever form calamine would accept it."""
        for match in _ANY_TAG.finditer(chunk):
            element, attributes = match.groups()
            found = _ADDRESS_ATTRIBUTE.search(attributes)
            if found is None:
                if element == b"row":
                    self.extra_rows += 1
                else:
                    self.extra_columns += 1
                continue
            address = (found.group(1) if found.group(1) is not None else found.group(2)).decode("ascii", "replace")
            try:
                if element == b"row":
                    self.max_row = max(self.max_row, int(address))
                else:
                    row, column = cell_index(address)
                    self.max_row, self.wide = max(self.max_row, row + 1), max(self.wide, column + 1)
            except ValueError:  # an entity or something stranger: the XML parser decides
                self.unparseable = True

    def bound(self) -> tuple[int, int]:
        """Rows and columns the used range cannot exceed; empty styled rows and cells count here."""
        if not self.max_row and not self.extra_rows:
            return 0, 0
        return self.max_row + self.extra_rows, max(self.wide, 26) + self.extra_columns

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
            where = cell_index(attributes[b"r"].decode())
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


