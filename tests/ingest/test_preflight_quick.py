"""The worksheet scan's one RE2 pass (`_SheetScan._quiet`) measures each chunk as the passes with `re` do.

A chunk in which the RE2 pattern finds nothing is measured without the `re` passes (odd forms, prefixed tags,
the rows' ceiling, addresses beyond it, error cells); one in which it finds something goes through them as
before. So the scan's whole state after each chunk must be the same with `QUICK` on and off: compared on every
worksheet of the samples, the malformed corpus and the benchmark ledgers, and on generated XML around each
condition (other forms of rows and cells, rows out of order, wide and far addresses, a second address, error
cells, chunks cut anywhere). Where the pass leaves a chunk's formulas alone (each in a cell that holds just it and
its saved value), `_all_saved` must agree: compared on generated sheets of many kinds of formula cell.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from benchmarks.ledgers import generate as generate_ledger
from ledgercheck.ingest import preflight
from ledgercheck.ingest.preflight import CHUNK, _SheetScan
from tests.budget import compared_folder, corpus
from tests.ingest.test_preflight_shortcuts import _sheets

needs_re2 = pytest.mark.skipif(preflight.re2 is None, reason="RE2 is not installed on this platform")


def _state(scan: _SheetScan) -> tuple[object, ...]:
    marks = {where: (mark.code, mark.text) for where, mark in scan.marks.items()}
    return (marks, scan.bound(), scan.max_row, scan.wide, scan.narrow, scan.unusual, scan.long_text, scan._fed,
            scan._head is not None)


def _both(chunks: list[bytes], size: int = 0,
          track_narrow: bool | None = None) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
    """The state after each chunk with the quick pass and without it, and how many chunks it measured."""
    states: dict[bool, list[tuple[object, ...]]] = {}
    quiet = 0
    for quick in (True, False):
        preflight.QUICK = quick
        _quiet_hits.clear()
        try:
            scan = _SheetScan(size=size, track_narrow=track_narrow)
            states[quick] = []
            for chunk in chunks:
                scan.feed(chunk)
                states[quick].append(_state(scan))
        finally:
            preflight.QUICK = True
        if quick:
            quiet = len(_quiet_hits)
    return states[True], states[False], quiet


_quiet_hits: list[int] = []


@pytest.fixture(autouse=True)
def _count_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count the chunks the quick pass measured (so a pass that never says "quiet" cannot pass these tests)."""
    original = _SheetScan._quiet

    def counted(self: _SheetScan, chunk: bytes) -> bool | None:
        found = original(self, chunk)
        if found is not None:
            _quiet_hits.append(1)
        return found

    monkeypatch.setattr(_SheetScan, "_quiet", counted)
    _quiet_hits.clear()


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = compared_folder(tmp_path_factory.mktemp("quick"))
    generate_ledger("unit", folder / "unit.xlsx", seed=7)
    return [*sorted(folder.glob("*.xlsx")), *corpus(folder, (".xlsx", ".xlsm"))]


@needs_re2
def test_every_worksheet_is_measured_as_without_the_quick_pass(workbooks: list[Path]) -> None:
    sheets = quiet_chunks = 0
    for path in workbooks:
        for part, chunks in _sheets(path):
            size = sum(map(len, chunks))
            with_quick, without, quiet = _both(chunks, size)
            assert with_quick == without, f"{path.name} {part}"
            sheets += 1
            quiet_chunks += quiet
    assert sheets > 60
    assert quiet_chunks > sheets // 2  # most worksheets are in the usual form: the quick pass measured them


# ---- generated XML around each condition ---------------------------------------------------------------

ROW_FORMS = [b'<row r="{r}">', b'<row r="{r}" spans="1:3">', b"<row>", b"<row r='{r}'>", b'<row  r="{r}">',
             b'<row\tr="{r}">', b'<row r="0{r}">', b'<x:row r="{r}">', b'<row r="{r}x">', b'<row\vr="{r}">']
CELL_FORMS = [b'<c r="{a}"', b'<c r="{a}" s="1"', b'<c r="{a}" t="s"', b"<c r='{a}'", b'<c  r="{a}"',
              b'<c r="{lower}"', b"<c", b'<c s="1" r="{a}"', b'<c r="{a}" r="{far}"', b'<c r="{a}"\tr="{far}"',
              b'<x:c r="{a}"', b'<c r="{a}" t="e"', b'<c\fr="{a}"', b'<c r = "{a}"', b'<c r="{a}" x="r=\'ZZ9\'"']
CONTENTS = [b"><v>1</v></c>", b"/>", b"><f>SUM(A1)</f></c>", b"><f>1</f><v>2</v></c>", b"><v>#N/A</v></c>",
            b'><is><t>r="AB12"</t></is></c>']
COLUMNS = ["A", "B", "Z", "AA", "AZ", "XFD", "ABCD"]


