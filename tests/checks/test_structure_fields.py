"""The structure and fields kinds."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from ledgercheck.checks import fields, structure
from ledgercheck.model.records import Member, Recruit
from tests.checks.helpers import branch, scope

D = dt.date


def test_structure_needs_a_bound() -> None:
    with pytest.raises(ValidationError, match="give min, max or both"):
        structure.Params.model_validate(dict(kind="structure", measure="members"))
    with pytest.raises(ValidationError, match="min is greater than max"):
        structure.Params.model_validate(dict(kind="structure", measure="members", min=5, max=3))


def test_structure_counts_only_members_in_the_register() -> None:
    members = [Member(name=str(i), org_id="B01", member_kind="正式党员", status=s)
               for i, s in enumerate([None, "正常", "停止党籍", "出党", "转出", "去世"])]
    params = structure.Params.model_validate(dict(kind="structure", measure="full_members", min=3))
    [violation] = structure.evaluate(params, scope(branch(), D(2025, 1, 1), members=members))
    assert violation.evidence["count"] == 2
    # Away or out of contact, still members until suspended (S-JY 第二十四条): they count.
    members += [Member(name=s, org_id="B01", member_kind="正式党员", status=s) for s in ("流动", "出国（境）", "失联")]
    assert violation.evidence["count"] == 2
    assert list(structure.evaluate(params, scope(branch(), D(2025, 1, 1), members=members))) == []


@pytest.mark.parametrize(("value", "valid"), [
    ("110108199003071238", True), ("11010519491231002X", True), ("110108199003071234", False),
    ("11010819900307123", False), ("110108199013071238", False), ("11010819900307123A", False)])
def test_gb11643(value: str, valid: bool) -> None:
    assert fields.valid_id_number(value) is valid


@pytest.mark.parametrize(("value", "says"), [
    ("110105491231002", "15位的旧身份证号码"), ("11010819900307123", "共17位"), ("11010819900307123A", "前17位"),
    ("110108199013071238", "出生日期"), ("110108199003071234", "校验码")])
def test_an_invalid_id_number_is_told_what_is_wrong_without_its_digits(value: str, says: str) -> None:
    problem = fields.id_number_problem(value)
    assert not fields.valid_id_number(value) and says in problem.zh and problem.en
    assert not any(run in problem.zh + problem.en for run in (value[6:14], value[:6]))  # no birth date, no area


@pytest.mark.parametrize(("value", "valid"), [
    ("13812345678", True), ("+8613812345678", True), ("010-12345678", True), ("12812345678", False), ("12345", False)])
def test_phone(value: str, valid: bool) -> None:
    assert fields.valid_phone(value) is valid


def test_fields_refuses_unknown_fields_and_empty_checks() -> None:
    with pytest.raises(ValidationError, match="unknown field"):
        fields.Params.model_validate(dict(kind="fields", sheet="members", required=["nickname"]))
    with pytest.raises(ValidationError, match="give `required`"):
        fields.Params.model_validate(dict(kind="fields", sheet="members"))


def test_unreadable_fields_are_not_reported_twice() -> None:
    member = Member(name="甲", org_id="B01", member_kind="正式党员", unreadable=frozenset({"joined_on"}))
    params = fields.Params.model_validate(dict(kind="fields", sheet="members", required=["joined_on"]))
    assert list(fields.evaluate(params, scope(branch(), D(2025, 1, 1), members=[member]))) == []


def test_subjects_never_carry_raw_id_numbers() -> None:
    member = Member(name="甲", org_id="B01", member_kind="正式党员", id_number="110108199003071238")
    recruit = Recruit(name="乙", org_id="B01", id_number="11010519491231002X")
    for record in (member, recruit):
        subject = fields.subject_of(record)
        assert record.id_number not in subject.key
        assert subject.key.startswith("h:")
