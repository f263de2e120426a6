"""calamine given a copy of the package whose worksheets start with an empty <mergeCells> (ingest/shadow.py).

What a person would check: every sheet reads the same, cell for cell, and lists the same merged cells, as when
calamine reads the file itself and finds the merged cells on its own (`shadow.SHADOW = False`); merged cells in
a form the scan does not read are still calamine's; a package the copy cannot be made of exactly is read from
the file; and the copy is not kept once calamine has its own.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.ledgers import generate as generate_ledger
from ledgercheck.common.limits import Limits
from ledgercheck.ingest import prefetch, preflight, shadow
from ledgercheck.ingest.workbook import SheetTooLarge, SheetUnreadable, Workbook
from tests.budget import compared_folder, corpus

SHEET = "xl/worksheets/sheet1.xml"


def _read(path: Path, ahead: bool = False) -> dict[str, object]:
    """Each sheet's rows (merged ranges filled, as the loader sees them) and merged cells, through `Workbook`;
    `ahead`: parsed in the background first, as an audit does (prefetch.py: its second thread reads the copy)."""
    found: dict[str, object] = {}
    if ahead:
        prefetch.start(path)
    with Workbook(path) as book:
        for name in book.sheet_names:
            try:
                sheet = book.sheet(name)
                found[name] = (_by_value(sheet.rows()), sheet.merges)
            except (SheetUnreadable, SheetTooLarge) as exc:
                found[name] = (type(exc).__name__, str(exc))
    return found


def _by_value(rows: list[list[object]]) -> list[list[object]]:
    """The rows with each unreadable cell as its code and text (an Unreadable is equal to itself alone)."""
    return [[(c.code, c.text) if isinstance(c, preflight.Unreadable) else c for c in cells] for cells in rows]


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, object], dict[str, object]]:
    with monkeypatch.context() as patch:
        patch.setattr(shadow, "SHADOW", False)
        plain = _read(path)
    copied = _read(path)
    assert _read(path, ahead=True) == copied
    return plain, copied


def _copy_of(path: Path) -> shadow.Shadow | None:
    found = preflight.check(path, path.name, Limits())
    try:
        parts = found.worksheets()
        return shadow.shadow(*parts) if parts is not None else None
    finally:
        found.close()


def _rewritten(source: Path, target: Path, change: Callable[[bytes], bytes], part: str = SHEET,
               method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", method) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == part else data)
    return target


def _merged(path: Path) -> Path:
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("花名册")
        sheet.merge_range("A1:C1", "党员花名册")
        sheet.write_row(1, 0, ["姓名", "性别", "入党日期"])
        sheet.write_row(2, 0, ["张三", "男", "2020-07-01"])
        sheet.merge_range("B4:B6", "女")
        book.add_worksheet("空白")
    return path


def test_the_prefix_leaves_a_checksum_as_it_was() -> None:
    assert zlib.crc32(shadow.PREFIX) == 0
    assert shadow.PREFIX.startswith(b"<mergeCells></mergeCells>")


@given(st.binary(max_size=2000))
def test_any_xml_after_the_prefix_has_its_own_checksum(data: bytes) -> None:
    assert zlib.crc32(shadow.PREFIX + data) == zlib.crc32(data)


def test_calamine_parses_the_copy_once_and_the_scan_lists_the_merged_cells(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = _merged(tmp_path / "merged.xlsx")
    copy = _copy_of(path)
    assert copy is not None and copy.prefixed == {"花名册", "空白"}
    with zipfile.ZipFile(io.BytesIO(copy.data)) as package:  # a valid archive: checksums hold, XML prefixed
        assert package.testzip() is None
        assert package.read(SHEET).startswith(shadow.PREFIX + b"<?xml")
    book = copy.open()
    assert book.get_sheet_by_name("花名册").merged_cell_ranges == []  # calamine's second pass stopped at once
    plain, copied = _both(path, monkeypatch)
    assert copied == plain
    assert copied["花名册"][1] == [(0, 0, 0, 2), (3, 1, 5, 1)]
    assert copied["花名册"][0][0][:3] == ["党员花名册"] * 3


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 30), st.integers(0, 3), st.integers(0, 3)),
                max_size=12),
       st.integers(0, 60), st.booleans())
def test_merged_ranges_anywhere_read_as_calamine_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             ranges: list[tuple[int, int, int, int]], rows: int,
                                                             stored: bool) -> None:
    """Ranges of any size and place, over cells or beyond them, in a deflated or stored package."""
    path = tmp_path / "ranges.xlsx"
    path.unlink(missing_ok=True)
    taken: set[tuple[int, int]] = set()
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("S")
        for r in range(rows):
            sheet.write_row(r, 0, [f"{r}-{c}" for c in range(r % 7)])
        for r0, c0, height, width in ranges:
            cells = {(r, c) for r in range(r0, r0 + height + 1) for c in range(c0, c0 + width + 1)}
            if (height or width) and not cells & taken:
                taken |= cells
                sheet.merge_range(r0, c0, r0 + height, c0 + width, f"m{r0}")
    if stored:
        path = _rewritten(path, tmp_path / "stored.xlsx", lambda data: data, method=zipfile.ZIP_STORED)
    plain, copied = _both(path, monkeypatch)
    assert copied == plain


@pytest.mark.parametrize("form, read", [
    (lambda x: x.replace(b"<mergeCell ref", b"\n  <mergeCell ref"), True),  # pretty-printed
    (lambda x: x.replace(b'ref="A1:C1"', b'ref="B2"'), True),  # a single cell
    (lambda x: x.replace(b"mergeCells", b"x:mergeCells").replace(b"<mergeCell ", b"<x:mergeCell ").replace(
        b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '), False),
    (lambda x: x.replace(b'ref="A1:C1"', b'ref="a1:c1"'), False),  # lower case
    (lambda x: x.replace(b'ref="A1:C1"', b'ref="$A$1:$C$1"'), False),
    (lambda x: x.replace(b'ref="B4:B6"', b'ref="B6:B4"'), False),  # last cell first
    (lambda x: x.replace(b"</worksheet>", b"<extLst><ext><x:mergeCellNote/></ext></extLst></worksheet>"), False),
    (lambda x: re.sub(rb"(<mergeCells.*</mergeCells>)", b"", x).replace(
        b"<sheetData>", re.search(rb"<mergeCells.*</mergeCells>", x).group() + b"<sheetData>"), True),  # first
    (lambda x: re.sub(rb"<mergeCells.*</mergeCells>", b"", x), True),  # none at all
])
def test_merged_cells_in_other_forms_are_calamines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   form: Callable[[bytes], bytes], read: bool) -> None:
    """Where the scan cannot say exactly what calamine would list, calamine lists them, from the file itself."""
    path = _rewritten(_merged(tmp_path / "merged.xlsx"), tmp_path / "form.xlsx", form)
    extent = preflight.sheet_xml(zipfile.ZipFile(path).read(SHEET))
    assert (extent.merges is not None) == read
    plain, copied = _both(path, monkeypatch)
    assert copied == plain


def test_a_sheet_with_a_byte_order_mark_is_left_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _rewritten(_merged(tmp_path / "merged.xlsx"), tmp_path / "bom.xlsx", lambda x: b"\xef\xbb\xbf" + x)
    copy = _copy_of(path)
    assert copy is not None and copy.prefixed == {"空白"}
    plain, copied = _both(path, monkeypatch)
    assert copied == plain and copied["花名册"][1] == [(0, 0, 0, 2), (3, 1, 5, 1)]


def test_packages_written_as_a_stream_are_copied_with_their_sizes(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip written to a pipe puts each part's sizes after its data (a data descriptor)."""
    source = _merged(tmp_path / "merged.xlsx")

    class Pipe(io.RawIOBase):  # not seekable: zipfile writes data descriptors
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # type: ignore[no-untyped-def]
            self.data += b
            return len(b)

    pipe = Pipe()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
    path = tmp_path / "streamed.xlsx"
    path.write_bytes(bytes(pipe.data))
    assert all(i.flag_bits & 0x08 for i in zipfile.ZipFile(path).infolist())
    assert _copy_of(path) is not None
    plain, copied = _both(path, monkeypatch)
    assert copied == plain


