"""`frequency`: at least `min` records of an activity per complete month, quarter or year.

Counted per organization, or per Party group (`per: group`) for 党小组会.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator

from ledgercheck.checks.base import Activities, KindParams, Scope, Violation
from ledgercheck.findings.finding import Subject
from ledgercheck.common.i18n import Term
from ledgercheck.model.periods import Period, Unit

KIND = "frequency"
EVIDENCE = frozenset({"activity", "count", "min", "group"})


class Params(KindParams):
    kind: Literal["frequency"]
    activity: Activities = Field(min_length=1)
    period: Unit
    min: int = Field(default=1, ge=1)
    per: Literal["org", "group"] = "org"

    @field_validator("activity", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


def requires(params: Params) -> list[tuple[str, str | None]]:
    needs: list[tuple[str, str | None]] = [("meetings", "date")]
    if params.per == "group":
        needs += [("members", "group")]
    return needs


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    periods = scope.periods(params.period)
    if not periods:
        return
    wanted = set(params.activity)
    meetings = [m for m in scope.ledger.meetings_by_org.get(scope.org.org_id, ())
                if m.date is not None and wanted.intersection(m.kind)]
    if params.per == "org":
        yield from _judge(params, periods, Counter(Period.of(params.period, m.date) for m in meetings),
                          scope.org_subject(), scope, {})
        return
    groups = sorted({m.group for m in scope.ledger.active_members(scope.org.org_id) if m.group})
    for group in groups:
        # A record without a group counts for the group only when the branch has just one.
        counts = Counter(Period.of(params.period, m.date) for m in meetings
                         if m.group == group or (m.group is None and len(groups) == 1))
        yield from _judge(params, periods, counts, Subject("group", f"{scope.org.org_id}/{group}", group),
                          scope, {"group": group})


def _judge(params: Params, periods: list[Period], counts: Counter[Period], subject: Subject, scope: Scope,
           extra: dict[str, object]) -> Iterator[Violation]:
    for period in periods:
        count = counts.get(period, 0)
        if count < params.min:
            evidence = {"activity": [Term(a) for a in params.activity], "count": count, "min": params.min, **extra}
            yield Violation(subject, scope.org_location, evidence, period)
