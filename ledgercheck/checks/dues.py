"""`dues`: Party dues against the bracket table, month by month.

Dues rows are matched to members by ID number, else by organization and name, else by a name only one
member has (model/people.py). What is judged (`report`):
- `amount`:    each row of the organization: the amount due by the member's bracket (人员类别 selects the
               table; the base is 缴费基数), against 应缴金额 and 实缴金额 (paying more is allowed);
- `missing`:   each active member, each complete month in the window from the month they joined, has a
               paid row (实缴金额 > 0);
- `backpay`:   a row paid more than `max_delay` after the end of its month;
- `start`:     dues start in the month the member was admitted: no rows before it, and the first row
               not later than it;
- `branch`:    each row inside the window is paid to the organization that holds the member's membership
               (the member's own branch), counting from the month after a transfer in;
- `waived`:    each row inside the window written 免交 or 减免 (records.WAIVED), whose month the other reports
               count as settled: the waiver needs the higher committee's approval, which a ledger does not show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from typing import Annotated, Literal

from ledgercheck.checks.base import Due, Duration, Kind, KindParams, Meaning, Scope, Violation, complaint, subject_of
from ledgercheck.common.i18n import Lang, Term, Text, format_value
from ledgercheck.common.spec import Field, model_validator
from ledgercheck.model.periods import Period, Unit, YearDate, earliest, latest
from ledgercheck.model.records import DuesPayment, Member, is_waived
from ledgercheck.model.schema import ENUMS

EVIDENCE = frozenset({"month", "base", "rate", "expected", "due", "paid", "person_kind", "paid_on", "limit",
                      "joined_on", "first_month", "problem", "count"})


class Bracket(KindParams):
    up_to: float | None = None  # inclusive upper bound of the base; none for the top bracket
    rate: float = Field(ge=0, le=1)

    def localized(self, lang: Lang) -> str:
        """`≤3000 0.5%`; the top bracket `以上 2%` / `above 2%` (how format_value shows it)."""
        rate = f"{format_value(round(self.rate * 100, 4), lang)}%"
        if self.up_to is None:
            return f"{'以上' if lang == 'zh' else 'above'} {rate}"
        return f"≤{format_value(self.up_to, lang)} {rate}"


class Table(KindParams):
    """How one kind of member pays: a rate by income bracket, a fixed monthly amount, or both."""

    brackets: list[Bracket] = Field(default_factory=list)
    fixed: float | None = Field(default=None, ge=0)  # a fixed amount, used when no base is recorded
    fixed_max: float | None = Field(default=None, ge=0)  # … or any amount from `fixed` to `fixed_max`

    @model_validator(mode="after")
    def _ordered(self) -> Table:
        if not self.brackets and self.fixed is None:
            raise complaint("请给出 brackets（分档）、fixed（固定金额）或两者", "give brackets, a fixed amount, or both")
        bounds = [b.up_to for b in self.brackets]
        if bounds and (bounds[-1] is not None or any(b is None for b in bounds[:-1])):
            raise complaint("除最后一档外每档都要写 up_to，最后一档不写", "every bracket but the last needs up_to; the last has none")
        upper = [b for b in bounds[:-1] if b is not None]  # every bracket's bound but the last (which has none)
        if any(a >= b for a, b in zip(upper, upper[1:])):
            raise complaint("各档须按 up_to 从小到大排列", "brackets must be in ascending order of up_to")
        return self

    def rate(self, base: float) -> float:
        return next(b.rate for b in self.brackets if b.up_to is None or base <= b.up_to)


class Params(KindParams):
    kind: Literal["dues"]
    report: Annotated[Literal["amount", "missing", "backpay", "start", "branch", "payer", "waived"], Meaning(
        "检查什么：amount 应缴金额；missing 漏缴月份；backpay 补交超期；start 党费起交月份；branch 向所在党支部交纳；"
        "payer 交纳人在党员名册中；waived 免交的月份",
        "what is checked: amount due, missing months, late back payment, the first month, payment to the "
        "member's own branch, a payer the roster lists, or months waived")]
    tables: Annotated[dict[str, Table], Meaning(
        "各类人员的交纳标准：按收入基数分档的比例（brackets，up_to 为该档上限，元），或每月固定金额（fixed，至 fixed_max）",
        "each kind of member's rates: a rate by income bracket (brackets; up_to is the bracket's upper bound in "
        "yuan), or a fixed monthly amount (fixed, up to fixed_max)")] = Field(default_factory=dict)
    rounding: Annotated[float, Meaning(
        "应缴金额四舍五入到的单位（元）",
        "the amount due is rounded half up to this (yuan)")] = Field(default=0.01, gt=0)
    max_delay: Annotated[Duration, Meaning(
        "所属月份结束后最迟多久交纳，超过即为补交超期",
        "longest delay after the end of the month before a payment counts as late back payment")] = Duration(
            months=6)

    @model_validator(mode="after")
    def _tables(self) -> Params:
        unknown = [k for k in self.tables if k not in ENUMS["person_kind"]]
        if unknown:
            raise complaint(f"未知的人员类别 {'、'.join(unknown)}；可用：{'、'.join(ENUMS['person_kind'])}",
                            f"unknown person kind(s) {unknown}; use {', '.join(ENUMS['person_kind'])}")
        if self.report == "amount" and not self.tables:
            raise complaint("report: amount 需要给出 tables（各类人员的标准）", "report: amount needs `tables`")
        return self


def requires(params: Params) -> list[tuple[str, str | None]]:
    needs: list[tuple[str, str | None]] = [("dues", None), ("members", None)]
    if params.report == "amount":
        needs += [("members", "person_kind")]
    if params.report == "backpay":
        needs += [("dues", "paid_on")]
    if params.report == "start":
        needs += [("members", "joined_on")]
    if params.report == "branch":
        needs += [("dues", "org_id")]
    return needs


@lru_cache(maxsize=1 << 12)  # bases and rates recur across a scan's units (a worker audits thousands)
def _round(amount: float, step: float) -> float:
    units = (Decimal(str(amount)) / Decimal(str(step))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units * Decimal(str(step)))


def member_months(member: Member, scope: Scope) -> list[Period]:
    """The months a member owes this organization: complete months in the window, after the org was
    established, from the month the member joined and from the month after they transferred in (the month of a
    transfer is settled with the former organization, unless it was on the 1st), up to the month before they
    transferred out. Worked out once a run for each member and window: the dues and continuity rules ask alike."""
    key = ("member-months", scope.org.org_id, id(member), scope.window)
    found: tuple[Member, list[Period]] | None = scope.cache.get(key)
    if found is None:  # the entry holds the member, so that its id is not reused while the entry lives
        found = scope.cache[key] = (member, _member_months(member, scope))
    return found[1]


def _member_months(member: Member, scope: Scope) -> list[Period]:
    months = scope.periods(Unit.MONTH)
    firsts = []
    if member.joined_on is not None:  # a year alone (1985年) owes from its last month: nothing is owed unsure
        firsts.append(Period.of(Unit.MONTH, latest(member.joined_on)))
    if member.transferred_in is not None:
        arrived = Period.of(Unit.MONTH, member.transferred_in)
        firsts.append(arrived if member.transferred_in.day == 1 else arrived.next())
    if firsts and months and months[0] < max(firsts):
        months = [m for m in months if m >= max(firsts)]
    if member.transferred_out is not None:
        left = Period.of(Unit.MONTH, member.transferred_out)
        months = [m for m in months if m < left]
    return months


def unpaid_months(months: list[Period], paid: Mapping[Period, object],
                  month_sets: dict[tuple[Period, int], frozenset[Period]]) -> list[Period]:
    """The months of `months` (a member_months list) without a paid row, in order.

    Most members paid every month: a set comparison in C settles that without a loop. `month_sets` keeps the
    set of each distinct months list (a member_months list is a tail of the window's months: its first month
    and length name it) for the members that follow.
    """
    if not months:
        return []
    key = (months[0], len(months))
    wanted = month_sets.get(key)
    if wanted is None:
        wanted = month_sets[key] = frozenset(months)
    if paid.keys() >= wanted:
        return []
    return [m for m in months if m not in paid]


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    if params.report == "amount":
        yield from _amounts(params, scope)
    elif params.report == "backpay":
        yield from _backpay(params, scope)
    elif params.report == "branch":
        yield from _branch(scope)
    elif params.report == "payer":
        yield from _payers(scope)
    elif params.report == "waived":
        yield from _waived(scope)
    else:
        people = scope.ledger.people
        month_sets: dict[tuple[Period, int], frozenset[Period]] = {}
        for member in scope.ledger.active_members(scope.org.org_id):
            if params.report == "missing":
                for month in unpaid_months(member_months(member, scope), people.paid_months(member), month_sets):
                    yield Violation(subject_of(member), member.at("name"), {"month": month}, month)
            else:
                yield from _start(member, people.dues(member), people.paid_months(member), scope)


def _expected(params: Params, table: Table, base: float | None) -> tuple[float, float, float | None] | None:
    """(lowest, highest, rate) a row with this base may be due, or None when it cannot be judged."""
    if base is not None and table.brackets:
        rate = table.rate(base)
        amount = _round(base * rate, params.rounding)
        return amount, amount, rate
    if table.fixed is not None:
        return table.fixed, table.fixed_max or table.fixed, None
    return None


def _amounts(params: Params, scope: Scope) -> Iterator[Violation]:
    people = scope.ledger.people
    # Months overlapping the window: from the window's first month to the as-of month.
    first, last = Period.of(Unit.MONTH, scope.window.start), Period.of(Unit.MONTH, scope.as_of)
    tolerance = params.rounding / 2 + 1e-9
    bounds_of: dict[tuple[str, float | None], Bounds] = {}  # by person kind and base
    members: dict[tuple[str, str | None], Member | None] = {}
    # Whether a row is wrong depends only on who pays (their person kind), the base, the amount due and the
    # amount paid, which stay the same for months on end: each run of equal rows is judged once, and only a
    # wrong run is gone through row by row.
    for (name, id_number, base, due, paid), run in groupby(scope.ledger.dues_by_org.get(scope.org.org_id, ()),
                                                           attrgetter("name", "id_number", "base", "due", "paid")):
        who = (name, id_number)
        if who not in members:
            members[who] = people.find(name, id_number, scope.org.org_id)
        member = members[who]
        if member is None or member.person_kind not in params.tables:
            continue
        kind = member.person_kind
        if (kind, base) not in bounds_of:
            bounds_of[(kind, base)] = _expected(params, params.tables[kind], base)
        bounds = bounds_of[(kind, base)]
        if bounds is None:
            continue
        low, high, rate = bounds
        wrong_due = due is not None and not (low - tolerance <= due <= high + tolerance)
        short_paid = bool(paid) and paid + tolerance < low
        if not (wrong_due or short_paid):
            continue
        expected: object = low if low == high else Text(f"{low:g}至{high:g}", f"{low:g} to {high:g}")
        problem = (Text("应缴金额与标准不符", "the amount due does not match the table") if wrong_due
                   else Text("实缴金额少于应缴", "less was paid than is due"))
        for row in run:
            if not first <= row.month <= last:
                continue
            evidence = {"month": row.month, "base": base, "rate": _percent(rate), "expected": expected,
                        "due": due, "paid": paid, "person_kind": Term(kind), "problem": problem}
            where = row.at("due") if wrong_due else row.at("paid")
            related = tuple(loc for loc in (member.at("person_kind"),) if loc is not None)
            yield Violation(subject_of(row), where, evidence, row.month, related)


Bounds = tuple[float, float, float | None] | None  # (lowest, highest, rate) a row may be due


def _percent(rate: float | None) -> Text | None:
    if rate is None:
        return None
    value = f"{rate * 100:g}%"
    return Text(value, value)


def _backpay(params: Params, scope: Scope) -> Iterator[Violation]:
    limits: dict[Period, dt.date] = {}  # the latest payment day, by month
    window = scope.window
    for row in scope.ledger.dues_by_org.get(scope.org.org_id, ()):
        if row.paid_on is None or not row.paid or not window.start <= row.paid_on <= window.as_of:
            continue
        limit = limits.get(row.month)
        if limit is None:
            limit = limits[row.month] = params.max_delay.after(row.month.end)
        if row.paid_on > limit:
            evidence = {"month": row.month, "paid_on": row.paid_on, "limit": limit, "paid": row.paid}
            related = tuple(loc for loc in (row.at("month"),) if loc is not None)
            yield Violation(subject_of(row), row.at("paid_on"), evidence, row.month, related)


def _branch(scope: Scope) -> Iterator[Violation]:
    people = scope.ledger.people
    first, last = Period.of(Unit.MONTH, scope.window.start), Period.of(Unit.MONTH, scope.as_of)
    org_id = scope.org.org_id
    for (name, id_number), rows in groupby(scope.ledger.dues_by_org.get(org_id, ()), attrgetter("name", "id_number")):
        member = people.find(name, id_number, org_id)
        if member is None or member.org_id == org_id:
            continue
        arrived = Period.of(Unit.MONTH, member.transferred_in) if member.transferred_in else None
        owner = scope.ledger.org_by_id.get(member.org_id)
        where = owner.name if owner is not None else member.org_id
        for row in rows:
            if not first <= row.month <= last or not row.paid or (arrived is not None and row.month <= arrived):
                continue
            evidence = {"month": row.month, "paid": row.paid,
                        "problem": Text(f"该党员的组织关系在{where}", f"the member belongs to {where}")}
            related = tuple(loc for loc in (member.at("org_id"),) if loc is not None)
            yield Violation(subject_of(row), row.at("org_id") or row.at("month"), evidence, row.month, related)


def _waived(scope: Scope) -> Iterator[Violation]:
    """Each month in the window a row excuses (免交): one finding a month about the member (else the payer), which
    the reports join into runs."""
    people = scope.ledger.people
    first, last = Period.of(Unit.MONTH, scope.window.start), Period.of(Unit.MONTH, scope.as_of)
    org_id = scope.org.org_id
    for row in scope.ledger.dues_by_org.get(org_id, ()):
        if is_waived(row.paid) and first <= row.month <= last:
            member = people.find(row.name, row.id_number, org_id)
            yield Violation(subject_of(member if member is not None else row), row.at("paid"), {"month": row.month},
                            row.month)


def _payers(scope: Scope) -> Iterator[Violation]:
    """Paid rows in the window whose payer the roster does not list (by ID number, else by name in the
    organization): often a name written otherwise than in the roster, whose member is then found not to pay.
    One finding per payer, at the first such row, naming the roster's nearest names in the organization."""
    people = scope.ledger.people
    first, last = Period.of(Unit.MONTH, scope.window.start), Period.of(Unit.MONTH, scope.as_of)
    org_id = scope.org.org_id
    names: list[str] | None = None
    for (name, id_number), rows in groupby(scope.ledger.dues_by_org.get(org_id, ()), attrgetter("name", "id_number")):
        if people.find(name, id_number, org_id) is not None:
            continue
        paid = [r for r in rows if r.paid and first <= r.month <= last]
        if not paid:
            continue
        import difflib  # only when a payer is not found

        if names is None:
            names = sorted({m.name for m in scope.ledger.members if m.org_id == org_id})
        near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        problem = (Text(f"花名册中有相近的：{'、'.join(near)}", f"the roster has {', '.join(near)}") if near
                   else Text("花名册中没有此人", "the roster does not list this person"))
        evidence: dict[str, object] = {"month": paid[0].month, "paid": paid[0].paid, "count": len(paid),
                                       "problem": problem}
        yield Violation(subject_of(paid[0]), paid[0].at("name") or paid[0].at("month"), evidence, paid[0].month)


