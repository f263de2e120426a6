"""Nothing kept, nothing leaked, nothing piled up: lifetimes, limits, the busy answer, time limits, dead workers,
the access code, the headers and the log."""

from __future__ import annotations

import logging
import os
import re
import signal
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ledgercheck.web.pool import AuditPool, Busy
from ledgercheck.web.worker import AuditTask
from tests.ledgers import VIOLATIONS
from tests.web.conftest import make_client, service, upload


def jobs_on_disk(client: TestClient) -> list[str]:
    root = service(client).store.root
    return [p.name for p in root.iterdir() if p.name != "template"] if root.exists() else []


def test_uploads_are_deleted_after_their_lifetime_and_at_shutdown() -> None:
    with make_client(keep=1.0, workers=1) as client:
        result = upload(client, VIOLATIONS).headers["location"]
        assert client.get(result).status_code == 200 and len(jobs_on_disk(client)) == 1
        root = service(client).store.root
        assert oct(root.stat().st_mode & 0o777) == "0o700"
        deadline = time.monotonic() + 10
        while jobs_on_disk(client) and time.monotonic() < deadline:
            time.sleep(0.2)  # the sweeper runs every second when the lifetime is a second
        assert jobs_on_disk(client) == []
        assert client.get(result).status_code == 404
        upload(client, VIOLATIONS)
    assert not root.exists()  # shutdown removes the whole folder


def test_the_api_keeps_nothing_once_it_has_answered(client: TestClient) -> None:
    before = set(jobs_on_disk(client))
    response = upload(client, VIOLATIONS, url="/api/audit")
    assert response.status_code == 200
    assert set(jobs_on_disk(client)) == before


def test_a_rejected_upload_leaves_nothing(client: TestClient, tmp_path: Path) -> None:
    before = set(jobs_on_disk(client))
    bad = tmp_path / "名单.et"
    bad.write_bytes(b"WPS")
    page = upload(client, bad)
    assert page.status_code == 415 and "另存为" in page.text and "名单.et" in page.text
    assert set(jobs_on_disk(client)) == before


def test_upload_limits(tmp_path: Path) -> None:
    with make_client(max_upload=100_000, max_files=2, workers=1) as client:
        big = tmp_path / "big.xlsx"
        big.write_bytes(os.urandom(300_000))
        response = upload(client, big)
        assert response.status_code == 413 and "上传的文件太大" in response.text
        api = upload(client, big, url="/api/audit")
        assert api.status_code == 413 and api.json()["error"]["status"] == 413
        # Without a Content-Length (a chunked upload), the limit is enforced while the body streams.
        body = b"".join([b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.xlsx\"\r\n\r\n",
                         b"x" * 300_000, b"\r\n--B--\r\n"])
        chunked = client.post("/api/audit", content=iter([body[i:i + 65536] for i in range(0, len(body), 65536)]),
                              headers={"content-type": "multipart/form-data; boundary=B"})
        assert chunked.status_code == 413
        tiny = [tmp_path / f"{n}.xlsx" for n in range(3)]
        for path in tiny:
            path.write_bytes(b"PK")
        three = upload(client, *tiny)
        assert three.status_code == 413 and "一次最多上传 2 个文件" in three.text
        assert jobs_on_disk(client) == []
        nothing = client.post("/audit", data={"as_of": "2026-01-15"}, files=[("files", ("", b"", "application/octet-stream"))])
        assert nothing.status_code == 400 and "没有选择文件" in nothing.text
        not_a_form = client.post("/api/audit", content=b"{}", headers={"content-type": "application/json"})
        assert not_a_form.status_code == 400


def test_a_bad_date_is_a_message(client: TestClient) -> None:
    page = upload(client, VIOLATIONS, as_of="2025年13月45日")
    assert page.status_code == 400 and "不是日期" in page.text


def test_dates_the_command_line_refuses_are_refused_here_too(client: TestClient) -> None:
    """The start after the audit date (the two fields swapped) was audited over an empty window; a year mistyped far
    ahead (9999) was an internal error, or held a worker for the whole time limit."""
    swapped = upload(client, VIOLATIONS, url="/api/audit", as_of="2025-01-01", since="2026-01-01")
    assert swapped.status_code == 400 and "晚于截止日期" in swapped.json()["error"]["message"]
    ahead = upload(client, VIOLATIONS, url="/api/audit", as_of="9999-12-31")
    assert ahead.status_code == 400 and "一年以后" in ahead.json()["error"]["message"]
    page = upload(client, VIOLATIONS, as_of="9999-11-01")
    assert page.status_code == 400 and "请检查年份" in page.text


def test_a_long_chinese_file_name_is_taken(client: TestClient) -> None:
    """Windows allows 255 characters a name; a file system here 255 bytes: 84 Chinese characters (257 bytes with
    .xlsx) were refused as "not a file form"."""
    name = "某区某局机关党委" + "党" * 76 + ".xlsx"
    files = [("files", (name, VIOLATIONS.read_bytes(), "application/octet-stream"))]
    answer = client.post("/api/audit", files=files, data={"as_of": "2026-01-15"})
    assert answer.status_code == 200, answer.text[:300]
    assert answer.json()["file"].endswith("党党党.xlsx")


def test_a_full_pool_answers_busy_at_once(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_task: object) -> None:
        raise Busy()

    monkeypatch.setattr(service(client).pool, "submit", full)
    page = upload(client, VIOLATIONS)
    assert page.status_code == 503 and "请过一两分钟再试" in page.text and page.headers["retry-after"] == "30"
    api = upload(client, VIOLATIONS, url="/api/audit")
    assert api.status_code == 503 and api.headers["retry-after"] == "30"
    monkeypatch.setattr(service(client).pool, "full", lambda: True)  # refused before the upload is stored
    before = set(jobs_on_disk(client))
    assert upload(client, VIOLATIONS).status_code == 503 and set(jobs_on_disk(client)) == before


