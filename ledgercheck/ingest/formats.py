"""The workbook formats ledgercheck reads (by file name suffix, and by content where the name misleads)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

READABLE = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})

ZIP_SIGNATURE = b"PK\x03\x04"
# An OpenDocument package names its type in its first entry, stored uncompressed: mimetype.
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"
CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE compound file: .xls, or an encrypted .xlsx
_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))  # an .xls's cells (BIFF8, BIFF5)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def read_as(path: Path) -> str:
    """The suffix to read `path` as: its own, except for an .xls that is a zip package or an .xlsx that is an old
    .xls. Some Party-member systems export an .xlsx under an .xls name, and people rename files; Windows hides the
    suffix, so the person cannot see why it is 'damaged'. It is read as what it is, and said
    (INPUT-RENAMED-WORKBOOK)."""
    suffix = path.suffix.lower()
    if suffix not in (".xls", ".xlsx", ".xlsm"):
        return suffix
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
            if suffix != ".xls" and head.startswith(CFB_SIGNATURE):
                return ".xls" if _is_xls(stream, head) else suffix
    except OSError:
        return suffix
    if suffix != ".xls" or not head.startswith(ZIP_SIGNATURE):
        return suffix
    # The first local header: 30 bytes, the entry's name, its extra field, then (stored) its content.
    named, extra = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
    content = 30 + named + extra
    is_ods = head[30:30 + named] == b"mimetype" and head[content:content + len(_ODS)] == _ODS
    return ".ods" if is_ods else ".xlsx"


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
