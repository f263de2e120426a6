"""What a rule (or an input-problem code) means: its regulation, what it checks, its parameters, how to fix.

Built from the rule pack itself (title, source, rationale, fix, check parameters), so local packs and
overrides are explained as they are in force.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from pydantic import BaseModel

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Lang, Text, article_en, format_value, vocab
from ledgercheck.model.schema import SHEETS_BY_KEY
from ledgercheck.model.issues import CATALOG
from ledgercheck.rulebook.loader import LoadedRule, Rulebook
from ledgercheck.rulebook.schema import AppliesTo, Citation
from ledgercheck.findings.severity import Severity

SEVERITY = {Severity.ERROR: Text("错误", "error"), Severity.WARNING: Text("警告", "warning"),
            Severity.INFO: Text("提示", "info")}
CONFIDENCE = {
    "verified": Text("条文已核对", "article verified"),
    "inferred": Text("条文编号系根据前后条文推断", "article number inferred from the neighbouring articles"),
    "recalled": Text("数字未在原文中核实，已设为可调整的参数", "figure not verified in the text; it is a parameter"),
}

# What each parameter of the built-in kinds means. A kind added later simply shows its values.
PARAMS: dict[tuple[str, str], Text] = {
    ("frequency", "activity"): Text("计入的活动类型（「组织生活」表的活动类型）", "activity kinds that count"),
    ("frequency", "period"): Text("按月（month）、季度（quarter）或年（year）统计", "counted per month, quarter or year"),
    ("frequency", "min"): Text("每期至少次数", "minimum per period"),
    ("frequency", "per"): Text("按组织（org）还是按党小组（group）统计", "counted per organization or per Party group"),
    ("structure", "measure"): Text("统计什么：党员人数（members）、正式党员人数（full_members）或支委会委员人数"
                                   "（committee_size）", "what is counted: members, full members or committee size"),
    ("structure", "scope"): Text("只算本组织（direct）还是连同下属组织（subtree）",
                                 "this organization only (direct) or with those below it (subtree)"),
    ("structure", "min"): Text("下限（少于即为问题）", "lower bound (fewer is a finding)"),
    ("structure", "max"): Text("上限（多于即为问题）", "upper bound (more is a finding)"),
    ("term", "report"): Text("报告逾期未换届（overdue）还是延期超限（deferral_excess）",
                             "report overdue elections or excessive deferrals"),
    ("term", "term_years"): Text("各类组织每届任期（年）；「组织」表的任期年限优先",
                                 "term in years by organization type; the org's own term-years column wins"),
    ("term", "legacy_term_years"): Text("在 legacy_cutoff 之前换届的组织沿用的旧任期",
                                        "old terms for organizations elected before legacy_cutoff"),
    ("term", "legacy_cutoff"): Text("新任期规定开始执行的日期（任期意见印发）",
                                    "date the current terms took effect (the terms opinion)"),
    ("term", "max_deferral_years"): Text("经批准延期换届的最长年限", "longest approved deferral, in years"),
    ("fields", "sheet"): Text("检查的工作表", "sheet checked"),
    ("fields", "required"): Text("必须填写的列", "columns that must be filled in"),
    ("fields", "validate"): Text("需校验格式的列（gb11643：身份证号校验码；phone：电话号码）",
                                 "columns whose format is validated (gb11643: ID check digit; phone)"),
    ("fields", "when"): Text("只检查这些取值的记录", "only records with these values"),
    ("timeline", "sheet"): Text("检查的工作表（每行一条记录）", "sheet checked (one record per row)"),
    ("timeline", "from"): Text("起始日期列", "column with the start date"),
    ("timeline", "to"): Text("结束日期列；为空时见 pending、required_after", "column with the end date; when empty, "
                             "see pending and required_after"),
    ("timeline", "min"): Text("两个日期至少相隔多久（按日历计算）", "least calendar gap between the two dates"),
    ("timeline", "max"): Text("两个日期至多相隔多久", "greatest calendar gap between the two dates"),
    ("timeline", "until_field"): Text("填写了此列时，以它代替「起始日期 + max」作为期限（如延长预备期至）",
                                      "when filled, this column replaces start + max as the deadline "
                                      "(e.g. probation extended until)"),
    ("timeline", "grace"): Text("超过上限后再宽限多久才算问题", "tolerance past the upper bound before a finding"),
    ("timeline", "ignore_beyond"): Text("相隔超过这么久的留给更严格的规则报告，本规则不报",
                                        "gaps longer than this are left to a stricter rule"),
    ("timeline", "pending"): Text("结束日期为空时：skip 不检查；judge 以截止日期代替，已超过上限即报告",
                                  "empty end date: skip the row, or judge it with the as-of date standing in"),
    ("timeline", "required_after"): Text("起始日期后过了这么久仍未填写结束日期即报告",
                                         "an empty end date is reported once this long has passed since the start"),
    ("timeline", "when"): Text("只检查这些取值的记录", "only records with these values"),
    ("timeline", "filled"): Text("只检查这些列已填写的记录", "only records with these columns filled in"),
    ("timeline", "empty"): Text("只检查这些列为空的记录", "only records with these columns empty"),
    ("dues", "report"): Text("检查什么：amount 应缴金额；missing 漏缴月份；backpay 补交超期；start 党费起交月份",
                             "what is checked: amount due, missing months, late back payment, or the first month"),
    ("dues", "tables"): Text("各类人员的交纳标准：按收入基数分档的比例（brackets，up_to 为该档上限，元），"
                             "或每月固定金额（fixed，至 fixed_max）",
                             "each kind of member's rates: a rate by income bracket (brackets; up_to is the "
                             "bracket's upper bound in yuan), or a fixed monthly amount (fixed, up to fixed_max)"),
    ("dues", "rounding"): Text("应缴金额四舍五入到的单位（元）", "the amount due is rounded half up to this (yuan)"),
    ("dues", "max_delay"): Text("所属月份结束后最迟多久交纳，超过即为补交超期", "longest delay after the end of the "
                                "month before a payment counts as late back payment"),
    ("continuity", "of"): Text("dues 连续未交党费；attendance 连续未参加组织生活",
                               "dues: months in a row without paying; attendance: months in a row absent"),
    ("continuity", "months"): Text("连续多少个月即为问题", "how many months in a row make a finding"),
    ("continuity", "activities"): Text("计入组织生活的活动类型", "activity kinds that count as organizational life"),
    ("expression", "sheet"): Text("检查的工作表（每行一条记录）", "sheet checked (one record per row)"),
    ("expression", "require"): Text("每条记录必须满足的条件（CEL 表达式）", "condition every record must meet "
                                    "(a CEL expression)"),
    ("expression", "when"): Text("只检查满足此条件的记录（CEL 表达式）", "only records meeting this condition "
                                 "(a CEL expression)"),
    ("expression", "params"): Text("表达式中可用的参数（params.名称）", "values the expressions use as params.<name>"),
    ("expression", "window"): Text("日期列：早于审计期间的记录视为历史，不检查",
                                   "a date column: records dated before the audit window are history, not checked"),
    ("expression", "at"): Text("问题指向的列（默认为 require 中的第一列）",
                               "the column a finding points at (default: the first one require names)"),
    ("roster", "report"): Text("检查什么：sponsors 入党介绍人；secretary 支部书记党龄；voters 选举应到人数",
                               "what is checked: sponsors, the secretary's Party standing, or the eligible voters"),
    ("roster", "count"): Text("入党介绍人人数", "number of sponsors"),
    ("roster", "min_years"): Text("支部书记至少应有的党龄（年）", "least Party standing of the branch secretary, "
                                  "in years"),
    ("hours", "min_hours"): Text("每人每年至少学习培训学时", "least training hours per member and year"),
    ("hours", "posts"): Text("只检查担任这些党内职务的党员（any 为任一职务；不填为全体党员）",
                             "only members holding one of these Party posts (any: any post; none: every member)"),
}

# How to put right each kind of input problem (the codes in the findings list of the marked-up copy).
INPUT_FIXES: dict[str, Text] = {
    "INPUT-BAD-DATE": Text("把日期改写为 2024-03-05、2024/3/5 或 2024年3月5日。",
                           "Write the date as 2024-03-05, 2024/3/5 or 2024年3月5日."),
    "INPUT-NEED-DAY": Text("这一列需要具体到日，请补上日。", "This column needs the day as well: add it."),
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
    "INPUT-DUPLICATE-ORG": Text("每个组织编号只能出现一次：删除重复行或改正编号。",
                                "Each org ID may appear once: remove the duplicate row or fix the ID."),
    "INPUT-UNKNOWN-ORG": Text("先在「组织」表中登记该组织，或改为已有的组织编号。",
                              "Add the organization to the organizations sheet or use an existing ID."),
    "INPUT-ORG-CYCLE": Text("检查「上级组织编号」，上下级关系不能绕成一圈。",
                            "Check the parent IDs: the hierarchy cannot loop."),
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
    "INPUT-FUTURE-DATE": Text("核对年份和月份；尚未发生的事项不要提前登记。",
                              "Check the year and month; do not record events before they happen."),
    "INPUT-SHEET-TOO-LARGE": Text("选中数据区域以外的行和列，右键“删除”后保存；确属大台账时用 --limit 调高上限。",
                                  "Select the rows and columns beyond the data, delete them and save; for a really "
                                  "large ledger raise the limit with --limit."),
    "INPUT-SHEET-UNREADABLE": Text("在 Excel 或 WPS 中打开并另存为新的 .xlsx 文件；仍不能读取时请重新制作该表。",
                                   "Open it in Excel or WPS and save it as a new .xlsx; if it still cannot be read, "
                                   "make the sheet again."),
    "INPUT-EMPTY-SHEET": Text("在表头下填写数据；确实没有数据时可以忽略。", "Enter the data below the header, or ignore "
                                                                   "this if there is none."),
    "INPUT-MACROS": Text("无需处理；如不需要宏，可另存为 .xlsx。", "Nothing to do; save as .xlsx if the macros are not "
                                                            "needed."),
}


@dataclass
class Section:
    heading: Text
    lines: list[str] = field(default_factory=list)
    table: list[tuple[str, str, str]] | None = None  # parameters: name, value, meaning


@dataclass
class Explanation:
    title: str
    sections: list[Section]


def find_rule(rulebook: Rulebook, rule_id: str) -> LoadedRule | str:
    """The rule, or the canonical input-problem code; raises UsageError with close ids otherwise."""
    wanted = rule_id.strip().upper()
    if wanted in rulebook.rules:
        return rulebook.rules[wanted]
    if wanted in CATALOG:
        return wanted
    known = sorted(rulebook.rules) + sorted(CATALOG)
    close = difflib.get_close_matches(wanted, known, n=4, cutoff=0.5)
    close += [k for k in known if wanted and k.startswith(wanted) and k not in close][:6 - len(close)]
    hint_zh = f"；是否要找：{'、'.join(close)}" if close else ""
    hint_en = f"; did you mean {', '.join(close)}" if close else ""
    raise UsageError(Text(f"没有规则「{rule_id}」{hint_zh}（ledgercheck explain --list 列出全部规则）",
                          f"no rule {rule_id!r}{hint_en} (ledgercheck explain --list lists every rule)"))


def explain(rulebook: Rulebook, rule_id: str, lang: Lang) -> Explanation:
    found = find_rule(rulebook, rule_id)
    if isinstance(found, str):
        return _explain_input(found, lang)
    return _explain_rule(rulebook, found, lang)


def _explain_rule(rulebook: Rulebook, loaded: LoadedRule, lang: Lang) -> Explanation:
    rule = loaded.rule
    zh = lang == "zh"
    colon = "：" if zh else ": "
    facts = [f"{'级别' if zh else 'Severity'}{colon}{SEVERITY[rule.severity](lang)}",
             f"{'规则包' if zh else 'Rule pack'}{colon}{loaded.pack}",
             f"{'适用于' if zh else 'Applies to'}{colon}{_applies(rule.applies_to, lang)}"]
    if rule.tags:
        facts.append(f"{'标签' if zh else 'Tags'}{colon}{'、'.join(rule.tags) if zh else ', '.join(rule.tags)}")
    sections = [Section(Text("概要", "Summary"), facts),
                Section(Text("依据", "Regulation"), [line for s in rule.source for line in _source(rulebook, s, lang)])]
    if rule.rationale:
        sections.append(Section(Text("检查内容", "What it checks"), [rule.rationale.text()(lang)]))
    sections.append(Section(Text("参数", "Parameters"), table=_params(loaded, lang)))
    if rule.fix:
        sections.append(Section(Text("怎样改正", "How to fix a finding"), [rule.fix.text()(lang)]))
    sections.append(Section(Text("问题说明的写法", "Message template"), [rule.message.text()(lang)]))
    return Explanation(f"{rule.id}  {rule.title.text()(lang)}", sections)


def _source(rulebook: Rulebook, source: Citation, lang: Lang) -> list[str]:
    regulation = rulebook.regulations[source.regulation]
    title = regulation.title.text()(lang)
    head = f"《{title}》{source.article or ''}" if lang == "zh" else \
        f"{title}{', ' + article_en(source.article) if source.article else ''}"
    if regulation.issued:
        head += f"（{regulation.issued}）" if lang == "zh" else f" ({regulation.issued})"
    lines = [head]
    if source.article:
        lines.append(f"  {CONFIDENCE[source.confidence](lang)}")
    else:
        lines.append("  " + ("未引用具体条文" if lang == "zh" else "no article cited"))
    for note in (source.note, regulation.note):
        if note:
            lines.append(f"  {note}")
    return lines


def _applies(applies: AppliesTo, lang: Lang) -> str:
    sep = "、" if lang == "zh" else ", "
    parts = [sep.join(vocab(t, lang) for t in applies.org_type) if applies.org_type else
             ("所有组织" if lang == "zh" else "every organization")]
    if applies.except_org_type:
        parts.append(("不含" if lang == "zh" else "except ") + sep.join(vocab(t, lang) for t in applies.except_org_type))
    if applies.has_committee is not None:
        parts.append(("设有支部委员会" if applies.has_committee else "未设支部委员会") if lang == "zh" else
                     ("with a committee" if applies.has_committee else "without a committee"))
    if applies.top_level is not None:
        parts.append(("最上级组织" if applies.top_level else "有上级组织") if lang == "zh" else
                     ("top-level only" if applies.top_level else "not top-level"))
    return ("，" if lang == "zh" else "; ").join(parts)


def _params(loaded: LoadedRule, lang: Lang) -> list[tuple[str, str, str]]:
    check = loaded.rule.check
    written = loaded.raw.get("check", {})
    sheet = getattr(check, "sheet", None)
    columns = SHEETS_BY_KEY[sheet].by_key if isinstance(sheet, str) and sheet in SHEETS_BY_KEY else {}
    rows = [("kind", check.kind, "检查方式" if lang == "zh" else "check kind")]
    for attribute, spec in type(check).model_fields.items():
        if attribute == "kind":
            continue
        name = spec.alias or attribute
        meaning = PARAMS.get((check.kind, name))
        shown = _value(getattr(check, attribute), columns, lang)
        if name not in written:
            shown += "（默认）" if lang == "zh" else " (default)"
        rows.append((name, shown, meaning(lang) if meaning else ""))
    return rows


def _value(value: object, columns: dict, lang: Lang) -> str:  # type: ignore[type-arg]
    if callable(getattr(value, "localized", None)):  # a value that describes itself: Duration, a dues Bracket
        return format_value(value, lang)
    if isinstance(value, BaseModel):
        value = {spec.alias or name: getattr(value, name) for name, spec in type(value).model_fields.items()}
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if v is not None and v != []]
        return "; ".join(f"{_name(k, columns, lang)}: {_value(v, columns, lang)}" for k, v in items) or "—"
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(
            _value(v, columns, lang) if isinstance(v, (BaseModel, dict)) else _name(str(v), columns, lang)
            for v in value) or "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "—"
    return format_value(value, lang)


def _name(key: str, columns: dict, lang: Lang) -> str:  # type: ignore[type-arg]
    spec = columns.get(key)
    if spec is None:
        return vocab(key, lang)
    return f"{key}（{spec.header}）" if lang == "zh" else f"{key} ({spec.en})"


def _explain_input(code: str, lang: Lang) -> Explanation:
    what = Text("读取台账时发现的输入问题：该单元格无法读取或需要注意。级别为“错误”的输入问题使 audit 的退出码为2。",
                "A problem found while reading the ledger: the cell could not be read or needs attention. Input "
                "problems of level error make audit exit with 2.")
    sections = [Section(Text("说明", "Meaning"), [what(lang), CATALOG[code](lang)])]
    if code in INPUT_FIXES:
        sections.append(Section(Text("怎样改正", "How to fix it"), [INPUT_FIXES[code](lang)]))
    return Explanation(code, sections)


def rule_list(rulebook: Rulebook, lang: Lang) -> list[tuple[str, str, str]]:
    return [(r.rule.id, SEVERITY[r.rule.severity](lang), r.rule.title.text()(lang)) for r in rulebook.rules.values()]
