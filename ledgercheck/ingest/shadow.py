"""The package calamine is given: each worksheet's XML opened by an empty `<mergeCells>`, so it parses a sheet once.

python-calamine's `get_sheet_by_name` parses a worksheet's XML twice: once for its cells, and once more, from the
start, for its merged cells. That second pass unpacks and tokenizes the whole sheet again until it meets
`<mergeCells>`, which the schema puts after the cells: a third of the parse of a realistic unit, a quarter of the
large ledger's. The safety scan (preflight.py) already reads every worksheet's XML and takes the merged cells
from there (`merges_in`); calamine gets the same package with `PREFIX` in front of each worksheet's XML, so its
second pass ends at once, and its first one skips the empty element as it skips any element it does not know.

The copy is made from the file's own bytes, without unpacking or packing anything: a worksheet's compressed
data is its deflate stream after one stored block holding `PREFIX` (a stored part gets `PREFIX` itself), and
`PREFIX` leaves a CRC-32 unchanged (`zlib.crc32(PREFIX) == 0`), so each part keeps its checksum. Everything
else is copied as it is, under a new directory. A package this cannot copy exactly (zip64, encryption, another
compression method, a local header that disagrees with the directory), or a worksheet that does not start with
`<` (a byte-order mark, UTF-16), is read from the file as before, and so is a sheet whose merged cells the scan
could not read in the plain form Excel, WPS and the usual libraries write (`Shadow.merges`; workbook.py asks
calamine for those, reading the file).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine as calamine

if TYPE_CHECKING:
    from ledgercheck.ingest.preflight import Preflight

# An empty <mergeCells> for calamine's second pass to stop at, and a comment whose last characters bring a
# CRC-32 back to where it started (found by search; tests/ingest/test_shadow.py checks it).
PREFIX = b"<mergeCells></mergeCells><!--ledgercheck:96:NGA6-->"
SHADOW = True  # False: calamine reads every file itself, merged cells included (the tests compare the two)

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_STORED_BLOCK = b"\x00" + struct.pack("<HH", len(PREFIX), len(PREFIX) ^ 0xFFFF) + PREFIX  # not the final block
_U32 = 0xFFFFFFFF

Merge = tuple[int, int, int, int]  # (first_row, first_col, last_row, last_col), 0-based, inclusive


@dataclass
class Shadow:
    """A workbook's package as calamine is given it, and the sheets whose XML starts with `PREFIX` there."""

    data: bytes | None  # the copy; None once every handle calamine needs is open (`release`)
    prefixed: frozenset[str]  # sheet names
    left_out: frozenset[str] = frozenset()  # sheets whose part is not in the copy at all (another handle's)

    def open(self) -> calamine.CalamineWorkbook:
        if self.data is None:
            raise ValueError("the copy was released")
        return calamine.CalamineWorkbook.from_filelike(BytesIO(self.data))  # calamine keeps a copy of its own

    def release(self) -> None:
        """Forget the copy: each handle on it holds its own (the large ledger's is 7 MB)."""
        self.data = None

    def merges(self, name: str, sheet: calamine.CalamineSheet, scanned: list[Merge] | None) -> list[Merge] | None:
        """The sheet's merged cells: calamine's where its XML was left as it is, else the scan's; None where the
        scan could not read them (rare: the caller asks calamine, reading the file itself)."""
        if name not in self.prefixed:
            return as_merges(sheet.merged_cell_ranges)
        return scanned


def open_book(path: Path, preflight: Preflight | None, leave_out: Collection[str] = ()
              ) -> tuple[calamine.CalamineWorkbook, Shadow | None]:
    """calamine's workbook for the file at `path`: from the copy of a checked .xlsx or .xlsm package where one can
    be made and opened, without the parts of the sheets `leave_out` (another handle's), and with the copy itself
    released (the handle holds one of its own); else from the file."""
    try:
        found = preflight.worksheets() if preflight is not None and SHADOW else None
        copy = shadow(*found, leave_out) if found is not None else None
        if copy is not None:
            try:
                return copy.open(), copy
            finally:
                copy.release()
    except Exception:  # noqa: BLE001 - whatever the copy meets, the file itself is read and reported as before
        pass
    return calamine.CalamineWorkbook.from_path(str(path)), None


def as_merges(ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]] | None) -> list[Merge]:
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ranges or [])]


