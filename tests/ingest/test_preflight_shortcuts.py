"""The worksheet scan's shortcuts give what the straightforward scan gives.

- Formulas: a chunk whose formulas all sit in cells with their saved value is not looked at formula by formula
  (`_SheetScan(prefilter=True)`); the straightforward scan (`prefilter=False`) looks at each.
- Width: a quick bound over the limits only because it assumed 26 columns is first narrowed to the widest
  column the addresses name, before the sheet is read cell by cell (`SheetExtent.narrow`).
- The exact extent: measured from each chunk's list of filled cells' addresses where nothing calls for a closer
  look (`preflight.FAST_EXTENT`; False: cell by cell).
- Unpacking: zlib-ng's decompressor in zipfile's stream (`preflight.INFLATE_NG`; False: zlib's), the same bytes
  and the same words for a damaged part.

Compared on every worksheet of the samples, the malformed corpus, a benchmark ledger with and without formulas
with saved values, and hand-written cells around each condition.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from benchmarks.ledgers import SIZES, _with_formulas, tables
from benchmarks.ledgers import generate as generate_ledger
from ledgercheck.common.errors import WorkbookError
from ledgercheck.common.limits import Limits
from ledgercheck.ingest.preflight import _SheetScan, check
from tests.budget import FULL, compared_folder, corpus


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = compared_folder(tmp_path_factory.mktemp("shortcuts"))
    formulas = generate_ledger("small", folder / "small-formulas.xlsx")
    rows = tables(SIZES["small"])
    _with_formulas(formulas, rows["dues"], {(m["name"], m["org_id"]): m["person_kind"] for m in rows["members"]})
    return [*sorted(folder.glob("*.xlsx")), *corpus(folder, (".xlsx", ".xlsm"))]


def _scan(chunks: list[bytes], prefilter: bool) -> tuple[object, ...]:
    scan = _SheetScan(prefilter=prefilter)
    for chunk in chunks:
        scan.feed(chunk)
    marks = {where: (mark.code, mark.text) for where, mark in scan.marks.items()}
    return marks, scan.bound(), scan.unusual, scan.long_text


def _sheets(path: Path):
    """Each worksheet's XML in the chunks the preflight feeds, or nothing for a file it refuses first."""
    try:
        found = check(path, path.name, Limits())
    except WorkbookError:
        return
    try:
        package = found._package
        if package is None:
            return
        for info in getattr(package, "parts", {}).values():
            try:
                yield info.filename, list(package._chunks(info))
            except Exception:  # noqa: BLE001 - a part that cannot be unpacked: the preflight says so either way
                continue
    finally:
        found.close()


def test_formulas_with_saved_values_are_skipped_without_changing_a_mark(workbooks: list[Path]) -> None:
    scanned = with_formulas = 0
    for path in workbooks:
        for part, chunks in _sheets(path):
            assert _scan(chunks, prefilter=True) == _scan(chunks, prefilter=False), f"{path.name} {part}"
            scanned += 1
            with_formulas += any(b"<f>" in chunk for chunk in chunks)
    assert scanned > (150 if FULL else 60) and with_formulas >= (2 if FULL else 1)


SAVED = b'<c r="F{r}" s="1"><f>ROUND(E{r}*0.01,2)</f><v>45.5</v></c>'
# A cell of each shape around the shortcut's condition: some are marked, some not, some only look alike.
CELLS = [
    b'<c r="F{r}"><f>SUM(A1)</f></c>',  # no saved value
    b'<c r="F{r}"><f>SUM(A1)</f><v></v></c>',  # a blank one
    b'<c r="F{r}"><f>SUM(A1)</f><v> </v></c>',
    b'<c r="F{r}"><f>SUM(A1)</f><v/></c>',
    b'<c r="F{r}" t="str"><f>A1</f><v></v></c>',  # an empty text: a value
    b'<c r="F{r}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    b'<c r="F{r}"><f t="shared" si="0"/><v>3</v></c>',  # a shared formula with its value
    b'<c r="F{r}"><f t="shared" si="0"/></c>',
    b'<c r="F{r}"><v></v><f>1</f><v>2</v></c>',  # a blank value before the formula
    b'<c r="F{r}"><f>1</f><v>2<x/></v></c>',
    b'<c r="F{r}" x="&lt;f&gt;"><f>1</f><v>2</v></c>',
    b'<c r="F{r}"><f>1</f><v>2</v><v></v></c>',
    b'<c r="F{r}"><is><t>a</t></is><f>1</f></c>',
    b'<c r="F{r}"><f>1</f><v>\x0c</v></c>',
]


