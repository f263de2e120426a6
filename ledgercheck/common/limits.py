"""Resource limits on what a workbook may make ledgercheck read: file and archive sizes, rows and cells.

The defaults leave ample room above the largest realistic ledger (100 branches, 5,000 members, 180,000 dues
rows: a 6 MB file that unpacks to 73 MB, 1.4 million cells in its biggest sheet) while refusing what would
exhaust memory: a decompression bomb, or a stray cell at XFD1048576 that makes the sheet a grid of 17 billion
cells. They are set in the configuration file (`limits:`) or with `--limit NAME=VALUE`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

from ledgercheck.common.errors import ConfigError, UsageError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location

# Excel's own limits (Excel specifications and limits): what no workbook saved by Excel or WPS exceeds.
EXCEL_CELL_TEXT = 32_767  # characters in one cell
EXCEL_CELL_FORMATS = 65_490  # unique cell formats in one workbook

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


@dataclass(frozen=True)
class Limits:
    """The bounds a workbook must stay within to be read (--limit NAME=VALUE, `limits:` in a configuration)."""

    max_file_size: int = 200 << 20  # bytes on disk
    max_unpacked_size: int = 1 << 30  # bytes of all the parts of an .xlsx/.ods archive, decompressed
    max_compression_ratio: int = 200  # of one part (above 1 MB); deflate reaches about 1000 only on bombs
    max_parts: int = 10_000  # files inside the archive
    max_rows: int = 500_000  # rows of one sheet's used range
    max_cells: int = 10_000_000  # rows × columns of one sheet's used range (about 32 bytes each while read)
    max_seconds: int = 300  # to read and audit one workbook (audit: the ledger; scan: each file), then it is stopped

    def describe(self, name: str) -> str:
        value = getattr(self, name.replace("-", "_"))
        return f"{_dashed(name)}={_human(value) if name.replace('-', '_') in SIZES else f'{value:,}'}"


SIZES = frozenset({"max_file_size", "max_unpacked_size"})
NAMES = tuple(f.name.replace("_", "-") for f in fields(Limits))


def _dashed(name: str) -> str:
    return name.replace("_", "-")


def _human(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor and size % (factor // 16 or 1) == 0:
            return f"{size / factor:g}{unit}"
    return f"{size}B"


def parse_value(name: str, value: object) -> int:
    """A positive integer; sizes may carry a unit (200MB, 1GB, 512k)."""
    key = name.replace("-", "_")
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    else:
        match = _SIZE.match(str(value))
        if match is None or (match.group(2) and key not in SIZES):
            raise ValueError(value)
        unit = (match.group(2) or "").lower()[:1]
        number = int(float(match.group(1)) * _UNITS[unit])
    if number <= 0:
        raise ValueError(value)
    return number


def _bad(name: str, value: object) -> Text:
    known = ", ".join(NAMES)
    if name.replace("-", "_") not in {f.name for f in fields(Limits)}:
        return Text(f"不认识的限制「{name}」（可用：{known}）", f"unknown limit {name!r} (known: {known})")
    return Text(f"限制「{name}」的值「{value}」不是正整数（大小可带单位，如 200MB）",
                f"limit {name!r}: {value!r} is not a positive integer (sizes may carry a unit: 200MB)")


def with_values(base: Limits, values: Mapping[str, object],
                locate: Callable[[str], Location | None] = lambda _name: None, error: type = ConfigError) -> Limits:
    """`values` by name (max-rows or max_rows); an error names where the bad one was written (`locate`)."""
    changes: dict[str, int] = {}
    for name, value in values.items():
        key = str(name).replace("-", "_")
        try:
            if key not in {f.name for f in fields(Limits)}:
                raise ValueError(name)
            changes[key] = parse_value(key, value)
        except ValueError:
            raise error(_bad(str(name), value), locate(str(name))) from None
    return replace(base, **changes)


def from_options(base: Limits, options: tuple[str, ...]) -> Limits:
    """`--limit max-rows=800000` (repeatable)."""
    values: dict[str, object] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep:
            raise UsageError(Text(f"--limit 应写作 名称=值，如 max-rows=800000：{option}",
                                  f"--limit takes NAME=VALUE, e.g. max-rows=800000: {option!r}"))
        values[name.strip()] = value.strip()
    return with_values(base, values, error=UsageError)
