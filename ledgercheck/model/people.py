"""Who is who across sheets: dues rows, recruits, training rows and named people matched to members.

Built once per ledger (`Ledger.people`), in one pass over each sheet, so checks that compare people
across sheets cost a dictionary lookup per row instead of a rescan. Matching, most certain first:
ID number; organization and name; a name that only one member in the workbook has.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING

from ledgercheck.model.periods import add_years
from ledgercheck.model.records import is_waived

if TYPE_CHECKING:
    from ledgercheck.model.periods import Period
    from ledgercheck.model.records import DuesPayment, Member, Recruit, TrainingHours


class People:
    def __init__(self, members: Sequence[Member], recruits: Sequence[Recruit], dues: Sequence[DuesPayment],
                 training: Sequence[TrainingHours]):
        # The sheets, not the ledger: the ledger holds this object, and a reference back would make a cycle
        # that keeps a whole workbook's records alive until the cyclic garbage collector happens to run.
        self.members_by_id: dict[str, Member] = {}
        self.members_by_org_name: dict[tuple[str, str], Member] = {}
        self.members_by_name: dict[str, list[Member]] = defaultdict(list)
        for member in members:
            if member.id_number:
                self.members_by_id.setdefault(member.id_number, member)
            self.members_by_org_name.setdefault((member.org_id, member.name), member)
            self.members_by_name[member.name].append(member)
        self._sheets = (recruits, dues, training)
        self._paid: dict[int, dict[Period, DuesPayment]] = {}

    # Each sheet is matched to the members on first use: a rule that only looks members up by name does not wait
    # for the dues sheet (a PartialLedger's pending rows raise Pending here, and nothing is cached then).

    @cached_property
    def recruit_of(self) -> dict[int, Recruit]:
        recruit_of: dict[int, Recruit] = {}
        for recruit in self._sheets[0]:
            found = self.find(recruit.name, recruit.id_number, recruit.org_id)
            if found is not None:
                recruit_of.setdefault(id(found), recruit)
        return recruit_of

    @cached_property
    def dues_of(self) -> dict[int, list[DuesPayment]]:
        dues_of: dict[int, list[DuesPayment]] = defaultdict(list)
        # A member's rows usually follow one another: one lookup per run of rows, not per row.
        for (name, id_number, org_id), rows in groupby(self._sheets[1], attrgetter("name", "id_number", "org_id")):
            payer = self.find(name, id_number, org_id)
            if payer is not None:
                dues_of[id(payer)].extend(rows)
        return dues_of

    @cached_property
    def training_of(self) -> dict[int, dict[int, float]]:
        training_of: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for row in self._sheets[2]:
            # A row with an ID number or an organization belongs to the one member it finds; a bare name shared
            # by two members counts for both (neither is judged short of hours on the other's behalf).
            if row.id_number or row.org_id:
                found = self.find(row.name, row.id_number, row.org_id)
                holders = [found] if found is not None else []
            else:
                holders = self.members_by_name.get(row.name, [])
            for member in holders:
                training_of[id(member)][row.year] += row.hours
        return training_of

    def find(self, name: str, id_number: str | None = None, org_id: str | None = None,
             near: Iterable[str] = ()) -> Member | None:
        """The member a row or a name refers to; `near` lists org ids to prefer for a bare name."""
        if id_number and id_number in self.members_by_id:
            return self.members_by_id[id_number]
        for candidate_org in ([org_id] if org_id else []) + list(near):
            member = self.members_by_org_name.get((candidate_org, name))
            if member is not None:
                return member
        same_name = self.members_by_name.get(name, [])
        return same_name[0] if len(same_name) == 1 else None

    def recruit(self, member: Member) -> Recruit | None:
        return self.recruit_of.get(id(member))

    def member_of_recruit(self, recruit: Recruit) -> Member | None:
        return self.find(recruit.name, recruit.id_number, recruit.org_id)

    def dues(self, member: Member) -> Sequence[DuesPayment]:
        return self.dues_of.get(id(member), ())

    def paid_months(self, member: Member) -> dict[Period, DuesPayment]:
        """The months the member paid for (实缴金额 > 0) or was excused from (免交, records.WAIVED), each with its row
        (the last, when a month has two).

        Built on first use and shared by every dues and continuity rule, so a member's rows are read once.
        """
        paid = self._paid.get(id(member))
        if paid is None:
            paid = self._paid[id(member)] = {r.month: r for r in self.dues_of.get(id(member), ())
                                             if r.paid or is_waived(r.paid)}
        return paid

    def training_hours(self, member: Member, year: int) -> float:
        return self.training_of.get(id(member), {}).get(year, 0.0)


def full_since(member: Member) -> dt.date | None:
    """The day a member became a full member: 转正日期, or for a full member without one, a year after joining."""
    if member.full_on is not None:
        return member.full_on
    if member.is_full and member.joined_on is not None:
        return add_years(member.joined_on, 1)
    return None


def full_on_date(member: Member, day: dt.date) -> bool:
    """Whether the member was a full member on `day` (a full member with no dates at all is taken as full)."""
    since = full_since(member)
    if since is None:
        return member.is_full and member.joined_on is None
    return since <= day
