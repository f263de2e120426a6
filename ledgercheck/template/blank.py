"""A blank ledger workbook in the canonical layout, for secretaries to fill in by hand in Excel or WPS.

Everything comes from layout.SHEETS, the one description of the ledger: sheet and column names,
drop-down lists from ENUMS, cell formats by field type, and the instructions sheet (填表说明), which
expands each field's note with its format and choices. openpyxl is used for writing only.
"""

from __future__ import annotations

from pathlib import Path

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text
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
    "2. 表头为橙色的列必须填写，蓝色的列选填；鼠标移到表头上可以看到该列的填写要求。",
    "3. 一行只写一条记录（一名党员、一次会议、一个月的党费），不要合并单元格，不要插入小计行。",
    "4. 日期可以写 2024-03-05、2024/3/5 或 2024年3月5日；带下拉箭头的列请从列表中选择。",
    "5. 「组织编号」是各表之间的纽带：先在「组织」表中为每个党组织编号（如 D01、B01），其他表按编号填写所属组织。",
    "6. 换届选举、发展党员、学习培训三张表选填，没有数据可以保留空表。",
    "7. 填好后在命令行运行：ledgercheck audit 台账.xlsx；"
    "需要标注问题单元格的副本时运行：ledgercheck audit 台账.xlsx --annotate 台账-检查结果.xlsx。",
    "8. 本工作表（填表说明）不参与检查，可以保留。",
)
TABLE_HEADER = ("工作表", "列名", "英文列名", "必填", "填写格式", "可选值", "说明")


def field_help(spec: FieldSpec) -> str:
    """One paragraph on how to fill a column: required, format, choices, the layout's note."""
    parts = ["必填。" if spec.required else "选填。", FORMATS[spec.type] + "。"]
    if spec.enum:
        parts.append("可选值：" + "、".join(ENUMS[spec.enum]) + "。")
    if spec.note:
        parts.append(spec.note + "。")
    return "".join(parts)


def write_template(path: Path) -> Path:
    """Write the blank template to `path` (.xlsx); returns `path`."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        raise UsageError(Text("模板文件名应以 .xlsx 结尾", "the template file name should end in .xlsx"),
                         None, str(path))
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _instructions(book.create_sheet(INSTRUCTIONS))
    for spec in SHEETS:
        _data_sheet(book.create_sheet(spec.title), spec)
    book.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        book.save(path)
    except OSError as exc:
        raise UsageError(Text("无法写入模板文件（文件是否正在 Excel/WPS 中打开？）",
                              "cannot write the template (is it open in Excel or WPS?)"), None,
                         f"{path}: {exc.strerror or exc}") from None
    return path


def _data_sheet(sheet, spec: SheetSpec) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="9BC2E6")
    for column, field in enumerate(spec.fields, start=1):
        letter = get_column_letter(column)
        cell = sheet.cell(1, column, field.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if field.required else HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=thin, right=thin)
        comment = Comment(f"{field.header}（{field.en}）\n{field_help(field)}", "ledgercheck")
        comment.width, comment.height = 260, 110
        cell.comment = comment
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(WIDE_KEYS.get(field.key, 0), WIDTHS.get(field.type, 0), 2 * len(field.header) + 4)
        number_format = _number_format(field)
        if number_format:
            # A column style: Excel and WPS apply it to every cell typed into the column.
            dimension.number_format = number_format
        _validation(sheet, field, letter)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_landscape(sheet)
    sheet.row_dimensions[1].height = 30
    sheet.sheet_properties.tabColor = "C00000" if not spec.optional else "9BC2E6"


def _number_format(field: FieldSpec) -> str | None:
    if field.type in TEXT_COLUMNS or field.key in TEXT_KEYS:
        return TEXT_FORMAT
    if field.type is FieldType.DATE:
        return DATE_FORMAT
    if field.type is FieldType.MONTH:
        return MONTH_FORMAT
    return None


def _validation(sheet, field: FieldSpec, letter: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if field.enum:
        formula = '"' + ",".join(ENUMS[field.enum]) + '"'
        # A joint record lists several kinds (组织生活会、民主评议党员): warn, don't forbid.
        strict = field.type is FieldType.ENUM
    elif field.type is FieldType.REF:
        formula = f"{_quoted(SHEETS[0].title)}!$A${FIRST}:$A${LAST}"
        strict = False  # an organization may be named instead of numbered
    else:
        return
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                                showErrorMessage=True, errorStyle="stop" if strict else "warning",
                                errorTitle=field.header, error=f"请从下拉列表中选择{field.header}",
                                showInputMessage=True, promptTitle=field.header, prompt=FORMATS[field.type])
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{FIRST}:{letter}{LAST}")


def _quoted(sheet_name: str) -> str:
    return "'" + sheet_name.replace("'", "''") + "'"


def _instructions(sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.cell(1, 1, GENERAL[0]).font = Font(bold=True, size=14)
    for row, line in enumerate(GENERAL[1:], start=2):
        sheet.cell(row, 1, line)
    header_row = len(GENERAL) + 2
    for column, title in enumerate(TABLE_HEADER, start=1):
        cell = sheet.cell(header_row, column, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    row = header_row + 1
    for spec in SHEETS:
        cell = sheet.cell(row, 1, f"{spec.title}（{spec.en}）{'' if not spec.optional else '（选填）'}")
        cell.font = Font(bold=True)
        sheet.cell(row, 7, spec.note)
        row += 1
        for field in spec.fields:
            values = (spec.title, field.header, field.en, "是" if field.required else "", FORMATS[field.type],
                      "、".join(ENUMS[field.enum]) if field.enum else "", field.note)
            for column, value in enumerate(values, start=1):
                sheet.cell(row, column, value).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    for letter, width in zip("ABCDEFG", (12, 16, 16, 6, 36, 30, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    _print_landscape(sheet)


def _print_landscape(sheet) -> None:
    """Printed on landscape pages as wide as the columns: secretaries file paper copies."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
