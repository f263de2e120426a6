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
from ledgercheck.model.issues import CATALOG, INPUT_FIXES
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
