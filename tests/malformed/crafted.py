"""Crafted workbooks, round two: files built to slip past the preflight (part names in another case, backslashes,
`..`, rows without numbers, .xlsb and .xls extents) and small inputs that cost much (cell text beyond Excel's
limit, huge media parts, many sheets, many styles). Each is a Case of the malformed corpus (generate.py).

Every one of them used to abort the process (`memory allocation of … bytes failed`, exit 134) or to cost
gigabytes or minutes; each must now be answered in seconds with its message and exit 2.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.malformed.generate import (
    MEETING_HEADER,
    MEETING_ROWS,
    MEMBER_HEADER,
    MEMBER_ROWS,
    Case,
    _append_rows,
    _in_sheet,
    _rewrite,
    _sheet_part,
    _sheets,
    valid,
)

FAR = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
RELS = "xl/_rels/workbook.xml.rels"
MEMBERS_TARGET = b'Target="/xl/worksheets/sheet2.xml"'  # openpyxl writes absolute targets


def _edits(*edits: Callable[[str, bytes], bytes]) -> Callable[[str, bytes], bytes]:
    def edit(name: str, data: bytes) -> bytes:
        for one in edits:
            data = one(name, data)
        return data
    return edit


def _retarget(target: bytes) -> Callable[[str, bytes], bytes]:
    def edit(name: str, data: bytes) -> bytes:
        if name != RELS:
            return data
        assert MEMBERS_TARGET in data
        return data.replace(MEMBERS_TARGET, b'Target="' + target + b'"')
    return edit


def _far_members(extra: bytes = FAR) -> Callable[[str, bytes], bytes]:
    return _in_sheet(2, _append_rows(extra))


def _upper_case_target(path: Path) -> None:
    """The reader finds parts whatever their case; the relationship names the members sheet in capitals."""
    _rewrite(path, _edits(_far_members(), _retarget(b"/xl/worksheets/SHEET2.xml")))


def _backslash_name(path: Path) -> None:
    """The members sheet stored as xl\\worksheets\\sheet2.xml (the reader reads backslashes as slashes)."""
    _rewrite(path, _far_members())
    _rename(path, {_sheet_part(2): _sheet_part(2).replace("/", "\\")})


def _rename(path: Path, names: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts:
            target.writestr(names.get(name, name), data)


def _dot_dot_target(path: Path) -> None:
    """Target worksheets/../worksheets/sheet2.xml, and a part of exactly that name holding the far cell: the
    reader appends the target to the folder as written, without resolving `..`."""
    plain = path.with_name(path.name + ".plain.xlsx")
    valid(plain)
    with zipfile.ZipFile(plain) as archive:
        members = archive.read(_sheet_part(2))
    plain.unlink()
    far = members.replace(b"</sheetData>", FAR + b"</sheetData>")
    _rewrite(path, _retarget(b"worksheets/../worksheets/sheet2.xml"),
             extra={"xl/worksheets/../worksheets/sheet2.xml": far})


def _quoted_angle(path: Path) -> None:
    """A row without a number and `>` inside quoted attributes, where a tag-matching pattern stops early."""
    _rewrite(path, _far_members(b'<row x=">"><c x=">" r="XFD1048576" t="n"><v>1</v></c></row>'))


def _second_address(path: Path) -> None:
    """A cell with two addresses: the reader takes the later one."""
    _rewrite(path, _far_members(b'<row r="5"><c r="A5" r="XFD1048576" t="n"><v>1</v></c></row>'))


def _shared_string_count(path: Path) -> None:
    """A shared-string table declaring 10^14 strings: the reader reserves memory for them when it opens the file."""
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main" count="1" uniqueCount="100000000000000"><si><t>x</t></si></sst>')
    _rewrite(path, lambda name, data: data, extra={"xl/sharedStrings.xml": sst})


def _long_text(sheet: int, old: str, new: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        def edit(data: bytes) -> bytes:
            # openpyxl writes the text as it is, or (with lxml) as character references
            escaped = "".join(ch if ch.isascii() else f"&#{ord(ch)};" for ch in old)
            marker = next(m for m in (f"<t>{old}</t>".encode(), f"<t>{escaped}</t>".encode()) if m in data)
            return data.replace(marker, f"<t>{new}</t>".encode(), 1)
        _rewrite(path, _in_sheet(sheet, edit))  # written into the XML: openpyxl would cut it at 32,767
    return build


# An organization name of 5 MB (Excel's cells hold at most 32,767 characters): the row cannot be read.
_ALPHABET = "党支部委员会组织生活会议学习教育第一二三四五六七八九十年月日人员名单记录工作计划总结报告检查整改落实情况说明"
_long_org_name = _long_text(1, "第一党支部", "".join(random.Random(18).choices(_ALPHABET, k=5 << 20)))
# A member's name of 40,000 characters (a paste gone wrong): that row is not read, the others are.
_long_member_name = _long_text(2, "李娜", "李" * 40_000)


def _huge_media(path: Path) -> None:
    """A 1000 MiB picture that compresses about 130:1 (below the bomb ratio): nothing reads pictures."""
    noise = random.Random(18)
    plain = path.with_name(path.name + ".plain.xlsx")
    valid(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        with target.open("xl/media/image1.png", "w", force_zip64=True) as stream:
            for _ in range(1000 * 1024 // 128):  # 128 KiB at a time, 1 KiB of it random: about 120:1
                stream.write(noise.randbytes(1024) + bytes(127 * 1024))
    plain.unlink()


def _many_styles(path: Path) -> None:
    """A million cell formats in styles.xml (Excel allows 65,490)."""
    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/styles.xml":
            return data
        start, end = data.index(b"<cellXfs"), data.index(b"</cellXfs>") + len(b"</cellXfs>")
        xfs = b"".join(b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="%d"/>'
                       % (i % 997, i % 7) for i in range(1_000_000))  # varied: compresses about 22:1
        return data[:start] + b'<cellXfs count="1000000">' + xfs + b"</cellXfs>" + data[end:]
    _rewrite(path, edit)


def _many_sheets(path: Path) -> None:
    """4,000 extra sheets (each a line of notes): reading them must take time in proportion."""
    count = 4000
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>备注</t></is></c></row><row r="2"><c r="A2" t="inlineStr">'
             '<is><t>第{0}页</t></is></c></row></sheetData></worksheet>')
    extra = {f"xl/worksheets/extra{i}.xml": sheet.format(i).encode() for i in range(count)}

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            sheets = "".join(f'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                             f'name="附表{i}" sheetId="{i + 10}" r:id="rIdX{i}" />' for i in range(count))
            return data.replace(b"</sheets>", sheets.encode() + b"</sheets>")
        if name == RELS:
            rels = "".join(f'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                           f'worksheet" Target="/xl/worksheets/extra{i}.xml" Id="rIdX{i}" />' for i in range(count))
            return data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
        if name == "[Content_Types].xml":
            types = "".join(f'<Override PartName="/xl/worksheets/extra{i}.xml" ContentType="application/'
                            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(count))
            return data.replace(b"</Types>", types.encode() + b"</Types>")
        return data
    _rewrite(path, edit, extra=extra)


def _negative_huge_date(path: Path) -> None:
    """A date cell holding -1e308: the reader fails converting it (a panic); the row is reported."""
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[2][2] = dt.date(1999, 9, 9)  # 党员!C3, written as a date cell, then its value replaced

    def edit(data: bytes) -> bytes:
        assert b"<v>36412</v>" in data
        return data.replace(b"<v>36412</v>", b"<v>-1e308</v>", 1)
    _rewrite(path, _in_sheet(2, edit), 党员=rows)


def _nan_date(path: Path) -> None:
    """A date cell holding NaN: not a date (it used to come out as 1899-12-30)."""
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[2][2] = dt.date(1999, 9, 9)  # 党员!C3

    def edit(data: bytes) -> bytes:
        return data.replace(b"<v>36412</v>", b"<v>NaN</v>", 1)
    _rewrite(path, _in_sheet(2, edit), 党员=rows)


def _huge_count(path: Path) -> None:
    """1e308 people present at a meeting."""
    rows = [MEETING_HEADER, *[list(r) for r in MEETING_ROWS]]
    rows[1][4] = 1e308  # 组织生活!E2
    valid(path, 组织生活=rows)


# ---- .xlsb: binary records (MS-XLSB), written here since no library writes them ------------------------


def _record(kind: int, data: bytes = b"") -> bytes:
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, length = len(data), b""
    while True:
        byte = size & 0x7F
        size >>= 7
        length += bytes([byte | (0x80 if size else 0)])
        if not size:
            break
    return head + length + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def _xlsb_sheet(rows: list[list[object]], extra: list[tuple[int, int]] = ()) -> bytes:  # type: ignore[assignment]
    out = _record(0x0094, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, 10)) + _record(0x0091)
    cells = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row)] + [(r, c, 1) for r, c in extra]
    row = None
    for r, c, value in sorted(cells, key=lambda cell: (cell[0], cell[1])):
        if r != row:
            out += _record(0x0000, struct.pack("<IIHBB", r, 0, 0, 0, 0))
            row = r
        head = struct.pack("<II", c, 0)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out += _record(0x0005, head + struct.pack("<d", float(value)))
        else:
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            out += _record(0x0006, head + _wide(text))
    return out + _record(0x0092)


def _xlsb(path: Path, extra: dict[str, list[tuple[int, int]]]) -> None:
    sheets = _sheets()
    book = b"".join(_record(0x009C, struct.pack("<II", 0, i + 1) + _wide(f"rId{i + 1}") + _wide(name))
                    for i, name in enumerate(sheets)) + _record(0x0090) + _record(0x009D, bytes(26))
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">' + "".join(
                f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/worksheet" Target="worksheets/sheet{i + 1}.bin"/>' for i in range(len(sheets)))
            + "</Relationships>")
    package = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
               'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
               'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_rels/.rels", package)
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/_rels/workbook.bin.rels", rels)
        for i, (name, rows) in enumerate(sheets.items()):
            archive.writestr(f"xl/worksheets/sheet{i + 1}.bin", _xlsb_sheet(rows, extra.get(name, [])))


# ---- .xls: written with xlwt, then a record changed -----------------------------------------------------


def _xls(path: Path, far: dict[str, tuple[int, int]] | None = None) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in _sheets().items():
        sheet = book.add_sheet(name)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                sheet.write(r, c, value.isoformat() if isinstance(value, dt.date) else value)
        if far and name in far:
            sheet.write(*far[name], 1)
    for index in range(len(far or {}) - 1):  # more sheets with a far value
        book.add_sheet(f"附表{index}").write(65535, 255, 1)
    book.save(str(path))


def _xls_lying_dimensions(path: Path) -> None:
    """The members sheet's DIMENSIONS record says 0xFFFFFFFF rows: the reader reserves memory for all of them."""
    _xls(path)
    data = bytearray(path.read_bytes())
    at = -1
    for _ in range(2):  # the second sheet's DIMENSIONS record (type 0x0200, 14 bytes)
        at = data.index(b"\x00\x02\x0e\x00", at + 1)
    data[at + 8:at + 12] = b"\xff\xff\xff\xff"  # rwMac, the row after the last
    path.write_bytes(bytes(data))


