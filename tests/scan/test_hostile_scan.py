"""Issue 18 (part 3): one bad entry never aborts or hangs a scan, and a terminated scan leaves nothing behind.

A FIFO named x.xlsx, a link to /dev/zero and a symlink loop are error rows (only regular files are read, by
`audit` too); a GBK file name is audited and shown escaped; a file that takes longer than `--limit max-seconds` is
stopped and reported; a report that cannot be written goes to a fallback file the message names; SIGTERM ends the
workers and removes the temporary store.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledgercheck.app.config import Settings
from ledgercheck.app.context import Context
from ledgercheck.cli import main
from ledgercheck.common.limits import Limits
from ledgercheck.findings.scan.store import ScanStore
from ledgercheck.findings.scan.summary import FileResult
from ledgercheck.scan.discover import discover
from ledgercheck.scan.runner import run_scan
from tests.conftest import ROOT, SAMPLE_AS_OF, SAMPLES
from tests.hostile_files import FULL, device, ledger, non_utf8_name

GBK = "台账".encode("gbk")  # b"\xcc\xa8\xd5\xcb": not UTF-8


def scan(*args: object) -> Result:
    return CliRunner().invoke(main, ["scan", *(str(a) for a in args), "--no-config", "--as-of", SAMPLE_AS_OF,
                                     "--quiet", "--jobs", "1"])


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder of unit workbooks among hostile entries named like workbooks."""
    folder = tmp_path / "units"
    folder.mkdir()
    ledger(folder / "a.xlsx")
    os.mkfifo(folder / "fifo.xlsx")
    (folder / "zero.xlsx").symlink_to("/dev/zero")
    (folder / "loop.xlsx").symlink_to("loop.xlsx")
    ledger(non_utf8_name(folder, GBK))
    return folder


def test_hostile_entries_are_error_rows_and_the_scan_finishes(hostile: Path) -> None:
    started = time.perf_counter()
    result = scan(hostile, "--format", "json")
    assert time.perf_counter() - started < 60
    assert result.exit_code == 2, result.output  # some files could not be read
    assert "Traceback" not in result.output and "内部错误" not in result.output
    rows = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    escaped = GBK.decode("utf-8", "backslashreplace") + ".xlsx"
    assert set(rows) == {"a.xlsx", "fifo.xlsx", "zero.xlsx", "loop.xlsx", escaped}
    assert rows["a.xlsx"]["status"] == "ok"
    assert rows[escaped]["status"] == "ok" and rows[escaped]["unit"]  # read, and shown by its escaped name
    for name in ("fifo.xlsx", "zero.xlsx"):
        assert rows[name]["status"] == "unreadable" and "不是普通文件" in rows[name]["error"]
    assert rows["loop.xlsx"]["status"] == "unreadable" and "无法打开文件" in rows["loop.xlsx"]["error"]


@pytest.mark.parametrize("name", ["fifo.xlsx", "zero.xlsx", "loop.xlsx"])
def test_audit_refuses_what_is_not_a_regular_file(hostile: Path, name: str) -> None:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["audit", str(hostile / name), "--no-config"])
    assert time.perf_counter() - started < 30
    assert result.exit_code == 2 and ("不是普通文件" in result.stderr or "无法打开文件" in result.stderr)
    assert "Traceback" not in result.output


