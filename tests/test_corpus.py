"""Real-world layouts (tests/corpus): every sheet recognized, no column read as a wrong field, every required column
read, and the same findings as the same data in the canonical layout, for the named and the blind variant."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tests.corpus.layouts import LAYOUTS
from tests.corpus.measure import Measure, measure_all


@pytest.fixture(scope="module")
def measures() -> dict[tuple[str, str], Measure]:
    return {(m.layout, m.variant): m for m in measure_all()}


CASES = [(layout.id, variant) for layout in LAYOUTS for variant in ("named", "blind")]


def test_the_corpus_has_ten_layouts_each_citing_its_sources() -> None:
    assert len(LAYOUTS) >= 10
    sources = (ROOT / "tests" / "corpus" / "SOURCES.md").read_text("utf-8")
    for layout in LAYOUTS:
        cited = [s.source for s in layout.sheets if s.source]
        assert cited, layout.id
        for source in cited:
            assert f"`{source}`" in sources, (layout.id, source)


@pytest.mark.parametrize(("layout", "variant"), CASES)
def test_a_real_layout_is_understood_and_audited_as_the_canonical_one(
        measures: dict[tuple[str, str], Measure], layout: str, variant: str) -> None:
    m = measures[(layout, variant)]
    assert m.recognized == m.sheets, "a sheet was not recognized as what it holds"
    assert m.wrong == [], "columns read as a field they do not hold"
    assert m.unmapped_required == [], "columns holding a required field were not read"
    assert m.input_errors == [], "a part of the ledger could not be read"
    assert m.missing == [], "findings of the same data in the canonical layout that this layout lost"
    assert m.false_alarms == [], "findings the same data in the canonical layout does not have"
    assert m.planted and m.found == m.planted, "planted violations not found"
    assert m.rows > 0 and m.columns > 0


def test_the_table_in_docs_reading_is_current(measures: dict[tuple[str, str], Measure]) -> None:
    from tests.corpus.measure import table

    docs = (ROOT / "docs" / "reading.md").read_text("utf-8")
    shown = re.search(r"<!-- example: corpus-table -->\n(.*?)<!-- /example -->", docs, re.S)
    assert shown is not None and shown.group(1) == table(list(measures.values()))
