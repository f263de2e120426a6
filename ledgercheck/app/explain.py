"""What a rule (or an input-problem code) means: its regulation, what it checks, its parameters, how to fix.

Built from the rule pack itself (title, source, rationale, fix, check parameters), so local packs and
overrides are explained as they are in force.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from ledgercheck.checks.base import meaning as kind_meaning
from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Front, Lang, Text, article_en, format_value, vocab
from ledgercheck.common.spec import Spec, fields_of
from ledgercheck.model.issues import CATALOG, input_fix, input_message
from ledgercheck.model.schema import SHEETS_BY_KEY
from ledgercheck.rulebook.loader import LoadedRule, Rulebook
from ledgercheck.rulebook.schema import AppliesTo, Citation

CONFIDENCE = {
    "verified": Text("条文已核对", "article verified"),
    "inferred": Text("条文编号系根据前后条文推断", "article number inferred from the neighbouring articles"),
    "recalled": Text("数字未在原文中核实，已设为可调整的参数", "figure not verified in the text; it is a parameter"),
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

# The tags the bundled packs use, in English (a pack's own tags are shown as written).
TAGS_EN = {"发展党员": "recruitment", "组织设置": "organization", "三会一课": "meetings and lectures", "台账": "records",
           "党费": "dues", "组织生活": "organizational life", "换届": "term of office", "选举": "elections",
           "教育培训": "education and training", "党员管理": "member management"}


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


def explain(rulebook: Rulebook, rule_id: str, lang: Lang, front: Front = "cli") -> Explanation:
    """A rule, or an input problem's code; `front`: who reads it (an input problem's advice in the web page's
    words)."""
    found = find_rule(rulebook, rule_id)
    if isinstance(found, str):
        return _explain_input(found, lang, front)
    return _explain_rule(rulebook, found, lang)


def _explain_rule(rulebook: Rulebook, loaded: LoadedRule, lang: Lang) -> Explanation:
    rule = loaded.rule
    zh = lang == "zh"
    colon = "：" if zh else ": "
    facts = [f"{'级别' if zh else 'Severity'}{colon}{rule.severity.label(lang)}",
             f"{'规则包' if zh else 'Rule pack'}{colon}{loaded.pack}",
             f"{'适用于' if zh else 'Applies to'}{colon}{_applies(rule.applies_to, lang)}"]
    if rule.tags:
        facts.append(f"{'标签' if zh else 'Tags'}{colon}{'、'.join(rule.tags) if zh else ', '.join(TAGS_EN.get(t, t) for t in rule.tags)}")
    sections = [Section(Text("概要", "Summary"), facts),
                Section(Text("依据", "Regulation"), [line for s in rule.source for line in _source(rulebook, s, lang)])]
    if rule.rationale:
        sections.append(Section(Text("检查内容", "What it checks"), [rule.rationale.text()(lang)]))
    sections.append(Section(Text("参数", "Parameters"), table=_params(loaded, lang)))
    if rule.fix:
        sections.append(Section(Text("怎样改正", "How to fix a finding"), [rule.fix.text()(lang)]))
    sections.append(Section(Text("问题说明的写法", "Message template"),
                            [_example(rule.message.text()(lang), lang, _dates_of(loaded))]))
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
    for attribute, spec in fields_of(type(check)).items():
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
    if isinstance(value, Spec):
        value = {spec.alias or name: getattr(value, name) for name, spec in fields_of(type(value)).items()}
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if v is not None and v != []]
        return "; ".join(f"{_name(k, columns, lang)}: {_value(v, columns, lang)}" for k, v in items) or "—"
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(
            _value(v, columns, lang) if isinstance(v, (Spec, dict)) else _name(str(v), columns, lang)
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


def _explain_input(code: str, lang: Lang, front: Front = "cli") -> Explanation:
    what = Text("读取台账时发现的输入问题：该单元格无法读取或需要注意。级别为“错误”的输入问题使 audit 的退出码为2。",
                "A problem found while reading the ledger: the cell could not be read or needs attention. Input "
                "problems of level error make audit exit with 2.") if front == "cli" else \
        Text("读取台账时发现的输入问题：该单元格无法读取或需要注意。级别为“错误”的单元格或行没有参加检查，改正后请重新检查。",
             "A problem found while reading the ledger: the cell could not be read or needs attention. Cells and "
             "rows of level error were not checked: correct them and check again.")
    sections = [Section(Text("说明", "Meaning"), [what(lang), _example(input_message(code, front)(lang), lang)])]
    fix = input_fix(code, front)
    if fix is not None:
        sections.append(Section(Text("怎样改正", "How to fix it"), [fix(lang)]))
    return Explanation(code, sections)


# What a message's placeholders stand for, shown in `explain` instead of the raw `{value}`.
PLACEHOLDER_WORDS: dict[str, Text] = {
    "value": Text("单元格的值", "the cell's value"), "column": Text("列名", "column"), "rows": Text("行号", "rows"),
    "field": Text("项目", "field"), "count": Text("数量", "count"), "samples": Text("示例", "examples"),
    "first": Text("第一条记录的日期", "first record's date"), "columns": Text("各列", "columns"),
    "since": Text("起始日期", "start"), "scanned": Text("检查的范围", "range scanned"),
    "nearest": Text("相近的项目", "nearest fields"), "low": Text("下限", "lower bound"),
    "high": Text("上限", "upper bound"), "limit": Text("上限", "limit"), "kept": Text("保留的列", "column kept"),
    "hint": Text("提示", "hint"), "headers": Text("表头", "headers"), "header_field": Text("表头所指的项目", "field the header names"),
    "detail": Text("详情", "detail"), "choices": Text("可选值", "allowed values"), "cell": Text("单元格", "cell"),
    "builtin": Text("内置的读法", "built-in reading"), "as_of": Text("截止日期", "audit date"),
    # … and the evidence rule messages name
    "subject": Text("对象", "who"), "org": Text("组织", "organization"), "period": Text("期间", "period"),
    "date": Text("日期", "date"), "from_date": Text("起始日期", "start date"), "to_date": Text("结束日期", "end date"),
    "person": Text("姓名", "name"), "problem": Text("问题", "problem"), "months": Text("月数", "months"),
    "min": Text("最少", "minimum"), "max": Text("最多", "maximum"), "gap": Text("间隔", "gap"),
    "days": Text("天数", "days"), "month": Text("月份", "month"), "activity": Text("活动类型", "activity"),
    "group": Text("党小组", "Party group"), "expected": Text("应为", "expected"), "due": Text("应缴金额", "amount due"),
    "paid": Text("实缴金额", "amount paid"), "base": Text("缴费基数", "base"), "rate": Text("比例", "rate"),
    "standing": Text("党龄", "standing"), "min_years": Text("最少年数", "least years"),
    "deadline": Text("期限", "deadline"), "days_overdue": Text("逾期天数", "days overdue"),
}


def _dates_of(loaded: LoadedRule) -> dict[str, Text]:
    """A timeline rule's from_date and to_date are its two columns (出生日期, 入党申请日期)."""
    check = loaded.rule.check
    words: dict[str, Text] = {}
    sheet = getattr(check, "sheet", None)
    for placeholder, attribute in (("from_date", "from_"), ("to_date", "to")):
        name = getattr(check, attribute, None)
        if isinstance(name, str) and isinstance(sheet, str):
            prefix, _, key = name.rpartition(".")
            spec = SHEETS_BY_KEY.get({"member": "members", "recruit": "recruits"}.get(prefix, sheet))
            if spec is not None and key in spec.by_key:
                words[placeholder] = Text(spec.by_key[key].header, spec.by_key[key].en)
    if words:
        words["limit"] = Text("期限", "deadline")
    return words


def _example(template: str, lang: Lang, words: dict[str, Text] | None = None) -> str:
    """A message template as a reader can follow it: 〈单元格的值〉 (<the cell's value>) where the value goes."""
    left, right = ("〈", "〉") if lang == "zh" else ("<", ">")

    def word(match: re.Match[str]) -> str:
        name = match.group(1)
        if words and name in words:
            return f"{left}{words[name](lang)}{right}"
        if name in PLACEHOLDER_WORDS:
            return f"{left}{PLACEHOLDER_WORDS[name](lang)}{right}"
        field = next((f for spec in SHEETS_BY_KEY.values() for f in spec.fields
                      if f.key == name.removeprefix("org_")), None)  # a column the message quotes: its header
        return f"{left}{(field.en if lang == 'en' else field.header) if field else name.replace('_', ' ')}{right}"

    return re.sub(r"\{(\w+)\}", word, template)


def rule_list(rulebook: Rulebook, lang: Lang) -> list[tuple[str, str, str]]:
    return [(r.rule.id, r.rule.severity.label(lang), r.rule.title.text()(lang)) for r in rulebook.rules.values()]
