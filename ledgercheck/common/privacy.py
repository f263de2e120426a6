"""Masking of personal data: resident ID numbers and phone numbers never leave ledgercheck in full by default.

One function, `mask_text`, decides what is masked and how; findings/redact.py applies it to everything an output is
made from (an audit result, a reminder list, an error message), so every format — table, JSON, SARIF, JUnit, CSV,
Markdown, the marked-up copy's findings sheet and comments, scan reports — shows the same masked text.
`--show-pii` (or `show-pii: true` in the configuration) turns it off.

- ID numbers (18 characters, the old 15-digit form, and any run of 15 or more digits, which is an ID with a
  typo as far as privacy is concerned): the region code and the last four are kept, 110108********1234, so a
  secretary can still tell whose it is.
- Mobile numbers: 138****5678; landlines: 010-****3456.

The text is masked, not the data: fingerprints (hashes) are left alone, so baselines and waivers keep
matching, and the audit itself always sees the real values.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

from ledgercheck.common.i18n import Text

T = TypeVar("T")
HASHES = frozenset({"fingerprint"})

# Digit classes are Unicode-aware (\d matches full-width ０-９), as ledger text may not be normalized.
_ID = re.compile(r"(?<!\d)(\d{6})([ \-]?)(\d{5,}?)([ \-]?)(\d{3}[\dXxＸｘ])(?![\dXxＸｘ])")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[ \-]?)?1[3-9]\d)([ \-]?)(\d{4})([ \-]?)(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})([ \-])(\d{3,4})([ \-]?)(\d{4})(?!\d)")


def _id(match: re.Match[str]) -> str:
    head, sep1, middle, sep2, tail = match.groups()
    return f"{head}{sep1}{'*' * len(middle)}{sep2}{tail}"


def _phone(match: re.Match[str]) -> str:
    head, sep1, middle, sep2, tail = match.groups()
    return f"{head}{sep1}{'*' * len(middle)}{sep2}{tail}"


def mask_text(text: str) -> str:
    """The text with ID and phone numbers masked; everything else as it was."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    return _LANDLINE.sub(_phone, _MOBILE.sub(_phone, _ID.sub(_id, text)))


def mask_value(value: Any) -> Any:
    """Strings, Texts and containers of them, masked; other values (numbers, dates) as they are."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Text):
        return Text(mask_text(value.zh), mask_text(value.en))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e10:
        return mask_text(str(int(value)) if float(value).is_integer() else str(value))  # an ID typed as a number
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(mask_value(v) for v in value)
    if isinstance(value, dict):  # a finding copied from a baseline: its fingerprint is a hash, kept as is
        return {k: v if k in HASHES else mask_value(v) for k, v in value.items()}
    return value


def masked(obj: T, *names: str) -> T:
    """A copy of the dataclass `obj` with the named fields masked."""
    changes = {name: mask_value(getattr(obj, name)) for name in names if getattr(obj, name) is not None}
    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]


def redact_issue(issue: T) -> T:
    return masked(issue, "params")


def masker(show_pii: bool) -> Callable[[str], str]:
    """For text produced elsewhere (error messages): mask_text, or the identity with --show-pii."""
    return (lambda text: text) if show_pii else mask_text
