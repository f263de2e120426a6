"""Turn the command line's folders, files and glob patterns into the list of workbooks to scan.

Folders are searched recursively for workbook files (and WPS .et files, so that a unit which sent one
is reported rather than silently missed), and for files without a suffix whose content is a workbook (a download
that lost its name's end). Office lock files (~$台账.xlsx) and hidden files are not
ledgers: they are counted as ignored. Nor are ledgercheck's own scan reports kept among the ledgers (an inspector's
汇总.xlsx of last round): they are listed as skipped, by name (fileio/ownreports.py). A file named explicitly is
always scanned, whatever its type.

Nothing is read here but a regular .xlsx file's directory and two small parts (to tell a report), and the start of
a regular file without a suffix (formats.sniff): a FIFO, a link
to a device or a symlink loop named like a workbook is listed, and the worker reports it (only regular files are
read). A name that is not UTF-8 (a GBK name unpacked from a Windows zip) is shown in its escaped form
(`\xcc\xa8\xd5\xcb.xlsx`).
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ledgercheck.fileio.atomic import resolved
from ledgercheck.fileio.names import escape_undecodable, readable_path  # noqa: F401 - readable_path: re-exported
from ledgercheck.fileio.ownreports import is_scan_report
from ledgercheck.ingest.formats import READABLE, found_workbook

CANDIDATES = READABLE | {".et"}
GLOB_CHARS = set("*?[")


@dataclass
class Discovery:
    """The workbooks a scan found under its paths, and what it passed over."""

    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, display name), sorted, unique
    ignored: int = 0  # lock files and hidden files inside the folders
    reports: list[str] = field(default_factory=list)  # display names of ledgercheck's scan reports passed over
    unmatched: list[str] = field(default_factory=list)  # patterns that matched nothing


def _ignored(path: Path) -> bool:
    return path.name.startswith(("~$", "."))


def _display(path: Path) -> str:
    """Relative to the working directory when below it, else as found; escaped when the name is not UTF-8."""
    try:
        return escape_undecodable(str(resolved(path).relative_to(resolved(Path.cwd()))))
    except ValueError:
        return escape_undecodable(str(path))


def _walk(folder: Path) -> tuple[list[Path], int]:
    found: list[Path] = []
    ignored = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(root) / name
            # A hidden file is counted as ignored only where it is named as a workbook (not .DS_Store).
            if (_ignored(path) and not path.suffix) or not found_workbook(path, CANDIDATES):
                continue
            if _ignored(path):
                ignored += 1
            else:
                found.append(path)
    return found, ignored


def _found(result: Discovery, add: Callable[[Path], None], path: Path) -> None:
    """A workbook found in a folder or by a pattern: scanned, unless it is one of ledgercheck's scan reports."""
    if is_scan_report(path):
        display = _display(path)
        if display not in result.reports:
            result.reports.append(display)
    else:
        add(path)


def discover(arguments: list[str]) -> Discovery:
    result = Discovery()
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = resolved(path)
        if key not in seen:
            seen.add(key)
            result.files.append((path, _display(path)))

    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found, ignored = _walk(path)
            result.ignored += ignored
            for item in found:
                _found(result, add, item)
        elif GLOB_CHARS & set(argument) and not path.exists():
            matches = [Path(m) for m in sorted(glob.glob(argument, recursive=True))]
            if not matches:
                result.unmatched.append(argument)
            for match in matches:
                if match.is_dir():  # 台账/* matches the units' folders
                    found, ignored = _walk(match)
                    result.ignored += ignored
                    for item in found:
                        _found(result, add, item)
                elif _ignored(match):
                    result.ignored += 1
                else:
                    _found(result, add, match)
        else:
            add(path)  # a missing file becomes an error row: the inspector named it
    result.files.sort(key=lambda item: natural_key(item[1]))
    result.reports.sort(key=natural_key)
    return result


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort 单位2 before 单位10, as a file manager does."""
    return tuple((0, int(part)) if part.isdecimal() else (1, part) for part in re.split(r"(\d+)", text) if part)
