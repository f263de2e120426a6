"""`expression`: a row-level condition in CEL (Common Expression Language), never Python eval.

Each row of `sheet` for which `when` holds must satisfy `require`; a row that does not is a finding.
Expressions are compiled when the rule pack loads: a syntax error, an unknown variable or an unknown
function is a rule-pack error naming the file and line. CEL is evaluated by the `cel` package
(common-expression-language, the Rust CEL interpreter), chosen over cel-python for compiling ahead of
time, listing an expression's variables and functions (so they are checked at load) and speed.

Variables:
- the row's fields by their keys (ledger-format.md); an empty cell is `null`;
- `org`: a map of the row's organization fields (`org.committee_size`, `org.org_type`, …);
- `params`: the rule's `params` map, so local packs can override figures without rewriting the expression;
- `as_of`: the audit date.
Dates are ISO strings (`'2025-03-05'`), which compare correctly with `<`, `<=`, `==`; a dues month is
`'2025-03'`. For calendar arithmetic use `add_months(date, n)`, `add_years(date, n)`,
`months_between(a, b)`, `years_between(a, b)` and `days_between(a, b)` (or the `timeline` kind).
Integer columns are ints, number columns (学时, 金额) doubles; comparisons mix them freely, arithmetic
does not (write `24.0`). Lists (缺席人员, 入党介绍人, 活动类型) are lists of strings.

An expression that fails on a row (comparing `null` with a number, say) stops the rule with an error that
names the cell's row and the expression: it is never taken as "false". Guard optional fields in `when`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import time
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ledgercheck.checks.base import (
    Kind,
    KindParams,
    Meaning,
    RecordSheet,
    Scope,
    Violation,
    complaint,
    subject_of,
    unknown_field,
)
from ledgercheck.common.errors import RulePackError
from ledgercheck.common.i18n import Term, Text
from ledgercheck.common.spec import Field, Private, field_validator, model_validator
from ledgercheck.model.periods import Period, add_months, months_between, years_between
from ledgercheck.model.records import Record
from ledgercheck.model.schema import ENUMS, SHEETS_BY_KEY, FieldSpec, FieldType

if TYPE_CHECKING:
    from pydantic import ValidationInfo


def _load_cel() -> ModuleType:
    """The `cel` package's compiled extension, without the package's own __init__.

    `import cel` also imports its command-line tool (typer, prompt_toolkit, pygments): about 0.15 s of start-up
    for nothing an audit uses. The extension module `cel.cel` holds compile, Program and Context, so it is loaded
    from its file directly; should the package layout change, the plain import still works.
    """
    try:
        package = importlib.util.find_spec("cel")
        folder = Path(next(iter(package.submodule_search_locations or ())))  # type: ignore[union-attr]
        library = next(p for p in folder.iterdir() if p.name.startswith("cel.") and p.suffix in (".so", ".pyd"))
        spec = importlib.util.spec_from_file_location("cel.cel", library)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        module.compile  # noqa: B018 - the names this module uses must be there
        module.Context  # noqa: B018
        return module
    except Exception:  # noqa: BLE001 - any surprise: fall back to the ordinary import
        import cel

        return cel


cel = _load_cel()

_ORG_FIELDS = [f.key for f in SHEETS_BY_KEY["orgs"].fields]
# A message may name the row fields the rule names (in require, when, window or at), the organization fields
# it names (as org_<field>) and its params: those are what a finding carries (extra_evidence).
EVIDENCE: frozenset[str] = frozenset()

HELPERS = {
    "add_months": lambda d, n: add_months(dt.date.fromisoformat(d), int(n)).isoformat(),
    "add_years": lambda d, n: add_months(dt.date.fromisoformat(d), int(n) * 12).isoformat(),
    "months_between": lambda a, b: months_between(dt.date.fromisoformat(a), dt.date.fromisoformat(b)),
    "years_between": lambda a, b: years_between(dt.date.fromisoformat(a), dt.date.fromisoformat(b)),
    "days_between": lambda a, b: (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days,
}
STANDARD = frozenset({
    "size", "contains", "startsWith", "endsWith", "matches", "int", "uint", "double", "string", "bytes", "bool",
    "timestamp", "duration", "type", "dyn", "has", "getFullYear", "getMonth", "getDate", "getDayOfMonth",
    "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
})
_MACRO_VARIABLE = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")


# Compiled programs by source: compiled once when the pack loads, shared by equal expressions (and keeping the
# rule models comparable by value).
_COMPILED: dict[tuple[str, frozenset[str]], Any] = {}


class ExpressionError(RulePackError):
    """A rule's expression failed on a row of the ledger."""


