"""Fuzzing: random workbooks through the CLI and random rule parameters through the pack loader and engine.

Properties:
- `ledgercheck audit` on any workbook exits 0, 1 or 2 and never shows a traceback;
- nothing is lost: for every sheet, the rows the report counts are exactly the non-empty rows below its header
  (computed here from what was written), each either a record or skipped, and skipped rows and ignored sheets
  come with input issues;
- a rule pack whose parameters were replaced with random values either loads or is a rule-pack error naming the
  file, and a pack that loads never crashes a check.

The CI budget is small (LEDGERCHECK_FUZZ_EXAMPLES, default 25 workbooks and 40 packs, well under 20 s); run a
larger one on demand: `LEDGERCHECK_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py -q -s` prints how
many cases were tried.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ledgercheck.cli import main
from ledgercheck.common.spec import dump
from ledgercheck.ingest.coerce import is_empty
from ledgercheck.model.schema import SHEETS

BUDGET = int(os.environ.get("LEDGERCHECK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=BUDGET, deadline=None, derandomize="LEDGERCHECK_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
TRIED = {"workbooks": 0, "packs": 0, "seconds": 0.0}

# ---------------------------------------------------------------- random workbooks

SHEET_NAMES = ["组织", "党员", "组织生活", "党费", "换届选举", "发展党员", "学习培训", "三会一课记录", "党员花名册",
               "Organizations", "Members", "2025年党费收缴", "Sheet1", "备注", "统计 (2)"]
HEADERS = sorted({f.header for s in SHEETS for f in s.fields} | {f.en for s in SHEETS for f in s.fields}
                 | {"序号", "备注", "", "所在支部", "党员姓名"})
# Legal in a worksheet (openpyxl refuses the other C0 controls; the corpus covers them, escaped as Excel does).
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="".join(map(chr, [*range(0, 9), 11, 12,
                                                                                  *range(14, 32)])),
                             exclude_categories=("Cs",)), max_size=12)
LEDGER_WORDS = ["=1/0", "=A1+1", "=SUM(A1:A3)", "#N/A", "#REF!", "#DIV/0!", "无", "—", "-", "2024年3月5日",
                "二〇二四年三月五日", "2024.3", "20240305", "2024/13/45", "110101198001010014", "13812345678",
                "支部委员会、党课", "正式党员", "预备党员", "B01", "B02", "党支部", "党总支", "全到", "张三、李四",
                "１２３", "３月", "8,000元", " 张　三 ", "true", "nan", "1e400"]
CELL = st.one_of(
    st.none(), st.none(),
    st.integers(-1000, 100_000), st.integers(10**14, 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)), st.dates(dt.date(1800, 1, 1), dt.date(1900, 2, 28)),
    st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2100, 1, 1)), st.times(),
    st.booleans(), TEXT, st.sampled_from(LEDGER_WORDS),
)


@st.composite
def sheet_contents(draw: st.DrawFn) -> dict[str, Any]:
    width = draw(st.integers(1, 9))
    rows: list[list[object]] = [[draw(TEXT)] for _ in range(draw(st.integers(0, 2)))]  # title rows
    rows.append([draw(st.sampled_from(HEADERS)) for _ in range(width)])  # a header, duplicates and blanks allowed
    rows += [[draw(CELL) for _ in range(width)] for _ in range(draw(st.integers(0, 8)))]
    merges = []
    for _ in range(draw(st.integers(0, 2))):
        r0, c0 = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, width - 1))
        r1, c1 = draw(st.integers(r0, len(rows) - 1)), draw(st.integers(c0, width - 1))
        if (r0, c0) != (r1, c1) and all(r1 < a or r0 > b or c1 < c or c0 > d for a, c, b, d in merges):
            merges.append((r0, c0, r1, c1))
    return {"rows": rows, "merges": merges}


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    names = draw(st.lists(st.sampled_from(SHEET_NAMES), min_size=1, max_size=5, unique=True))
    if draw(st.booleans()) and "组织" not in names:  # most workbooks have organizations, so rules run too
        names.insert(0, "组织")
    book = {name: draw(sheet_contents()) for name in names}
    if "组织" in book and draw(st.booleans()):
        book["组织"]["rows"][-1:] = [["组织编号", "组织名称", "组织类型", "上级组织编号", "成立日期"],
                                     ["B01", "第一党支部", draw(st.sampled_from(["党支部", "党总支", "x"])),
                                      draw(st.sampled_from([None, "B01", "D01"])), draw(CELL)]]
    return book


def write(book: dict[str, dict[str, Any]], path: Path) -> dict[str, list[list[object]]]:
    """Write the workbook; return each sheet's grid as the loader should see it (merged ranges filled).

    A merged range fills the rows of the sheet's used range only: rows below the last one holding a value of
    its own hold no data (the reader's used range, taken from the file, says where that is).
    """
    import python_calamine

    out = Workbook()
    out.remove(out.active)
    for name, content in book.items():
        sheet = out.create_sheet(name)
        for r, row in enumerate(content["rows"], start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for r0, c0, r1, c1 in content["merges"]:
            sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    out.save(path)
    reader = python_calamine.CalamineWorkbook.from_path(str(path))
    grids: dict[str, list[list[object]]] = {}
    for name, content in book.items():
        used = len(reader.get_sheet_by_name(name).to_python(skip_empty_area=False))
        grid = [list(row) for row in content["rows"][:used]]
        for r0, c0, r1, c1 in content["merges"]:
            first = content["rows"][r0][c0] if c0 < len(content["rows"][r0]) else None
            for r in range(r0, min(r1 + 1, used)):
                grid[r] += [None] * (c1 + 1 - len(grid[r]))
                for c in range(c0, c1 + 1):
                    grid[r][c] = first
        grids[name] = grid
    reader.close()
    return grids


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.startswith("=") or not is_empty(value)
    return True


def _count(rows: list[list[object]]) -> int:
    return sum(1 for row in rows if any(_filled(v) for v in row))


@FUZZ
@given(workbooks())
def test_any_workbook(book: dict[str, dict[str, Any]]) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        grids = write(book, path)
        result = CliRunner().invoke(main, ["audit", str(path), "--format", "json", "--as-of", "2026-01-15",
                                           "--no-config", "--fail-on", "never"])
    TRIED["workbooks"] += 1
    TRIED["seconds"] += time.perf_counter() - started
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2), result.output  # --fail-on never: 1 is impossible
    if not result.stdout:  # the workbook as a whole cannot be used: one line says why
        assert result.exit_code == 2 and result.stderr.count("\n") >= 1
        return
    doc = json.loads(result.stdout)
    assert doc["internal_errors"] == []
    issues = doc["input_issues"]
    for sheet in doc["sheets"]:
        grid = grids[sheet["name"]]
        below = grid[sheet["header_row"]:] if sheet["header_row"] else grid
        assert sheet["rows"] == _count(below), (sheet, below)
        assert sheet["rows"] == sheet["records"] + sheet["skipped"], sheet
        if sheet["skipped"]:  # an ignored sheet is a notice; skipped rows of a ledger sheet are errors
            levels = {i["level"] for i in issues if i["location"]["sheet"] == sheet["name"]}
            assert ("warning" if sheet["key"] is None else "error") in levels, sheet
    assert (result.exit_code == 2) == any(i["level"] == "error" for i in issues)


# ---------------------------------------------------------------- random rule parameters


def _national_checks() -> list[tuple[str, dict[str, Any]]]:
    from ledgercheck.rulebook.loader import load_rulebook

    book = load_rulebook("national")
    return [(rule_id, dump(loaded.rule.check, json=True, by_alias=True, exclude_none=True))
            for rule_id, loaded in book.rules.items()]


CHECKS = _national_checks()
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-5, 400), st.integers(), st.floats(allow_nan=False), TEXT,
                 st.sampled_from(["month", "quarter", "year", "members", "joined_on", "党支部", "支部委员会",
                                  "gb11643", "{months: 1}", "1/0"]),
                 st.lists(st.sampled_from(["党支部", "支部委员会", "joined_on", "name", 3]), max_size=3),
                 st.fixed_dictionaries({"months": st.integers(-2, 30)}),
                 st.dictionaries(st.sampled_from(["months", "years", "days", "x"]),
                                 st.one_of(st.integers(-3, 40), st.integers()), max_size=2),
                 st.dictionaries(st.sampled_from(["党支部", "党总支", "机关党委"]), st.integers(), max_size=2))


@st.composite
def overrides(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    rule_id, check = draw(st.sampled_from(CHECKS))
    keys = [k for k in check if k != "kind"]
    changes = {key: draw(JUNK) for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True))}
    return rule_id, changes


@pytest.fixture(scope="module")
def small_ledger(tmp_path_factory: pytest.TempPathFactory):
    from ledgercheck.ingest.loader import load_ledger
    from tests.malformed.generate import valid

    path = tmp_path_factory.mktemp("fuzz") / "ledger.xlsx"
    valid(path)
    return load_ledger(path).ledger


@FUZZ
@given(change=overrides())
def test_any_rule_parameters(small_ledger, change: tuple[str, dict[str, Any]]) -> None:
    from ledgercheck.common.errors import RulePackError
    from ledgercheck.engine.evaluate import audit, default_window
    from ledgercheck.rulebook.loader import load_rulebook

    started = time.perf_counter()
    rule_id, params = change
    with tempfile.TemporaryDirectory() as folder:
        pack = Path(folder)
        manifest = {"name": "fuzz", "version": "1", "title": {"zh": "模糊测试", "en": "fuzz"}, "extends": "national",
                    "overrides": {rule_id: {"check": params}}}
        (pack / "pack.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), "utf-8")
        try:
            book = load_rulebook(str(pack))
        except RulePackError as exc:
            assert exc.location is not None and exc.location.file.endswith("pack.yaml"), exc.describe("en")
            return
        finally:
            TRIED["packs"] += 1
            TRIED["seconds"] += time.perf_counter() - started
    result = audit(small_ledger, book, default_window(small_ledger, dt.date(2026, 1, 15)))
    assert [c for c in result.crashes if c.cause == "bug"] == [], (rule_id, params, result.crashes)