def shadow(read: Callable[[], bytes], infos: list[zipfile.ZipInfo], sheets: dict[str, zipfile.ZipInfo],
           leave_out: Collection[str] = ()) -> Shadow | None:
    """The copy of the package `read` returns (its directory `infos`, its worksheets by sheet name), or None
    where it cannot be made exactly (the file is read as it is then). The parts of the sheets `leave_out` are
    not in it (a part another sheet name also reads is)."""
    if not sheets or len(infos) >= 0xFFFF:
        return None
    kept = {id(info) for name, info in sheets.items() if name not in leave_out}
    left = {id(sheets[name]) for name in leave_out if name in sheets} - kept
    infos = [info for info in infos if id(info) not in left]
    try:
        whole = read()
    except (OSError, ValueError):
        return None
    original = memoryview(whole)
    parts = {id(info) for info in sheets.values()}
    out: list[bytes | memoryview] = []
    offset = 0
    directory = bytearray()
    prefixed_parts: set[int] = set()
    for info in infos:
        data = _raw(original, info)
        if data is None:
            return None
        name = _raw_name(info)
        head = b""
        if id(info) in parts and _starts_plain(data, info.compress_type):
            head = _STORED_BLOCK if info.compress_type == zipfile.ZIP_DEFLATED else PREFIX
            prefixed_parts.add(id(info))
        size = info.file_size + (len(PREFIX) if head else 0)
        length = len(head) + len(data)
        if offset > _U32 or length > _U32 or size > _U32:
            return None
        flags = info.flag_bits & ~0x08  # sizes and checksum in the header: no data descriptor follows
        dos_time = _dos_time(info)
        local = _LOCAL.pack(b"PK\x03\x04", info.extract_version, flags, info.compress_type, dos_time[1],
                            dos_time[0], info.CRC, length, size, len(name), 0)
        out += (local, name, head, data)
        directory += _CENTRAL.pack(b"PK\x01\x02", (info.create_system << 8) | info.create_version,
                                   info.extract_version, flags, info.compress_type, dos_time[1], dos_time[0],
                                   info.CRC, length, size, len(name), 0, 0, 0, info.internal_attr,
                                   info.external_attr, offset)
        directory += name
        offset += len(local) + len(name) + length
    if offset > _U32:
        return None
    out += (bytes(directory), _END.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos), len(directory), offset, 0))
    prefixed = frozenset(name for name, info in sheets.items() if id(info) in prefixed_parts)
    return Shadow(b"".join(out), prefixed, frozenset(name for name in sheets if id(sheets[name]) in left))


def _raw(original: memoryview, info: zipfile.ZipInfo) -> memoryview | None:
    """A part's compressed bytes as the file holds them, or None where the copy could not be exact."""
    if (info.flag_bits & 0x01 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or max(info.file_size, info.compress_size, info.header_offset) >= _U32):
        return None
    at = info.header_offset
    head = original[at:at + _LOCAL.size]
    if len(head) < _LOCAL.size:
        return None
    signature, _, _, method, _, _, _, _, _, name_length, extra_length = _LOCAL.unpack(head)
    if signature != b"PK\x03\x04" or method != info.compress_type:
        return None
    start = at + _LOCAL.size + name_length + extra_length
    if bytes(original[at + _LOCAL.size:at + _LOCAL.size + name_length]) != _raw_name(info):
        return None
    data = original[start:start + info.compress_size]
    return data if len(data) == info.compress_size else None


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")


def _dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    year, month, day, hour, minute, second = info.date_time
    return ((max(year, 1980) - 1980) << 9 | month << 5 | day), (hour << 11 | minute << 5 | second // 2)


def _starts_plain(data: memoryview, method: int) -> bool:
    """Whether the part's XML starts with `<` (no byte-order mark, not UTF-16): only then may text go before it."""
    if method == zipfile.ZIP_STORED:
        return bytes(data[:1]) == b"<"
    try:
        return zlib.decompressobj(-15).decompress(data[:1024], 1) == b"<"
    except zlib.error:
        return False


# ---- the merged cells, from the end of a worksheet's XML --------------------------------------------------------

# The form Excel, WPS, openpyxl and xlsxwriter write: addresses in capitals, first cell before last.
_MERGE_LIST = re.compile(rb'<mergeCells(?: count="\d+")?>((?:\s*<mergeCell ref="[^"<>]*"\s*/>)*)\s*</mergeCells>')
_MERGE_REF = re.compile(rb'<mergeCell ref="([A-Z]{1,3})([1-9][0-9]{0,6})(?::([A-Z]{1,3})([1-9][0-9]{0,6}))?"')
_MERGE_ANY = re.compile(rb'<mergeCell ref="')


def merges_in(tail: bytes, mentions: int) -> list[Merge] | None:
    """The merged cells listed in `tail` (the end of a worksheet's XML, after its cells), or None where they are
    not in the plain form or where "mergeCell" appears elsewhere in the sheet (`mentions`: how often it appears
    in the whole XML). What calamine's second pass would find: the first <mergeCells> element's ranges."""
    if mentions == 0:
        return []
    at = tail.rfind(b"<mergeCells")
    found = _MERGE_LIST.match(tail, at) if at >= 0 else None
    if found is None:
        return None
    body = found.group(1)
    refs = _MERGE_REF.findall(body)
    if len(refs) != len(_MERGE_ANY.findall(body)) or mentions != len(refs) + 2:
        return None
    merges = []
    for first_column, first_row, last_column, last_row in refs:
        r0, c0 = int(first_row) - 1, _column(first_column)
        r1, c1 = (int(last_row) - 1, _column(last_column)) if last_column else (r0, c0)
        if r1 < r0 or c1 < c0:
            return None
        merges.append((r0, c0, r1, c1))
    return merges


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1

