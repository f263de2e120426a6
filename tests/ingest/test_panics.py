"""The reader's panics (ingest/panics.py, ingest/workbook.py): a cell the reader panics on costs its row, which is
reported, and Rust's panic report (a backtrace of some 60 frames with RUST_BACKTRACE=1) never reaches the terminal,
while everything else written to stderr meanwhile still does, in order."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
import python_calamine as calamine
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.common.errors import WorkbookError
from ledgercheck.common.limits import Limits
from ledgercheck.ingest import panics
from ledgercheck.ingest.preflight import NO_DATE_BELOW
from ledgercheck.ingest.workbook import SheetTooLarge, SheetUnreadable, Workbook, _row_by_row
from tests.budget import compared_folder, corpus
from tests.malformed.generate import MEMBER_HEADER, MEMBER_ROWS, crafted, valid

posix = pytest.mark.skipif(not panics.ENABLED, reason="descriptor 2 is redirected on POSIX only")

# Reports as Rust's default hook writes them, taken from python-calamine 0.9.1 on a date cell of -1e308.
SHORT = (b"\nthread '<unnamed>' (9128) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/"
         b"chrono-0.4.45/src/lib.rs:717:17:\nTimeDelta::milliseconds out of bounds\n"
         b"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n")
BACKTRACE = (b"thread '<unnamed>' (9076) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/"
             b"chrono-0.4.45/src/lib.rs:717:17:\nTimeDelta::milliseconds out of bounds\nstack backtrace:\n"
             b"   0: __rustc::rust_begin_unwind\n   1: core::panicking::panic_fmt\n"
             b"   2: <calamine::datatype::ExcelDateTime>::as_datetime\n"
             b"  10: method_vectorcall_FASTCALL_KEYWORDS\n"
             b"             at /tmp/python-build/Python-3.11.7/Objects/descrobject.c:426:24\n"
             b"note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n")
FULL = (b"thread 'main' panicked at src/lib.rs:1:1:\nfirst line\nsecond line\nstack backtrace:\n"
        b"   0:     0x55d5c1f0a1b2 - std::backtrace_rs::backtrace::libunwind::trace\n"
        b"                               at /rustc/library/std/src/../../backtrace/src/backtrace/libunwind.rs:116:5\n")
OLD_STYLE = b"thread '<unnamed>' panicked at 'attempt to add with overflow', src/x.rs:3:9\nnote: run with it\n"


def test_reports_in_each_style_are_taken_out() -> None:
    for report in (SHORT, BACKTRACE, FULL, OLD_STYLE):
        assert panics.without_reports(b"before\n" + report + b"after\n") == b"before\n" + b"after\n"


# Other text: any line but one that starts like a panic report, and not an empty line, which recent Rust writes
# before a report (an empty line of other text right before a report goes with it).
OTHER = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), min_size=1,
                max_size=40).filter(
    lambda line: not line.startswith("thread '")).map(lambda line: line.encode() + b"\n")
MESSAGE = st.text("abc xyz:'0123().", min_size=1, max_size=30).filter(
    lambda line: not line.startswith(("note: ", "stack backtrace:", "thread '"))).map(lambda s: s.encode() + b"\n")
FRAME = st.sampled_from([b"   0: core::panicking::panic_fmt\n", b"  12: _PyEval_EvalFrameDefault\n",
                         b"             at /tmp/ceval.c:4769:23\n"])


@st.composite
def reports(draw: st.DrawFn) -> bytes:
    head = draw(st.sampled_from([b"", b"\n"])) + b"thread '<unnamed>'" + draw(st.sampled_from([b"", b" (9076)"])) + b" panicked at src/lib.rs:717:17:\n"
    body = b"".join(draw(st.lists(MESSAGE, min_size=1, max_size=3)))
    style = draw(st.sampled_from(["short", "backtrace", "full"]))
    if style == "short":
        return head + body + b"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
    frames = b"stack backtrace:\n" + b"".join(draw(st.lists(FRAME, max_size=6)))
    return head + body + frames + (b"note: Some details are omitted.\n" if style == "backtrace" else b"")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(OTHER.map(lambda text: (text, True)), reports().map(lambda text: (text, False))),
                max_size=12))
def test_only_the_reports_are_taken_out(pieces: list[tuple[bytes, bool]]) -> None:
    data = b"".join(text for text, _kept in pieces)
    kept = b"".join(text for text, keep in pieces if keep)
    assert panics.without_reports(data) == kept


@posix
def test_quiet_holds_stderr_and_gives_back_all_but_the_reports(capfd: pytest.CaptureFixture[str]) -> None:
    with panics.quiet():
        os.write(2, b"before\n")
        with panics.quiet():  # nested, as a loader inside a loader would be
            os.write(2, BACKTRACE)
        os.write(2, b"after\n")
        assert capfd.readouterr().err == ""  # held until the block ends
    assert capfd.readouterr().err == "before\nafter\n"
    os.write(2, b"straight\n")  # descriptor 2 is itself again
    assert capfd.readouterr().err == "straight\n"


@posix
def test_threads_share_one_diversion(capfd: pytest.CaptureFixture[str]) -> None:
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with panics.quiet():
            os.write(2, b"other thread\n")
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(10)
    with panics.quiet():
        os.write(2, SHORT)
    assert capfd.readouterr().err == ""  # the other thread is still inside
    leave.set()
    thread.join()
    assert capfd.readouterr().err == "other thread\n"


@posix
def test_release_gives_stderr_back_at_once(capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The time limit's watchdog writes its message and ends the process while the main thread converts cells."""
    monkeypatch.setattr(panics, "_released", False)  # put back after the test: other tests divert again
    with panics.quiet():
        os.write(2, b"held\n")
        panics.release()
        assert capfd.readouterr().err == "held\n"
        os.write(2, b"last words\n")
        assert capfd.readouterr().err == "last words\n"
    os.write(2, b"after\n")  # leaving the released block changes nothing
    assert capfd.readouterr().err == "after\n"
    with panics.quiet():  # nor does a block entered after it: the process is ending
        os.write(2, b"straight\n")
        assert capfd.readouterr().err == "straight\n"