def compile_checked(source: str, allowed: set[str]) -> Any:
    """Compile a CEL expression; unknown variables and functions are errors here, not on some later row."""
    key = (source, frozenset(allowed))
    if key not in _COMPILED:
        _COMPILED[key] = _compile(source, allowed)
    return _COMPILED[key]


MAX_LENGTH = 1000  # characters of one expression (the built-in rules need under 150)
MAX_NESTING = 2  # comprehensions (all, exists, exists_one, map, filter) inside one another: each multiplies the cost
RULE_SECONDS = 10.0  # evaluation time of one expression rule over a whole ledger before it is stopped
_MACRO = re.compile(r"\.\s*(?:all|exists_one|exists|map|filter)\s*\(")
_QUOTED = re.compile(r"'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")


def _nesting(source: str) -> int:
    """How deeply comprehensions nest in `source` (strings left out)."""
    text = _QUOTED.sub("''", source)
    starts = {match.end() - 1 for match in _MACRO.finditer(text)}  # the "(" of each comprehension
    open_parens: list[bool] = []
    deepest = 0
    for at, ch in enumerate(text):
        if ch == "(":
            open_parens.append(at in starts)
            deepest = max(deepest, sum(open_parens))
        elif ch == ")" and open_parens:
            open_parens.pop()
    return deepest


def _compile(source: str, allowed: set[str]) -> Any:
    if len(source) > MAX_LENGTH:
        raise complaint(f"表达式长 {len(source):,} 个字符，超过允许的 {MAX_LENGTH:,} 个",
                        f"the expression is {len(source):,} characters long, more than the {MAX_LENGTH:,} allowed")
    if _nesting(source) > MAX_NESTING:
        raise complaint(f"{source[:60]!r}… 中的 all、exists、exists_one、map、filter 嵌套了 {_nesting(source)} 层，"
                        f"最多允许 {MAX_NESTING} 层（每多一层，计算量成倍增加）",
                        f"comprehensions (all, exists, exists_one, map, filter) are nested {_nesting(source)} deep "
                        f"in {source[:60]!r}…; at most {MAX_NESTING} are allowed, since each level multiplies the "
                        "cost")
    try:
        program = cel.compile(source)
    except ValueError as exc:
        detail = str(exc).split(": ", 1)[-1]
        raise complaint(f"{source!r} 有 CEL 语法错误：{detail}", f"CEL syntax error in {source!r}: {detail}") from None
    refs = program.references()
    bound = set(_MACRO_VARIABLE.findall(source))
    unknown = sorted(set(refs["variables"]) - allowed - bound)
    if unknown:
        raise complaint(f"{source!r} 中有未知的变量 {'、'.join(unknown)}；可用：{', '.join(sorted(allowed))}",
                        f"unknown variable(s) {unknown} in {source!r}; known: {', '.join(sorted(allowed))}")
    functions = {f for f in refs["functions"] if not (f.startswith("_") or f.startswith("@") or f.endswith("_"))}
    unknown = sorted(functions - STANDARD - set(HELPERS))
    if unknown:
        raise complaint(f"{source!r} 中有未知的函数 {'、'.join(unknown)}；辅助函数：{', '.join(HELPERS)}；"
                        f"CEL 标准函数：{', '.join(sorted(STANDARD))}",
                        f"unknown function(s) {unknown} in {source!r}; "
                        f"helpers: {', '.join(HELPERS)}; CEL standard functions: {', '.join(sorted(STANDARD))}")
    return program


def _variables_of(sheet: str) -> set[str]:
    return set(SHEETS_BY_KEY[sheet].by_key) | {"org", "params", "as_of"}


