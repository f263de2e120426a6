"""The engine: window defaults, applicability, skipped rules, crash isolation, fingerprints."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ledgercheck.checks import KINDS
from ledgercheck.engine.evaluate import applies, audit, default_window
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.periods import Period, Unit, Window
from ledgercheck.model.records import DuesPayment, Meeting, Org
from ledgercheck.rulebook.schema import AppliesTo

D = dt.date
BRANCH = Org(org_id="B01", name="一支部", org_type="党支部", committee_size=3)


def test_window_starts_with_the_first_year_of_activity() -> None:
    ledger = Ledger("t", [BRANCH], meetings=[Meeting(org_id="B01", kind=("党课",), date=D(2024, 5, 6))],
                    dues=[DuesPayment(name="甲", month=Period(2023, Unit.MONTH, 11))])
    assert default_window(ledger, D(2025, 3, 1)) == Window(D(2023, 1, 1), D(2025, 3, 1))
    assert default_window(ledger, D(2025, 3, 1), since=D(2025, 1, 1)).start == D(2025, 1, 1)


def test_window_without_activity_is_the_year_before_as_of() -> None:
    assert default_window(Ledger("t", [BRANCH]), D(2025, 3, 1)).start == D(2024, 3, 1)


def test_window_never_starts_after_as_of() -> None:
    ledger = Ledger("t", [BRANCH], meetings=[Meeting(org_id="B01", kind=("党课",), date=D(2030, 1, 1))])
    window = default_window(ledger, D(2025, 3, 1))
    assert window.start <= window.as_of


@pytest.mark.parametrize(("rule", "org", "expected"), [
    (AppliesTo(org_type=["党支部"]), Org(org_id="X", name="x", org_type="联合党支部"), True),
    (AppliesTo(org_type=["党支部"], except_org_type=["联合党支部"]), Org(org_id="X", name="x", org_type="联合党支部"), False),
    (AppliesTo(org_type=["党总支"]), BRANCH, False),
    (AppliesTo(has_committee=True), Org(org_id="X", name="x", org_type="党支部", committee_size=0), False),
    (AppliesTo(top_level=True), Org(org_id="X", name="x", org_type="党支部", parent_id="B01"), False),
    (AppliesTo(top_level=True), Org(org_id="X", name="x", org_type="党支部", parent_id="GONE"), True),
])
def test_applies(rule: AppliesTo, org: Org, expected: bool) -> None:
    assert applies(rule, org, Ledger("t", [BRANCH, org])) is expected


def test_rule_needing_a_missing_sheet_is_skipped_with_a_reason(national) -> None:
    ledger = Ledger("t", [BRANCH], columns={"orgs": frozenset({"org_id"})})
    result = audit(ledger, national.select(["MEET-COMMITTEE-MONTHLY", "ORG-BRANCH-MIN-3"]),
                   Window(D(2025, 1, 1), D(2025, 6, 1)))
    assert {s.rule_id: s.reason.zh for s in result.skipped_rules} == {
        "MEET-COMMITTEE-MONTHLY": "台账中没有「组织生活」表", "ORG-BRANCH-MIN-3": "台账中没有「党员」表"}
    assert result.findings == []


def test_a_crashing_check_is_reported_and_the_other_rules_still_run(national, monkeypatch) -> None:
    def boom(params, scope):
        raise ZeroDivisionError("division by zero")
        yield

    monkeypatch.setitem(KINDS, "structure", dataclasses.replace(KINDS["structure"], evaluate=boom))
    ledger = Ledger("t", [BRANCH], columns={"orgs": frozenset({"org_id", "committee_size"}),
                                           "meetings": frozenset({"date", "kind"}), "members": frozenset()})
    result = audit(ledger, national.select(["ORG-BRANCH-MIN-3", "MEET-COMMITTEE-MONTHLY"]),
                   Window(D(2025, 1, 1), D(2025, 3, 1)))
    assert [(c.rule_id, c.org_id, c.error) for c in result.crashes] == [
        ("ORG-BRANCH-MIN-3", "B01", "ZeroDivisionError: division by zero")]
    assert [f.period.label for f in result.findings] == ["2025-01", "2025-02"]


def test_identical_subjects_get_distinct_fingerprints(national) -> None:
    meetings = [Meeting(org_id="B01", kind=("党课",), date=D(2025, 1, 5)) for _ in range(2)]
    # The columns are there, the values are not: each meeting is incomplete.
    columns = frozenset({"kind", "date", "host", "recorder", "expected", "present", "topic", "lecturer"})
    ledger = Ledger("t", [BRANCH], meetings=meetings, columns={"meetings": columns})
    result = audit(ledger, national.select(["REC-MEETING-COMPLETE"]), Window(D(2025, 1, 1), D(2025, 3, 1)))
    prints = [f.fingerprint for f in result.findings]
    assert len(prints) == 2 and len(set(prints)) == 2


def test_a_rule_for_branches_without_a_committee_needs_the_committee_column(tmp_path) -> None:
    """Without 支委会委员人数 it is not known which branches have a committee: ORG-BRANCH-COMMITTEE-AT-7 is not
    checked, where it found every large branch "without a committee" (a blank cell says none; no column, nothing)."""
    import openpyxl

    from tests.conftest import SAMPLES
    from tests.ingest.audited import audit_json

    book = openpyxl.load_workbook(SAMPLES / "violations.xlsx")
    orgs = book["组织"]
    orgs.delete_cols([c.value for c in orgs[1]].index("支委会委员人数") + 1)
    book.save(tmp_path / "no-committee-column.xlsx")
    _code, report = audit_json(tmp_path / "no-committee-column.xlsx")
    assert not [f for f in report["findings"] if f["rule"]["id"] == "ORG-BRANCH-COMMITTEE-AT-7"]
    assert {"rule": "ORG-BRANCH-COMMITTEE-AT-7", "reason": "「组织」表没有「支委会委员人数」列"} in report["skipped_rules"]
    _code, plain = audit_json(SAMPLES / "violations.xlsx")
    assert not [s for s in plain["skipped_rules"] if s["rule"] == "ORG-BRANCH-COMMITTEE-AT-7"]


def test_what_a_rule_says_of_itself_is_made_once_per_rulebook_and_stays_bounded(national, monkeypatch) -> None:
    """A rule's title, citations, fix and message are the same in every audit: made once for each rule of a
    rulebook (the same objects in the next audit), as they would be made afresh, and let go when too many are kept."""
    from ledgercheck.engine import evaluate
    from ledgercheck.ingest.loader import load_ledger
    from tests.conftest import SAMPLES

    monkeypatch.setattr(evaluate, "_DESCRIBED", {})
    ledger = load_ledger(SAMPLES / "violations.xlsx").ledger
    window = Window(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    first, second = audit(ledger, national, window), audit(ledger, national, window)
    assert len(first.rule_info) >= 5
    assert [a is b for a, b in zip(first.rule_info, second.rule_info, strict=True)] == [True] * len(first.rule_info)
    for info in first.rule_info:
        rule = national.rules[info.rule_id].rule
        assert info == evaluate.RuleInfo(rule.id, rule.title.text(), rule.severity, national.citation(rule),
                                         rule.fix.text() if rule.fix else None,
                                         rule.rationale.text() if rule.rationale else None, tuple(rule.tags),
                                         national.citation(rule, short=True))
    monkeypatch.setattr(evaluate, "DESCRIBED_KEPT", 3)
    monkeypatch.setattr(evaluate, "_DESCRIBED", {})
    assert audit(ledger, national, window).rule_info == first.rule_info
    assert len(evaluate._DESCRIBED) <= 3
