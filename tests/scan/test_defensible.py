"""Rankings an inspector can defend: more problems never rank higher, audits done in part are never ranked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.findings.scan.store import ScanStore
from ledgercheck.findings.scan.summary import FileResult, OrgResult, unit_score
from ledgercheck.reporters.scan.labels import rank_text

ORGS = ("B01", "B02", "B03", "B04")


def unit(name: str, counts: list[tuple[int, int]], status: str = "ok", missing: tuple[str, ...] = ()) -> FileResult:
    """A unit of len(counts) organizations, each judged, with (errors, warnings) each."""
    orgs = [OrgResult(org_id, f"{org_id}支部", "党支部", "党支部", None, 10,
                      {"error": errors, "warning": warnings, "info": 0}, 5, min(5, errors + warnings))
            for org_id, (errors, warnings) in zip(ORGS, counts)]
    total = {"error": sum(e for e, _ in counts), "warning": sum(w for _, w in counts), "info": 0}
    return FileResult(f"{name}.xlsx", status, unit=name, counts=total, orgs=orgs,  # type: ignore[arg-type]
                      input_errors=int(status == "input_errors"), rules_total=47, missing_sheets=missing)


counts = st.integers(min_value=0, max_value=400)
org_counts = st.lists(st.tuples(counts, counts), min_size=1, max_size=len(ORGS))


@st.composite
def worse_and_better(draw: st.DrawFn) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Two units with the same organizations; the worse has at least as many errors and warnings in total, and
    strictly more of one kind. How they are spread over the organizations is free: the 339 errors that once
    ranked higher were all on one organization."""
    better = draw(org_counts)
    extra = draw(st.lists(st.tuples(counts, counts), min_size=len(better), max_size=len(better)))
    if not any(e or w for e, w in extra):
        extra[draw(st.integers(0, len(extra) - 1))] = draw(st.sampled_from([(1, 0), (0, 1), (1, 1)]))
    worse = [(e + de, w + dw) for (e, w), (de, dw) in zip(better, extra)]
    # Then shuffle the worse unit's problems between its organizations: the totals are what count.
    if len(worse) > 1 and draw(st.booleans()):
        errors, warnings = sum(e for e, _ in worse), sum(w for _, w in worse)
        worse = [(errors, warnings)] + [(0, 0)] * (len(worse) - 1)
    return worse, better


@settings(max_examples=300, deadline=None)
@given(worse_and_better())
def test_a_unit_with_more_errors_and_warnings_never_ranks_above_one_with_fewer(
        pair: tuple[list[tuple[int, int]], list[tuple[int, int]]]) -> None:
    worse, better = pair
    w, b = unit("差", worse), unit("好", better)
    assert w.score is not None and b.score is not None
    assert w.score <= b.score
    with ScanStore() as store:
        store.add(0, w)
        store.add(1, b)
        ranks = {r.unit: r.rank for r in store.files()}
        assert ranks["差"] >= ranks["好"]  # below it, or tied with it (never above)
        assert [r.unit for r in store.files("best")] == ["好", "差"]  # in a tie the one that lost less first
        assert [r.unit for r in store.files("worst")] == ["差", "好"]


def test_the_case_from_the_field_339_errors_no_longer_beat_5() -> None:
    """The mean of organizations' floored scores put 339 errors (all on one of two organizations) at 50, above
    5 errors spread over both at 87.5; points lost per organization judged puts them the right way round."""
    piled, spread = unit("甲", [(339, 0), (0, 0)]), unit("乙", [(3, 0), (2, 0)])
    assert piled.score == 0.0 and spread.score == unit_score({"error": 5}, 2) == 87.5


@given(org_counts, st.sampled_from([("input_errors", ()), ("internal_errors", ()), ("ok", ("members",))]))
def test_an_incomplete_audit_is_neither_scored_nor_ranked(found: list[tuple[int, int]],
                                                          incomplete: tuple[str, tuple[str, ...]]) -> None:
    status, missing = incomplete
    part = unit("缺", found, status, missing)
    assert part.incomplete and part.score is None
    with ScanStore() as store:
        store.add(0, part)
        store.add(1, unit("全", [(400, 400)]))
        [row] = [r for r in store.files() if r.unit == "缺"]
        assert row.incomplete and row.rank is None and row.score is None
        assert [r.unit for r in store.files("best")] == ["全"] == [r.unit for r in store.files("worst")]
        assert [r.unit for r in store.incomplete_files()] == ["缺"]
        assert store.totals.incomplete == 1 and store.totals.scored_units == 1


def test_ties_are_shown_as_ties() -> None:
    """Three units with one score share the first place; the next is third (competition ranking)."""
    with ScanStore() as store:
        for seq, (name, errors) in enumerate([("甲", 1), ("乙", 0), ("丙", 0), ("丁", 0)]):
            store.add(seq, unit(name, [(errors, 0)]))
        rows = {r.unit: r for r in store.files()}
        assert [rank_text(rows[n], "zh") for n in ("乙", "丙", "丁", "甲")] == ["并列1", "并列1", "并列1", "4"]
        assert rank_text(rows["乙"], "en") == "=1" and rows["乙"].tied == 3 and rows["甲"].tied == 1
