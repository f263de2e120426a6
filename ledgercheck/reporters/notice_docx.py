"""Rectification notices (整改通知书) as Word documents, written with python-docx (the `docx` extra).

The layout follows the usual look of an official document (GB/T 9704): A4 portrait, margins 37/35/28/26 mm,
title in 黑体 二号, body in 仿宋 三号 at a fixed 28 pt line, headings 一、 in 黑体 and （一） in 楷体, page
numbers "— 1 —" at the foot. Tables are in 仿宋 五号; their header row repeats on every page and no row is split
across pages. Chinese fonts are set as the East Asian font (`w:eastAsia`) of every style, with the document's
East Asian language zh-CN and Times New Roman for Latin letters and digits, so Word, WPS and LibreOffice pick a
Chinese face; where a face is missing they substitute their own (LibreOffice on Linux: Noto CJK).

After the notice, on a page of its own, comes the 回执 the unit returns: 整改情况, 负责人签字, 盖章, 日期.

Text from a ledger or a file name may hold what a Word document cannot (a control character a cell brought, a
file name's byte not in UTF-8): it is written spelled out (`\x07`, common.privacy.writable), not refused.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text
from ledgercheck.common.privacy import writable
from ledgercheck.findings.notices import Notice
from ledgercheck.reporters import notice_texts as words
from ledgercheck.reporters.notice_texts import T

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table

MISSING = Text("生成 Word 整改通知书需要 python-docx：请运行 pip install 'ledgercheck[docx]'",
               "writing .docx notices needs python-docx: pip install 'ledgercheck[docx]'")


@dataclass(frozen=True)
class Fonts:
    """East Asian faces by role, and the face for Latin letters and digits."""

    title: str = "黑体"
    heading: str = "黑体"
    subheading: str = "楷体"
    body: str = "仿宋"
    table_head: str = "黑体"
    latin: str = "Times New Roman"
    page_number: str = "宋体"


FONTS = Fonts()
BODY_PT, TITLE_PT, TABLE_PT, RECEIPT_TITLE_PT = 16, 22, 10.5, 18
TITLE_LIMIT = 255  # characters of the document's title property (docProps/core.xml)
LINE_PT = 28  # the fixed line of the body (22 lines a page)
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6
ITEM_COLUMNS_CM = (1.0, 1.2, 4.5, 2.4, 3.0, 3.5)  # 序号 级别 问题 位置 依据 整改要求: 15.6 cm
SUMMARY_COLUMNS_CM = (1.2, 6.2, 2.6, 1.4, 1.4, 1.4, 1.4)


def require_docx() -> Any:
    """The python-docx module, or a UsageError saying how to install it (call it before a long scan)."""
    try:
        import docx
    except ImportError:
        raise UsageError(MISSING) from None
    return docx


# ---------------------------------------------------------------- styles and the small pieces python-docx lacks


def _set_fonts(rpr: Any, east_asia: str, latin: str) -> None:
    """East Asian and Latin faces on a w:rPr, dropping theme fonts (which would override them)."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _set_language(rpr: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")  # Latin letters and digits: never broken inside a word
    lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(document: DocumentObject, fonts: Fonts) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:  # the template's defaults name theme fonts and the English language
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, fonts.body, fonts.latin)
            _set_language(rpr)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), fonts.body, fonts.latin)
    _set_language(normal.element.get_or_add_rPr())
    paragraph = normal.paragraph_format
    paragraph.space_before, paragraph.space_after = Pt(0), Pt(0)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = Pt(LINE_PT)
    paragraph.widow_control = True

    def add(name: str, face: str, size: float, align: Any = None, bold: bool = False, indent: bool = False,
            line: float | None = LINE_PT, keep: bool = False) -> None:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(size)
        style.font.bold = bold
        _set_fonts(style.element.get_or_add_rPr(), face, fonts.latin)
        form = style.paragraph_format
        if align is not None:
            form.alignment = align
        if indent:
            form.first_line_indent = Pt(size * 2)  # two characters
        if line is None:
            form.line_spacing_rule = WD_LINE_SPACING.SINGLE
        form.keep_with_next = keep

    add("Notice Title", fonts.title, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    add("Notice Number", fonts.body, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)
    add("Notice Body", fonts.body, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    add("Notice Heading", fonts.heading, BODY_PT, indent=True, keep=True)
    add("Notice Subheading", fonts.subheading, BODY_PT, indent=True, keep=True)
    add("Notice Note", fonts.body, 12, indent=True, line=None, keep=True)
    add("Notice Table", fonts.body, TABLE_PT, line=None)
    add("Notice Table Head", fonts.table_head, TABLE_PT, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    add("Notice Signature", fonts.body, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    add("Notice Receipt Title", fonts.title, RECEIPT_TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    add("Notice Footer", fonts.page_number, 14, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    assert document.styles["Notice Table Head"].style_id == "NoticeTableHead"  # what _style() relies on
    assert document.styles["Table Grid"].style_id == "TableGrid"  # and the tables


def _style(paragraph: Any, name: str) -> None:
    """A paragraph style of ours by its id: python-docx's lookup by name scans every style of the template, which
    for thousands of table cells costs more than the rest of the document."""
    paragraph._p.style = name.replace(" ", "")  # python-docx makes an added style's id from its name this way


def _para(document: DocumentObject, text: str | None, style: str) -> Any:
    """A paragraph of `text` in one of our styles, added at the end of the document (by the style's id: _style)."""
    paragraph = document.add_paragraph(writable(text or ""))
    _style(paragraph, style)
    return paragraph


def _page(section: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.header_distance, section.footer_distance = Cm(1.5), Cm(2.0)


def _page_numbers(section: Any, restart: bool) -> None:
    """"— N —" centred at the foot, numbering from 1 in each notice (a notice is a section)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    _style(paragraph, "Notice Footer")
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —")
    if restart:
        numbering = section._sectPr.find(qn("w:pgNumType"))
        if numbering is None:
            numbering = OxmlElement("w:pgNumType")
            section._sectPr.append(numbering)
        numbering.set(qn("w:start"), "1")


def _table(document: DocumentObject, headers: list[str] | None, widths: tuple[float, ...]) -> Table:
    """A centred table of fixed column widths in the template's Table Grid, with a shaded header row that repeats
    on every page (none without `headers`). Written as the XML python-docx writes for add_table() and those
    settings (see _row), in one parse."""
    from docx.oxml import parse_xml
    from docx.table import Table

    grid = "".join(f'<w:gridCol w:w="{_twips(width)}"/>' for width in widths)
    head = ""
    if headers is not None:
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{_twips(width)}"/>'
                        f'<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/></w:tcPr><w:p><w:pPr>'
                        f'<w:pStyle w:val="NoticeTableHead"/></w:pPr><w:r>{_run_text(writable(text))}</w:r></w:p></w:tc>'
                        for text, width in zip(headers, widths))
        head = f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>"
    tbl = parse_xml(f'<w:tbl {_W}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
                    '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" '
                    'w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
                    f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{head}</w:tbl>")
    document.element.body._insert_tbl(tbl)  # before the body's section properties, as add_table() puts it
    return Table(tbl, document._body)


def _row(table: Table, values: list[str | list[str]], widths: tuple[float, ...], centred: Iterable[int] = (),
         bold_first_line: Iterable[int] = (), *, label: bool = False, height: float | None = None,
         last_right: bool = False) -> None:
    """A row of cells that never splits across pages; a list value is several lines (paragraphs) of one cell.

    Written as the XML python-docx writes for table.add_row(), cell.width, paragraph styles, runs, bold and
    alignment (tests compare the documents byte for byte), in one parse: through python-docx's objects a row took
    half of a notice's time, and a notice has dozens. `label`: the receipt's rows, a heading cell and a value cell
    in 12 pt, its lines spaced 3 pt apart; `height` in cm; `last_right`: the last line at the right (the seal's
    date).
    """
    from docx.oxml import parse_xml

    centred, bold = set(centred), set(bold_first_line)
    parts = [f'<w:tr {_W}><w:trPr><w:cantSplit/>']
    if height is not None:
        parts.append(f'<w:trHeight w:val="{_twips(height)}"/>')
    parts.append("</w:trPr>")
    for index, (value, width) in enumerate(zip(values, widths)):
        middle = _MIDDLE if index in centred or (label and index == 0) else ""
        parts.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{_twips(width)}"/>{middle}</w:tcPr>')
        lines = value if isinstance(value, list) else [value]
        style = "NoticeTableHead" if label and index == 0 else "NoticeTable"
        for number, line in enumerate(lines):
            spacing = '<w:spacing w:before="60"/>' if label and index == 1 else ""
            if index in centred:
                align = '<w:jc w:val="center"/>'
            elif last_right and index == len(values) - 1 and number == len(lines) - 1:
                align = '<w:jc w:val="right"/>'
            else:
                align = ""
            strong = number == 0 and index in bold and len(lines) > 1
            run_props = ("<w:b/>" if strong else "") + ('<w:sz w:val="24"/>' if label else "")  # 12 pt
            parts.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{spacing}{align}</w:pPr><w:r>'
                         f'{f"<w:rPr>{run_props}</w:rPr>" if run_props else ""}{_run_text(writable(line))}</w:r></w:p>')
        parts.append("</w:tc>")
    parts.append("</w:tr>")
    table._tbl.append(parse_xml("".join(parts)))


_MIDDLE = '<w:vAlign w:val="center"/>'
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_BREAKS = re.compile(r"([\t\r\n])")


def _twips(cm: float) -> int:
    from docx.shared import Cm

    return Cm(cm).twips


def _run_text(text: str) -> str:
    """A run's content as python-docx writes it for `text`: a tab as <w:tab/>, a line break as <w:br/>, the rest
    in <w:t> elements, kept as written (xml:space) where they start or end with a space."""
    parts = []
    for piece in _BREAKS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else [text]:
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(parts)


# ---------------------------------------------------------------- the notice


def _notice(document: DocumentObject, notice: Notice) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    lang = notice.lang
    title = _para(document, T["title"](lang), "Notice Title")
    title.paragraph_format.space_after = Pt(12)
    _para(document, notice.number, "Notice Number").paragraph_format.space_after = Pt(12)
    _para(document, words.salutation(notice), "Notice Body").paragraph_format.first_line_indent = Pt(0)
    _para(document, words.intro(notice), "Notice Body")

    # 一、问题概况: every organization of the unit with its counts
    _para(document, T["summary"](lang), "Notice Heading")
    levels = list(notice.severities)
    headers = [T["no"](lang), T["org"](lang), T["org_type"](lang), *(T[s](lang) for s in levels), T["subtotal"](lang)]
    widths = _summary_widths(len(levels))
    table = _table(document, headers, widths)
    numeric = set(range(3, len(headers))) | {0}
    totals = dict.fromkeys(levels, 0)
    for number, org in enumerate(notice.orgs, 1):
        counts = [org.counts.get(s, 0) for s in levels]
        for level, count in zip(levels, counts):
            totals[level] += count
        _row(table, [str(number), words.org_label(org, lang), words.org_type(org.org_type, lang), *map(str, counts),
                     str(sum(counts))], widths, numeric)
    _row(table, ["", T["total"](lang), "", *(str(totals[s]) for s in levels), str(sum(totals.values()))], widths,
         numeric)

    # 二、问题清单: a table per organization
    _para(document, T["problems"](lang), "Notice Heading")
    _para(document, T["where_note"](lang), "Notice Note")
    headers = [T["no"](lang), T["severity"](lang), T["problem"](lang), T["where"](lang), T["basis"](lang),
               T["fix"](lang)]
    for position, org in enumerate(notice.problem_orgs, 1):
        heading = _para(document, words.org_heading(notice, position, org), "Notice Subheading")
        heading.paragraph_format.space_before = Pt(6)
        table = _table(document, headers, ITEM_COLUMNS_CM)
        for number, item in enumerate(org.items, 1):
            problem = [item.rule_title, *words.problem_lines(item.period, item.message, lang)]
            _row(table, [str(number), words.severity(item.severity, lang), problem, item.location or "—",
                         item.basis or "—", item.fix], ITEM_COLUMNS_CM, (0, 1), bold_first_line=(2,))

    # 三、整改要求, then the signature block at the right
    _para(document, T["requirements"](lang), "Notice Heading")
    for line in words.requirements(notice):
        _para(document, line, "Notice Body")
    signature = _para(document, None, "Notice Signature")
    signature.paragraph_format.space_before = Pt(LINE_PT * 2)
    signature.paragraph_format.right_indent = Pt(BODY_PT * 2)
    signature.paragraph_format.keep_with_next = True
    signature.add_run(T["issuer_seal"](lang))
    signature.add_run(writable(notice.issuer or "\u3000" * 8)).underline = notice.issuer is None
    dated = _para(document, None, "Notice Signature")
    dated.paragraph_format.right_indent = Pt(BODY_PT * 2)
    dated.add_run(writable(T["date"](lang) + words.issued_date(notice)))

    # 回执, on a page of its own
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _receipt(document, notice)


def _summary_widths(levels: int) -> tuple[float, ...]:
    fixed = (1.2, 2.4)  # 序号, 组织类型
    numbers = (1.4,) * (levels + 1)
    organization = TEXT_WIDTH_CM - sum(fixed) - sum(numbers)
    return (fixed[0], organization, fixed[1], *numbers)


def _receipt(document: DocumentObject, notice: Notice) -> None:
    from docx.shared import Pt

    lang = notice.lang
    _para(document, T["receipt"](lang), "Notice Receipt Title").paragraph_format.space_after = Pt(6)
    note = _para(document, words.receipt_note(notice), "Notice Number")
    note.paragraph_format.space_after = Pt(12)
    widths = (4.2, TEXT_WIDTH_CM - 4.2)
    table = _table(document, None, widths)
    seal = T["r_seal"](lang)
    rows: list[tuple[str, list[str], float | None]] = [
        (T["r_unit"](lang), [notice.unit], None),
        (T["r_number"](lang), [notice.number], None),
        (T["r_file"](lang), [notice.file], None),
        (T["r_count"](lang), [words.count_line(notice)], None),
        (T["r_done"](lang), [T["r_done_hint"](lang)], 9.0),
        (T["r_open"](lang), [""], 3.0),
        (T["r_head"](lang), [""], 1.5),
        (seal, ["", "", T["r_blank_date"](lang)], 3.0),
    ]
    for label, value, height in rows:
        _row(table, [[label], value], widths, label=True, height=height, last_right=label == seal)


# ---------------------------------------------------------------- documents


_STYLED: dict[Fonts, bytes] = {}


def _styled(fonts: Fonts) -> bytes:
    """python-docx's blank document with the notices' styles, saved once: adding the styles took a quarter of
    the time of writing a notice, and a scan writes thousands."""
    if fonts not in _STYLED:
        import docx

        document = docx.Document()
        _styles(document, fonts)
        # Parts of python-docx's template a notice does without: Word 2010's copy of the styles (stylesWithEffects,
        # 438 KB to compress into every notice; Word, WPS and LibreOffice read styles.xml) and a thumbnail of a
        # blank page. A notice is then a third smaller and quicker to write.
        # The template's list definitions go too (a notice has no lists; they name list styles pruned below).
        for rel_id, rel in list(document.part.rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/numbering")):
                document.part.drop_rel(rel_id)
        package = document.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                package.rels.pop(rel_id)
        _prune_styles(document.styles.element)
        buffer = io.BytesIO()
        document.save(buffer)
        _STYLED[fonts] = buffer.getvalue()
    return _STYLED[fonts]


def _prune_styles(styles: Any) -> None:
    """Only the styles a notice uses, with those they are based on, link to or are followed by, and the defaults.
    python-docx's template defines 175, most of them table styles (Light Shading - Accent 1 …): 354 KB of
    styles.xml parsed and compressed again for every notice. Word, WPS and LibreOffice still offer their built-in
    styles (the latent styles are kept), should an inspector edit a notice."""
    from docx.oxml.ns import qn

    by_id = {style.get(qn("w:styleId")): style for style in styles.iterchildren(qn("w:style"))}
    todo = [i for i, style in by_id.items()
            if i.startswith("Notice") or i in _KEPT_STYLES or style.get(qn("w:default")) in ("1", "true", "on")]
    kept: set[str] = set()
    while todo:
        style_id = todo.pop()
        if style_id in kept or style_id not in by_id:
            continue
        kept.add(style_id)
        for tag in ("w:basedOn", "w:link", "w:next"):
            found = by_id[style_id].find(qn(tag))
            if found is not None:
                todo.append(found.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in kept:
            styles.remove(style)


_KEPT_STYLES = ("TableGrid", "Header", "Footer")  # the tables' grid (_table), and what the page parts name


def document_for(notices: Iterable[Notice], fonts: Fonts = FONTS) -> DocumentObject:
    """One Word document with each notice in a section of its own (new page, page numbers from 1)."""
    docx = require_docx()
    from docx.enum.section import WD_SECTION

    document = docx.Document(io.BytesIO(_styled(fonts)))
    first = True
    title, issued = None, None
    for notice in notices:
        section = document.sections[0] if first else document.add_section(WD_SECTION.NEW_PAGE)
        _page(section)
        _page_numbers(section, restart=not first)
        _notice(document, notice)
        if first:
            title = f"{T['title'](notice.lang)} {notice.number} {notice.unit}"
            issued = dt.datetime.combine(notice.issued, dt.time(9))
        first = False
    if first:  # no notice: an empty A4 page
        _page(document.sections[0])
    properties = document.core_properties
    title = writable(title or T["title"]("zh"))
    # The package's properties hold at most 255 characters (python-docx refuses more); a unit's name may be longer.
    properties.title = title if len(title) <= TITLE_LIMIT else title[:TITLE_LIMIT - 1] + "…"
    properties.author = "ledgercheck"
    properties.last_modified_by = "ledgercheck"
    properties.language = "zh-CN"
    properties.comments = ""
    if issued is not None:
        properties.created = properties.modified = issued
    return document


def write_docx(notices: Iterable[Notice], out: IO[bytes], fonts: Fonts = FONTS) -> None:
    """The notices as one .docx written to a binary stream."""
    document_for(notices, fonts).save(out)


def write(value: Iterable[Notice], out: IO[bytes], options: Any = None) -> None:
    """Registry entry (subject "notice", format "docx"): every notice of a batch in one document, a notice per
    section. `value` is any iterable of Notice, e.g. findings/scan/notices.py ScanNotices."""
    write_docx(value, out)
