"""What people write in headers and sheet names, folded to a form that can be looked up.

`fold` removes what never matters: width (NFKC), case, spaces, underscores, dashes, stars, colons and dots, and
the 必填/选填 marks that templates add. `brackets` splits a header into the text outside its brackets and the
notes inside them: 「人员类别（正式/预备）」 is 人员类别 with the note 正式/预备, a hint at its values. `canon` also
rewrites the synonyms real ledgers use for the same thing (时间≈日期, 缴≈交, 证件号码≈身份证号, 所属≈所在,
党支部≈支部, 确定为≈确定, 递交/提交 dropped …), so that one alias covers its variants. Alias keys and headers
go through the same functions, so a lookup is symmetric.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BRACKETED = re.compile(r"[(（\[【〔<《][^)）\]】〕>》]*[)）\]】〕>》]")
_INSIDE = re.compile(r"[(（\[【〔<《]([^)）\]】〕>》]*)[)）\]】〕>》]")
_IGNORED = re.compile(r"[\s_\-*:：.。·•、/／\\|'\"“”‘’]+")
_MARKS = re.compile(r"(必填|选填)")
_LEADING_YEAR = re.compile(r"^\d{4}年?度?")

# Rewrites applied in order, to headers and alias keys alike. Each says the same thing two ways in real ledgers.
_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("缴", "交"),  # 缴费 / 交费, 缴纳 / 交纳
    ("公民身份号码", "身份证号"), ("身份证件号码", "身份证号"), ("身份证号码", "身份证号"), ("证件号码", "身份证号"),
    ("身份证件号", "身份证号"), ("证件号", "身份证号"),
    ("所属", "所在"),
    ("党支部", "支部"),
    ("确定为", "确定"), ("列为", "确定"),
    ("递交", ""), ("提交", ""), ("申请书", "申请"),
    ("年月日", "日期"), ("时间", "日期"), ("日子", "日期"),
    ("人数", "数"),
)
_TRAILING_MONTH = re.compile(r"年月$")  # 出生年月, 入党年月: a date (month precision is accepted where it is meant)


def fold(text: object) -> str:
    """The header with width, case, spacing and punctuation differences removed (brackets kept)."""
    return _fold_text(text) if text.__class__ is str else _fold(text)


def _fold(text: object) -> str:
    normalized = unicodedata.normalize("NFKC", str(text)).lower()
    return _IGNORED.sub("", _MARKS.sub("", normalized))


def brackets(text: object) -> tuple[str, tuple[str, ...]]:
    """(the folded text outside brackets, the folded notes inside them)."""
    return _brackets_text(text) if text.__class__ is str else _brackets(text)


def _brackets(text: object) -> tuple[str, tuple[str, ...]]:
    normalized = unicodedata.normalize("NFKC", str(text))
    notes = tuple(n for n in (fold(inner) for inner in _INSIDE.findall(normalized)) if n)
    return fold(_BRACKETED.sub("", normalized)), notes


# Headers, sheet names and the cell values the loader and the profiler fold repeat endlessly (names, kinds,
# organizations), within a ledger and across the ledgers of a scan: the folded forms of text are remembered.
# Only exact `str` is cached, so that no other type's str() could answer for it.
_fold_text = lru_cache(maxsize=1 << 16)(_fold)
_brackets_text = lru_cache(maxsize=1 << 16)(_brackets)


def forget() -> None:
    """Forget the texts folded so far (ingest/remembered.py)."""
    _fold_text.cache_clear()
    _brackets_text.cache_clear()
    canon.cache_clear()


def remembered() -> int:
    return _fold_text.cache_info().currsize + _brackets_text.cache_info().currsize + canon.cache_info().currsize


def bracket_words(text: object) -> tuple[str, ...]:
    """The words inside a header's brackets, split at / 、 , ; (正式/预备 → 正式, 预备)."""
    normalized = unicodedata.normalize("NFKC", str(text))
    words: list[str] = []
    # 正式/预备党员 names its values without brackets; 人员类别（正式/预备） inside them.
    inside = _INSIDE.findall(normalized) or ([normalized] if re.search(r"[/／]", normalized) else [])
    for inner in inside:
        words += [w for w in (fold(part) for part in re.split(r"[/／、,，;；|或]", inner)) if w]
    return tuple(words)


@lru_cache(maxsize=4096)
def canon(folded: str) -> str:
    """A folded text with its synonyms rewritten to one spelling (see the module doc)."""
    text = folded
    for old, new in _SYNONYMS:
        text = text.replace(old, new)
    return _TRAILING_MONTH.sub("日期", text)


def header_key(text: object) -> str:
    """Folded, brackets removed: 入党日期（年月日）* → 入党日期; Org ID → orgid (names and values are matched so)."""
    return brackets(text)[0]


def sheet_key(name: str) -> str:
    """Sheet names may carry a year: 2025年三会一课记录 → 三会一课记录."""
    return header_key(_LEADING_YEAR.sub("", unicodedata.normalize("NFKC", name).strip()))


_CODED = re.compile(r"^\s*[0-9A-Za-z]+[_\-.:：、]\s*(\S.*)$")


def uncoded(text: str) -> str | None:
    """A value without the code some systems put before it (223_正式党员 → 正式党员), or None if it has none."""
    match = _CODED.match(text)
    return match.group(1) if match else None
