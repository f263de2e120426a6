"""Per-file summaries, the score, the bins, discovery, and the engine's record of the orgs each rule judged."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgercheck.app.audit import audit_loaded
from ledgercheck.checks import KINDS
from ledgercheck.engine.evaluate import audit
from ledgercheck.findings.scan.store import SIZE_BINS, ScanStore, score_bin, size_bin
from ledgercheck.findings.scan.summary import FileResult, OrgResult, org_score, summarize
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.periods import Window
from ledgercheck.model.records import Org
from ledgercheck.scan.discover import discover
from tests.conftest import SAMPLES
from tests.ledgers import PLANTED, planted_count

D = dt.date
WITH_COMMITTEE = Org(org_id="B01", name="一支部", org_type="党支部", committee_size=3)
WITHOUT = Org(org_id="B02", name="二支部", org_type="党支部", committee_size=0)
COLUMNS = {"orgs": frozenset({"org_id", "committee_size"}), "meetings": frozenset({"date", "kind"}),
           "members": frozenset()}


def test_engine_records_the_organizations_each_rule_judged(national) -> None:
    ledger = Ledger("t", [WITH_COMMITTEE, WITHOUT], columns=COLUMNS)
    result = audit(ledger, national.select(["MEET-COMMITTEE-MONTHLY", "MEET-THEME-DAY-MONTHLY"]),
                   Window(D(2025, 1, 1), D(2025, 3, 1)))
    assert result.judged == {"MEET-COMMITTEE-MONTHLY": ["B01"], "MEET-THEME-DAY-MONTHLY": ["B01", "B02"]}


def test_skipped_rules_and_crashed_checks_judge_nobody(national, monkeypatch) -> None:
    def boom(params, scope):
        raise RuntimeError("bug")
        yield

    monkeypatch.setitem(KINDS, "structure", dataclasses.replace(KINDS["structure"], evaluate=boom))
    ledger = Ledger("t", [WITH_COMMITTEE], columns={"orgs": frozenset({"org_id"})})
    result = audit(ledger, national.select(["MEET-COMMITTEE-MONTHLY"]), Window(D(2025, 1, 1), D(2025, 3, 1)))
    assert result.judged == {}  # no meetings sheet: skipped
    ledger = Ledger("t", [WITH_COMMITTEE], columns=COLUMNS)
    result = audit(ledger, national.select(["ORG-BRANCH-MIN-3"]), Window(D(2025, 1, 1), D(2025, 3, 1)))
    assert result.judged == {"ORG-BRANCH-MIN-3": []} and result.crashes


def test_summary_counts_per_org_and_per_rule(national) -> None:
    loaded = load_ledger(SAMPLES / "violations.xlsx")
    result = audit_loaded(loaded, national, D(2026, 1, 15))
    summary = summarize("v.xlsx", loaded.ledger, result, "zh")
    assert summary.status == "ok" and summary.unit == "某委机关党委"
    assert summary.counts == result.counts() and len(summary.findings) == len(result.findings)
    assert summary.rules["MEET-COMMITTEE-MONTHLY"] == (4, 3)
    orgs = {o.org_id: o for o in summary.orgs}
    assert orgs["D01"].parent_id is None and orgs["B05"].parent_id == "Z01"
    assert orgs["Z01"].members == 3 + 8  # its two branches
    assert orgs["D01"].members == summary.members == sum(o.members for o in summary.orgs if o.base_type == "党支部")
    b01 = {s: planted_count(s, "B01") for s in ("error", "warning", "info")}
    assert orgs["B01"].counts == b01
    assert orgs["B01"].rules_failed == len({p["rule"] for p in PLANTED if p["org"] == "B01"})
    assert orgs["B01"].score == max(0, 100 - b01["error"] * 5 - b01["warning"] * 2)


def test_score_is_floored_at_zero_and_info_is_free() -> None:
    assert org_score({"error": 30}) == 0
    assert org_score({"info": 7}) == 100
    assert org_score({"error": 1, "warning": 1}) == 93


@pytest.mark.parametrize(("members", "bin_"), [(0, 0), (2, 0), (3, 1), (6, 1), (7, 2), (50, 3), (51, 4),
                                               (100, 4), (101, 5), (5000, 5)])
def test_size_bins_cut_at_the_regulations_thresholds(members: int, bin_: int) -> None:
    assert size_bin(members) == bin_
    low, high = SIZE_BINS[bin_]
    assert low <= members and (high is None or members <= high)


@pytest.mark.parametrize(("score", "bin_"), [(0, 0), (59.9, 0), (60, 1), (89.9, 3), (90, 4), (100, 4)])
def test_score_bins(score: float, bin_: int) -> None:
    assert score_bin(score) == bin_


def test_discovery_walks_folders_and_skips_lock_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("a/1.xlsx", "a/b/2.XLS", "a/b/3.ods", "a/4.et", "a/notes.docx", "a/~$1.xlsx", ".hidden/5.xlsx",
                 "a/.6.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    found = discover([str(tmp_path), str(tmp_path / "a" / "1.xlsx")])
    assert [p.relative_to(tmp_path).as_posix() for p, _display in found.files] == [
        "a/1.xlsx", "a/4.et", "a/b/2.XLS", "a/b/3.ods"]
    assert found.ignored == 2  # the lock file and the hidden file; the hidden folder is not entered


def test_discovery_takes_a_file_without_a_suffix_that_is_a_workbook(tmp_path: Path) -> None:
    """A download that lost its name's end is a unit's ledger all the same; other files without one are not."""
    import shutil

    from tests.conftest import SAMPLES

    shutil.copyfile(SAMPLES / "clean.xlsx", tmp_path / "第三支部台账")
    (tmp_path / "说明").write_text("台账说明", encoding="utf-8")
    (tmp_path / "README").write_bytes(b"PK\x03\x04 not really a zip")
    found = discover([str(tmp_path)])
    assert [p.name for p, _display in found.files] == ["第三支部台账"]


def test_discovery_by_glob_and_display_names(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "x").mkdir()
    for name in ("x/1.xlsx", "x/2.xlsx", "x/~$2.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    found = discover(["x/*.xlsx", "y/*.xlsx"])
    assert [display for _p, display in found.files] == ["x/1.xlsx", "x/2.xlsx"]
    assert found.ignored == 1 and found.unmatched == ["y/*.xlsx"]
    assert [display for _p, display in discover(["*"]).files] == ["x/1.xlsx", "x/2.xlsx"]  # folders matched


def _unit(path: str, errors: int) -> FileResult:
    org = OrgResult("B01", "一支部", "党支部", "党支部", None, 10, {"error": errors, "warning": 0, "info": 0}, 5,
                    min(errors, 5))
    return FileResult(path, "ok", unit=path, counts=dict(org.counts), orgs=[org], rules={"R": (1, int(not errors))})


def test_store_ranks_ties_together_and_leaves_unreadable_files_unranked() -> None:
    with ScanStore() as store:
        for seq, result in enumerate([_unit("a", 1), FileResult.unreadable("b", "坏了"), _unit("c", 0),
                                      _unit("d", 1)]):
            store.add(seq, result)
        assert [(r.path, r.rank) for r in store.files()] == [("a", 2), ("b", None), ("c", 1), ("d", 2)]
        assert [r.path for r in store.files("worst")] == ["a", "d", "c"]
        assert [r.path for r in store.files(statuses=("unreadable",))] == ["b"]
        totals = store.totals
        assert (totals.files, totals.audited, totals.rules["R"].judged, totals.rules["R"].complying) == (4, 3, 3, 1)
        assert totals.mean_score == round((95 + 100 + 95) / 3, 1)


def _scored(path: str, errors: int, warnings: int, orgs: int) -> FileResult:
    counts = {"error": errors, "warning": warnings, "info": 0}
    return FileResult(path, "ok", counts=counts, orgs=[
        OrgResult(f"O{n}", "支部", "党支部", "党支部", None, 5, dict.fromkeys(counts, 0), 3, 0) for n in range(orgs)])


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(1, 7)), min_size=1, max_size=30),
       st.randoms(use_true_random=False))
def test_the_mean_score_does_not_depend_on_the_order_results_arrive_in(units, random) -> None:
    """A Dask cluster hands results back in any order; the mean printed must be the same as the local pool's
    (float sums in a different order once made 90.9 of 90.8)."""
    from ledgercheck.findings.scan.store import Totals

    results = [_scored(f"u{n}.xlsx", *unit) for n, unit in enumerate(units)]
    shuffled = results[:]
    random.shuffle(shuffled)
    totals = [Totals(), Totals()]
    for total, ordered in zip(totals, (results, shuffled), strict=True):
        for result in ordered:
            total.add(result)
    scores = [r.score for r in results]
    assert totals[0].mean_score == totals[1].mean_score == round(float(sum(map(Fraction, scores)) / len(scores)), 1)
