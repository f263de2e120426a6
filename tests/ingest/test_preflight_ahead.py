"""The largest sheet's XML unpacked a chunk ahead of its scan, in a thread of its own (`_Package._chunks_ahead`),
gives the scan what unpacking it in the scanning thread gives: the same chunks, the same errors, and nothing
left running when the scan stops early.

Compared on every worksheet of the samples, the small benchmark ledger and the malformed corpus with chunks
small enough for each worksheet to span several, and through the audit with the prefetch on.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile
from pathlib import Path

import pytest

from ledgercheck.common.errors import WorkbookError
from ledgercheck.ingest import preflight
from ledgercheck.ingest.preflight import _Package
from tests.budget import compared_folder, corpus
from tests.ingest.test_preflight_shortcuts import _checked

SMALL_CHUNK = 16 << 10  # bytes: every worksheet of a few rows and more spans several chunks


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = compared_folder(tmp_path_factory.mktemp("ahead"))
    return [*sorted(folder.glob("*.xlsx")), *corpus(folder, (".xlsx", ".xlsm"))]


def _outcome(chunks) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    try:
        return ("chunks", list(chunks))
    except Exception as exc:  # noqa: BLE001 - the same error, or the comparison fails
        return ("error", type(exc).__name__, str(exc))


def test_every_worksheet_is_unpacked_into_the_same_chunks(workbooks: list[Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "CHUNK", SMALL_CHUNK)
    sheets = several = 0
    for path, found in _checked(workbooks):
        package = found._package
        assert package is not None
        for info in package.parts.values():
            straight = _outcome(package._chunks(info))
            assert _outcome(package._chunks_ahead(info)) == straight, f"{path.name} {info.filename}"
            sheets += 1
            several += straight[0] == "chunks" and len(straight[1]) > 1
    assert sheets > 50 and several > 10  # 56 parts in the default share (tests/budget.py), 54 of several chunks


def _damaged_member(size: int) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    """An archive whose one member unpacks to `size` bytes of rows until its deflated data breaks halfway."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r * 7919 % 100_003)
                    for r in range(1, size // 30))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>")
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename)
    middle = start + info.compress_size // 2
    data[middle:middle + 64] = bytes(64)  # zeros in the middle of the deflated stream
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    return archive, archive.getinfo("xl/worksheets/sheet1.xml")


def test_an_error_while_unpacking_is_raised_to_the_scan_as_without_the_thread(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "CHUNK", SMALL_CHUNK)
    archive, info = _damaged_member(2 << 20)
    package = _Package.__new__(_Package)
    package.archive = archive
    straight = _outcome(package._chunks(info))
    assert straight[0] == "error"  # the damage is met after some chunks
    assert _outcome(package._chunks_ahead(info)) == straight


def test_a_scan_that_stops_early_leaves_no_thread_running(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "CHUNK", SMALL_CHUNK)
    archive, info = _damaged_member(2 << 20)
    package = _Package.__new__(_Package)
    package.archive = archive
    chunks = package._chunks_ahead(info)
    first = next(chunks)
    assert first.startswith(b"<worksheet><sheetData><row")
    started = time.monotonic()
    chunks.close()  # as when the scan raises on its first chunk (a document type declaration)
    assert time.monotonic() - started < 5
    assert not [t for t in threading.enumerate() if t.name == "ledgercheck-unpack"]


def test_a_ledger_read_with_its_largest_sheet_unpacked_ahead_is_the_ledger_read_without(
        workbooks: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the prefetch, as `ledgercheck audit` reads (its largest sheet is the one unpacked ahead)."""
    from ledgercheck.ingest import prefetch
    from tests.ingest.test_prefetch import _summary

    monkeypatch.setattr(preflight, "CHUNK", SMALL_CHUNK)
    ahead = []
    unpack = _Package._chunks_ahead

    def counted(self: _Package, info: zipfile.ZipInfo):  # type: ignore[no-untyped-def]
        ahead.append(info.filename)
        return unpack(self, info)

    monkeypatch.setattr(_Package, "_chunks_ahead", counted)
    compared = 0
    try:
        for path in [p for p in workbooks if p.parent.name != "malformed"]:
            outputs = []
            for on in (True, False):
                monkeypatch.setattr(preflight, "UNPACK_AHEAD", on)
                prefetch.start(path)
                try:
                    outputs.append(_summary(path))
                except WorkbookError as exc:
                    outputs.append(f"error: {exc}")
            assert outputs[0] == outputs[1], path.name
            compared += 1
    finally:
        prefetch._pending.clear()
    assert compared >= 5 and len(ahead) >= 4  # the largest sheet of each workbook beyond a chunk