def test_a_panicking_cell_costs_its_row_only(tmp_path: Path) -> None:
    broken, clean = tmp_path / "broken.xlsx", tmp_path / "clean.xlsx"
    crafted._negative_huge_date(broken)  # 党员!C3 holds -1e308 as a date
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[2][2] = dt.date(1999, 9, 9)
    valid(clean, 党员=rows)
    with Workbook(broken) as book, Workbook(clean) as other:
        sheet = book.sheet("党员")
        got, expected = sheet.rows(), other.sheet("党员").rows()
    assert list(sheet.lost) == [2] and "out of bounds" in sheet.lost[2]
    assert got[2] == [""] * len(expected[2])
    assert got[:2] + got[3:] == expected[:2] + expected[3:]


def test_the_audit_reports_the_row_and_prints_no_panic(tmp_path: Path) -> None:
    """In a fresh process, with a backtrace asked for: stdout is the report, stderr is empty."""
    broken = tmp_path / "broken.xlsx"
    crafted._negative_huge_date(broken)
    result = subprocess.run([sys.executable, "-m", "ledgercheck", "audit", str(broken), "--as-of", "2026-01-15",
                             "--format", "json", "--no-config"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "RUST_BACKTRACE": "1"})
    assert result.returncode == 2
    if panics.ENABLED:
        assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert [(i["code"], i["location"]["sheet"], i["location"]["column"], i["location"]["row"])
            for i in doc["input_issues"]] == [("INPUT-ROW-UNREADABLE", "党员", "C", 3)]  # the cell, from the XML
    # the cell's column by its header, and the reader's words explained before they are quoted
    assert doc["input_issues"][0]["message"].startswith("「出生日期」的值无法读取，整行未读入（日期超出范围")
    members = next(s for s in doc["sheets"] if s["name"] == "党员")
    assert (members["rows"], members["records"], members["skipped"]) == (3, 2, 1)


