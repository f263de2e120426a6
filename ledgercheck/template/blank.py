"""A blank ledger workbook in the canonical layout, for secretaries to fill in by hand in Excel or WPS.

Everything comes from layout.SHEETS, the one description of the ledger: sheet and column names,
drop-down lists from ENUMS, cell formats by field type, and the instructions sheet (填表说明), which
expands each field's note with its format and choices. openpyxl is used for writing only.
"""

from __future__ import annotations

from pathlib import Path

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.model.schema import ENUMS, NOTE_SHEETS, SHEETS, FieldSpec, FieldType, SheetSpec

INSTRUCTIONS = NOTE_SHEETS[0]  # 填表说明: the loader passes over it
DATA_ROWS = 10_000  # rows below the header that get the drop-downs (column formats cover every row)
FIRST, LAST = 2, DATA_ROWS + 1

HEADER_FILL = "DDEBF7"  # optional columns: light blue
REQUIRED_FILL = "F8CBAD"  # required columns: light orange
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"

# How each type is written, for the header comments and the instructions sheet.
FORMATS: dict[FieldType, str] = {
    FieldType.TEXT: "文字",
    FieldType.NAME: "姓名",
    FieldType.INT: "整数，如 3",
    FieldType.NUMBER: "数字，如 12.5（不写单位）",
    FieldType.DATE: "日期，如 2024-03-05（也可写 2024/3/5 或 2024年3月5日）",
    FieldType.MONTH: "月份，如 2025-03 或 2025年3月",
    FieldType.YEAR: "年份，如 2025",
    FieldType.ID_NUMBER: "18位身份证号（本列已设为文本格式，请勿改成数字格式）",
    FieldType.PHONE: "手机号或带区号的座机号（文本格式）",
    FieldType.NAMES: "一个或多个姓名，用顿号（、）分隔",
    FieldType.ENUM: "从下拉列表中选择",
    FieldType.ENUMS: "从下拉列表中选择；一次活动兼有几种类型时手工输入，用顿号（、）分隔",
    FieldType.REF: "组织编号（与「组织」表一致，也可从下拉列表选择）",
}

# Columns kept as text so that Excel does not turn 18-digit IDs into 4.2E+17 or org 001 into 1.
TEXT_COLUMNS = {FieldType.ID_NUMBER, FieldType.PHONE, FieldType.REF}
TEXT_KEYS = {"org_id", "parent_id"}

WIDTHS: dict[FieldType, int] = {FieldType.DATE: 13, FieldType.MONTH: 11, FieldType.ID_NUMBER: 21,
                                FieldType.PHONE: 14, FieldType.NAMES: 18, FieldType.ENUMS: 20}
WIDE_KEYS = {"name": 22, "topic": 32, "party_post": 14}

GENERAL = (
    "填表说明",
    "1. 每个工作表的第一行是表头，请不要修改表头文字和工作表名称；可以在右侧增加自己的列，检查时会忽略。",
    "2. 表头注明「（*必填）」的列必须填写（橙色），其余列选填（蓝色）；鼠标移到表头上可以看到该列的填写要求。",
    "3. 一行只写一条记录（一名党员、一次会议、一个月的党费），不要合并单元格，不要插入小计行。"
    "各表第2行是灰色的填写示例（第一格以「示例：」开头），检查时不读入，照着填好后可以删除。",
    "4. 日期可以写 2024-03-05、2024/3/5 或 2024年3月5日；带下拉箭头的列请从列表中选择。",
    "5. 「组织编号」是各表之间的纽带：先在「组织」表中为每个党组织编号（如 D01、B01），其他表按编号填写所属组织。",
    "6. 换届选举、发展党员、学习培训三张表选填，没有数据可以保留空表。",
    "7. 填好后在检查网页上传本工作簿即可检查，网页上还可以下载标注了问题单元格的副本；"
    "使用命令行的，运行 ledgercheck audit 台账.xlsx（加 --annotate 台账-检查结果.xlsx 写出标注副本）。",
    "8. 本工作表（填表说明）不参与检查，可以保留。",
)
TABLE_HEADER = ("工作表", "列名", "英文列名", "必填", "填写格式", "可选值", "说明")


REQUIRED_MARK = Text("（*必填）", " (*required)")  # in the header text: the colour is lost in black-and-white print
FORMATS_EN: dict[FieldType, str] = {
    FieldType.TEXT: "text", FieldType.NAME: "a name", FieldType.INT: "a whole number, e.g. 3",
    FieldType.NUMBER: "a number, e.g. 12.5 (no unit)",
    FieldType.DATE: "a date, e.g. 2024-03-05 (2024/3/5 works too)", FieldType.MONTH: "a month, e.g. 2025-03",
    FieldType.YEAR: "a year, e.g. 2025",
    FieldType.ID_NUMBER: "an 18-character ID number (the column is text: keep it so)",
    FieldType.PHONE: "a mobile, or a landline with its area code (text)",
    FieldType.NAMES: "one or more names separated by 、", FieldType.ENUM: "choose from the list",
    FieldType.ENUMS: "choose from the list; a joint activity lists several, separated by 、",
    FieldType.REF: "an organization ID from the organizations sheet (or choose from the list)",
}


