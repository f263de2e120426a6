"""Line breaking for terminals, by the rules Chinese typesetting follows (GB/T 15834, W3C clreq).

A terminal shows a Chinese character in two cells; `width` counts cells as terminals do (East Asian Width W and
F are two cells, combining marks none, the rest one). `wrap` breaks a text into lines of at most `width` cells:

- no line starts with closing punctuation (，。、；：？！）》」』】〉… and their ASCII kin) and none ends with
  opening punctuation (（《「『【〈 …): the character before is carried to the next line with it;
- a dash (——) or an ellipsis (……) is never split;
- a date (2025-05-10, 2025年5月10日), a number (133.5, 1.5%, 8,900), a number and its unit (250天), an
  article (第三十一条), a code or word of letters and digits (MEET-COMMITTEE-MONTHLY, 党员!A14) are not broken;
- a 《title》, a 「quotation」 and the names the caller protects (organizations, people) are kept on one line
  when they fit on one;
- English breaks at spaces, and the spaces at a break are dropped; nothing else is added or lost, so the lines
  joined give back the text.

Only what cannot fit on a line of its own is broken inside, in this order: a title, quotation or name; then a
word, number or date; then, as a last resort, against the punctuation rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

# Punctuation that may not begin a line (行首禁则) and that may not end one (行尾禁则).
CLOSING = frozenset("，。、；：？！）》」』】〉〕］｝”’〗〙〛｠｝%‰℃°·・‧﹐﹑﹒﹔﹕﹖﹗…—～,.;:?!)]}>")
OPENING = frozenset("（《「『【〈〔［｛“‘〖〘〚｟([{<")
PREFIX = frozenset("≤≥<>±~～¥￥$€£#")  # bound to the number after it: ≤3000, ¥50
UNSPLIT = frozenset("—…")
QUOTES = frozenset("\"'")  # straight quotes: opening or closing by what is around them  # a dash or an ellipsis is two characters that stay together
# A unit or measure word stays with the number before it: 250天, 6个月, 8名, 2025年.
UNITS = frozenset("年月日天个名人条期次元角分秒时岁周项行列页届倍位户件份")

# Break classes of the boundary before a character: the smaller, the better a place to break.
FREE = 1  # between Chinese characters, after punctuation, at a space
KEPT = 2  # inside a title, quotation or protected name
WORD = 3  # inside a word, number or date
NEVER = 4  # against the punctuation rules: only when nothing else fits

# The patterns are compiled at the first line broken (an audit written as JSON breaks none): seven patterns,
# about 3 ms of start-up.
_SEGMENT = r'[^\s，。；：、！？（）《》「」"“”/\\]'


class _Patterns(NamedTuple):
    word: re.Pattern[str]
    cjk_date: re.Pattern[str]
    article: re.Pattern[str]
    abbreviation: re.Pattern[str]
    path: re.Pattern[str]
    cell: re.Pattern[str]
    kept: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    return _Patterns(
        word=re.compile(r"(?:--?|\.)?[A-Za-z0-9]+(?:(?:[-./:_@+#&'~,=]|\*+)[A-Za-z0-9]+)*%?"),  # --fail-on, .xlsx, 138****5678
        cjk_date=re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|第?\d季度)|\d{1,2}月\d{1,2}日"),
        article=re.compile(r"第[零〇一二两三四五六七八九十百千\d、]+[条章款节项部分届次期]"),  # 第三十一条, 第五、六条
        abbreviation=re.compile(r"\b(?:Arts?|Chs?|Secs?|No|paras?|pp?)\. \d+"),  # Art. 12 stays together
        # a path: from a root (/, ~/, ./, C:\) or ending in a file suffix, so that 4/5 in a sentence stays a number
        path=re.compile(rf"(?:(?<![^\s（《「『(\[\"'“：:])(?:[A-Za-z]:|~|\.{{1,2}})?[/\\]{_SEGMENT}+(?:[/\\]{_SEGMENT}*)*"
                        rf"|{_SEGMENT}+(?:[/\\]{_SEGMENT}+)+\.[A-Za-z0-9]{{1,5}}(?![A-Za-z0-9]))"),  # 台账/**/*.xlsx
        cell=re.compile(r"[^\s!，。、；：（）《》「」]{1,12}![A-Z]{1,3}\d+(?::[A-Z]{0,3}\d+)?"),
        kept=re.compile(r"《[^《》\n]{1,40}》|「[^「」\n]{1,24}」|『[^『』\n]{1,24}』|〈[^〈〉\n]{1,24}〉"),
    )


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """The cells a character takes on a terminal: 2 for wide (W, F) characters, 0 for combining marks and
    zero-width characters, 1 for the rest."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """The cells `text` takes on a terminal (one line)."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def _classes(text: str, keep: Iterable[str]) -> list[int]:
    """The break class of each boundary: classes[i] is the boundary before text[i] (classes[0] unused)."""
    n = len(text)
    classes = [FREE] * (n + 1)

    def inside(start: int, end: int, klass: int) -> None:
        for i in range(start + 1, end):
            classes[i] = max(classes[i], klass)

    patterns = _patterns()
    for match in patterns.kept.finditer(text):
        inside(match.start(), match.end(), KEPT)
    for match in patterns.abbreviation.finditer(text):
        inside(match.start(), match.end(), KEPT)
    for name in keep:
        if len(name) > 1:
            start = text.find(name)
            while start >= 0:
                inside(start, start + len(name), KEPT)
                start = text.find(name, start + len(name))
    for pattern in (patterns.word, patterns.cjk_date, patterns.article, patterns.path, patterns.cell):
        for match in pattern.finditer(text):
            end = match.end()
            if pattern in (patterns.word, patterns.cjk_date) and end < n and text[end] in UNITS and \
                    text[end - 1].isdigit():
                end += 1  # 250天, 2025年
            inside(match.start(), end, WORD)
            if pattern is patterns.path or (pattern is patterns.word and any(c.isalpha() for c in match.group())):
                for i in range(match.start() + 1, match.end()):  # a long code or path breaks after - or / first
                    if text[i - 1] in "-/\\" and classes[i] == WORD:
                        classes[i] = KEPT
    for i in range(1, n):
        before, after = text[i - 1], text[i]
        if before.isspace():
            classes[i] = NEVER  # a line breaks before a space, never after it
            continue
        if after.isspace():  # a break here drops the spaces: mind what they separate
            j = i
            while j < n and text[j].isspace():
                j += 1
            if before in OPENING or (j < n and text[j] in CLOSING and not _starts_word(text, j)):
                classes[i] = NEVER
            continue
        if after in CLOSING or before in OPENING or (before in PREFIX and after.isalnum()) or (before == after and before in UNSPLIT) or char_width(after) == 0:
            classes[i] = NEVER
        elif before in QUOTES and (i < 2 or text[i - 2].isspace() or text[i - 2] in OPENING):
            classes[i] = NEVER  # after an opening straight quote
        elif after in QUOTES and not (i + 1 >= n or text[i + 1].isspace() or text[i + 1] in CLOSING):
            pass  # an opening straight quote: a break before it is fine
        elif after in QUOTES:
            classes[i] = NEVER  # a closing straight quote
    return classes


