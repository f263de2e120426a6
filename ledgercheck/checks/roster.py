"""`roster`: people named in one sheet, checked against the member roster on a date.

- `sponsors`: each admitted recruit (支部大会讨论日期 inside the window) names exactly `count` sponsors
  (入党介绍人), each a member who was a full member on the admission day (转正日期 on or before it);
- `secretary`: the branch secretary (组织.书记) had at least `min_years` of Party standing, counted from
  the full-membership date (党章 第七条), on the day the current committee was elected (else as of
  the audit date);
- `voters`: an election inside the window counts no more eligible voters (应到人数) than the
  organization and the organizations below it had full members on the election day;
- `admission_assembly`: each recruit admitted inside the window was admitted at a branch assembly
  (支部党员大会) of their organization recorded on that very day, with half or more of those expected present;
- `admitted`: each recruit admitted inside the window (and by the audit date) is in the member roster, with
  the admission day as their 入党日期;
- `hosts`: each branch assembly and committee meeting inside the window was chaired (主持人) by the secretary,
  or by a deputy secretary or committee member (党内职务 …书记 or …委员) of the organization;
- `discipline`: the organization has an active member whose 党内职务 is the discipline member (纪检委员); a
  general branch's may be a member of a branch below with the post 党总支纪检委员.

A name is looked up in the row's organization first, then anywhere in the workbook if only one member
has it. A name found nowhere is reported too: the roster cannot vouch for that person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal, cast

from ledgercheck.checks.base import Kind, KindParams, Meaning, Scope, Violation, subject_of
from ledgercheck.common.i18n import Term, Text
from ledgercheck.common.spec import Field
from ledgercheck.model.people import full_on_date, full_since
from ledgercheck.model.periods import earliest, latest, years_between
from ledgercheck.model.records import Member, Recruit

EVIDENCE = frozenset({"person", "date", "full_on", "count", "expected", "standing", "min_years", "problem",
                      "eligible", "full_members", "joined_on", "present", "kind"})
ASSEMBLY, COMMITTEE = "支部党员大会", "支部委员会"

NOT_FOUND = Text("在「党员」表中找不到此人", "not found in the members sheet")


class Params(KindParams):
    kind: Literal["roster"]
    report: Annotated[Literal["sponsors", "secretary", "voters", "admission_assembly", "admitted", "hosts",
                              "discipline"], Meaning(
        "检查什么：sponsors 入党介绍人；secretary 支部书记党龄；voters 选举应到人数；admission_assembly 接收预备党员的"
        "支部党员大会；admitted 接收后列入党员名册；hosts 会议主持人；discipline 纪检委员",
        "what is checked: sponsors, the secretary's Party standing, the eligible voters, the assembly that admitted "
        "a recruit, admitted recruits in the roster, who chaired meetings, or the discipline member")]
    count: Annotated[int, Meaning("入党介绍人人数", "number of sponsors")] = Field(default=2, ge=1)  # sponsors
    min_years: Annotated[int, Meaning(
        "支部书记至少应有的党龄（年）",
        "least Party standing of the branch secretary, in years")] = Field(default=1, ge=0)  # secretary


def requires(params: Params) -> list[tuple[str, str | None]]:
    if params.report == "sponsors":
        return [("recruits", "sponsors"), ("recruits", "admitted_on"), ("members", None)]
    if params.report == "secretary":
        return [("orgs", "secretary"), ("members", None)]
    if params.report == "admission_assembly":
        return [("recruits", "admitted_on"), ("meetings", "date")]
    if params.report == "admitted":
        return [("recruits", "admitted_on"), ("members", "joined_on")]
    if params.report == "hosts":
        return [("meetings", "host"), ("orgs", "secretary"), ("members", "party_post")]
    if params.report == "discipline":
        return [("members", "party_post")]
    return [("elections", "eligible"), ("members", None)]


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    if params.report == "sponsors":
        yield from _sponsors(params, scope)
    elif params.report == "secretary":
        yield from _secretary(params, scope)
    elif params.report == "admission_assembly":
        yield from _admission_assembly(scope)
    elif params.report == "admitted":
        yield from _admitted(scope)
    elif params.report == "hosts":
        yield from _hosts(scope)
    elif params.report == "discipline":
        yield from _discipline(scope)
    else:
        yield from _voters(scope)


def _admitted_in_window(scope: Scope) -> Iterator[Recruit]:
    for recruit in scope.ledger.recruits_by_org.get(scope.org.org_id, ()):
        if recruit.admitted_on is not None and scope.window.contains(recruit.admitted_on):
            yield recruit


def _admission_assembly(scope: Scope) -> Iterator[Violation]:
    assemblies = {m.date: m for m in scope.meetings_of([ASSEMBLY])}
    for recruit in _admitted_in_window(scope):
        day = recruit.admitted_on
        meeting = assemblies.get(day) if day is not None else None
        evidence: dict[str, object] = {"date": day}
        if meeting is None:
            problem = Text("「组织生活」表中没有当天的支部党员大会记录", "no branch assembly recorded that day")
            yield Violation(subject_of(recruit), recruit.at("admitted_on"), evidence | {"problem": problem})
        elif meeting.expected and meeting.present is not None and meeting.present * 2 < meeting.expected:
            problem = Text(f"当天的支部党员大会应到{meeting.expected}人、实到{meeting.present}人，不足半数",
                           f"the assembly that day had {meeting.present} of {meeting.expected} present, fewer than half")
            yield Violation(subject_of(recruit), meeting.at("present"), evidence | {
                "problem": problem, "expected": meeting.expected, "present": meeting.present},
                None, tuple(loc for loc in (recruit.at("admitted_on"),) if loc is not None))


def _admitted(scope: Scope) -> Iterator[Violation]:
    people = scope.ledger.people
    for recruit in _admitted_in_window(scope):
        member = people.member_of_recruit(recruit)
        day = cast(dt.date, recruit.admitted_on)  # in the window: a day
        evidence: dict[str, object] = {"date": day}
        if member is None:
            yield Violation(subject_of(recruit), recruit.at("admitted_on"),
                            evidence | {"problem": Text("「党员」表中没有此人", "not in the members sheet")})
        elif member.joined_on is not None and not _same_day(member.joined_on, day):
            problem = Text(f"「党员」表的入党日期为{member.joined_on.isoformat()}，与支部大会通过之日不符",
                           f"the members sheet has {member.joined_on.isoformat()} as the joining date, not the "
                           f"day of the assembly")
            yield Violation(subject_of(recruit), member.at("joined_on"), evidence | {
                "problem": problem, "joined_on": member.joined_on},
                None, tuple(loc for loc in (recruit.at("admitted_on"),) if loc is not None))


def _same_day(joined: dt.date, admitted: dt.date) -> bool:
    """The roster's joining date is the assembly's day; one written with its month only (2025.03, as rosters often
    give it) says no more than the month, and that is the assembly's."""
    return earliest(joined) <= admitted <= latest(joined)