def header_text(field: FieldSpec, lang: Lang = "zh") -> str:
    """The header as the template writes it: the field's name, with 「（*必填）」 on a required one."""
    name = field.en if lang == "en" else field.header
    return name + (REQUIRED_MARK(lang) if field.required else "")


def sheet_title(spec: SheetSpec, lang: Lang = "zh") -> str:
    return spec.en if lang == "en" else spec.title


def field_help(spec: FieldSpec, lang: Lang = "zh") -> str:
    """One paragraph on how to fill a column: required, format, choices, the layout's note."""
    if lang == "en":
        parts = ["Required. " if spec.required else "Optional. ", FORMATS_EN[spec.type] + "."]
        if spec.enum:
            parts.append(" Choices: " + ", ".join(ENUMS[spec.enum]) + ".")
        return "".join(parts)
    return _field_help_zh(spec)


def _field_help_zh(spec: FieldSpec) -> str:
    """One paragraph on how to fill a column: required, format, choices, the layout's note."""
    parts = ["必填。" if spec.required else "选填。", FORMATS[spec.type] + "。"]
    if spec.enum:
        parts.append("可选值：" + "、".join(ENUMS[spec.enum]) + "。")
    if spec.note and not _restates(spec, parts[1]):
        parts.append(spec.note + "。")
    return "".join(parts)


def _restates(spec: FieldSpec, format_text: str) -> bool:
    """Whether the layout's note only repeats the format line (「18位，请设置为文本格式」 beside 「本列已设为文本格式」):
    a comment saying the same thing twice, differently, reads as a contradiction."""
    if spec.type in (FieldType.ID_NUMBER, FieldType.MONTH):
        return True
    return "分隔" in spec.note and "分隔" in format_text


