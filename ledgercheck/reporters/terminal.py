"""What the reports for people share on a terminal: the width, lines without trailing spaces, tables whose
cells wrap by the Chinese line-breaking rules (common/wrap.py), and the stacked layout for narrow terminals.

Every line is laid out here, to the cell, and printed as it is (rich only colours it): a table's columns are
measured once for a whole report, a cell's text is wrapped with `wrap`, and no line is wider than the width.
On a terminal the width is the terminal's; to a pipe or a file it is `PIPE_WIDTH`, and lines carry no
trailing spaces.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO, cast

from rich.console import Console
from rich.text import Text as RichText

from ledgercheck.common.wrap import width, wrap
from ledgercheck.reporters.base import ReportOptions

PIPE_WIDTH = 120  # a report written to a pipe or a file
GAP = 2  # cells between columns
INDENT = 2  # a table's left margin, and a stacked block's


class Trimmed:
    """A text stream that drops the spaces before each line end (rich pads cells and rules with them), colour
    codes or not. Complete lines are passed on as they come; `close` passes on the rest."""

    _TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)\n")

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        self.pending += text
        end = self.pending.rfind("\n")
        if end >= 0:
            self.stream.write(self._TRAILING.sub(r"\1\n", self.pending[:end + 1]))
            self.pending = self.pending[end + 1:]
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        if self.pending:
            self.stream.write(self.pending.rstrip(" \t"))
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return _isatty(self.stream)

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"


def trimmed(stream: TextIO) -> TextIO:
    """`stream`, its lines written without trailing spaces (for a rich console of a report)."""
    return cast(TextIO, Trimmed(stream))


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def terminal_width(stream: TextIO, wanted: int | None = None) -> int:
    """The cells a line may take: `wanted`, else the terminal's (one less on Windows, whose console starts a new
    line when the last cell is written), else PIPE_WIDTH."""
    if wanted:
        return wanted
    if not _isatty(stream):
        return PIPE_WIDTH
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = int(os.environ.get("COLUMNS", "0") or 0) or 80
    return max(20, columns - (1 if os.name == "nt" else 0))


@contextmanager
def console(stream: TextIO, options: ReportOptions, wanted: int | None = None) -> Iterator[tuple[Console, int]]:
    """A rich console on `stream` that writes lines as they are laid out, and the width to lay them out in."""
    if stream is None:  # sys.stdout of a process started with descriptor 1 closed
        from ledgercheck.common.errors import require_stdout

        stream = require_stdout()
    cells = terminal_width(stream, wanted or options.width)
    trimmed = Trimmed(stream)
    out = Console(file=trimmed, width=cells, force_terminal=options.color, no_color=options.color is False,  # type: ignore[arg-type]
                  highlight=False, soft_wrap=False, markup=False, emoji=False)
    try:
        yield out, cells
    finally:
        trimmed.close()


def emit(out: Console, lines: Iterable[RichText | str]) -> None:
    """Print lines laid out already (never wider than the console): as they are."""
    for line in lines:
        out.print(line, soft_wrap=True, overflow="ignore", crop=False)


# ---------------------------------------------------------------- paragraphs, tables and blocks


@dataclass
class Para:
    """A paragraph of a cell: text, its style, and the names to keep on one line when it wraps."""

    text: str
    style: str = ""
    keep: tuple[str, ...] = ()


Cell = Sequence[Para]


def para(text: str, style: str = "", keep: Iterable[str] = ()) -> Para:
    return Para(text.replace("\t", " "), style, tuple(keep))


def lines_of(cell: Cell, cells: int, indent: int = 0, hanging: int = 0) -> list[RichText]:
    """A cell's paragraphs wrapped to `cells` (each line `indent` cells in; a paragraph's later lines `hanging`
    cells more)."""
    lines: list[RichText] = []
    for paragraph in cell:
        wrapped = wrap(paragraph.text, cells - indent, paragraph.keep, later=cells - indent - hanging)
        for number, line in enumerate(wrapped):
            margin = indent + (hanging if number else 0)
            lines.append(RichText(" " * margin + line, style=paragraph.style))
    return lines


@dataclass
class Grid:
    """Columns of fixed widths (the last takes the rest of the line) laid out for a whole report, so that every
    table of it lines up; `fits` says whether the last column keeps `minimum` cells."""

    widths: list[int]
    cells: int
    minimum: int = 36
    titles: list[str] = field(default_factory=list)
    indent: int = INDENT

    @property
    def last(self) -> int:
        return self.cells - self.indent - sum(w + GAP for w in self.widths)

    @property
    def fits(self) -> bool:
        return self.last >= self.minimum

    def header(self, style: str = "bold") -> list[RichText]:
        line = RichText(" " * self.indent)
        for title, cells in zip(self.titles, [*self.widths, self.last]):
            line.append(title, style=style)
            line.append(" " * (cells - width(title) + GAP))
        line.rstrip()
        return [line, RichText(" " * self.indent + "─" * (self.cells - self.indent), style="dim")]

    def row(self, cells: Sequence[Cell]) -> list[RichText]:
        """A row: each cell wrapped to its column, the cells side by side."""
        columns = [lines_of(cell, w) for cell, w in zip(cells, [*self.widths, self.last])]
        height = max((len(c) for c in columns), default=0)
        lines = []
        for index in range(height):
            line = RichText(" " * self.indent)
            for number, column in enumerate(columns):
                piece = column[index] if index < len(column) else RichText("")
                line.append_text(piece)
                if number < len(columns) - 1:
                    line.append(" " * ((self.widths[number] - piece.cell_len) + GAP))
            line.rstrip()
            lines.append(line)
        return lines


def column_width(texts: Iterable[str], title: str = "", most: int | None = None) -> int:
    """The width of a column: its widest text (or title), at most `most`."""
    widest = max([width(title), *(width(t) for t in texts)])
    return min(widest, most) if most else widest


def head_line(parts: Sequence[tuple[str, str]], aligned: Sequence[int] | None, cells: int,
              indent: int = INDENT) -> list[RichText]:
    """A stacked block's first line: its parts (text, style) two cells apart, each padded to its `aligned` width
    (a longer part pushes the rest along) when the line fits, else wrapped between parts."""
    for padded in range(len(aligned or ()), 0, -1):  # as many parts aligned as the line holds
        line = RichText(" " * indent)
        for number, (text, style) in enumerate(parts):
            if not text and number >= padded:
                continue
            line.append(text, style=style)
            if number < len(parts) - 1:
                room = max(0, (aligned or ())[number] - width(text)) if number < padded else 0
                line.append(" " * (room + GAP))
        line.rstrip()
        if line.cell_len <= cells:
            return [line]
    parts = [(t, s) for t, s in parts if t]
    lines = [RichText(" " * indent)]
    used = indent
    for text, style in parts:
        gap = GAP if used > indent else 0
        if used + gap + width(text) > cells and used > indent:
            lines.append(RichText(" " * (indent + GAP)))
            used, gap = indent + GAP, 0
        if width(text) > cells - used:  # a part longer than a line: wrapped on its own
            for number, piece in enumerate(wrap(text, cells - used)):
                if number:
                    lines.append(RichText(" " * used))
                lines[-1].append(piece, style=style)
            used = lines[-1].cell_len
            continue
        lines[-1].append(" " * gap)
        lines[-1].append(text, style=style)
        used += gap + width(text)
    return lines


def collapse(lines: Iterable[RichText]) -> list[RichText]:
    """Lines without runs of blank ones, and without blank ones at the start."""
    kept: list[RichText] = []
    for line in lines:
        if not line.plain.strip() and (not kept or not kept[-1].plain.strip()):
            continue
        kept.append(line)
    return kept


def flowing(items: Sequence[tuple[str, str]], cells: int, indent: int = INDENT, gap: int = 3) -> list[RichText]:
    """Short items (text, style) in aligned columns across the width, filled row by row (`ls` style)."""
    if not items:
        return []
    item = max(width(t) for t, _s in items)
    per_line = max(1, (cells - indent + gap) // (item + gap))
    lines = []
    for start in range(0, len(items), per_line):
        line = RichText(" " * indent)
        for number, (text, style) in enumerate(items[start:start + per_line]):
            if number:
                line.append(" " * gap)
            line.append(text, style=style)
            line.append(" " * (item - width(text)))
        line.rstrip()
        lines.append(line)
    return lines
