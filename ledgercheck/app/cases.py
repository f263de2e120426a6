"""Rule cases: YAML data beside a pack (`<pack>/tests/<RULE-ID>.yaml`) that pin a rule's behaviour.

A case file gives a small ledger, a pinned as-of date and named cases; each case changes the ledger
(add, patch, remove rows) and lists the exact findings expected (`expect: []` for a passing example).
Every case is written to a real .xlsx and read back through the loader, so cases exercise the whole
audit. Used by the test suite and by `ledgercheck rules test`, so local pack authors test the same way.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ledgercheck.app.audit import audit_workbook
from ledgercheck.common.errors import LedgercheckError, RulePackError
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.fileio.yamldoc import YamlDocument, load_yaml, parse_model
from ledgercheck.findings.finding import Finding
from ledgercheck.findings.result import AuditResult
from ledgercheck.model.periods import Period
from ledgercheck.model.schema import SHEETS_BY_KEY
from ledgercheck.rulebook.loader import TESTS_DIR, LoadedRule, Rulebook, deep_merge, validate_rule
from ledgercheck.template.writer import Style, write_workbook

Rows = dict[str, list[dict[str, Any]]]


class Expect(BaseModel):
    """A partial description of one finding; every given key must match."""

    model_config = ConfigDict(extra="forbid")
    org: str | None = None  # org_id
    period: str | None = None  # 2025-03, 2025-Q2, 2025
    subject: str | None = None  # subject label (a member's name, a meeting's date and kind)
    location: str | None = None  # 组织!A2
    severity: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    message: str | None = None  # a substring of the Chinese message


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str | None = None
    as_of: dt.date | None = None
    since: dt.date | None = None
    add: Rows = Field(default_factory=dict)
    # Rows are addressed by org_id (组织), by name (other sheets) or by their 0-based position.
    patch: dict[str, dict[str | int, dict[str, Any]]] = Field(default_factory=dict)  # sheet → row → changes
    remove: dict[str, list[str | int]] = Field(default_factory=dict)  # sheet → rows
    replace: Rows = Field(default_factory=dict)  # sheet → its complete rows
    check: dict[str, Any] = Field(default_factory=dict)  # parameter changes, as a pack's `overrides` would make
    expect: list[Expect]
    skipped: str | None = None  # the rule is expected not to be checked, and why (a fragment of the reason)


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str
    as_of: dt.date
    since: dt.date | None = None
    ledger: Rows
    cases: dict[str, Case] = Field(min_length=1)


@dataclass
class CaseOutcome:
    rule_id: str
    case: str
    file: str
    line: int
    problems: list[Text] = field(default_factory=list)
    expect_empty: bool = False

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return f"{self.rule_id}::{self.case}"


def _row_key(sheet: str, row: dict[str, Any]) -> str:
    """Rows are addressed by org_id in 组织 and by name elsewhere (or by their position, 0-based)."""
    return str(row.get("org_id") if sheet == "orgs" else row.get("name", ""))


def _matches_key(sheet: str, row: dict[str, Any], index: int, key: str | int) -> bool:
    return _row_key(sheet, row) == str(key) or str(index) == str(key)


def _expand(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`_repeat: N` stands for N copies of a row, names numbered: {name: 党员, _repeat: 3} → 党员001…党员003."""
    expanded: list[dict[str, Any]] = []
    for row in rows:
        count = row.get("_repeat")
        if count is None:
            expanded.append(row)
            continue
        template = {k: v for k, v in row.items() if k != "_repeat"}
        for number in range(1, int(count) + 1):
            copy_ = dict(template)
            if "name" in copy_:
                copy_["name"] = f"{copy_['name']}{number:03d}"
            expanded.append(copy_)
    return expanded


def build_ledger(base: Rows, case: Case) -> Rows:
    tables = {sheet: _expand(rows) for sheet, rows in copy.deepcopy(base).items()}
    for sheet, rows in case.replace.items():
        tables[sheet] = _expand(copy.deepcopy(rows))
    for sheet, keys in case.remove.items():
        tables[sheet] = [r for i, r in enumerate(tables.get(sheet, []))
                         if not any(_matches_key(sheet, r, i, k) for k in keys)]
    for sheet, changes in case.patch.items():
        for key, change in changes.items():
            hits = [r for i, r in enumerate(tables.get(sheet, [])) if _matches_key(sheet, r, i, key)]
            if not hits:
                raise ValueError(f"patch: no row {key!r} in {sheet}")
            for row in hits:
                row.update(change)
    for sheet, rows in case.add.items():
        tables.setdefault(sheet, []).extend(_expand(copy.deepcopy(rows)))
    return tables


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, (dt.date, dt.datetime)):
        expected = expected.isoformat()
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return abs(expected - actual) < 1e-9
    return str(expected) == str(actual)