def write_template(path: Path, lang: Lang = "zh") -> Path:
    """Write the blank template to `path` (.xlsx), in Chinese or English; returns `path`."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        raise UsageError(Text("模板文件名应以 .xlsx 结尾", "the template file name should end in .xlsx"),
                         None, str(path))
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _instructions(book.create_sheet(INSTRUCTIONS if lang == "zh" else NOTE_SHEETS[1]), lang)
    for spec in SHEETS:
        _data_sheet(book.create_sheet(sheet_title(spec, lang)), spec, lang)
    book.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        book.save(path)
    except OSError as exc:
        raise UsageError(Text("无法写入模板文件（文件是否正在 Excel/WPS 中打开？）",
                              "cannot write the template (is it open in Excel or WPS?)"), None,
                         f"{path}: {exc.strerror or exc}") from None
    return path


def _data_sheet(sheet, spec: SheetSpec, lang: Lang = "zh") -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="9BC2E6")
    unlocked = Protection(locked=False)
    for column, field in enumerate(spec.fields, start=1):
        letter = get_column_letter(column)
        text = header_text(field, lang)
        cell = sheet.cell(1, column, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if field.required else HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=thin, right=thin)
        other = field.en if lang == "zh" else field.header
        comment = Comment(f"{field.en if lang == 'en' else field.header}（{other}）\n{field_help(field, lang)}",
                          "ledgercheck")
        comment.width, comment.height = 260, 110
        cell.comment = comment
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(WIDE_KEYS.get(field.key, 0), WIDTHS.get(field.type, 0), _width(text) + 4)
        number_format = _number_format(field)
        if number_format:
            # A column style: Excel and WPS apply it to every cell typed into the column.
            dimension.number_format = number_format
        dimension.protection = unlocked  # typing goes anywhere below the header
        _validation(sheet, field, letter, lang)
    for column in range(len(spec.fields) + 1, EXTRA_COLUMNS + 1):  # the secretary's own columns to the right
        sheet.column_dimensions[get_column_letter(column)].protection = unlocked
    _example_row(sheet, spec, lang)
    _protect_header(sheet)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_landscape(sheet)
    sheet.row_dimensions[1].height = 30
    sheet.sheet_properties.tabColor = "C00000" if not spec.optional else "9BC2E6"


# One filled-in row per sheet, right under the header, showing how a real record is written. Its first cell starts
# 「示例：」 (Example: ): the loader passes over such rows (INPUT-EXAMPLE-ROW), so a kept example is never audited.
EXAMPLES: dict[str, dict[str, object]] = {
    "orgs": {"org_id": "D01", "name": "机关第一党支部", "org_type": "党支部", "parent_id": "W01",
             "established": "2015-06-01", "elected_on": "2024-06-20", "term_years": 3, "secretary": "张三",
             "committee_size": 5},
    "members": {"name": "张三", "id_number": "11010519491231002X", "gender": "男", "birth_date": "1980-05-12",
                "org_id": "D01", "group": "第一党小组", "member_kind": "正式党员", "joined_on": "2005-07-01",
                "full_on": "2006-07-01", "party_post": "书记", "person_kind": "在职", "status": "正常",
                "member_no": "0001", "phone": "13800138000"},
    "meetings": {"org_id": "D01", "kind": "支部委员会", "date": "2025-03-05", "host": "张三", "recorder": "李四",
                 "expected": 5, "present": 5, "topic": "研究部署2025年党建工作"},
    "dues": {"name": "张三", "id_number": "11010519491231002X", "org_id": "D01", "month": "2025-03", "base": 8000,
             "due": 80, "paid": 80, "paid_on": "2025-03-10"},
    "elections": {"org_id": "D01", "date": "2024-06-20", "eligible": 30, "present": 28, "seats": 5, "candidates": 6,
                  "approved_on": "2024-06-28"},
    "recruits": {"name": "王五", "birth_date": "1995-08-20", "org_id": "D01", "applied_on": "2023-03-01",
                 "talked_on": "2023-03-20", "activist_on": "2023-05-10", "candidate_on": "2024-05-15",
                 "training_hours": 24, "admitted_on": "2024-07-01", "approved_on": "2024-07-20",
                 "sponsors": "张三、李四"},
    "training": {"name": "张三", "year": 2025, "hours": 32, "org_id": "D01"},
}
EXAMPLE_MARK = Text("示例：", "Example: ")


def _example_row(sheet, spec: SheetSpec, lang: Lang) -> None:
    """Row 2: the sheet's example record, grey and italic, its first cell marked 「示例：」 with a comment."""
    import datetime as dt

    from openpyxl.comments import Comment
    from openpyxl.styles import Font, Protection

    values = EXAMPLES[spec.key]
    grey = Font(italic=True, color="808080")
    for column, field in enumerate(spec.fields, start=1):
        value = values.get(field.key)
        if isinstance(value, str) and field.type is FieldType.DATE:
            value = dt.date.fromisoformat(value)
        if column == 1:
            value = EXAMPLE_MARK(lang) + str(value or "")
        if value is None:
            continue
        cell = sheet.cell(FIRST, column, value)
        cell.font = grey
        cell.protection = Protection(locked=False)  # a styled cell is locked by default: it must stay editable
        number_format = _number_format(field)
        if number_format:
            cell.number_format = number_format
    note = Text("这一行是填写示例，检查时不读入；照它的样子从下一行起填写，填好后可以删除这一行。",
                "This row is an example and is not audited: fill in your records below it the same way, "
                "then delete it.")
    sheet.cell(FIRST, 1).comment = Comment(note(lang), "ledgercheck", width=260, height=80)


EXTRA_COLUMNS = 60  # columns open to typing: the template's and the secretary's own to their right