def test_the_pool_is_bounded_times_out_and_survives_a_dead_worker(tmp_path: Path) -> None:
    from benchmarks.ledgers import generate  # a ledger large enough to take a moment

    ledger = generate("medium", tmp_path / "medium.xlsx")
    job = tmp_path / "job"
    (job / "in").mkdir(parents=True)
    (job / "out").mkdir()
    (job / "in" / ledger.name).symlink_to(ledger)
    task = AuditTask(str(job), (ledger.name,))
    from ledgercheck.app.config import Settings

    pool = AuditPool(Settings(), workers=1, queue_size=0, time_limit=0.05)
    pool.start()
    try:
        slow = pool.submit(task)
        with pytest.raises(Busy):
            pool.submit(task)  # one worker, no queue: the second is refused, not piled up
        outcome = slow.result(30)
        assert not outcome.ok and outcome.status == 504 and "时间上限" in outcome.message.zh
        pool.time_limit = 60
        assert pool.submit(task).result(60).ok  # a new worker took the killed one's place
        running = pool.submit(task)
        deadline = time.monotonic() + 10
        while pool.stats()["running"] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(pool.pids()[0], signal.SIGKILL)  # as if a native reader aborted the process
        died = running.result(30)
        assert not died.ok and died.status == 422 and "工作进程意外退出" in died.message.zh
        assert pool.submit(task).result(60).ok
    finally:
        pool.close()


def test_an_access_code_guards_every_page_and_the_api() -> None:
    with make_client(access_code="K7PX2QMB", workers=1) as client:
        start = client.get("/", follow_redirects=False)
        assert start.status_code == 303 and start.headers["location"].startswith("/login")
        assert client.get("/login").status_code == 200
        assert client.get("/static/style.css").status_code == 200
        assert upload(client, VIOLATIONS, url="/api/audit").status_code == 401
        wrong = client.post("/login", data={"code": "nope", "next": "/"})
        assert wrong.status_code == 401 and "访问码不正确" in wrong.text
        right = client.post("/login", data={"code": "K7PX2QMB", "next": "//evil.example/"}, follow_redirects=False)
        assert right.status_code == 303 and right.headers["location"] == "/"  # no open redirect
        assert client.get("/").status_code == 200  # the cookie now lets the browser in
        client.cookies.clear()
        headers = {"X-Access-Code": "K7PX2QMB"}
        files = [("files", ("violations.xlsx", VIOLATIONS.read_bytes()))]
        assert client.post("/api/audit", files=files, headers=headers).status_code == 200
        assert client.post("/api/audit", files=files, headers={"X-Access-Code": "K7PX2QMA"}).status_code == 401


def test_headers_keep_tokens_and_pages_private(client: TestClient) -> None:
    response = upload(client, VIOLATIONS)
    page = client.get(response.headers["location"])
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    for url in re.findall(r'(?:src|href)="([^"]+)"', client.get("/").text + page.text):
        assert not url.startswith(("http:", "https:", "//")), url  # nothing from the internet
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400  # DNS rebinding on loopback


def test_the_log_names_no_person_no_file_and_no_token(client: TestClient, tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    named = tmp_path / "张三的台账110101199003071234.xlsx"
    named.write_bytes(VIOLATIONS.read_bytes())
    with caplog.at_level(logging.INFO, logger="ledgercheck.web"):
        result = upload(client, named).headers["location"]
        client.get(result)
        client.get(f"{result}/download/result.json")
    log = caplog.text
    assert "POST /audit 303" in log and "GET /r/" in log
    token = result.split("/")[-1]
    assert token not in log and "张三" not in log and "1101011990" not in log
    assert "梁婷婷" not in log  # a member's name from the ledger



def test_a_worker_keeps_no_one_s_names_for_the_next_upload(tmp_path: Path) -> None:
    """Reading remembers cell texts across workbooks (a scan's speed); a web worker forgets them after each task,
    so the names in one person's ledger do not stay in the process that serves the next person."""
    from ledgercheck.app.config import Settings
    from ledgercheck.app.context import Context
    from ledgercheck.ingest import preflight, profile
    from ledgercheck.ingest.remembered import remembered_texts
    from ledgercheck.web import worker

    job = tmp_path / "job"
    (job / "in").mkdir(parents=True)
    (job / "out").mkdir()
    (job / "in" / VIOLATIONS.name).symlink_to(VIOLATIONS)
    context = Context.build(Settings())
    task = AuditTask(str(job), (VIOLATIONS.name,))
    names = {m.name for m in context.read(VIOLATIONS).ledger.members if m.name}
    cwd = os.getcwd()
    try:
        assert worker._run(context, task).ok  # the task alone, without forgetting: the names are there
        kept = set(_texts([*(context.aliases.header_memo or {}), *(k for _v, _s, m in profile._memo_of for k in m)]))
        assert names & kept
        assert preflight.remembered()  # the sheet list, which names the sheets, is remembered too
        assert worker.run(context, task).ok  # as a worker runs it
    finally:
        os.chdir(cwd)
    assert remembered_texts(context.aliases) == 0
    assert context.aliases.value_memo  # dates, numbers and enumerations stay (loader.SHARED_TYPES)


def _texts(value: object):
    """Every string inside nested tuples and lists."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts(item)
