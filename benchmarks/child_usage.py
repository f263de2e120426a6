"""One measure of a child process for the tests and the benchmarks: its exit status, wall and CPU seconds and its
own peak resident set size.

Linux counts the RSS a process had before exec in its ru_maxrss, so a child forked straight from a pytest process
(or a benchmark that built a large workbook) that has grown to 300 MB reports at least 300 MB whatever it uses.
`measure` therefore starts this file as a small launcher (`python child_usage.py MEMORY RESULT CMD...`), which forks
the command from itself, caps its address space at MEMORY bytes (0: no cap), waits for it and writes its usage to
RESULT. CPU includes the command's own children that it waited for (worker processes).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class Usage:
    status: int  # the exit code; -N when killed by signal N
    seconds: float  # wall, from fork to exit (not counting the launcher's own start)
    cpu: float  # user + system
    peak_mib: float


class Timeout(Exception):
    pass


def measure(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, memory: int = 0,
            timeout: float | None = None, stdout: IO[bytes] | int | None = subprocess.DEVNULL,
            stderr: IO[bytes] | int | None = None) -> Usage:
    """Run `argv` to completion through the launcher; Timeout (the whole group killed) past `timeout` seconds."""
    with tempfile.TemporaryDirectory(prefix="ledgercheck-usage-") as scratch:
        result = Path(scratch) / "usage.json"
        child = subprocess.Popen([sys.executable, __file__, str(memory), str(result), *argv], cwd=cwd, env=env,
                                 stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            raise Timeout(f"{' '.join(argv)} took more than {timeout} s") from None
        if child.returncode:
            raise RuntimeError(f"the launcher failed ({child.returncode}) for {' '.join(argv)}")
        usage = json.loads(result.read_text(encoding="utf-8"))
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    return Usage(usage["status"], usage["seconds"], usage["cpu"],
                 usage["maxrss"] / ((1 << 20) if sys.platform == "darwin" else 1024))


def _launch() -> None:
    memory, result, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            if memory:
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    with open(result, "w", encoding="utf-8") as out:
        json.dump({"status": os.waitstatus_to_exitcode(status), "seconds": seconds,
                   "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss}, out)


if __name__ == "__main__":
    _launch()
