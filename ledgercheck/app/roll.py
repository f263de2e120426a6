"""The list of units expected to report (`scan --expected`): read it, and say what in it was passed over."""

from __future__ import annotations

from pathlib import Path

from ledgercheck.common.i18n import Text
from ledgercheck.findings.scan.roll import Roll, RollEntry, code_key, name_key
from ledgercheck.ingest.roll import read_roll


def load_roll(path: Path) -> tuple[Roll, list[Text]]:
    """The list, each unit once (a name listed again is named in a note and counted once), and the notes."""
    rows = read_roll(path, str(path))
    notes = [Text(f"{where.describe('zh')}：{why.zh}", f"{where.describe('en')}: {why.en}") for why, where in rows.notes]
    entries: list[RollEntry] = []
    first: dict[str, RollEntry] = {}
    repeated: dict[str, list[str]] = {}
    codes = rows.codes or [""] * len(rows.names)
    for (name, where), code in zip(rows.names, codes):
        # The cell as Excel names it (单位!B5; B5 in a CSV file), or the text file's line (名单.txt:5).
        place = where.short() if where.sheet else where.cell if where.row is not None else f"{where.file}:{where.line}"
        entry = RollEntry(name, place or where.file, code)
        # Two units of one name with their own codes (机关党委) are two units; a name listed twice is one.
        key = f"\0{code_key(code)}" if code_key(code) else name_key(name) or name
        if key in first:
            repeated.setdefault(key, [first[key].where]).append(entry.where)
            continue
        first[key] = entry
        entries.append(entry)
    roll = Roll(str(path), entries, [(first[key].name, places) for key, places in repeated.items()])
    for name, places in roll.repeated:
        notes.append(Text(f"应报单位名单中「{name}」出现了{len(places)}次（{'、'.join(places)}），按一个单位计",
                          f"the list of units names {name} {len(places)} times ({', '.join(places)}); counted once"))
    return roll, notes
