"""Preloaded into the worker processes of the LocalCluster a Dask scan starts (dask_runner.py).

They share the terminal's process group: Ctrl-C is the scan's to handle (it cancels the tasks and closes the
cluster, as the local pool's workers leave it to the parent), so the workers ignore it.
"""

from __future__ import annotations

import signal
from typing import Any


def dask_setup(_worker: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