class Params(KindParams):
    kind: Literal["expression"]
    sheet: Annotated[RecordSheet, Meaning("检查的工作表（每行一条记录）", "sheet checked (one record per row)")]
    require: Annotated[str, Meaning(
        "每条记录必须满足的条件（CEL 表达式）",
        "condition every record must meet (a CEL expression)")] = Field(min_length=1)
    when: Annotated[str | None, Meaning(
        "只检查满足此条件的记录（CEL 表达式）",
        "only records meeting this condition (a CEL expression)")] = None  # only rows for which this holds are judged
    params: Annotated[dict[str, Any], Meaning(
        "表达式中可用的参数（params.名称）",
        "values the expressions use as params.<name>")] = Field(default_factory=dict)
    window: Annotated[str | None, Meaning(
        "日期列：早于审计期间的记录视为历史，不检查",
        "a date column: records dated before the audit window are history, not checked")] = None
    in_force: Annotated[bool, Meaning(
        "审计期间开始前最近的一条记录仍然有效（如产生现任委员会的那次选举），也检查",
        "the latest record before the window still holds (the election of the sitting committee): judged too")] = False
    at: Annotated[str | None, Meaning(
        "问题指向的列（默认为 require 中的第一列）",
        "the column a finding points at (default: the first one require names)")] = None
    _used: tuple[list[str], list[str]] = Private()  # row fields and org fields the expressions use
    _named: tuple[str, ...] = Private()  # row fields named in `when` and `require` (not window, at)
    # The organization fields the verdict depends on: those named as org.<field>, or all of them when `org` is
    # used some other way (org['x'], size(org)); empty when the expressions do not use `org`.
    _org_key: tuple[str, ...] = Private()
    # Whether verdicts may be kept across audits (`_verdicts`): the expressions name no field that holds a name, an
    # ID number, a phone or free text; ENUMS fields only with every kind known (`_kept_across`).
    _across: bool = Private()

    @field_validator("require", "when")
    @classmethod
    def _compiles(cls, source: str | None, info: ValidationInfo) -> str | None:
        sheet = info.data.get("sheet")
        if source is not None and sheet is not None:
            compile_checked(source, _variables_of(sheet))
        return source

    @model_validator(mode="after")
    def _fields(self) -> Params:
        fields = SHEETS_BY_KEY[self.sheet].by_key
        for name in (self.window, self.at):
            if name is not None and name not in fields:
                raise unknown_field(self.sheet, name)
        sources = " ".join(s for s in (self.when, self.require) if s)
        names = re.findall(r"(?<![.\w])([A-Za-z_]\w*)", sources)
        self._set("_named", tuple(n for n in dict.fromkeys(names) if n in fields))
        uses = re.findall(r"(?<![.\w])org\b(?:\s*\.\s*(\w+))?", sources)
        self._set("_org_key", tuple(_ORG_FIELDS) if "" in uses else tuple(dict.fromkeys(uses)))
        org_specs = SHEETS_BY_KEY["orgs"].by_key
        self._set("_across", all(fields[n].type in _RECURRING for n in self._named)
                  and all(org_specs[n].type in _RECURRING for n in self._org_key if n in org_specs))
        names += [n for n in (self.window, self.at) if n is not None]
        row_fields = [n for n in dict.fromkeys(names) if n in fields]
        org_fields = [n for n in dict.fromkeys(re.findall(r"\borg\.(\w+)", sources)) if n in _ORG_FIELDS]
        self._set("_used", (row_fields, org_fields))
        return self

    def programs(self) -> tuple[Any, Any]:
        """The compiled `require` and `when` (None when absent)."""
        allowed = _variables_of(self.sheet)
        return (compile_checked(self.require, allowed),
                compile_checked(self.when, allowed) if self.when else None)


def extra_evidence(params: Params) -> set[str]:
    """What a message may name: the fields the rule names, and its params (checked when the pack loads)."""
    row_fields, org_fields = params._used
    return set(params.params) | set(row_fields) | {f"org_{name}" for name in org_fields}


def requires(params: Params) -> list[tuple[str, str | None]]:
    """The sheet and the row fields the expressions name: a missing column is "not checked", never a value."""
    return [(params.sheet, None), *((params.sheet, name) for name in params._used[0])]


