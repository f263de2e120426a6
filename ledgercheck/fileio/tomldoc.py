"""TOML loading for `[tool.ledgercheck]` in pyproject.toml, with the line of each key so errors name file:line.

tomllib gives no positions, so lines are found by reading `[table]` headers and `key = value` lines; keys
inside inline tables or multi-line arrays fall back to the line of the key that holds them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.fileio.syntax import syntax_error
from ledgercheck.fileio.text import read_text
from ledgercheck.fileio.yamldoc import KeyPath, YamlDocument

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _parts(dotted: str) -> KeyPath:
    return tuple(p.strip("\"'") for p in _PART.findall(dotted))


def _record(lines: dict[KeyPath, int], table: KeyPath, key: KeyPath, number: int) -> None:
    """The line of a key and, where not yet known, of each table it implies (line_of walks prefixes)."""
    for end in range(1, len(key) + 1):
        lines.setdefault(table + key[:end], number)


def _key_lines(text: str) -> dict[KeyPath, int]:
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    depth = 0  # inside a multi-line array or inline table: not a key line
    for number, line in enumerate(text.splitlines(), start=1):
        if depth == 0:
            header = _HEADER.match(line)
            if header:
                table = _parts(header.group(1))
                _record(lines, (), table, number)
                continue
            key = _KEY.match(line)
            if key:
                _record(lines, table, _parts(key.group(1)), number)
        code = re.sub(r"\"[^\"]*\"|'[^']*'|#.*$", "", line)
        depth = max(0, depth + code.count("[") + code.count("{") - code.count("]") - code.count("}"))
    return lines


def load_toml_table(path: Path, table: KeyPath, error: type[LedgercheckError],
                    display: str | None = None) -> YamlDocument | None:
    """The table at `table` (e.g. tool.ledgercheck) as a document with key lines, or None when absent."""
    display = display or str(path)
    text = read_text(path, display, error)
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        message, detail = syntax_error("TOML", str(exc))
        raise error(message, Location(display, line=int(match.group(1)) if match else None), detail) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise error(Text("TOML 嵌套过深，拒绝读取", "the TOML is nested too deeply; refused"),
                    Location(display)) from None
    for part in table:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    lines = {key[len(table):]: line for key, line in _key_lines(text).items() if key[:len(table)] == table}
    return YamlDocument(path, display, data, lines)
