"""Input issues: a cell or row the loader could not read, reported with its location."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ledgercheck.common.i18n import Front, Lang, Text, render
from ledgercheck.common.location import Location

# code → message template. Placeholders are filled from the issue's params.
CATALOG: dict[str, Text] = {
    "INPUT-BAD-DATE": Text("「{column}」无法识别为日期：{value}（可写作 2024-03-05、2024/3/5、2024年3月5日）",
                           "{column}: cannot read {value} as a date (write 2024-03-05, 2024/3/5 or 2024年3月5日)"),
    "INPUT-TWO-DIGIT-YEAR": Text("「{column}」的年份只写了两位：{value}（是19xx年还是20xx年？），无法读取",
                                 "{column}: the year of {value} has two digits (19xx or 20xx?) and cannot be read"),
    "INPUT-NEED-DAY": Text("「{column}」需要具体到日：{value}", "{column}: needs a full date with the day: {value}"),
    "INPUT-DATE-NO-YEAR": Text("「{column}」没有写年份：{value}（请写明年份，如 2025年3月5日；整张表是同一年的，也可以在表头上方"
                               "的标题或表名中写明年份，如「2025年组织生活记录」）",
                               "{column}: {value} has no year (write it, as in 2025年3月5日; or, when the whole sheet "
                               "is one year's, give the year in a title above the header or in the sheet's name)"),
    "INPUT-ATTENDANCE-PAIR": Text("「{column}」有{count}行同时写了实到和应到人数（如 7/8、应到8人，实到7人；{rows}）：分别读作"
                                  "实到人数和「{expected}」（「{expected}」列已填写的，以该列为准）",
                                  "{column}: {count} rows give the counts present and expected together (such as 7/8 "
                                  "or 应到8人，实到7人; {rows}): read as the count present and {expected} (where "
                                  "{expected} has its own value, that one)"),
    "INPUT-DUES-SPAN": Text("{rows}一次交纳了几个月的党费（共{count}行，如 2025年1-3月、第一季度）：按每月一行读入，"
                            "金额平均分到各月",
                            "{rows}: each pays for several months at once ({count} rows, such as 2025年1-3月 or a "
                            "quarter); read as one row a month, the amounts shared equally"),
    "INPUT-YEAR-FROM-TITLE": Text("「{column}」有{count}个日期没有写年份，按{source}中的{year}年读入",
                                  "{column}: {count} dates have no year and were read in {year}, the year of the "
                                  "sheet's {source}"),
    "INPUT-BAD-MONTH": Text("「{column}」无法识别为月份：{value}（可写作 2024-03 或 2024年3月）",
                            "{column}: cannot read {value} as a month (write 2024-03 or 2024年3月)"),
    "INPUT-BAD-NUMBER": Text("「{column}」不是数字：{value}", "{column}: not a number: {value}"),
    "INPUT-OUT-OF-RANGE": Text("「{column}」的值 {value} 不在合理范围内（{low}～{high}）",
                               "{column}: {value} is outside the plausible range {low} to {high}"),
    "INPUT-BAD-YEAR": Text("「{column}」不是年份：{value}", "{column}: not a year: {value}"),
    "INPUT-BAD-VALUE": Text("「{column}」的值「{value}」不在可选范围内（{choices}）",
                            "{column}: {value} is not one of {choices}"),
    "INPUT-ID-AS-NUMBER": Text("「{column}」被存成了数字，末几位已经丢失；请把该列设为文本格式后重新录入",
                               "{column}: the ID number was stored as a number and lost its last digits; "
                               "format the column as text and enter it again"),
    "INPUT-MISSING-REQUIRED": Text("缺少必填项「{column}」，该行未读入", "missing required {column}; the row was not read"),
    "INPUT-MISSING-COLUMN": Text("工作表缺少必需的列「{column}」，整张表未读入（{rows}行）；表头为：{headers}",
                                 "the sheet lacks the required column {column}; none of its {rows} rows was read "
                                 "(its headers: {headers})"),
    "INPUT-NO-HEADER": Text("找不到表头行（前{scanned}行中没有可识别的列名），整张表未读入（{rows}行）",
                            "no header row found in the first {scanned} rows; none of its {rows} rows was read"),
    "INPUT-DUPLICATE-COLUMN": Text("{columns}都像「{field}」，读取{kept}，其余未读入",
                                   "{columns} all look like {field}; {kept} is read, the others are not"),
    "INPUT-UNKNOWN-COLUMN": Text("未识别的列「{column}」，未读入{nearest}；如它是台账的一项，可用别名文件指明（见 "
                                 "ledgercheck inspect）",
                                 "column {column} is not recognized and was not read{nearest}; if it belongs to the "
                                 "ledger, name it in an alias file (see ledgercheck inspect)"),
    "INPUT-COLUMN-BY-VALUES": Text("「{column}」按其取值（{samples}）读作「{field}」（表头所指：{header_field}）",
                                   "{column} is read as {field} by its values ({samples}; the header suggests "
                                   "{header_field})"),
    "INPUT-COLUMN-CONTRADICTED": Text("「{column}」的表头像「{field}」，但取值（{samples}）不是，未读入",
                                      "{column} looks like {field} by its header, but its values ({samples}) are "
                                      "not; it was not read"),
    "INPUT-ALIAS-SHADOWED": Text("别名「{value}」指向{field}，取代了内置别名（{builtin}）",
                                 "the alias {value} points to {field}, in place of the built-in {builtin}"),
    "INPUT-INFERRED-MEMBER-KIND": Text("没有「党员类别」列：按「转正日期」推断，已填写的为正式党员，空白的为预备党员",
                                       "no member-kind column: inferred from the full-membership date (filled: full "
                                       "member; blank: probationary)"),
    "INPUT-ORG-INFERRED": Text("没有组织列：各行都按本台账唯一的组织「{value}」读入",
                               "no organization column: every row is read as belonging to the ledger's one "
                               "organization, {value}"),
    "INPUT-ORG-BY-SHEET-NAME": Text("没有组织列：按工作表名称，各行都属于「{value}」",
                                    "no organization column: by the sheet's name, every row is {value}'s"),
    "INPUT-FORM-SHEET": Text("按表单读入（每项名称右侧是它的内容）：{count}条「{sheet}」记录",
                             "read as a form (each item's value beside its name): {count} record(s) of the {sheet} "
                             "sheet"),
    "INPUT-FORM-TEXT": Text("表单中{count}行的文字未读入（{rows}）：不在任何一项名称的右侧，或是一次记录中第二次出现的同一项",
                            "{count} row(s) of the form not read ({rows}): text beside no item's name, or an item "
                            "given a second time in one record"),
    "INPUT-ORG-BY-TITLE": Text("没有组织列：按表格标题，各行都属于「{value}」",
                               "no organization column: by the sheet's title, every row is {value}'s"),
    "INPUT-PRESENT-FROM-NAMES": Text("「{column}」是名单：按人数读作{present}（共{count}行：{rows}）；写“全体党员”的按应到人数",
                                     "{column} lists names: read as {present} by their count ({count} row(s): {rows}); "
                                     "“全体党员” (everyone) as the expected count"),
    "INPUT-YEAR-ONLY": Text("「{column}」只写了年份（共{count}行：{rows}）：按该年中的某一天读入，依日期判断的规定只在全年"
                            "哪一天都不符合时才报告",
                            "{column} gives the year alone ({count} row(s): {rows}): read as some day of that year; a "
                            "rule that depends on the day reports only what holds for every day of it"),
    "INPUT-KIND-WITHIN-TEXT": Text("「{column}」写的是会议名称，按其中写明的类型读入：如「{example}」读作「{value}」"
                                   "（共{count}行：{rows}）",
                                   "{column} names meetings, read as the kind each names: {example} as a {value}, and so "
                                   "on ({count} row(s): {rows})"),
    "INPUT-KIND-BY-TITLE": Text("没有「活动类型」列：按表格标题，各行都是「{value}」",
                                "no meeting-kind column: by the sheet's title, every row is a {value}"),
    "INPUT-KIND-BY-SHEET-NAME": Text("没有「活动类型」列：按工作表名称，各行都是「{value}」",
                                     "no meeting-kind column: by the sheet's name, every row is a {value}"),
    "INPUT-ORG-ID-ZEROS": Text("组织编号按数值对应「组织」表（{value}，共{count}行）：有的表中编号前面的0丢了",
                               "organization IDs matched to the organizations sheet by their value ({value}, {count} "
                               "rows): one sheet lost the leading zeros"),
    "INPUT-ORG-BY-SECTION": Text("没有组织列：按分组标题行（第{rows}行：{value}……）确定其下各行所属的组织",
                                 "no organization column: each row belongs to the organization of the heading row "
                                 "above it (rows {rows}: {value} …)"),
    "INPUT-ORG-FROM-TITLE": Text("没有「组织」表：按{source}，本台账属于「{value}」；如不对，请用 --org 指明",
                                 "no organizations sheet: by {source}, the ledger is {value}'s; if not, name the "
                                 "organization with --org"),
    "INPUT-ORG-OPTION-UNKNOWN": Text("没有组织列，而 --org 指定的「{value}」不在「组织」表中（表中有：{orgs}），整张表未读入"
                                     "（{rows}行）",
                                     "no organization column, and {value} (--org) is not in the organizations sheet "
                                     "(it lists {orgs}); none of the sheet's {rows} rows was read"),
    "INPUT-ORG-FROM-OPTION": Text("没有「组织」表：按 --org 把「{value}」作为本台账的党支部",
                                  "no organizations sheet: {value} (--org) is taken as the ledger's branch"),
    "INPUT-TOTAL-ROW": Text("第{rows}行是合计行，不是记录，未读入", "row(s) {rows}: a total row, not a record; not read"),
    "INPUT-DUES-TICKS": Text("党费按月分列，但各月填的是勾选标记（{value}），不是金额（{rows}），整张表{count}行未读入，"
                             "党费规则未检查",
                             "dues in a column per month, but the months hold ticks ({value}), not amounts ({rows}): "
                             "the sheet's {count} rows were not read, and the dues rules not run"),
    "INPUT-NO-CONTENT-ROW": Text("{count}行只在不读入的列（{columns}）中有内容，没有台账内容（{rows}），未读入",
                                 "{count} row(s) hold something only in columns that are not read ({columns}), nothing "
                                 "of the ledger ({rows}); not read"),
    "INPUT-FOOTER-ROW": Text("第{rows}行是表尾的签字栏或说明（{text}），不是记录，未读入",
                             "row(s) {rows}: the sheet's sign-off or notes ({text}), not a record; not read"),
    "INPUT-EXAMPLE-ROW": Text("第{rows}行是填写示例，不是记录，未读入", "row(s) {rows}: the filling example, not a record; "
                              "not read"),
    "INPUT-UNKNOWN-MEMBER-NO": Text("党员编号「{value}」在「党员」表中不存在（{count}行：第{rows}行），未读入",
                                    "member number {value} is not in the members sheet ({count} rows: {rows}); "
                                    "not read"),
    "INPUT-WIDE-NO-YEAR": Text("党费按月分列，但看不出年份：请在标题或工作表名称中写明年份（如 2025年党费），整张表未读入",
                               "dues have a column per month but no year: write the year in the title or the sheet "
                               "name (2025年党费, say); the sheet was not read"),
    "INPUT-DUPLICATE-MEMBER": Text("{count}行与「{sheet}」表中的记录完全相同（{rows}），是重复登记，未读入",
                                   "{count} row(s) repeat records of the {sheet} sheet word for word ({rows}): "
                                   "entered twice; not read"),
    "INPUT-SAME-ID-NUMBER": Text("{count}行的身份证号与「{sheet}」表中的另一行相同（{rows}）：是同一名党员登记了两次，"
                                 "还是号码填错了？两行都已读入",
                                 "{count} row(s) have the ID number of another row of the {sheet} sheet ({rows}): "
                                 "the same member entered twice, or a wrong number? Both rows were read"),
    "INPUT-DUPLICATE-ORG": Text("组织编号「{value}」重复，该行未读入", "org ID {value} is duplicated; the row was not read"),
    "INPUT-UNKNOWN-ORG": Text("组织「{value}」在「组织」表中不存在（{count}行：第{rows}行）",
                              "organization {value} is not in the organizations sheet ({count} rows: {rows})"),
    "INPUT-ORG-CYCLE": Text("上级组织关系成环：{value}", "the parent organizations form a cycle: {value}"),
    "INPUT-HIDDEN-SHEET": Text("隐藏的工作表（在 Excel/WPS 中看不到），未检查（{what}{like}）",
                               "a hidden sheet (Excel and WPS do not show it), not checked ({what}{like})"),
    "INPUT-UNKNOWN-SHEET": Text("无法识别的工作表，已忽略（{rows}行有内容）{hint}",
                                "sheet not recognized and ignored ({rows} rows with content){hint}"),
    "INPUT-UNKNOWN-KIND": Text("活动类型「{value}」不属于三会一课等规定类型，不计入任何频次（共{count}条）",
                               "activity kind {value} is not a recognized kind and counts toward no frequency "
                               "({count} rows)"),
    "INPUT-NO-ORGS": Text("「组织」表中没有任何组织记录，无法审计", "the organizations sheet has no rows: nothing can be "
                                                                "audited"),
    "INPUT-MISSING-SHEET": Text("工作簿中没有「{value}」表", "the workbook has no {value} sheet"),
    "INPUT-ERROR-CELL": Text("「{column}」是错误值 {value}（公式出错），无法读取；请改正公式或填入数值",
                             "{column}: the cell holds the error value {value} (a failing formula) and cannot be "
                             "read; fix the formula or enter the value"),
    "INPUT-FORMULA-NO-VALUE": Text("「{column}」是没有保存计算结果的公式（{value}），无法读取；请在 Excel/WPS 中打开并"
                                   "保存一次，或把公式粘贴为数值",
                                   "{column}: a formula ({value}) with no saved result cannot be read; open and save "
                                   "the workbook in Excel or WPS, or paste the formula as values"),
    "INPUT-DATE-TOO-EARLY": Text("「{column}」的日期 {value} 早于1900年，应是录入错误",
                                   "{column}: the date {value} is before 1900, which must be a typing error"),
    "INPUT-TIME-NOT-DATE": Text("「{column}」是时间而不是日期：{value}（单元格格式为时间，或是 Excel 无法保存的1900年以前的日期）",
                                "{column}: {value} is a time of day, not a date (the cell is formatted as a time, or "
                                "holds a date before 1900, which Excel cannot store)"),
    "INPUT-WINDOW-BEFORE-DATA": Text("审计期间从 {since} 开始，但台账的会议和党费记录从 {first} 才开始：此前各月按“没有记录”检查，"
                                     "问题可能因此偏多。如台账只记录了此后的情况，请把 --since 改为 {first} 或不指定",
                                     "the window starts on {since} but the ledger's meeting and dues records begin on "
                                     "{first}: the months before are judged as having no records, which may add many "
                                     "findings. If the ledger only covers the time since, use --since {first} or leave "
                                     "it out"),
    "INPUT-FUTURE-DATE": Text("「{column}」的日期 {value} 晚于审计截止日期 {as_of}，请核对是否录入错误（仍按所填日期检查）",
                              "{column}: the date {value} is after the audit date {as_of}; check it for a typing error "
                              "(it is audited as written)"),
    "INPUT-SHEET-TOO-LARGE": Text("工作表的已用区域延伸到 {cell}（{rows}行×{columns}列），超过上限 {limit}，整张表未读入；"
                                  "请删除数据区域以外的多余单元格，或用 --limit 调高上限",
                                  "the sheet's used range reaches {cell} ({rows} rows × {columns} columns), beyond "
                                  "the limit {limit}; the sheet was not read. Delete the stray cells beyond the data, "
                                  "or raise the limit with --limit"),
    "INPUT-SHEET-UNREADABLE": Text("工作表已损坏，无法读取，整张表未读入（{detail}）",
                                   "the sheet is damaged and cannot be read; none of it was read ({detail})"),
    "INPUT-ROW-UNREADABLE": Text("{cell}无法读取，整行未读入（{detail}）",
                                 "{cell} cannot be read; the row was not read ({detail})"),
    "INPUT-CELL-TOO-LONG": Text("「{column}」的文字有 {value} 个字符，超过 Excel 单元格的上限（32,767 个字符），未读入",
                                "{column}: the text has {value} characters, beyond the 32,767 an Excel cell may "
                                "hold; it was not read"),
    "INPUT-NUMBER-TOO-LARGE": Text("「{column}」的数值 {value} 超出合理范围，未读入",
                                   "{column}: the number {value} is beyond any plausible value; it was not read"),
    "INPUT-EMPTY-SHEET": Text("工作表只有表头，没有数据行", "the sheet has its header row but no data rows"),
    "INPUT-RENAMED-WORKBOOK": Text("文件名是 {suffix}，内容其实是 {actual} 工作簿：已按 {actual} 读取",
                                   "the file is named {suffix} but is an {actual} workbook: it was read as one"),
    "INPUT-MACROS": Text("工作簿含有宏：ledgercheck 从不运行宏，只读取单元格中保存的值",
                         "the workbook contains macros: ledgercheck never runs them and reads only the values saved "
                         "in the cells"),
}

# How to put right each kind of input problem: `ledgercheck explain CODE` and the HTML report show it.
INPUT_FIXES: dict[str, Text] = {
    "INPUT-BAD-DATE": Text("把日期改写为 2024-03-05、2024/3/5 或 2024年3月5日。",
                           "Write the date as 2024-03-05, 2024/3/5 or 2024年3月5日."),
    "INPUT-TWO-DIGIT-YEAR": Text("写全四位年份，如 2025.3.5 或 2025年3月5日。", "Write the year in full: 2025.3.5 or "
                                 "2025年3月5日."),
    "INPUT-NEED-DAY": Text("这一列需要具体到日，请补上日。", "This column needs the day as well: add it."),
    "INPUT-DATE-NO-YEAR": Text("补上年份（2025年3月5日）；或在表头上方加一行标题写明年份（2025年组织生活记录）。",
                               "Add the year (2025年3月5日), or a title row above the header that names it "
                               "(2025年组织生活记录)."),
    "INPUT-ATTENDANCE-PAIR": Text("无需处理；也可以把应到人数和实到人数分别填在两列中。",
                                  "Nothing to do; or enter the counts expected and present in two columns."),
    "INPUT-DUES-SPAN": Text("无需处理；按季度交纳须经党支部同意。也可以每个月份记一行，缴纳日期相同。",
                            "Nothing to do; paying by the quarter needs the branch's consent. Or record one row a "
                            "month, with the same payment date."),
    "INPUT-YEAR-FROM-TITLE": Text("核对年份是否正确；跨年的表请在日期中写明年份。",
                                  "Check that the year is right; on a sheet spanning two years, write the year in "
                                  "each date."),
    "INPUT-BAD-MONTH": Text("把月份写为 2024-03 或 2024年3月。", "Write the month as 2024-03 or 2024年3月."),
    "INPUT-BAD-NUMBER": Text("只填数字，不写文字说明（单位可省略）。", "Enter a number only."),
    "INPUT-OUT-OF-RANGE": Text("核对该数值（如任期年限一般为3年或5年）。", "Check the number (a term is usually 3 or 5 "
                                                                      "years)."),
    "INPUT-BAD-YEAR": Text("填写四位年份，如 2025。", "Enter a four-digit year such as 2025."),
    "INPUT-BAD-VALUE": Text("从下拉列表（或提示的可选值）中选择一项。", "Choose one of the listed values."),
    "INPUT-ID-AS-NUMBER": Text("把身份证号列设为文本格式，然后按身份证重新录入完整的18位号码。",
                               "Format the ID column as text and enter the full 18 characters again."),
    "INPUT-MISSING-REQUIRED": Text("补填这一必填项；该行在补填前不会参加检查。",
                                   "Fill in the required value; the row is not checked until then."),
    "INPUT-MISSING-COLUMN": Text("在表头行增加这一列（列名见 ledgercheck template 生成的模板）。",
                                 "Add the column to the header row (see the template)."),
    "INPUT-NO-HEADER": Text("工作表第一行应为表头（列名见模板）；如果这不是台账表，可以删除或忽略。",
                            "The sheet needs a header row (see the template); ignore it if it is not a ledger sheet."),
    "INPUT-DUPLICATE-COLUMN": Text("删除或改名重复的列，只保留一列。", "Remove or rename the duplicate column."),
    "INPUT-DUPLICATE-MEMBER": Text("每名党员在花名册中只登记一次：删除重复的行（旧表或副本可整张删除或隐藏）。",
                                   "List each member once in the roster: delete the repeated rows (an old copy of the "
                                   "sheet can be deleted or hidden)."),
    "INPUT-SAME-ID-NUMBER": Text("核对这些行：同一名党员只保留一行（组织关系转接用「转入日期」「转出日期」记录），"
                                 "号码填错的按身份证改正。",
                                 "Check these rows: keep one row per member (a transfer is recorded with the "
                                 "transferred-in and transferred-out dates), and correct a wrong number from the "
                                 "ID card."),
    "INPUT-DUPLICATE-ORG": Text("每个组织编号只能出现一次：删除重复行或改正编号。",
                                "Each org ID may appear once: remove the duplicate row or fix the ID."),
    "INPUT-UNKNOWN-ORG": Text("先在「组织」表中登记该组织，或改为已有的组织编号。",
                              "Add the organization to the organizations sheet or use an existing ID."),
    "INPUT-ORG-CYCLE": Text("检查「上级组织编号」，上下级关系不能绕成一圈。",
                            "Check the parent IDs: the hierarchy cannot loop."),
    "INPUT-HIDDEN-SHEET": Text("如果它是台账的一部分，请在 Excel/WPS 中右键单击工作表标签→“取消隐藏”后再检查；旧表、"
                               "下拉选项等辅助表可以不管。",
                               "If it is part of the ledger, unhide it in Excel or WPS (right-click a sheet tab → "
                               "Unhide) and check again; an old copy or the lists behind drop-downs can be left as they "
                               "are."),
    "INPUT-UNKNOWN-SHEET": Text("如果这是台账的一部分，请把工作表改为标准名称（见模板）；否则可以忽略。",
                                "Rename the sheet to a standard name if it belongs to the ledger; else ignore it."),
    "INPUT-UNKNOWN-KIND": Text("活动类型请从下拉列表中选择（支部党员大会、支部委员会、党小组会、党课等）。",
                               "Choose the activity kind from the drop-down list."),
    "INPUT-NO-ORGS": Text("增加「组织」表并登记各党组织（可用 ledgercheck template 生成模板）。",
                          "Add an organizations sheet (ledgercheck template writes one)."),
    "INPUT-MISSING-SHEET": Text("增加这张工作表（见模板）；没有数据时相关规则不会检查。",
                                "Add the sheet (see the template); without it the related rules are not checked."),
    "INPUT-ERROR-CELL": Text("改正出错的公式（如引用了已删除的单元格），或直接填入数值。",
                             "Fix the failing formula (a reference to deleted cells, say) or type the value."),
    "INPUT-FORMULA-NO-VALUE": Text("在 Excel 或 WPS 中打开工作簿并保存一次（公式会算出结果），或复制后“选择性粘贴→数值”。",
                                   "Open the workbook in Excel or WPS and save it once (the formulas are "
                                   "calculated), or copy and Paste Special → Values."),
    "INPUT-DATE-TOO-EARLY": Text("核对年份（常见错误：把1989写成1898）。", "Check the year (1898 typed for 1989, say)."),
    "INPUT-TIME-NOT-DATE": Text("把单元格格式设为日期，重新录入完整日期，如 2024-03-05。",
                                "Format the cell as a date and enter the full date, e.g. 2024-03-05."),
    "INPUT-WINDOW-BEFORE-DATA": Text("把 --since 改为台账记录开始的日期，或不指定 --since（默认从记录的第一年年初算起）。",
                                     "Start the window where the records start, or leave --since out (the default is "
                                     "1 January of the records' first year)."),
    "INPUT-FUTURE-DATE": Text("核对年份和月份；尚未发生的事项不要提前登记。",
                              "Check the year and month; do not record events before they happen."),
    "INPUT-SHEET-TOO-LARGE": Text("选中数据区域以外的行和列，右键“删除”后保存；确属大台账时用 --limit 调高上限。",
                                  "Select the rows and columns beyond the data, delete them and save; for a really "
                                  "large ledger raise the limit with --limit."),
    "INPUT-SHEET-UNREADABLE": Text("在 Excel 或 WPS 中打开并另存为新的 .xlsx 文件；仍不能读取时请重新制作该表。",
                                   "Open it in Excel or WPS and save it as a new .xlsx; if it still cannot be read, "
                                   "make the sheet again."),
    "INPUT-ROW-UNREADABLE": Text("在 Excel/WPS 中找到这一行显示为 ##### 的单元格（通常是录入了极大或负的数值的日期），改正后再检查。",
                                 "Find the cell of this row that Excel or WPS shows as ##### (usually a date "
                                 "cell holding a huge or negative number), correct it and check again."),
    "INPUT-CELL-TOO-LONG": Text("核对这个单元格：台账的一项不会有这么长的文字（可能是误粘贴了大段内容）；删去多余的文字后再检查。",
                                "Check the cell: no ledger value is that long (a large paste by mistake?); remove "
                                "the extra text."),
    "INPUT-NUMBER-TOO-LARGE": Text("核对这个数值（可能多输了几位，或误粘贴了别的内容）。",
                                   "Check the number (extra digits typed, or something else pasted by mistake)."),
    "INPUT-EMPTY-SHEET": Text("在表头下填写数据；确实没有数据时可以忽略。", "Enter the data below the header, or ignore "
                                                                   "this if there is none."),
    "INPUT-UNKNOWN-COLUMN": Text("如果该列是台账的一项（如入党日期），在别名文件中写明它对应哪一项，用 --aliases 指定；"
                                 "ledgercheck inspect --write-aliases 可生成别名文件。无关的列可以忽略。",
                                 "If the column is part of the ledger (a join date, say), say which field it is in an "
                                 "alias file and pass it with --aliases; ledgercheck inspect --write-aliases writes one. "
                                 "Ignore columns that are not ledger data."),
    "INPUT-COLUMN-BY-VALUES": Text("核对该列确实是所判定的一项；如判定有误，用别名文件指明。",
                                   "Check that the column is the field it was read as; if not, name it in an alias file."),
    "INPUT-COLUMN-CONTRADICTED": Text("核对该列的表头与内容；如内容正确，把表头改为相应的名称，或用别名文件指明。",
                                      "Check the column's header against its contents; rename the header or name the "
                                      "column in an alias file."),
    "INPUT-ALIAS-SHADOWED": Text("确认别名文件确实要这样读；如不是，删除这条别名。",
                                 "Make sure the alias file means it; if not, remove the alias."),
    "INPUT-INFERRED-MEMBER-KIND": Text("增加「党员类别」列（正式党员/预备党员）可避免推断。",
                                       "Add a member-kind column (正式党员/预备党员) to avoid the inference."),
    "INPUT-ORG-INFERRED": Text("台账有多个组织时，请增加组织列（所在组织编号或名称）。",
                               "If the ledger has several organizations, add an organization column."),
    "INPUT-ORG-BY-SHEET-NAME": Text("无需处理；也可以增加一列「所在组织编号」，逐行填写。",
                                    "Nothing to do; or add an org ID column and fill it in on every row."),
    "INPUT-FORM-SHEET": Text("无需处理；也可以把各次记录汇总到一张「组织生活」表中，一次一行。",
                             "Nothing to do; or gather the records in one meetings sheet, a row each."),
    "INPUT-FORM-TEXT": Text("核对这些文字：属于哪一项的，写在该项名称右侧的格中；签字、说明等可不处理。",
                            "Check the text: if it belongs to an item, write it in the cell beside the item's name; "
                            "signatures and notes need nothing."),
    "INPUT-ORG-BY-TITLE": Text("无需处理；也可以增加一列「所在组织编号」，逐行填写。",
                               "Nothing to do; or add an org ID column and fill it in on every row."),
    "INPUT-PRESENT-FROM-NAMES": Text("无需处理；也可以增加「实到人数」列，填写到会人数。",
                                     "Nothing to do; or add a column of the count present."),
    "INPUT-YEAR-ONLY": Text("能查到的，按档案补全为具体日期（如 1985-06-01）；查不到的可以不改。",
                            "Where the records give the full date, write it (such as 1985-06-01); else leave it."),
    "INPUT-KIND-WITHIN-TEXT": Text("无需处理；也可以增加「活动类型」列，从下拉列表中选择。",
                                   "Nothing to do; or add a kind column and choose from its list."),
    "INPUT-KIND-BY-TITLE": Text("无需处理；一张表记了几种会议的，请增加「活动类型」列。",
                                "Nothing to do; on a sheet of several kinds of meeting, add a kind column."),
    "INPUT-KIND-BY-SHEET-NAME": Text("无需处理；一张表记了几种会议的，请增加「活动类型」列。",
                                     "Nothing to do; on a sheet of several kinds of meeting, add a kind column."),
    "INPUT-ORG-ID-ZEROS": Text("把各表的组织编号列都设为文本格式，按「组织」表的写法（如 002）重新填写。",
                               "Format every sheet's organization ID column as text and write the IDs as the "
                               "organizations sheet does (such as 002)."),
    "INPUT-ORG-BY-SECTION": Text("无需处理；也可以增加一列「所在组织编号」，逐行填写。",
                                 "Nothing to do; or add an org ID column and fill it in on every row."),
    "INPUT-ORG-FROM-TITLE": Text("增加「组织」表（组织编号、组织名称、组织类型、成立日期、书记等）可检查更多规则。",
                                 "Add an organizations sheet (ID, name, type, date established, secretary …) to have "
                                 "more rules checked."),
    "INPUT-ORG-OPTION-UNKNOWN": Text("把 --org 改为「组织」表中的组织编号或名称；台账只有一个组织时可以不指定 --org。",
                                     "Name an organization of the organizations sheet with --org (its ID or name), or "
                                     "leave --org out when the ledger has one organization."),
    "INPUT-ORG-FROM-OPTION": Text("增加「组织」表（组织编号、组织名称、组织类型）可不用 --org。",
                                  "Add an organizations sheet to do without --org."),
    "INPUT-TOTAL-ROW": Text("无需处理；合计行不参加检查。", "Nothing to do; total rows are not checked."),
    "INPUT-DUES-TICKS": Text("在每月的单元格中填写实缴金额（元），而不是打勾；应缴金额按缴费基数计算，才能检查。",
                             "Enter each month's amount paid (yuan) instead of a tick: the amounts are what the "
                             "dues rules check."),
    "INPUT-NO-CONTENT-ROW": Text("无需处理（多是模板预先编好的序号）；如这些行应有记录，请补填。",
                                 "Nothing to do (mostly a template's pre-numbered rows); fill them in if they should "
                                 "hold records."),
    "INPUT-FOOTER-ROW": Text("无需处理；表尾的签字栏和说明不参加检查。", "Nothing to do; a sheet's sign-off and notes are "
                             "not checked."),
    "INPUT-EXAMPLE-ROW": Text("填好自己的记录后可删除示例行；保留也不参加检查。",
                              "Delete the example row once your own records are in; kept, it is not checked."),
    "INPUT-UNKNOWN-MEMBER-NO": Text("核对党员编号，或在「党员」表中补登该党员。",
                                    "Check the number, or add the member to the members sheet."),
    "INPUT-WIDE-NO-YEAR": Text("在标题行或工作表名称中写明年份，如「2025年党费收缴表」。",
                               "Put the year in the title row or the sheet name, e.g. 2025年党费收缴表."),
    "INPUT-RENAMED-WORKBOOK": Text("无需处理；也可以在 Excel/WPS 中“另存为” Excel 工作簿（.xlsx），让文件名与内容一致。",
                                   "Nothing to do; or save it as an Excel workbook (.xlsx) so that its name says what "
                                   "it is."),
    "INPUT-MACROS": Text("无需处理；如不需要宏，可另存为 .xlsx。", "Nothing to do; save as .xlsx if the macros are not "
                                                            "needed."),
}

# On the web page, the messages and fixes that advise an option or a command say what the page offers instead:
# its fields (所属组织, 审计期间起始日期), its 台账识别情况 page, the template on its start page. The same placeholders.
WEB_MESSAGES: dict[str, Text] = {
    "INPUT-UNKNOWN-COLUMN": Text("未识别的列「{column}」，未读入{nearest}；如它是台账的一项，可在「台账识别情况」中指明",
                                 "column {column} is not recognized and was not read{nearest}; if it belongs to the "
                                 "ledger, say which field it is under How the ledger was read"),
    "INPUT-ORG-FROM-TITLE": Text("没有「组织」表：按{source}，本台账属于「{value}」；如不对，请在「所属组织」中填写",
                                 "no organizations sheet: by {source}, the ledger is {value}'s; if not, name the "
                                 "organization in the Organization field"),
    "INPUT-ORG-FROM-OPTION": Text("没有「组织」表：按填写的「所属组织」把「{value}」作为本台账的党支部",
                                  "no organizations sheet: {value} (the Organization field) is taken as the ledger's "
                                  "branch"),
    "INPUT-WINDOW-BEFORE-DATA": Text("审计期间从 {since} 开始，但台账的会议和党费记录从 {first} 才开始：此前各月按“没有记录”检查，"
                                     "问题可能因此偏多。如台账只记录了此后的情况，请把「审计期间起始日期」改为 {first} 或不填",
                                     "the window starts on {since} but the ledger's meeting and dues records begin on "
                                     "{first}: the months before are judged as having no records, which may add many "
                                     "findings. If the ledger only covers the time since, set the window start to "
                                     "{first} or leave it empty"),
    "INPUT-SHEET-TOO-LARGE": Text("工作表的已用区域延伸到 {cell}（{rows}行×{columns}列），超过上限 {limit}，整张表未读入；"
                                  "请删除数据区域以外的多余单元格后重新上传",
                                  "the sheet's used range reaches {cell} ({rows} rows × {columns} columns), beyond "
                                  "the limit {limit}; the sheet was not read. Delete the stray cells beyond the data "
                                  "and upload it again"),
    "INPUT-ORG-OPTION-UNKNOWN": Text("没有组织列，而「所属组织」中填写的「{value}」不在「组织」表中（表中有：{orgs}），整张表"
                                     "未读入（{rows}行）",
                                     "no organization column, and {value} (the Organization field) is not in the "
                                     "organizations sheet (it lists {orgs}); none of the sheet's {rows} rows was "
                                     "read"),
    "INPUT-UNKNOWN-SHEET": Text("无法识别的工作表，已忽略（{rows}行有内容）{web_hint}",
                                "sheet not recognized and ignored ({rows} rows with content){web_hint}"),
}
WEB_FIXES: dict[str, Text] = {
    "INPUT-MISSING-COLUMN": Text("在表头行增加这一列（列名见首页可下载的空白台账模板）。",
                                 "Add the column to the header row (see the blank template on the start page)."),
    "INPUT-NO-ORGS": Text("增加「组织」表并登记各党组织（首页可下载空白台账模板）。",
                          "Add an organizations sheet (the blank template on the start page has one)."),
    "INPUT-WINDOW-BEFORE-DATA": Text("把「审计期间起始日期」改为台账记录开始的日期，或不填（默认从记录的第一年年初算起）。",
                                     "Set the window start to where the records start, or leave it empty (the default "
                                     "is 1 January of the records' first year)."),
    "INPUT-SHEET-TOO-LARGE": Text("选中数据区域以外的行和列，右键“删除”后保存，再重新上传。",
                                  "Select the rows and columns beyond the data, delete them, save and upload again."),
    "INPUT-UNKNOWN-COLUMN": Text("如果该列是台账的一项（如入党日期），在「台账识别情况」中为它选择对应的项，重新检查；无关的列可以忽略。",
                                 "If the column is part of the ledger (a join date, say), choose its field under How "
                                 "the ledger was read and check again. Ignore columns that are not ledger data."),
    "INPUT-COLUMN-BY-VALUES": Text("核对该列确实是所判定的一项；如判定有误，在「台账识别情况」中改正。",
                                   "Check that the column is the field it was read as; if not, correct it under How "
                                   "the ledger was read."),
    "INPUT-COLUMN-CONTRADICTED": Text("核对该列的表头与内容；如内容正确，把表头改为相应的名称，或在「台账识别情况」中指明。",
                                      "Check the column's header against its contents; rename the header or choose "
                                      "its field under How the ledger was read."),
    "INPUT-ORG-OPTION-UNKNOWN": Text("把「所属组织」改为「组织」表中的组织名称或编号后重新检查；台账只有一个组织时可以不填。",
                                     "Name an organization of the organizations sheet in the Organization field (its "
                                     "name or ID) and check again, or leave the field empty when the ledger has one "
                                     "organization."),
    "INPUT-ORG-FROM-OPTION": Text("增加「组织」表（组织编号、组织名称、组织类型）可不填「所属组织」。",
                                  "Add an organizations sheet to leave the Organization field empty."),
}


def input_message(code: str, front: Front = "cli") -> Text:
    """The message template of an input problem of this kind, in the words of the front end."""
    if front == "web" and code in WEB_MESSAGES:
        return WEB_MESSAGES[code]
    return CATALOG[code]


def input_fix(code: str, front: Front = "cli") -> Text | None:
    """How to put right an input problem of this kind, in the words of the front end (None: no advice)."""
    if front == "web" and code in WEB_FIXES:
        return WEB_FIXES[code]
    return INPUT_FIXES.get(code)


Level = Literal["error", "warning"]
_SKIPPED = Text("；该行未读入", "; the row was not read")
_ALREADY_SAYS_SKIPPED = {"INPUT-MISSING-REQUIRED", "INPUT-DUPLICATE-ORG", "INPUT-DUPLICATE-MEMBER"}


@dataclass(frozen=True, slots=True)
class InputIssue:
    """`error` issues make the run exit 2; `warning` issues are notices (an ignored extra sheet)."""

    code: str
    location: Location
    params: dict[str, object] = field(default_factory=dict)
    level: Level = "error"
    row_skipped: bool = False  # the row did not become a record because of this
    rows: tuple[int, ...] = ()  # the rows an issue about several rows stands for (none of them became a record)

    def message(self, lang: Lang, front: Front = "cli") -> str:
        text = render(input_message(self.code, front)(lang), self.params, lang)
        if self.row_skipped and self.code not in _ALREADY_SAYS_SKIPPED:
            text += _SKIPPED(lang)
        return text

    def to_dict(self, lang: Lang, front: Front = "cli") -> dict[str, object]:
        return {"code": self.code, "level": self.level, "location": self.location.to_dict(),
                "message": self.message(lang, front)}
