"""`hours`: each member's study and training hours (学习培训 sheet) per complete year, against a minimum.

Training rows are matched to members by ID number, by organization and name, else by name alone
(model/people.py). A year is judged for members in normal standing who belonged to the Party for the whole
year (入党日期 on or before 1 January), inside the window. `posts` narrows the rule to members holding one of those Party posts
(党内职务), e.g. secretaries and committee members; `any` means any post at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from ledgercheck.checks.base import Kind, KindParams, Meaning, Scope, Violation, subject_of
from ledgercheck.common.spec import Field
from ledgercheck.model.periods import Unit, latest
from ledgercheck.model.records import Member

EVIDENCE = frozenset({"hours", "min_hours", "year", "post"})


class Params(KindParams):
    kind: Literal["hours"]
    min_hours: Annotated[float, Meaning("每人每年至少学习培训学时", "least training hours per member and year")] = Field(gt=0)
    posts: Annotated[list[str] | Literal["any"] | None, Meaning(
        "只检查担任这些党内职务的党员（any 为任一职务；不填为全体党员）",
        "only members holding one of these Party posts (any: any post; none: every member)")] = None


def requires(params: Params) -> list[tuple[str, str | None]]:
    needs: list[tuple[str, str | None]] = [("training", None), ("members", None)]
    if params.posts is not None:
        needs.append(("members", "party_post"))
    return needs


def _selected(params: Params, member: Member) -> bool:
    if params.posts is None:
        return True
    if params.posts == "any":
        return bool(member.party_post)
    return member.party_post in params.posts


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    years = scope.periods(Unit.YEAR)
    if not years:
        return
    people = scope.ledger.people
    for member in scope.ledger.active_members(scope.org.org_id):
        if not _selected(params, member):
            continue
        for year in years:
            if member.joined_on is not None and latest(member.joined_on) > year.start:  # joined during it
                continue
            hours = people.training_hours(member, year.year)
            if hours + 1e-9 < params.min_hours:
                evidence = {"hours": hours, "min_hours": params.min_hours, "year": year, "post": member.party_post}
                yield Violation(subject_of(member), member.at("name"), evidence, year)


kind = Kind("hours", Params, EVIDENCE, requires, evaluate)
