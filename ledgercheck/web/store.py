"""Uploads and their results, in one private temporary folder that nothing outlives.

Each audit is a job in a folder named by nothing guessable: `in/` holds the uploaded workbooks, `out/` what
the worker made of them. A job is deleted when its owner asks, when its lifetime ends (the sweeper), and with
the whole folder at shutdown. Links to a job carry its token, 32 random bytes: knowing one result's link
reveals no other.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@dataclass
class Job:
    token: str
    folder: Path
    created: float  # time.monotonic()
    lang: str = "zh"
    as_of: dt.date | None = None
    since: dt.date | None = None
    org: str | None = None  # the organization of a ledger without an organizations sheet (the form's 所属组织)
    files: list[str] = field(default_factory=list)  # names of the uploaded workbooks, in `in/`
    corrections: dict[str, Any] = field(default_factory=dict)  # the mapping page's alias file, as data
    summary: dict[str, Any] | None = None  # the worker's outcome once it is done
    cache: dict[str, Any] = field(default_factory=dict)  # results loaded from `out/` for the pages

    @property
    def inputs(self) -> Path:
        return self.folder / "in"

    @property
    def outputs(self) -> Path:
        return self.folder / "out"


NAME_BYTES = 180  # of an uploaded file's stored name, in UTF-8 (see safe_name)


def safe_name(name: str, taken: set[str] | None = None) -> str:
    """The base name of an uploaded file, fit to store: no folders, no control or reserved characters."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1]).strip().strip(".")
    base = _UNSAFE.sub("_", base)[-120:] or "台账.xlsx"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    # A file system holds 255 bytes a name, not characters: 84 Chinese characters are 252 bytes. Room is left for
    # "(2)" and the marked-up copy's "-检查结果" (its name is made from this one); the stem loses its start, as above.
    while len(stem.encode("utf-8")) + len(suffix.encode("utf-8")) > NAME_BYTES and len(stem) > 1:
        stem = stem[1:]
    base = f"{stem}.{suffix}" if suffix else stem
    candidate, n = base, 2
    while taken is not None and candidate.lower() in taken:
        candidate = f"{stem}({n}).{suffix}" if suffix else f"{stem}({n})"
        n += 1
    if taken is not None:
        taken.add(candidate.lower())
    return candidate


class JobStore:
    def __init__(self, lifetime: float, root: Path | None = None):
        self.lifetime = lifetime
        self.root = Path(tempfile.mkdtemp(prefix="ledgercheck-web-", dir=root))  # mode 0700
        os.chmod(self.root, 0o700)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def new(self) -> Job:
        token = secrets.token_urlsafe(32)
        folder = self.root / token
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        job = Job(token, folder, time.monotonic())
        with self._lock:
            self._jobs[token] = job
        return job

    def get(self, token: str) -> Job | None:
        if not _TOKEN.match(token):
            return None
        with self._lock:
            job = self._jobs.get(token)
        if job is not None and self._expired(job, time.monotonic()):
            self.delete(token)
            return None
        return job

    def delete(self, token: str) -> None:
        with self._lock:
            job = self._jobs.pop(token, None)
        if job is not None:
            shutil.rmtree(job.folder, ignore_errors=True)

    def _expired(self, job: Job, now: float) -> bool:
        return now - job.created > self.lifetime

    def sweep(self) -> int:
        """Delete every job past its lifetime; returns how many."""
        now = time.monotonic()
        with self._lock:
            old = [token for token, job in self._jobs.items() if self._expired(job, now)]
        for token in old:
            self.delete(token)
        return len(old)

    def __len__(self) -> int:
        return len(self._jobs)

    def close(self) -> None:
        with self._lock:
            self._jobs.clear()
        shutil.rmtree(self.root, ignore_errors=True)