def _label(raw: Any, shown: Any) -> Any:
    """Periods are compared by their machine label (2025-03), everything else as the JSON shows it."""
    return raw.label if isinstance(raw, Period) else shown


def _match(expect: Expect, finding: Finding) -> bool:
    data = finding.to_dict("zh")
    checks = [
        expect.org is None or expect.org == finding.org_id,
        expect.period is None or (finding.period is not None and expect.period == finding.period.label),
        expect.subject is None or expect.subject == finding.subject.label,
        expect.location is None or (finding.location is not None and expect.location == finding.location.short()),
        expect.severity is None or expect.severity == finding.severity.value,
        expect.message is None or expect.message in finding.message.zh,
    ]
    evidence = data["evidence"]
    assert isinstance(evidence, dict)
    checks += [k in evidence and _same(v, _label(finding.evidence[k], evidence[k])) for k, v in expect.evidence.items()]
    return all(checks)


def _describe(finding: Finding, lang: Lang) -> str:
    where = finding.location.short() if finding.location else "-"
    period = finding.period.label if finding.period else "-"
    return f"{finding.org_id} {period} {finding.subject.label} @ {where}: {finding.message(lang)}"


def compare(expected: list[Expect], result: AuditResult, skipped: str | None = None) -> list[Text]:
    """Problems with the findings: every expectation matches one finding, and nothing is left over; the rule
    was checked, or, for a case that says so, not checked for the reason it gives."""
    problems = [Text(f"输入问题 {i.code}，位置 {i.location.short()}：{i.message('zh')}",
                     f"input issue {i.code} at {i.location.short()}: {i.message('en')}") for i in result.input_issues
                if i.level == "error"]
    problems += [Text(f"规则出错：{c.error}", f"rule crashed: {c.error}") for c in result.crashes]
    if skipped is None:
        problems += [Text(f"规则未检查：{s.reason.zh}", f"rule skipped: {s.reason.en}") for s in result.skipped_rules]
    elif not any(skipped in s.reason.zh or skipped in s.reason.en for s in result.skipped_rules):
        problems.append(Text(f"用例说规则不检查（{skipped}），但规则检查了",
                             f"expected the rule not to be checked ({skipped}), but it was"))
    remaining = list(result.findings)
    for expect in expected:
        hit = next((f for f in remaining if _match(expect, f)), None)
        if hit is None:
            wanted = expect.model_dump(exclude_defaults=True)
            problems.append(Text(f"预期的问题没有出现：{wanted}", f"expected but not found: {wanted}"))
        else:
            remaining.remove(hit)
    problems += [Text(f"多出的问题：{_describe(f, 'zh')}", f"unexpected finding: {_describe(f, 'en')}")
                 for f in remaining]
    return problems


def load_case_file(path: Path) -> tuple[YamlDocument, CaseFile]:
    doc = load_yaml(path, str(path), RulePackError)
    return doc, parse_model(doc, CaseFile, RulePackError)


def run_case_file(path: Path, rulebook: Rulebook, workdir: Path | None = None) -> list[CaseOutcome]:
    doc, spec = load_case_file(path)
    if spec.rule not in rulebook.rules:
        raise RulePackError(Text(f"用例文件引用的规则 {spec.rule} 不在规则包中", f"no such rule {spec.rule} in the pack"),
                            doc.location(("rule",)))
    unknown = [s for s in spec.ledger if s not in SHEETS_BY_KEY]
    if unknown:
        raise RulePackError(Text(f"未知的工作表 {unknown}", f"unknown sheet(s) {unknown}"), doc.location(("ledger",)))
    single = rulebook.select([spec.rule])
    outcomes: list[CaseOutcome] = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for name, case in spec.cases.items():
            outcome = CaseOutcome(spec.rule, name, doc.display, doc.line_of(("cases", name)),
                                  expect_empty=not case.expect)
            try:
                tables = build_ledger(spec.ledger, case)
                book = write_workbook(Path(tmp) / f"{name}.xlsx", tables, Style(all_columns=True))
                rules = with_check(single, spec.rule, case.check, doc, ("cases", name, "check"))
                result = audit_workbook(book, rules, case.as_of or spec.as_of, case.since or spec.since,
                                        display="case.xlsx")
                outcome.problems = compare(case.expect, result, case.skipped) + unfilled(result)
            except (LedgercheckError, ValueError) as exc:
                outcome.problems = [exc.message if isinstance(exc, LedgercheckError) else Text(str(exc), str(exc))]
            outcomes.append(outcome)
    return outcomes


