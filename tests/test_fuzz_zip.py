"""Fuzzing the package, not the cells: random changes to an .xlsx's zip structure and part names.

An .xlsx is a zip of XML parts found through relationship files; the reader (calamine) and the preflight that
guards it must agree on which part is which, and a crafted archive must never take the process down. Each case
takes the clean sample and applies one to three mutations: parts renamed in another letter case or with
backslashes, relationship targets rewritten (case, backslashes, `..`, absolute), entries duplicated or dropped,
a far cell (XFD1048576) put into a sheet, a part's bytes replaced or cut, junk entries added. Every case is audited
in a child process under a memory cap and a time limit.

Properties: the process ends by itself (no signal, no abort) within the limit, exits 0, 1 or 2, never prints a
traceback, and an exit 2 says why (on stderr, or as input problems in the report).

CI tries a few cases (LEDGERCHECK_FUZZ_EXAMPLES, at most 12 here); a long run:
`LEDGERCHECK_FUZZ_EXAMPLES=500 python -m pytest tests/test_fuzz_zip.py -q -s` (README, Testing).
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import CLEAN

BUDGET = min(int(os.environ.get("LEDGERCHECK_FUZZ_EXAMPLES", "12")), 12) \
    if "LEDGERCHECK_FUZZ_EXAMPLES" not in os.environ else int(os.environ["LEDGERCHECK_FUZZ_EXAMPLES"])
MEMORY = 3 << 30  # bytes of address space for the audit: a runaway allocation fails instead of swapping
SECONDS = 60
TRIED = {"cases": 0, "seconds": 0.0}
FAR_ROW = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(CLEAN) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


BASE = _parts()
SHEETS = sorted(n for n in BASE if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _recase(name: str) -> str:
    return name.upper() if name != name.upper() else name.lower()


def mutate(parts: list[tuple[str, bytes]], kind: str, pick: int, data: bytes) -> list[tuple[str, bytes]]:
    """One mutation of the archive's entries (a list: duplicates are possible)."""
    names = [n for n, _ in parts]
    sheets = [i for i, n in enumerate(names) if n.lower().startswith("xl/worksheets/") and n.lower().endswith(".xml")]
    index = sheets[pick % len(sheets)] if sheets else pick % len(parts)
    name, body = parts[index]
    out = list(parts)
    if kind == "recase-part":
        out[index] = (_recase(name), body)
    elif kind == "backslash-part":
        out[index] = (name.replace("/", "\\"), body)
    elif kind == "recase-target" or kind == "backslash-target" or kind == "dotdot-target" or kind == "absolute":
        for i, (n, b) in enumerate(out):
            if n.lower().endswith("workbook.xml.rels"):
                text = b.decode("utf-8", "replace")

                def change(m: re.Match[str]) -> str:
                    target = m.group(1)
                    if kind == "recase-target":
                        target = _recase(target)
                    elif kind == "backslash-target":
                        target = target.replace("/", "\\")
                    elif kind == "dotdot-target":
                        target = target.replace("worksheets/", "worksheets/../worksheets/")
                    else:
                        target = "/xl/" + target.lstrip("/")
                    return f'Target="{target}"'

                out[i] = (n, re.sub(r'Target="([^"]*worksheets[^"]*)"', change, text, count=1 + pick % 3).encode())
    elif kind == "duplicate":
        out.insert(index + 1, (name, body))
    elif kind == "drop":
        del out[pick % len(out)]
    elif kind == "far-cell" and sheets:
        text = body.decode("utf-8", "replace")
        out[index] = (name, text.replace("</sheetData>", FAR_ROW + "</sheetData>", 1).encode())
    elif kind == "far-cell-twin" and sheets:  # the far cell in a second entry under the other spelling
        text = body.decode("utf-8", "replace").replace("</sheetData>", FAR_ROW + "</sheetData>", 1)
        out.append((name.replace("/", "\\") if pick % 2 else _recase(name), text.encode()))
    elif kind == "replace":
        out[index] = (name, data)
    elif kind == "cut":
        out[index] = (name, body[: max(1, len(body) * (pick % 9 + 1) // 10)])
    elif kind == "junk":
        out += [(f"xl/junk/{i}{'/' * (pick % 2)}.xml", data) for i in range(1 + pick % 50)]
    return out


KINDS = ["recase-part", "backslash-part", "recase-target", "backslash-target", "dotdot-target", "absolute",
         "duplicate", "drop", "far-cell", "far-cell-twin", "replace", "cut", "junk"]
MUTATIONS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 1000), st.binary(max_size=200)),
                     min_size=1, max_size=3)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def write(path: Path, parts: list[tuple[str, bytes]]) -> None:
    import warnings

    with warnings.catch_warnings():  # a duplicate name is the point of some cases
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, body in parts:
                archive.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), body)


@settings(max_examples=BUDGET, deadline=None, derandomize="LEDGERCHECK_FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow])
@given(MUTATIONS)
def test_a_mutated_archive_never_takes_the_process_down(mutations: list[tuple[str, int, bytes]]) -> None:
    parts = list(BASE.items())
    for kind, pick, data in mutations:
        parts = mutate(parts, kind, pick, data)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.xlsx"
        write(path, parts)
        run = subprocess.run([sys.executable, "-m", "ledgercheck", "audit", str(path), "--as-of", SAMPLE_AS_OF,
                              "--format", "json", "--no-config"], capture_output=True, text=True, timeout=SECONDS,
                             preexec_fn=_limits, env={**os.environ, "RUST_BACKTRACE": "0"})
    TRIED["cases"] += 1
    TRIED["seconds"] += time.perf_counter() - started
    described = [kind for kind, _pick, _data in mutations]
    assert run.returncode in (0, 1, 2), (described, run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, (described, run.stderr[-2000:])
    if run.returncode == 2:  # unusable: a message on stderr, or the report's input problems say why
        report = json.loads(run.stdout) if run.stdout.strip() else None
        assert run.stderr.strip() or (report and (report["input_issues"] or report["internal_errors"])), described


def test_the_mutations_reach_the_defences() -> None:
    """The generator is not idle: each kind changes the archive, and a far cell under the other spelling of a
    sheet's name is refused with a message (the reader would take it; the preflight must measure it)."""
    for kind in KINDS:
        assert mutate(list(BASE.items()), kind, 3, b"<x/>") != list(BASE.items()), kind
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "twin.xlsx"
        write(path, mutate(list(BASE.items()), "far-cell-twin", 1, b""))
        run = subprocess.run([sys.executable, "-m", "ledgercheck", "audit", str(path), "--as-of", SAMPLE_AS_OF,
                              "--no-config"], capture_output=True, text=True, timeout=SECONDS, preexec_fn=_limits)
    assert run.returncode == 2 and "Traceback" not in run.stderr
