"""The roster and hours kinds: people looked up across sheets on a date; yearly training hours."""

from __future__ import annotations

import datetime as dt

from ledgercheck.checks import hours, roster
from ledgercheck.model.records import Election, Member, Org, Recruit, TrainingHours
from tests.checks.helpers import branch, scope

D = dt.date


def full(name: str, full_on: dt.date | None, org_id: str = "B01", **values) -> Member:
    return Member(name=name, org_id=org_id, member_kind="正式党员" if full_on else "预备党员", full_on=full_on,
                  joined_on=values.pop("joined_on", D(2000, 1, 1)), **values)


def test_sponsor_converted_on_the_admission_day_is_a_full_member() -> None:
    p = roster.Params.model_validate(dict(kind="roster", report="sponsors"))
    members = [full("甲", D(2010, 1, 1)), full("乙", D(2025, 3, 1), joined_on=D(2024, 3, 1))]
    on_time = Recruit(name="丙", org_id="B01", admitted_on=D(2025, 3, 1), sponsors=("甲", "乙"))
    early = Recruit(name="丁", org_id="B01", admitted_on=D(2025, 2, 28), sponsors=("甲", "乙"))
    found = list(roster.evaluate(p, scope(branch(), D(2025, 12, 31), since=D(2025, 1, 1), members=members,
                                          recruits=[on_time, early])))
    assert [(v.subject.label, v.evidence["person"]) for v in found] == [("丁", "乙")]


def test_a_bare_name_prefers_the_same_organization() -> None:
    p = roster.Params.model_validate(dict(kind="roster", report="sponsors", count=1))
    members = [full("甲", None, "B02"), full("甲", D(2010, 1, 1))]
    recruit = Recruit(name="丙", org_id="B01", admitted_on=D(2025, 3, 1), sponsors=("甲",))
    assert list(roster.evaluate(p, scope(branch(), D(2025, 12, 31), since=D(2025, 1, 1), members=members,
                                         recruits=[recruit]))) == []


def test_voters_counted_over_the_subtree_on_the_election_day() -> None:
    p = roster.Params.model_validate(dict(kind="roster", report="voters"))
    top = Org(org_id="D01", name="机关党委", org_type="机关党委")
    members = [full("甲", D(2010, 1, 1)), full("乙", D(2025, 9, 1), joined_on=D(2024, 9, 1))]
    elections = [Election(org_id="D01", date=D(2025, 6, 1), eligible=2), Election(org_id="D01", date=D(2025, 10, 1),
                                                                                  eligible=2)]
    s = scope(top, D(2025, 12, 31), since=D(2025, 1, 1), members=members, elections=elections)
    s.ledger.orgs = [top, branch(parent_id="D01")]
    s.ledger.__post_init__()
    assert [v.evidence["full_members"] for v in roster.evaluate(p, s)] == [1]


def test_hours_are_summed_per_year_and_posts_select_leaders() -> None:
    members = [full("甲", D(2010, 1, 1), party_post="书记"), full("乙", D(2010, 1, 1))]
    training = [TrainingHours(name="甲", year=2025, hours=30), TrainingHours(name="甲", year=2025, hours=26),
                TrainingHours(name="乙", year=2025, hours=31.5)]
    s = scope(branch(), D(2026, 1, 10), since=D(2025, 1, 1), members=members, training=training)
    assert [v.subject.label for v in hours.evaluate(hours.Params.model_validate(dict(kind="hours", min_hours=32)), s)] == ["乙"]
    leaders = hours.Params.model_validate(dict(kind="hours", min_hours=56, posts="any"))
    assert list(hours.evaluate(leaders, s)) == []
    assert [v.evidence["hours"] for v in hours.evaluate(leaders.replace(min_hours=57), s)] == [56]


def test_same_name_members_are_told_apart_by_organization_or_id_number() -> None:
    """Two 张伟 in two branches: a row saying which one counts for that one only; a bare name counts for both."""
    p = hours.Params.model_validate(dict(kind="hours", min_hours=32))
    members = [full("张伟", D(2010, 1, 1), id_number="11010119800101001X"),
               full("张伟", D(2010, 1, 1), "B02", id_number="110101199203040028")]

    def short(*rows: TrainingHours) -> list[str]:
        s = scope(branch(), D(2026, 1, 10), since=D(2025, 1, 1), members=members, training=list(rows))
        return [v.subject.label for v in hours.evaluate(p, s)]

    assert short(TrainingHours(name="张伟", year=2025, hours=40)) == []
    assert short(TrainingHours(name="张伟", year=2025, hours=40, org_id="B02")) == ["张伟"]
    assert short(TrainingHours(name="张伟", year=2025, hours=40, id_number="110101199203040028")) == ["张伟"]
    assert short(TrainingHours(name="张伟", year=2025, hours=40, org_id="B01")) == []
    assert short(TrainingHours(name="张伟", year=2025, hours=40, id_number="11010119800101001X")) == []
