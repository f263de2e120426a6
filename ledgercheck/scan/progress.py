"""Progress on stderr: a rich progress bar on a terminal, a plain line every 10 % otherwise (CI logs)."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.scan.summary import FileResult

CHECKING = Text("检查台账", "auditing")
PLAIN = Text("已检查 {done}/{total} 个文件（{percent}%），问题文件 {bad} 个，{rate:.0f} 个/秒",
             "audited {done}/{total} files ({percent}%), {bad} with problems, {rate:.0f} files/s")


class Progress(Protocol):
    def start(self) -> None: ...

    def advance(self, result: FileResult) -> None: ...

    def stop(self) -> None: ...


class PlainProgress:
    def __init__(self, total: int, lang: Lang, stream: TextIO):
        self.total, self.lang, self.stream = total, lang, stream
        self.done = self.bad = 0
        self.started = time.perf_counter()
        self.next_step = 1  # print when this many tenths are done

    def start(self) -> None:
        self.started = time.perf_counter()

    def advance(self, result: FileResult) -> None:
        self.done += 1
        self.bad += result.status != "ok"
        if self.done * 10 >= self.next_step * self.total or self.done == self.total:
            while self.done * 10 >= self.next_step * self.total:
                self.next_step += 1
            rate = self.done / max(time.perf_counter() - self.started, 1e-6)
            line = PLAIN(self.lang).format(done=self.done, total=self.total, percent=self.done * 100 // self.total,
                                           bad=self.bad, rate=rate)
            print(line, file=self.stream, flush=True)

    def stop(self) -> None:
        pass


class RichProgress:
    def __init__(self, total: int, lang: Lang, stream: TextIO):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                                 console=Console(file=stream), transient=False)
        self.task = self.progress.add_task(CHECKING(lang), total=total, rate="")
        self.lang = lang
        self.started = time.perf_counter()

    def start(self) -> None:
        self.started = time.perf_counter()
        self.progress.start()

    def advance(self, _result: FileResult) -> None:
        done = self.progress.tasks[0].completed + 1
        rate = done / max(time.perf_counter() - self.started, 1e-6)
        self.progress.update(self.task, advance=1, rate=f"{rate:.0f}/s" if self.lang == "en" else f"{rate:.0f} 个/秒")

    def stop(self) -> None:
        self.progress.stop()


def make_progress(total: int, lang: Lang, stream: TextIO | None = None, quiet: bool = False) -> Progress:
    stream = stream or sys.stderr
    if quiet or stream is None:  # None: started without a stderr (a daemon's); print would write to stdout
        return _Silent()
    if getattr(stream, "isatty", lambda: False)():
        return RichProgress(total, lang, stream)
    return PlainProgress(total, lang, stream)


class _Silent:
    def start(self) -> None:
        pass

    def advance(self, result: FileResult) -> None:
        pass

    def stop(self) -> None:
        pass
