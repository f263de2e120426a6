"""`frequency`: at least `min` records of an activity per complete month, quarter or year.

Counted per organization, or per Party group (`per: group`) for 党小组会. A period is judged when it ended
inside the audit window (the as-of day included). The period an organization was established in is owed its
meetings when the organization existed for at least `first_period_share` of it (a branch founded on 15 February
owes that year's organizational-life meeting; one founded in September does not). With
`committee_periods: true` only the periods since the branch had a committee are judged: the elections sheet
records when a committee (`committee_seats` or more seats) was first elected and whether a later election
returned to a secretary alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Annotated, Literal

from ledgercheck.checks.base import Activities, Due, Kind, KindParams, Meaning, Scope, Violation
from ledgercheck.common.i18n import Lang, Term, Text, format_value
from ledgercheck.common.spec import Field, field_validator
from ledgercheck.findings.finding import Subject
from ledgercheck.model.periods import Period, Unit, Window

EVIDENCE = frozenset({"activity", "count", "min", "group"})


class Params(KindParams):
    kind: Literal["frequency"]
    activity: Annotated[Activities, Meaning("计入的活动类型（「组织生活」表的活动类型）", "activity kinds that count")] = Field(min_length=1)
    period: Annotated[Unit, Meaning("按月（month）、季度（quarter）或年（year）统计", "counted per month, quarter or year")]
    min: Annotated[int, Meaning("每期至少次数", "minimum per period")] = Field(default=1, ge=1)
    per: Annotated[Literal["org", "group"], Meaning(
        "按组织（org）还是按党小组（group）统计",
        "counted per organization or per Party group")] = "org"
    first_period_share: Annotated[float, Meaning(
        "成立当期：组织存续达到该期的这一比例时，该期也要求（0.5 即成立在该期前一半）",
        "the period an organization was established in is owed when it existed for this share of it "
        "(0.5: established in its first half)")] = Field(default=0.5, ge=0, le=1)
    by_secretary: Annotated[bool, Meaning(
        "只计本组织书记主讲（主讲人为「组织」表的书记）的活动，如党委书记讲党课",
        "count only activities the organization's secretary gave (the lecturer is the secretary)")] = False
    committee_periods: Annotated[bool, Meaning(
        "只检查设有支部委员会的期间（按「换届选举」表的应选人数推断委员会产生的时间）",
        "judge only the periods when the branch had a committee (from the elections sheet's seats)")] = False
    committee_seats: Annotated[int, Meaning(
        "应选人数达到多少即为支部委员会（少于此数为只设书记或书记、副书记）",
        "seats that make a committee (fewer: a secretary, or a secretary and a deputy)")] = Field(default=3, ge=1)

    @field_validator("activity", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


def requires(params: Params) -> list[tuple[str, str | None]]:
    needs: list[tuple[str, str | None]] = [("meetings", "date")]
    if params.by_secretary:
        needs += [("meetings", "lecturer"), ("orgs", "secretary")]
    if params.per == "group":
        needs += [("members", "group")]
    return needs


def committee_since(scope: Scope, seats: int) -> dt.date | None:
    """The day the branch's present committee was first elected, when the elections sheet shows a secretary alone
    (fewer than `seats` seats) before it; None when it shows nothing of the kind (judge the whole window)."""
    held = sorted((e for e in scope.ledger.elections_by_org.get(scope.org.org_id, ())
                   if e.date <= scope.as_of and e.seats is not None), key=lambda e: e.date)
    streak: dt.date | None = None  # the first election of the present run of committee elections
    after_secretary = False  # … which followed an election of a secretary alone
    for election in held:
        if election.seats < seats:  # type: ignore[operator]
            streak, after_secretary = None, True
        elif streak is None:
            streak = election.date
    return streak if after_secretary and streak is not None else None


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    since = committee_since(scope, params.committee_seats) if params.committee_periods else None
    periods = scope.periods(params.period, params.first_period_share, since)
    if not periods:
        return
    secretary = scope.org.secretary
    held = [(Period.of(params.period, m.date), m.group) for m in scope.meetings_of(params.activity)
            if m.date is not None and (not params.by_secretary or (secretary is not None and m.lecturer == secretary))]
    if params.per == "org":
        yield from _judge(params, periods, Counter(period for period, _group in held), scope.org_subject(), scope, {})
        return
    groups = sorted({m.group for m in scope.ledger.active_members(scope.org.org_id) if m.group})
    for group in groups:
        # A record without a group counts for the group only when the branch has just one.
        counts = Counter(period for period, held_by in held
                         if held_by == group or (held_by is None and len(groups) == 1))
        yield from _judge(params, periods, counts, Subject("group", f"{scope.org.org_id}/{group}", group),
                          scope, {"group": group})


def _judge(params: Params, periods: list[Period], counts: Counter[Period], subject: Subject, scope: Scope,
           extra: dict[str, object]) -> Iterator[Violation]:
    for period in periods:
        count = counts.get(period, 0)
        if count < params.min:
            evidence = {"activity": [Term(a) for a in params.activity], "count": count, "min": params.min, **extra}
            yield Violation(subject, scope.org_location, evidence, period)


def remind(params: Params, scope: Scope, until: dt.date) -> Iterator[Due]:
    """The month, quarter or year in progress, judged by this kind as if it had just ended."""
    period = Period.of(Unit(params.period), scope.as_of)
    if period.end > until:
        return
    window = Window(period.start, period.end + dt.timedelta(days=1))
    for violation in evaluate(params, Scope(scope.org, scope.ledger, window, scope.cache)):
        group = violation.evidence.get("group")
        yield Due(period.end, "meeting", str(group or scope.org.name), _due_message(period, violation.evidence),
                  violation.location)


def _due_message(period: Period, evidence: dict[str, object]) -> Text:
    def text(lang: Lang) -> str:
        activity = format_value(evidence["activity"], lang)
        group = evidence.get("group")
        count, least = evidence["count"], evidence["min"]
        if lang == "zh":
            who = f"党小组「{group}」" if group else ""
            done = f"已记录{count}次，" if count else "尚无记录，"
            return f"{who}{period.localized('zh')}的{activity}{done}应至少{least}次"
        who = f"Party group {group}: " if group else ""
        return f"{who}{activity} in {period.label}: {count} recorded, at least {least} required"

    return Text(text("zh"), text("en"))


kind = Kind("frequency", Params, EVIDENCE, requires, evaluate, remind=remind)