def _chairs(scope: Scope) -> set[str]:
    """Who may chair: the secretary, and the organization's deputy secretaries and committee members."""
    allowed = {scope.org.secretary} if scope.org.secretary else set()
    for member in scope.ledger.members_by_org.get(scope.org.org_id, ()):
        post = member.party_post or ""
        if member.active and ("书记" in post or "委员" in post):
            allowed.add(member.name)
    return allowed


def _hosts(scope: Scope) -> Iterator[Violation]:
    allowed: set[str] | None = None
    for meeting in scope.meetings_of([ASSEMBLY, COMMITTEE]):
        if not meeting.host or meeting.date is None or not scope.window.contains(meeting.date):
            continue
        kinds = [k for k in (ASSEMBLY, COMMITTEE) if k in meeting.kind]
        if allowed is None:
            allowed = _chairs(scope)
        if meeting.host not in allowed:
            evidence = {"date": meeting.date, "person": meeting.host, "kind": Term(kinds[0])}
            yield Violation(subject_of(meeting), meeting.at("host"), evidence)


def _discipline(scope: Scope) -> Iterator[Violation]:
    """A member of the organization holds the post; a general branch's committee sits in the branches below, so
    there the post names the general branch (党总支纪检委员)."""
    org = scope.org
    own = [m.party_post or "" for m in scope.ledger.members_by_org.get(org.org_id, ()) if m.active]
    if any("纪检委员" in post or "纪律检查委员" in post for post in own):
        return
    below = [m.party_post or "" for m in scope.ledger.active_members(org.org_id, subtree=True)]
    if any("纪检" in post and "总支" in post for post in below) and org.base_type == "党总支":
        return
    yield Violation(scope.org_subject(), scope.org_location, {})


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
                                f"not yet a full member on the admission day (full member since {since.isoformat()})")
                           if since is not None else
                           Text("接收时尚不是正式党员（「党员」表中没有转正日期）",
                                "not yet a full member on the admission day (no full-membership date recorded)"))
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