def cel_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Period):
        return value.label
    if isinstance(value, tuple):
        return list(value)
    return value


def _context(params: Params, programs: tuple[Any, ...], org_map: dict[str, object], as_of: str) -> Any:
    """One CEL context per organization: org, params, as_of and the helpers the programs call.

    Converting a value into CEL costs microseconds (a map of the organization's fields about 15), so the
    fixed variables are bound once and only the row's fields change from one evaluation to the next.
    """
    context = cel.Context({"org": org_map, "params": params.params, "as_of": as_of})
    for program in programs:
        for name in program.references()["functions"]:
            if name in HELPERS:
                context.add_function(name, HELPERS[name])
    return context


def _run(program: Any, context: Any, source: str, record: Record, rule_part: str, clock: list[float]) -> bool:
    started = time.perf_counter()
    try:
        result = program.execute(context)
    except Exception as exc:  # noqa: BLE001 - any CEL failure is reported with the row, never taken as false
        raise _failure(source, record, rule_part, f"{type(exc).__name__}: {exc}") from None
    clock[0] += time.perf_counter() - started
    if clock[0] > RULE_SECONDS:
        where = record.at()
        cell = where.short() if where else "?"
        raise ExpressionError(Text(f"表达式 {rule_part}「{source}」求值用时超过 {RULE_SECONDS:.0f} 秒，规则已停止（停在 {cell} 行）",
                                   f"expression {rule_part} {source!r} took more than {RULE_SECONDS:.0f} s to "
                                   f"evaluate; the rule was stopped (at row {cell})"), where)
    if not isinstance(result, bool):
        raise _failure(source, record, rule_part, f"the result is {result!r}, not true or false")
    return result


def _failure(source: str, record: Record, part: str, error: str) -> ExpressionError:
    where = record.at()
    cell = where.short() if where else "?"
    return ExpressionError(Text(f"表达式 {part}「{source}」在 {cell} 行无法求值：{error}",
                                f"expression {part} {source!r} failed on row {cell}: {error}"), where)


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    require, when = params.programs()
    org_map = {name: cel_value(getattr(scope.org, name, None)) for name in _ORG_FIELDS}
    as_of = scope.as_of.isoformat()
    named = params._named  # read once, outside the loop
    read: Any = attrgetter(*named) if len(named) > 1 else (lambda r: (getattr(r, named[0]),)) if named else None
    # An expression is a pure function of the row fields it names, the organization fields it names, params and
    # as-of; ledger rows repeat a few values, so each distinct combination is evaluated once per audit, across
    # organizations. The values' types are part of the key: CEL tells 1 from 1.0, Python does not.
    org_key = tuple(org_map.get(name) for name in params._org_key)
    # The entry holds `params` itself, so its id cannot be reused by another object while the entry lives.
    verdicts: dict[tuple[object, ...], bool] = scope.cache.setdefault(
        ("expression", id(params), as_of, org_key), (params, {}))[1]
    kept = _verdicts(params, as_of, org_key) if params._across and SHARED else None
    specs = [SHEETS_BY_KEY[params.sheet].by_key[name] for name in named] if kept is not None else []
    # Seconds spent evaluating this rule's expressions in this audit, across organizations (RULE_SECONDS).
    clock: list[float] = scope.cache.setdefault(("expression-seconds", id(params)), [0.0])
    context = None
    dated, first, last = params.window, scope.window.start, scope.as_of
    fields = params._used[0]
    records = scope.records(params.sheet)
    standing = _in_force(records, dated, first) if params.in_force and dated is not None else None
    for record in records:
        if dated is not None:
            day = getattr(record, dated, None)
            if not isinstance(day, dt.date) or day > last or (day < first and record is not standing):
                continue
        values = read(record) if read is not None else ()
        key = values + tuple(map(type, values))
        keeps = verdicts.get(key)
        if keeps is None and kept is not None:
            keeps = kept.get(key)
        if keeps is None:
            if context is None:
                context = _context(params, (require, when) if when is not None else (require,), org_map, as_of)
            # Only the fields the expressions use are converted: CEL strings cost about a microsecond each.
            context.update({name: cel_value(getattr(record, name, None)) for name in fields})
            keeps = ((when is not None and not _run(when, context, params.when or "", record, "when", clock))
                     or _run(require, context, params.require, record, "require", clock))
            if kept is not None and _kept_across(specs, values):
                if len(kept) >= VERDICTS_KEPT:
                    kept.clear()
                kept[key] = keeps
            else:
                verdicts[key] = keeps
        if keeps:
            continue
        row_fields, org_fields = params._used
        evidence = {name: _shown(params.sheet, name, getattr(record, name, None)) for name in row_fields}
        evidence |= {f"org_{name}": _shown("orgs", name, getattr(scope.org, name, None)) for name in org_fields}
        evidence |= params.params
        yield Violation(subject_of(record), record.at(_focus(params)), evidence)