def _starts_word(text: str, index: int) -> bool:
    """`.xlsx`: a dot that begins a word is no closing punctuation."""
    return text[index] == "." and index + 1 < len(text) and text[index + 1].isalnum()


def wrap(text: str, cells: int, keep: Iterable[str] = (), later: int | None = None) -> list[str]:
    """`text` as lines of at most `cells` cells (each paragraph of it: a newline always breaks), by the rules
    above. `keep`: names to keep on one line when they fit (organization and person names); `later`: the cells
    of a paragraph's later lines, if not `cells` (a hanging indent)."""
    keep = tuple(k for k in keep if k)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_paragraph(paragraph, max(1, cells), max(1, later or cells), keep)
    return lines


def _wrap_paragraph(text: str, first: int, later: int, keep: tuple[str, ...]) -> list[str]:
    if width(text) <= first:
        return [text.rstrip()] if text.strip() else [""]
    classes = _classes(text, keep)
    n = len(text)
    lines: list[str] = []
    start = 0
    while start < n:
        cells = later if lines else first
        # the furthest end that fits (trailing spaces do not count: they are dropped at a break)
        used, spaces, end = 0, 0, start
        while end < n:
            if text[end].isspace():
                spaces += 1
            else:
                w = char_width(text[end])
                if used + spaces + w > cells:
                    break
                used, spaces = used + spaces + w, 0
            end += 1
        if end >= n:
            lines.append(text[start:].rstrip())
            break
        cut = _best_break(classes, start, end)
        if n - cut == 1 and classes[cut] == FREE:  # not one character alone on the last line: take one more
            cut = next((i for i in range(cut - 1, start + 1, -1) if classes[i] == FREE), cut)
        lines.append(text[start:cut].rstrip())
        start = cut
        while start < n and text[start].isspace():
            start += 1
    return lines or [""]


def _best_break(classes: list[int], start: int, end: int) -> int:
    """The break for a line from `start` that can reach `end`: the last one of the best class there is."""
    for klass in (FREE, KEPT, WORD, NEVER):
        for i in range(end, start, -1):
            if classes[i] <= klass:
                return i
    return max(start + 1, end)
