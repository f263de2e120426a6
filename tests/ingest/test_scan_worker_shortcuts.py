"""What a scan worker remembers from one file to the next changes no finding and no input problem.

- Header texts: what a header cell's texts name on a sheet (alias hit, hint, ignored, month) is kept per alias
  table (`understand.HEADER_MEMO`; 0: read afresh every time).
- Values: what a cell value counts as when a column is profiled (a date, a number, which enumerations) is kept
  per values table (`profile.SHARED`; False: counted afresh). Naming an organization is not kept: it depends on
  the workbook. And columns are profiled a column at a time (`profile.COLUMNWISE`; False: cell by cell).
- Coerced values: what a cell value was coerced to for a field is kept per alias table (`loader.SHARED_VALUES`;
  False: coerced afresh in every file); a name's, ID number's, phone's or text's cell is coerced by its type's
  function alone (`loader.DIRECT`; False: through everything `_coerce` looks at).
- Required values: a `fields` rule first looks for an empty value a column at a time, and looks at no record
  when there is none (`fields.BY_COLUMN`; False: every record looked at).
- Merged cells: calamine parses a copy of the package whose worksheets start with an empty <mergeCells>, and the
  safety scan lists the merged cells (`shadow.SHADOW`; False: calamine reads the file and its merged cells).
- Verdicts of `expression` rules: kept across audits by rule, as-of date and the values the expressions name, where
  those say nothing of a person (`expression.SHARED`; False: each audit evaluates afresh).
- Pure text functions with a cache: whether a short text is an empty marker (`coerce._empty_text`), the
  English form of an article reference (`i18n.article_en`).

The JSON of `audit` and what the scan's worker returns are compared, with all of these on (twice, the second
time with everything the first pass remembered) and all off, on the samples, the malformed corpus, the small
benchmark ledger and two realistic units (benchmarks.ledgers' "unit" size), in one process, in that order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.ledgers import generate as generate_ledger
from ledgercheck.app.config import Settings
from ledgercheck.checks import expression, fields
from ledgercheck.cli import main
from ledgercheck.ingest import coerce, loader, profile, shadow, understand
from ledgercheck.ingest.aliases import AliasTable, load_aliases
from ledgercheck.model.schema import ENUMS
from ledgercheck.rulebook import loader as rulebook_loader
from ledgercheck.scan import worker
from tests.budget import FULL, compared_folder, corpus
from tests.conftest import SAMPLE_AS_OF


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = compared_folder(tmp_path_factory.mktemp("worker-shortcuts"))
    for seed in (1, 2):
        generate_ledger("unit", folder / f"unit-{seed}.xlsx", seed=seed)
    return [*sorted(folder.glob("*.xlsx")), *corpus(folder)]


def _straightforward(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(understand, "HEADER_MEMO", 0)
    patch.setattr(shadow, "SHADOW", False)
    patch.setattr(understand, "HEADER_BOUND", False)
    patch.setattr(profile, "SHARED", False)
    patch.setattr(profile, "COLUMNWISE", False)
    patch.setattr(loader, "SHARED_VALUES", False)
    patch.setattr(loader, "DIRECT", False)
    patch.setattr(fields, "BY_COLUMN", False)
    patch.setattr(expression, "SHARED", False)
    patch.setattr(expression, "_VERDICTS", {})
    patch.setattr(coerce, "_empty_text", coerce._empty_text.__wrapped__)
    patch.setattr(rulebook_loader, "article_en", rulebook_loader.article_en.__wrapped__)


def _outcomes(files: list[Path]) -> list[tuple[str, str, str]]:
    """Per file: the audit's JSON (Chinese; English too for the ledgers) and what the scan's worker returns,
    timings aside."""
    worker.init_worker(Settings(as_of=dt.date.fromisoformat(SAMPLE_AS_OF)))
    gc.unfreeze()  # a worker keeps its start-up out of collections; this test process is no worker
    found = []
    for path in files:
        outputs = []
        for lang in ("zh", "en") if path.parent.name != "malformed" else ("zh",):  # English: the ledgers
            result = CliRunner().invoke(main, ["audit", str(path), "--format", "json", "--fail-on", "never",
                                               "--as-of", SAMPLE_AS_OF, "--no-config", "--lang", lang])
            assert result.exception is None or isinstance(result.exception, SystemExit), result.output
            outputs.append(f"{result.exit_code}\n{result.output}")
        summary = dataclasses.asdict(worker.scan_file(str(path), path.name))
        summary.pop("seconds")
        found.append((outputs[0], outputs[-1], json.dumps(summary, default=str, ensure_ascii=False)))
    return found


def test_what_a_worker_remembers_changes_nothing(files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        _straightforward(patch)
        plain = _outcomes(files)
    remembered = _outcomes(files)
    warm = _outcomes(files)  # everything the first pass kept is there now
    for path, a, b, c in zip(files, plain, remembered, warm, strict=True):
        assert b == a, path.name
        assert c == a, path.name
    audited = [json.loads(z.split("\n", 1)[1]) for z, _e, _s in plain if z.startswith(("0\n", "1\n"))]
    assert len(audited) >= 8 and sum(len(a["findings"]) for a in audited) > 20
    assert sum(len(a["input_issues"]) for a in audited) >= (10 if FULL else 4)  # the corpus: input problems compared
    assert sum(json.loads(s)["status"] == "unreadable" for _z, _e, s in plain) >= 3


def test_the_memos_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan of thousands of files must not grow a worker without end: a full memo starts again."""
    monkeypatch.setattr(profile, "MEMO", 50)
    values = {"member_kind": {"正式党员": "正式党员"}}
    for start in range(0, 400, 40):
        found = profile.profile([f"张{i}" for i in range(start, start + 40)] + ["正式党员"] * 10, values)
        assert found.values == 50 and found.enums == {"member_kind": 10}
        assert len(profile._memo_of[0][2]) <= 50


