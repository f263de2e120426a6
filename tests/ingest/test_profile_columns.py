"""Column profiling counted a column at a time (profile.ColumnProfiles) gives exactly what counting each column's
cells one by one (profile.profile) gives: the same values, shares, enumerations, organizations and samples, in
the same order, whatever the cells are, however long the rows, and past the first SAMPLE rows."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.ingest import profile
from ledgercheck.ingest.preflight import Unreadable

VALUES = {"status": {"正式党员": "正式党员", "预备党员": "预备党员"}, "yesno": {"是": "是", "否": "否"}}
ORGS = frozenset({"一支部", "b01"})
CELLS = st.one_of(
    st.none(), st.booleans(), st.sampled_from(["", " ", "无", "/", "正式党员", "预备党员", "一支部", "B01", "是",
                                               "2025-03-01", "12", "正式党员、预备党员", "223_正式党员"]),
    st.integers(-3, 15), st.sampled_from([1.0, 2.5, 0.0, float("nan")]),
    st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)), st.just(dt.datetime(2025, 3, 1, 9, 30)),
    st.just(dt.time(9, 30)), st.just(dt.timedelta(hours=2)), st.just(Unreadable("INPUT-ERROR-CELL", "#N/A")))


def _same(rows: list[list[object]], sample: int, block: int = profile.BLOCK) -> None:
    saved = profile.SAMPLE, profile.BLOCK
    profile.SAMPLE, profile.BLOCK = sample, block
    try:
        width = max(map(len, rows), default=0) + 2  # columns beyond every row are empty columns
        profiles = profile.ColumnProfiles(rows, VALUES, ORGS)
        fast = {i: profiles[i] for i in range(width)}
        slow = {i: profile.profile((cells[i] if i < len(cells) else None for cells in rows), VALUES, ORGS)
                for i in range(width)}
    finally:
        profile.SAMPLE, profile.BLOCK = saved
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=5), max_size=14), st.integers(1, 6), st.integers(1, 4))
def test_column_at_a_time_counts_what_cell_by_cell_counts(rows: list[list[object]], sample: int, block: int) -> None:
    _same(rows, sample, block)


def test_a_long_column_is_counted_past_the_first_rows_up_to_the_sample() -> None:
    """Sparse first rows: the values are looked for further down, and no further than SAMPLE of them."""
    rows: list[list[object]] = [[None, "正式党员"]] * 400 + [["一支部", True]] * 10 + [[1, "是"]] * 400
    _same(rows, profile.SAMPLE)
    found = profile.ColumnProfiles(rows, VALUES, ORGS)
    assert found[0].values == profile.SAMPLE and found[0].orgs == 10 and found[0].numbers == profile.SAMPLE - 10
    assert found[1].values == profile.SAMPLE and found[1].enums == {"status": profile.SAMPLE}


# Columns of a few values repeated, as an organization's or a meeting kind's, with now and then another cell.
REPEATED = st.lists(st.tuples(st.sampled_from(["一支部", "B01", 1, 1.0, 12, "是", dt.date(2025, 3, 1)]),
                              st.one_of(st.none(), CELLS), st.integers(0, 12)), max_size=4).map(
    lambda runs: [[value, other] if n % 5 else [value] for value, other, times in runs for n in range(times)])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(st.lists(CELLS, max_size=5), max_size=14), REPEATED), st.integers(1, 6),
       st.integers(1, 5), st.integers(0, 5))
def test_samples_without_a_profile_are_the_profile_s_first_samples(rows: list[list[object]], sample: int,
                                                                   count: int, few: int) -> None:
    """A column whose header is the layout's own is shown by its first values without being profiled: the same
    values, in the same order and form, as the profile's samples, whatever the cells and however few of them,
    the first SAMPLE cells taken at once or not (`profile.FEW`)."""
    saved = profile.SAMPLE, profile.FEW
    profile.SAMPLE, profile.FEW = sample, few
    try:
        width = max(map(len, rows), default=0) + 2
        lazy = profile.ColumnProfiles(rows, VALUES, ORGS)
        for index in range(width):
            whole = profile.profile((cells[index] if index < len(cells) else None for cells in rows), VALUES, ORGS)
            assert lazy.samples(index, count) == whole.samples[:count]
            assert index not in lazy._done  # nothing was profiled to find them
    finally:
        profile.SAMPLE, profile.FEW = saved
