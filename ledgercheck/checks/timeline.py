"""`timeline`: the calendar gap between two dated fields of a row, against a minimum and a maximum.

`to − from` must be at least `min` and at most `max` (calendar arithmetic: 1 month after Jan 31 is
Feb 28/29; "1 year" is the same date a year later). A field may be another sheet's field of the same
person: `member.joined_on` from a recruit row, `recruit.extended_until` from a member row. An empty
`birth_date` is read from the ID number's birth-date digits.

An empty `to`: by default the row is not judged; with `pending: judge` the audit date stands in for it,
so only `max` can be broken ("not yet approved, and already late"); with `required_after` an empty
`to` is reported once that long has passed since `from`. Rows whose `to` date, or whose deadline for an empty
`to`, lies before the audit window are history and are not judged. An exact anniversary the calendar cut short
(29 February plus a year) accepts 1 March as well as 28 February.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal

from ledgercheck.checks.base import (
    Duration,
    Kind,
    KindParams,
    Meaning,
    RecordSheet,
    Scope,
    Violation,
    complaint,
    gap_text,
    matches,
    subject_of,
    unknown_field,
)
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.common.spec import Field, model_validator
from ledgercheck.model.periods import earliest, latest
from ledgercheck.model.records import Member, Record, Recruit
from ledgercheck.model.schema import SHEETS_BY_KEY

EVIDENCE = frozenset({"from_field", "to_field", "from_date", "to_date", "limit", "gap", "min", "max", "days",
                      "problem"})

LOOKUPS = {"member": ("recruits", "members"), "recruit": ("members", "recruits")}  # prefix: (from sheet, to sheet)


class Params(KindParams):
    kind: Literal["timeline"]
    sheet: Annotated[RecordSheet, Meaning("检查的工作表（每行一条记录）", "sheet checked (one record per row)")]
    from_: Annotated[str, Meaning("起始日期列", "column with the start date")] = Field(key="from")
    to: Annotated[str, Meaning(
        "结束日期列；为空时见 pending、required_after",
        "column with the end date; when empty, see pending and required_after")]
    min: Annotated[Duration | None, Meaning("两个日期至少相隔多久（按日历计算）", "least calendar gap between the two dates")] = None
    max: Annotated[Duration | None, Meaning("两个日期至多相隔多久", "greatest calendar gap between the two dates")] = None
    until_field: Annotated[str | None, Meaning(
        "填写了此列时，以它代替「起始日期 + max」作为期限（如延长预备期至）",
        "when filled, this column replaces start + max as the deadline (e.g. probation extended until)")] = None
    grace: Annotated[Duration, Meaning(
        "超过上限后再宽限多久才算问题",
        "tolerance past the upper bound before a finding")] = Duration()
    ignore_beyond: Annotated[Duration | None, Meaning(
        "相隔超过这么久的留给更严格的规则报告，本规则不报",
        "gaps longer than this are left to a stricter rule")] = None
    pending: Annotated[Literal["skip", "judge"], Meaning(
        "结束日期为空时：skip 不检查；judge 以截止日期代替，已超过上限即报告",
        "empty end date: skip the row, or judge it with the as-of date standing in")] = "skip"
    required_after: Annotated[Duration | None, Meaning(
        "起始日期后过了这么久仍未填写结束日期即报告",
        "an empty end date is reported once this long has passed since the start")] = None
    when: Annotated[dict[str, list[str]], Meaning(
        "只检查这些取值的记录",
        "only records with these values")] = Field(default_factory=dict)
    filled: Annotated[list[str], Meaning(
        "只检查这些列已填写的记录",
        "only records with these columns filled in")] = Field(default_factory=list)
    empty: Annotated[list[str], Meaning(
        "只检查这些列为空的记录",
        "only records with these columns empty")] = Field(default_factory=list)  # … and these empty

    @model_validator(mode="after")
    def _fields_exist(self) -> Params:
        for name in [self.from_, self.to, self.until_field, *self.filled, *self.empty]:
            if name is not None:
                _check_field(self.sheet, name)
        for name in self.when:
            _check_field(self.sheet, name)
        if self.min is None and self.max is None and self.required_after is None:
            raise complaint("请给出 min、max 或 required_after", "give min, max or required_after")
        return self


def _check_field(sheet: str, name: str) -> None:
    prefix, _, field = name.rpartition(".")
    if prefix:
        if prefix not in LOOKUPS or LOOKUPS[prefix][0] != sheet:
            allowed = [p for p, (s, _t) in LOOKUPS.items() if s == sheet]
            raise complaint(f"{name!r}：「{sheet}」表的行只能引用 {'、'.join(allowed) or '（无）'}",
                            f"{name!r}: rows of {sheet!r} can look up {', '.join(allowed) or 'nothing'}")
        sheet = LOOKUPS[prefix][1]
    known = SHEETS_BY_KEY[sheet].by_key
    if field not in known:
        raise unknown_field(sheet, field)


def requires(params: Params) -> list[tuple[str, str | None]]:
    needs: list[tuple[str, str | None]] = [(params.sheet, None)]
    for name in (params.from_, params.to):
        prefix, _, field = name.rpartition(".")
        sheet = LOOKUPS[prefix][1] if prefix else params.sheet
        if not (field == "birth_date"):  # derived from the ID number when the column is missing
            needs.append((sheet, field))
    return needs


def birth_from_id(id_number: str | None) -> dt.date | None:
    """The birth date in digits 7–14 of an 18-character ID number."""
    if not id_number or len(id_number) != 18:
        return None
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


class _Row:
    """Reads (possibly looked-up) fields of one row; `where` gives the cell a value came from."""

    def __init__(self, record: Record, scope: Scope):
        self.record = record
        self.scope = scope

    def _target(self, prefix: str) -> Record | None:
        people = self.scope.ledger.people
        if prefix == "member" and isinstance(self.record, Recruit):
            return people.member_of_recruit(self.record)
        if prefix == "recruit" and isinstance(self.record, Member):
            return people.recruit(self.record)
        return None

    def _source(self, name: str) -> tuple[Record | None, str]:
        prefix, _, field = name.rpartition(".")
        return (self._target(prefix) if prefix else self.record), field

    def value(self, name: str) -> object:
        record, field = self._source(name)
        if record is None:
            return None
        value = getattr(record, field, None)
        if value is None and field == "birth_date":
            return birth_from_id(getattr(record, "id_number", None))
        return value

    def where(self, name: str) -> Location | None:
        """The cell of `value(name)`: for a birth date read from the ID number, the ID number's cell."""
        record, field = self._source(name)
        if record is None:
            return None
        if getattr(record, field, None) is None and field == "birth_date":
            return record.at("id_number") if birth_from_id(getattr(record, "id_number", None)) else None
        return record.at(field)


