"""`--help` pages that fit the terminal: click measures a Chinese character as one column, a terminal shows it in
two, so click's own pages ran past 80 columns. This formatter measures cells (common/wrap.py) and breaks lines by
the Chinese rules; a docstring's lines are joined without a space between two Chinese characters.

Only `re` and `unicodedata` are imported: `--help` stays fast (tests/test_startup_imports.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import click

from ledgercheck.common.wrap import char_width, width, wrap

# click's own help texts, in both languages like ours
OWN = {"Show this message and exit.": "显示本帮助并退出 / show this message and exit",
       "Show the version and exit.": "显示版本号并退出 / show the version and exit"}


def _join(lines: Sequence[str]) -> str:
    """A paragraph's source lines as one: a space between them, but not between two Chinese characters."""
    text = ""
    for line in lines:
        line = line.strip()
        if text and line and not (char_width(text[-1]) == 2 and char_width(line[0]) == 2):
            text += " "
        text += line
    return text


def _paragraphs(text: str) -> list[tuple[int, bool, str]]:
    """(indent, kept as written, text) of each paragraph, as click reads them (`\\b` keeps a paragraph's lines)."""
    found: list[tuple[int, bool, str]] = []
    block: list[str] = []
    indent: int | None = None

    def flush() -> None:
        if block:
            if block[0].strip() == "\b":
                found.append((indent or 0, True, "\n".join(block[1:])))
            else:
                found.append((indent or 0, False, _join(block)))
        block.clear()

    for line in text.expandtabs().splitlines():
        if not line.strip():
            flush()
            indent = None
            continue
        if indent is None:
            indent = len(line) - len(line.lstrip())
        block.append(line)
    flush()
    return found


def wrap_text(text: str, cells: int, initial: str = "", subsequent: str = "", paragraphs: bool = False) -> str:
    """click.formatting.wrap_text, measured in cells and broken by the Chinese rules."""
    found = _paragraphs(text) if paragraphs else [(0, False, _join(text.expandtabs().splitlines()))]
    out = []
    for indent, kept, body in found:
        first, later = initial + " " * indent, subsequent + " " * indent
        if kept:
            out.append("\n".join(later + line for line in body.splitlines()))
            continue
        lines = wrap(body, cells - width(first), later=cells - width(later))
        out.append("\n".join((first if number == 0 else later) + line for number, line in enumerate(lines)))
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """click's formatter, in terminal cells."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = "Usage: "
        usage = f"{prefix:>{self.current_indent}}{prog} "
        cells = self.width - self.current_indent
        if not args:
            self.write(usage.rstrip(" ") + "\n")
        elif cells >= width(usage) + 20:
            self.write(wrap_text(args, cells, usage, " " * width(usage)) + "\n")
        else:
            indent = " " * (max(self.current_indent, width(prefix)) + 4)
            self.write(usage.rstrip(" ") + "\n" + wrap_text(args, cells, indent, indent) + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_text(text, self.width, indent, indent, paragraphs=True) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, OWN.get(second, second)) for first, second in rows]
        first_col = min(max((width(first) for first, _s in rows), default=0), col_max) + col_spacing
        margin = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + margin)
            lines = wrap_text(second, max(self.width - first_col - self.current_indent, 10),
                              paragraphs=True).splitlines()
            self.write("\n".join((margin if number else "") + line if line else ""
                                 for number, line in enumerate(lines)) + "\n")


class Context(click.Context):
    formatter_class = HelpFormatter


def use_cell_help(command: Any) -> Any:
    """`command` (and a group's subcommands) formatting its help in cells."""
    command.context_class = Context
    for sub in getattr(command, "commands", {}).values():
        use_cell_help(sub)
    return command