def _start(member: Member, rows: Sequence[DuesPayment], paid_rows: dict[Period, DuesPayment],
           scope: Scope) -> Iterator[Violation]:
    if member.joined_on is None:
        return
    joined = Period.of(Unit.MONTH, earliest(member.joined_on))  # dues before it: before any day it may be
    for row in rows:
        if row.month < joined and row.paid and row.month.end >= scope.window.start:
            evidence = {"month": row.month, "joined_on": member.joined_on,
                        "problem": Text("入党前的月份有党费记录", "dues recorded for a month before admission")}
            related = tuple(loc for loc in (member.at("joined_on"),) if loc is not None)
            yield Violation(subject_of(member), row.at("month"), evidence, row.month, related)
    if joined not in scope.periods(Unit.MONTH) or member.joined_on.__class__ is YearDate:
        return  # admitted outside the window, or this month is not over yet, or the month is not known
    paid = sorted(m for m in paid_rows if m >= joined)
    if not paid or paid[0] > joined:
        first_row = next((r for r in rows if paid and r.month == paid[0]), None)
        evidence = {"month": joined, "joined_on": member.joined_on, "first_month": paid[0] if paid else None,
                    "problem": Text("未从入党当月起交纳党费", "dues did not start in the month of admission")}
        related = tuple(loc for loc in (first_row.at("month") if first_row else None,) if loc is not None)
        yield Violation(subject_of(member), member.at("joined_on"), evidence, joined, related)


