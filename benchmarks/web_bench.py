"""Benchmark `ledgercheck serve` under a burst: N concurrent uploads of the medium ledger to a server with W
workers and a queue of Q. Every upload must be answered, with the audit or with 503 "busy", none lost, and
memory must stay bounded however many arrive.

    python -m benchmarks.web_bench                          # 20 uploads, 2 workers, queue 8
    python -m benchmarks.web_bench --uploads 20 --workers 2 --queue 8 --retry

The server is the real command (`python -m ledgercheck serve --no-browser`) in its own process. Its memory is
sampled from /proc every 20 ms: the server process, the fork server and the workers (every descendant), summed,
and the largest single process. With --retry a client answered 503 waits for Retry-After (capped at 2 s here)
and tries again until it gets its audit, as the page's users would. This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from benchmarks.ledgers import cached

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
AS_OF = "2026-01-15"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stream:
                    parent = int(stream.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as stream:
            return int(stream.read().split()[1]) * PAGE / 2**20
    except OSError:
        return 0.0


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.total = 0.0
        self.largest = 0.0
        self.processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            sizes = [rss_mb(p) for p in descendants(self.pid)]
            self.total = max(self.total, sum(sizes))
            self.largest = max(self.largest, max(sizes, default=0.0))
            self.processes = max(self.processes, len(sizes))
            time.sleep(0.02)


def post(url: str, ledger: Path) -> tuple[int, dict, float]:
    boundary = uuid.uuid4().hex
    body = b"".join([
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"as_of\"\r\n\r\n{AS_OF}\r\n".encode(),
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{ledger.name}\"\r\n"
        f"Content-Type: application/octet-stream\r\n\r\n".encode(), ledger.read_bytes(), f"\r\n--{boundary}--\r\n".encode()])
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.loads(response.read()), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), time.monotonic() - started


def burst(base: str, ledger: Path, uploads: int, retry: bool) -> list[dict]:
    results: list[dict] = [{} for _ in range(uploads)]
    gate = threading.Barrier(uploads)

    def client(index: int) -> None:
        gate.wait()
        started, attempts, busy = time.monotonic(), 0, 0
        while True:
            attempts += 1
            status, document, _ = post(f"{base}/api/audit", ledger)
            if status == 503:
                busy += 1
                if retry:
                    time.sleep(min(2.0, 0.2 * attempts))
                    continue
            results[index] = {"status": status, "seconds": time.monotonic() - started, "attempts": attempts,
                              "busy": busy, "findings": document.get("summary", {}).get("findings")}
            return

    threads = [threading.Thread(target=client, args=(i,)) for i in range(uploads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", type=int, default=8)
    parser.add_argument("--size", default="medium")
    parser.add_argument("--retry", action="store_true", help="clients answered 503 try again")
    args = parser.parse_args(argv)

    ledger = cached(args.size, CACHE)
    expected = json.loads(subprocess.run(
        [sys.executable, "-m", "ledgercheck", "audit", str(ledger), "--as-of", AS_OF, "--format", "json",
         "--fail-on", "never"], capture_output=True, check=True).stdout)["summary"]["findings"]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ledgercheck", "serve", "--no-browser", "--port", str(port),
                               "--workers", str(args.workers), "--queue", str(args.queue), "--no-config"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        sampler = Sampler(server.pid)
        sampler.start()
        time.sleep(0.2)
        idle = sampler.total
        started = time.monotonic()
        results = burst(base, ledger, args.uploads, args.retry)
        wall = time.monotonic() - started
        sampler.stop.set()
        sampler.join()
        with urllib.request.urlopen(f"{base}/api/health", timeout=5) as response:
            health = json.loads(response.read())
    finally:
        server.terminate()
        server.wait(30)

    ok = [r for r in results if r.get("status") == 200]
    busy = [r for r in results if r.get("status") == 503]
    other = [r for r in results if r.get("status") not in (200, 503)]
    wrong = [r for r in ok if r["findings"] != expected]
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}; ledger {ledger.name} ({ledger.stat().st_size / 2**20:.1f} MB, "
          f"{expected} findings)")
    print(f"{args.uploads} concurrent uploads, {args.workers} workers, queue {args.queue}"
          f"{', clients retry on 503' if args.retry else ''}:")
    print(f"  answered {len(ok) + len(busy)}/{args.uploads}: {len(ok)} audits (all with the command line's "
          f"{expected} findings: {not wrong}), {len(busy)} busy (503), {len(other)} other")
    if ok:
        times = sorted(r["seconds"] for r in ok)
        print(f"  audit answered in {times[0]:.2f}–{times[-1]:.2f} s (median {times[len(times) // 2]:.2f} s); "
              f"whole burst {wall:.2f} s; 503s sent {sum(r['busy'] for r in results)}")
    print(f"  memory: idle {idle:.0f} MB, peak {sampler.total:.0f} MB in {sampler.processes} processes, "
          f"largest process {sampler.largest:.0f} MB; jobs left on the server after: {health['jobs']}")
    return 0 if not other and not wrong and len(ok) + len(busy) == args.uploads else 1


if __name__ == "__main__":
    sys.exit(main())
