"""The indexes, caches and shortcuts the kinds use for speed give exactly what the plain scans they replace give.

Each test runs a kind (or the People index) on random ledgers and compares it with a straightforward
per-row or per-month reference written here, the way the code worked before it was made fast.
"""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.checks import continuity, dues, expression
from ledgercheck.checks.base import Scope, Violation, subject_of
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.people import People
from ledgercheck.model.periods import Period, Unit, Window
from ledgercheck.model.provenance import SheetRef
from ledgercheck.model.records import DuesPayment, Meeting, Member, Org
from tests.checks.helpers import branch, scope

SETTINGS = settings(max_examples=60, deadline=None)
D = dt.date
NAMES = ["张三", "李四", "王五", "赵六"]
GROUPS = [None, "第一党小组", "第二党小组"]
MONTHS = [Period(2024, Unit.MONTH, m) for m in range(1, 13)] + [Period(2025, Unit.MONTH, m) for m in range(1, 7)]
AS_OF = D(2025, 7, 10)


def _members(groups: list[str | None], joined: list[int]) -> list[Member]:
    return [Member(name=name, org_id="B01", member_kind="正式党员", person_kind="在职", group=group,
                   joined_on=D(2023 + j // 12, j % 12 + 1, 5), id_number=f"ID{index}" if index % 2 else None)
            for index, (name, group, j) in enumerate(zip(NAMES, groups, joined))]


dues_rows = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(MONTHS), st.sampled_from([None, 0.0, 12.5]),
                               st.booleans(), st.sampled_from(["B01", "B02"])), max_size=50)


def _dues(rows: list[tuple[str, Period, float | None, bool, str]]) -> list[DuesPayment]:
    return [DuesPayment(name=name, id_number=f"ID{NAMES.index(name)}" if with_id else None, org_id=org,
                        month=month, paid=paid, base=4000.0, due=40.0 if paid else None)
            for name, month, paid, with_id, org in rows]


