"""Regenerate the examples in the docs from the commands they show, so they cannot drift.

    python docs/examples.py            # rewrite every example block in docs/*.md
    python docs/examples.py --check    # exit 1 if a block is stale (tests/test_docs_examples.py)

An example block in a Markdown file is

    <!-- example: NAME -->
    ...anything: replaced...
    <!-- /example -->

and NAME is a command below (run from the repository root, its output shown after `$ command`) or a function.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

COMMANDS: dict[str, list[str]] = {
    "explain-committee": ["ledgercheck", "explain", "MEET-COMMITTEE-MONTHLY"],
    "inspect-own-roster": ["ledgercheck", "inspect", "samples/own-roster.xlsx"],
    "audit-own-roster-aliases": ["ledgercheck", "audit", "samples/own-roster.xlsx", "--aliases",
                                 "samples/own-roster-aliases.yaml", "--as-of", "2026-01-15", "--select", "ORG-,DEV-"],
}


def _corpus_table() -> str:
    sys.path.insert(0, str(ROOT))
    from tests.corpus.measure import measure_all, table

    return table(measure_all())


# A client of the web API, run against a real server (tests/web/server.py) on a free port in place of 8765.
API_CLIENT = """\
import httpx

with open("samples/violations.xlsx", "rb") as ledger:
    response = httpx.post("http://127.0.0.1:8765/api/audit", files={"files": ("violations.xlsx", ledger)},
                          data={"as_of": "2026-01-15"}, timeout=120)
audit = response.json()
print(response.status_code, "exit code:", response.headers["X-Ledgercheck-Exit-Code"])
print(audit["summary"])
first = audit["findings"][0]
print(first["rule"]["id"], first["location"]["sheet"], first["location"]["row"], first["message"])
"""

def _api_client() -> str:
    import contextlib
    import io
    import os

    sys.path.insert(0, str(ROOT))
    from tests.web.server import running

    output = io.StringIO()
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        with running(workers=1) as base, contextlib.redirect_stdout(output):
            exec(API_CLIENT.replace("http://127.0.0.1:8765", base), {})  # noqa: S102 - our own example, not input
    finally:
        os.chdir(here)
    return f"```python\n{API_CLIENT}```\n\nprints\n\n```text\n{output.getvalue()}```\n"


def _run(*args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "ledgercheck", *args], cwd=ROOT, capture_output=True, text=True,
                         encoding="utf-8")
    return "\n".join(line.rstrip() for line in (run.stdout + run.stderr).rstrip("\n").splitlines())


def _audit_excerpt() -> str:
    """The sample's audit as the terminal shows it: the header, the first branch, the summary."""
    command = "ledgercheck audit samples/violations.xlsx --as-of 2026-01-15"
    lines = _run(*command.split()[1:]).splitlines()
    branch = next(i for i, line in enumerate(lines) if "（B01）" in line)
    end = next(i for i in range(branch + 1, len(lines)) if "（" in lines[i] and "）" in lines[i]
               and not lines[i].startswith(" "))
    shown = lines[:3] + lines[branch:end] + ["…", lines[-1]]
    return f"```text\n$ {command}\n" + "\n".join(shown).replace("\n\n…", "\n…") + "\n```\n"


def _remind_excerpt() -> str:
    """Reminders: the header, the first items, the last one and the count."""
    command = "ledgercheck remind samples/violations.xlsx --as-of 2026-01-15 --within 60d"
    lines = _run(*command.split()[1:]).splitlines()
    rule = next(i for i, line in enumerate(lines) if line.lstrip().startswith("─"))
    starts = [i for i in range(rule + 1, len(lines)) if lines[i][:14].strip()[:4].isdigit()]
    last_item = starts[-1]
    end = next(i for i in range(last_item, len(lines)) if not lines[i].strip())
    shown = lines[:rule + 1] + lines[starts[0]:starts[3]] + ["  …"] + lines[last_item:end] + ["", lines[-1]]
    return f"```text\n$ {command}\n" + "\n".join(shown) + "\n```\n"


def _annotate_comment() -> str:
    """The comment the marked-up copy puts on 组织!A3 (办公室党支部)."""
    import tempfile

    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "copy.xlsx"
        _run("audit", "samples/violations.xlsx", "--as-of", "2026-01-15", "--annotate", str(out))
        comment = load_workbook(out)["组织"]["A3"].comment
    return "```text\n" + (comment.text.rstrip() if comment else "") + "\n```\n"


FUNCTIONS: dict[str, Callable[[], str]] = {"corpus-table": _corpus_table, "api-client": _api_client,
                                           "audit-excerpt": _audit_excerpt, "remind-excerpt": _remind_excerpt,
                                           "annotate-comment": _annotate_comment}
DOCUMENTS = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
BLOCK = re.compile(r"(<!-- example: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /example -->)", re.S)


def render(name: str) -> str:
    if name in FUNCTIONS:
        return FUNCTIONS[name]()
    command = COMMANDS[name]
    run = subprocess.run([sys.executable, "-m", "ledgercheck", *command[1:]], cwd=ROOT, capture_output=True,
                         text=True, encoding="utf-8", env=None)
    output = "\n".join(line.rstrip() for line in (run.stdout + run.stderr).rstrip("\n").splitlines())
    return f"```text\n$ {' '.join(command)}\n{output}\n```\n"


def refresh(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + render(m.group("name")) + m.group(4), text)


def main(check: bool = False) -> int:
    stale = []
    for path in DOCUMENTS:
        text = path.read_text("utf-8")
        if "<!-- example:" not in text:
            continue
        new = refresh(text)
        if new != text:
            stale.append(path.name)
            if not check:
                path.write_text(new, "utf-8")
    if stale:
        print(("stale: " if check else "updated: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