def test_an_encrypted_part_is_not_copied(tmp_path: Path) -> None:
    source = _merged(tmp_path / "merged.xlsx")
    infos = zipfile.ZipFile(source).infolist()
    sheets = {"花名册": next(i for i in infos if i.filename == SHEET)}
    sheets["花名册"].flag_bits |= 0x01
    assert shadow.shadow(source.read_bytes, infos, sheets) is None


def test_an_audit_parses_its_largest_sheet_from_a_copy_of_its_own(tmp_path: Path) -> None:
    """calamine keeps a copy of the package for each handle on one: the second thread's holds the largest sheet
    alone, the first thread's the others; a sheet the first one must read after all comes from the file."""
    path = _merged(tmp_path / "merged.xlsx")
    prefetch.start(path)
    with Workbook(path) as book:
        assert book.sheet("花名册").merges == [(0, 0, 0, 2), (3, 1, 5, 1)]
        book.sheet("空白")
        copies = book._prefetch.from_copy if book._prefetch is not None else {}
        assert copies.keys() == {"花名册", "空白"} and copies["花名册"] is not copies["空白"]
        assert copies["花名册"].left_out == {"空白"} and copies["空白"].left_out == {"花名册"}
        assert all(copy.data is None for copy in copies.values())
    with Workbook(path) as book:  # without the prefetch: one handle on a copy of everything
        assert book._copy is not None and book._copy.left_out == frozenset()
        assert book._original().get_sheet_by_name("花名册").merged_cell_ranges == [((0, 0), (0, 2)), ((3, 1), (5, 1))]


def test_the_copy_is_not_kept(tmp_path: Path) -> None:
    path = _merged(tmp_path / "merged.xlsx")
    with Workbook(path) as book:
        assert book._copy is not None and book._copy.data is None
        assert book.sheet("花名册").merges == [(0, 0, 0, 2), (3, 1, 5, 1)]


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = compared_folder(tmp_path_factory.mktemp("shadow"))
    generate_ledger("unit", folder / "unit.xlsx", seed=3)
    return [*sorted(folder.glob("*.xlsx")), *corpus(folder, (".xlsx", ".xlsm"))]


def test_samples_ledgers_and_the_malformed_corpus_read_the_same(compared: list[Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    merged = copied_count = 0
    for path in compared:
        try:
            plain, copied = _both(path, monkeypatch)
        except Exception as exc:  # noqa: BLE001 - a workbook refused: refused alike
            with pytest.raises(type(exc)):
                _read(path)
            continue
        assert copied == plain, path.name
        merged += sum(bool(merges) for _rows, merges in (v for v in copied.values() if isinstance(v[1], list)))
        copied_count += _copy_of(path) is not None
    assert copied_count >= 8 and merged >= 6


def test_a_sheet_the_first_copy_leaves_out_is_read_from_the_file_when_no_second_thread_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _merged(tmp_path / "merged.xlsx")
    expected = _read(path)
    started = prefetch.threading.Thread.start

    def start(thread: prefetch.threading.Thread) -> None:
        if thread.name == "ledgercheck-prefetch-2":
            raise RuntimeError("can't start new thread")
        started(thread)

    monkeypatch.setattr(prefetch.threading.Thread, "start", start)
    assert _read(path, ahead=True) == expected
