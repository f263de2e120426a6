"""The page's words, Chinese first. Templates say `t("key")`; a missing key fails the page test, not a user."""

from __future__ import annotations

from ledgercheck.common.i18n import Text

T: dict[str, Text] = {
    "app": Text("党建工作台账检查", "Party-building ledger check"),
    "tagline": Text("按党内法规自动检查党建工作台账：党员花名册、三会一课、党费、发展党员、换届选举、组织设置。",
                    "Checks a Party-building ledger against the regulations: member roster, meetings, dues, "
                    "member development, elections and organization set-up."),
    "nav_check": Text("检查台账", "Check a ledger"),
    "nav_rules": Text("检查规则", "Rules"),
    "switch_lang": Text("English", "中文"),
    "step1": Text("第一步：选择台账文件", "Step 1: choose the ledger"),
    "step1_help": Text("可以一次选择一个单位的几个文件（如花名册、党费、会议记录分开保存时）。支持 .xlsx、.xls、.ods；"
                       "WPS 的 .et 和 CSV 请先另存为 .xlsx。",
                       "You may choose several files of one unit (a roster, dues and meetings kept apart). .xlsx, "
                       ".xls and .ods are read; save WPS .et files and CSV as .xlsx first."),
    "drop": Text("把台账文件拖到这里，或点击选择文件", "Drop the ledger files here, or click to choose them"),
    "step2": Text("第二步：检查到哪一天", "Step 2: audit date"),
    "as_of": Text("截止日期", "Audit date"),
    "as_of_help": Text("默认今天。只检查截止日期以前已经结束的月份、季度和年度；本月不算违规。",
                       "Today by default. Only months, quarters and years that ended before it are judged."),
    "since": Text("审计期间起始日期（可不填）", "Window start (optional)"),
    "since_help": Text("不填时，从台账记录的第一年的1月1日算起。",
                       "When empty: 1 January of the first year the ledger's records cover."),
    "org": Text("所属组织（可不填）", "Organization (optional)"),
    "org_example": Text("如：办公室党支部", "such as 办公室党支部"),
    "org_help": Text("台账没有「组织」表、表格标题也没写明是哪个支部的，在这里填写支部名称。",
                     "For a ledger without an organizations sheet whose titles do not name its branch: the branch's "
                     "name."),
    "submit": Text("开始检查", "Check"),
    "checking": Text("正在上传和检查，请稍候……", "Uploading and checking, please wait…"),
    "privacy": Text("上传的台账只用于本次检查，{keep}后自动删除，也可以在结果页面立即删除。身份证号和电话号码在结果中打码显示。",
                    "The uploaded ledger is used for this check only and deleted after {keep}, or at once from "
                    "the result page. ID and phone numbers are masked in the results."),
    "template": Text("还没有台账？下载空白台账模板", "No ledger yet? Download the blank template"),
    "template_help": Text("模板带有下拉列表、日期格式和填表说明。自己的台账格式不同也可以直接上传，程序会识别常见的表名和列名。",
                          "The template has drop-down lists, date formats and instructions. A ledger in another "
                          "layout can be uploaded as it is: common sheet and column names are recognized."),
    "what_checks": Text("检查哪些内容", "What is checked"),
    "result": Text("检查结果", "Result"),
    "mapping": Text("台账识别情况", "How the ledger was read"),
    "reminders": Text("近期到期事项", "Coming up"),
    "downloads": Text("下载", "Downloads"),
    "dl_annotated": Text("标注了问题的台账副本（Excel）", "Marked-up copy of the ledger (Excel)"),
    "dl_annotated_help": Text("问题单元格标了颜色并附批注，第一张表列出全部问题；原台账不变。",
                              "Cells with problems are coloured and commented; the first sheet lists every "
                              "problem. Your ledger is unchanged."),
    "dl_report": Text("检查报告（网页文件，可打印）", "Audit report (web page, printable)"),
    "dl_json": Text("JSON（供其他系统使用）", "JSON (for other systems)"),
    "dl_csv": Text("问题清单（CSV）", "Findings (CSV)"),
    "dl_aliases": Text("识别设置（别名文件）", "Reading settings (alias file)"),
    "new_check": Text("检查另一个台账", "Check another ledger"),
    "delete": Text("立即删除本次上传的台账和结果", "Delete this upload and its results now"),
    "deleted": Text("已删除。上传的台账和检查结果都已从服务器上删除。", "Deleted: the ledger and its results are gone "
                    "from the server."),
    "files": Text("文件", "Files"),
    "incomplete_hint": Text("有的表或列没有读入，部分规则没有检查。请先看「台账识别情况」，在那里改正后重新检查。",
                            "Some sheets or columns were not read and some rules were not checked. Look at "
                            "'How the ledger was read' first and correct it there."),
    # Incomplete for cells that could not be read, every sheet and column read: the fix is in the workbook, where
    # the input problems say, not on the reading page.
    "incomplete_cells": Text("有{n}个单元格或行无法读取，检查结果可能不完整：请按下面「输入问题」所列位置在台账中改正后重新检查。",
                             "{n} cell(s) or row(s) could not be read, so the result may be incomplete: correct them "
                             "in the ledger where the input problems below say, then check again."),
    "corrected": Text("这是按你在「台账识别情况」中的修改重新检查的结果。下载「识别设置」可以保存这些修改，下次上传时一并提交。",
                      "This result uses your corrections from 'How the ledger was read'. Download the reading "
                      "settings to keep them and upload them with the ledger next time."),
    "mapping_intro": Text("下面列出每张工作表被当作哪种表、每一列被读作哪一项。读错或没认出的列，在「读作」中选择正确的项目，"
                          "然后点击「按修改重新检查」。",
                          "Each sheet, what it was taken for, and what each column was read as. Where a column "
                          "was read wrongly or not recognized, choose the right item under 'Read as' and click "
                          "'Check again with these corrections'."),
    "sheet": Text("工作表", "Sheet"),
    "taken_as": Text("读作", "Read as"),
    "why": Text("依据", "Why"),
    "header_row": Text("表头在第{row}行", "header in row {row}"),
    "rows_read": Text("{rows}行数据，读入{records}条，跳过{skipped}行", "{rows} data rows: {records} read, {skipped} skipped"),
    "column": Text("列", "Column"),
    "header": Text("表头", "Header"),
    "samples": Text("示例（已打码）", "Examples (masked)"),
    "not_read": Text("（不读取）", "(not read)"),
    "not_recognized_sheet": Text("（不是台账表，不读取）", "(not a ledger sheet; not read)"),
    "rerun": Text("按修改重新检查", "Check again with these corrections"),
    "no_change": Text("没有做任何修改。", "Nothing was changed."),
    "understanding_issues": Text("识别时发现的问题", "What reading found"),
    "remind_intro": Text("截至{as_of}，今后{days}天内到期或已经逾期的事项。", "Due within {days} days of {as_of}, or overdue."),
    "remind_none": Text("近期没有到期事项。", "Nothing falls due soon."),
    "due": Text("到期日", "Due"),
    "days_left": Text("还有{days}天", "{days} days left"),
    "overdue": Text("已逾期{days}天", "overdue by {days} days"),
    "topic": Text("事项", "Topic"),
    "organization": Text("组织", "Organization"),
    "subject": Text("对象", "Who / what"),
    "message": Text("说明", "Details"),
    "basis": Text("依据", "Basis"),
    "location": Text("位置", "Cell"),
    "rules_intro": Text("共{count}条规则。每条规则都注明所依据的党内法规条款，以及发现问题后怎样改正。",
                        "{count} rules, each with the regulation and article it rests on and how to fix a finding."),
    "search": Text("搜索规则（编号、名称或法规）", "Search the rules (id, title or regulation)"),
    "search_button": Text("搜索", "Search"),
    "no_rules": Text("没有找到符合的规则。", "No rule matches."),
    "rule_id": Text("编号", "ID"),
    "rule_title": Text("名称", "Title"),
    "severity": Text("级别", "Level"),
    "back": Text("返回", "Back"),
    "error_title": Text("无法完成检查", "The check could not be done"),
    "not_found": Text("没有找到这个页面。检查结果只保存{keep}，可能已经过期被删除：请重新上传台账。",
                      "This page does not exist. Results are kept for {keep} only and may have been deleted: "
                      "upload the ledger again."),
    "no_page": Text("没有这个页面：请从首页上传台账，或查看检查规则。", "There is no such page: upload a ledger on the "
                    "start page, or read the rules."),
    "no_rule": Text("没有规则「{rule}」：请在检查规则页中查找。", "There is no rule {rule}: look it up on the rules page."),
    "alias_among_files": Text("这是识别设置（别名文件），不是台账：请在「识别设置（别名文件）」中选择它，台账文件框里只放台账工作簿。",
                              "This is a reading settings (alias) file, not a ledger: choose it under Reading "
                              "settings, and only the ledger's workbooks among the files."),
    "not_alias_file": Text("「识别设置（别名文件）」中只能选择下载过的识别设置文件（.yaml）；台账工作簿请在上面的文件框中选择。",
                           "Reading settings take an alias file (.yaml) downloaded earlier; choose the ledger's "
                           "workbooks in the file box above."),
    "busy": Text("现在检查的人比较多，请过一两分钟再试。", "The server is busy; please try again in a minute or two."),
    "no_files": Text("没有选择文件：请先选择台账文件（.xlsx、.xls 或 .ods）。",
                     "No file was chosen: choose the ledger workbook (.xlsx, .xls or .ods) first."),
    "bad_date": Text("「{value}」不是日期，请写作 2025-01-31。", "{value!r} is not a date; write 2025-01-31."),
    "try_again": Text("返回重新上传", "Back to the upload page"),
    "login_title": Text("请输入访问码", "Enter the access code"),
    "login_help": Text("这个检查页面设有访问码，请向管理员索取。", "This page has an access code; ask the administrator."),
    "login_wrong": Text("访问码不正确。", "The access code is wrong."),
    "login_button": Text("进入", "Enter"),
    "footer": Text("ledgercheck {version} · 检查在本机完成，不连接互联网", "ledgercheck {version} · checked on this "
                   "server; nothing is sent to the internet"),
}


def keep_label(seconds: float, lang: str) -> str:
    """The uploads' lifetime in words: 1小时 / 1 hour."""
    whole = max(1, round(seconds))  # as given: 40 s is not "1 minute", which would promise 20 s more
    if whole % 3600 == 0:
        hours = whole // 3600
        return f"{hours}小时" if lang != "en" else f"{hours} hour{'s' if hours > 1 else ''}"
    if whole % 60 == 0:
        minutes = whole // 60
        return f"{minutes}分钟" if lang != "en" else f"{minutes} minute{'s' if minutes > 1 else ''}"
    return f"{whole}秒" if lang != "en" else f"{whole} second{'s' if whole > 1 else ''}"