def _width(text: str) -> int:
    """Display columns: a CJK character takes two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _protect_header(sheet) -> None:
    """Only the header row is locked (no password): the headers the audit reads cannot be changed by a slip, and
    everything else — typing, rows, sorting, filtering, formats — stays free."""
    protection = sheet.protection
    protection.sheet = True
    protection.insertRows = protection.deleteRows = False  # False: allowed (openpyxl's inverted flags)
    protection.formatCells = protection.formatColumns = protection.formatRows = False
    protection.sort = protection.autoFilter = False
    protection.insertColumns = True  # a new column would shift the header under the lock


def _number_format(field: FieldSpec) -> str | None:
    if field.type in TEXT_COLUMNS or field.key in TEXT_KEYS:
        return TEXT_FORMAT
    if field.type is FieldType.DATE:
        return DATE_FORMAT
    if field.type is FieldType.MONTH:
        return MONTH_FORMAT
    return None


def _validation(sheet, field: FieldSpec, letter: str, lang: Lang = "zh") -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    name = field.en if lang == "en" else field.header
    prompt = FORMATS_EN[field.type] if lang == "en" else FORMATS[field.type]
    if field.type in (FieldType.DATE, FieldType.INT, FieldType.YEAR):
        # Dates between 1900 and 2099, whole non-negative counts and four-digit years; a warning, since text
        # dates (2024年3月5日) are read too.
        if field.type is FieldType.DATE:
            checked = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                                     formula2="DATE(2099,12,31)")
            error = Text("请填写日期，如 2024-03-05", "enter a date, e.g. 2024-03-05")
        elif field.type is FieldType.YEAR:
            checked = DataValidation(type="whole", operator="between", formula1="1900", formula2="2099")
            error = Text("请填写四位年份，如 2025", "enter a four-digit year, e.g. 2025")
        else:
            checked = DataValidation(type="whole", operator="between", formula1="0", formula2="100000")
            error = Text("请填写不小于0的整数", "enter a whole number, 0 or more")
        checked.allow_blank, checked.showErrorMessage, checked.errorStyle = True, True, "warning"
        checked.errorTitle, checked.error = name, error(lang)
        checked.showInputMessage, checked.promptTitle, checked.prompt = True, name, prompt
        sheet.add_data_validation(checked)
        checked.add(f"{letter}{FIRST}:{letter}{LAST}")
        return
    if field.enum:
        formula = '"' + ",".join(ENUMS[field.enum]) + '"'
        # A joint record lists several kinds (组织生活会、民主评议党员): warn, don't forbid.
        strict = field.type is FieldType.ENUM
    elif field.type is FieldType.REF:
        formula = f"{_quoted(sheet_title(SHEETS[0], lang))}!$A${FIRST}:$A${LAST}"
        strict = False  # an organization may be named instead of numbered
    else:
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                                showErrorMessage=True, errorStyle="stop" if strict else "warning",
                                errorTitle=name, error=(f"choose {name} from the list" if lang == "en"
                                                        else f"请从下拉列表中选择{name}"),
                                showInputMessage=True, promptTitle=name, prompt=prompt)
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{FIRST}:{letter}{LAST}")


def _quoted(sheet_name: str) -> str:
    return "'" + sheet_name.replace("'", "''") + "'"


GENERAL_EN = (
    "Instructions",
    "1. The first row of each sheet is its header: do not change the headers or the sheet names. You may add "
    "columns of your own to the right; the audit passes over them.",
    "2. Columns marked (*required) must be filled in; hover over a header to see how to fill its column.",
    "3. One record per row (a member, a meeting, a month of dues): no merged cells, no subtotal rows. Row 2 of "
    "each sheet is a grey example (its first cell starts Example: ): it is not audited; delete it once you have "
    "followed it.",
    "4. Dates as 2024-03-05 or 2024/3/5; choose from the list where a column has a drop-down arrow.",
    "5. The organization ID links the sheets: number each Party organization in the organizations sheet first "
    "(D01, B01 …), then use those IDs elsewhere.",
    "6. The elections, recruits and training sheets are optional: leave them empty when there is nothing to record.",
    "7. Then upload this workbook on the checking web page, which also offers a marked-up copy; on the command "
    "line, run ledgercheck audit ledger.xlsx (with --annotate checked.xlsx for a marked-up copy).",
    "8. This sheet is not audited and may stay.",
)
TABLE_HEADER_EN = ("sheet", "column", "Chinese column", "required", "format", "choices", "notes")


def _instructions(sheet, lang: Lang = "zh") -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    general = GENERAL_EN if lang == "en" else GENERAL
    sheet.cell(1, 1, general[0]).font = Font(bold=True, size=14)
    for row, line in enumerate(general[1:], start=2):
        sheet.cell(row, 1, line)
    header_row = len(general) + 2
    for column, title in enumerate(TABLE_HEADER_EN if lang == "en" else TABLE_HEADER, start=1):
        cell = sheet.cell(header_row, column, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrapped = Alignment(wrap_text=True, vertical="top")
    row = header_row + 1
    for spec in SHEETS:
        optional = "" if not spec.optional else (" (optional)" if lang == "en" else "（选填）")
        other = spec.title if lang == "en" else spec.en
        cell = sheet.cell(row, 1, f"{sheet_title(spec, lang)}（{other}）{optional}")
        cell.font = Font(bold=True)
        sheet.cell(row, 7, spec.note).alignment = wrapped
        row += 1
        for field in spec.fields:
            if lang == "en":
                values = (spec.en, header_text(field, lang), field.header, "yes" if field.required else "",
                          FORMATS_EN[field.type], ", ".join(ENUMS[field.enum]) if field.enum else "", field.note)
            else:
                values = (spec.title, header_text(field, lang), field.en, "是" if field.required else "",
                          FORMATS[field.type], "、".join(ENUMS[field.enum]) if field.enum else "", field.note)
            for column, value in enumerate(values, start=1):
                sheet.cell(row, column, value).alignment = wrapped
            row += 1
    for letter, width in zip("ABCDEFG", (14, 22, 18, 7, 36, 30, 40)):
        sheet.column_dimensions[letter].width = width
    # Only the table's header row is frozen (the general notes above it scroll away).
    sheet.freeze_panes = None
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _print_landscape(sheet)


def _print_landscape(sheet) -> None:
    """Printed on landscape pages as wide as the columns: secretaries file paper copies."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
