"""Excel cell addresses: column letters and numbers, and A1 references."""

from __future__ import annotations

import re

_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: bytes | str) -> int:
    """Excel letters → 1-based column number (A → 1, AB → 28)."""
    number = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(ch) - 64
    return number


def cell_index(reference: str) -> tuple[int, int]:
    """'B12' (or 'b12', '$B$12') → (11, 1): 0-based row and column. ValueError when it is no reference."""
    match = _REFERENCE.fullmatch(reference.strip().upper())
    if not match:
        raise ValueError(reference)
    return int(match.group(2)) - 1, column_number(match.group(1)) - 1
