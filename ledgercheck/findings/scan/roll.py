"""The units an inspector expects to report (应报单位名单, `scan --expected`), matched with the files scanned.

A listed unit with a code (党组织代码) has reported when a scanned workbook's top organization has that code: a code
names one unit, where a name as plain as 机关党委 may name many. Otherwise, or when no workbook has its code, a
listed unit has reported when a scanned workbook names it: the workbook's unit (its top organization, as the
scan reads it) or its file name says the listed name, written the same way up to width, case, spaces and
punctuation (an official name as its usual one: `name_key`), or one contains the other (a list saying 市财政局 and
a ledger of 市财政局机关党委, or a file 市财政局党建台账.xlsx). Names the same way are matched first, and only then
containment, so that 财政局 and 市财政局 on one list each find their own file. A file no listed unit matches is reported as not on the list: a
unit the list forgot, or a name written too differently to match (the report shows both, so either is fixed).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

_IGNORED = re.compile(r"[\s_\-*:：.。·•、,，;；/／\\|'\"“”‘’()（）\[\]【】〔〕<>《》]+")
# Words a file name adds to the unit's name: 市财政局党建台账2026.xlsx names 市财政局.
_FILE_WORDS = re.compile(r"(\d{4}年?度?|第?[一二三四1-4]季度|党建工作台账|党建台账|工作台账|台账|报送|汇总|最终版|修改版|副本|v\d+)")
SHORTEST = 2  # characters a name needs to be found inside another (one character would match nearly anything)
SHORTEST_CODE = 6  # characters a code needs to be matched by (a ledger's own numbering, D01 or 001, is shorter)


# A Party organization's official name and its everyday one (中共某局机关委员会 is 某局机关党委): lists of units
# often give the first, ledgers the second. Only a name that starts as an official one is rewritten: 某市卫生健康
# 委员会 alone is a government department, not a committee of the Party.
_OFFICIAL = (("总支部委员会", "党总支"), ("支部委员会", "党支部"), ("委员会", "党委"))


def name_key(text: str) -> str:
    """A unit's name as it is compared: width (NFKC), case, spaces and punctuation left out, and an official
    name (中国共产党…委员会, 中共…委员会) as it is usually written (…党委, …党总支, …党支部)."""
    key = _IGNORED.sub("", unicodedata.normalize("NFKC", text).lower())
    for prefix in ("中国共产党", "中共"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
            for official, usual in _OFFICIAL:
                if key.endswith(official):
                    return key[: -len(official)] + usual
            return key
    return key


@dataclass(frozen=True)
class RollEntry:
    name: str
    where: str  # its place in the list: a sheet's cell (应报单位!B5), a CSV file's (B5), a text file's line (名单.txt:5)
    code: str = ""  # its code in the list's code column (党组织代码), if any


def code_key(text: str) -> str:
    """A code as it is compared: width, case and spaces left out; "" for one too short to name a unit alone (a
    ledger's own numbering, 1 or 01, is no code: a list's 01 would match every unit's first organization)."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    return key if len(key) >= SHORTEST_CODE else ""


@dataclass
class Roll:
    source: str  # the list's file name, as given
    entries: list[RollEntry]
    repeated: list[tuple[str, list[str]]] = field(default_factory=list)  # names listed twice, with their places
    _shared: set[str] | None = field(default=None, init=False, repr=False, compare=False)  # names given twice

    def label(self, entry: RollEntry) -> str:
        """How a history keeps a listed unit: its name, or with its code where the list gives a name twice."""
        if self._shared is None:
            counts = Counter(e.name for e in self.entries)
            self._shared = {name for name, count in counts.items() if count > 1}
        return f"{entry.name}（{entry.code}）" if entry.name in self._shared and entry.code else entry.name


@dataclass(frozen=True)
class ScannedUnit:
    path: str  # as the scan shows it
    unit: str | None  # its top organization(s), None when the file could not be read
    codes: tuple[str, ...] = ()  # its top organizations' ids (组织编号), which a list's codes are matched with


@dataclass
class RollCheck:
    """The list against the scan: who reported (with their files), who did not, and files the list lacks."""

    roll: Roll
    reported: list[tuple[RollEntry, list[ScannedUnit]]] = field(default_factory=list)
    not_reported: list[RollEntry] = field(default_factory=list)
    unlisted: list[ScannedUnit] = field(default_factory=list)

    @property
    def listed(self) -> int:
        return len(self.roll.entries)


def _unit_keys(scanned: ScannedUnit) -> list[str]:
    """The names a file goes by: each top organization (a unit of several is listed 甲、乙), the file's name."""
    # The scan names a unit of more than three top organizations by three and an ellipsis (甲、乙、丙…).
    keys = [name_key(part.rstrip("…")) for part in (scanned.unit or "").split("、")]
    stem = PurePath(scanned.path.replace("\\", "/")).stem
    keys.append(name_key(_FILE_WORDS.sub("", unicodedata.normalize("NFKC", stem).lower())))
    return [k for k in keys if k]


def _pieces(text: str) -> Iterator[str]:
    """Every piece of `text` at least SHORTEST characters long, itself included."""
    for size in range(SHORTEST, len(text) + 1):
        for start in range(len(text) - size + 1):
            yield text[start:start + size]


def check_roll(roll: Roll, scanned: Iterable[ScannedUnit]) -> RollCheck:
    """Every listed unit reported (with its files) or not, every file matched or not on the list.

    Linear in the list and the files, not their product (a province lists tens of thousands of units): names
    are looked up in dictionaries, and containment through the pieces of each name (a name of n characters has
    about n²/2 of them), never by comparing every listed name with every file."""
    files = list(scanned)
    found: dict[int, set[int]] = {}  # entry index → file indexes
    by_code: dict[str, list[int]] = {}
    for i, f in enumerate(files):
        for code in dict.fromkeys(filter(None, map(code_key, f.codes))):
            by_code.setdefault(code, []).append(i)
    for e, entry in enumerate(roll.entries):  # a code first: it names one unit
        hits = by_code.get(code_key(entry.code)) if entry.code else None
        if hits:
            found[e] = set(hits)
    coded = {i for hits in found.values() for i in hits}
    keys = [_unit_keys(f) if i not in coded else [] for i, f in enumerate(files)]
    entry_keys = [name_key(entry.name) if e not in found else "" for e, entry in enumerate(roll.entries)]
    by_name: dict[str, list[int]] = {}
    for i, names in enumerate(keys):
        for name in dict.fromkeys(names):
            by_name.setdefault(name, []).append(i)
    for e, key in enumerate(entry_keys):  # then the same name
        if key and key in by_name:
            found[e] = set(by_name[key])
    claimed = {i for hits in found.values() for i in hits}
    pending = {e: key for e, key in enumerate(entry_keys) if e not in found and len(key) >= SHORTEST}
    if pending:  # then one name inside the other, among the files not yet claimed
        open_names: dict[str, set[int]] = {}
        for i, names in enumerate(keys):
            if i not in claimed:
                for name in names:
                    open_names.setdefault(name, set()).add(i)
        by_key: dict[str, list[int]] = {}
        for e, key in pending.items():
            by_key.setdefault(key, []).append(e)
        lengths = sorted({len(k) for k in by_key})
        for name, owners in open_names.items():  # a listed name inside a file's
            for size in lengths:
                if size > len(name):
                    break
                for start in range(len(name) - size + 1):
                    for e in by_key.get(name[start:start + size], ()):
                        found.setdefault(e, set()).update(owners)
        for key, entries in by_key.items():  # a file's name inside a listed one
            for piece in _pieces(key):
                inside = open_names.get(piece)
                if inside:
                    for e in entries:
                        found.setdefault(e, set()).update(inside)
    taken = {i for hits in found.values() for i in hits}
    check = RollCheck(roll)
    for e, entry in enumerate(roll.entries):
        if e in found:
            check.reported.append((entry, [files[i] for i in sorted(found[e])]))
        else:
            check.not_reported.append(entry)
    check.unlisted = [f for i, f in enumerate(files) if i not in taken]
    return check
