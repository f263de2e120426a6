"""Crafted workbooks, round two: files built to slip past the preflight (part names in another case, backslashes,
`..`, rows without numbers, .xlsb and .xls extents) and small inputs that cost much (cell text beyond Excel's
limit, huge media parts, many sheets, many styles). Each is a Case of the malformed corpus (generate.py)."""

from __future__ import annotations

from tests.malformed.generate import Case

CASES: list[Case] = []
