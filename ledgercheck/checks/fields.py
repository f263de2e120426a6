"""`fields`: required fields filled in, and values in a valid format (ID-number checksum, phone)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter, mul
from typing import Annotated, Literal

from ledgercheck.checks.base import (
    Kind,
    KindParams,
    Meaning,
    RecordSheet,
    Scope,
    Violation,
    complaint,
    matches,
    subject_of,
    unknown_field,
)
from ledgercheck.common.i18n import Text
from ledgercheck.common.spec import Field, model_validator
from ledgercheck.model.periods import Period
from ledgercheck.model.records import Record
from ledgercheck.model.schema import SHEETS_BY_KEY

EVIDENCE = frozenset({"missing", "field", "problem"})

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"


_ID_FORMAT = re.compile(r"\d{17}[\dX]")


def valid_id_number(value: str) -> bool:
    """GB 11643-1999: 17 digits, a valid birth date in digits 7–14, and the ISO 7064 MOD 11-2 check code."""
    if not _ID_FORMAT.fullmatch(value):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(map(mul, map(int, value[:17]), _WEIGHTS))
    return _CHECK_CODES[total % 11] == value[17]


_PHONE = re.compile(r"(\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def valid_phone(value: str) -> bool:
    """A mainland mobile number, or a landline with an area code."""
    return bool(_PHONE.fullmatch(value))


VALIDATORS: dict[str, Callable[[str], bool]] = {"gb11643": valid_id_number, "phone": valid_phone}


def id_number_problem(value: str) -> Text:
    """What is wrong with an ID number valid_id_number refuses, without repeating any of its digits (they are a
    person's birth date and more): the secretary is told what to look for on the card."""
    if len(value) == 15 and value.isdigit():
        return Text("这是15位的旧身份证号码，应更新为18位的号码", "an old 15-digit number; the 18-digit one is needed")
    if len(value) != 18:
        return Text(f"共{len(value)}位，应为18位", f"{len(value)} characters, not 18")
    if not _ID_FORMAT.fullmatch(value):
        return Text("前17位应全是数字，第18位是数字或X", "the first 17 must be digits, the 18th a digit or X")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return Text("第7至14位不是有效的出生日期", "digits 7 to 14 are no valid birth date")
    return Text("第18位校验码不符，可能有数字录错", "the check digit (the 18th) does not match; a digit may be mistyped")


PROBLEMS: dict[str, Callable[[str], Text]] = {"gb11643": id_number_problem}  # what a validator found wrong


class Relief(KindParams):
    """Records matching `when` need not have `fields`."""

    when: dict[str, list[str]]
    fields: list[str] = Field(min_length=1)


class Params(KindParams):
    kind: Literal["fields"]
    sheet: Annotated[RecordSheet, Meaning("检查的工作表", "sheet checked")]
    required: Annotated[list[str], Meaning("必须填写的列", "columns that must be filled in")] = Field(default_factory=list)
    validate_: Annotated[dict[str, Literal["gb11643", "phone"]], Meaning(
        "需校验格式的列（gb11643：身份证号校验码；phone：电话号码）",
        "columns whose format is validated (gb11643: ID check digit; phone)")] = Field(default_factory=dict, key="validate")
    # Only records whose field has one of the listed values (member status 正常, meeting kinds …).
    when: Annotated[dict[str, list[str]], Meaning(
        "只检查这些取值的记录",
        "only records with these values")] = Field(default_factory=dict)
    filled: Annotated[list[str], Meaning(
        "只检查这些列已填写的记录（如已接收为预备党员的）",
        "only records with these columns filled in (recruits already admitted, say)")] = Field(default_factory=list)
    window: Annotated[str | None, Meaning(
        "日期或月份列：早于审计期间的记录视为历史，不检查",
        "a date or month column: records before the audit window are history, not checked")] = None
    not_required: Annotated[list[Relief], Meaning(
        "某些记录不需要的列（如谈心谈话没有应到、实到人数）",
        "columns some records need not have (a one-to-one talk has no attendance)")] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_fields(self) -> Params:
        known = SHEETS_BY_KEY[self.sheet].by_key
        relieved = [name for relief in self.not_required for name in [*relief.fields, *relief.when]]
        dated = [self.window] if self.window else []
        for name in [*self.required, *self.validate_, *self.when, *relieved, *self.filled, *dated]:
            if name not in known:
                raise unknown_field(self.sheet, name)
        if not self.required and not self.validate_:
            raise complaint("请给出 required（必填的列）、validate（要校验格式的列）或两者",
                            "give `required` fields, `validate` formats, or both")
        return self


def requires(params: Params) -> list[tuple[str, str | None]]:
    """The sheet and every column the rule looks at: without the column a rule would call every row incomplete,
    so the rule is not checked and says which column is missing."""
    return [(params.sheet, None), *((params.sheet, name) for name in dict.fromkeys([*params.required,
                                                                                   *params.validate_]))]


def _header(sheet: str, name: str) -> Text:
    spec = SHEETS_BY_KEY[sheet].by_key[name]
    return Text(spec.header, spec.en)


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    records = scope.records(params.sheet)
    if BY_COLUMN and not params.validate_ and not _some_empty(records, params.required):
        return  # no record lacks a required value, whatever the filters: the usual case, found a column at a time
    first, last = scope.window.start, scope.as_of
    required, filled, dated = _values(params.required), _values(params.filled), params.window
    inside: dict[object, bool] = {}  # by date or month: a sheet repeats a few of them over many rows
    for record in records:
        if params.when and not matches(record, params.when):
            continue
        if params.filled and _any_empty(filled(record)):
            continue
        if dated is not None:
            day = getattr(record, dated, None)
            found = inside.get(day)
            if found is None:
                found = inside[day] = _in_window(day, first, last)
            if not found:
                continue
        values = required(record)
        if _any_empty(values):  # some required value is empty: which, and excused?
            # A value is missing only where the record's own sheet has the column: a ledger may keep one kind of
            # record in several sheets (主题党日 in a sheet of its own, without 主持人), and a sheet without the
            # column was not asked for it.
            kept = record.src.columns if record.src is not None else None
            excused = {f for relief in params.not_required if _all_match(record, relief.when) for f in relief.fields}
            missing = [f for f, value in zip(params.required, values, strict=True)
                       if value in _EMPTY and f not in record.unreadable
                       and (kept is None or f in kept) and f not in excused]
            if missing:
                names = Text("、".join(_header(params.sheet, f).zh for f in missing),
                             ", ".join(_header(params.sheet, f).en for f in missing))
                yield Violation(subject_of(record), record.at(missing[0]), {"missing": names, "field": names})
        for name, validator in params.validate_.items():
            value = getattr(record, name, None)
            if value and not VALIDATORS[validator](value):
                problem = PROBLEMS[validator](value) if validator in PROBLEMS else None
                yield Violation(subject_of(record), record.at(name),
                                {"field": _header(params.sheet, name), "missing": None, "problem": problem})


_EMPTY = (None, "", ())  # an empty value: no date, no text, no list


def _any_empty(values: Sequence[object]) -> bool:
    """Whether some value is empty (three containment tests in C, not a comparison per value in Python)."""
    return None in values or "" in values or () in values


BY_COLUMN = True  # False: every record looked at in Python (tests/ingest/test_scan_worker_shortcuts.py compares)


def _some_empty(records: list[Record], names: list[str]) -> bool:
    """Whether some record's value of one of `names` is empty or missing: each field's column fetched in C
    (attrgetter) and searched for the empty values in C, where the loop below takes every record in Python."""
    for name in names:
        try:
            column = list(map(attrgetter(name), records))
        except AttributeError:  # a record without the field: empty
            return True
        if _any_empty(column):
            return True
    return False


def _values(names: list[str]) -> Callable[[Record], tuple[object, ...]]:
    """A record's values of `names`, a tuple fetched in C (attrgetter), None for a field the record lacks."""
    if not names:
        return lambda _record: ()
    fetch = attrgetter(*names)

    def values(record: Record) -> tuple[object, ...]:
        try:
            found = fetch(record)
        except AttributeError:
            return tuple(getattr(record, name, None) for name in names)
        return found if len(names) > 1 else (found,)

    return values


def _in_window(value: object, first: dt.date, last: dt.date) -> bool:
    """A date inside the window, or a month that overlaps it; an empty date is not history."""
    if isinstance(value, Period):
        return value.end >= first and value.start <= last
    if isinstance(value, dt.date):
        return first <= value <= last
    return True


def _all_match(record: Record, when: dict[str, list[str]]) -> bool:
    """Every value of a multi-valued field is listed (a record of 谈心谈话 alone, not one that adds 党课)."""
    for name, allowed in when.items():
        value = getattr(record, name, None)
        values = value if isinstance(value, tuple) else (value,)
        if not values or any(v not in allowed for v in values):
            return False
    return True


kind = Kind("fields", Params, EVIDENCE, requires, evaluate)
