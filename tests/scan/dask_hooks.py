"""Files that misbehave in a worker, for the executor tests (tests/scan/test_dask.py).

`install()` patches the reader so that a workbook whose name contains KILLER ends its worker process (as the
out-of-memory killer would) and one whose name contains SLOW never finishes. The local pool's workers are forked
from the patched test process; the Dask test cluster's worker processes are spawned, so they preload this module
(`dask_setup`), which patches the reader in each of them, restarted ones included.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from ledgercheck.app.context import Context

KILLER = "kills-its-worker"
SLOW = "takes-forever"


def install(monkeypatch: Any = None) -> None:
    real = Context.read

    def misbehaving(self: Context, path: Path, *args: Any, **kwargs: Any) -> Any:
        name = str(args[0] if args else path)
        if KILLER in name:
            os._exit(1)
        if SLOW in name:
            time.sleep(600)
        return real(self, path, *args, **kwargs)

    if monkeypatch is not None:
        monkeypatch.setattr(Context, "read", misbehaving)
    else:
        Context.read = misbehaving  # type: ignore[method-assign]


def dask_setup(_worker: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as ledgercheck.scan.dask_preload does
    install()
