"""`ledgercheck --help` and `--version` answered before click is imported (ledgercheck/__main__.py): the same
page click renders, for the console script and `python -m ledgercheck`, in a wide terminal and a pipe; click
itself answers a narrower terminal, another program name or any other argument."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from ledgercheck.__main__ import PAGE, columns, fast_page
from ledgercheck.cli import fasthelp

# Runs ledgercheck/__main__.main as the console script does (`from ledgercheck.__main__ import main`, argv[0] the
# script's name), then reports whether click was imported, on the last line of stderr (at exit, which `leave`
# keeps).
_CONSOLE = """
import atexit, sys
atexit.register(lambda: print("click imported:", "click" in sys.modules, file=sys.stderr))
sys.argv = ["/usr/local/bin/ledgercheck", *{args!r}]
from ledgercheck.__main__ import main
main()
"""


def _run(args: list[str], columns: int | None = None, module: bool = False) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    command = [sys.executable, "-m", "ledgercheck", *args] if module else [
        sys.executable, "-c", _CONSOLE.format(args=args)]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)


def test_the_stored_page_is_the_one_click_renders_now() -> None:
    """Fails after a change to the command line's help until `python -m ledgercheck.cli.fasthelp` is run."""
    assert fasthelp.stored() == fasthelp.render(), "run python -m ledgercheck.cli.fasthelp"


@pytest.mark.parametrize("width", [80, 200])
def test_the_console_script_prints_clicks_page_without_importing_click(width: int) -> None:
    run = _run(["--help"], columns=width)
    assert run.returncode == 0
    assert run.stdout == fasthelp.render(width)
    assert run.stdout.startswith("Usage: ledgercheck [OPTIONS] COMMAND [ARGS]...\n")
    assert "audit     检查一个单位的台账" in run.stdout
    assert run.stderr.strip().splitlines()[-1] == "click imported: False"


def test_python_dash_m_gets_its_own_program_name() -> None:
    run = _run(["-h"], columns=120, module=True)
    assert run.returncode == 0
    assert run.stdout == fasthelp.render(120, prog="python -m ledgercheck")
    assert run.stdout.startswith("Usage: python -m ledgercheck [OPTIONS]")


def test_a_narrow_terminal_gets_the_page_from_click() -> None:
    run = _run(["--help"], columns=60)
    assert run.returncode == 0
    assert run.stdout == fasthelp.render(60)
    assert max(len(line) for line in run.stdout.splitlines()) < 60 < max(
        len(line) for line in fasthelp.stored().splitlines())  # type: ignore[union-attr]
    assert run.stderr.strip().splitlines()[-1] == "click imported: True"


def test_version_is_clicks_and_anything_else_goes_to_click() -> None:
    fast, slow = _run(["--version"]), _run(["--version", "--help"])
    assert fast.returncode == 0 and fast.stdout == "ledgercheck, version 0.1.0\n"
    assert fast.stderr.strip().splitlines()[-1] == "click imported: False"
    clicks = subprocess.run([sys.executable, "-c", "from ledgercheck.cli import main; main(['--version'])"],
                            capture_output=True, text=True, check=True)
    assert fast.stdout == clicks.stdout.replace("-c, version", "ledgercheck, version")
    assert slow.returncode == 0 and slow.stdout == fast.stdout
    assert slow.stderr.strip().splitlines()[-1] == "click imported: True"
    assert fast_page(["audit", "--help"]) is None and fast_page([]) is None and fast_page(["--help", "-h"]) is None


def test_no_arguments_show_the_page_not_an_error() -> None:
    run = _run([], columns=100)
    assert run.returncode == 2  # as click: a command is missing
    assert run.stdout == ""
    assert run.stderr.startswith("Usage: ledgercheck [OPTIONS] COMMAND [ARGS]...\n")
    assert "错误" not in run.stderr and "Commands:" in run.stderr
    group = _run(["rules"], columns=100)
    assert group.returncode == 2 and group.stderr.startswith("Usage: ledgercheck rules [OPTIONS] COMMAND")
    assert "错误" not in group.stderr and "list" in group.stderr


def test_a_closed_pipe_ends_quietly() -> None:
    env = {**os.environ, "COLUMNS": "100"}
    code = _CONSOLE.format(args=["--help"]).replace("main()\n", "try:\n    main()\nexcept SystemExit as e:\n"
                                                    "    print('exit', e.code, file=sys.stderr)\n")
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader went away before the page was written
        errors = process.stderr.read().decode()
    assert "Traceback" not in errors and "exit 1" in errors


@pytest.mark.parametrize("environ", [{}, {"COLUMNS": "100"}, {"COLUMNS": "0"}, {"COLUMNS": "x"},
                                     {"COLUMNS": "-5"}, {"COLUMNS": "79", "LINES": "30"}])
def test_the_width_is_measured_as_shutil_measures_it(environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert columns() == shutil.get_terminal_size().columns


def test_the_page_ships_with_the_package() -> None:
    assert os.path.isfile(PAGE) and PAGE.endswith(os.path.join("ledgercheck", "data", "help.txt"))
