"""Look at a workbook's package before calamine opens it: refuse what would exhaust memory or is not a workbook.

calamine materializes a sheet as a dense grid from A1 to its farthest non-empty cell, so a single value at
XFD1048576 asks for 17 billion cells and aborts the process; it also returns error cells (#N/A, #REF!) and
formulas without a saved result as empty strings, indistinguishable from blank cells. So, before it opens the
file, this module reads the archive itself:

- the central directory: number of parts, total unpacked size, compression ratio of each part (bombs);
- the parts exactly as calamine finds them (`_Names`: names compared in ASCII lower case with backslashes as
  slashes, relationship targets appended to the workbook's folder without resolving `..`), so the part scanned
  is the part calamine parses; parts nothing reads (pictures and other media) are never decompressed;
- the start of every XML part, refusing DTDs and entity declarations (Excel and LibreOffice never write them),
  with defusedxml where the XML is parsed (the workbook's sheet list, ODS content);
- the shared strings (a declared count calamine reserves memory for; text longer than a cell may hold) and the
  styles (more cell formats than Excel allows);
- each worksheet's XML as bytes, in row-aligned chunks: the used range (rows × columns of non-empty cells),
  checked against the limits, and the cells calamine would turn into blanks: error values and formulas with
  no cached value. Those become `Unreadable` markers the loader reports with their cell.

One RE2 automaton pass a chunk (`_SheetScan._quiet`; google-re2 where PyPI has its wheels) finds whatever calls
for a closer look, and only then do the byte searches with `re` run: about a tenth of a second for the largest
realistic ledger's dues sheet, unpacked a chunk ahead in a thread of its own. When the quick bound exceeds a limit (a million styled empty rows) or the XML is
in an unusual form (namespace prefixes, cells without addresses, markup inside attribute values), the sheet is
read again token by token the way calamine's XML reader reads it (`_exact_extent`).

What was measured is kept apart from the verdict (`SheetExtent`, the package's sizes and counts), so the same
checks can be judged under other limits without reading the package again (`Preflight.under`).

What cannot be measured here, .xlsb and .xls (binary records; an .xls is parsed whole when it is opened) and
archives whose names two zip readers could read differently, is first parsed in a child process under a memory
limit (`_probe`): a reader that aborts there takes down only the child, and the command says why.
"""

from __future__ import annotations

import copy
import os
import queue
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

try:  # RE2: one automaton pass instead of several with `re` (`_SheetScan._quiet`); without it, those passes
    import re2
except ImportError:  # a platform without its wheel (pyproject.toml): the same checks with `re`, slower
    re2 = None

from ledgercheck.common.errors import WorkbookError
from ledgercheck.common.i18n import Text
from ledgercheck.common.limits import EXCEL_CELL_FORMATS, Limits
from ledgercheck.common.location import Location
from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.formats import CFB_SIGNATURE, ZIP_SIGNATURE, disguised
from ledgercheck.ingest.shadow import Merge, merges_in

ZIP_FORMATS = {".xlsx", ".xlsm", ".xlsb", ".ods"}
PROBED = {".xls", ".xlsb"}  # binary formats: parsed first in a child process (`_probe`)
RATIO_FLOOR = 1 << 20  # parts smaller than this are not judged by their compression ratio
CHUNK = 4 << 20  # bytes of XML scanned at a time: 16 MB took the same time and 20 MiB more peak memory
HEAD = 4096  # bytes of an XML part looked at for a document type declaration
LONG_RUN = 8192  # a text of 32,768 characters holds a whole aligned block of this many bytes without markup
PROBE_TIMEOUT = 60.0  # seconds the child process may take to parse a workbook
PROBE_BASE = 256 << 20  # bytes of address space the child needs besides the cells (interpreter, reader, strings)
PROBE_DEATHS = 3  # sheets that may take the child down before the whole workbook is refused
PROBE_PER_CELL = 48  # bytes of address space per cell of max-cells (calamine keeps 32 to 40 per cell)
_U32 = 0xFFFFFFFF
MAX_COPY = 256 << 20  # bytes of a package copied for calamine (shadow.py); a larger one is read from disk
UNPACK_AHEAD = True  # False: the largest sheet too is unpacked by the thread that scans it (`may_parse`)


class Unreadable:
    """A cell calamine cannot give a value for. The loader reports it instead of reading it as blank."""

    __slots__ = ("code", "text")

    def __init__(self, code: str, text: str):
        self.code = code  # INPUT-ERROR-CELL, INPUT-FORMULA-NO-VALUE or INPUT-CELL-TOO-LONG
        self.text = text  # the error value (#REF!), the formula, or the length of an over-long text

    def __repr__(self) -> str:
        return f"Unreadable({self.code}, {self.text!r})"

    def __str__(self) -> str:
        return self.text


@dataclass
class SheetCheck:
    """What the package says about one sheet: a reason not to read it, and cells to report."""

    too_large: dict[str, object] | None = None  # params of INPUT-SHEET-TOO-LARGE
    marks: dict[tuple[int, int], Unreadable] = field(default_factory=dict)  # (row, column), 0-based
    unreadable: str | None = None  # why the sheet cannot be read (INPUT-SHEET-UNREADABLE): the reader failed
    long_text: bool = False  # some cell may hold text beyond Excel's limit (checked cell by cell when read)
    merges: list[Merge] | None = None  # as calamine lists them, read by the scan (None: not read; shadow.py)


@dataclass
class SheetExtent:
    """What a worksheet's scan measured, whatever the limits: judged under any limits by `_Package.judge`."""

    part: str
    rows: int
    columns: int
    exact: bool  # the used range as calamine reads it; else a generous quick bound (styled empty cells count)
    narrow: bool  # the quick bound assumes 26 columns: no cell is in column AA or beyond
    marks: dict[tuple[int, int], Unreadable]
    long_text: bool
    merges: list[Merge] | None = None  # shadow.merges_in
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # guards the exact reading


class LazySheets(Mapping[str, SheetExtent]):
    """Worksheet scans made on first use, once, whichever thread asks first (the others wait for it).

    Scanning a sheet's XML costs about as much as a third of calamine's parse of it, so the prefetch threads
    scan each sheet just before they parse it, overlapping the scans with the other sheets' parsing.
    """

    def __init__(self, parts: dict[str, str], scan: Callable[[str, bool], SheetExtent]):
        self._parts = parts
        self._scan = scan
        self._done: dict[str, SheetExtent] = {}
        self._locks = {name: threading.Lock() for name in parts}

    def __getitem__(self, name: str) -> SheetExtent:
        return self.measure(name)

    def measure(self, name: str, ahead: bool = False) -> SheetExtent:
        """The sheet's scan, made now if this is its first use (`ahead`: see `_Package.measure`)."""
        if name not in self._parts:
            raise KeyError(name)
        with self._locks[name]:
            if name not in self._done:
                self._done[name] = self._scan(self._parts[name], ahead)
        return self._done[name]

    def __contains__(self, name: object) -> bool:
        return name in self._parts  # Mapping's own would scan the sheet to tell

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