@posix
def test_without_a_descriptor_2_the_row_is_still_reported(tmp_path: Path) -> None:
    """A daemon may run with descriptor 2 closed: nothing to divert, and the audit goes on as usual, with its exit
    code (the quick exit flushed sys.stderr, None there, and ended with 1 instead)."""
    broken = tmp_path / "broken.xlsx"
    crafted._negative_huge_date(broken)
    result = subprocess.run([sys.executable, "-m", "ledgercheck", "audit", str(broken), "--as-of", "2026-01-15",
                             "--format", "json", "--no-config"], stdout=subprocess.PIPE, text=True, timeout=120,
                            preexec_fn=lambda: os.close(2))
    assert result.returncode == 2
    assert [i["code"] for i in json.loads(result.stdout)["input_issues"]] == ["INPUT-ROW-UNREADABLE"]


# ------------------------------------------------------------------ converting row by row is converting at once


def _same_rows(path: Path) -> int:
    """Every sheet the loader would read: `_row_by_row` gives exactly `to_python(skip_empty_area=False)`."""
    compared = 0
    try:
        book = Workbook(path, limits=Limits())
    except Exception:  # noqa: BLE001 - a file refused as a whole has no sheet to compare
        return 0
    with book:
        for name in book.sheet_names:
            try:
                data = book.sheet(name)
                at_once = data._sheet.to_python(skip_empty_area=False)
            except (SheetTooLarge, SheetUnreadable, WorkbookError):  # refused by the preflight: never converted
                continue
            except BaseException as exc:  # noqa: BLE001 - a panic: compared in the test above
                if not panics.is_panic(exc):
                    raise
                continue
            rows, lost = _row_by_row(data._sheet)
            assert (rows, lost) == (at_once, {}), (path.name, name)
            compared += 1
    return compared


def test_row_by_row_on_the_samples_and_the_corpus(tmp_path: Path) -> None:
    folder = compared_folder(tmp_path)
    paths = [*sorted(folder.glob("*.xlsx")), *corpus(folder)]
    assert sum(_same_rows(path) for path in paths) >= 20


CELL = st.one_of(st.text("甲乙ab 1", min_size=1, max_size=4), st.integers(-5, 10**6), st.floats(-1e9, 1e9),
                 st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 30), st.integers(0, 12)), CELL, max_size=25))
def test_row_by_row_wherever_the_cells_are(cells: dict[tuple[int, int], object]) -> None:
    """The used range may start at any row and column: rows and columns before it are blank in both."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cells.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("s")
        dates = book.add_format({"num_format": "yyyy-mm-dd"})
        for (row, column), value in cells.items():
            if isinstance(value, dt.date):
                sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), dates)
            else:
                sheet.write(row, column, value)
        book.close()
        read = calamine.CalamineWorkbook.from_path(str(path))
        try:
            at_once = read.get_sheet_by_name("s")
            assert _row_by_row(at_once) == (at_once.to_python(skip_empty_area=False), {})
        finally:
            read.close()


class PanicException(BaseException):
    """Named as pyo3's, which cannot be imported."""


class _Rows:
    """The reader's row iterator: row `failing` panics, and is consumed all the same."""

    def __init__(self, rows: list[list[object]], failing: set[int]):
        self.rows, self.failing, self.at = rows, failing, 0

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> list[object]:
        if self.at >= len(self.rows):
            raise StopIteration
        self.at += 1
        if self.at - 1 in self.failing:
            raise PanicException("TimeDelta::milliseconds out of bounds")
        return list(self.rows[self.at - 1])


class _PanickingSheet:
    def __init__(self, rows: list[list[object]], failing: set[int]):
        self.rows, self.failing = rows, failing
        self.start, self.end = (0, 0), (len(rows) - 1, len(rows[0]) - 1)

    def to_python(self, skip_empty_area: bool = True) -> list[list[object]]:
        raise PanicException("TimeDelta::milliseconds out of bounds")

    def iter_rows(self) -> _Rows:
        return _Rows(self.rows, self.failing)


def test_a_lost_row_stays_empty_under_a_merged_range_and_a_marked_cell() -> None:
    from ledgercheck.ingest.preflight import Unreadable
    from ledgercheck.ingest.workbook import SheetData

    rows = [["组织", "姓名"], ["B01", "张伟"], ["", "李娜"], ["", "王芳"]]
    sheet = SheetData("党员", [(1, 0, 3, 0)], _PanickingSheet(rows, {2}),  # type: ignore[arg-type]
                      marks={(2, 1): Unreadable("INPUT-ERROR-CELL", "#N/A")})
    got = sheet.rows()
    assert got == [["组织", "姓名"], ["B01", "张伟"], ["", ""], ["B01", "王芳"]]
    assert sheet.lost == {2: "TimeDelta::milliseconds out of bounds"}


