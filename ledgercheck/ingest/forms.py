"""A record kept as a form: a meeting (an election, a recruit's 全程纪实表) a sheet, each label beside its value.

    办公室党支部支部委员会会议记录
    会议时间 | 2025年3月5日 | 会议地点 | 三楼会议室
    主持人   | 周娟         | 记录人   | 李明
    应到人数 | 5            | 实到人数 | 5
    缺席人员 | 无
    会议内容 | 传达学习……

Branches keep 三会一课 records so: a sheet a meeting, or several such blocks down one sheet (a label met again
starts the next block). The loader tries a sheet as a form only where its table reading names no more fields than
a form's row can (MAX_LABELS_A_ROW), and takes the form where it names more. The form is
then laid out as a table (`Form.rows`): the rows above its first label (its title) as they are, the labels as the
header, each block's values as a row, so that the table's understanding and reading apply unchanged (the kind
and organization from the sheet's name or title, dates, names, notices). Each cell of that table remembers the
sheet's own cell (`Form.cells`), so that findings and input problems name the cell a secretary sees.

A label is a header the alias tables know for the sheet (a field, or a header known to carry nothing the rules
use, such as 会议地点), also written with its value in one cell (会议时间：2025年3月5日); a row's first text with
content to its right is an unknown label, and so is another sheet's field (性别 on a recruit's form), so that what
it holds is reported as not read. Text below a label of free text or of nothing read (会议内容 running on for rows)
belongs to it; any other text that is no label's value, and a label given a second time in one block (its first
is read), is reported (`Form.loose`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.aliases import AliasTable
from ledgercheck.ingest.fold import fold
from ledgercheck.ingest.workbook import Row
from ledgercheck.model.schema import SHEETS_BY_KEY, FieldType

MAX_ROWS = 5000  # a year of meetings as blocks of a dozen rows is a few hundred
SCAN_ROWS = 60  # a form's labels start within these
MAX_LABEL = 20  # characters: longer text is content, not a label
MIN_FIELDS = 3  # fields a form names, a date among them
MAX_LABELS_A_ROW = 3  # a row naming more is a table's header
_INLINE = re.compile(r"^\s*([^:：]{1,20}?)\s*[:：]\s*(\S.*?)\s*$", re.S)

Cell = tuple[int, str | None]  # 1-based row, column letter (None: the row)


@dataclass
class Form:
    rows: list[Row]  # title rows, the header of labels, a row of values a block
    cells: dict[Cell, Cell]  # a cell (or row) of `rows` → the sheet's own
    blocks: int
    fields: int  # the fields its labels name
    loose: list[int] = field(default_factory=list)  # 1-based rows with text that is no label's value


@dataclass
class _Pair:
    key: str  # the field, or the folded label of a label that names none
    label: str
    label_at: tuple[int, int]  # 0-based row, column
    value: object
    value_at: tuple[int, int]
    known: bool  # a field's label (not an ignored or unknown one)
    carries: bool  # the label's value is read: not an ignored label's (会议内容)


def _text(cell: object) -> str:
    return " ".join(cell.split()) if isinstance(cell, str) else ""


class _Labels:
    def __init__(self, key: str, aliases: AliasTable):
        self.key = key
        self.aliases = aliases
        self._memo: dict[str, tuple[str, bool, bool] | None] = {}

    def __call__(self, text: str) -> tuple[str, bool, bool] | None:
        """(key, a field of this sheet's, read) of a label, or None for text that is none. A label no field of
        this sheet has is read as a table's unknown column: reported, with what it holds."""
        if not text or len(text) > MAX_LABEL:
            return None
        found = self._memo.get(text, ())
        if found == ():
            hit = self.aliases.lookup(self.key, text)
            hinted = self.aliases.hinted(self.key, text) if hit is None else None
            if hit is not None or hinted is not None:
                found = (hit.field if hit is not None else str(hinted), True, True)
            elif self.aliases.ignored(self.key, text):
                found = (fold(text), False, False)
            elif any(self.aliases.lookup(other, text) is not None for other in SHEETS_BY_KEY if other != self.key):
                found = (fold(text), False, True)  # another sheet's field (性别 on a recruit's form): reported
            else:
                found = None
            self._memo[text] = found
        return found  # type: ignore[return-value]


def _pairs(rows: Sequence[Row], labels: _Labels) -> tuple[list[list[_Pair]], list[int], set[int]] | None:
    """Each row's label-value pairs (none for a row without a label), the 0-based rows holding text that is no
    label's value, and those of them written as an unknown label and its value (参会人员：…, 记录人签字：…); None
    when a row names more labels than a form does."""
    found: list[list[_Pair]] = []
    loose: list[int] = []
    odd: set[int] = set()
    for r, cells in enumerate(rows):
        texts = [_text(c) if c.__class__ is str else ("" if c is None or c == "" else "x") for c in cells]
        pairs: list[_Pair] = []
        stray = False

        def is_label(index: int) -> bool:
            return cells[index].__class__ is str and labels(texts[index]) is not None  # noqa: B023 - used at once

        c = 0
        while c < len(cells):
            text = texts[c]
            if not text:
                c += 1
                continue
            label = labels(text) if cells[c].__class__ is str else None
            if label is None and cells[c].__class__ is str:
                inline = _INLINE.match(str(cells[c]))
                named = labels(" ".join(inline.group(1).split())) if inline else None
                if inline and named is not None:
                    pairs.append(_Pair(named[0], inline.group(1).strip(), (r, c), inline.group(2), (r, c), *named[1:]))
                    c += 1
                    continue
                if inline:
                    odd.add(r)
            after = next((v for v in range(c + 1, len(cells)) if texts[v]), None)
            if label is None:
                if not pairs and after is not None and cells[c].__class__ is str and len(text) <= MAX_LABEL \
                        and not is_label(after):
                    label = (fold(text), False, True)  # an unknown label: what it holds is reported, not read
                else:
                    stray = True
                    c += 1
                    continue
            if after is not None and not is_label(after):
                pairs.append(_Pair(label[0], text, (r, c), cells[after], (r, after), *label[1:]))
                c = after + 1
            else:
                pairs.append(_Pair(label[0], text, (r, c), None, (r, c + 1), *label[1:]))
                c += 1
        if sum(1 for p in pairs if p.known) > MAX_LABELS_A_ROW:
            return None
        found.append(pairs)
        if stray:
            loose.append(r)
    return found, loose, odd


def _labelled_rows(rows: Sequence[Row], labels: _Labels) -> int:
    """Rows whose first text is a field's label (会议时间 …): a form has them all the way down, a table one header."""
    count = 0
    for cells in rows[:SCAN_ROWS]:
        first = next((c for c in cells if c is not None and c != ""), None)
        if first.__class__ is str:
            text = _text(first)
            found = labels(text) or labels(text.split("：")[0].split(":")[0].strip())
            if found is not None and found[1]:
                count += 1
                if count >= MIN_FIELDS:
                    return count
    return count


def as_form(rows: Sequence[Row], key: str, aliases: AliasTable) -> Form | None:
    """The sheet laid out as a table of one row a block, when it is a form of sheet `key`'s records."""
    if len(rows) > MAX_ROWS or key not in SHEETS_BY_KEY:
        return None
    spec = SHEETS_BY_KEY[key]
    labels = _Labels(key, aliases)
    if _labelled_rows(rows, labels) < MIN_FIELDS:
        return None
    read = _pairs(rows, labels)
    if read is None:
        return None
    by_row, stray, odd = read
    labelled = [r for r, pairs in enumerate(by_row) if any(p.known for p in pairs)]
    fields = {p.key for pairs in by_row for p in pairs if p.known}
    dates = {f for f in fields if f in spec.by_key and spec.by_key[f].type is FieldType.DATE}
    if len(labelled) < MIN_FIELDS or len(fields) < MIN_FIELDS or not dates:
        return None

    def runs_on(pair: _Pair) -> bool:
        """Text that may run on for rows below its label: a label that names nothing read, or free text (主题)."""
        return not pair.carries or (pair.key in spec.by_key and spec.by_key[pair.key].type is FieldType.TEXT)

    first = labelled[0]
    blocks: list[dict[str, _Pair]] = []
    starts: list[int] = []
    loose: list[int] = []
    carried: _Pair | None = None  # the last label, whose text may run on below it
    for r in range(first, len(rows)):
        pairs = by_row[r]
        if not pairs:
            if r in stray and (r in odd or not (carried is not None and runs_on(carried))):
                loose.append(r)
            continue
        for pair in pairs:
            block = blocks[-1] if blocks else None
            # The next block starts where the first label of this one, or a date it has, comes again.
            if block is None or pair.key == next(iter(block)) or (pair.key in block and pair.key in dates):
                blocks.append(block := {})
                starts.append(r)
            carried = pair
            if pair.key in block and runs_on(pair):  # free text again (会议主题, then 会议内容): read once, the first
                continue
            if pair.key in block:  # any other field twice in a block: the first is read, the other's row reported
                if r not in loose:
                    loose.append(r)
                continue
            block[pair.key] = pair
        if r in stray and r not in loose:
            loose.append(r)
    keys = list(dict.fromkeys(k for block in blocks for k in block))
    header_at = {k: next(b[k] for b in blocks if k in b) for k in keys}
    table: list[Row] = [list(cells) for cells in rows[:first]]
    table.append([header_at[k].label for k in keys])
    cells: dict[Cell, Cell] = {}
    header_row = first + 1  # 1-based, in the table
    for i, k in enumerate(keys):
        r, c = header_at[k].label_at
        cells[(header_row, column_letter(i))] = (r + 1, column_letter(c))
    cells[(header_row, None)] = (first + 1, None)
    for b, block in enumerate(blocks):
        row = header_row + 1 + b
        table.append([block[k].value if k in block else None for k in keys])
        cells[(row, None)] = (starts[b] + 1, None)
        for i, k in enumerate(keys):
            given = block.get(k)
            if given is not None:
                r, c = given.value_at
                cells[(row, column_letter(i))] = (r + 1, column_letter(c))
    return Form(table, cells, len(blocks), len(fields), [r + 1 for r in loose])
