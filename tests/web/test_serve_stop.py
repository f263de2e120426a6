"""Stopping `ledgercheck serve` as a person does: Ctrl-C waits for the audits under way and says so, a second
Ctrl-C stops them at once, and either way the uploads are deleted, the uploader gets an answer and no traceback
reaches the terminal.

An audit "under way" is made to stay under way by stopping the worker processes (SIGSTOP) before the upload:
deterministic, and no large ledger needed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS
from tests.web.server import free_port

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc as on Linux")


def _grandchildren(pid: int) -> list[int]:
    """The worker processes: forked by the fork server, the server's child (which must not be stopped: it
    reports its children's exits)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    return [grandchild for child in children.get(pid, []) for grandchild in children.get(child, [])]


class _Served:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = tmp_path
        env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ledgercheck", "serve", "--no-browser", "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.answers: list[tuple[int, str]] = []
        self.stopped: list[int] = []
        deadline = time.monotonic() + 60
        while self.health() is None:
            assert time.monotonic() < deadline and self.process.poll() is None, self.output()
            time.sleep(0.1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def health(self) -> dict[str, Any] | None:
        try:
            with urllib.request.urlopen(f"{self.base}/api/health", timeout=2) as response:
                found: dict[str, Any] = json.load(response)
                return found
        except OSError:
            return None

    def stop_workers(self) -> None:
        self.stopped = _grandchildren(self.process.pid)
        assert self.stopped
        for pid in self.stopped:
            os.kill(pid, signal.SIGSTOP)

    def resume_workers(self) -> None:
        for pid in self.stopped:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    @property
    def answer(self) -> tuple[int, str] | None:
        return self.answers[0] if self.answers else None

    def upload_in_background(self, running: int = 1, waiting: int = 0) -> threading.Thread:
        """Post the sample ledger; return once `running` audits are under way and `waiting` wait for a worker."""
        boundary = uuid.uuid4().hex
        body = b"".join([
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"as_of\"\r\n\r\n{SAMPLE_AS_OF}\r\n".encode(),
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{VIOLATIONS.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n".encode(), VIOLATIONS.read_bytes(),
            f"\r\n--{boundary}--\r\n".encode()])
        request = urllib.request.Request(f"{self.base}/api/audit", data=body, method="POST",
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

        def post() -> None:
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    self.answers.append((response.status, response.read().decode()))
            except urllib.error.HTTPError as error:
                self.answers.append((error.code, error.read().decode()))

        thread = threading.Thread(target=post, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while ((health := self.health() or {}).get("running"), health.get("waiting")) != (running, waiting):
            assert time.monotonic() < deadline, (health, self.output())
            time.sleep(0.05)
        return thread

    def interrupt(self) -> None:
        os.kill(self.process.pid, signal.SIGINT)

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + 30
        while text not in self.output():
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.05)

    def close(self) -> None:
        self.resume_workers()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[_Served]:
    server = _Served(tmp_path)
    try:
        yield server
    finally:
        server.close()


def _no_uploads_left(tmp_path: Path) -> None:
    assert not list(tmp_path.glob("ledgercheck-web-*"))


def test_ctrl_c_waits_for_the_audit_under_way(served: _Served, tmp_path: Path) -> None:
    served.stop_workers()  # the audit stays under way until they go on
    upload = served.upload_in_background()
    served.interrupt()
    served.wait_for("正在停止：等待进行中的1个检查完成（最多120秒）；再按一次 Ctrl+C 立即停止")
    time.sleep(0.5)
    assert served.process.poll() is None  # still waiting for it
    served.resume_workers()
    upload.join(60)
    assert served.answer is not None and served.answer[0] == 200
    assert json.loads(served.answer[1])["findings"]  # the uploader got the whole audit
    assert served.process.wait(30) == 0
    output = served.output()
    assert "ledgercheck 网页已停止；上传的台账和检查结果都已删除" in output
    assert "Traceback" not in output and "已中断" not in output
    _no_uploads_left(tmp_path)


def test_ctrl_c_does_not_wait_for_the_audits_in_the_queue(served: _Served, tmp_path: Path) -> None:
    """Two workers busy and a third upload waiting: the wait is for the two under way (at most the time limit),
    and the third's uploader is told at once, not after them."""
    served.stop_workers()
    uploads = [served.upload_in_background(1), served.upload_in_background(2), served.upload_in_background(2, 1)]
    served.interrupt()
    served.wait_for("正在停止：等待进行中的2个检查完成")
    assert "排队等待的1个检查不再进行" in served.output()
    deadline = time.monotonic() + 10
    while not served.answers:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert served.answers[0][0] == 503 and "服务器正在关闭" in served.answers[0][1]
    served.resume_workers()
    for upload in uploads:
        upload.join(60)
    assert sorted(code for code, _ in served.answers) == [200, 200, 503]
    assert served.process.wait(30) == 0
    assert "Traceback" not in served.output()
    _no_uploads_left(tmp_path)


def test_a_second_ctrl_c_stops_the_audit_at_once(served: _Served, tmp_path: Path) -> None:
    served.stop_workers()
    upload = served.upload_in_background()
    served.interrupt()
    served.wait_for("正在停止")
    started = time.monotonic()
    served.interrupt()
    assert served.process.wait(30) == 0
    upload.join(30)
    assert time.monotonic() - started < 15  # not the audit's 120 s
    assert served.answer is not None and served.answer[0] == 503
    assert "服务器正在关闭，检查已停止" in json.loads(served.answer[1])["error"]["message"]
    output = served.output()
    assert "立即停止：进行中的检查已中止" in output and "ledgercheck 网页已停止" in output
    assert "Traceback" not in output and "已中断" not in output
    _no_uploads_left(tmp_path)


def test_the_address_other_computers_open() -> None:
    """`serve --host 0.0.0.0` says the address colleagues type, not only 127.0.0.1 (which is this machine's)."""
    import ipaddress

    from ledgercheck.web.config import visitors_host

    assert visitors_host("10.1.2.3") == "10.1.2.3"
    found = visitors_host("0.0.0.0")
    if found is not None:  # None only without any network route
        address = ipaddress.ip_address(found)
        assert address.version == 4 and not address.is_loopback and not address.is_unspecified
