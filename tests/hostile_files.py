"""Hostile inputs and outputs for tests/test_hostile_outputs.py and tests/scan/test_hostile_scan.py, built in code.

Special files are made inside the test's own folder: FIFOs with os.mkfifo, and, where the test may (root with
CAP_MKNOD on a file system that allows devices), character devices with the numbers of /dev/null and /dev/full.
No test ever writes to, or near, the machine's own /dev/null.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from tests.malformed.generate import _sheets, valid

NULL, FULL = (1, 3), (1, 7)  # Linux's device numbers of /dev/null and /dev/full


def device(path: Path, numbers: tuple[int, int]) -> Path:
    """A character device at `path` behaving like /dev/null (NULL) or /dev/full (FULL); the test is skipped where
    one cannot be made and used."""
    if not hasattr(os, "mknod"):
        pytest.skip("no os.mknod here")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(*numbers))
        with open(path, "wb") as stream:  # a nodev mount refuses to open it
            stream.write(b"" if numbers == FULL else b"x")
    except (PermissionError, OSError) as exc:
        if path.exists():
            path.unlink()
        pytest.skip(f"cannot make and open a character device here: {exc}")
    return path


def fifo_reader(path: Path) -> tuple[threading.Thread, list[bytes]]:
    """A FIFO at `path` and a thread that reads it to the end (as `cat fifo` would); join the thread, then read
    what it got from the list."""
    os.mkfifo(path)
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as stream:
            got.append(stream.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


def ledger(path: Path, **changes: list[list[object]] | None) -> Path:
    """The small valid ledger of tests/malformed/generate.py (one branch), with sheets changed or added."""
    valid(path, **changes)
    return path


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
                "</table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> Path:
    """An .ods written by hand: any sheet names, even two alike (an .ods may hold them; LibreOffice would not)."""
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>" for row in rows)
        + "</table:table>" for name, rows in sheets)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def base_sheets() -> list[tuple[str, list[list[object]]]]:
    return list(_sheets().items())


def rewritten(source: Path, target: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the .xlsx `source` with each part passed through `edit(name, data)`."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info.filename, edit(info.filename, original.read(info.filename)))
    return target


def replaced(source: Path, target: Path, old: str, new: str) -> Path:
    """A copy of `source` with `old` replaced by `new` in every part (the raw XML: `_x0001_` stays as written)."""
    return rewritten(source, target, lambda _name, data: data.replace(old.encode(), new.encode()))


def non_utf8_name(folder: Path, stem: bytes, suffix: str = ".xlsx") -> Path:
    """A path in `folder` whose name is the bytes `stem` (GBK, say) + suffix; skipped where names must be UTF-8."""
    name = os.fsdecode(stem + suffix.encode())
    path = folder / name
    try:
        path.write_bytes(b"")
    except (OSError, UnicodeEncodeError) as exc:
        pytest.skip(f"this file system takes no names that are not UTF-8: {exc}")
    path.unlink()
    return path
