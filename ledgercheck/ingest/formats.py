"""The workbook formats ledgercheck reads (by file name suffix, and by content where the name misleads)."""

from __future__ import annotations

from pathlib import Path

READABLE = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})

ZIP_SIGNATURE = b"PK\x03\x04"
# An OpenDocument package names its type in its first entry, stored uncompressed: mimetype.
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


def read_as(path: Path) -> str:
    """The suffix to read `path` as: its own, except for an .xls that is a zip package. Some Party-member systems
    export an .xlsx (or people rename one) under an .xls name; Windows hides the suffix, so the person cannot see
    why it is 'damaged'. It is read as what it is (.xlsx, or .ods), and said (INPUT-RENAMED-WORKBOOK)."""
    suffix = path.suffix.lower()
    if suffix != ".xls":
        return suffix
    try:
        with path.open("rb") as stream:
            head = stream.read(256)
    except OSError:
        return suffix
    if not head.startswith(ZIP_SIGNATURE):
        return suffix
    # The first local header: 30 bytes, the entry's name, its extra field, then (stored) its content.
    named, extra = int.from_bytes(head[26:28], "little"), int.from_bytes(head[28:30], "little")
    content = 30 + named + extra
    is_ods = head[30:30 + named] == b"mimetype" and head[content:content + len(_ODS)] == _ODS
    return ".ods" if is_ods else ".xlsx"
