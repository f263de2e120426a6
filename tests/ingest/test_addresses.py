"""Column letters and A1 references, against openpyxl's own conversion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from ledgercheck.ingest.addresses import cell_index, column_letter, column_number


@given(st.integers(min_value=0, max_value=16383), st.integers(min_value=0, max_value=1_048_575))
def test_letters_and_numbers_round_trip(column: int, row: int) -> None:
    letters = column_letter(column)
    assert letters == get_column_letter(column + 1)
    assert column_number(letters) == column_number(letters.encode()) == column + 1
    assert cell_index(f"{letters}{row + 1}") == cell_index(f"${letters.lower()}${row + 1}") == (row, column)


@pytest.mark.parametrize("reference", ["", "12", "AAAA1", "A", "A1B", "A-1"])
def test_what_is_no_reference(reference: str) -> None:
    with pytest.raises(ValueError):
        cell_index(reference)