class JudgedSheets(Mapping[str, SheetCheck]):
    """The scans' measurements judged under one set of limits: several sets share one scan of each sheet."""

    def __init__(self, scans: LazySheets, judge: Callable[[SheetExtent], SheetCheck]):
        self._scans = scans
        self._judge = judge

    def __getitem__(self, name: str) -> SheetCheck:
        return self._judge(self._scans[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._scans)

    def __len__(self) -> int:
        return len(self._scans)


@dataclass
class Preflight:
    """What the package check found: each sheet's bounds and marks, and warnings for the workbook."""

    sheets: Mapping[str, SheetCheck] = field(default_factory=dict)  # by sheet name
    notices: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # workbook-level warnings
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of each worksheet's XML, unpacked (.xlsx)
    # Whether a cell may hold text beyond Excel's limit (checked cell by cell when the sheet is read): always
    # for the formats whose text is not looked at here.
    long_text: bool = True
    limits: Limits = Limits()  # what the checks were judged against
    _archive: zipfile.ZipFile | None = field(default=None, repr=False)  # shared by the worksheet scans
    # Set for a package whose checks can be judged again under other limits without reading it again (.xlsx).
    _package: _Package | None = field(default=None, repr=False)
    _scans: LazySheets | None = field(default=None, repr=False)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()

    def named(self, display: str) -> None:
        """Name the workbook as `display` in the errors of the scans still to come."""
        if self._package is not None:
            self._package.display = display

    def may_parse(self, name: str, alone: bool = False) -> bool:
        """Whether the sheet may be handed to calamine under these limits, judged only from the scan (and the
        cheap narrowing of its columns): not when it is too large or unreadable, nor when only an exact reading
        of its cells could tell. The prefetch parses those sheets ahead; the others are judged by `Workbook`.

        `alone`: nothing else runs while the sheet is scanned (the prefetch's largest sheet), so a sheet of more
        than one chunk is unpacked in a thread of its own, a chunk ahead of the scan (`_Package.measure`)."""
        if self._scans is not None and self._package is not None and name in self._scans:
            ahead = alone and UNPACK_AHEAD and self.sizes.get(name, 0) > CHUNK
            if not self._package.within_quick_bound(self._scans.measure(name, ahead)):
                return False
        found = self.sheets.get(name)
        return found is None or (found.too_large is None and found.unreadable is None)

    def under(self, limits: Limits) -> Preflight | None:
        """The same checks judged under `limits`, raising what `check` would raise with them, without reading
        the package again (a sheet is read again only when its quick bound exceeds a limit, as `check` does).

        None when they must be made again: formats measured by parsing in a child process, whose memory
        depends on the limits, and .ods, whose sheets are judged while the content is read.
        """
        if limits == self.limits:
            return self
        if self._package is None:
            return None
        package = self._package.under(limits)
        sheets: Mapping[str, SheetCheck] = self.sheets if self._scans is None else JudgedSheets(
            self._scans, package.judge)
        return Preflight(sheets=sheets, notices=self.notices, sizes=self.sizes, long_text=self.long_text,
                         limits=limits, _archive=self._archive, _package=package, _scans=self._scans)

    def worksheets(self) -> tuple[Callable[[], bytes], list[zipfile.ZipInfo], dict[str, zipfile.ZipInfo]] | None:
        """What the copy calamine is given is made from (shadow.py): a function that reads the package's bytes,
        its directory and its worksheets by sheet name. Only for an .xlsx or .xlsm package whose names every zip
        reader reads alike. The bytes are read from the file this check opened (while it is open), so the copy is
        of what was checked even if the file is replaced meanwhile."""
        archive, package = self._archive, self._package
        if package is None or self._scans is None or archive is None or package.size > MAX_COPY:
            return None
        parts = package.parts
        return (lambda: _read_all(archive, package.size), package.infos,
                {name: parts[part] for name, part in self._scans._parts.items()})

    def no_date_cells(self, name: str, rows: Collection[int]) -> dict[int, list[str]]:
        """For some of a worksheet's rows (1-based), the columns whose number no date can be (a date cell of -1e308
        makes the reader panic: `workbook.SheetData.lost`), read from the row's XML in one pass over the sheet
        however many rows: to show which cell to correct. A row not in the usual form is missing, and so is every
        row of a workbook that is not an .xlsx package."""
        if self._package is None or self._scans is None or name not in self._scans._parts or not rows:
            return {}
        package = self._package
        wanted = set(rows)
        found: dict[int, list[str]] = {}
        with _unpacking(package.display):
            for chunk in package._chunks(package.parts[self._scans._parts[name]]):  # pieces end after a row
                for start in _ROW_START.finditer(chunk):
                    row = int(start.group(1))
                    if row not in wanted:
                        continue
                    end = start.end() if start.group().endswith(b"/>") else chunk.find(b"</row>", start.end())
                    body = chunk[start.end():end if end >= 0 else len(chunk)]
                    found[row] = [m.group(1).decode("ascii") for m in _ROW_CELL.finditer(body)
                                  if _no_date(m.group(2), m.group(3) or b"")]
                if len(found) == len(wanted):
                    break
        return found


_ROW_START = re.compile(rb'<row r="(\d+)"(?=[\s>/])[^>]*>')
# A cell in the usual form: its column, the attributes after its address, and its content (none when it closes).
_ROW_CELL = re.compile(rb'<c r="([A-Z]{1,3})\d+"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_VALUE = re.compile(rb"<v>([^<]*)</v>")
# The reader turns a date cell's number into milliseconds as a 64-bit integer and panics where they overflow, a
# little below -1.0675e11 (-(2**63) / 86,400,000, less a day for the 1900 leap-year shift: measured). Anything
# below -1e11, some 270 million years before 1900, is no date either, so that is the mark of the cell to show.
NO_DATE_BELOW = -1e11


def _no_date(attributes: bytes, content: bytes) -> bool:
    """Whether a cell holds a number (no type, or type n) that no date can be: minus infinity, or a number so far
    below zero that the reader's milliseconds overflow, or nearly."""
    kind = dict(_ATTRIBUTE.findall(attributes)).get(b"t", b"n")
    value = _VALUE.search(content)
    if value is None or kind != b"n":
        return False
    try:
        return float(value.group(1)) <= NO_DATE_BELOW
    except ValueError:
        return False


def cells_in_part(path: Path, sheet: str, addresses: Collection[str]) -> dict[str, tuple[bytes, bytes | None]]:
    """For some cells of an .xlsx worksheet (A1 addresses, the usual form only): each one's type (t, `n` when
    absent) and saved value (<v>), read from the package (the marked-up copy puts back what openpyxl could not
    keep). Empty when the workbook or the sheet cannot be read so."""
    wanted = set(addresses)
    found: dict[str, tuple[bytes, bytes | None]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            package = _Package(archive, str(path), Limits(), path.suffix.lower())
            info = package._xlsx_sheets()[0].get(sheet)
            if info is None:
                return {}
            for chunk in package._chunks(info):  # pieces end after a row: no cell is cut in two
                for address in wanted - found.keys():
                    start = chunk.find(b'<c r="%s"' % address.encode("ascii"))
                    match = _ROW_CELL.match(chunk, start) if start >= 0 else None
                    if match is not None:
                        kind = dict(_ATTRIBUTE.findall(match.group(2))).get(b"t", b"n")
                        value = _VALUE.search(match.group(3) or b"")
                        found[address] = (kind, value.group(1) if value else None)
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, WorkbookError):
        return {}
    return found


def _read_all(archive: zipfile.ZipFile, size: int) -> bytes:
    """The whole file the archive was opened on, while the worksheet scans may be reading it."""
    stream = archive.fp
    if stream is None:
        raise ValueError("the archive is closed")
    if hasattr(os, "pread"):
        pieces, got = [], 0
        while got <= size and (piece := os.pread(stream.fileno(), size + 1 - got, got)):
            pieces.append(piece)
            got += len(piece)
        data = b"".join(pieces)
    else:  # Windows: under the zip module's lock (each of its readers seeks to its own position before reading)
        with archive._lock:  # type: ignore[attr-defined]
            stream.seek(0)
            data = stream.read(size + 1)
    if len(data) != size:
        raise ValueError("the file changed size")
    return data


def _error(zh: str, en: str, display: str, detail: str | None = None) -> WorkbookError:
    return WorkbookError(Text(zh, en), Location(display), detail)


def check(path: Path, display: str, limits: Limits) -> Preflight:
    """Raise WorkbookError when the file must not be opened at all; else what to watch for per sheet."""
    size = path.stat().st_size
    if size > limits.max_file_size:
        raise _too_big(size, limits, display)
    suffix = path.suffix.lower()
    if suffix not in ZIP_FORMATS | PROBED:
        return Preflight(limits=limits)
    with path.open("rb") as stream:
        head = stream.read(8)
    if suffix == ".xls":  # a compound file, parsed whole when it is opened
        return Preflight(sheets=_probe(path, display, limits, whole=True), limits=limits)
    if head.startswith(CFB_SIGNATURE):
        return Preflight(limits=limits)  # an encrypted package: the workbook reader says so
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            raise _error("文件不完整（压缩包的目录缺失，可能是下载或复制中断）：请重新获取完整的文件",
                         "the file is incomplete (the archive's directory is missing: an interrupted download "
                         "or copy); get the complete file again", display)
        what = disguised(path)
        if what is not None:
            raise WorkbookError(what, Location(display))
        raise _error("文件已损坏或不是 Excel 工作簿（内容不是 Excel/WPS 保存的格式）",
                     "the file is damaged or not an Excel workbook (its content is not what Excel or WPS "
                     "saves)", display)
    archive = None
    try:
        with _unpacking(display):
            archive = zipfile.ZipFile(path)
            package = _Package(archive, display, limits, suffix, size)
            result, parts = package.check()
    except BaseException:
        if archive is not None:
            archive.close()
        raise
    result.limits = limits
    if suffix == ".xlsb" or package.ambiguous:
        archive.close()
        result.sheets = _probe(path, display, limits, whole=False)
        return result
    if suffix in {".xlsx", ".xlsm"}:
        result._package = package
    if parts:  # worksheets: each is scanned when it is first asked for, on the one open archive
        result._archive = archive

        def scan(part: str, ahead: bool) -> SheetExtent:
            with _unpacking(package.display):
                return package.measure(part, ahead)

        result._scans = LazySheets(parts, scan)
        result.sheets = JudgedSheets(result._scans, package.judge)
    else:
        archive.close()
    return result


def _over_limit(zh: str, en: str, location: Location, option: str = "") -> WorkbookError:
    """A limit the file is beyond: the command line's user may raise it (--limit); on the web page only whoever
    runs the site can."""
    name = f" {option}=…" if option else ""
    return WorkbookError(Text(f"{zh}；如确属台账，可用 --limit{name} 调高上限",
                              f"{en}; raise the limit with --limit{name} if this really is a ledger"), location,
                         web=Text(f"{zh}；如确属台账，请网站管理员调高上限",
                                  f"{en}; if this really is a ledger, ask whoever runs this site to raise the limit"))


def _too_big(size: int, limits: Limits, display: str) -> WorkbookError:
    return _over_limit(f"文件过大（{_mb(size)}），超过上限 {limits.describe('max_file_size')}",
                       f"the file is too large ({_mb(size)}), above the limit {limits.describe('max_file_size')}",
                       Location(display), "max-file-size")


def _whole_too_large(params: dict[str, object], kind: str, location: Location) -> WorkbookError:
    """A sheet too large in a file the reader reads whole (.ods, .xls): none of the file can be read."""
    return _over_limit(f"已用区域延伸到 {params['cell']}（{params['rows']}行×{params['columns']}列），超过上限 "
                       f"{params['limit']}；{kind} 文件只能整体读取，无法检查。请删除多余的行列",
                       f"the used range reaches {params['cell']} ({params['rows']} rows × {params['columns']} "
                       f"columns), beyond the limit {params['limit']}; an {kind} file is read whole, so it cannot be "
                       "audited. Delete the stray rows and columns", location)


@contextmanager
def _unpacking(display: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        if not isinstance(exc, _UNPACKING_ERRORS) and not (_ng and isinstance(exc, _ng.error)):
            raise
        raise _error("文件已损坏（压缩包中的数据无法解压）", "the file is damaged (data in the archive cannot be "
                     "unpacked)", display, str(exc)) from None


_UNPACKING_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError, zlib.error,
                     RuntimeError)
# zlib-ng unpacks a worksheet about twice as fast as the zlib Python is built with (1.2.13 on Debian 12), and its
# import costs 1.4 ms (it brings gzip): it is imported for the first part large enough to repay that.
# The package's relationships and sheet list, parsed, by their bytes: a scan's units mostly share a template.
_PARSED: dict[bytes, Any] = {}
PARSED_KEPT = 64
PARSED_BYTES = 64 << 10


def forget() -> None:
    """Forget the sheet lists parsed so far: they name sheets (ingest/remembered.py)."""
    _PARSED.clear()


def remembered() -> int:
    return len(_PARSED)
INFLATE_NG = True  # False: every part unpacked by zipfile's own zlib decompressor (for the tests that compare)
NG_FROM = 256 << 10  # bytes of a part unpacked, from which zlib-ng unpacks it
_ZLIB_DECOMPRESSOR = type(zlib.decompressobj(-15))
_ng: Any = None  # zlib_ng.zlib_ng once imported; False where it cannot be (a platform without its wheel)


class _NgExtFile(zipfile.ZipExtFile):
    """zipfile's stream of a part, whose CRC-32 zlib-ng computes (ten times as fast as zlib 1.2.13): the check of
    `ZipExtFile._update_crc` (Python 3.11 to 3.13), with zlib-ng's function."""

    def _update_crc(self, newdata: bytes) -> None:
        state: Any = self  # zipfile's private attributes, which typeshed does not list
        if state._expected_crc is None:
            return
        state._running_crc = zlib_ng().crc32(newdata, state._running_crc)
        if state._eof and state._running_crc != state._expected_crc:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self.name!r}")


def zlib_ng() -> Any:
    """zlib-ng's zlib module, or None where PyPI has no wheel of it (pyproject.toml): zlib unpacks, slower."""
    global _ng
    if _ng is None:
        try:
            from zlib_ng import zlib_ng as module
        except ImportError:
            _ng = False
        else:
            _ng = module
    return _ng or None


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB" if size >= 1 << 20 else f"{size / 1024:.1f} KB"


_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def _lower(name: str) -> str:
    """ASCII lower case only, as Rust's to_ascii_lowercase (str.lower also folds other letters)."""
    return name.encode("utf-8", "surrogateescape").translate(_ASCII_LOWER).decode("utf-8", "surrogateescape")


class _Names:
    """The archive's parts as calamine finds them (calamine's utils.rs, build_zip_path_cache/cached_zip_path).

    A name is looked up in ASCII lower case among the stored names with backslashes read as slashes (the last
    stored name wins), else as written; the zip reader then takes the last entry of exactly that name.
    """

    def __init__(self, infos: list[zipfile.ZipInfo]):
        self.exact: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self.exact[info.filename] = info  # a name stored twice: the last entry (both readers agree)
        self.folded = {_lower(name.replace("\\", "/")): name for name in self.exact}

    def find(self, path: str) -> zipfile.ZipInfo | None:
        return self.exact.get(self.folded.get(_lower(path), path))


class _Package:
    def __init__(self, archive: zipfile.ZipFile, display: str, limits: Limits, suffix: str, size: int = 0):
        self.archive = archive
        self.display = display
        self.limits = limits
        self.suffix = suffix
        self.size = size  # of the file
        self.strings: tuple[str, int] | None = None  # the shared strings' part and the count it declares
        self.infos = archive.infolist()
        self.names = _Names(self.infos)
        # Names two zip readers may read differently: a NUL (Python's zipfile cuts the name there) or a Unicode
        # path field (the Rust zip crate prefers it to the stored name). The workbook is then probed instead.
        self.ambiguous = any(i.orig_filename != i.filename or _extra_fields(i.extra) & {0x7075}
                             for i in self.infos)

    def under(self, limits: Limits) -> _Package:
        """This package judged under other limits: raise what `check` would raise with them. Only the checks
        that depend on the limits are made again, from what was measured (every other check passed already)."""
        package = copy.copy(self)
        package.limits = limits
        if self.size > limits.max_file_size:
            raise _too_big(self.size, limits, self.display)
        package._directory()
        if self.strings is not None:
            package._declared_strings(*self.strings)
        return package

    def check(self) -> tuple[Preflight, dict[str, str]]:
        """The package-level checks, and the worksheet parts (by sheet name) still to scan."""
        self._directory()
        result = Preflight(long_text=False)
        if any(PurePosixPath(i.filename.replace("\\", "/")).name.lower() == "vbaproject.bin" for i in self.infos):
            result.notices.append(("INPUT-MACROS", {}))
        if self.suffix == ".ods":
            result.long_text = True
            # The reader loads every sheet of an .ods when it opens the file: one too large sheet stops all.
            for name, found in self._ods().items():
                if found.too_large is not None:
                    raise _whole_too_large(found.too_large, ".ods", Location(self.display, name))
            return result, {}
        sheets, folder = self._xlsx_sheets() if self.suffix in {".xlsx", ".xlsm"} else ({}, "")
        scanned = {id(info) for info in sheets.values()}  # their first chunk is looked at when they are scanned
        for info in self.infos:  # the start of each XML part: no document type declarations
            if not info.is_dir() and id(info) not in scanned and info.filename.lower().endswith((".xml", ".rels")):
                with self._open(info) as stream:
                    self._no_dtd(info.filename, stream.read(HEAD))
        if self.suffix not in {".xlsx", ".xlsm"}:
            return result, {}
        strings = self.names.find(f"{folder}sharedStrings.xml")
        if strings is not None:
            result.long_text = self._shared_strings(strings)
        for info in {i.filename: i for i in self.infos if _lower(i.filename.replace("\\", "/")).endswith(
                "styles.xml")}.values():
            self._styles(info)
        result.sizes = {name: info.file_size for name, info in sheets.items()}
        self.parts = {info.filename: info for info in sheets.values()}
        return result, {name: info.filename for name, info in sheets.items()}

    # ---- the archive ---------------------------------------------------------------------------------

    def _directory(self) -> None:
        limits = self.limits
        if len(self.infos) > limits.max_parts:
            raise _error(f"压缩包中有{len(self.infos):,}个文件，超过上限 {limits.describe('max_parts')}，不像是台账",
                         f"the archive holds {len(self.infos):,} files, above the limit "
                         f"{limits.describe('max_parts')}; this is not a ledger", self.display)
        total = sum(i.file_size for i in self.infos)
        if total > limits.max_unpacked_size:
            raise _over_limit(f"解压后共 {_mb(total)}，超过上限 {limits.describe('max_unpacked_size')}（可能是压缩炸弹）",
                              f"it unpacks to {_mb(total)}, above the limit {limits.describe('max_unpacked_size')} "
                              "(a decompression bomb?)", Location(self.display), "max-unpacked-size")
        for info in self.infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > limits.max_compression_ratio:
                raise _error(f"压缩包中的「{info.filename}」压缩比为 {ratio:.0f}:1（{_mb(info.file_size)}），超过上限 "
                             f"{limits.describe('max_compression_ratio')}，疑似压缩炸弹，拒绝读取",
                             f"{info.filename} in the archive has a compression ratio of {ratio:.0f}:1 "
                             f"({_mb(info.file_size)}), above the limit "
                             f"{limits.describe('max_compression_ratio')}: refused as a likely decompression "
                             "bomb", self.display)

    def _open(self, info: zipfile.ZipInfo) -> IO[bytes]:
        """The part's stream, unpacked by zlib-ng where it can be: zipfile still reads the local header, counts
        the bytes and checks the CRC-32; only the decompressor it made (and has not used yet) and the checksum's
        function are zlib-ng's."""
        stream = self.archive.open(info)
        if (INFLATE_NG and info.file_size >= NG_FROM and info.compress_type == zipfile.ZIP_DEFLATED
                and type(stream) is zipfile.ZipExtFile
                and type(getattr(stream, "_decompressor", None)) is _ZLIB_DECOMPRESSOR and zlib_ng() is not None):
            fresh: Any = stream  # zipfile's private attributes, which typeshed does not list
            fresh._decompressor = zlib_ng().decompressobj(-15)
            fresh.__class__ = _NgExtFile  # the same stream, its checksum computed by zlib-ng
        return stream

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        with self._open(info) as stream:
            return stream.read(info.file_size + 1)

    def _chunks(self, info: zipfile.ZipInfo) -> Generator[bytes, None, None]:
        """The part in pieces that end after a row element, so no cell is cut in two (the last piece at the part's
        end; a part of less than half a chunk in one piece)."""
        with self._open(info) as stream:
            carry = b""
            while True:
                block = stream.read(CHUNK)
                if not block:
                    if carry:
                        yield carry
                    return
                buffer = carry + block
                if not carry and len(buffer) < CHUNK // 2 and len(block) < CHUNK:
                    yield buffer  # the whole part in one read (most sheets): one piece, not copied to be cut
                    continue
                cut = buffer.rfind(b"row>")
                if cut < 0 and len(buffer) < 4 * CHUNK:
                    carry = buffer
                    continue
                cut = len(buffer) if cut < 0 else cut + 4
                yield buffer[:cut]
                carry = buffer[cut:]

    def _chunks_ahead(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """`_chunks`, unpacked in a thread of its own a chunk ahead of the caller. zlib unpacks without holding the
        GIL, so on an otherwise idle core the unpacking overlaps the scan (the largest sheet's scan, which nothing
        else runs beside: unpacking and the quick pass 0.18 → 0.11 s on the large ledger's dues). What unpacking
        raises is raised here, where the caller reports it."""
        box: queue.Queue[tuple[bytes | None, BaseException | None]] = queue.Queue(maxsize=1)
        stop = threading.Event()

        def offer(item: tuple[bytes | None, BaseException | None]) -> bool:
            while not stop.is_set():
                try:
                    box.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def unpack() -> None:
            chunks = self._chunks(info)
            try:
                for chunk in chunks:
                    if not offer((chunk, None)):
                        return
                offer((None, None))
            except BaseException as exc:  # noqa: BLE001 - raised by the caller, in its own thread
                offer((None, exc))
            finally:
                chunks.close()

        thread = threading.Thread(target=unpack, daemon=True, name="ledgercheck-unpack")
        try:
            thread.start()
        except RuntimeError:  # no thread to be had: unpacked here
            yield from self._chunks(info)
            return
        try:
            while True:
                chunk, error = box.get()
                if error is not None:
                    raise error
                if chunk is None:
                    return
                yield chunk
        finally:
            stop.set()
            thread.join()

    def _blocks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        with self._open(info) as stream:
            while block := stream.read(CHUNK):
                yield block

    def _no_dtd(self, part: str, head: bytes) -> None:
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise _error(f"「{part}」含有 XML 文档类型或实体声明（Excel、WPS 从不写入），可能是恶意构造的文件，拒绝读取",
                         f"{part} declares an XML document type or entities, which Excel and WPS never write; "
                         "refused as possibly malicious", self.display)

    def _parse(self, part: str, data: bytes):  # -> Element, read and never changed
        found = _PARSED.get(data)
        if found is not None:  # the same relationships and sheet list as an earlier workbook's (one template)
            return found
        try:
            found = SafeET.fromstring(data, forbid_dtd=True)
        except DefusedXmlException:
            self._no_dtd(part, b"<!DOCTYPE")
            raise
        except SafeET.ParseError as exc:
            raise _error(f"「{part}」不是有效的 XML，文件已损坏", f"{part} is not valid XML: the file is damaged",
                         self.display, str(exc)) from None
        if len(data) <= PARSED_BYTES:
            if len(_PARSED) >= PARSED_KEPT:
                _PARSED.clear()
            _PARSED[data] = found
        return found

    # ---- .xlsx / .xlsm ------------------------------------------------------------------------------

    def _xlsx_sheets(self) -> tuple[dict[str, zipfile.ZipInfo], str]:
        """Sheet name → the worksheet part calamine parses for it, and the workbook's folder (calamine's xl_path).

        As calamine's xlsx reader: the folder is that of the package's last officeDocument relationship, the
        workbook and its relationships are at fixed names in it, a relative target is appended to the folder
        as written (`..` is not resolved), an absolute one loses its slash, and a sheet name given twice means
        its first sheet. A part calamine would not find is not read by it either.
        """
        rels = self.names.find("_rels/.rels")
        if rels is None:
            return {}, "xl/"
        target = None
        for rel in self._parse(rels.filename, self._read(rels)).iter():
            if _local(rel.tag) == "Relationship" and (rel.get("Type") or "").endswith(
                    "/relationships/officeDocument") and rel.get("Target") is not None:
                target = rel.get("Target") or ""
        if target is None:
            return {}, "xl/"
        folder = target[:target.rfind("/") + 1] if "/" in target else ""
        folder = folder.removeprefix("/")
        book = self.names.find(f"{folder}workbook.xml")
        book_rels = self.names.find(f"{folder}_rels/workbook.xml.rels")
        if book is None or book_rels is None:
            return {}, folder
        targets: dict[str, str] = {}
        for rel in self._parse(book_rels.filename, self._read(book_rels)).iter():
            if _local(rel.tag) == "Relationship" and rel.get("Id") is not None:
                targets[rel.get("Id") or ""] = rel.get("Target") or ""
        sheets: dict[str, zipfile.ZipInfo] = {}
        for element in self._parse(book.filename, self._read(book)).iter():
            if _local(element.tag) != "sheet":
                continue
            ids = [v for k, v in element.attrib.items() if k == "id" or k.endswith("}id")]
            name = element.get("name") or ""
            if not ids or ids[-1] not in targets or name in sheets:
                continue
            found = targets[ids[-1]]
            info = self.names.find(found[1:] if found.startswith("/") else folder + found)
            if info is not None:
                sheets[name] = info
        return sheets, folder

    def _shared_strings(self, info: zipfile.ZipInfo) -> bool:
        """Refuse a declared count calamine would reserve memory for; whether a text may exceed a cell's limit.

        calamine reserves room for the count (uniqueCount) of the first sst element it meets: that element is
        found as calamine's XML reader finds it, token by token, within the first tokens of the part.
        """
        long_text = False
        carry, tokens, tag = b"", 0, None
        for block in self._blocks(info):
            if tag is None:
                data = carry + block
                at = 0
                while at < len(data) and tokens < 10_000:
                    token = _TOKEN.match(data, at)
                    if token is None or token.end() == len(data):
                        break
                    tokens += 1
                    at = token.end()
                    start = token.group(2)
                    if start is not None:
                        cut = next((i for i, ch in enumerate(start) if ch in _SPACE), len(start))
                        if start[:cut].rstrip(b"/").split(b":", 1)[-1] == b"sst":
                            tag = start[cut:]
                            break
                carry = data[at:]
                if tag is None and (tokens >= 10_000 or len(carry) > 4 * CHUNK):
                    raise _error(f"「{info.filename}」的开头不是共享字符串表，不是 Excel 或 WPS 保存的文件，拒绝读取",
                                 f"{info.filename} does not begin with its table of strings, as Excel and WPS "
                                 "write it; refused", self.display)
                if tag is not None:
                    counts = [int(v) for key, v in _attributes(tag) if key == b"uniqueCount" and v.isdigit()]
                    if counts:
                        self.strings = (info.filename, max(counts))
                        self._declared_strings(*self.strings)
            long_text = long_text or _long_gap(block, (b"<si", b":si"))
        return long_text

    def _declared_strings(self, part: str, count: int) -> None:
        if count > max(self.limits.max_cells, 1_000_000):
            raise _error(f"「{part}」声明了 {count:,} 个共享字符串，远多于任何台账（上限为 "
                         f"{self.limits.describe('max_cells')}），可能是恶意构造的文件，拒绝读取",
                         f"{part} declares {count:,} shared strings, far more than any ledger "
                         f"(the limit is {self.limits.describe('max_cells')}); refused as possibly malicious",
                         self.display)

    def _styles(self, info: zipfile.ZipInfo) -> None:
        """More cell formats than Excel allows cost the copy of --annotate minutes: Excel never writes them."""
        count = 0
        for block in self._blocks(info):
            count += block.count(b"<xf") + block.count(b":xf ") + block.count(b":xf>") + block.count(b":xf/")
        if count > 2 * EXCEL_CELL_FORMATS:
            raise _error(f"「{info.filename}」中有 {count:,} 个单元格格式，超过 Excel 的上限（{EXCEL_CELL_FORMATS:,}），"
                         "不是 Excel 或 WPS 保存的文件；请在 Excel/WPS 中另存后再检查",
                         f"{info.filename} holds {count:,} cell formats, beyond Excel's own limit "
                         f"({EXCEL_CELL_FORMATS:,}): Excel and WPS never save that; save it again in Excel or WPS",
                         self.display)

    def measure(self, part: str, ahead: bool = False) -> SheetExtent:
        """Scan a worksheet: its used range (a quick bound, or exact when the XML is in an unusual form) and the
        cells calamine would blank. Nothing here depends on the limits. `ahead`: the XML is unpacked a chunk ahead
        of the scan, in a thread of its own (`_chunks_ahead`)."""
        info = self.parts[part]
        scan = _SheetScan(size=info.file_size)
        first = True
        for chunk in (self._chunks_ahead(info) if ahead else self._chunks(info)):
            if first:
                self._no_dtd(part, chunk[:HEAD])
                first = False
            scan.feed(chunk)
        rows, columns = scan.bound()
        if scan.unusual:  # read it as calamine does
            rows, columns = self._exact_extent(info)
        narrow = not scan.unusual and not scan.wide and scan.narrow is None  # else already as narrow as it gets
        return SheetExtent(part, rows, columns, scan.unusual, narrow, scan.marks, scan.long_text or scan.unusual,
                           scan.merges())

    def judge(self, extent: SheetExtent) -> SheetCheck:
        """A scanned sheet under this package's limits: too large, or its cells to report."""
        if not extent.exact and not self._fits(extent.rows, extent.columns):
            with extent.lock, _unpacking(self.display):
                self._narrow(extent)
                if not extent.exact and not self._fits(extent.rows, extent.columns):
                    # the quick bound counts styled empty rows and cells: read the sheet exactly
                    extent.rows, extent.columns = self._filled_extent(self.parts[extent.part])
                    extent.exact = True
        rows, columns = extent.rows, extent.columns
        if self._fits(rows, columns):
            return SheetCheck(marks=extent.marks, long_text=extent.long_text, merges=extent.merges)
        limit = self.limits.describe("max_rows" if rows > self.limits.max_rows else "max_cells")
        return SheetCheck(too_large={"cell": f"{column_letter(columns - 1)}{rows}", "rows": rows,
                                     "columns": columns, "limit": limit}, long_text=extent.long_text)

    def within_quick_bound(self, extent: SheetExtent) -> bool:
        """Whether the sheet fits these limits without the exact reading (`_filled_extent`, a match per cell):
        its quick bound fits, once narrowed to the widest column there really is. The prefetch asks this under
        the default limits and leaves any other sheet to `judge` under the limits the command ends up with, which
        may well let it through without ever reading it exactly (`--limit max-rows=1048576`)."""
        if extent.exact or self._fits(extent.rows, extent.columns):
            return True
        with extent.lock, _unpacking(self.display):
            self._narrow(extent)
            return self._fits(extent.rows, extent.columns)

    def _narrow(self, extent: SheetExtent) -> None:
        """First the widest column there really is (a sheet of 9 columns is not 26 wide). Under extent.lock."""
        if extent.narrow:
            extent.columns = self._widest_narrow(self.parts[extent.part])
            extent.narrow = False

    def _widest_narrow(self, info: zipfile.ZipInfo) -> int:
        """The widest column named by any cell address (r attribute) of a sheet with none beyond column Z: a
        bound as generous as the quick one, in one search per chunk (the exact reading costs a match per cell).
        A numeric character reference in an r attribute (which might spell a wider column) leaves it at 26; one
        in text (a writer that spells every Chinese character &#22995;) does not."""
        widest = 0
        for chunk in self._chunks(info):
            widest = _widest_in(chunk, widest)
            if widest == 26:
                return 26
        return widest

    def _fits(self, rows: int, columns: int) -> bool:
        return rows <= self.limits.max_rows and rows * columns <= self.limits.max_cells

    def _exact_extent(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """Rows and columns of the non-empty cells, read the way calamine's XML reader reads the sheet."""
        reader = _CellReader()
        try:
            carry = b""
            for block in self._blocks(info):
                carry = reader.feed(carry + block, final=False)
                if reader.done:
                    break
                if len(carry) > 4 * CHUNK:
                    raise self._endless(info.filename)
            if not reader.done:
                reader.feed(carry, final=True)
        except _Doctype:
            self._no_dtd(info.filename, b"<!DOCTYPE")
        return reader.rows, reader.columns

    def _filled_extent(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        """The same for a sheet in the usual form, where every cell starts with its address: a cell with a value
        (content other than an empty <v>) at its address, or at the last r its start tag holds.

        A chunk is measured from the list of its filled cells' addresses (findall, int, max: C loops) when
        nothing in it needs a closer look: no other r attribute, no row number of ten digits or more (calamine's
        u32 arithmetic wraps) and no row 0 (refused). Otherwise, and with FAST_EXTENT False, cell by cell."""
        rows = columns = 0
        for chunk in self._chunks(info):
            found = _FILLED_CELL.findall(chunk) if FAST_EXTENT else None
            if found is not None:
                if not found:
                    continue
                letters, digits, rests = zip(*found)
                # Joined with NUL, which no match can span: a second r is found where the cell's own rest has it.
                if not _OTHER_R.search(b"\0".join(rests)) and max(map(len, digits)) < 10:
                    numbers = list(map(int, digits))
                    if min(numbers) > 0:
                        rows = max(rows, max(numbers))
                        columns = max(columns, max(map(_column, set(letters))))
                        continue
            rows, columns = _filled_cells(chunk, rows, columns)
        return rows, columns

    def _endless(self, part: str) -> WorkbookError:
        return _error(f"「{part}」中有一个长度超过 {_mb(4 * CHUNK)} 的 XML 标记，不是 Excel 或 WPS 保存的文件，拒绝读取",
                      f"{part} holds an XML tag longer than {_mb(4 * CHUNK)}, which Excel and WPS never write; "
                      "refused", self.display)

    # ---- .ods ---------------------------------------------------------------------------------------

    def _ods(self) -> dict[str, SheetCheck]:
        """ODS repeats rows and cells by count (number-rows-repeated): a repeated value is materialized."""
        names = {i.filename: i for i in self.infos}
        for part in names:
            if part.lower().endswith(".xml"):
                with self._open(names[part]) as stream:
                    self._no_dtd(part, stream.read(HEAD))
        if "content.xml" not in names:
            return {}
        table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
        office_ns = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
        result: dict[str, SheetCheck] = {}
        name, row, rows, columns, row_repeat, column, filled_row = "", 0, 0, 0, 1, 0, False
        with self._open(names["content.xml"]) as stream:
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


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _extra_fields(extra: bytes) -> set[int]:
    """The header ids of a zip entry's extra fields."""
    found: set[int] = set()
    at = 0
    while at + 4 <= len(extra):
        ident, size = int.from_bytes(extra[at:at + 2], "little"), int.from_bytes(extra[at + 2:at + 4], "little")
        found.add(ident)
        at += 4 + size
    return found


def _long_gap(block: bytes, marks: tuple[bytes, ...], end: int | None = None) -> bool:
    """Whether some aligned LONG_RUN bytes of `block` (up to `end`) hold none of `marks` (the starts of strings
    or cells): necessary for a text beyond Excel's cell limit, which spans at least EXCEL_CELL_TEXT bytes and so
    always a whole aligned block, wherever the data was cut. One short `find` per block for each mark.
    """
    find = block.find
    stop = len(block) if end is None else end
    return any(all(find(mark, at, at + LONG_RUN) < 0 for mark in marks)
               for at in range(0, stop - LONG_RUN + 1, LONG_RUN))


# ---- probing a workbook in a child process --------------------------------------------------------------

_PROBE = r"""
import json, resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
def say(**fields):
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()
import python_calamine as calamine
try:
    book = calamine.CalamineWorkbook.from_path(sys.argv[1])
except BaseException as exc:
    say(failed=type(exc).__name__ + ": " + str(exc)[:300])
    raise SystemExit(0)
names = list(book.sheet_names)
say(opened=names)
for name in names[int(sys.argv[3]):]:
    say(sheet=name)
    try:
        sheet = book.get_sheet_by_name(name)
        end = sheet.end if sheet.height else None
        say(sheet=name, rows=end[0] + 1 if end else 0, columns=end[1] + 1 if end else 0)
    except BaseException as exc:
        say(sheet=name, error=type(exc).__name__ + ": " + str(exc)[:300])
"""


def _probe(path: Path, display: str, limits: Limits, whole: bool) -> dict[str, SheetCheck]:
    """Parse the workbook in a child process under a memory limit; what each sheet is, or why it cannot be read.

    `whole`: the reader parses every sheet when it opens the file (.xls), so a sheet beyond the limits, or a
    reader that runs out of memory, makes the whole file unusable. Otherwise a sheet that took the child down is
    unreadable and the child starts again after it.
    """
    memory = PROBE_BASE + PROBE_PER_CELL * limits.max_cells
    sheets: dict[str, SheetCheck] = {}
    start = deaths = 0
    while True:
        lines, status = _run_probe(path, display, memory, start)
        opened = next((line["opened"] for line in lines if "opened" in line), None)
        if opened is None:
            if any("failed" in line for line in lines):
                return sheets  # an ordinary reader error: opening the file in this process says what it is
            raise _error(_DIED.zh + "（打开文件时）", _DIED.en + " (opening the file)", display, status)
        current = None
        for line in lines:
            if "sheet" not in line:
                continue
            name = line["sheet"]
            if "rows" in line:
                sheets[name] = _extent(int(line["rows"]), int(line["columns"]), limits)
                current = None
            elif "error" in line:
                sheets[name] = SheetCheck(unreadable=str(line["error"]))
                current = None
            else:
                current = name
        if current is None:
            break
        deaths += 1
        if whole or deaths > PROBE_DEATHS:
            raise _error(_DIED.zh + f"（工作表「{current}」）", _DIED.en + f" (sheet {current})", display, status)
        sheets[current] = SheetCheck(unreadable=_DIED.zh + " / " + _DIED.en)
        start = opened.index(current) + 1 if current in opened else len(opened)
        if start >= len(opened):
            break
    if whole:
        for name, found in sheets.items():
            if found.too_large is not None:
                raise _whole_too_large(found.too_large, ".xls", Location(display, name))
    return sheets


_DIED = Text("读取工作簿所需的内存超过上限（按 max-cells 估算），或读取程序异常终止：文件可能是恶意构造的，拒绝读取",
             "reading the workbook needs more memory than the limits allow (reckoned from max-cells), or the "
             "reader stopped abnormally: the file may be malicious and is refused")


def _run_probe(path: Path, display: str, memory: int, start: int) -> tuple[list[dict[str, Any]], str]:
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("RUST_")}
    try:
        run = subprocess.run([sys.executable, "-c", _PROBE, str(path), str(memory), str(start)],
                             capture_output=True, timeout=PROBE_TIMEOUT, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise _error(f"读取超时（超过 {PROBE_TIMEOUT:.0f} 秒），文件可能是恶意构造的，拒绝读取",
                     f"reading it took longer than {PROBE_TIMEOUT:.0f} s; the file may be malicious and is "
                     "refused", display) from None
    except OSError as exc:
        raise _error("无法启动读取进程", "cannot start the reading process", display, str(exc)) from None
    lines = []
    for raw in run.stdout.decode("utf-8", "replace").splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if isinstance(line, dict):
            lines.append(line)
    status = f"exit status {run.returncode}" if run.returncode >= 0 else f"signal {-run.returncode}"
    if run.returncode not in (0,):
        tail = run.stderr.decode("utf-8", "replace").strip().splitlines()
        message = next((t for t in tail if "memory allocation" in t or "MemoryError" in t), None)
        status = f"{status}: {message}" if message else status
    return lines, status


def _extent(rows: int, columns: int, limits: Limits) -> SheetCheck:
    if rows <= limits.max_rows and rows * columns <= limits.max_cells:
        return SheetCheck()
    limit = limits.describe("max_rows" if rows > limits.max_rows else "max_cells")
    return SheetCheck(too_large={"cell": f"{column_letter(columns - 1)}{rows}", "rows": rows, "columns": columns,
                                 "limit": limit})


# ---- scanning a worksheet's XML ---------------------------------------------------------------------

_ROW_ADDRESS = re.compile(rb'<row r="(\d+)"')
# Any attribute named r holding a cell address: calamine takes the last r of a cell's start tag, so a second
# one (or one in another form) counts, wherever it is; an r elsewhere can only make the bound generous.
_WIDE_CELL = re.compile(rb"""r\s*=\s*["']([A-Za-z]{2,})\d""")  # columns AA and beyond (most ledgers have none)
_REFERENCE_IN_R = re.compile(rb"""r\s*=\s*(?:"[^"]*&#|'[^']*&#)""")  # an r attribute with a character reference
_NARROW_CELL = re.compile(rb"""r\s*=\s*["']([A-Za-z])\d""")  # columns A to Z
_CELL_ROW = re.compile(rb"""r\s*=\s*["'][A-Za-z]+(\d+)""")
TRACK_NARROW = True  # False: `_SheetScan` leaves the widest column A to Z to `_Package._narrow` (for tests)
NARROW_FROM_ROWS = 300_000  # rows from which the scan follows it (26 columns: 7.8 million cells, near max-cells)
FAST_EXTENT = True  # False: `_filled_extent` reads every chunk cell by cell (the straightforward reading, for tests)
# A cell in the usual form with content other than an empty <v>: (its column letters, its row digits, the rest of
# its start tag).
_FILLED_CELL = re.compile(rb"""<c r="([A-Z]{1,3})(\d+)"((?:[^>"']|"[^"]*"|'[^']*')*?)(?<!/)>(?!</c>|<v\s*/>|<v></v>)""")
_OTHER_R = re.compile(rb"""[\s"']r\s*=""")
_CELL_START = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(r|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_PREFIXED_FORMULA_TAG = re.compile(rb"<\w+:f[\s>/]")
# A cell in the usual form that holds a formula and its saved value, not blank, and nothing else, as Excel and
# xlsxwriter write it: `<c r="F2" s="3"><f>…</f><v>136.5</v></c>`, or `<f t="shared" si="0"/>` for a shared one.
_SAVED_FORMULA_CELL = re.compile(rb'<c r="[A-Z]{1,3}\d++"(?: [a-z]++="[^"]*+")*+><f[\s>/](?:[^<]*</f>|[^>]*/>)'
                                 rb"<v>[^<\s][^<]*</v></c>")
_ERROR_TYPE = re.compile(rb'\bt="e"')
TEXT_TYPES = {b"str", b"inlineStr", b"s"}
# Rows and cells in the form Excel, WPS, LibreOffice and openpyxl write: the address first, in double quotes,
# upper case. calamine also accepts every other form (single quotes, spaces, lower case, the address after
# other attributes, no address, a namespace prefix); any of those sends the sheet to the exact reading.
_ODD_ROW_OR_CELL = re.compile(rb'<(?:row(?! r="\d)|c(?! r="[A-Z]{1,3}\d))[\s>/]')  # one pass, not one each
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s>/]")  # quick: ":c " may also be text
_PREFIXED_ELEMENT = re.compile(rb"<[^\s<>/!?]+:(?:c|row)[\s>/]")


class _SheetScan:
    """Quick bounds of a worksheet's used range, fed chunk by chunk, and the cells calamine would blank.

    In the usual form every row and cell starts with its address; calamine places a cell at its own address
    (the last r of its start tag), whatever its row says. A bound may be generous (styled empty cells count,
    and so does an r attribute anywhere); `_Package.judge` reads the sheet exactly when the bound exceeds a
    limit, or when some row or cell is in another form (`unusual`).
    """

    def __init__(self, prefilter: bool = True, track_narrow: bool | None = None, size: int = 0) -> None:
        # Skip the cell-by-cell look at formulas in a chunk where every formula has its saved value; False: the
        # straightforward scan, which looks at each (kept for the tests that compare the two).
        self.prefilter = prefilter
        # The widest column A to Z, followed through a sheet of several chunks (`narrow`): otherwise a bound over a
        # limit only because it assumed 26 columns costs a second pass over the sheet (`_Package._narrow`).
        self.track_narrow = TRACK_NARROW if track_narrow is None else track_narrow
        self.size = size  # the part's bytes, for the estimate of its rows
        self.narrow: int | None = None  # as `_Package._widest_narrow` finds it; None: not followed
        self._head: bytes | None = None  # the first chunk, measured for `narrow` once a second one comes
        self._fed = 0
        self.max_row = 0  # the largest row address of a row or a cell
        self.wide = 0  # the widest column among cells in columns AA and beyond
        self.unusual = False  # rows or cells in another form, or with a namespace prefix: read exactly
        self.long_text = False  # some text may be longer than a cell may hold
        self.marks: dict[tuple[int, int], Unreadable] = {}
        self.merge_mentions = 0  # "mergeCell" anywhere in the XML: `shadow.merges_in` reads them from the tail
        self.tail = b""  # the last chunk fed
        self._first = True
        self._patterns: dict[tuple[int, int | None], re.Pattern[bytes]] = {}  # by ceiling, narrow

    def feed(self, chunk: bytes) -> None:
        if re2 is None or _MERGE_MENTION.search(chunk) is not None:  # RE2 finds a literal 7 times faster
            self.merge_mentions += chunk.count(b"mergeCell")
        self.tail = chunk
        if self._first:
            self._first = False
            self.unusual = b"<sheetData" not in chunk and b":sheetData" in chunk
        formulas = None if self.unusual else self._quiet(chunk)
        quiet = formulas is not None
        if not quiet:
            if not self.unusual and ((_PREFIXED_TAG.search(chunk) and _PREFIXED_ELEMENT.search(chunk))
                                     or _ODD_ROW_OR_CELL.search(chunk)):
                self.unusual = True
            if not self.unusual:
                self._usual(chunk)
        if not self.long_text and len(chunk) >= LONG_RUN:
            # After the cells (merged ranges, validations …) gaps do not matter; the end of the cells is looked for
            # from the chunk's end back, in its last megabyte only (a longer tail can only make the cell-by-cell
            # check run needlessly).
            end = chunk.rfind(b"</sheetData>", max(0, len(chunk) - (1 << 20)))
            self.long_text = _long_gap(chunk, (b"<c",), None if end < 0 else end)
        if formulas is False:  # measured by the quick pass, and no formula to look at
            return
        if not quiet and b't="e"' in chunk:
            for match in _ERROR_TYPE.finditer(chunk):
                self._mark(chunk, match.start(), "error")
        if self.unusual:
            patterns: tuple[re.Pattern[bytes], ...] = (_FORMULA_TAG, _PREFIXED_FORMULA_TAG)
        elif self.prefilter and self._all_saved(chunk):
            return
        else:
            patterns = (_FORMULA_TAG,)
        for pattern in patterns:
            for match in pattern.finditer(chunk):
                self._mark(chunk, match.start(), "formula")

    @staticmethod
    def _all_saved(chunk: bytes) -> bool:
        """Whether every formula of the chunk is in a cell that holds just it and its saved value, so `_mark`
        would mark none: as many such cells as formula tags (each such cell holds a tag)."""
        # A formula tag at all: 2.0 ms a 4 MB chunk against 3.6 for `b"<f" in chunk`, and other tags (<filters>) do
        # not count.
        if _FORMULA_TAG.search(chunk) is None:
            return True
        return len(_FORMULA_TAG.findall(chunk)) == len(_SAVED_FORMULA_CELL.findall(chunk))

    def _quiet(self, chunk: bytes) -> bool | None:
        """Measure the chunk with one RE2 pass where it finds nothing that the passes of `feed` and `_usual` would
        look at closer (a row or cell in another form, an error cell, an address beyond the ceiling of its rows),
        and say whether it holds formulas still to look at (True) or none (False). None, and nothing measured,
        where the pass finds something, and where it cannot tell: RE2 is missing or QUICK is off, or in the first
        two chunks of a sheet whose widest column may be followed (`_usual` decides that from exact rows; a first
        chunk whose ceiling is too low for that is measured here).

        The ceiling comes from the chunk's last row, not the largest: a row above it is among what the pass looks
        for, and one at most the ceiling has the same first two digits, and so the same ceiling."""
        if re2 is None or not QUICK or self._head is not None:
            return None
        rows = 0
        at = chunk.rfind(b'<row r="')
        if at >= 0:
            last = _ROW_ADDRESS.match(chunk, at)
            if last is None:
                return None
            rows = int(last.group(1))
        ceiling, above = _ceiling(rows)
        if not self._fed and self.track_narrow and len(chunk) >= CHUNK // 2 and (
                ceiling * self.size >= NARROW_FROM_ROWS * len(chunk)):
            # The widest column may have to be followed: `_usual` decides from the chunk's exact rows. Where even
            # the ceiling (no row is above it once the pass finds nothing) is too few, it would not follow it.
            return None
        narrow = self.narrow if self.narrow is not None and self.narrow < 26 else None
        found = _quick(ceiling, above, narrow, "first").search(chunk)
        formulas = found is not None
        if found is not None:
            if not found.group().startswith(b"<f"):
                return None
            # The first thing found is a formula tag: nothing else is before it. The rest is looked for from the
            # tag before it, and with it any formula not in a cell that holds just it and its saved value: where
            # there is none, `feed` has no formula to look at (`_all_saved` would say so). Else the formulas are
            # looked at as before.
            before = chunk.rfind(b"<", 0, found.start())
            if self.prefilter and before >= 0 and _quick(ceiling, above, narrow, "saved").search(chunk, before) is None:
                formulas = False
            elif _quick(ceiling, above, narrow, "rest").search(chunk, found.start()) is not None:
                return None
        self._fed += 1
        self.max_row = max(self.max_row, ceiling)
        return formulas

    def _usual(self, chunk: bytes) -> None:
        """Rows and cells all in the usual form: byte searches with literal prefixes."""
        addresses = _ROW_ADDRESS.findall(chunk)
        rows = max(map(int, addresses)) if addresses else 0
        self._fed += 1
        if self._fed == 1:
            # Followed only where the second pass may well be needed: a sheet of several chunks whose rows, judged
            # from its first chunk, would come near the default max-cells at 26 columns (following costs about a
            # tenth of the scan's time, the second pass more than half).
            if self.track_narrow and len(chunk) >= CHUNK // 2 and rows * self.size >= NARROW_FROM_ROWS * len(chunk):
                self._head = chunk
        elif self._fed == 2 and self._head is not None:
            self.narrow, self._head = _widest_in(self._head, 0), None
        ceiling, beyond = self._beyond(rows)
        if beyond.search(chunk):  # a cell in column AA or beyond, or below the ceiling: look at every address
            for match in _WIDE_CELL.finditer(chunk):
                self.wide = max(self.wide, _column(match.group(1)))
            self.max_row = max(self.max_row, ceiling, max(map(int, _CELL_ROW.findall(chunk)), default=0))
            if self.narrow is not None and self.narrow < 26:
                self.narrow = _widest_in(chunk, self.narrow)
        else:
            self.max_row = max(self.max_row, ceiling)

    def _beyond(self, rows: int) -> tuple[int, re.Pattern[bytes]]:
        """A ceiling a little above `rows` (its first two digits, then nines: 184,213 → 189,999), and a pattern
        for the cell addresses in columns AA and beyond or with a row number above that ceiling; where the
        widest column A to Z is followed, also for a wider one of those and for an r attribute holding a
        character reference (`_widest_in` then measures the chunk).

        Rounding up keeps the pattern short, and it is matched at every cell; the bound is a few percent
        generous, which only matters near a limit, where the exact reading settles it.
        """
        narrow = self.narrow if self.narrow is not None and self.narrow < 26 else None
        ceiling, above = _ceiling(rows)
        key = (ceiling, narrow)
        if key not in self._patterns:
            self._patterns[key] = re.compile(_beyond_pattern(above, narrow).encode())
        return ceiling, self._patterns[key]

    def merges(self) -> list[Merge] | None:
        """The merged cells as calamine lists them, once every chunk is fed; None where the scan cannot tell (an
        unusual form, or merged cells written otherwise: `shadow.merges_in`)."""
        return None if self.unusual else merges_in(self.tail, self.merge_mentions)

    def bound(self) -> tuple[int, int]:
        """Rows and columns the used range cannot exceed; empty styled rows and cells count here."""
        if not self.max_row:
            return 0, 0
        return self.max_row, max(self.wide, 26 if self.narrow is None else self.narrow)

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
            where = _address(attributes[b"r"])
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


def _beyond_pattern(above: str, narrow: int | None) -> str:
    """`_SheetScan._beyond`'s pattern: an address in columns AA and beyond or with a row number `above`; where the
    widest column A to Z is followed (`narrow`), also one in a wider column, and an r attribute holding a
    character reference."""
    pattern = rf"""r\s*=\s*(?:["'](?:[A-Za-z]{{2,}}\d|[A-Za-z](?:{above})"""
    if narrow is None:
        return pattern + "))"
    # columns after the widest so far (both cases: calamine reads a1 as A1), or a reference
    wider = "".join(chr(65 + i) + chr(97 + i) for i in range(narrow, 26))
    return pattern + rf"""|[{wider}]\d)|"[^"]*&#|'[^']*&#)"""


def _ceiling(rows: int) -> tuple[int, str]:
    """A ceiling a little above `rows` (its first two digits, then nines) and a pattern for row numbers above it
    (`_SheetScan._beyond`)."""
    digits = str(rows)
    if len(digits) <= 2:
        return 99, r"\d{3,}"
    length, first, second = len(digits), int(digits[0]), int(digits[1])
    above = [rf"\d{{{length + 1},}}"]  # more digits (a leading zero only costs a closer look)
    if first < 9:
        above.append(rf"[{first + 1}-9]\d{{{length - 1}}}")
    if second < 9:
        above.append(rf"{first}[{second + 1}-9]\d{{{length - 2}}}")
    return int(digits[:2] + "9" * (length - 2)), "|".join(above)


# What `_SheetScan.feed` looks at closer, as one RE2 pattern (RE2 has no lookahead, so `_ODD_ROW_OR_CELL`'s
# are spelled out, the end of the chunk included; `\s` as Python's, with \v, which RE2's lacks).
_S = r"[ \t\n\r\f\v]"
_NOT_ROW_ADDRESS = r'(?: (?:[^r]|\z)| r(?:[^=]|\z)| r=(?:[^"]|\z)| r="(?:[^0-9]|\z))'
_NOT_CELL_ADDRESS = (r'(?: (?:[^r]|\z)| r(?:[^=]|\z)| r=(?:[^"]|\z)| r="(?:[^A-Z]|\z)| r="[A-Z](?:[^A-Z0-9]|\z)'
                     r'| r="[A-Z]{2}(?:[^A-Z0-9]|\z)| r="[A-Z]{3}(?:[^0-9]|\z))')
_QUICK_PARTS = (
    rf"<row(?:[>/\t\n\r\f\v]|{_NOT_ROW_ADDRESS})",  # _ODD_ROW_OR_CELL
    rf"<c(?:[>/\t\n\r\f\v]|{_NOT_CELL_ADDRESS})",
    r"<[^ \t\n\r\f\v<>/!?]+:(?:c|row)[ \t\n\r\f\v>/]",  # _PREFIXED_ELEMENT
    r't="e"',  # error cells
    r'<row r="(?:{above})',  # a row above the ceiling of the chunk's last row
)
_QUICK_FORMULA = r"<f[ \t\n\r\f\v>/]"  # `_FORMULA_TAG`, last: the others are found first where both start
# A formula tag outside the cells `_SAVED_FORMULA_CELL` counts, in three shapes it matches: `<f>…</f>`, `<f …/>` and
# `<f …>…</f>`, each followed by a saved value and the cell's end, in a cell whose start tag holds only its address
# and lower-case attributes and ends right before the formula. Anything else (a `<` or `/` in an attribute
# value, another space, a `>` in the formula) counts as outside, and `_all_saved` decides as before.
_V_FAIL = (r'(?:[^<]|\z|<(?:[^v]|\z)|<v(?:[^>]|\z)|<v>(?:[< \t\n\r\f\v]|\z)|<v>[^< \t\n\r\f\v][^<]*'
           r'(?:\z|<(?:[^/]|\z)|</(?:[^v]|\z)|</v(?:[^>]|\z)|</v>(?:[^<]|\z)|</v><(?:[^/]|\z)|</v></(?:[^c]|\z)'
           r'|</v></c(?:[^>]|\z)))')
_T_FAIL = r"(?:>|<(?:[^/]|\z)|</(?:[^f]|\z)|</f(?:[^>]|\z)|\z)"
_QUICK_UNSAVED = (
    r"<(?:[^c<]|c[^ ])[^<]*<f[ \t\n\r\f\v>/]",  # the tag before a formula is no cell's start
    r'(?:[^>]|[^"]>)<f[ \t\n\r\f\v>/]',  # nor does it end right before it
    r'<c (?:[^r]|r[^=]|r=[^"]|r="[^A-Z]|r="[A-Z][^A-Z0-9]|r="[A-Z]{2}[^A-Z0-9]|r="[A-Z]{3}[^0-9]'
    r'|r="[A-Z]{1,3}[0-9]+[^0-9"]|r="[A-Z]{1,3}[0-9]+"(?: [a-z]+="[^"<]*")*'
    r'(?:[^ >/]| [^a-z]| [a-z]+[^a-z=]| [a-z]+=[^"]| [a-z]+="[^"<]*<|/[^>]))',  # a cell's start tag in another form
    rf"<f>[^<>]*{_T_FAIL}", rf"<f>[^<>]*</f>{_V_FAIL}",
    r"<f [^<>/]*(?:<|\z|/(?:[^>]|\z))", rf"<f [^<>/]*/>{_V_FAIL}",
    rf"<f [^<>/]*>[^<>]*{_T_FAIL}", rf"<f [^<>/]*>[^<>]*</f>{_V_FAIL}",
    r"<f[\t\n\r\f\v/]",
)
def _mention_pattern() -> Any:
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1  # bytes as bytes, as the quick pass reads them
    return re2.compile(b"mergeCell", options=options)


_MERGE_MENTION: Any = None if re2 is None else _mention_pattern()
QUICK = True  # False: `feed` makes every pass with `re` (the straightforward scan, for the tests)
_quick_patterns: dict[tuple[int, int | None, str], Any] = {}
QUICK_KEPT = 256  # compiled patterns kept (each well under 1 MB with what its automaton has built)


def _quick(ceiling: int, above: str, narrow: int | None, kind: Literal["first", "rest", "saved"]) -> Any:
    """The RE2 pattern of `_SheetScan._quiet` for a ceiling and the widest column followed: with formula tags
    ("first"), without ("rest"), or with the formulas not known to hold their saved value ("saved"). Compiled in
    0.05 ms, and kept: ceilings recur."""
    key = (ceiling, narrow, kind)
    found = _quick_patterns.get(key)
    if found is None:
        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1  # bytes as bytes, as `re` reads them
        beyond = _beyond_pattern(above, narrow).replace(r"\s", _S)  # `_beyond`
        extra = {"first": (_QUICK_FORMULA,), "rest": (), "saved": _QUICK_UNSAVED}[kind]
        parts = (*_QUICK_PARTS, beyond, *extra)
        pattern = "|".join(f"(?:{part})" for part in parts).replace("{above}", above)
        if len(_quick_patterns) >= QUICK_KEPT:  # a long-running worker meets many ceilings
            _quick_patterns.clear()
        found = _quick_patterns[key] = re2.compile(pattern.encode("ascii"), options=options)
    return found


def _widest_in(chunk: bytes, widest: int) -> int:
    """`widest`, or the widest column A to Z an r attribute of the chunk names if wider; 26 where an r attribute
    holds a character reference (which might spell any column)."""
    if b"&#" in chunk and _REFERENCE_IN_R.search(chunk):
        return 26
    return max(widest, max(map(_column, set(_NARROW_CELL.findall(chunk))), default=0))


def _filled_cells(chunk: bytes, rows: int, columns: int) -> tuple[int, int]:
    """`_filled_extent` of one chunk, cell by cell, from the extent so far."""
    for match in _FILLED_CELL.finditer(chunk):
        row, column = _address(match.group(1) + match.group(2))
        rest = match.group(3)
        if b"r" in rest and _OTHER_R.search(rest):
            for key, value in _attributes(match.group(0)[2:]):
                if key == b"r":
                    try:
                        row, column = _address(_decoded(value))
                    except ValueError:
                        continue
        rows, columns = max(rows, row + 1), max(columns, column + 1)
    return rows, columns


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _address(raw: bytes) -> tuple[int, int]:
    """A cell address as calamine reads it (get_row_column: letters, then digits, u32 arithmetic) → 0-based
    (row, column). ValueError where calamine refuses it (then it refuses the sheet)."""
    column = row = 0
    at, size = 0, len(raw)
    while at < size and (65 <= raw[at] <= 90 or 97 <= raw[at] <= 122):
        column = (column * 26 + (raw[at] | 0x20) - 96) & _U32
        at += 1
    if at == size or not 48 <= raw[at] <= 57:
        raise ValueError(raw)
    while at < size:
        if not 48 <= raw[at] <= 57:
            raise ValueError(raw)
        row = (row * 10 + raw[at] - 48) & _U32
        at += 1
    if row == 0 or column == 0:
        raise ValueError(raw)
    return row - 1, column - 1


def _row_number(raw: bytes) -> int:
    """A row's r as calamine reads it (get_row: the column letters, if any, are ignored) → 0-based."""
    digits = raw.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    if not digits or not digits.isdigit() or not digits.isascii():
        raise ValueError(raw)
    row = 0
    for digit in digits:
        row = (row * 10 + digit - 48) & _U32
    if row == 0:
        raise ValueError(raw)
    return row - 1


_ENTITY = re.compile(rb"&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")
_NAMED = {b"amp": b"&", b"lt": b"<", b"gt": b">", b"quot": b'"', b"apos": b"'"}


def _decoded(raw: bytes) -> bytes:
    """Character references decoded: calamine refuses such an address, but another reader would not."""
    def one(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name in _NAMED:
            return _NAMED[name]
        code = int(name[2:], 16) if name[:2] == b"#x" else int(name[1:])
        return chr(code).encode("utf-8", "replace") if code < 0x110000 else b"?"
    return _ENTITY.sub(one, raw)


class _Doctype(Exception):
    pass


# One token of XML, delimited as quick-xml (calamine's XML reader) delimits it: text runs to the next `<`; a
# start tag ends at the first `>` outside quotes; comments, CDATA and processing instructions at their own ends.
_TOKEN = re.compile(rb"""[^<]+|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</([^>]*)>|<([^!?/](?:[^>"']|"[^"]*"|'[^']*')*)>""",
                    re.S)
_SPACE = b" \t\r\n"
_ATTRIBUTE_SPACE = b" \t\r\n\x0c"


def _attributes(raw: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(key, value) of a start tag's attributes as calamine reads them (attrs.rs RawAttrIter); stops at an error."""
    at, size = 0, len(raw)
    while True:
        while at < size and raw[at] in _ATTRIBUTE_SPACE:
            at += 1
        if at >= size:
            return
        equals = raw.find(b"=", at)
        if equals < 0:
            return
        key = raw[at:equals].rstrip(_ATTRIBUTE_SPACE)
        at = equals + 1
        while at < size and raw[at] in _ATTRIBUTE_SPACE:
            at += 1
        if at >= size or raw[at] not in b"\"'":
            return
        quote = raw[at:at + 1]
        end = raw.find(quote, at + 1)
        end = size if end < 0 else end
        yield key, raw[at + 1:end]
        at = end + 1


class _CellReader:
    """calamine's XlsxCellReader (xlsx/cells_reader.rs next_cell and read_value) over raw XML, keeping only where
    non-empty cells are: `rows` and `columns` of the used range from A1.

    It errs only on the generous side: where calamine would stop with an error (a malformed address) it
    reads on, taking character references decoded; a value it is unsure of counts as non-empty.
    """

    def __init__(self) -> None:
        self.rows = self.columns = 0
        self.done = False
        self._data = False  # inside sheetData
        self._row = self._column = 0  # calamine's row_index and col_index
        self._cell: tuple[int, int] | None = None  # the open cell's position
        self._filled = False
        self._skip: bytes | None = None  # the name whose end closes what calamine skips (read_to_end_into)
        self._depth = 0
        self._until: bytes | None = None  # the name whose end closes an inline string or a typed value
        self._type: bytes | None = None
        self._value: bytes | None = None  # name of an open <v> of a plain type, until its first event

    def feed(self, data: bytes, final: bool) -> bytes:
        """Read the complete tokens of `data`; return the rest (an incomplete token) unless `final`."""
        at, size = 0, len(data)
        match = _TOKEN.match
        while at < size and not self.done:
            token = match(data, at)
            if token is None and data.startswith(b"<!", at) and not data.startswith((b"<!--", b"<![CDATA["), at):
                raise _Doctype
            if token is None or (token.end() == size and not final and data[at:at + 1] == b"<"):
                return b"" if final else data[at:]  # unterminated at the end: calamine stops with an error
            at = token.end()
            if data[token.start()] != 60:  # text
                self._text()
                continue
            end, start = token.group(1), token.group(2)
            if end is not None:
                self._end(end.rstrip(_SPACE))
            elif start is not None:
                empty = start.endswith(b"/")
                body = start[:-1] if empty else start
                cut = next((i for i, ch in enumerate(body) if ch in _SPACE), len(body))
                name, raw = body[:cut], body[cut:]
                self._start(name, raw)
                if empty:
                    self._end(name)
            elif data.startswith(b"<!", token.start()) and not data.startswith((b"<!--", b"<![CDATA["),
                                                                                 token.start()):
                raise _Doctype
            elif data.startswith(b"<![CDATA[", token.start()):
                self._text()
        return b""

    def _text(self) -> None:
        if self._value is not None:  # the first event inside a plain <v>: a value
            self._filled = True
            self._skip, self._depth, self._value = self._value, 0, None

    def _start(self, name: bytes, raw: bytes) -> None:
        local = name.split(b":", 1)[-1]
        if self._value is not None:  # an element first inside a plain <v>: empty; the rest is skipped
            self._skip, self._depth, self._value = self._value, 0, None
        if self._skip is not None:
            if name == self._skip:
                self._depth += 1
            return
        if self._until is not None:  # inside an inline string or a typed value: only its end matters
            return
        if not self._data:
            if local == b"sheetData":
                self._data = True
            return
        if self._cell is not None:  # a child of the cell: what calamine's read_value does with it
            if local == b"is":
                self._filled, self._until = True, name
            elif local == b"v":
                if self._type in (b"inlineStr", b"is"):
                    self._skip, self._depth = name, 0
                elif self._type in (b"n", b"s", b"b", b"e", None):
                    self._value = name
                else:
                    self._filled, self._until = True, name
            elif local == b"f":
                self._skip, self._depth = name, 0
            else:
                self._filled = True  # calamine refuses the sheet here; count it
            return
        if local == b"row":
            for key, value in _attributes(raw):
                if key == b"r":
                    self._row = self._row_index(value)
                    break
        elif local == b"c":
            found: dict[bytes, bytes] = {}
            seen = 0
            for key, value in _attributes(raw):
                if key in (b"r", b"s", b"t"):
                    found[key] = value
                    seen += 1
                    if seen == 3:
                        break
            self._type = found.get(b"t")
            if b"r" in found:
                row, self._column = self._cell_index(found[b"r"])
                self._cell = (row, self._column)
            else:
                self._cell = (self._row, self._column)
            self._filled = False

    def _end(self, name: bytes) -> None:
        local = name.split(b":", 1)[-1]
        if self._value is not None:
            if name == self._value:  # <v></v>: empty
                self._value = None
                return
            self._skip, self._depth, self._value = self._value, 0, None
        if self._skip is not None:
            if name == self._skip:
                if self._depth == 0:
                    self._skip = None
                else:
                    self._depth -= 1
            return
        if self._until is not None:
            if name == self._until:
                self._until = None
            return
        if not self._data:
            return
        if self._cell is not None:
            if local == b"c":
                if self._filled:
                    row, column = self._cell
                    self.rows, self.columns = max(self.rows, row + 1), max(self.columns, column + 1)
                self._cell = None
                self._column = (self._column + 1) & _U32
            return
        if local == b"row":
            self._row, self._column = (self._row + 1) & _U32, 0
        elif local == b"sheetData":
            self.done = True

    @staticmethod
    def _row_index(raw: bytes) -> int:
        for form in (raw, _decoded(raw)):
            try:
                return _row_number(form)
            except ValueError:
                continue
        return 0

    def _cell_index(self, raw: bytes) -> tuple[int, int]:
        for form in (raw, _decoded(raw)):
            try:
                return _address(form)
            except ValueError:
                continue
        return self._row, self._column


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def sheet_xml(data: bytes) -> SheetCheck:  # for tests: scan one worksheet's XML
    scan = _SheetScan()
    scan.feed(data)
    return SheetCheck(marks=scan.marks, merges=scan.merges())