# Verdicts kept across audits (a scan's worker audits unit after unit, a web worker upload after upload): by rule,
# as-of date and the organization fields the expressions name. Units repeat the same few values (counts present
# and expected, kinds of meeting), so a later unit's rows are mostly answered without CEL. Only values that say
# nothing of a person are kept (`_kept_across`), as the loader keeps coerced values (ingest/loader.py). An entry
# holds its `params`, so that object's id cannot be reused by another while the entry lives.
SHARED = True  # False: each audit evaluates afresh (the straightforward path, for the tests)
_VERDICTS: dict[tuple[int, str, tuple[object, ...]], tuple[Params, dict[tuple[object, ...], bool]]] = {}
ENTRIES_KEPT = 1024  # rules × as-of dates × organizations' values; beyond them, all are let go
VERDICTS_KEPT = 4096  # verdicts kept for each (a rule naming a date meets new values in every unit)


def _verdicts(params: Params, as_of: str, org_key: tuple[object, ...]) -> dict[tuple[object, ...], bool]:
    key = (id(params), as_of, org_key)
    entry = _VERDICTS.get(key)
    if entry is None:
        if len(_VERDICTS) >= ENTRIES_KEPT:
            _VERDICTS.clear()
        entry = _VERDICTS[key] = (params, {})
    return entry[1]


# Field types whose values recur across units and are nobody's: counts, amounts, dates, enumerations.
_RECURRING = frozenset({FieldType.INT, FieldType.NUMBER, FieldType.DATE, FieldType.MONTH, FieldType.YEAR,
                        FieldType.ENUM, FieldType.ENUMS})
_PLAIN = (type(None), bool, int, float, dt.date, Period)


def _kept_across(specs: list[FieldSpec], values: tuple[object, ...]) -> bool:
    """Whether a row's values may key a verdict kept across audits: plain values, an enumeration's own values, and
    lists of kinds only when every kind is known (an unknown one is the ledger's own text)."""
    for spec, value in zip(specs, values):
        if isinstance(value, _PLAIN):
            continue
        known = ENUMS.get(spec.enum or "", ())
        if spec.type is FieldType.ENUM and isinstance(value, str) and value in known:
            continue
        if spec.type is FieldType.ENUMS and isinstance(value, tuple) and all(v in known for v in value):
            continue
        return False
    return True


def _in_force(records: list[Any], dated: str, first: dt.date) -> Any:
    """The latest record dated before the window: what was in force when the window opened."""
    earlier = [r for r in records if isinstance(getattr(r, dated, None), dt.date) and getattr(r, dated) < first]
    return max(earlier, key=lambda r: getattr(r, dated)) if earlier else None


def _shown(sheet: str, name: str, value: object) -> object:
    """Ledger vocabulary (组织类型, 党员类别 …) is translated in English messages."""
    if SHEETS_BY_KEY[sheet].by_key[name].enum is None:
        return value
    if isinstance(value, tuple):
        return [Term(v) for v in value]
    return Term(value) if isinstance(value, str) else value


def _focus(params: Params) -> str | None:
    """The cell to point at: `at`, else the first row field the requirement names."""
    if params.at is not None:
        return params.at
    fields = SHEETS_BY_KEY[params.sheet].by_key
    return next((n for n in re.findall(r"(?<![.\w])([A-Za-z_]\w*)", params.require) if n in fields), None)


kind = Kind("expression", Params, EVIDENCE, requires, evaluate, extra_evidence=extra_evidence)