def test_audit_reads_a_gbk_named_workbook_and_shows_its_name_escaped(hostile: Path) -> None:
    path = hostile / os.fsdecode(GBK + b".xlsx")
    result = CliRunner().invoke(main, ["audit", str(path), "--no-config", "--as-of", SAMPLE_AS_OF, "--format",
                                       "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["file"].endswith(GBK.decode("utf-8", "backslashreplace") + ".xlsx")


@pytest.mark.parametrize("command", [["inspect"], ["remind", "--as-of", SAMPLE_AS_OF],
                                     ["audit", "--as-of", SAMPLE_AS_OF, "--format", "json", "--fail-on", "never"]])
def test_every_command_reads_a_gbk_named_workbook(hostile: Path, tmp_path: Path, command: list[str]) -> None:
    """The workbook reader cannot open a name that is not UTF-8 itself; audit and scan went round it, inspect and
    remind said the file was damaged ("No such file or directory"), and an audit of several workbooks too."""
    path = hostile / os.fsdecode(GBK + b".xlsx")
    escaped = GBK.decode("utf-8", "backslashreplace") + ".xlsx"
    result = CliRunner().invoke(main, [*command, str(path), "--no-config"])
    assert result.exit_code == 0, result.output
    assert "损坏" not in result.output and "\\udc" not in result.output
    if command[0] == "inspect":
        assert escaped in result.output and "党员" in result.output
    # Two workbooks of one unit, one of them with such a name: read together, the name shown escaped.
    shutil.copyfile(SAMPLES / "violations.xlsx", tmp_path / "unit.xlsx")
    second = tmp_path / os.fsdecode(GBK + b".xlsx")
    shutil.copyfile(SAMPLES / "violations.xlsx", second)
    together = CliRunner().invoke(main, ["audit", str(tmp_path / "unit.xlsx"), str(second), "--no-config",
                                         "--as-of", SAMPLE_AS_OF, "--format", "json"])
    assert together.exit_code == 2 and escaped in together.stderr and "\\udc" not in together.stderr  # both name D01
    assert "损坏" not in together.stderr


def test_discovery_and_the_store_take_any_name(hostile: Path) -> None:
    found = discover([str(hostile)])
    assert len(found.files) == 5
    for _path, display in found.files:
        display.encode("utf-8")  # storable
    with ScanStore() as store:
        store.add(0, FileResult.unreadable(os.fsdecode(b"\xcc\xa8\xd5\xcb.xlsx"), "x\udcff"))
        row = next(store.files())
        assert row.path.endswith("\\xd5\\xcb.xlsx") and row.error == "x\\xff" and store.totals.files == 1


# ---------------------------------------------------------------- the time limit


@pytest.mark.skipif(sys.platform != "linux", reason="the workers are forked with the patched reader")
def test_a_file_past_the_time_limit_is_stopped_and_the_others_are_audited(monkeypatch, tmp_path: Path) -> None:
    real = Context.read

    def slow(self: Context, path: Path, *args: object, **kwargs: object):  # noqa: ANN202
        if "slow" in str(args[0] if args else path):
            time.sleep(600)
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(Context, "read", slow)
    files = [(ledger(tmp_path / f"{name}.xlsx"), f"{name}.xlsx") for name in ("a", "b", "slow", "c", "d", "e")]
    settings = Settings(as_of=dt.date(2026, 1, 15), lang="zh", limits=Limits(max_seconds=2))
    results: dict[str, FileResult] = {}
    started = time.perf_counter()
    outcome = run_scan(files, settings, 2, lambda _seq, result: results.__setitem__(result.path, result))
    assert time.perf_counter() - started < 60
    assert not outcome.interrupted and outcome.finished == len(files) == len(results)
    assert results["slow.xlsx"].status == "unreadable" and "时间上限 2 秒" in (results["slow.xlsx"].error or "")
    assert all(r.status == "ok" for name, r in results.items() if name != "slow.xlsx"), results


def test_the_time_limit_is_a_limit_like_the_others(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["audit", str(SAMPLES / "clean.xlsx"), "--no-config", "--limit",
                                       "max-seconds=soon"])
    assert result.exit_code == 2 and "max-seconds" in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc")
def test_audit_stops_at_the_time_limit(tmp_path: Path) -> None:
    probe = ("import time, sys\n"
             "from ledgercheck.app.context import Context\n"
             "Context.read = lambda self, *a, **k: time.sleep(600)\n"
             "from ledgercheck.cli import main\n"
             "main(sys.argv[1:])\n")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, "audit", str(SAMPLES / "clean.xlsx"), "--no-config",
                           "--limit", "max-seconds=2"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - started < 30
    assert done.returncode == 2 and "时间上限 2 秒" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------- a report that cannot be written


def test_a_report_that_cannot_be_written_goes_to_a_fallback_file(tmp_path: Path, monkeypatch) -> None:
    import ledgercheck.fileio.atomic as atomic

    units = tmp_path / "units"
    units.mkdir()
    ledger(units / "a.xlsx")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    real = os.replace
    calls: list[str] = []

    def full_once(source: str, target: str) -> None:  # the disk is full when the report is first written
        calls.append(str(target))
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        real(source, target)

    monkeypatch.setattr(atomic.os, "replace", full_once)
    wanted = tmp_path / "out" / "report.json"
    result = scan(units, "-o", wanted)
    monkeypatch.setattr(atomic.os, "replace", real)
    assert result.exit_code == 2, result.output
    assert not wanted.exists()
    fallback = Path(calls[1])
    assert fallback.parent == wanted.parent and fallback.name.startswith("ledgercheck-scan-")
    assert str(fallback) in result.stderr and "磁盘已满" in result.stderr
    assert json.loads(fallback.read_text(encoding="utf-8"))["summary"]["files"] == 1
    assert "报告已写入" not in result.stderr


def test_a_full_device_as_the_report_falls_back_to_the_working_folder(tmp_path: Path, monkeypatch) -> None:
    units = tmp_path / "units"
    units.mkdir()
    ledger(units / "a.xlsx")
    full = device(tmp_path / "full", FULL)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = scan(units, "--format", "json", "-o", full)
    assert result.exit_code == 2, result.output
    [fallback] = list(work.iterdir())
    assert fallback.suffix == ".json" and str(fallback) in result.stderr
    assert json.loads(fallback.read_text(encoding="utf-8"))["summary"]["files"] == 1
    assert sorted(os.listdir(tmp_path)) == ["full", "units", "work"]  # nothing beside the device


# ---------------------------------------------------------------- SIGTERM


def _ours(marker: str) -> list[int]:
    """Live processes whose command line mentions `marker`: the scan, its workers (forked, so with its command
    line) and anything they started about its files. Zombies are gone in all but name."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
            except (OSError, IndexError):
                continue
            if marker in command and state != "Z":
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for the workers")
def test_sigterm_ends_the_workers_and_removes_the_store(tmp_path: Path, units_dir: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    source = units_dir / "unit-00001.xlsx"
    for index in range(300):
        os.link(source, folder / f"u{index:04d}.xlsx")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    output = tmp_path / "report.json"
    process = subprocess.Popen([sys.executable, "-m", "ledgercheck", "scan", str(folder), "--jobs", "2", "--as-of",
                                SAMPLE_AS_OF, "--no-config", "--output", str(output)], cwd=ROOT,
                               env={**os.environ, "TMPDIR": str(temporary)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", start_new_session=True)
    try:
        assert process.stderr is not None
        first = process.stderr.readline()  # 10 % done: the workers are busy and the store is filling
        assert "已检查" in first, first
        assert len(_ours(str(folder))) >= 3  # the scan and its two workers
        assert any(p.name.startswith("ledgercheck-scan-") for p in temporary.iterdir())
        process.send_signal(signal.SIGTERM)  # the scan alone, as `timeout` and a CI runner send it
        _stdout, stderr = process.communicate(timeout=30)
    finally:  # whatever happened, nothing of this test is left running
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        deadline = time.monotonic() + 5  # a worker may take a moment to go
        while (leftover := _ours(str(folder))) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in _ours(str(folder)):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr and "检查被终止" in stderr
    assert leftover == []  # no orphaned worker
    assert list(temporary.iterdir()) == []  # the store (names, messages) is gone
    assert not output.exists()
