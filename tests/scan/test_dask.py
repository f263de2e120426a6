"""Scans on Dask distributed give what the local pool gives: the same JSON to the byte, a worker-killing file
reported once retried, a file past the time limit stopped, Ctrl-C reporting what finished; without Dask, a clear
message. The cluster is a LocalCluster of two single-threaded worker processes, as `--executor dask` starts one."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledgercheck.app.config import Settings
from ledgercheck.app.context import Context
from ledgercheck.cli import main
from ledgercheck.common.limits import Limits
from ledgercheck.findings.scan.store import ScanStore
from ledgercheck.reporters.scan import json_
from ledgercheck.scan.discover import discover
from ledgercheck.scan.executor import LOCAL, Executor
from ledgercheck.scan.progress import make_progress
from ledgercheck.scan.run import scan
from tests.conftest import ROOT, SAMPLE_AS_OF
from tests.scan import dask_hooks
from tests.scan.test_runner import _our_processes

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the hooks patch forked and preloaded workers")
SETTINGS = Settings(as_of=dt.date(2026, 1, 15), lang="zh")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A LocalCluster whose workers preload the misbehaving reader (tests/scan/dask_hooks.py); its address."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                                  scheduler_kwargs={"allowed_failures": 0},
                                  preload=["tests.scan.dask_hooks"]) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def folder(units_dir: Path, tmp_path_factory) -> Path:
    """Eight units, the broken files, and a copy of a unit whose reading kills its worker."""
    target = tmp_path_factory.mktemp("dask-units")
    for path in sorted(units_dir.glob("unit-*.xlsx"))[:8]:
        shutil.copyfile(path, target / path.name)
    shutil.copytree(units_dir / "broken", target / "broken")
    shutil.copyfile(units_dir / "unit-00002.xlsx", target / f"unit-00004-{dask_hooks.KILLER}.xlsx")
    return target


def _json(folder: Path, executor: Executor, settings: Settings = SETTINGS) -> str:
    """The scan's JSON report, written in this process as `ledgercheck scan --format json` writes it."""
    context = Context.build(settings)
    discovery = discover([str(folder)])
    with ScanStore() as store:
        report = scan(discovery, context, 2, make_progress(len(discovery.files), "zh", quiet=True), store,
                      executor=executor)
        out = io.StringIO()
        json_.write(report, out)
    return out.getvalue()


def test_the_same_folder_gives_the_same_json_and_the_killing_file_is_reported_on_both(
        monkeypatch, folder: Path, cluster: str) -> None:
    dask_hooks.install(monkeypatch)  # the local pool's workers are forked from this process
    local = _json(folder, LOCAL)
    on_dask = _json(folder, Executor("dask", cluster))
    assert on_dask == local
    report = json.loads(local)
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert len(files) == report["summary"]["files"] == 8 + 5 + 1 and report["summary"]["interrupted"] is False
    killer = files[f"unit-00004-{dask_hooks.KILLER}.xlsx"]
    assert killer["status"] == "unreadable" and "工作进程意外退出" in killer["error"]
    assert [name for name, f in files.items() if f["status"] == "ok"] == [f"unit-{i:05d}.xlsx" for i in range(1, 9)]
    assert files["truncated.xlsx"]["status"] == "unreadable" and files["bad-date.xlsx"]["status"] == "input_errors"


def test_a_file_past_the_time_limit_is_stopped_on_dask_and_the_others_are_audited(folder: Path, cluster: str,
                                                                                  tmp_path: Path) -> None:
    for path in sorted(folder.glob("unit-0000[1-5].xlsx")):
        shutil.copyfile(path, tmp_path / path.name)
    shutil.copyfile(folder / "unit-00001.xlsx", tmp_path / f"unit-00003-{dask_hooks.SLOW}.xlsx")
    # 5 s, not less: a worker's first task of a scan builds its Context too, on a machine that may be busy.
    settings = Settings(as_of=dt.date(2026, 1, 15), lang="en", limits=Limits(max_seconds=5))
    started = time.perf_counter()
    report = json.loads(_json(tmp_path, Executor("dask", cluster), settings))
    assert time.perf_counter() - started < 60
    statuses = {Path(f["path"]).name: (f["status"], f["error"]) for f in report["files"]}
    assert statuses.pop(f"unit-00003-{dask_hooks.SLOW}.xlsx") == (
        "unreadable", "auditing this file took longer than the time limit of 5 s and was stopped (raise it with "
                      "--limit max-seconds=…)")
    assert statuses == {f"unit-0000{i}.xlsx": ("ok", None) for i in range(1, 6)}
    # The stopped worker was restarted: the cluster still has both.
    with distributed.Client(cluster) as client:
        client.wait_for_workers(2, timeout=30)


