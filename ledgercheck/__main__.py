"""The command `ledgercheck` (the console script) and `python -m ledgercheck`.

`--help` and `--version` alone are answered here, before click and the command line are imported: a first
look at the tool then costs the interpreter's start and one small file. The page is the one click renders at
the usual width (78 columns, in any terminal of 80 or more and in a pipe), stored in data/help.txt by
`python -m ledgercheck.cli.fasthelp`; tests/test_fast_help.py renders it again through click and compares.
Any other width, program name or argument goes to click (ledgercheck.cli.main), which renders it itself.
The process then ends without Python's teardown (`leave`).
"""

from __future__ import annotations

import os
import sys

from ledgercheck import __version__

PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "help.txt")
STORED_PROG = "ledgercheck"  # the program name the stored page was rendered with
WIDE = 80  # click renders 78 columns when the terminal has at least 80


def columns() -> int:
    """The terminal's width as click measures it (shutil.get_terminal_size, without importing shutil)."""
    try:
        found = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        found = 0
    if found <= 0:
        try:
            found = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            found = 0
    return found or 80


def prog_name() -> str | None:
    """The program name click would show (click.utils._detect_program_name), when it is one the stored page
    serves: `ledgercheck` (the console script) or `python -m ledgercheck`; None for anything else."""
    package = getattr(sys.modules.get("__main__"), "__package__", None)
    name = os.path.basename(sys.argv[0]) if sys.argv else ""
    if package in (None, ""):
        return name if name == STORED_PROG else None
    if package == "ledgercheck" and os.path.splitext(name)[0] == "__main__":
        return "python -m ledgercheck"
    return None


def fast_page(args: list[str]) -> str | None:
    """What `ledgercheck ARGS` prints when the arguments are `--version`, `--help` or `-h` and the stored page
    serves this terminal; None when click must answer."""
    if args == ["--version"]:
        return f"ledgercheck, version {__version__}\n"
    if args not in (["--help"], ["-h"]) or columns() < WIDE:
        return None
    prog = prog_name()
    if prog is None:
        return None
    try:
        with open(PAGE, encoding="utf-8") as stream:
            page = stream.read()
    except OSError:
        return None
    usage = f"Usage: {STORED_PROG} "
    if not page.startswith(usage):
        return None
    return f"Usage: {prog} " + page[len(usage):]


def main() -> None:
    page = fast_page(sys.argv[1:]) if sys.stdout is not None else None  # None: descriptor 1 closed; click copes
    if page is not None:
        try:
            sys.stdout.write(page)
            sys.stdout.flush()
        except UnicodeEncodeError:
            pass  # a console that cannot show the page: click knows how to write to it
        except BrokenPipeError:  # `ledgercheck --help | head -1`: as click does, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
        else:
            raise SystemExit(0)
    from ledgercheck.common.gcpause import pause_for_startup

    pause_for_startup()  # importing is no garbage (common/gcpause.py)
    from ledgercheck.cli import main as cli

    try:
        cli()
    except SystemExit as stop:
        leave(stop.code)
    leave(0)


def leave(code: object) -> None:
    """End the process as Python's own exit would, without tearing the interpreter down.

    Freeing every object and module at exit took about 25 ms of a small audit's 0.24 s, for memory the system
    frees anyway. What an exit must still do is done: the functions registered with atexit run (the timing
    hook, multiprocessing's clean-up, a coverage tool's), the standard streams are flushed, and a message given
    as the exit code is printed. Files the commands write are closed where they are written.
    """
    import atexit

    status = code if isinstance(code, int) else 0 if code is None else 1
    if code is not None and not isinstance(code, int) and sys.stderr is not None:
        print(code, file=sys.stderr)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started without that descriptor (a daemon's closed stderr): nothing to flush
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(status)


if __name__ == "__main__":
    main()