def test_what_is_kept_across_files_is_dates_numbers_and_enumerations_never_personal_data() -> None:
    """A web worker serves many people with one alias table: no name, ID number or phone of one upload may stay
    in it for the next (and such values rarely recur across units anyway)."""
    from ledgercheck.ingest.aliases import load_aliases
    from ledgercheck.ingest.loader import SHARED_TYPES, load_ledger
    from tests.conftest import SAMPLES

    table = load_aliases()
    load_ledger(SAMPLES / "violations.xlsx", aliases=table)
    kept = {spec.key: memo for spec, memo in table.value_memo.items() if memo}
    assert {"date", "joined_on", "month"} <= set(kept)  # dates and months recur: kept
    assert all(spec.type in SHARED_TYPES for spec in table.value_memo)
    assert not {"name", "id_number", "phone"} & set(kept)
    texts = [raw for memo in kept.values() for (_cls, raw) in memo if isinstance(raw, str)]
    assert not any(len(text) >= 11 and text[:11].isdigit() for text in texts)  # no ID or mobile numbers


def test_expression_verdicts_kept_across_audits_are_bounded_and_name_nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule's verdicts outlive the audit only where the values they are keyed by are counts, dates and known
    enumerations; a rule naming free text (a post) keeps them for its audit alone; a full table starts again."""
    from ledgercheck.app.config import Settings
    from ledgercheck.app.context import Context
    from tests.conftest import SAMPLES

    monkeypatch.setattr(expression, "_VERDICTS", {})
    monkeypatch.setattr(expression, "VERDICTS_KEPT", 3)
    context = Context.build(Settings(as_of=dt.date.fromisoformat(SAMPLE_AS_OF)))
    across = {rule_id for rule_id, loaded in context.rulebook.rules.items()
              if loaded.rule.check.kind == "expression" and loaded.rule.check._across}
    assert "MEET-COMMITTEE-QUORUM-HALF" in across  # kinds of meeting, counts, the committee's size
    assert "MEMB-PROBATIONARY-NO-POST" not in across  # 党内职务 is free text
    for name in ("violations.xlsx", "clean.xlsx"):
        context.judge(context.read(SAMPLES / name, name))
    kept = expression._VERDICTS
    assert kept and all(len(verdicts) <= 3 for _params, verdicts in kept.values())
    known = {value for values in ENUMS.values() for value in values}
    for (_id, _as_of, org_key), (_params, verdicts) in kept.items():
        for key in verdicts:
            for value in (*org_key, *key):
                assert not isinstance(value, str) or value in known or value[:4].isdigit(), value
                assert not isinstance(value, tuple) or set(value) <= known, value


def test_a_worker_keeps_what_it_starts_with_out_of_collections() -> None:
    """The modules, rule pack and alias table live as long as the worker: frozen once it is initialized."""
    import subprocess
    import sys

    code = ("import datetime as dt, gc\n"
            "from ledgercheck.app.config import Settings\n"
            "from ledgercheck.scan.worker import init_worker\n"
            "before = gc.get_freeze_count()\n"
            "init_worker(Settings(as_of=dt.date(2026, 1, 15)))\n"
            "print(before, gc.get_freeze_count() > 10000)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert run.stdout.split() == ["0", "True"]


def test_a_dask_worker_forgets_the_last_scan_s_texts_when_another_scan_starts() -> None:
    """A Dask cluster may run one inspector's scan after another's: a worker thread that takes a task of a new
    scan forgets the cell texts the last one remembered (ingest/remembered.py); within one scan it keeps them."""
    from ledgercheck.ingest.remembered import remembered_texts
    from tests.conftest import SAMPLES

    settings = Settings(as_of=dt.date.fromisoformat(SAMPLE_AS_OF))
    worker._per_thread.__dict__.pop("held", None)
    first = worker.scan_task(settings, "scan-1", str(SAMPLES / "violations.xlsx"), "a.xlsx")
    context = worker._per_thread.held[1]
    forgotten: list[int] = []
    context.forget = lambda: forgotten.append(remembered_texts(context.aliases))  # type: ignore[method-assign]
    worker.scan_task(settings, "scan-1", str(SAMPLES / "clean.xlsx"), "b.xlsx")
    assert forgotten == []  # the same scan: kept
    second = worker.scan_task(settings, "scan-2", str(SAMPLES / "violations.xlsx"), "a.xlsx")
    assert len(forgotten) == 1 and forgotten[0] > 0 and worker._per_thread.held[0] == "scan-2"
    assert dataclasses.replace(first, seconds=0) == dataclasses.replace(second, seconds=0)
    worker._per_thread.__dict__.pop("held", None)


_HEADER_TEXTS = st.sampled_from(["", "", "姓名", "身份证号", "所在党支部", "党员类别", "缴费月份", "应缴金额", "实缴金额",
                                 "1月", "2月", "三月", "2024-01", "2024年5月", "备注", "序号", "会议类型", "日期",
                                 "张三", "正式党员", "2024-03-05", "120", "第一党支部", "主持人", "参加人数"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_HEADER_TEXTS, max_size=9), min_size=1, max_size=8),
       st.sampled_from(["members", "meetings", "dues", "orgs"]), st.sampled_from([None, 2024]), st.integers(1, 3))
def test_the_header_search_skips_only_rows_that_cannot_win(rows: list[list[str]], key: str, year: int | None,
                                                           least: int) -> None:
    """A candidate row whose every column naming a field (and a dues sheet's month bonus) would still not beat the
    best so far is not read: the search finds the same header as when it reads every row."""
    table = _aliases()
    bounded = understand._find_header(understand._Texts(rows), key, table, year, least)
    saved = understand.HEADER_BOUND
    understand.HEADER_BOUND = False
    try:
        assert understand._find_header(understand._Texts(rows), key, table, year, least) == bounded
    finally:
        understand.HEADER_BOUND = saved


@functools.cache
def _aliases() -> AliasTable:
    return load_aliases()