@st.composite
def sheet_xml(draw: st.DrawFn, rare: bool = False) -> list[bytes]:
    """A worksheet's XML in chunks; `rare`: the other forms of rows and cells seldom, and more chunks."""
    odd_in = 400 if rare else 15
    count = draw(st.integers(12 if rare else 1, 40))
    start = draw(st.sampled_from([1, 95, 990, 1_899, 184_213, 999_990]))
    rows = []
    for index in range(count):
        number = start + index
        if draw(st.integers(0, 59 if rare else 9)) == 0:  # out of order, or far below
            number = draw(st.sampled_from([1, 5, start * 3, start + 10 ** 7, max(1, start - 50)]))
        usual = draw(st.integers(0, odd_in + 5)) != 0
        form = ROW_FORMS[0] if usual else draw(st.sampled_from(ROW_FORMS))
        cells = []
        for _cell in range(draw(st.integers(0, 4))):
            column = (draw(st.sampled_from(COLUMNS)) if draw(st.integers(0, 59 if rare else 1)) == 0
                      else draw(st.sampled_from(["A", "B", "C", "F"])) if rare else "A")
            cell_row = (number if draw(st.integers(0, 59 if rare else 9))
                        else draw(st.sampled_from([number * 10, 7, 1_048_577])))
            address = f"{column}{cell_row}"
            odd = draw(st.integers(0, odd_in - 1)) == 0
            cell = (draw(st.sampled_from(CELL_FORMS)) if odd else CELL_FORMS[0]).replace(b"{a}", address.encode())
            cell = cell.replace(b"{lower}", address.lower().encode()).replace(b"{far}", b"ZZ999999")
            cells.append(cell + (draw(st.sampled_from(CONTENTS)) if odd or draw(st.integers(0, 9)) == 0
                                 else CONTENTS[0]))
        closing = b"</x:row>" if form.startswith(b"<x:") else b"</row>"
        rows.append(form.replace(b"{r}", str(number).encode()) + b"".join(cells) + closing)
    xml = b"<worksheet><sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"
    # Chunks end after a row, as the preflight cuts them; sometimes a chunk is cut anywhere (the end of a part
    # that is not well-formed).
    cuts = sorted(set(draw(st.lists(st.integers(2 if rare else 0, len(rows)), min_size=3 if rare else 0,
                                    max_size=6))))
    chunks, at = [], 0
    for cut in cuts:
        end = len(b"<worksheet><sheetData>") + sum(map(len, rows[:cut]))
        if end > at:
            chunks.append(xml[at:end])
            at = end
    chunks.append(xml[at:])
    if draw(st.integers(0, 4)) == 0:
        chunks[-1] = chunks[-1][:draw(st.integers(0, len(chunks[-1])))]
    return [chunk for chunk in chunks if chunk]


@needs_re2
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet_xml())
def test_generated_sheets_are_measured_as_without_the_quick_pass(chunks: list[bytes]) -> None:
    with_quick, without, quiet = _both(chunks)
    event(f"chunks measured by the quick pass: {'some' if quiet else 'none'}")
    assert with_quick == without


@needs_re2
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet_xml(rare=True))
def test_generated_sheets_are_measured_as_without_the_quick_pass_when_the_widest_column_is_followed(
        chunks: list[bytes]) -> None:
    """The widest column A to Z followed from the second chunk on (as in a sheet heading for 300,000 rows): the
    quick pass then looks for wider columns and references in r attributes too."""
    chunk_size, from_rows = preflight.CHUNK, preflight.NARROW_FROM_ROWS
    preflight.CHUNK, preflight.NARROW_FROM_ROWS = 64, 1  # any first chunk of 32 bytes or more with rows
    try:
        with_quick, without, quiet = _both(chunks, size=10**9, track_narrow=True)
    finally:
        preflight.CHUNK, preflight.NARROW_FROM_ROWS = chunk_size, from_rows
    followed = bool(without) and without[-1][4] is not None
    event(f"widest column followed: {followed}; chunks measured by the quick pass: {'some' if quiet else 'none'}")
    assert with_quick == without


@needs_re2
def test_the_quick_pass_looks_at_what_the_re_passes_look_at() -> None:
    """Each condition on its own, in an otherwise usual chunk: the quick pass declines it (so `re` measures it)."""
    usual = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>2</v></c></row>'
    scan = _SheetScan()
    assert scan._quiet(usual + b"</sheetData>") is not None
    for odd in [b'<row r="3"><c r="AA3"><v>1</v></c></row>', b'<row r="3"><c r="A300"><v>1</v></c></row>',
                b'<row r="300"><c r="A3"><v>1</v></c></row><row r="3"></row>', b"<row><c><v>1</v></c></row>",
                b'<row r="3"><c r="A3" t="e"><v>#N/A</v></c></row>', b'<row r="3"><c r="a3"><v>1</v></c></row>',
                b'<row r="3"><x:c r="A3"><v>1</v></x:c></row>', b'<row r="3"><c r="A3" r="XFD9"><v>1</v></c></row>',
                b'<row r="3"><c\vr="A3"><v>1</v></c></row>', b'<row r="3"><c r="A3"/></row><row r="']:
        assert _SheetScan()._quiet(usual + odd) is None, odd
        # After a formula, which the pass finds first and leaves to `feed`, the rest is still looked at.
        formula = b'<row r="2"><c r="C2"><f>SUM(A1)</f><v>3</v></c></row>'
        assert _SheetScan()._quiet(usual + formula + odd) is None, odd
    scan = _SheetScan()
    assert scan._quiet(usual + formula) is False  # measured; with its saved value: nothing to look at
    unsaved = b'<row r="2"><c r="C2"><f>SUM(A1)</f></c></row>'
    assert scan._quiet(usual + unsaved) is True  # measured; a formula to look at
    assert scan._quiet(usual) is False


