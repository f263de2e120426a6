"""Declared formats validated through their pydantic twins (ledgercheck/common/spec.py): the errors a rule
author meets are pydantic's, at the key they wrote, and what validation returns is the spec itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ledgercheck.checks import dues, expression, frequency, timeline
from ledgercheck.checks.base import Duration, meaning
from ledgercheck.common.i18n import TextError
from ledgercheck.common.spec import Constraint, Field, Private, Spec, dump, fields_of, model_validator, validate
from ledgercheck.rulebook.schema import Rule

RULE = {"id": "MEET-X", "title": {"zh": "标题", "en": "Title"}, "severity": "warning",
        "source": {"regulation": "R"}, "message": {"zh": "消息", "en": "Message"},
        "check": {"kind": "frequency", "activity": "支部委员会", "period": "month"}}


def _errors(cls: type[Spec], data: Any) -> list[tuple[str, tuple[Any, ...]]]:
    with pytest.raises(ValidationError) as caught:
        validate(cls, data)
    return [(error["type"], tuple(error["loc"])) for error in caught.value.errors()]


def test_a_valid_rule_is_made_of_specs_all_the_way_down() -> None:
    rule = validate(Rule, RULE)
    assert type(rule) is Rule and type(rule.check) is frequency.Params and type(rule.title).__name__ == "LocalText"
    assert rule.source[0].regulation == "R"  # one citation written as a mapping: a list of one (a before-validator)
    assert rule.check.activity == ["支部委员会"] and rule.check.min == 1  # a default
    assert rule.tags == [] and validate(Rule, RULE).tags is not rule.tags  # a fresh list each time
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.id = "OTHER"  # type: ignore[misc]


@pytest.mark.parametrize(("change", "expected"), [
    ({"colour": "red"}, [("extra_forbidden", ("colour",))]),
    ({"id": None}, [("string_type", ("id",))]),
    ({"source": []}, [("too_short", ("source",))]),
    ({"check": {"kind": "weekly"}}, [("union_tag_invalid", ("check",))]),
    ({"check": {"kind": "frequency", "activity": "支部委员会", "period": "month", "min": 0}},
     [("greater_than_equal", ("check", "frequency", "min"))]),
    ({"check": {"kind": "frequency", "activity": "茶话会", "period": "month"}},
     [("value_error", ("check", "frequency", "activity"))]),
    ({"check": {"kind": "structure", "measure": "members", "min": 5, "max": 3}},
     [("value_error", ("check", "structure"))]),
    ({"check": {"kind": "timeline", "sheet": "members", "to": "full_on", "min": {"months": 1}}},
     [("missing", ("check", "timeline", "from"))]),
])
def test_errors_are_pydantics_at_the_key_as_written(change: dict[str, Any], expected: list[Any]) -> None:
    assert _errors(Rule, RULE | change) == expected


def test_a_validators_own_message_is_kept_in_both_languages() -> None:
    with pytest.raises(ValidationError) as caught:
        validate(dues.Params, {"kind": "dues", "report": "amount", "tables": {"在职": {"brackets": [{"rate": 2}]}}})
    errors = caught.value.errors()
    assert errors[0]["type"] == "less_than_equal" and errors[0]["loc"] == ("tables", "在职", "brackets", 0, "rate")
    with pytest.raises(ValidationError) as caught:
        validate(dues.Params, {"kind": "dues", "report": "amount"})
    own = caught.value.errors()[0]["ctx"]["error"]
    assert isinstance(own, TextError) and "tables" in own.text.zh and "tables" in own.text.en


def test_a_key_written_otherwise_than_the_attribute() -> None:
    params = validate(timeline.Params, {"kind": "timeline", "sheet": "members", "from": "joined_on", "to": "full_on",
                                        "max": {"years": 1}})
    assert params.from_ == "joined_on" and params.max == Duration(years=1)
    assert fields_of(timeline.Params)["from_"].alias == "from"
    assert dump(params, by_alias=True, exclude_none=True)["from"] == "joined_on"
    assert ("extra_forbidden", ("from_",)) in _errors(timeline.Params, {"kind": "timeline", "sheet": "members",
                                                                        "from_": "joined_on", "to": "full_on"})


def test_model_validators_run_on_the_spec_and_set_its_private_attributes() -> None:
    params = validate(expression.Params, {"kind": "expression", "sheet": "meetings",
                                          "require": "present * 2 > org.committee_size"})
    assert params._org_key == ("committee_size",) and params._used[0] == ["present"]
    assert "_org_key" not in fields_of(expression.Params)
    assert params == params.replace()  # private attributes are not compared


class _Window(Spec):
    start: dt.date
    days: Annotated[int, Constraint(ge=0, le=366)] = 0
    tags: list[str] = Field(default_factory=list, min_length=0, key="labels")
    _end: dt.date = Private()

    @model_validator(mode="after")
    def _ends(self) -> None:
        self._set("_end", self.start + dt.timedelta(days=self.days))


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)), st.integers(-1000, 1000))
def test_bounds_are_checked_and_the_derived_value_follows(start: dt.date, days: int) -> None:
    data = {"start": start.isoformat(), "days": days}
    if 0 <= days <= 366:
        window = validate(_Window, data)
        assert window.start == start and window._end == start + dt.timedelta(days=days)
        assert dump(window, json=True) == {"start": start.isoformat(), "days": days, "tags": []}
    else:
        assert _errors(_Window, data)[0] == ("greater_than_equal" if days < 0 else "less_than_equal", ("days",))


def test_the_constructor_checks_nothing_as_pydantics_model_construct() -> None:
    assert _Window(start=dt.date(2025, 1, 1), days=-5).days == -5  # as stored validated, not validated again
    assert _errors(_Window, {"start": "2025-01-01", "tags": ["a"]}) == [("extra_forbidden", ("tags",))]
    assert validate(_Window, {"start": "2025-01-01", "labels": ["a"]}).tags == ["a"]


def test_meanings_stay_with_the_fields() -> None:
    text = meaning(frequency.Params, "min")
    assert text is not None and text.zh == "每期至少次数"
    assert list(fields_of(frequency.Params))[0] == "kind"


def test_a_spec_behaves_as_a_frozen_keyword_only_dataclass() -> None:
    one, same, other = Duration(months=6), Duration(months=6), Duration(months=7)
    assert one == same and hash(one) == hash(same) and one != other and one != (0, 6, 0)
    assert repr(one) == "Duration(years=0, months=6, days=0)"
    assert len({one, same, other}) == 2
    assert one.replace(days=1) == Duration(months=6, days=1) and one.days == 0
    with pytest.raises(TypeError, match="unexpected keyword"):
        Duration(weeks=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="missing keyword argument: 'start'"):
        _Window()  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.months  # type: ignore[misc]
    first, second = _Window(start=dt.date(2025, 1, 1)), _Window(start=dt.date(2025, 1, 1))
    assert first.tags == [] and first.tags is not second.tags  # a default factory: a list of its own each
    assert "_end" not in repr(first) and first == second
    assert [name for name in fields_of(Rule)][:3] == ["id", "title", "severity"]  # declaration order


@pytest.mark.parametrize(("text", "line", "path", "zh"), [
    ("sheets:\n  members:\n    columns:\n      nmae: [姓名2]\n", 4, "sheets.members.columns.nmae", "没有「nmae」这一项"),
    ("sheets:\n  mmbers: {}\n", 2, "sheets.mmbers", "未知的表「mmbers」"),
    ("values:\n  member_kind:\n    正式党员: [正式]\n    老党员: [老]\n", 4, "values.member_kind.老党员",
     "不是 member_kind 的标准取值"),
])
def test_a_whole_file_check_points_at_the_key_it_is_about(tmp_path: Path, text: str, line: int, path: str,
                                                          zh: str) -> None:
    """A model validator that checks a whole alias file names the key (TextError's `at`): the message gives that
    key's line and path, not the file's first line."""
    from ledgercheck.common.errors import ConfigError
    from ledgercheck.ingest.aliases import load_aliases

    file = tmp_path / "aliases.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_aliases([file])
    error = caught.value
    assert error.location is not None and error.location.line == line
    assert error.message.zh.startswith(f"{path}：") and zh in error.message.zh
    assert error.message.en.startswith(f"{path}: ")