def _header(sheet: str, name: str) -> Text:
    prefix, _, field = name.rpartition(".")
    spec = SHEETS_BY_KEY[LOOKUPS[prefix][1] if prefix else sheet]
    header = spec.by_key[field]
    if prefix:
        return Text(f"{spec.title}表的{header.header}", f"{header.en} in {spec.en}")
    return Text(header.header, header.en)


def _selected(params: Params, row: _Row) -> bool:
    if params.when and not matches(row.record, params.when):
        return False
    if any(row.value(name) in (None, "", ()) for name in params.filled):
        return False
    return all(row.value(name) in (None, "", ()) for name in params.empty)


def _bounds(params: Params, start: dt.date, row: _Row) -> tuple[dt.date | None, dt.date | None]:
    # A start given with its month only (2024.09) may be any day of it: the bounds widest it allows.
    lower = params.min.after(earliest(start)) if params.min else None
    upper = params.max.after(latest(start)) if params.max else None
    if upper is not None and upper.day < start.day and params.max is not None and params.max == params.min \
            and not params.max.days:
        # An anniversary the calendar cut short (29 February + 1 year): a deadline ends on the month's last day
        # (民法典 第二百零二条), but a date recorded as the anniversary itself may be either 28 February or
        # 1 March, and both are accepted.
        upper += dt.timedelta(days=1)
    if params.until_field:
        until = row.value(params.until_field)
        if isinstance(until, dt.date):
            upper = latest(until)
            if params.min is not None and params.min == params.max:
                lower = earliest(until)
    return lower, upper


PROBLEMS = {
    "early": Text("间隔不足", "too short"),
    "late": Text("间隔过长", "too late"),
    "pending": Text("至今未办理且已超过期限", "still not done, and past the deadline"),
    "missing": Text("未填写", "not recorded"),
}


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    for record in scope.records(params.sheet):
        row = _Row(record, scope)
        if not _selected(params, row):
            continue
        start = row.value(params.from_)
        if not isinstance(start, dt.date):
            continue
        end = row.value(params.to)
        lower, upper = _bounds(params, start, row)
        finding = _judge(params, scope, start, end, lower, upper)
        if finding is None:
            continue
        # Cells and evidence only for rows that break the rule.
        start_at, end_at = row.where(params.from_), row.where(params.to)
        evidence: dict[str, object] = {
            "from_field": _header(params.sheet, params.from_), "to_field": _header(params.sheet, params.to),
            "from_date": start, "to_date": end if isinstance(end, dt.date) else None,
            "min": params.min.text() if params.min else None, "max": params.max.text() if params.max else None}
        # An empty `to` of the row itself points at the empty cell, where the date belongs.
        to_at = end_at or (record.at(params.to) if "." not in params.to else None)
        related = tuple(loc for loc in (start_at,) if loc is not None)
        problem, limit, compared = finding
        evidence |= {"problem": PROBLEMS[problem], "limit": limit,
                     "gap": gap_text(start, compared) if compared else None,
                     "days": abs((compared - limit).days) if compared and limit else None}
        yield Violation(subject_of(record), to_at or start_at, evidence, None, related)


def _judge(params: Params, scope: Scope, start: dt.date, end: object, lower: dt.date | None,
           upper: dt.date | None) -> tuple[str, dt.date | None, dt.date | None] | None:
    """(problem, the bound broken, the date compared with it) or None when the row keeps the rule."""
    as_of = scope.as_of
    if not isinstance(end, dt.date):
        # An empty date whose deadline passed before the window is history (a 2010 admission long since
        # settled): the window decides what is audited, for missing dates as for recorded ones.
        if params.pending == "judge" and upper is not None:
            deadline = params.grace.after(upper)
            if as_of > deadline >= scope.window.start and _within(params, start, as_of):
                return "pending", upper, as_of
        if params.required_after is not None:
            deadline = params.required_after.after(start)
            if as_of > deadline >= scope.window.start:
                return "missing", deadline, None
        return None
    if latest(end) < scope.window.start:
        return None
    # An end given with its month only keeps the rule if any day of its month would.
    if lower is not None and latest(end) < lower:
        return "early", lower, end
    if upper is not None and earliest(end) > params.grace.after(upper) and _within(params, start, end):
        return "late", upper, end
    return None


def _within(params: Params, start: dt.date, end: dt.date) -> bool:
    return params.ignore_beyond is None or end <= params.ignore_beyond.after(start)


kind = Kind("timeline", Params, EVIDENCE, requires, evaluate)
