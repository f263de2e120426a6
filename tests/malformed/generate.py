"""A corpus of malformed and hostile workbooks, written on demand (no binaries are committed).

    python -m tests.malformed.generate OUT_DIR     # writes the files and manifest.json

Each case is built from a small valid ledger (one branch, three members, three meetings) by breaking one
thing: the file format, the archive, the XML, a sheet, or cells. The manifest says what `ledgercheck audit
FILE --fail-on never` must do with it: the exit code, the input-issue codes with their cells, and fragments
of the one-line message for files that cannot be used at all. tests/test_malformed.py checks every case
through the CLI, one by one and all together with `ledgercheck scan`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from openpyxl import Workbook

D = dt.date
ORG_HEADER = ["组织编号", "组织名称", "组织类型", "成立日期", "本届选举日期", "书记", "支委会委员人数"]
ORG_ROW = ["B01", "第一党支部", "党支部", D(2015, 3, 1), D(2024, 6, 1), "张伟", 0]
MEMBER_HEADER = ["姓名", "身份证号", "出生日期", "所在组织编号", "党员类别", "入党日期", "联系电话"]
MEMBER_ROWS = [
    ["张伟", "110101198001010014", D(1980, 1, 1), "B01", "正式党员", D(2005, 7, 1), "13800000001"],
    ["李娜", "110101198502020021", D(1985, 2, 2), "B01", "正式党员", D(2010, 7, 1), "13800000002"],
    ["王芳", "110101199003030027", D(1990, 3, 3), "B01", "正式党员", D(2015, 7, 1), "13800000003"],
]
MEETING_HEADER = ["组织编号", "活动类型", "日期", "应到人数", "实到人数"]
MEETING_ROWS = [
    ["B01", "支部党员大会", D(2025, 3, 10), 3, 3],
    ["B01", "支部委员会", D(2025, 4, 10), 3, 3],
    ["B01", "党课", D(2025, 5, 10), 3, 3],
]


@dataclass
class Case:
    name: str  # file name in the corpus
    description: str
    exit: int  # of `ledgercheck audit FILE --fail-on never`
    issues: list[tuple[str, str | None]] = field(default_factory=list)  # (code, "sheet!cell" or sheet or None)
    fragments: list[str] = field(default_factory=list)  # in the one-line message (zh) of an unusable file
    args: list[str] = field(default_factory=list)  # extra command-line options
    build: Callable[[Path], None] | None = field(default=None, repr=False)


def _book(sheets: dict[str, list[list[object]]]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    return book


def _sheets(**changes: list[list[object]] | None) -> dict[str, list[list[object]]]:
    sheets: dict[str, list[list[object]] | None] = {
        "组织": [ORG_HEADER, ORG_ROW],
        "党员": [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]],
        "组织生活": [MEETING_HEADER, *[list(r) for r in MEETING_ROWS]],
    }
    sheets.update(changes)
    return {k: v for k, v in sheets.items() if v is not None}


def valid(path: Path, **changes: list[list[object]] | None) -> None:
    _book(_sheets(**changes)).save(path)


def _rewrite(path: Path, edit: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None,
             **changes: list[list[object]] | None) -> None:
    """A valid ledger, then its archive rewritten part by part (None drops a part)."""
    plain = path.with_name(path.name + ".plain.xlsx")
    valid(plain, **changes)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = edit(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    plain.unlink()


def _sheet_part(index: int) -> str:
    return f"xl/worksheets/sheet{index}.xml"


def _in_sheet(index: int, edit: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, data: edit(data) if name == _sheet_part(index) else data


def _append_rows(xml: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</sheetData>", xml + b"</sheetData>")


# ---------------------------------------------------------------- the cases


def _not_a_zip(path: Path) -> None:
    path.write_bytes("组织编号,组织名称\nB01,第一党支部\n".encode("utf-8") * 20)


def _truncated(path: Path) -> None:
    valid(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _encrypted(path: Path) -> None:
    # An encrypted package is an OLE compound file (what Excel writes for a password to open).
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + b"EncryptedPackage" + b"\0" * 1024)


def _gbk_csv(path: Path) -> None:
    path.write_bytes("姓名,性别,入党日期\n张三,男,2001-07-01\n".encode("gbk"))


def _pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 9 >>\nstream\n\x00\x01\x02\x03\x9c\xff\x00\x10\x11"
                     b"\nendstream\nendobj\n%%EOF\n")


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


def _no_sheets(path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes | None:
        if name.startswith("xl/worksheets/"):
            return None
        if name == "xl/workbook.xml":
            start, end = data.index(b"<sheets>"), data.index(b"</sheets>") + len(b"</sheets>")
            return data[:start] + b"<sheets/>" + data[end:]
        return data
    _rewrite(path, edit)


def _macros(path: Path) -> None:
    _rewrite(path, lambda name, data: data, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name"})


def _formula_no_value(path: Path) -> None:
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[1][2] = "=DATE(1980,1,1)"  # 党员!C2, written without a cached result
    valid(path, 党员=rows)


def _error_cells(path: Path) -> None:
    rows = [MEETING_HEADER, *[list(r) for r in MEETING_ROWS]]
    rows[1][2] = "#N/A"  # 组织生活!C2 (openpyxl writes it as an error cell)
    rows[2][3] = "#REF!"  # 组织生活!D3
    valid(path, 组织生活=rows)


def _error_in_required(path: Path) -> None:
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[2][0] = "#REF!"  # 党员!A3: the member's name, required: the row cannot be read
    valid(path, 党员=rows)


def _term_years(path: Path) -> None:
    valid(path, 组织=[ORG_HEADER + ["任期年限"], ORG_ROW + [9999]])  # 组织!H2: dates 9999 years on overflow


def _before_1900(path: Path) -> None:
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[2][2] = "1898-05-04"  # 党员!C3
    valid(path, 党员=rows)


def _negative_serial(path: Path) -> None:
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[3][2] = D(1890, 1, 1)  # 党员!C4: a date cell Excel cannot hold (a negative serial)
    valid(path, 党员=rows)


def _future(path: Path) -> None:
    rows = [MEETING_HEADER, *[list(r) for r in MEETING_ROWS]]
    rows[3][2] = D(2095, 5, 10)  # 组织生活!C4
    valid(path, 组织生活=rows)


def _styled_rows(path: Path) -> None:
    rows = b"".join(b'<row r="%d" s="1" customFormat="1" ht="15" customHeight="1"/>' % r
                    for r in range(10, 1_000_001))
    _rewrite(path, _in_sheet(2, _append_rows(rows)))


def _huge_dimension(path: Path) -> None:
    def edit(data: bytes) -> bytes:
        start = data.index(b"<dimension")
        end = data.index(b"/>", start) + 2
        return data[:start] + b'<dimension ref="A1:XFD1048576"/>' + data[end:]
    _rewrite(path, _in_sheet(2, edit))


def _far_cell(path: Path) -> None:
    _rewrite(path, _in_sheet(2, _append_rows(b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>')))


def _far_cell_orgs(path: Path) -> None:
    _rewrite(path, _in_sheet(1, _append_rows(b'<row r="900000"><c r="AB900000" t="n"><v>1</v></c></row>')))


def _bomb(path: Path) -> None:
    _rewrite(path, lambda name, data: data, extra={"xl/media/image1.png": b"\0" * (64 << 20)})


def _entities(path: Path) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                         for i in range(9)) + b"]>")

    def edit(data: bytes) -> bytes:
        body = data[data.index(b"<worksheet"):]
        return laughs + body.replace(b"<t>\xe5\xbc\xa0\xe4\xbc\x9f</t>", b"<t>&j;</t>", 1)
    _rewrite(path, _in_sheet(2, edit))


def _external_entity(path: Path) -> None:
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    _rewrite(path, lambda name, data: doctype + data[data.index(b"<workbook"):] if name == "xl/workbook.xml"
             else data)


def _garbage_sheet(path: Path) -> None:
    _rewrite(path, _in_sheet(3, lambda data: b"<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></sheetDat"))


def _bad_crc(path: Path) -> None:
    valid(path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(_sheet_part(2))
    data = bytearray(path.read_bytes())
    # The local header is 30 bytes plus name and extra field; damage the middle of the compressed data.
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _ods_repeat(path: Path) -> None:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def cells(values: list[object]) -> str:
        return "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
                       for v in values)

    orgs = (f'<table:table table:name="组织"><table:table-row>{cells(ORG_HEADER[:3])}</table:table-row>'
            f'<table:table-row>{cells(ORG_ROW[:3])}</table:table-row></table:table>')
    bomb = ('<table:table table:name="党员"><table:table-row>' + cells(MEMBER_HEADER[:5]) + '</table:table-row>'
            '<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated'
            '="200" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
            '</table:table-row></table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f"<office:body><office:spreadsheet>{orgs}{bomb}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)


def _id_as_number(path: Path) -> None:
    rows = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    rows[2][1] = 110101198502020021  # 党员!B3: 18 digits stored as a number lose their tail
    valid(path, 党员=rows)


def _title_only(path: Path) -> None:
    valid(path, 组织生活=[["2025年组织生活记录"], ["（本表由支部填写）"], ["B01", "支部党员大会", "2025年3月10日"]])


def _duplicate_columns(path: Path) -> None:
    header = MEMBER_HEADER + ["姓名"]
    valid(path, 党员=[header, *[list(r) + [r[0] + "（曾用名）"] for r in MEMBER_ROWS]])


def _control_characters(path: Path) -> None:
    rows = [MEETING_HEADER, *[list(r) for r in MEETING_ROWS]]
    rows[2][1] = "支部委员会CONTROL"  # 组织生活!B3: a bell and a terminal escape, as Excel escapes them in XML
    _rewrite(path, _in_sheet(3, lambda data: data.replace(b"CONTROL", b"_x0007__x001B_[31m")), 组织生活=rows)


def _web_page(path: Path) -> None:
    rows = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in row)}</tr>" for row in [MEMBER_HEADER])
    html = f"<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head><meta charset=\"utf-8\"></head>" \
           f"<body><table>{rows}</table></body></html>"
    path.write_bytes(b"\xef\xbb\xbf" + html.encode("utf-8"))


CASES: list[Case] = [
    Case("not-a-zip.xlsx", "CSV text saved with an .xlsx name: said to be text, with what to do", 2,
         fragments=["其实是文本（如 CSV），扩展名却是 .xlsx", "另存为"], build=_not_a_zip),
    Case("csv-named.xls", "CSV text (GBK, as Excel in China saves it) with an .xls name", 2,
         fragments=["其实是文本（如 CSV），扩展名却是 .xls"], build=_gbk_csv),
    Case("pdf-named.xls", "something else (a PDF) named .xls: not a workbook, with what to do, no reader's words", 2,
         fragments=["文件内容不是 Excel 工作簿", "另存为"], build=_pdf),
    Case("truncated.xlsx", "the first half of a workbook (an interrupted download)", 2, fragments=["文件不完整"],
         build=_truncated),
    Case("encrypted.xlsx", "password to open: an OLE compound file, not a zip", 2, fragments=["已加密"],
         build=_encrypted),
    Case("empty-file.xlsx", "zero bytes", 2, fragments=["文件是空的（0 字节）"], build=_empty_file),
    Case("renamed-xlsx.xls", "a workbook (.xlsx) named .xls, as some systems export it: read as what it is, and said",
         0, [("INPUT-RENAMED-WORKBOOK", None)], build=valid),
    Case("web-page.xls", "an HTML table named .xls (old systems' 'Excel export'): what to do, not the reader's OLE "
         "error", 2, fragments=["其实是网页表格（HTML）", "另存为"], build=_web_page),
    Case("no-sheets.xlsx", "a workbook whose sheet list is empty", 2, fragments=["没有任何工作表"], build=_no_sheets),
    Case("macros.xlsm", "an .xlsm with a VBA project: never run, values read", 0, [("INPUT-MACROS", None)],
         build=_macros),
    Case("no-orgs-sheet.xlsx", "members and meetings but no organizations sheet", 2, fragments=["没有「组织」表"],
         build=lambda p: valid(p, 组织=None)),
    Case("orgs-header-only.xlsx", "the organizations sheet has its header and nothing else", 2,
         [("INPUT-NO-ORGS", "组织")], build=lambda p: valid(p, 组织=[ORG_HEADER])),
    Case("members-header-only.xlsx", "the members sheet has only its header row", 0,
         [("INPUT-EMPTY-SHEET", "党员")], build=lambda p: valid(p, 党员=[MEMBER_HEADER])),
    Case("only-orgs.xlsx", "no members and no meetings sheet", 0,
         [("INPUT-MISSING-SHEET", None), ("INPUT-MISSING-SHEET", None)],
         build=lambda p: valid(p, 党员=None, 组织生活=None)),
    Case("duplicate-columns.xlsx", "姓名 twice in the members header", 0, [("INPUT-DUPLICATE-COLUMN", "党员!H1")],
         build=_duplicate_columns),
    Case("formula-no-value.xlsx", "a formula saved without its result (written by a program)", 2,
         [("INPUT-FORMULA-NO-VALUE", "党员!C2")], build=_formula_no_value),
    Case("error-cells.xlsx", "#N/A and #REF! in meeting cells", 2,
         [("INPUT-ERROR-CELL", "组织生活!C2"), ("INPUT-ERROR-CELL", "组织生活!D3")], build=_error_cells),
    Case("error-in-required.xlsx", "#REF! as a member's name: the row is skipped and says why", 2,
         [("INPUT-ERROR-CELL", "党员!A3")], build=_error_in_required),
    Case("term-years-9999.xlsx", "a term of 9999 years (the due date would be past the calendar)", 2,
         [("INPUT-OUT-OF-RANGE", "组织!H2")], build=_term_years),
    Case("date-before-1900.xlsx", "a birth date in 1898 (typed as text)", 2,
         [("INPUT-DATE-TOO-EARLY", "党员!C3")], build=_before_1900),
    Case("negative-serial-date.xlsx", "a date cell before 1900 (a negative serial Excel cannot show)", 2,
         [("INPUT-TIME-NOT-DATE", "党员!C4")], build=_negative_serial),
    Case("future-date.xlsx", "a meeting dated 2095", 0, [("INPUT-FUTURE-DATE", "组织生活!C4")], build=_future),
    Case("million-styled-rows.xlsx", "a million empty rows with a style below the members", 0, build=_styled_rows),
    Case("huge-dimension.xlsx", "the sheet declares A1:XFD1048576 as its dimension", 0, build=_huge_dimension),
    Case("far-cell.xlsx", "a value at XFD1048576 in the members sheet (17 billion cells if materialized)", 2,
         [("INPUT-SHEET-TOO-LARGE", "党员")], build=_far_cell),
    Case("far-cell-orgs.xlsx", "a value at AB900000 in the organizations sheet", 2,
         fragments=["组织", "AB900000", "max-rows"], build=_far_cell_orgs),
    Case("row-limit.xlsx", "an ordinary ledger with the row limit set below its size", 2,
         [("INPUT-SHEET-TOO-LARGE", "党员"), ("INPUT-SHEET-TOO-LARGE", "组织生活")], args=["--limit", "max-rows=3"],
         build=valid),
    Case("zip-bomb.xlsx", "a 64 MB part of zeros compressed about 1000:1", 2, fragments=["压缩比", "压缩炸弹"],
         build=_bomb),
    Case("unpacked-limit.xlsx", "an ordinary ledger with the unpacked-size limit set below its size", 2,
         fragments=["超过上限", "max-unpacked-size"], args=["--limit", "max-unpacked-size=4KB"], build=valid),
    Case("parts-limit.xlsx", "an ordinary ledger with the limit on archive parts set below its count", 2,
         fragments=["max-parts"], args=["--limit", "max-parts=5"], build=valid),
    Case("file-size-limit.xlsx", "an ordinary ledger with the file-size limit set below its size", 2,
         fragments=["文件过大", "max-file-size"], args=["--limit", "max-file-size=1KB"], build=valid),
    Case("entity-expansion.xlsx", "a billion-laughs DTD in a worksheet", 2, fragments=["实体声明"], build=_entities),
    Case("external-entity.xlsx", "an external entity (XXE) in the workbook part", 2, fragments=["实体声明"],
         build=_external_entity),
    Case("damaged-sheet.xlsx", "the meetings sheet's XML is cut off; the rest is audited", 2,
         [("INPUT-SHEET-UNREADABLE", "组织生活")], build=_garbage_sheet),
    Case("bad-checksum.xlsx", "a flipped byte in the members sheet's compressed data", 2,
         fragments=["已损坏"], build=_bad_crc),
    Case("repeat-bomb.ods", "ODS: one cell repeated over 1,000,000 rows × 200 columns", 2,
         fragments=["党员", "GR1000001", "max-rows"], build=_ods_repeat),
    Case("id-as-number.xlsx", "an 18-digit ID number stored as a number", 2, [("INPUT-ID-AS-NUMBER", "党员!B3")],
         build=_id_as_number),
    Case("no-header.xlsx", "the meetings sheet has title rows but no header", 2, [("INPUT-NO-HEADER", "组织生活")],
         build=_title_only),
    Case("control-characters.xlsx", "a bell and a terminal escape in an activity kind (read as the kind it names)", 0,
         [("INPUT-KIND-WITHIN-TEXT", "组织生活!B3")], build=_control_characters),
    Case("ledger.et", "a WPS .et file", 2, fragments=["WPS"], build=lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0")),
    Case("ledger.csv", "a CSV file", 2, fragments=["CSV"], build=lambda p: p.write_text("组织编号\nB01\n")),
]

# Round two (crafted files that aim at the reader's and the preflight's differences, and small inputs that cost
# much): tests/malformed/crafted.py.
from tests.malformed import crafted  # noqa: E402 - it needs Case, defined above

CASES += crafted.CASES


def generate(folder: Path) -> list[Case]:
    """Write every case into `folder`, and manifest.json describing them."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        assert case.build is not None
        case.build(folder / case.name)
    manifest = [{k: v for k, v in asdict(case).items() if k != "build"} for case in CASES]
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    return CASES


_generated: list[Path] = []  # the corpus written once per process (a pytest run): copied from there


def copy_into(folder: Path, names: Iterable[str] | None = None) -> Path:
    """`folder` holding the corpus (or the cases `names` only), generated once per process and copied: several
    test modules each need a folder of their own, and writing the corpus takes seconds."""
    if not _generated:
        source = Path(tempfile.mkdtemp(prefix="ledgercheck-malformed-"))
        atexit.register(shutil.rmtree, source, ignore_errors=True)
        generate(source)
        _generated.append(source)
    if names is None:
        shutil.copytree(_generated[0], folder, dirs_exist_ok=True)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy(_generated[0] / name, folder / name)
    return folder


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "malformed")
    for case in generate(out):
        print(f"{case.name:28} exit {case.exit}  {case.description}")
