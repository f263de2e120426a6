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


def test_a_json_audit_imports_only_what_it_uses() -> None:
    sample = Path(__file__).resolve().parents[1] / "samples" / "clean.xlsx"
    code = f"""
from ledgercheck.cli import main
try:
    main(["audit", {str(sample)!r}, "--as-of", "2026-01-15", "--format", "json", "--no-config"])
except SystemExit:
    pass
"""
    # rich is the table's, openpyxl and xlsxwriter write workbooks, typer is cel's CLI.
    assert _imported_after(code, ["rich", "openpyxl", "xlsxwriter", "typer"]) == []
