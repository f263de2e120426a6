"""The stored `ledgercheck --help` page (data/help.txt) that ledgercheck/__main__.py prints without importing
click: rendered here by click itself, at the width a terminal of 80 columns or more gets.

    python -m ledgercheck.cli.fasthelp          # write it again after changing the command line's help
    python -m ledgercheck.cli.fasthelp --check  # exit 1 when it differs from what click renders now
"""

from __future__ import annotations

import os
import subprocess
import sys

from ledgercheck.__main__ import PAGE, STORED_PROG


def render(columns: int = 200, prog: str = STORED_PROG) -> str:
    """`ledgercheck --help` as click renders it for a terminal `columns` wide and the program name `prog`."""
    code = f"from ledgercheck.cli import main; main(['--help'], prog_name={prog!r})"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                         env={**os.environ, "COLUMNS": str(columns)}, check=True)
    return run.stdout


def stored() -> str | None:
    try:
        with open(PAGE, encoding="utf-8") as stream:
            return stream.read()
    except OSError:
        return None


def main(argv: list[str]) -> int:
    page = render()
    if "--check" in argv:
        if stored() != page:
            print(f"{PAGE} is stale: run python -m ledgercheck.cli.fasthelp", file=sys.stderr)
            return 1
        return 0
    with open(PAGE, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(page)
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
