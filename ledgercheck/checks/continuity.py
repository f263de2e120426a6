"""`continuity`: a member with `months` or more consecutive months without dues or organizational life.

Only complete months inside the audit window count, from the month the member joined, after the
organization was established, and only for members in normal standing.

- `of: dues`: a month counts when the member has no paid dues row for it (实缴金额 > 0, or 免交: people.paid_months).
- `of: attendance`: a month counts when the branch held at least one meeting of `activities` that the
  member was expected at, and the member is named among the absentees (缺席人员) of every one of them.
  A Party group meeting (党小组会) that names its group expects only that group's members. A month in
  which the branch held no such meeting is not the member's absence (that is the branch's frequency
  finding), nor does it end one: it is passed over, so the months counted are months the member missed,
  and absence on either side of a month without meetings is one run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Annotated, Literal

from ledgercheck.checks.base import Activities, Kind, KindParams, Meaning, Scope, Violation, subject_of
from ledgercheck.checks.dues import member_months, unpaid_months
from ledgercheck.common.location import Location
from ledgercheck.common.spec import Field
from ledgercheck.model.periods import Period, Unit
from ledgercheck.model.records import DuesPayment, Meeting, Member

EVIDENCE = frozenset({"months", "min", "first", "last", "meetings"})

ORG_LIFE = ["支部党员大会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议党员"]


class Params(KindParams):
    kind: Literal["continuity"]
    of: Annotated[Literal["dues", "attendance"], Meaning(
        "dues 连续未交党费；attendance 连续未参加组织生活",
        "dues: months in a row without paying; attendance: months in a row absent")]
    months: Annotated[int, Meaning("连续多少个月即为问题", "how many months in a row make a finding")] = Field(default=6, ge=1)
    activities: Annotated[Activities, Meaning(
        "计入组织生活的活动类型",
        "activity kinds that count as organizational life")] = Field(default_factory=lambda: list(ORG_LIFE))


def requires(params: Params) -> list[tuple[str, str | None]]:
    if params.of == "dues":
        return [("dues", None), ("members", None)]
    return [("meetings", "date"), ("meetings", "absentees"), ("members", None)]


def runs(months: list[Period], state: dict[Period, bool | None]) -> Iterator[list[Period]]:
    """Maximal runs of months whose state is True, in order: False ends a run; None (nothing to miss that month)
    is passed over without ending it; a month missing from `months` (outside the member's months) ends it."""
    run: list[Period] = []
    previous: Period | None = None  # the last month looked at, True or None
    for month in months:
        value = state.get(month)
        if value is False or (previous is not None and previous.next() != month):
            if run:
                yield run
            run = []
        if value:
            run.append(month)
        previous = month if value is not False else None
    if run:
        yield run


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    members = scope.ledger.active_members(scope.org.org_id)
    if params.of == "dues":
        people = scope.ledger.people
        month_sets: dict[tuple[Period, int], frozenset[Period]] = {}
        for member in members:
            months = member_months(member, scope)
            rows = people.paid_months(member)
            if len(unpaid_months(months, rows, month_sets)) < params.months:
                continue  # fewer unpaid months than a run needs: most members, settled with one set comparison
            state: dict[Period, bool | None] = {m: m not in rows for m in months}
            yield from _report(params, member, months, state, _dues_cells(rows))
        return
    by_month = _meetings_by_month(params, scope)
    groups = {member.group for member in members}
    absent_from_all = {(month, group): names for month in scope.periods(Unit.MONTH)
                       for group, names in _absent_by_group(by_month.get(month, []), groups).items()}
    # A run counts the months missed, so a member who missed fewer months than a run needs has none: only the
    # others are followed month by month.
    missed: dict[str | None, Counter[str]] = {group: Counter() for group in groups}
    for (_month, group), names in absent_from_all.items():
        if names:
            missed[group].update(names)
    for member in members:
        if missed[member.group][member.name] < params.months:
            continue
        months = member_months(member, scope)
        state = {}
        for month in months:
            names = absent_from_all[(month, member.group)]
            state[month] = None if names is None else member.name in names
        yield from _report(params, member, months, state, _attendance_cells(by_month, member))


def _dues_cells(rows: dict[Period, DuesPayment]) -> Callable[[Period], list[Location]]:
    """The cells involved in a month without dues: the paid months on either side (inside the window or not)."""
    def cells(month: Period) -> list[Location]:
        return [loc for near in (_previous(month), month.next()) if near in rows
                and (loc := rows[near].at("month")) is not None]
    return cells


def _attendance_cells(by_month: dict[Period, list[Meeting]], member: Member) -> Callable[[Period], list[Location]]:
    """The cells involved in a month of absence: the absentee cells of the meetings the member was expected at."""
    def cells(month: Period) -> list[Location]:
        return [loc for m in by_month.get(month, ()) if _expects(m, member) and (loc := m.at("absentees")) is not None]
    return cells


def _absent_by_group(meetings: list[Meeting], groups: set[str | None]) -> dict[str | None, frozenset[str] | None]:
    """For each of `groups`, the names absent from every meeting of the month a member of the group was expected
    at, or None when there was no such meeting: one pass over the month's meetings, since whom a meeting expects
    depends only on the member's group (the meetings that expect everyone, and the group's own)."""
    everyone: frozenset[str] | None = None
    own: dict[str, frozenset[str]] = {}
    for meeting in meetings:
        group = _only_for(meeting)
        if group is not None:
            found = own.get(group)
            own[group] = frozenset(meeting.absentees) if found is None else found.intersection(meeting.absentees)
        else:
            everyone = frozenset(meeting.absentees) if everyone is None else everyone.intersection(meeting.absentees)
    result: dict[str | None, frozenset[str] | None] = {}
    for group in groups:
        names = own.get(group) if group is not None else None
        result[group] = everyone if names is None else names if everyone is None else everyone & names
    return result


def _previous(month: Period) -> Period:
    return Period(month.year - 1, Unit.MONTH, 12) if month.number == 1 else Period(month.year, Unit.MONTH,
                                                                                      month.number - 1)


def _meetings_by_month(params: Params, scope: Scope) -> dict[Period, list[Meeting]]:
    result: dict[Period, list[Meeting]] = defaultdict(list)
    for meeting in scope.meetings_of(params.activities):
        if meeting.date is not None:  # always (meetings_of): for the type checker
            result[Period.of(Unit.MONTH, meeting.date)].append(meeting)
    return result


def _expects(meeting: Meeting, member: Member) -> bool:
    only = _only_for(meeting)
    return only is None or member.group == only


def _only_for(meeting: Meeting) -> str | None:
    """The Party group a meeting expects alone: a group meeting that names its group; None when it expects all."""
    return meeting.group if meeting.group is not None and set(meeting.kind) == {"党小组会"} else None


def _report(params: Params, member: Member, months: list[Period], state: dict[Period, bool | None],
            cells: Callable[[Period], list[Location]]) -> Iterator[Violation]:
    for run in runs(months, state):
        if len(run) < params.months:
            continue
        related = tuple(loc for month in run for loc in cells(month))
        evidence = {"months": len(run), "min": params.months, "first": run[0], "last": run[-1],
                    "meetings": len(related) if params.of == "attendance" else None}
        yield Violation(subject_of(member), member.at("name"), evidence, run[0], related)


kind = Kind("continuity", Params, EVIDENCE, requires, evaluate)
