"""`ledgercheck --help` and `--version` start fast: the heavy libraries are imported only by the commands that use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ["pydantic", "rich", "yaml", "python_calamine", "openpyxl", "xlsxwriter", "cel", "dateutil",
         "ledgercheck.engine.evaluate", "ledgercheck.checks", "dask", "distributed"]


def _imported_after(code: str, modules: list[str] = HEAVY) -> list[str]:
    probe = f"""
import json, sys
{code}
print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_importing_the_cli_imports_nothing_heavy() -> None:
    assert _imported_after("import ledgercheck.cli") == []


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(flag: str) -> None:
    code = f"""
from ledgercheck.cli import main
try:
    main([{flag!r}])
except SystemExit:
    pass
"""
    assert _imported_after(code) == []


def test_the_cel_extension_is_loaded_without_the_cel_command_line_tool() -> None:
    run = subprocess.run([sys.executable, "-c", "import ledgercheck.checks.expression as e, sys; "
                          "print('typer' in sys.modules, 'cel.cli' in sys.modules, callable(e.cel.compile))"],
                         capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "False", "True"]


# A JSON audit of the clean sample, as code for a fresh interpreter (tests/test_prebuilt.py probes it too).
JSON_AUDIT = f"""
from ledgercheck.cli import main
try:
    main(["audit", {str(Path(__file__).resolve().parents[1] / "samples" / "clean.xlsx")!r}, "--as-of", "2026-01-15",
          "--format", "json", "--no-config"])
except SystemExit:
    pass
"""


def test_a_json_audit_imports_only_what_it_uses() -> None:
    code = JSON_AUDIT
    # rich is the table's, openpyxl and xlsxwriter write workbooks, typer is cel's CLI; difflib suggests headers
    # for a sheet that is not understood. The built-in rule pack and alias table come validated from the package
    # (tests/test_prebuilt.py): no YAML is read, and pydantic, which validates, is not even imported
    # (common/spec.py).
    assert _imported_after(code, ["rich", "openpyxl", "xlsxwriter", "typer", "difflib", "yaml", "pydantic",
                                  "pydantic_core", "annotated_types", "importlib.metadata"]) == []
    assert _imported_after(code, ["ledgercheck.checks.dues", "python_calamine"]) == [
        "ledgercheck.checks.dues", "python_calamine"], "the probe sees what the audit imported"


def test_findings_import_without_the_check_kinds() -> None:
    """Reporters, baselines and waivers use findings and results: they need no rule kinds, CEL or pydantic."""
    code = "import ledgercheck.findings.result, ledgercheck.findings.finding, ledgercheck.findings.groups"
    assert _imported_after(code, ["ledgercheck.checks", "ledgercheck.engine", "ledgercheck.rulebook", "cel",
                                  "pydantic", "yaml", "python_calamine"]) == []


def test_help_lists_the_commands_without_importing_them() -> None:
    code = """
from ledgercheck.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
"""
    from ledgercheck.cli import COMMANDS

    modules = sorted({target.split(":")[0] for target in COMMANDS.values()})
    assert _imported_after(code, modules) == []


@pytest.mark.parametrize("width", [50, 80, 120])
def test_help_lists_each_command_as_click_would_from_the_command_itself(width: int) -> None:
    """The summaries kept for --help are the commands' own first paragraphs, shortened the same way."""
    import click

    from ledgercheck.cli import COMMANDS, SUMMARIES, main

    context = click.Context(main, terminal_width=width)
    loaded = {name: main.get_command(context, name) for name in COMMANDS}
    for name, command in loaded.items():
        assert command is not None and not command.hidden and not command.deprecated and not command.short_help
        assert SUMMARIES[name].split() == (command.help or "").partition("\n\n")[0].split(), name
    plain = click.Group("ledgercheck", commands=loaded)
    expected, listed = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
    click.Group.format_commands(plain, click.Context(plain, terminal_width=width), expected)
    main.format_commands(context, listed)
    assert listed.getvalue() == expected.getvalue()
    assert all(name in listed.getvalue() for name in COMMANDS)
