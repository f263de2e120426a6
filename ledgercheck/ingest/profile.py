"""What a column's cells look like: dates, numbers, values of an enumeration, names of organizations.

Headers say what a column is meant to be; the cells say what it is. A column is taken for a field only when its
values do not contradict it (a column of dates is not training hours; 是/否 is not a committee size; 正式党员 is
not a 在职/离退休 value), and values decide between fields a header leaves open.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from operator import itemgetter
from typing import Literal

from ledgercheck.ingest.coerce import CellError, is_empty, show, to_attendance, to_date, to_months, to_number
from ledgercheck.ingest.fold import header_key, uncoded
from ledgercheck.model.schema import FieldSpec, FieldType

SAMPLE = 300  # non-empty cells looked at per column
Fit = Literal["fits", "contradicts", "unknown"]
FIT_SHARE = 0.6  # at least this share of the values must be of the field's kind …
CONTRADICT_SHARE = 0.1  # … and at most this share, with MIN_VALUES values or more, contradicts it
MIN_VALUES = 3
_SEPARATORS = re.compile(r"[、,，;；/+＋]")


@dataclass
class Profile:
    """Counts over a column's non-empty cells (up to SAMPLE of them)."""

    values: int = 0
    dates: int = 0
    numbers: int = 0  # numbers that are not also read as dates (a serial number is both: counted as a number)
    months: int = 0  # whole numbers 1–12: month numbers, when a year stands in another column
    enums: dict[str, int] = field(default_factory=dict)  # enumeration → values that resolve to it
    orgs: int = 0  # values naming an organization of the workbook (by id or name)
    samples: list[str] = field(default_factory=list)  # the first few, as written

    def share(self, count: int) -> float:
        return count / self.values if self.values else 0.0


def profile(cells: Iterable[object], value_of: dict[str, dict[str, str]],
            orgs: AbstractSet[str] = frozenset()) -> Profile:
    """Profile up to SAMPLE non-empty cells; `value_of` is the alias table's values (enum → folded alias →
    canonical). Shares are over cells, so a column of few distinct values (正式党员, 预备党员) is judged by its rows."""
    counts: dict[object, int] = {}  # each distinct value (the first of equal ones) → its cells, in order
    values = _take(cells, counts, 0)
    return _profiled(counts, values, value_of, orgs)


class ColumnProfiles:
    """`profile` of each column of `rows` (a row shorter than it: an empty cell), the same counts, each made when
    first asked for: a column whose header is the layout's own is never judged by its values, only shown by its
    first few (`samples`), which cost far less.

    The first SAMPLE rows are turned into columns at once (zip) and each block of cells is counted in C
    (Counter); only the distinct values are looked at in Python. A column with fewer than SAMPLE values there (a
    remarks column, mostly empty) is counted on down, a block of rows at a time. COLUMNWISE False: `profile`
    over each column's cells, cell by cell, and samples taken from the profile."""

    def __init__(self, rows: Sequence[Sequence[object]], value_of: dict[str, dict[str, str]],
                 orgs: AbstractSet[str] = frozenset()):
        self.rows = rows
        self.value_of = value_of
        self.orgs = orgs
        self._head: list[tuple[object, ...]] | None = None
        self._done: dict[int, Profile] = {}

    def __getitem__(self, index: int) -> Profile:
        found = self._done.get(index)
        if found is None:
            found = self._done[index] = self._profile(index)
        return found

    def samples(self, index: int, count: int = 3) -> list[str]:
        """The first `count` of the profile's samples (the first distinct values among its counted cells)."""
        if index in self._done or not COLUMNWISE:
            return self[index].samples[:count]
        seen: dict[object, None] = {}  # equal values are one, as in the profile's counts (1 and 1.0 too)
        rows = self.rows
        # Cell by cell: most columns show three values in their first rows.
        values, done = _first_values(islice(rows, FEW), index, seen, 0, count)
        if not done and values == FEW:
            # A column of a few values repeated (an organization, a kind of meeting) would be read cell by cell
            # for SAMPLE values: where each of the first SAMPLE cells is a value, they are the ones counted, and the
            # first distinct ones among them are found in C.
            head = _counted_head(rows, index)
            if head is not None:
                return [show(cell) for cell in islice(head, count)]
        if not done:
            _first_values(islice(rows, FEW, None), index, seen, values, count)
        return [show(cell) for cell in seen]

    def _column_head(self, index: int) -> tuple[object, ...]:
        """Column `index` of the first SAMPLE rows (empty cells where a row is shorter)."""
        if self._head is None:
            self._head = list(zip_longest(*self.rows[:SAMPLE])) if self.rows else []
        return self._head[index] if index < len(self._head) else ()

    def _profile(self, index: int) -> Profile:
        rows = self.rows
        if not COLUMNWISE:
            return profile((cells[index] if index < len(cells) else None for cells in rows), self.value_of, self.orgs)
        counts: dict[object, int] = {}
        values = _add(self._column_head(index), counts, 0)
        start = SAMPLE
        while values < SAMPLE and start < len(rows):
            block = rows[start:start + BLOCK]
            start += BLOCK
            if min(map(len, block)) > index:
                column: Sequence[object] = list(map(itemgetter(index), block))
            else:
                column = [cells[index] if index < len(cells) else None for cells in block]
            values = _add(column, counts, values)
        return _profiled(counts, values, self.value_of, self.orgs)