@pytest.mark.parametrize("seed", range(40))
def test_hand_written_cells_are_marked_as_by_the_straightforward_scan(seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for r in range(1, 60):
        cell = rng.choice(CELLS) if rng.random() < 0.15 else SAVED
        rows.append(b'<row r="%d"><c r="E%d"><v>4550</v></c>' % (r, r) + cell.replace(b"{r}", b"%d" % r) + b"</row>")
    xml = b"<worksheet><sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"
    cut = sorted(rng.sample(range(1, len(rows)), 3))  # chunks end after a row, as the preflight cuts them
    chunks, start = [], 0
    for at in cut:
        end = xml.index(b"</row>", xml.index(b'<row r="%d"' % at)) + len(b"</row>")
        chunks.append(xml[start:end])
        start = end
    chunks.append(xml[start:])
    assert _scan(chunks, prefilter=True) == _scan(chunks, prefilter=False)


def test_every_saved_formula_is_skipped_and_a_missing_value_still_marked() -> None:
    rows = [b'<row r="%d">' % r + SAVED.replace(b"{r}", b"%d" % r) + b"</row>" for r in range(1, 200)]
    rows[150] = b'<row r="151"><c r="F151"><f>SUM(A1)</f></c></row>'
    marks, *_ = _scan([b"<sheetData>" + b"".join(rows) + b"</sheetData>"], prefilter=True)
    assert marks == {(150, 5): ("INPUT-FORMULA-NO-VALUE", "=SUM(A1)")}


def _checked(workbooks: list[Path]):
    """(path, preflight) of each workbook the preflight takes, scanned as it scans: closed after use."""
    for path in workbooks:
        try:
            found = check(path, path.name, Limits())
        except WorkbookError:
            continue
        try:
            if found._scans is not None and found._package is not None:
                yield path, found
        finally:
            found.close()


def test_a_narrow_sheet_is_judged_as_when_it_is_read_cell_by_cell(workbooks: list[Path]) -> None:
    judged = 0
    for path, found in _checked(workbooks):
        for name in found.sheets:
            try:
                extent = found._scans[name]
            except WorkbookError:
                continue
            if extent.exact or not extent.narrow or extent.rows < 2:
                continue
            for cells in (extent.rows * 26 - 1, extent.rows * 9, extent.rows * 5, extent.rows * 2):
                limits = Limits(max_cells=cells)
                narrowed = found._package.under(limits)
                plain = found._package.under(limits)
                fresh = plain.measure(extent.part)
                fresh.narrow = False  # straight to the reading cell by cell, as before
                shortcut = narrowed.judge(found._package.measure(extent.part))
                assert shortcut.too_large == plain.judge(fresh).too_large, f"{path.name} {name} {cells}"
                judged += 1
    assert judged > 100


class _Chunks:
    """A stand-in package whose worksheet is the given chunks (for `_Package._filled_extent`)."""

    def __init__(self, chunks: list[bytes]):
        self.chunks = chunks

    def _chunks(self, _info: object) -> list[bytes]:
        return self.chunks


def _filled(chunks: list[bytes], fast: bool) -> object:
    from ledgercheck.ingest import preflight

    saved = preflight.FAST_EXTENT
    preflight.FAST_EXTENT = fast
    try:
        return preflight._Package._filled_extent(_Chunks(chunks), None)  # type: ignore[arg-type]
    except ValueError as exc:
        return "refused", repr(exc)
    finally:
        preflight.FAST_EXTENT = saved


def test_the_exact_extent_from_address_lists_is_the_one_read_cell_by_cell(workbooks: list[Path]) -> None:
    """Every worksheet of the compared workbooks, whole."""
    compared = 0
    for path in workbooks:
        for name, chunks in _sheets(path):
            assert _filled(chunks, True) == _filled(chunks, False), f"{path.name} {name}"
            compared += 1
    assert compared > 20


_ADDRESS = st.tuples(st.sampled_from(["A", "B", "Z", "AA", "XFD", "a"]),
                     st.sampled_from(["0", "1", "2", "09", "1048576", "999999999", "4294967297", "12345678901"]))
_CELL = st.tuples(_ADDRESS, st.sampled_from(["", ' t="s"', ' t="str"', ' s="2" r="C7"', ' r="ZZ0"', " r='B3'",
                                             'r="D4"', ' r = "E5"']),
                  st.sampled_from(["<v>1</v>", "", "<v></v>", "<f>A1</f><v>2</v>"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), min_size=1, max_size=4))
def test_hand_written_cells_give_the_same_exact_extent(chunks: list[list[tuple]]) -> None:
    """Other r attributes, row 0, row numbers past calamine's u32, lower-case letters and empty values: either
    the same extent or the same refusal."""
    xml = [b"".join(f'<c r="{letters}{digits}"{rest}>{body}</c>'.encode() if body else
                    f'<c r="{letters}{digits}"{rest}/>'.encode() for (letters, digits), rest, body in chunk)
           for chunk in chunks]
    assert _filled(xml, True) == _filled(xml, False)


@pytest.mark.parametrize("xml, widest", [
    (b'<row r="1"><c r="A1" t="inlineStr"><is><t>&#22995;&#21517;</t></is></c><c r="I1"><v>3</v></c></row>', 9),
    (b'<row r="1"><c r=\'C1\' t="inlineStr"><is><t>&#22995;</t></is></c></row>', 3),
    (b'<row r="1"><c r="&#65;B1"><v>1</v></c><c r="C1"><v>2</v></c></row>', 26),  # the address itself
    (b"<row r=\"1\"><c r='B1&#48;'><v>1</v></c></row>", 26),
])
def test_a_character_reference_in_text_does_not_keep_a_sheet_26_wide(xml: bytes, widest: int) -> None:
    """A writer that spells every Chinese character as &#…; (the 5× benchmark ledger) left the dues sheet 26
    columns wide and sent it to the exact reading; only a reference inside an address can widen a column."""
    from ledgercheck.ingest import preflight

    assert preflight._Package._widest_narrow(_Chunks([xml]), None) == widest  # type: ignore[arg-type]


def _measure(package: object, part: str, track: bool) -> object:
    from ledgercheck.ingest import preflight

    saved = preflight.TRACK_NARROW
    preflight.TRACK_NARROW = track
    try:
        with preflight._unpacking(package.display):  # type: ignore[attr-defined]  # a damaged part: WorkbookError
            return package.measure(part)  # type: ignore[attr-defined]
    finally:
        preflight.TRACK_NARROW = saved


def test_the_widest_column_followed_through_a_long_sheet_is_the_one_a_second_pass_finds(
        workbooks: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet of several chunks has its widest column A to Z followed by the scan (`_SheetScan.narrow`): the
    same number `_Package._widest_narrow` finds in a second pass, and the same judgement under every limit."""
    from ledgercheck.ingest import preflight

    monkeypatch.setattr(preflight, "CHUNK", 1024)  # every worksheet of the corpus spans several chunks …
    monkeypatch.setattr(preflight, "NARROW_FROM_ROWS", 0)  # … and is followed
    followed = judged = 0
    for path, found in _checked(workbooks):
        package = found._package
        for info in package.parts.values():
            try:
                plain = _measure(package, info.filename, track=False)
            except WorkbookError:
                continue
            tracked = _measure(package, info.filename, track=True)
            assert (tracked.rows, tracked.exact, tracked.long_text, tracked.marks.keys()) == \
                   (plain.rows, plain.exact, plain.long_text, plain.marks.keys()), f"{path.name} {info.filename}"
            if plain.narrow and not tracked.narrow:
                assert tracked.columns == package._widest_narrow(info), f"{path.name} {info.filename}"
                followed += 1
            else:
                assert tracked.columns == plain.columns, f"{path.name} {info.filename}"
            if plain.rows < 2:
                continue
            for cells in (plain.rows * 26 - 1, plain.rows * 9, plain.rows * 5, plain.rows * 2):
                under = package.under(Limits(max_cells=cells))
                plain_check = under.judge(_measure(package, info.filename, track=False))
                tracked_check = under.judge(_measure(package, info.filename, track=True))
                assert tracked_check.too_large == plain_check.too_large, f"{path.name} {info.filename} {cells}"
                judged += 1
    assert followed > (100 if FULL else 40) and judged > 100


# Addresses in the usual form (the first r of a cell), and a second r in any form calamine would take instead.
_COLUMN = st.sampled_from(["A", "C", "I", "J", "P", "Z", "AA"])
_ATTRIBUTES = st.sampled_from(["", "", "", ' t="s"', ' r="Q7"', " r='R3'", ' r = "S5"', ' r="&#84;1"', ' r="x2"',
                               ' r="AB9"', ' r="K&#49;"'])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(_COLUMN, st.integers(1, 3000), _ATTRIBUTES), max_size=5), min_size=1,
                max_size=6), st.integers(0, 2))
def test_hand_written_long_sheets_are_followed_to_the_widest_column(rows: list[list[tuple]], cut: int) -> None:
    """Columns growing chunk by chunk, lower case, wide columns, second r attributes and character references in
    an address: the scan's bound is the quick bound narrowed as the second pass narrows it."""
    from ledgercheck.ingest import preflight

    xml = [b'<row r="%d">' % number + b"".join(f'<c r="{column}{number}"{rest}><v>1</v></c>'.encode()
                                              for column, number, rest in cells) + b"</row>"
           for number, cells in enumerate(rows, start=1)]
    chunks = [b"<sheetData>" + xml[0], *xml[1:], b"</sheetData>"][cut:] if cut else \
        [b"<sheetData>" + xml[0], *xml[1:], b"</sheetData>"]
    saved = preflight.CHUNK, preflight.NARROW_FROM_ROWS
    preflight.CHUNK, preflight.NARROW_FROM_ROWS = 2, 0  # every chunk counts as a full one, every sheet as long
    try:
        tracked, plain = _SheetScan(track_narrow=True), _SheetScan(track_narrow=False)
        for chunk in chunks:
            tracked.feed(chunk)
            plain.feed(chunk)
    finally:
        preflight.CHUNK, preflight.NARROW_FROM_ROWS = saved
    assert tracked.unusual == plain.unusual and tracked.max_row == plain.max_row and tracked.wide == plain.wide
    event("unusual" if tracked.unusual else "followed" if tracked.narrow is not None and not plain.wide else "other")
    if tracked.unusual:
        return  # read exactly, whatever the bound
    if tracked.narrow is None or plain.wide:
        assert tracked.bound() == plain.bound()
    else:
        widest = preflight._Package._widest_narrow(_Chunks(chunks), None)  # type: ignore[arg-type]
        assert tracked.bound() == ((plain.bound()[0], widest) if plain.max_row else (0, 0))


def test_only_a_sheet_long_enough_to_need_it_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Following costs a little on every chunk; it is done where the first chunk's rows, scaled to the part's
    size, reach NARROW_FROM_ROWS (where 26 columns would fill the default max-cells)."""
    from ledgercheck.ingest import preflight

    monkeypatch.setattr(preflight, "CHUNK", 64)
    head = b"<sheetData>" + b"".join(b'<row r="%d"><c r="C%d"><v>1</v></c></row>' % (r, r) for r in range(1, 101))
    for size, followed in ((len(head) * 2999, False), (len(head) * 3000, True)):
        scan = _SheetScan(size=size)
        scan.feed(head)
        scan.feed(b'<row r="101"><c r="F101"><v>1</v></c></row></sheetData>')
        assert (scan.narrow is not None) is followed
        assert scan.bound() == ((109, 6) if followed else (109, 26))  # rows: 101 rounded up


def test_a_long_sheets_first_chunk_is_measured_by_the_quick_pass_when_its_rows_are_too_few_to_follow(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first chunk of a long sheet is read row by row only where the widest column may have to be followed:
    where even the ceiling of its rows, scaled to the part's size, stays under NARROW_FROM_ROWS, the quick pass
    measures it, with the same bound as the straightforward scan."""
    from ledgercheck.ingest import preflight

    if preflight.re2 is None:
        pytest.skip("the quick pass needs RE2")
    monkeypatch.setattr(preflight, "CHUNK", 64)
    head = b"<sheetData>" + b"".join(b'<row r="%d"><c r="C%d"><v>1</v></c></row>' % (r, r) for r in range(1, 101))
    tail = b'<row r="101"><c r="F101"><v>1</v></c></row></sheetData>'
    read_row_by_row = []
    usual = _SheetScan._usual
    monkeypatch.setattr(_SheetScan, "_usual", lambda self, chunk: (read_row_by_row.append(chunk), usual(self, chunk)))
    bounds = {}
    for quick in (True, False):
        monkeypatch.setattr(preflight, "QUICK", quick)
        for size in (len(head) * 100, len(head) * 2999):  # ceiling 109: 10,900 rows, and 326,891 (near the line)
            read_row_by_row.clear()
            scan = _SheetScan(size=size)
            scan.feed(head)
            scan.feed(tail)
            bounds[quick, size] = scan.bound()
            if quick:
                assert bool(read_row_by_row) is (size > len(head) * 100)
    assert bounds[True, len(head) * 100] == bounds[False, len(head) * 100] == (109, 26)
    assert bounds[True, len(head) * 2999] == bounds[False, len(head) * 2999]



def _unpacked(path: Path) -> tuple[object, ...]:
    """Every part's XML as the preflight unpacks it, or what it says of a file or a part it cannot unpack."""
    from ledgercheck.ingest import preflight

    try:
        found = check(path, path.name, Limits())
    except WorkbookError as exc:
        return ("refused", exc.describe("zh"))
    try:
        package = found._package
        parts: list[tuple[str, object]] = []
        for info in getattr(package, "infos", []):
            try:
                with preflight._unpacking(path.name):
                    parts.append((info.filename, b"".join(package._chunks(info))))
            except WorkbookError as exc:
                parts.append((info.filename, exc.describe("zh")))
        return tuple(parts)
    finally:
        found.close()


def _damaged(source: Path, target: Path, at: float) -> Path:
    """The file with one byte of its largest part's packed data changed: a bad block, or a bad checksum."""
    import zipfile

    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = max(archive.infolist(), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.orig_filename.encode()) + len(info.extra)
    data[start + int(info.compress_size * at)] ^= 0x5A
    target.write_bytes(bytes(data))
    return target


def _bad_checksum(source: Path, target: Path) -> Path:
    """The file with its largest part's CRC-32 changed where the local header and the directory give it."""
    import struct
    import zipfile

    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = max(archive.infolist(), key=lambda i: i.compress_size)
    wrong = struct.pack("<L", info.CRC ^ 0x1)
    data[info.header_offset + 14:info.header_offset + 18] = wrong
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(info.orig_filename)] != info.orig_filename.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 16:central + 20] = wrong
    target.write_bytes(bytes(data))
    return target