CASES: list[Case] = [
    Case("target-upper-case.xlsx", "the relationship names the members sheet /xl/worksheets/SHEET2.xml; XFD1048576",
         2, [("INPUT-SHEET-TOO-LARGE", "党员")], build=_upper_case_target),
    Case("backslash-part.xlsx", r"the members sheet stored as xl\worksheets\sheet2.xml; XFD1048576", 2,
         [("INPUT-SHEET-TOO-LARGE", "党员")], build=_backslash_name),
    Case("dot-dot-target.xlsx", "target worksheets/../worksheets/sheet2.xml, a part of that very name; XFD1048576",
         2, [("INPUT-SHEET-TOO-LARGE", "党员")], build=_dot_dot_target),
    Case("quoted-angle.xlsx", 'a row without its number, `>` inside quoted attributes; XFD1048576', 2,
         [("INPUT-SHEET-TOO-LARGE", "党员")], build=_quoted_angle),
    Case("second-address.xlsx", "a cell with two r attributes, the second at XFD1048576", 2,
         [("INPUT-SHEET-TOO-LARGE", "党员")], build=_second_address),
    Case("shared-string-count.xlsx", "the shared strings declare 10^14 strings", 2,
         fragments=["sharedStrings.xml", "共享字符串"], build=_shared_string_count),
    Case("far-cell.xlsb", "an .xlsb: a row record at 1048575 and a cell in column 16383 in the members sheet", 2,
         [("INPUT-SHEET-UNREADABLE", "党员")], build=lambda p: _xlsb(p, {"党员": [(1048575, 16383)]})),
    Case("lying-dimensions.xls", "an .xls whose DIMENSIONS record says 0xFFFFFFFF rows", 2,
         fragments=["内存", "max-cells"], build=_xls_lying_dimensions),
    Case("far-cells.xls", "an .xls with a value at IV65536 in three sheets (16.7 million cells each)", 2,
         fragments=["max-cells"], build=lambda p: _xls(p, {"党员": (65535, 255), "x": (0, 0), "y": (0, 0)})),
    Case("long-org-name.xlsx", "an organization name of 5 MB", 2,
         [("INPUT-CELL-TOO-LONG", "组织!B2"), ("INPUT-NO-ORGS", "组织")], build=_long_org_name),
    Case("long-member-name.xlsx", "a member's name of 40,000 characters: that row is not read", 2,
         [("INPUT-CELL-TOO-LONG", "党员!A3")], build=_long_member_name),
    Case("huge-media.xlsx", "a 1000 MiB picture compressed about 130:1: never decompressed", 0, build=_huge_media),
    Case("many-styles.xlsx", "a million cell formats in styles.xml", 2, fragments=["单元格格式", "65,490"],
         build=_many_styles),
    Case("many-sheets.xlsx", "4,000 extra sheets of notes", 0,
         [("INPUT-UNKNOWN-SHEET", f"附表{i}") for i in range(4000)], build=_many_sheets),
    Case("negative-huge-date.xlsx", "a date cell of -1e308 (the reader fails on its row: the row is reported, the "
         "rest of the sheet read)", 2, [("INPUT-ROW-UNREADABLE", "党员!C3")], build=_negative_huge_date),
    Case("nan-date.xlsx", "a date cell of NaN", 2, [("INPUT-BAD-DATE", "党员!C3")], build=_nan_date),
    Case("huge-count.xlsx", "1e308 people at a meeting", 2, [("INPUT-NUMBER-TOO-LARGE", "组织生活!E2")],
         build=_huge_count),
]