_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|\bNone\b")


def unfilled(result: AuditResult) -> list[Text]:
    """Messages that would show a user a placeholder (`{full_on}`) or Python's None: every case run checks."""
    return [Text(f"{'中文' if lang == 'zh' else '英文'}问题说明中留有占位符：{text!r}",
                 f"placeholder left in the {lang} message: {text!r}") for finding in result.findings
            for lang, text in (("zh", finding.message.zh), ("en", finding.message.en)) if _PLACEHOLDER.search(text)]


def with_check(rulebook: Rulebook, rule_id: str, change: dict[str, Any], doc: YamlDocument,
               path: tuple[str, ...]) -> Rulebook:
    """The rulebook with one rule's check parameters changed for a case (validated like an override)."""
    if not change:
        return rulebook
    loaded = rulebook.rules[rule_id]
    raw = deep_merge(loaded.raw, {"check": change})
    rule = validate_rule(raw, doc, path)
    changed = LoadedRule(rule, raw, loaded.doc, loaded.path, loaded.pack)
    return Rulebook(rulebook.packs, {rule_id: changed}, rulebook.regulations, rulebook.directories)


def case_files(rulebook: Rulebook, own_only: bool = True) -> list[Path]:
    """Case files of the rulebook's last pack (or of every pack it extends too)."""
    folders = rulebook.directories[-1:] if own_only else rulebook.directories
    return [p for folder in folders for p in sorted((folder / TESTS_DIR).glob("*.yaml"))]


def case_kinds(rulebook: Rulebook) -> dict[str, set[bool]]:
    """Rule id → the kinds of case its case files hold (True: expects findings; False: `expect: []`).

    Read from the case files without running them; a case file named after another rule is a pack error.
    """
    found: dict[str, set[bool]] = {}
    for path in case_files(rulebook):
        doc, spec = load_case_file(path)
        if path.stem != spec.rule:
            raise RulePackError(Text(f"用例文件应以其规则命名（{spec.rule}.yaml）", f"a case file is named after its "
                                     f"rule ({spec.rule}.yaml)"), doc.location(("rule",)))
        found.setdefault(spec.rule, set()).update(bool(case.expect) for case in spec.cases.values()
                                                  if case.skipped is None)
    return found


def standard_problems(rulebook: Rulebook, kinds: dict[str, set[bool]]) -> list[Text]:
    """What the rules of the rulebook's own pack lack by the standard every rule keeps.

    A rule cites its regulation (with the article, or says why not), has its title and message in Chinese and
    English and a rationale, and has a passing case (`expect: []`) and a failing one. The one statement of the
    standard: `ledgercheck rules test` and the test suite both apply it. `kinds` is what case_kinds returns (or
    what the cases that ran showed).
    """
    own_pack = rulebook.packs[-1][0]
    problems: list[Text] = []
    for rule_id, loaded in rulebook.rules.items():
        if loaded.pack != own_pack:
            continue
        rule = loaded.rule
        for source in rule.source:
            if source.article is None and not (source.note or rule.rationale):
                problems.append(Text(f"{rule_id}：引用没有写明条款时须说明原因（note 或 rationale）",
                                     f"{rule_id}: a citation without an article must say why (a note or the rationale)"))
        for text in (rule.title, rule.message):
            if not (text.zh.strip() and text.en.strip()):
                problems.append(Text(f"{rule_id}：标题和问题说明都要有中文和英文",
                                     f"{rule_id}: the title and the message need both Chinese and English"))
        if rule.rationale is None:
            problems.append(Text(f"{rule_id}：缺少 rationale（用中英文说明检查什么、为什么）",
                                 f"{rule_id}: no rationale (what the rule checks and why, in both languages)"))
        if False not in kinds.get(rule_id, set()):
            problems.append(Text(f"{rule_id}：缺少通过的用例（`expect: []` 的用例）",
                                 f"{rule_id}: no passing case (a case with `expect: []`)"))
        if True not in kinds.get(rule_id, set()):
            problems.append(Text(f"{rule_id}：缺少不通过的用例（预期有问题的用例）",
                                 f"{rule_id}: no failing case (a case that expects findings)"))
    return problems