@SETTINGS
@given(dues_rows, st.lists(st.sampled_from(GROUPS), min_size=4, max_size=4),
       st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_people_dues_index_matches_a_lookup_per_row(rows, groups, joined) -> None:
    members = _members(groups, joined)
    payments = _dues(rows)
    ledger = Ledger("t.xlsx", [branch(), branch(org_id="B02", name="第二党支部")], members, dues=payments)
    people = ledger.people
    for member in members:
        expected = [r for r in payments if people.find(r.name, r.id_number, r.org_id) is member]
        assert list(people.dues(member)) == expected
        assert people.paid_months(member) == {r.month: r for r in expected if r.paid}


def test_the_people_index_holds_no_reference_back_to_the_ledger() -> None:
    ledger = Ledger("t.xlsx", [branch()], _members(GROUPS + [None], [0, 1, 2, 3]), dues=_dues([("张三", MONTHS[0],
                                                                                                12.5, True, "B01")]))
    assert isinstance(ledger.people, People)
    alive = weakref.ref(ledger)
    enabled = gc.isenabled()
    gc.disable()  # freed by reference counting alone, as soon as the last reference goes
    try:
        del ledger
        assert alive() is None
    finally:
        if enabled:
            gc.enable()


def _old_missing(member: Member, rows: list[DuesPayment], s: Scope) -> list[Violation]:
    paid = {r.month for r in rows if r.paid}
    return [Violation(subject_of(member), member.at("name"), {"month": m}, m)
            for m in dues.member_months(member, s) if m not in paid]


@SETTINGS
@given(dues_rows, st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_missing_months_match_the_month_by_month_scan(rows, joined) -> None:
    members = _members([None] * 4, joined)
    s = scope(branch(), AS_OF, since=D(2024, 1, 1), members=members, dues=_dues(rows))
    expected = [v for m in members for v in _old_missing(m, list(s.ledger.people.dues(m)), s)]
    assert list(dues.evaluate(dues.Params.model_validate(dict(kind="dues", report="missing")), s)) == expected


def _old_attendance(params: continuity.Params, s: Scope) -> list[tuple[str, list[str], list[object]]]:
    """Runs of absent months as (member, months, related cells), member by member and month by month."""
    by_month: dict[Period, list[Meeting]] = {}
    for meeting in s.ledger.meetings_by_org.get(s.org.org_id, ()):
        if meeting.date is not None and set(params.activities) & set(meeting.kind):
            by_month.setdefault(Period.of(Unit.MONTH, meeting.date), []).append(meeting)
    found = []
    for member in s.ledger.active_members(s.org.org_id):
        months = dues.member_months(member, s)
        state: dict[Period, bool | None] = {}
        cells: dict[Period, list[object]] = {}
        for month in months:
            expected = [m for m in by_month.get(month, ()) if not (
                m.group is not None and set(m.kind) == {"党小组会"} and member.group != m.group)]
            state[month] = all(member.name in m.absentees for m in expected) if expected else None
            cells[month] = [m.at("absentees") for m in expected]
        for run in continuity.runs(months, state):
            if len(run) >= params.months:
                # A run passes over months without meetings: the finding spans from its first to its last month.
                found.append((member.name, [m.label for m in MONTHS if run[0] <= m <= run[-1]],
                              [c for m in run for c in cells[m]]))
    return found


meetings = st.lists(st.tuples(st.sampled_from(MONTHS), st.sampled_from(["主题党日", "党小组会", "支部委员会"]),
                              st.sampled_from(GROUPS), st.lists(st.sampled_from(NAMES), max_size=3, unique=True)),
                    max_size=40)


@SETTINGS
@given(meetings, st.lists(st.sampled_from(GROUPS), min_size=4, max_size=4),
       st.lists(st.integers(0, 30), min_size=4, max_size=4), st.integers(1, 4))
def test_absence_runs_match_the_member_by_member_scan(rows, groups, joined, length) -> None:
    sheet = SheetRef("t.xlsx", "组织生活", {"absentees": "J"})
    records = [Meeting(org_id="B01", kind=(kind,), date=D(month.year, month.number, 10), group=group,
                       absentees=tuple(absent), src=sheet, row=index + 2)
               for index, (month, kind, group, absent) in enumerate(rows)]
    s = scope(branch(), AS_OF, since=D(2024, 1, 1), members=_members(groups, joined), meetings=records)
    params = continuity.Params.model_validate(dict(kind="continuity", of="attendance", months=length))
    found = [(v.subject.label, [p.label for p in _span(v)], list(v.related)) for v in continuity.evaluate(params, s)]
    assert found == _old_attendance(params, s)


def _span(violation: Violation) -> list[Period]:
    first, last = violation.evidence["first"], violation.evidence["last"]
    return [m for m in MONTHS if first <= m <= last]


@SETTINGS
@given(dues_rows, st.lists(st.integers(0, 30), min_size=4, max_size=4), st.integers(1, 4))
def test_unpaid_runs_match_the_month_by_month_scan(rows, joined, length) -> None:
    members = _members([None] * 4, joined)
    s = scope(branch(), AS_OF, since=D(2024, 1, 1), members=members, dues=_dues(rows))
    expected = []
    for member in members:
        months = dues.member_months(member, s)
        paid = {r.month for r in s.ledger.people.dues(member) if r.paid}
        expected += [(member.name, [m.label for m in run]) for run in
                     continuity.runs(months, {m: m not in paid for m in months}) if len(run) >= length]
    params = continuity.Params.model_validate(dict(kind="continuity", of="dues", months=length))
    assert [(v.subject.label, [p.label for p in _span(v)]) for v in continuity.evaluate(params, s)] == expected


def _assembly(present: object, expected: object) -> Meeting:
    return Meeting(org_id="B01", kind=("支部党员大会",), date=D(2025, 3, 1), present=present,  # type: ignore[arg-type]
                   expected=expected)  # type: ignore[arg-type]


def test_expression_verdicts_are_cached_by_value_and_type() -> None:
    params = expression.Params.model_validate(dict(kind="expression", sheet="meetings", require="present * 2 > expected"))
    fine = [_assembly(3, 5), _assembly(2, 5), _assembly(3, 5)]
    assert len(list(expression.evaluate(params, scope(branch(), AS_OF, meetings=fine)))) == 1
    # 3.0 * 2 mixes double and int, which CEL refuses: the verdict cached for 3 must not hide that.
    mixed = [_assembly(3, 5), _assembly(3.0, 5)]
    with pytest.raises(expression.ExpressionError, match="present"):
        list(expression.evaluate(params, scope(branch(), AS_OF, meetings=mixed)))


def test_expression_verdicts_depend_on_the_organization_when_it_is_named() -> None:
    params = expression.Params.model_validate(dict(kind="expression", sheet="meetings", require="present * 2 >= org.committee_size"))
    small, large = branch(committee_size=3), Org(org_id="B02", name="二支部", org_type="党支部", committee_size=7)
    rows = [Meeting(org_id=o, kind=("支部委员会",), date=D(2025, 3, 1), present=3) for o in ("B01", "B02")]
    ledger = Ledger("t.xlsx", [small, large], meetings=rows, columns={"orgs": frozenset(), "meetings": frozenset()})
    window = Window(D(2025, 1, 1), AS_OF)
    assert list(expression.evaluate(params, Scope(small, ledger, window))) == []
    [violation] = expression.evaluate(params, Scope(large, ledger, window))
    assert violation.evidence["org_committee_size"] == 7


def test_expression_verdicts_depend_on_the_whole_organization_when_it_is_used_as_a_map() -> None:
    params = expression.Params.model_validate(dict(kind="expression", sheet="meetings", require="org['name'] == '一支部'"))
    assert params._org_key == tuple(expression._ORG_FIELDS)
    first, second = branch(name="一支部"), Org(org_id="B02", name="二支部", org_type="党支部")
    rows = [Meeting(org_id=o, kind=("支部委员会",), date=D(2025, 3, 1), present=3) for o in ("B01", "B02")]
    ledger = Ledger("t.xlsx", [first, second], meetings=rows, columns={"orgs": frozenset(), "meetings": frozenset()})
    window = Window(D(2025, 1, 1), AS_OF)
    assert list(expression.evaluate(params, Scope(first, ledger, window))) == []
    assert len(list(expression.evaluate(params, Scope(second, ledger, window)))) == 1


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _old_valid_id_number(value: str) -> bool:
    import re

    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return "10X98765432"[sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS)) % 11] == value[17]


