"""Limits other than the defaults reuse the background parse: the preflight's measurements are judged again
under the final limits (preflight.Preflight.under) instead of checking and parsing the workbook a second time.

The straightforward path is the audit without a prefetch, which checks the file from scratch under the final
limits: its output must be the same, byte for byte, on the samples, the malformed corpus and a benchmark
ledger, with limits exceeded and not.
"""

from __future__ import annotations

import dataclasses
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.ledgers import generate as generate_ledger
from ledgercheck.cli import main
from ledgercheck.common.errors import WorkbookError
from ledgercheck.common.limits import Limits
from ledgercheck.ingest import prefetch
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.ingest.preflight import check
from tests.budget import compared_folder, corpus
from tests.conftest import SAMPLE_AS_OF

# Not exceeded by any of the files (max-seconds is not a reading limit at all; the other leaves more room than
# the defaults), then exceeded in each way the preflight judges: rows and cells of a sheet, the file's size,
# the archive's parts, its unpacked size and a part's compression ratio.
WITHIN = [Limits(max_seconds=299), Limits(max_rows=600_000, max_cells=20_000_000)]
EXCEEDED = [Limits(max_rows=5), Limits(max_cells=40), Limits(max_file_size=6 << 10), Limits(max_parts=9),
            Limits(max_unpacked_size=20 << 10), Limits(max_compression_ratio=2)]
ALL = WITHIN + EXCEEDED
# The corpus is read under the limits that judge its sheets and its archive (each file is read twice per set).
CORPUS = [WITHIN[1], Limits(max_rows=5), Limits(max_cells=40), Limits(max_parts=9)]


def _options(limits: Limits) -> list[str]:
    changed = [f for f in fields(Limits) if getattr(limits, f.name) != getattr(Limits(), f.name)]
    return [arg for f in changed for arg in ("--limit", f"{f.name.replace('_', '-')}={getattr(limits, f.name)}")]


def _id(limits: Limits) -> str:
    return " ".join(_options(limits)[1::2])


@pytest.fixture(autouse=True)
def _no_leftover_prefetch():
    yield
    prefetch._pending.clear()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compared_folder(tmp_path_factory.mktemp("limits"))


def _ledgers(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xlsx"))


def _corpus(folder: Path) -> list[Path]:
    return corpus(folder)


def _audit(path: Path, limits: Limits, monkeypatch: pytest.MonkeyPatch, prefetched: bool) -> tuple[int, str]:
    """The JSON audit through the command line, with the background parse or without it."""
    with monkeypatch.context() as patch:
        if not prefetched:  # the straightforward path: every check made under the final limits
            patch.setattr(prefetch, "start", lambda _path: None)
        result = CliRunner().invoke(main, ["audit", str(path), "--format", "json", "--fail-on", "never",
                                           "--as-of", SAMPLE_AS_OF, "--no-config", *_options(limits)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _load(path: Path, limits: Limits, prefetched: bool) -> object:
    """Everything the loader read (records, input problems with their messages) or the reason it could not."""
    if prefetched:
        prefetch.start(path)
    try:
        result = load_ledger(path, limits=limits)
    except WorkbookError as exc:
        return "refused", str(exc.message), exc.location
    finally:
        prefetch._pending.clear()
    ledger = result.ledger
    records = [dataclasses.astuple(r) for sheet in (ledger.orgs, ledger.members, ledger.meetings, ledger.dues,
                                                    ledger.elections, ledger.recruits, ledger.training) for r in sheet]
    return records, [i.to_dict("zh") for i in result.issues], [s.to_dict() for s in result.sheets]


@pytest.mark.parametrize("limits", ALL, ids=_id)
def test_the_audit_gives_what_a_fresh_check_gives(folder: Path, limits: Limits,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = {path.name: _audit(path, limits, monkeypatch, prefetched=False) for path in _ledgers(folder)}
    for path in _ledgers(folder):
        assert _audit(path, limits, monkeypatch, prefetched=True) == outputs[path.name], path.name
    if limits in WITHIN:
        assert all(code == 0 for code, _ in outputs.values())  # --fail-on never: read and audited
    elif limits.max_compression_ratio == Limits().max_compression_ratio:  # no part of these is above 1 MB
        assert any(code == 2 or "INPUT-SHEET-TOO-LARGE" in output for code, output in outputs.values())


@pytest.mark.parametrize("limits", CORPUS, ids=_id)
def test_the_malformed_corpus_reads_as_with_a_fresh_check(folder: Path, limits: Limits) -> None:
    refused = 0
    for path in _corpus(folder):
        fresh = _load(path, limits, prefetched=False)
        assert _load(path, limits, prefetched=True) == fresh, path.name
        refused += fresh[0] == "refused" or "INPUT-SHEET-TOO-LARGE" in repr(fresh)
    assert refused >= (5 if limits in EXCEEDED else 1)


@pytest.mark.parametrize("limits", WITHIN, ids=_id)
def test_limits_not_exceeded_change_nothing(folder: Path, limits: Limits, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in _ledgers(folder):
        assert _audit(path, limits, monkeypatch, prefetched=True) == _audit(path, Limits(), monkeypatch, True), \
            path.name


def test_a_sheet_within_the_final_limits_only_is_read(tmp_path: Path) -> None:
    """A sheet too large for the default limits is not parsed in the background; more generous limits read it."""
    path = generate_ledger("small", tmp_path / "small.xlsx")
    defaults = check(path, path.name, Limits())
    try:
        tight = Limits(max_rows=100)  # the dues and meetings sheets have more rows
        strict = defaults.under(tight)
        assert strict is not None
        judged = {name: strict.sheets[name].too_large for name in strict.sheets}
        fresh = check(path, path.name, tight)
        try:
            assert judged == {name: fresh.sheets[name].too_large for name in fresh.sheets}
            assert any(judged.values())
        finally:
            fresh.close()
        loose = strict.under(Limits())
        assert loose is not None and not any(loose.sheets[name].too_large for name in loose.sheets)
    finally:
        defaults.close()


def test_the_background_never_reads_a_sheet_exactly_that_the_final_limits_let_through(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet whose quick bound is over the default max-rows (here a styled empty row 600,000, as a whole-column
    format leaves) would be read cell by cell under the defaults. With `--limit max-rows=1048576` nothing needs
    that reading: the background must not make it either (issue 19's linearity: +12 s at 4× the large ledger),
    and the audit is the one a fresh check gives."""
    import zipfile

    from ledgercheck.ingest.preflight import _Package

    source = _ledgers(folder)[0]
    path = tmp_path / "far-styled-row.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="600000" ht="20" customHeight="1"/></sheetData>')
            new.writestr(info, data)
    exact_readings: list[str] = []
    original = _Package._filled_extent

    def counted(self: _Package, info: zipfile.ZipInfo) -> tuple[int, int]:
        exact_readings.append(info.filename)
        return original(self, info)

    monkeypatch.setattr(_Package, "_filled_extent", counted)
    generous = Limits(max_rows=1_048_576)
    fresh = _audit(path, generous, monkeypatch, prefetched=False)
    assert exact_readings == []
    assert _audit(path, generous, monkeypatch, prefetched=True) == fresh
    assert exact_readings == []
    assert fresh[0] == 0 and "INPUT-SHEET-TOO-LARGE" not in fresh[1]
    # Under the defaults the reading is needed, once, and it clears the sheet (its cells end far above).
    assert _audit(path, Limits(), monkeypatch, prefetched=True) == _audit(path, Limits(), monkeypatch, False)
    assert exact_readings == ["xl/worksheets/sheet1.xml"] * 2
