"""What a rule (or an input-problem code) means: its regulation, what it checks, its parameters, how to fix.

Built from the rule pack itself (title, source, rationale, fix, check parameters), so local packs and
overrides are explained as they are in force.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from pydantic import BaseModel

from ledgercheck.checks.base import meaning as kind_meaning
from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Lang, Text, article_en, format_value, vocab
from ledgercheck.model.issues import CATALOG
from ledgercheck.model.schema import SHEETS_BY_KEY
from ledgercheck.rulebook.loader import LoadedRule, Rulebook
from ledgercheck.rulebook.schema import AppliesTo, Citation

CONFIDENCE = {
    "verified": Text("条文已核对", "article verified"),
    "inferred": Text("条文编号系根据前后条文推断", "article number inferred from the neighbouring articles"),
    "recalled": Text("数字未在原文中核实，已设为可调整的参数", "figure not verified in the text; it is a parameter"),
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
    "INPUT-ORG-FROM-OPTION": Text("增加「组织」表（组织编号、组织名称、组织类型）可不用 --org。",
                                  "Add an organizations sheet to do without --org."),
    "INPUT-TOTAL-ROW": Text("无需处理；合计行不参加检查。", "Nothing to do; total rows are not checked."),
    "INPUT-UNKNOWN-MEMBER-NO": Text("核对党员编号，或在「党员」表中补登该党员。",
                                    "Check the number, or add the member to the members sheet."),
    "INPUT-WIDE-NO-YEAR": Text("在标题行或工作表名称中写明年份，如「2025年党费收缴表」。",
                               "Put the year in the title row or the sheet name, e.g. 2025年党费收缴表."),
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
    facts = [f"{'级别' if zh else 'Severity'}{colon}{rule.severity.label(lang)}",
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
    rows: list[tuple[str, str, str]] = [("kind", check.kind, "检查方式" if lang == "zh" else "check kind")]
    for attribute, spec in type(check).model_fields.items():
        if attribute == "kind":
            continue
        name = spec.alias or attribute
        meaning = kind_meaning(type(check), attribute)
        shown = _value(getattr(check, attribute), columns, lang)
        if name not in written:
            shown += "（默认）" if lang == "zh" else " (default)"
        rows.append((name, shown, meaning(lang) if meaning else ""))
    return rows


def _value(value: object, columns: dict, lang: Lang) -> str:
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


def _name(key: str, columns: dict, lang: Lang) -> str:
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
    return [(r.rule.id, r.rule.severity.label(lang), r.rule.title.text()(lang)) for r in rulebook.rules.values()]
