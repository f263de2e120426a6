"""`structure`: member counts and committee size against the thresholds for an organization type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from ledgercheck.checks.base import Kind, KindParams, Meaning, Scope, Violation, complaint
from ledgercheck.common.spec import model_validator

EVIDENCE = frozenset({"count", "min", "max"})


class Params(KindParams):
    kind: Literal["structure"]
    # members: active members (full and probationary); full_members: active full members only.
    measure: Annotated[Literal["members", "full_members", "committee_size"], Meaning(
        "统计什么：党员人数（members）、正式党员人数（full_members）或支委会委员人数（committee_size）",
        "what is counted: members, full members or committee size")]
    scope: Annotated[Literal["direct", "subtree"], Meaning(
        "只算本组织（direct）还是连同下属组织（subtree）",
        "this organization only (direct) or with those below it (subtree)")] = "direct"
    min: Annotated[int | None, Meaning("下限（少于即为问题）", "lower bound (fewer is a finding)")] = None
    max: Annotated[int | None, Meaning("上限（多于即为问题）", "upper bound (more is a finding)")] = None  # … or above max

    @model_validator(mode="after")
    def _bounds(self) -> Params:
        if self.min is None and self.max is None:
            raise complaint("请给出 min、max 或两者", "give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise complaint("min 大于 max", "min is greater than max")
        return self


def requires(params: Params) -> list[tuple[str, str | None]]:
    if params.measure == "committee_size":
        return [("orgs", "committee_size")]
    return [("members", None)]


def measure(params: Params, scope: Scope) -> int:
    if params.measure == "committee_size":
        return scope.org.committee_size or 0
    members = scope.ledger.active_members(scope.org.org_id, subtree=params.scope == "subtree")
    if params.measure == "full_members":
        return sum(1 for m in members if m.is_full)
    return len(members)


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    count = measure(params, scope)
    below = params.min is not None and count < params.min
    above = params.max is not None and count > params.max
    if below or above:
        field = "committee_size" if params.measure == "committee_size" else "org_id"
        location = scope.org.at(field) or scope.org_location
        yield Violation(scope.org_subject(), location, {"count": count, "min": params.min, "max": params.max})


kind = Kind("structure", Params, EVIDENCE, requires, evaluate)
