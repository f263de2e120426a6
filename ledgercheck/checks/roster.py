"""`roster`: people named in one sheet, checked against the member roster on a date.

- `sponsors`: each admitted recruit (支部大会讨论日期 inside the window) names exactly `count` sponsors
  (入党介绍人), each a member who was a full member on the admission day (转正日期 on or before it);
- `secretary`: the branch secretary (组织.书记) had at least `min_years` of Party standing, counted from
  the full-membership date (党章 第七条), on the day the current committee was elected (else as of
  the audit date);
- `voters`: an election inside the window counts no more eligible voters (应到人数) than the
  organization and the organizations below it had full members on the election day.

A name is looked up in the row's organization first, then anywhere in the workbook if only one member
has it. A name found nowhere is reported too: the roster cannot vouch for that person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field

from ledgercheck.checks.base import Kind, KindParams, Meaning, Scope, Violation, subject_of
from ledgercheck.common.i18n import Text
from ledgercheck.model.people import full_on_date, full_since
from ledgercheck.model.periods import years_between
from ledgercheck.model.records import Member

EVIDENCE = frozenset({"person", "date", "full_on", "count", "expected", "standing", "min_years", "problem",
                      "eligible", "full_members"})

NOT_FOUND = Text("在「党员」表中找不到此人", "not found in the members sheet")


class Params(KindParams):
    kind: Literal["roster"]
    report: Annotated[Literal["sponsors", "secretary", "voters"], Meaning(
        "检查什么：sponsors 入党介绍人；secretary 支部书记党龄；voters 选举应到人数",
        "what is checked: sponsors, the secretary's Party standing, or the eligible voters")]
    count: Annotated[int, Meaning("入党介绍人人数", "number of sponsors")] = Field(default=2, ge=1)  # sponsors
    min_years: Annotated[int, Meaning(
        "支部书记至少应有的党龄（年）",
        "least Party standing of the branch secretary, in years")] = Field(default=1, ge=0)  # secretary


def requires(params: Params) -> list[tuple[str, str | None]]:
    if params.report == "sponsors":
        return [("recruits", "sponsors"), ("recruits", "admitted_on"), ("members", None)]
    if params.report == "secretary":
        return [("orgs", "secretary"), ("members", None)]
    return [("elections", "eligible"), ("members", None)]


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    if params.report == "sponsors":
        yield from _sponsors(params, scope)
    elif params.report == "secretary":
        yield from _secretary(params, scope)
    else:
        yield from _voters(scope)


def _near(scope: Scope) -> list[str]:
    """Organizations to look a bare name up in: this one, then its parent's other units."""
    parent = scope.org.parent_id
    siblings = [o.org_id for o in scope.ledger.subtree(parent)] if parent else []
    return [o.org_id for o in scope.ledger.subtree(scope.org.org_id)] + siblings


def _sponsors(params: Params, scope: Scope) -> Iterator[Violation]:
    people = scope.ledger.people
    near = _near(scope)
    for recruit in scope.ledger.recruits_by_org.get(scope.org.org_id, ()):
        day = recruit.admitted_on
        if day is None or not scope.window.contains(day):
            continue
        where = recruit.at("sponsors")
        base = {"date": day, "count": len(recruit.sponsors), "expected": params.count}
        if len(recruit.sponsors) != params.count:
            problem = Text(f"入党介绍人应为{params.count}名，实际{len(recruit.sponsors)}名",
                           f"{len(recruit.sponsors)} sponsors instead of {params.count}")
            named = "、".join(recruit.sponsors) if recruit.sponsors else Text("（未填写）", "(none recorded)")
            yield Violation(subject_of(recruit), where, base | {"problem": problem, "person": named})
        for name in recruit.sponsors:
            sponsor = people.find(name, None, None, near)
            if sponsor is None:
                yield Violation(subject_of(recruit), where, base | {"person": name, "problem": NOT_FOUND})
            elif not full_on_date(sponsor, day):
                since = full_since(sponsor)
                problem = (Text(f"接收时尚不是正式党员（转正日期{since.isoformat()}）",
                                f"was not yet a full member on the admission day (full member since {since.isoformat()})")
                           if since is not None else
                           Text("接收时尚不是正式党员（「党员」表中没有转正日期）",
                                "was not yet a full member on the admission day (no full-membership date recorded)"))
                related = (sponsor.at("full_on"), sponsor.at("member_kind"))
                yield Violation(subject_of(recruit), where,
                                base | {"person": name, "full_on": full_since(sponsor), "problem": problem},
                                None, tuple(r for r in related if r is not None))


def _secretary(params: Params, scope: Scope) -> Iterator[Violation]:
    org = scope.org
    if not org.secretary:
        return
    day = org.elected_on or scope.as_of
    where = org.at("secretary")
    member = scope.ledger.people.find(org.secretary, None, None, _near(scope))
    evidence: dict[str, object] = {"person": org.secretary, "date": day, "min_years": params.min_years}
    if member is None:
        yield Violation(scope.org_subject(), where, evidence | {"problem": NOT_FOUND})
        return
    since = full_since(member)
    standing = years_between(since, day) if since is not None and since <= day else 0
    if standing < params.min_years:
        when = (Text(f"（转正日期{since.isoformat()}）", f" (full member since {since.isoformat()})") if since is not None
                else Text("（「党员」表中没有转正日期）", " (no full-membership date recorded)"))
        problem = Text(f"党龄{standing}年，不足{params.min_years}年{when.zh}", f"{standing} years of standing, "
                       f"fewer than {params.min_years}{when.en}")
        yield Violation(scope.org_subject(), where, evidence | {"full_on": since, "standing": standing,
                                                                 "problem": problem},
                        None, tuple(r for r in (member.at("full_on"),) if r is not None))


def _full_members(members: list[Member], day: dt.date) -> int:
    return sum(1 for m in members if (m.joined_on is None or m.joined_on <= day) and full_on_date(m, day))


def _voters(scope: Scope) -> Iterator[Violation]:
    elections = [e for e in scope.ledger.elections_by_org.get(scope.org.org_id, ())
                 if e.eligible is not None and scope.window.contains(e.date)]
    if not elections:
        return
    members = scope.ledger.active_members(scope.org.org_id, subtree=True)
    for election in elections:
        full = _full_members(members, election.date)
        eligible = election.eligible or 0
        if eligible > full:
            evidence: dict[str, object] = {"date": election.date, "eligible": eligible, "full_members": full}
            yield Violation(subject_of(election), election.at("eligible"), evidence)


kind = Kind("roster", Params, EVIDENCE, requires, evaluate)
