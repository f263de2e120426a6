"""Turn the command line's folders, files and glob patterns into the list of workbooks to scan.

Folders are searched recursively for workbook files (and WPS .et files, so that a unit which sent one
is reported rather than silently missed). Office lock files (~$台账.xlsx) and hidden files are not
ledgers: they are counted as ignored. A file named explicitly is always scanned, whatever its type.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ledgercheck.ingest.formats import READABLE

CANDIDATES = READABLE | {".et"}
GLOB_CHARS = set("*?[")


@dataclass
class Discovery:
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, display name), sorted, unique
    ignored: int = 0  # lock files and hidden files inside the folders
    unmatched: list[str] = field(default_factory=list)  # patterns that matched nothing


def _ignored(path: Path) -> bool:
    return path.name.startswith(("~$", "."))


def _display(path: Path) -> str:
    """Relative to the working directory when below it, else as found."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _walk(folder: Path) -> tuple[list[Path], int]:
    found: list[Path] = []
    ignored = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(root) / name
            if path.suffix.lower() not in CANDIDATES:
                continue
            if _ignored(path):
                ignored += 1
            else:
                found.append(path)
    return found, ignored


def discover(arguments: list[str]) -> Discovery:
    result = Discovery()
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            result.files.append((path, _display(path)))

    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found, ignored = _walk(path)
            result.ignored += ignored
            for item in found:
                add(item)
        elif GLOB_CHARS & set(argument) and not path.exists():
            matches = [Path(m) for m in sorted(glob.glob(argument, recursive=True))]
            if not matches:
                result.unmatched.append(argument)
            for match in matches:
                if match.is_dir():  # 台账/* matches the units' folders
                    found, ignored = _walk(match)
                    result.ignored += ignored
                    for item in found:
                        add(item)
                elif _ignored(match):
                    result.ignored += 1
                else:
                    add(match)
        else:
            add(path)  # a missing file becomes an error row: the inspector named it
    result.files.sort(key=lambda item: natural_key(item[1]))
    return result


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort 单位2 before 单位10, as a file manager does."""
    return tuple((0, int(part)) if part.isdecimal() else (1, part) for part in re.split(r"(\d+)", text) if part)