@SETTINGS
@given(st.text(alphabet="0123456789X１２０x", min_size=16, max_size=19)
       | st.builds(lambda body, check: body + check, st.from_regex(r"11010519[4-9]\d(0[1-9]|1[0-2])[0-2]\d\d{3}",
                                                                   fullmatch=True), st.sampled_from("0123456789X")))
def test_id_number_check_matches_the_plain_checksum(value: str) -> None:
    from ledgercheck.checks.fields import valid_id_number

    assert valid_id_number(value) == _old_valid_id_number(value)


KINDS = ["主题党日", "党小组会", "支部委员会", "党课", "学习（自定）"]
joint_meetings = st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(MONTHS)),
                                    st.lists(st.sampled_from(KINDS), min_size=1, max_size=3)), max_size=30)


@SETTINGS
@given(joint_meetings, st.lists(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4), min_size=1, max_size=5))
def test_meetings_of_kinds_match_a_scan_of_every_meeting(rows, asked) -> None:
    """The index by kind (Scope.meetings_of) gives the dated meetings any of whose kinds is asked for, each once,
    in the sheet's order: joint meetings (several kinds), a kind repeated in a record and undated rows included."""
    records = [Meeting(org_id="B01", kind=tuple(kinds), date=D(month.year, month.number, 10) if month else None,
                       row=index + 2) for index, (month, kinds) in enumerate(rows)]
    s = scope(branch(), AS_OF, meetings=records)
    for kinds in asked:  # several askings of one scope: the index is made once and read again
        wanted = set(kinds)
        assert s.meetings_of(kinds) == [m for m in records if m.date is not None and wanted.intersection(m.kind)]