def test_the_command_line_on_a_scheduler_matches_the_local_pool(monkeypatch, units_dir: Path, cluster: str,
                                                                tmp_path: Path) -> None:
    """A folder named relative to a working folder the workers do not share: they are sent absolute paths."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(units_dir, "units")
    outputs = {}
    for name, extra in (("local", ["--executor", "local"]), ("dask", ["--scheduler", cluster])):
        outputs[name] = tmp_path / f"{name}.json"
        result = CliRunner().invoke(main, ["scan", "units", "--as-of", SAMPLE_AS_OF, "--jobs", "2", "--quiet",
                                           "-o", str(outputs[name]), *extra])
        assert result.exit_code == 2, result.output  # the broken files
    assert json.loads(outputs["local"].read_text(encoding="utf-8"))["summary"]["status"]["ok"] == 12
    assert outputs["dask"].read_bytes() == outputs["local"].read_bytes()


def test_the_report_counts_the_clusters_workers_not_jobs(units_dir: Path, cluster: str, tmp_path: Path) -> None:
    """On a scheduler, --jobs does not say how many workers ran the files: the cluster's two do."""
    folder = tmp_path / "two"
    folder.mkdir()
    for path in sorted(units_dir.glob("unit-*.xlsx"))[:2]:
        shutil.copyfile(path, folder / path.name)
    result = CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--jobs", "1", "--quiet",
                                       "--scheduler", cluster, "--lang", "en"])
    line = next(line for line in result.stdout.splitlines() if "worker processes" in line)
    assert "2" in line.split("worker processes", 1)[1][:12], line


def test_a_scheduler_with_the_local_executor_is_refused(units_dir: Path) -> None:
    result = CliRunner().invoke(main, ["scan", str(units_dir), "--executor", "local", "--scheduler",
                                       "tcp://127.0.0.1:8786", "--lang", "en"])
    assert result.exit_code == 2 and "--scheduler is for --executor dask only" in result.stderr


def test_an_unreachable_scheduler_is_a_usage_error(units_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ledgercheck.scan import dask_runner

    monkeypatch.setattr(dask_runner, "CONNECT_SECONDS", 2)  # the message, not the wait, is under test
    result = CliRunner().invoke(main, ["scan", str(units_dir), "--scheduler", "tcp://127.0.0.1:9", "--lang", "en",
                                       "--quiet"])
    assert result.exit_code == 2 and "cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("lang, words", [("zh", "使用 --executor dask 需要安装 Dask"),
                                         ("en", "--executor dask needs Dask")])
def test_without_dask_the_scan_says_how_to_install_it(monkeypatch, units_dir: Path, lang: str, words: str) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    result = CliRunner().invoke(main, ["scan", str(units_dir), "--executor", "dask", "--lang", lang])
    assert result.exit_code == 2 and words in result.stderr and "pip install 'ledgercheck[dask]'" in result.stderr


