"""The workbook formats ledgercheck reads (by file name suffix, and by content where the name misleads)."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import BinaryIO

from ledgercheck.common.i18n import Text

READABLE = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
# WPS's own spreadsheet format, a compound file like an .xls: not read as one (no real file has been tried), so its
# advice (save it as .xlsx) stands.
WPS_OWN = frozenset({".et", ".ett"})

ZIP_SIGNATURE = b"PK\x03\x04"
# An OpenDocument package names its type in its first entry, stored uncompressed: mimetype.
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE compound file: .xls, or an encrypted .xlsx
_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))  # an .xls's cells (BIFF8, BIFF5)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def read_as(path: Path) -> str:
    """The suffix to read `path` as: its own, except for an .xls that is a zip package (.xlsx, .ods), or an .xlsx
    that is an old .xls or an .ods. Some Party-member systems export an .xlsx under an .xls name, and people rename
    files; Windows hides the suffix, so the person cannot see why it is 'damaged'. It is read as what it is, and
    said (INPUT-RENAMED-WORKBOOK). A name with another suffix or none (台账, 台账.xlsx.1, a workbook renamed .csv)
    is read as the workbook its content is (`sniff`), if it is one."""
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        return suffix if suffix in WPS_OWN else sniff(path) or suffix
    if suffix not in (".xls", ".xlsx", ".xlsm"):
        return suffix
    found = _content(path, directory=False)
    if found == ".xls":
        return suffix if suffix == ".xls" else ".xls"
    if found == ".ods":
        return ".ods"
    return ".xlsx" if suffix == ".xls" and found == "zip" else suffix


def found_workbook(path: Path, suffixes: Collection[str] = READABLE) -> bool:
    """Whether a file met in a folder is taken as a workbook: by its suffix, or, having none, by its content (a
    download that lost its name's end: `sniff`)."""
    suffix = path.suffix.lower()
    return suffix in suffixes or (not suffix and sniff(path) is not None)


def sniff(path: Path) -> str | None:
    """The workbook a regular file's content is, whatever its name: ".xlsx" (an .xlsm too), ".xlsb", ".ods" or
    ".xls"; None for anything else (a Word document is a zip package too, of other parts). Reads the file's start
    and, for a zip package, its directory (up to SNIFF_DIRECTORY bytes of it, as bytes: nothing is unpacked)."""
    import stat

    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the open
            return None
    except OSError:
        return None
    found = _content(path, directory=True)
    return found if found in READABLE else None


def _content(path: Path, directory: bool) -> str | None:
    """What a file's start says it is: ".xls" (a compound file holding an .xls's cells), ".ods", a zip package
    ("zip", or with `directory`, ".xlsx" or ".xlsb" where its directory names a workbook part), or None."""
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
            if head.startswith(CFB_SIGNATURE):
                return ".xls" if _is_xls(stream, head) else None
            if not head.startswith(ZIP_SIGNATURE):
                return None
            # The first local header: 30 bytes, the entry's name, its extra field, then (stored) its content.
            named, extra = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
            content = 30 + named + extra
            if head[30:30 + named] == b"mimetype" and head[content:content + len(_ODS)] == _ODS:
                return ".ods"
            return _workbook_part(stream) if directory else "zip"
    except OSError:
        return None


def _workbook_part(stream: BinaryIO) -> str | None:
    """".xlsx" or ".xlsb" where a zip package's directory names a workbook part (read as bytes, bounded)."""
    size = stream.seek(0, 2)
    stream.seek(max(0, size - 22 - 0xFFFF))  # the end record, after a comment of up to 64 KB
    tail = stream.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 20:
        return None
    length, start = int.from_bytes(tail[end + 12:end + 16], "little"), int.from_bytes(tail[end + 16:end + 20], "little")
    if length > SNIFF_DIRECTORY:  # zip64 (0xFFFFFFFF) or a directory no workbook has
        return None
    stream.seek(start)
    names = stream.read(length).lower()
    return ".xlsx" if b"workbook.xml" in names else ".xlsb" if b"workbook.bin" in names else None


SNIFF_DIRECTORY = 4 << 20  # bytes of a zip directory `sniff` reads at most (a workbook's is a few KB)


def _is_xls(stream: BinaryIO, head: bytes) -> bool:
    """Whether a compound file holds an .xls's cells, not an encrypted package (a password to open, said as such):
    by the stream names in its first directory sector."""
    shift = int.from_bytes(head[30:32], "little")
    if shift not in (9, 12):
        return False
    first = int.from_bytes(head[48:52], "little")
    stream.seek((first + 1) << shift)
    directory = stream.read(1 << shift)
    names = [directory[at:at + 64] for at in range(0, len(directory), 128)]
    return any(n.startswith(s) for n in names for s in _STREAMS) and not any(n.startswith(_ENCRYPTED) for n in names)


# Old systems export a web page (an HTML table) or Excel 2003's XML as an "Excel file"; people rename a CSV. Excel
# opens them (with a warning), the reader cannot: say what the file is and what to do, not "damaged".
_MARKUP = re.compile(rb"\s*<(?:!doctype|html|table|meta|head|\?xml)", re.IGNORECASE)
_SAVE_AS = Text("：请在 Excel/WPS 中打开，“另存为” Excel 工作簿（.xlsx）后再检查",
                ": open it in Excel or WPS, save it as an Excel workbook (.xlsx) and check it again")
MARKUP = Text("这个文件其实是网页表格（HTML）或 Excel 2003 XML 表格，扩展名却是 {suffix}",
              "this file is a web page table (HTML) or Excel 2003 XML named {suffix}")
TEXT = Text("这个文件其实是文本（如 CSV），扩展名却是 {suffix}；台账需要多个工作表",
            "this file is text (CSV, say) named {suffix}; a ledger has several sheets")


def disguised(path: Path) -> Text | None:
    """What a file named as a workbook but unreadable as one is, where its content tells: a web page or XML
    table, or text. None otherwise (damaged, or something else)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return None
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    plain = head.replace(b"\x00", b"")  # UTF-16, as WPS and some exports write it
    suffix = path.suffix.lower() or "（无）"
    found = MARKUP if _MARKUP.match(plain) else TEXT if head and _is_text(head) else None
    if found is None:
        return None
    return Text(found.zh.format(suffix=suffix) + _SAVE_AS.zh, found.en.format(suffix=suffix) + _SAVE_AS.en)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        # The last character may be cut in two by the 4,096 bytes: the decoding above would have failed then
        # for UTF-8, so GB18030 answers; control characters other than tab and line ends mean binary.
        return sum(c.isprintable() or c in "\t\r\n" for c in text) >= 0.98 * len(text)
    return False