BLOCK = 2048  # rows counted at once past the first SAMPLE
FEW = 16  # rows `samples` reads cell by cell before it looks at the first SAMPLE cells at once
COLUMNWISE = True


def _first_values(rows: Iterable[Sequence[object]], index: int, seen: dict[object, None], values: int,
                  count: int) -> tuple[int, bool]:
    """Add the values of column `index` to `seen` until it holds `count` or SAMPLE values are counted; the values
    counted, and whether that is done."""
    for cells in rows:
        cell = cells[index] if index < len(cells) else None
        # A blank, which `_counts` also refuses, is passed over without the call: a remarks column is mostly
        # blanks and is read to its end (0.92 → 0.52 ms a realistic unit for every column's samples).
        if cell is None or cell == "" or not _counts(cell):
            continue
        seen.setdefault(cell)
        values += 1
        if len(seen) >= count or values >= SAMPLE:
            return values, True
    return values, False


def _counted_head(rows: Sequence[Sequence[object]], index: int) -> dict[object, None] | None:
    """The distinct values of column `index`'s first SAMPLE cells, in order, where each of those cells is a value
    `_counts` counts; else None. A blank, or a boolean (equal to 1 or 0, it could hide among the values), leaves
    it to the cell-by-cell reading."""
    head = rows[:SAMPLE]
    if min(map(len, head), default=0) <= index:
        return None
    column = list(map(itemgetter(index), head))
    distinct = dict.fromkeys(column)
    if "" in distinct or None in distinct or ((0 in distinct or 1 in distinct) and bool in set(map(type, column))):
        return None
    return distinct if all(map(_counts, distinct)) else None


def _add(column: Sequence[object], counts: dict[object, int], values: int) -> int:
    """Count a block of a column's cells into `counts`, as `_take` does (up to SAMPLE values in all), in C when
    the whole block fits under SAMPLE; the number of values counted so far."""
    if bool in set(map(type, column)):  # True == 1: the Counter would count one as the other
        return _take(column, counts, values)
    found = [(cell, times) for cell, times in Counter(column).items() if _counts(cell)]  # in order of appearance
    if values + sum(times for _cell, times in found) > SAMPLE:  # the sample ends inside this block
        return _take(column, counts, values)
    for cell, times in found:
        counts[cell] = counts.get(cell, 0) + times
        values += times
    return values


def _counts(cell: object) -> bool:
    """Whether a cell is one of the values a profile counts: not empty, not a boolean, not an unreadable marker."""
    if cell is None or cell.__class__ is bool or (isinstance(cell, str) and is_empty(cell)):
        return False
    return isinstance(cell, (str, int, float, dt.date, dt.time))


def _take(cells: Iterable[object], counts: dict[object, int], values: int) -> int:
    """Count the cells a profile counts into `counts` until there are SAMPLE values; the number there are."""
    if values >= SAMPLE:
        return values
    for cell in cells:
        if not _counts(cell):
            continue
        counts[cell] = counts.get(cell, 0) + 1
        values += 1
        if values >= SAMPLE:
            break
    return values


def _profiled(counts: dict[object, int], values: int, value_of: dict[str, dict[str, str]],
              orgs: AbstractSet[str]) -> Profile:
    result = Profile(values=values)
    memo = _memo(value_of) if SHARED else None
    for cell, times in counts.items():
        one, key = _counted(cell, value_of, memo)
        if len(result.samples) < 5:
            result.samples.append(show(cell))
        result.dates += one.dates * times
        result.numbers += one.numbers * times
        result.months += one.months * times
        if key is not None and key in orgs:
            result.orgs += times
        for enum in one.enums:
            result.enums[enum] = result.enums.get(enum, 0) + times
    return result


# What a value counts as (all but naming an organization, which depends on the workbook) is the same in every
# column and every file of a scan: remembered per alias values table, up to MEMO values. SHARED False: not kept.
SHARED = True
MEMO = 1 << 16
_Memo = dict[tuple[type, object], tuple[Profile, str | None]]
_memo_of: list[tuple[dict[str, dict[str, str]], tuple[int, int], _Memo]] = []


def _memo(value_of: dict[str, dict[str, str]]) -> _Memo:
    # Only membership in the values tables counts, and an alias file only ever adds to them: their sizes tell.
    sizes = (len(value_of), sum(map(len, value_of.values())))
    if not _memo_of or _memo_of[0][0] is not value_of or _memo_of[0][1] != sizes:
        _memo_of[:] = [(value_of, sizes, {})]
    return _memo_of[0][2]