def test_zlib_ng_unpacks_every_part_as_zlib_does(workbooks: list[Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Unpacked by zlib-ng (`preflight.INFLATE_NG`), every part of every workbook is the same bytes, and a damaged
    part or a wrong checksum is reported with the same words, as when zipfile's zlib unpacks it."""
    from ledgercheck.ingest import preflight

    if preflight.zlib_ng() is None:
        pytest.skip("zlib-ng has no wheel for this platform")
    monkeypatch.setattr(preflight, "NG_FROM", 0)  # every part, however small
    source = next(p for p in workbooks if p.name.startswith("small"))
    damaged = [_damaged(source, tmp_path / f"damaged-{i}.xlsx", at) for i, at in enumerate((0.0, 0.3, 0.97))]
    damaged.append(_bad_checksum(source, tmp_path / "bad-checksum.xlsx"))
    assert "Bad CRC-32" in repr(_unpacked(damaged[-1]))
    compared = reported = 0
    for path in [*workbooks, *damaged]:
        outcomes = []
        for fast in (True, False):
            monkeypatch.setattr(preflight, "INFLATE_NG", fast)
            outcomes.append(_unpacked(path))
        assert outcomes[0] == outcomes[1], path.name
        compared += len(outcomes[0])
        reported += "无法解压" in repr(outcomes[0])
    assert compared > 100 and reported >= 3
    monkeypatch.setattr(preflight, "INFLATE_NG", True)
    found = check(source, source.name, Limits())  # and zlib-ng is what unpacks them
    try:
        package = found._package
        assert package is not None
        with package._open(next(iter(package.parts.values()))) as stream:
            assert type(stream._decompressor) is type(preflight.zlib_ng().decompressobj(-15))  # type: ignore[attr-defined]
    finally:
        found.close()


def test_without_zlib_ng_zipfile_unpacks_alone(workbooks: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PyPI has no wheel of zlib-ng (its import fails), every part is unpacked by zipfile's zlib, as before."""
    import zipfile

    from ledgercheck.ingest import preflight

    source = next(p for p in workbooks if p.name.startswith("small"))
    expected = _unpacked(source)
    monkeypatch.setattr(preflight, "_ng", False)  # as `zlib_ng()` leaves it when the import fails
    monkeypatch.setattr(preflight, "NG_FROM", 0)
    assert preflight.zlib_ng() is None
    assert _unpacked(source) == expected
    found = check(source, source.name, Limits())
    try:
        assert found._package is not None
        with found._package._open(next(iter(found._package.parts.values()))) as stream:
            assert type(stream) is zipfile.ZipExtFile
    finally:
        found.close()
