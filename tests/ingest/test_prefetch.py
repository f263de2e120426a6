"""Sheets parsed ahead in a background thread are exactly the sheets the loader would have parsed itself."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from ledgercheck.common.errors import WorkbookError
from ledgercheck.ingest import prefetch
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.ingest.workbook import SheetUnreadable, Workbook
from tests.ingest.test_loader import messy_workbook

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(autouse=True)
def _no_leftover_prefetch():
    yield
    prefetch._pending.clear()


def _summary(path: Path):
    result = load_ledger(path)
    ledger = result.ledger
    records = [dataclasses.astuple(r) for sheet in (ledger.orgs, ledger.members, ledger.meetings, ledger.dues,
                                                    ledger.elections, ledger.recruits, ledger.training) for r in sheet]
    return records, [(i.code, i.location) for i in result.issues], [s.to_dict() for s in result.sheets]


@pytest.mark.parametrize("name", ["violations.xlsx", "violations-english.xlsx"])
def test_loading_from_a_prefetch_gives_the_same_ledger(name: str) -> None:
    path = SAMPLES / name
    plain = _summary(path)
    prefetch.start(path)
    assert prefetch._pending, "a prefetch was started"
    prefetched = _summary(path)
    assert not prefetch._pending, "the loader claimed it"
    assert prefetched == plain


def test_a_messy_workbook_loads_the_same_from_a_prefetch(tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "messy.xlsx")
    plain = _summary(path)
    prefetch.start(path)
    assert _summary(path) == plain


def test_a_file_changed_since_the_prefetch_started_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes((SAMPLES / "clean.xlsx").read_bytes())
    prefetch.start(path)
    path.write_bytes((SAMPLES / "violations.xlsx").read_bytes())
    os.utime(path, ns=(1, 1))
    assert prefetch.claim(path) is None
    same = tmp_path / "copy" / "ledger.xlsx"  # the same display name, never prefetched
    same.parent.mkdir()
    same.write_bytes((SAMPLES / "violations.xlsx").read_bytes())
    assert _summary(path) == _summary(same)


def test_each_sheet_is_handed_over_once_then_parsed_again_on_request() -> None:
    path = SAMPLES / "clean.xlsx"
    prefetch.start(path)
    with Workbook(path) as book:
        first = book.sheet(book.sheet_names[0]).rows()
        again = book.sheet(book.sheet_names[0]).rows()  # already taken: parsed again from the book
        assert first == again
        with pytest.raises(SheetUnreadable):  # the loader reports it; the other sheets are still read
            book.sheet("no such sheet")


def test_nothing_is_started_for_what_is_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    for path in (tmp_path / "notes.csv", tmp_path / "missing.xlsx", tmp_path):
        prefetch.start(path)
        assert not prefetch._pending


def test_a_damaged_file_is_reported_as_without_a_prefetch(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"\x89\x00\x13 not a workbook \xff\x00" * 8)  # binary: not text (which is said as text)
    prefetch.start(path)
    with pytest.raises(WorkbookError) as caught:
        load_ledger(path)
    assert "damaged" in caught.value.message.en
