"""`--help` pages fit an 80-column terminal: click counts a Chinese character as one column, a terminal shows it in
two; cli/help.py measures cells. Every command and subcommand, in both languages, at 80 columns and wider."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from ledgercheck.cli import main


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], bool]]:
    """Every command's words, and whether it takes --lang."""
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found.append(((*path, name), any(p.name == "lang" for p in command.params)))
        if isinstance(command, click.Group):
            found += _commands(command, ctx, (*path, name))
    return found


COMMANDS = [((), False), *_commands(main, click.Context(main))]


@pytest.mark.parametrize("columns", ["80", "200"])
@pytest.mark.parametrize("lang", [[], ["--lang", "en"]])
def test_every_help_page_fits_80_cells(columns: str, lang: list[str]) -> None:
    assert len(COMMANDS) > 12
    for path, takes_lang in COMMANDS:
        result = CliRunner().invoke(main, [*path, "--help", *(lang if takes_lang else [])], env={"COLUMNS": columns})
        assert result.exit_code == 0, (path, result.output)
        for line in result.output.splitlines():
            assert cell_len(line) <= 80, (path, cell_len(line), line)
            assert line == line.rstrip(), (path, line)


def test_a_help_page_keeps_its_chinese_whole() -> None:
    """Lines of a docstring are joined without a space between Chinese characters, and no line starts with 、。"""
    output = CliRunner().invoke(main, ["audit", "--help"], env={"COLUMNS": "80"}).output
    assert "一起给出，或给出它们所在的文件夹" in output.replace("\n", "").replace("  ", "")
    assert not [line for line in output.splitlines() if line.strip() and line.strip()[0] in "，。、；：）》」"]