@needs_re2
def test_a_large_first_chunk_is_measured_by_re_to_decide_on_following_the_widest_column() -> None:
    row = b'<row r="%d"><c r="A%d"><v>1</v></c></row>'
    chunk = b"<sheetData>" + b"".join(row % (r, r) for r in range(1, CHUNK // 30))
    assert len(chunk) >= CHUNK // 2
    scan = _SheetScan(size=len(chunk) * 10, track_narrow=True)
    assert scan._quiet(chunk) is None
    assert _SheetScan(size=len(chunk) * 10, track_narrow=False)._quiet(chunk) is not None


def test_re2_is_there_where_the_project_installs_it() -> None:
    """pyproject.toml installs google-re2 on Linux and Windows on x86-64: there the quick pass must be in use."""
    import platform

    if sys.platform in ("linux", "win32") and platform.machine().lower() in ("x86_64", "amd64"):
        assert preflight.re2 is not None


# ---- formulas with their saved value -------------------------------------------------------------------

FORMULA_CELLS = [
    b'<c r="F{r}"><f>ROUND(E{r}*0.01,2)</f><v>45.5</v></c>',  # as Excel and xlsxwriter save them
    b'<c r="F{r}" s="1" t="n"><f>SUM(A1)</f><v>3</v></c>',
    b'<c r="F{r}"><f t="shared" ref="F2:F9" si="0">E{r}*2</f><v>3</v></c>',
    b'<c r="F{r}"><f t="shared" si="0"/><v>3</v></c>',
    b'<c r="F{r}" t="str"><f>A1</f><v>x</v></c>',
    b'<c r="F{r}"><f>SUM(A1)</f></c>',  # no saved value: marked
    b'<c r="F{r}"><f>SUM(A1)</f><v></v></c>',
    b'<c r="F{r}"><f>SUM(A1)</f><v> </v></c>',
    b'<c r="F{r}"><f>1</f><v>2</v><v></v></c>',
    b'<c r="F{r}"><v></v><f>1</f><v>2</v></c>',
    b'<c r="F{r}" S="1"><f>1</f><v>2</v></c>',
    b'<c r="F{r}"  s="1"><f>1</f><v>2</v></c>',
    b'<c r="F{r}" s="a/b"><f>1</f><v>2</v></c>',
    b'<c r="F{r}"><f>a>b</f><v>2</v></c>',
    b'<c r="F{r}"><f\t>1</f><v>2</v></c>',
    b'<c r="F{r}"><f>1</f><v>2</v></c >',
    b'<c r="F{r}"><f t="shared" si="0" /><v>3</v></c>',
    b'<c r="F{r}"><is><t>a</t></is><f>1</f></c>',
    b'<c r="F{r}"><f>1</f><v>2<x/></v></c>',
    b'<c r="F{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    b'<c r="F{r}">x<f>1</f><v>2</v></c>',
    b'<c r="F{r}"/><f>1</f><v>2</v></c>',
]


@needs_re2
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(len(FORMULA_CELLS))), min_size=1, max_size=30), st.integers(0, 3))
def test_formulas_left_unlooked_at_all_hold_their_saved_value(cells: list[int], odd_ones: int) -> None:
    """Where the quick pass says no formula needs looking at, `_all_saved` says so too; and the marks are those
    of the straightforward scan."""
    rows = [b'<row r="%d"><c r="E%d"><v>4550</v></c>' % (r, r) + FORMULA_CELLS[
        index if r % 4 < odd_ones or index < 5 else 0].replace(b"{r}", b"%d" % r) + b"</row>"
        for r, index in enumerate(cells, start=1)]
    chunk = b"<worksheet><sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"
    scan = _SheetScan()
    formulas = scan._quiet(chunk)
    event(f"quiet: {formulas is not None}, formulas to look at: {formulas}")
    if formulas is False:
        assert _SheetScan._all_saved(chunk)
    with_quick, without, _quiet_chunks = _both([chunk])
    assert with_quick == without


@needs_re2
def test_a_sheet_excel_saved_needs_no_formula_looked_at() -> None:
    rows = [b'<row r="%d">' % r + FORMULA_CELLS[r % 5].replace(b"{r}", b"%d" % r) + b"</row>" for r in range(1, 300)]
    scan = _SheetScan()
    assert scan._quiet(b"<sheetData>" + b"".join(rows) + b"</sheetData>") is False
    rows[150] = b'<row r="151">' + FORMULA_CELLS[5].replace(b"{r}", b"151") + b"</row>"  # one without its value
    scan = _SheetScan()
    assert scan._quiet(b"<sheetData>" + b"".join(rows) + b"</sheetData>") is True