def remind(params: Params, scope: Scope, until: dt.date) -> Iterator[Due]:
    """`missing`: the months of this year before the current one that a member has not paid for yet.

    Payments are matched to members as the audit matches them (model/people.py).
    """
    if params.report != "missing":
        return
    as_of = scope.as_of
    months = [Period(as_of.year, Unit.MONTH, m) for m in range(1, as_of.month)]
    if not months:
        return
    people = scope.ledger.people
    for member in scope.ledger.members_by_org.get(scope.org.org_id, ()):
        if not member.active:
            continue
        paid = people.paid_months(member)
        owed = [m for m in months if m not in paid and (member.joined_on is None or m.end >= latest(member.joined_on))]
        if owed:
            yield Due(owed[0].end, "dues", member.name, _owed_message(member, owed), member.at("name"))


def _owed_message(member: Member, owed: list[Period]) -> Text:
    zh = "、".join(f"{m.number}月" for m in owed)
    en = ", ".join(m.label for m in owed)
    return Text(f"党员{member.name}{owed[0].year}年{zh}的党费尚无缴纳记录（党费应按月交纳）",
                f"{member.name}: no dues payment recorded for {en} (dues are paid monthly)")


kind = Kind("dues", Params, EVIDENCE, requires, evaluate, remind=remind)