def forget() -> None:
    """Forget the values counted so far (ingest/remembered.py)."""
    _memo_of.clear()


def remembered() -> int:
    return sum(len(memo) for _values, _sizes, memo in _memo_of)


def _counted(cell: object, value_of: dict[str, dict[str, str]],
             memo: _Memo | None) -> tuple[Profile, str | None]:
    """The counts of one cell, and its folded text for the organizations' names (None: not text)."""
    memo_key = (cell.__class__, cell)  # by class too: 1 and 1.0 are equal keys but different values
    found = memo.get(memo_key) if memo is not None else None
    if found is None:
        one = Profile()
        _count(one, cell, value_of, frozenset())
        found = (one, header_key(cell) if isinstance(cell, str) else None)
        if memo is not None:
            if len(memo) >= MEMO:  # a scan of thousands of files: start again rather than grow without end
                memo.clear()
            memo[memo_key] = found
    return found


def _count(result: Profile, cell: object, value_of: dict[str, dict[str, str]], orgs: AbstractSet[str]) -> None:
    if isinstance(cell, (dt.date, dt.datetime)):
        result.dates += 1
        return
    if isinstance(cell, (int, float)):
        result.numbers += 1
        result.months += 1 if float(cell).is_integer() and 1 <= cell <= 12 else 0
        return
    if not isinstance(cell, str):
        return
    key = header_key(cell)
    bare = uncoded(cell)  # 223_正式党员
    parts = [header_key(p) for p in _SEPARATORS.split(cell) if p.strip()] + ([header_key(bare)] if bare else [])  # a joint record: 组织生活会、民主评议党员
    for enum, table in value_of.items():
        if key in table or any(part in table for part in parts):
            result.enums[enum] = result.enums.get(enum, 0) + 1
    if key in orgs:
        result.orgs += 1
    try:
        to_number(cell)
        result.numbers += 1
        return
    except CellError:
        pass
    try:
        to_attendance(cell)  # 7/8, 应到8人，实到7人: counts
        result.numbers += 1
        return
    except CellError:
        pass
    try:
        to_date(cell, "start", _ANY_YEAR)  # a date without its year (3月5日) is a date all the same
        result.dates += 1
        return
    except CellError:
        pass
    try:
        to_months(cell, _ANY_YEAR)  # months paid together (2025年1-3月): dates too
        result.dates += 1
    except CellError:
        pass


_ANY_YEAR = 2000  # a leap year: 2月29日 is a day


def fit(spec: FieldSpec, found: Profile, known_orgs: bool = False) -> Fit:
    """Whether the values fit the field, contradict it, or cannot tell (too few values, free text)."""
    if found.values < MIN_VALUES:
        return "unknown"
    kind = spec.type
    if kind is FieldType.ENUMS:  # kinds of meetings are open: an unknown kind is kept and reported as such
        return "fits" if found.share(found.enums.get(spec.enum or "", 0)) >= FIT_SHARE else "unknown"
    if kind is FieldType.ENUM:
        return _judge(found.share(found.enums.get(spec.enum or "", 0)))
    if kind is FieldType.MONTH and found.share(found.months) >= FIT_SHARE:
        return "unknown"  # month numbers: read with a 年份 column, if the sheet has one
    if kind in (FieldType.DATE, FieldType.MONTH):
        return _judge(found.share(found.dates + found.numbers if kind is FieldType.DATE else found.dates))
    if kind in (FieldType.INT, FieldType.NUMBER, FieldType.YEAR):
        if found.share(found.dates) >= FIT_SHARE and found.dates > found.numbers:
            return "contradicts"  # a column of dates is not a count or an amount
        return _judge(found.share(found.numbers))
    if kind is FieldType.REF and known_orgs:
        # Names of organizations the workbook does not list are an input problem to report, not a reason to
        # doubt the column: references only ever confirm.
        return "fits" if found.share(found.orgs) >= FIT_SHARE else "unknown"
    if kind in (FieldType.TEXT, FieldType.NAME, FieldType.NAMES) and found.share(found.dates) >= FIT_SHARE:
        return "contradicts"  # names and text are not dates
    return "unknown"


def _judge(share: float) -> Fit:
    if share >= FIT_SHARE:
        return "fits"
    if share <= CONTRADICT_SHARE:
        return "contradicts"
    return "unknown"


def enum_field(fields: Iterable[FieldSpec], found: Profile) -> FieldSpec | None:
    """The one enumerated field among `fields` that the values clearly are (正式党员/预备党员 → member_kind)."""
    if found.values < MIN_VALUES:
        return None
    matches = [f for f in fields if f.enum is not None and found.share(found.enums.get(f.enum, 0)) >= FIT_SHARE]
    return matches[0] if len(matches) == 1 else None