def test_a_sheet_failing_on_every_row_is_unreadable_as_a_whole() -> None:
    from ledgercheck.ingest.workbook import SheetData

    sheet = SheetData("党员", [], _PanickingSheet([["a"], ["b"]], {0, 1}))  # type: ignore[arg-type]
    with pytest.raises(SheetUnreadable, match="党员"):
        sheet.rows()


PANICS_BELOW = -(2 ** 63) / 86_400_000 - 1  # where the reader's milliseconds overflow (measured by bisection)
# Around the reader's limit and the mark, and the far ends: minus infinity, the most negative number, zero, NaN.
NEAR = st.one_of(st.floats(PANICS_BELOW * 1.001, NO_DATE_BELOW * 0.999, allow_nan=False),
                 st.sampled_from([float("-inf"), -1.7976931348623157e308, PANICS_BELOW,
                                  math.nextafter(PANICS_BELOW, 0.0), NO_DATE_BELOW, math.nextafter(NO_DATE_BELOW, 0.0),
                                  -693595.0, 0.0, float("nan"), 1e308, float("inf")]))


@settings(max_examples=40, deadline=None)
@given(NEAR)
def test_a_cell_no_date_can_be_is_the_one_the_reader_panics_on(number: float) -> None:
    """Which cell of a lost row is shown: every number in a date cell that makes the reader panic is marked, and the
    mark is a number no date can be (below -1e11), nothing nearer."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("s")
        sheet.write_number(0, 2, 36412, book.add_format({"num_format": "yyyy-mm-dd"}))
        sheet.write(1, 0, "另一行")  # a sheet failing on every row is unreadable as a whole
        book.close()
        with zipfile.ZipFile(path) as source:
            parts = {info.filename: source.read(info) for info in source.infolist()}
        text = repr(number) if math.isfinite(number) else {"inf": "INF", "-inf": "-INF"}.get(repr(number), "NaN")
        sheet_xml = "xl/worksheets/sheet1.xml"
        parts[sheet_xml] = parts[sheet_xml].replace(b"<v>36412</v>", f"<v>{text}</v>".encode())
        with zipfile.ZipFile(path, "w") as target:
            for name, data in parts.items():
                target.writestr(name, data)
        with Workbook(path) as read:
            data = read.sheet("s")
            data.rows()
            marked = read.no_date_cells("s", [0]) == {0: ["C"]}
        assert marked == (number <= NO_DATE_BELOW), number
        assert bool(data.lost) == (number <= PANICS_BELOW), number  # the measured limit still holds
        assert marked or not data.lost, number


def test_the_cells_no_date_can_be_as_the_xml_holds_them(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("s")
    sheet.write(0, 0, "x")
    book.close()
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = "xl/worksheets/sheet1.xml"
    start, end = parts[xml].index(b"<sheetData>"), parts[xml].index(b"</sheetData>")
    parts[xml] = (parts[xml][:start] + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                  b'<row r="2"/><row r="3" spans="1:4"><c r="A3" t="n"><v>-2e11</v></c><c r="B3" s="1"/>'
                  b'<c r="C3"><f>A3*2</f><v>-4e11</v></c><c r="D3" t="str"><v>-3e11</v></c></row>'
                  b'<row r="30"><c r="A30"><v>1</v></c></row>' + parts[xml][end:])
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with Workbook(path) as read:
        # one pass for every row asked: an empty row; numbers (a formula's saved value too), not text or a cell
        # without a value; row 30 is not row 3 again; a row not there
        assert read.preflight.no_date_cells("s", [2, 3, 4, 30]) == {2: [], 3: ["A", "C"], 30: []}
        assert read.preflight.no_date_cells("t", [1]) == {}  # no such sheet
        assert read.no_date_cells("s", [2, 29]) == {2: ["A", "C"], 29: []}  # 0-based