def _start(folder: Path, units_dir: Path, output: Path, copies: int) -> subprocess.Popen[str]:
    """A Dask scan of `copies` units in a process group of its own, once it has printed its first progress line."""
    folder.mkdir()
    for index in range(copies):
        os.link(units_dir / "unit-00001.xlsx", folder / f"u{index:04d}.xlsx")
    process = subprocess.Popen([sys.executable, "-m", "ledgercheck", "scan", str(folder), "--executor", "dask",
                                "--jobs", "2", "--as-of", SAMPLE_AS_OF, "--output", str(output)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                               start_new_session=True)
    assert process.stderr is not None
    first = process.stderr.readline()  # 10 % done
    assert "已检查" in first, first
    return process


def _no_worker_left(process: subprocess.Popen[str], folder: Path) -> None:
    assert _our_processes(str(folder)) == []  # the scan ended
    deadline = time.monotonic() + 10  # a worker told to close takes a moment to go
    while _children_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _children_of(process.pid) == []  # no worker outlived the scan


def test_ctrl_c_on_a_dask_scan_reports_what_finished_and_leaves_no_worker(tmp_path: Path, units_dir: Path) -> None:
    folder, output, copies = tmp_path / "ctrl-c-dask-units", tmp_path / "interrupted.json", 300
    process = _start(folder, units_dir, output, copies)
    os.killpg(process.pid, signal.SIGINT)  # the whole group, LocalCluster workers included, as a terminal does
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr and "检查被中断" in stderr
    summary = json.loads(output.read_text(encoding="utf-8"))["summary"]
    assert summary["interrupted"] is True and copies // 10 <= summary["finished"] < copies
    assert summary["finished"] + summary["not_finished"] == copies
    _no_worker_left(process, folder)


def test_sigterm_ends_a_dask_scan_and_its_workers(tmp_path: Path, units_dir: Path) -> None:
    folder, output = tmp_path / "sigterm-dask-units", tmp_path / "terminated.json"
    process = _start(folder, units_dir, output, 300)
    process.send_signal(signal.SIGTERM)  # the scan alone, as `timeout` or a cancelled CI job sends it
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr and "检查被终止" in stderr and not output.exists()
    _no_worker_left(process, folder)


def test_a_scheduler_lost_mid_scan_ends_it_as_interrupted_with_what_finished(tmp_path: Path, units_dir: Path) -> None:
    """The scheduler goes away (a machine restarted, the network cut) while files are in flight: the scan says
    so, writes the report of what finished, exits 130 and does not hang."""
    folder, output, copies = tmp_path / "lost-units", tmp_path / "lost.json", 120
    folder.mkdir()
    for index in range(copies):
        os.link(units_dir / "unit-00001.xlsx", folder / f"u{index:04d}.xlsx")
    local = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
    try:
        process = subprocess.Popen([sys.executable, "-m", "ledgercheck", "scan", str(folder), "--scheduler",
                                    local.scheduler_address, "--as-of", SAMPLE_AS_OF, "--output", str(output)],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   encoding="utf-8")
        assert process.stderr is not None
        first = process.stderr.readline()  # 10 % done
        assert "已检查" in first, first + process.stderr.read()
    finally:
        local.close()
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "与 Dask 调度器的连接中断" in stderr and "检查被中断" in stderr
    summary = json.loads(output.read_text(encoding="utf-8"))["summary"]
    assert summary["interrupted"] is True and copies // 10 <= summary["finished"] < copies
    assert summary["finished"] + summary["not_finished"] == copies


def _children_of(pid: int) -> list[str]:
    """Command lines of the processes still in the scan's process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pid and fields[0] != "Z":  # in the group, not a zombie
                    found.append((entry / "cmdline").read_bytes().decode("utf-8", "replace"))
            except OSError:  # gone while read
                continue
    return found


def test_a_local_scan_does_not_import_dask(units_dir: Path) -> None:
    probe = f"""
import sys
from ledgercheck.cli import main
try:
    main(["scan", {str(units_dir / 'unit-00001.xlsx')!r}, "--quiet", "--format", "json", "--as-of", "2026-01-15"])
except SystemExit:
    pass
print(sorted(m for m in ("dask", "distributed") if m in sys.modules))
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_workers_with_another_ledgercheck_are_refused_before_the_scan(monkeypatch, folder: Path,
                                                                       cluster: str) -> None:
    from ledgercheck.common.errors import UsageError
    from ledgercheck.scan import dask_runner

    monkeypatch.setattr(dask_runner, "__version__", "0.0.1")  # this side; the workers answer the real version
    results: list[int] = []
    with pytest.raises(UsageError) as raised:
        Executor("dask", cluster).run([(p, p.name) for p in sorted(folder.glob("unit-*.xlsx"))], SETTINGS, 2,
                                      lambda seq, _result: results.append(seq))
    assert "another version of ledgercheck" in raised.value.message("en") and results == []
    assert raised.value.detail is not None and raised.value.detail.startswith("0.0.1 here; tcp://127.0.0.1:")
