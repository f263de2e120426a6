"""Text leaving ledgercheck: personal data masked, and control characters made visible on a terminal.

Masking. One function, `mask_text`, decides what is masked and how; findings/redact.py applies it to everything an
output is made from (an audit result with its file, sheet and cell locations, a reminder list, an error message),
so every format — table, JSON, SARIF, JUnit, CSV, Markdown, the marked-up copy's findings sheet and comments, scan
reports — shows the same masked text. `--show-pii` (or `show-pii: true` in the configuration) turns it off.

A number is recognized by its digits, whatever separates them: a digit is any decimal digit (full-width ０-９
too), the digits of one number may be separated by up to three of `SEPARATORS` (spaces of every width, the
zero-width ones, `.`, `_`, hyphens and dashes), and its first two to four digits may be in brackets; so
`110108.19800101.1234`, `1101 0819 8001 0112 34`, `138.1234.5674`, `(138)1234-5679`, `１３８１２３４５６７８` and
`(0571)88881235` are the numbers they are. Of a number, as many digits are shown as of its plain spelling; the
others become `*`, one for one, and the separators stay where they were:

- ID numbers, 110108********1234 (the region code and the last four kept): any unbroken run of 15 or more digits
  (an ID with a typo is still personal data); separated, 18 characters (the last may be X) whose 7th to 14th
  digits are a birth date, split where people split them (after the 3rd, 4th, 6th, 8th … digit) with one
  separator throughout (1101 08** **** **12 34), or 15 digits with a six-digit
  birth date in the old form's groups (6-6-3), or 15 to 19 digits that begin with a group of six and end with a
  group of four.
- Mobile numbers, 138****5678: 11 digits from 13… to 19…, unbroken or in groups of three or more, after an
  optional 86 (+86, 0086), which is shown.
- Landlines, 010-****3456 or (0571)****1235: an area code 0… of three or four digits, separated, then seven or
  eight digits in one or two groups.

Dates (2024-03-05, 20240305, and lists of them), amounts (133.5), counts, years, Excel serials, organization ids
(B01) and member numbers (2023001) have none of these shapes and are left alone; numbers written side by side with
single spaces can form one (150 2000 3000 reads as a mobile number and is masked). The text is masked, not the data:
fingerprints (hashes) are left alone, so baselines and waivers keep matching, and the audit itself always sees
the real values.

Control characters. `printable` spells C0 and C1 control characters (but line feeds and tabs) as `\\x1b`, so a cell
or a file name holding an escape sequence cannot recolour, move or retitle the terminal a table, Markdown or CSV
report or an error message is printed on; and the bidi controls (U+202E …), which would show the text around
them reordered (D01 as 10D). Machine formats (JSON) escape them their own way. `writable` spells what an XML
document (a Word notice, a workbook's cells, an HTML page) cannot hold at all, which a cell (Excel keeps \x07 as
`_x0007_`) or a file name not in UTF-8 may bring (writing it would fail the whole document), and the bidi controls.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

from ledgercheck.common.i18n import Text

T = TypeVar("T")
HASHES = frozenset({"fingerprint"})

# What may stand between the digits of one number: spaces (ASCII, no-break, the en/em/thin/narrow ones, the
# ideographic U+3000), the zero-width ones, full stops, underscores, hyphens, dashes and minus signs.
SEPARATORS = (" \u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff"
              "._\uff0e\uff3f\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d")
CLOSING = ")\uff09"  # (0571)88881235, (138)1234-5679: an area code or a mobile's first digits in brackets
CHECK = "XxＸｘ"  # the check character of an ID number may be X
_SEP = f"[{SEPARATORS}]"
# A number: perhaps a bracketed head, then digits with at most three separators between any two. Possessive
# quantifiers, so a long run of digits and separators is matched in one pass, never backtracked into. A bracket only
# closes a head of two to four digits that it opened: 会员号（1990001）2000年 is two numbers.
_NUMBER = re.compile(rf"(?:(?<=[(\uff08])\d{{2,4}}[{CLOSING}]{_SEP}{{0,2}}+)?\d(?:{_SEP}{{0,3}}+\d)*+"
                     rf"(?:{_SEP}{{0,3}}+[{CHECK}](?![A-Za-z]))?")
# The fast path: a text is masked only if it may have a number of ten digits or more (a landline has ten at least).
_LONG = re.compile(rf"\d(?:[{SEPARATORS}{CLOSING}]{{0,3}}+\d){{9}}")
_RUN = re.compile(r"\d+")
_SHORTEST = 10
_LONGEST_SEPARATED = 20  # digits: a separated number longer than this is none of ours (an unbroken one may be)
_MOST_GROUPS = 8  # groups of digits in one separated number (4-4-4-4-2 is five; +86 138 1234 5678 four)
# Where people split an ID number: 110 108 1980 0101 1234, 1101 0819 8001 0112 34, 110108 19800101 1234 …
_ID_CUTS = frozenset({3, 4, 6, 8, 10, 12, 14, 16, 17})
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _ascii(digits: str) -> str:
    if digits.isascii():
        return digits
    return "".join(str(int(d)) for d in digits.translate(_FULLWIDTH))  # any decimal digit, as \d matches


def _date(year: str, month: str, day: str) -> bool:
    return 1900 <= int(year) <= 2099 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _mobile(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _cuts(groups: list[str]) -> set[int]:
    """Where the digits are split: after how many digits each group but the last ends."""
    cuts, count = set(), 0
    for group in groups[:-1]:
        count += len(group)
        cuts.add(count)
    return cuts


def _shown(groups: list[str], seps: list[str], check: bool) -> tuple[int, int, bool] | None:
    """If these digit groups (one number as written; `check`: an X follows the last) are an ID, mobile or landline
    number: how many characters are shown at its start and at its end, and whether the X is part of it."""
    digits = "".join(groups)
    count = len(digits) + check
    alike = len(set(seps)) <= 1
    if len(groups) == 1 and count >= 15:  # an unbroken run of 15 or more: an ID number, or one with a typo
        return 6, 4, check
    if count == 18 and alike and digits[0] in "12345678" and _date(digits[6:10], digits[10:12], digits[12:14]) \
            and _cuts(groups) <= _ID_CUTS:
        return 6, 4, check
    if count == 15 and not check and len(groups[0]) in (6, 12) and len(groups[-1]) in (3, 9) \
            and digits[0] in "12345678" and _date("19" + digits[6:8], digits[8:10], digits[10:12]):
        return 6, 4, False  # the old form, as 6-9, 12-3 or 6-6-3
    if 15 <= count <= 19 and len(groups) > 1 and len(groups[0]) == 6 and len(groups[-1]) + check == 4:
        return 6, 4, check
    for prefix in ("", "86", "0086"):  # a mobile number, perhaps after the country code
        if digits.startswith(prefix) and _mobile(digits[len(prefix):]):
            first = len(groups[0]) - len(prefix)  # its digits in the first group: none, or three or more
            bracketed = bool(seps) and any(ch in CLOSING for ch in seps[0])
            if bracketed and first != 3:  # (138)1234-5678; a bracket round four digits is an area code's
                continue
            if len(groups) == 1 or ((first == 0 or first >= 3) and all(len(g) >= 3 for g in groups[1:])):
                return len(prefix) + 3, 4, False
    area, rest = groups[0], groups[1:]
    if rest and len(area) in (3, 4) and area[0] == "0" and area[1] != "0" and len(rest) <= 2 \
            and all(len(g) >= 3 for g in rest) and 7 <= len(digits) - len(area) <= 8:
        return len(area), 4, False
    return None


def _mask_number(match: re.Match[str]) -> str:
    """One number as written (digits and separators, perhaps several numbers side by side), masked."""
    text = match.group()
    if len(text) < _SHORTEST:
        return text
    check = text[-1] in CHECK
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    groups = [_ascii(text[start:end]) for start, end in runs]
    seps = [text[runs[k][1]:runs[k + 1][0]] for k in range(len(runs) - 1)]
    chars: list[str] | None = None
    last = len(runs) - 1
    first = 0
    while first <= last:
        found: tuple[int, tuple[int, int, bool]] | None = None
        count = 0
        for end in range(first, min(last, first + _MOST_GROUPS - 1) + 1):  # the longest number from this group
            count += len(groups[end])
            if end > first and count > _LONGEST_SEPARATED:
                break
            if count + (check and end == last) < _SHORTEST:
                continue
            shown = _shown(groups[first:end + 1], seps[first:end], check and end == last)
            if shown is not None:
                found = end, shown
        if found is None:
            first += 1
            continue
        end, (head, tail, with_check) = found
        positions = [p for start, stop in runs[first:end + 1] for p in range(start, stop)]
        if with_check:
            positions.append(len(text) - 1)
        if chars is None:
            chars = list(text)
        for position in positions[head:len(positions) - tail]:
            chars[position] = "*"
        first = end + 1
    return text if chars is None else "".join(chars)


def mask_text(text: str) -> str:
    """The text with ID and phone numbers masked; everything else as it was."""
    if not text or _LONG.search(text) is None:  # most texts: no digits, or no ten of them together
        return text
    return _NUMBER.sub(_mask_number, text)


def mask_value(value: Any) -> Any:
    """Strings, Texts and containers of them, masked; other values (numbers, dates) as they are. What has nothing
    to mask comes back as the same object (redaction copies only what changes)."""
    kind = type(value)
    if kind in _KEPT:
        return value
    if kind is str:
        return mask_text(value)
    if kind is Text:
        zh, en = mask_text(value.zh), mask_text(value.en)
        return value if zh is value.zh and en is value.en else Text(zh, en)
    if kind is int or kind is float:
        return _large_number(value) if abs(value) >= 1e10 else value
    if kind is dict:  # a finding copied from a baseline: its fingerprint is a hash, kept as is
        items = {k: v if k in HASHES else mask_value(v) for k, v in value.items()}
        return value if all(items[k] is v for k, v in value.items()) else items
    if kind is list:
        values = [mask_value(v) for v in value]
        return value if all(a is b for a, b in zip(values, value)) else values
    if isinstance(value, str):  # a subclass (a Term)
        return mask_text(value)
    if isinstance(value, Text):
        return Text(mask_text(value.zh), mask_text(value.en))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e10:
        return _large_number(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(mask_value(v) for v in value)
    if isinstance(value, dict):
        return {k: v if k in HASHES else mask_value(v) for k, v in value.items()}
    if not isinstance(value, (int, float)):  # a date, a period, a named tuple …: never anything to mask
        _KEPT.add(kind)
    return value


_KEPT: set[type] = {type(None), bool}  # types mask_value returns as they are, learnt as it meets them


def _large_number(value: float) -> str:
    """An ID number typed as a number, as text, masked."""
    return mask_text(str(int(value)) if float(value).is_integer() else str(value))


def masked(obj: T, *names: str) -> T:
    """A copy of the dataclass `obj` with the named fields masked (`obj` itself when there is nothing to mask)."""
    changes = {}
    for name in names:
        value = getattr(obj, name)
        if value is not None:
            hidden = mask_value(value)
            if hidden is not value:
                changes[name] = hidden
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]


def masker(show_pii: bool) -> Callable[[str], str]:
    """For text produced elsewhere (error messages): mask_text, or the identity with --show-pii."""
    return (lambda text: text) if show_pii else mask_text


def shown_names(names: list[str]) -> dict[str, str]:
    """Each name (a sheet's) as a masked report shows it, and as it is, → the name: how the marked-up copy finds the
    sheet a masked location points at. A masked form that two names share points at neither."""
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for name in names:
        shown = mask_text(name)
        if shown != name:
            if shown in found and found[shown] != name:
                ambiguous.add(shown)
            found[shown] = name
    for shown in ambiguous:
        del found[shown]
    found.update({name: name for name in names})
    return found


# ---------------------------------------------------------------- control characters

# The marks that reorder the text around them (embeddings, overrides, isolates, and the direction marks): ledger text
# holding U+202E shows the rest of its line backwards, an organization D01 as 10D. Nothing in a ledger needs them.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")  # C0 but \t and \n, DEL, C1, bidi


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF; and lone
# surrogates (a byte of a file name not in UTF-8, as Python reads it), which cannot be encoded at all. And the
# bidi controls, which a document can hold but must not show raw.
_UNWRITABLE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff{BIDI_CONTROLS}]")


def _spelled_unwritable(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # the byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def writable(text: str) -> str:
    """The text with what an XML document cannot hold spelled out (`\\x07`; a file name's stray byte `\\xff`)."""
    if _UNWRITABLE.search(text) is None:
        return text
    return _UNWRITABLE.sub(_spelled_unwritable, text)


def printable(text: str) -> str:
    """The text with control characters (but \\n and \\t; \\r\\n is a line end) spelled out, `\\x1b` for ESC:
    what may be written to a terminal."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_spelled, text.replace("\r\n", "\n"))
