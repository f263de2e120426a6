"""`scan --notices DIR`: a rectification notice (整改通知书) per unit as .docx, and all of them on one printable
HTML page.

    written = write_notices(report, report.rules, out_dir, deadline=30, lang="zh")   # or deadline=dt.date(...)
    click.echo(written.summary(lang), err=True)   # 已生成整改通知书 12 份；3 个单位未发现需要整改的问题，未生成

Each unit with something to rectify gets `<workbook stem>-整改通知书.docx` (a name Windows accepts; two
workbooks of one stem in different folders get `-2`, `-3` …), written atomically. A unit with nothing at or above
the listed level gets no notice, nor does a file that could not be audited: `summary()` counts both.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path, PurePath

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Lang
from ledgercheck.fileio.atomic import Protected, atomic_file, guard, refuse_protected
from ledgercheck.findings.notices import Notice, NoticeCounts, NoticeTerms, terms_for
from ledgercheck.findings.result import RuleInfo
from ledgercheck.findings.scan.notices import ScanNotices
from ledgercheck.findings.scan.report import ScanReport

SUFFIX = "-整改通知书.docx"
SUFFIX_EN = "-rectification-notice.docx"
HTML_NAME = "整改通知书（全部）.html"
HTML_NAME_EN = "rectification-notices.html"
NAME_BYTES = 240  # of a whole file name, in UTF-8 (most file systems allow 255)

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_stem(name: str) -> str:
    """A file-name stem every system accepts: no \\ / : * ? " < > | or control characters, no trailing dot or
    space, not a reserved device name (CON, NUL, COM1 …), not empty; characters that are not text (an escaped
    GBK name) replaced."""
    name = name.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates of a non-UTF-8 name
    name = unicodedata.normalize("NFC", name)
    name = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    if not name or set(name) <= {"_", "."}:
        name = "unit"
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = f"_{name}"
    return name


def _fit(stem: str, suffix: str, limit: int = NAME_BYTES) -> str:
    room = limit - len(suffix.encode("utf-8"))
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return stem.rstrip(". ") or "unit"


def notice_file_name(file: str, taken: set[str] | None = None, suffix: str = SUFFIX) -> str:
    """`<stem of the workbook>-整改通知书.docx`, safe on Windows, unique (case-insensitively) against `taken`.

    `file` is the workbook as the scan shows it, a path of the system the scan ran on."""
    base = PurePath(file).name or file  # the path's last part, by this system's rules (where the scan ran)
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = _fit(safe_stem(stem), suffix)
    name, number = f"{stem}{suffix}", 1
    while taken is not None and name.casefold() in taken:
        number += 1
        name = f"{_fit(stem, f'-{number}{suffix}')}-{number}{suffix}"
    if taken is not None:
        taken.add(name.casefold())
    return name


class WrittenNotices(list[Path]):
    """The .docx files written (a list of paths), with the HTML page and what the batch came to."""

    def __init__(self, paths: Iterable[Path] = (), counts: NoticeCounts | None = None,
                 html: Path | None = None) -> None:
        super().__init__(paths)
        self.counts = counts or NoticeCounts(written=len(self))
        self.html = html

    def summary(self, lang: Lang) -> str:
        """One line for stderr: 已生成整改通知书 N 份（DIR）；M 个单位未发现需要整改的问题，未生成 …"""
        line = self.counts.summary(lang)
        if self:
            folder = self[0].parent
            line = line.replace(" 份", f" 份（{folder}）", 1) if lang == "zh" else f"{line} in {folder}"
        return line


def write_notice_files(notices: Iterable[Notice], out_dir: Path, *, lang: Lang = "zh",
                       protected: Iterable[Path] | Protected = (), jobs: int = 1) -> list[Path]:
    """Write each notice to `out_dir/<stem>-整改通知书.docx`; returns the paths, in order. With `jobs` above 1 and
    more than a few notices, worker processes write them (reporters/notice_pool.py): the same files."""
    from ledgercheck.reporters.notice_pool import BATCH, write_in_pool, write_one

    out_dir.mkdir(parents=True, exist_ok=True)
    inputs = guard(protected)
    suffix = SUFFIX_EN if lang == "en" else SUFFIX
    taken: set[str] = set()

    def named() -> Iterator[tuple[Notice, Path]]:
        for notice in notices:
            path = out_dir / notice_file_name(notice.file, taken, suffix)
            refuse_protected(path, inputs)
            yield notice, path

    items = named()
    first = list(islice(items, 2 * BATCH)) if jobs > 1 else []
    if len(first) == 2 * BATCH:  # enough to share out
        return list(write_in_pool(chain(first, items), jobs))
    written: list[Path] = []
    for notice, path in chain(first, items):
        write_one(notice, path)
        written.append(path)
    return written


def write_notice_page(notices: Iterable[Notice], path: Path, *, lang: Lang = "zh",
                      protected: Iterable[Path] | Protected = ()) -> Path:
    """Every notice on one printable HTML page (each unit and its 回执 on new pages), streamed to `path`."""
    from ledgercheck.reporters.notice_html import write_html

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path, protected) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
        write_html(notices, text, lang)
        text.flush()
        text.detach()
    return path


def write_notices(report: ScanReport, rule_infos: Sequence[RuleInfo] | None, out_dir: Path,
                  deadline: dt.date | int | None = None, lang: Lang | None = None, *,
                  terms: NoticeTerms | None = None, html: bool = True,
                  protected: Iterable[Path] | Protected = (), jobs: int = 1) -> WrittenNotices:
    """Write a scan's notices into `out_dir` (created if missing); what `ledgercheck scan … --notices DIR` calls.

    - `report`: the ScanReport, while its store is still open (inside `with ScanStore()`).
    - `rule_infos`: the rules in force (titles, citations, fixes); None takes `report.rules`, which the scan fills
      from `Context.rule_infos()`.
    - `deadline`: a date, or a number of days after the issue date (today); None: 30 days. `terms`, when given,
      replaces it and also sets the issue date, the issuer, the number's prefix and the lowest level listed.
    - `lang`: the notices' words and rule texts; None takes the report's (the findings' messages are in it).
    - `html`: also write all notices on one printable page, `整改通知书（全部）.html`.
    - `protected`: files never to overwrite (the scanned workbooks).
    - `jobs`: worker processes writing the .docx files (a scan's --jobs); 1: this process alone.

    Returns the .docx paths (a list) with `.html` (the page, or None), `.counts` and `.summary(lang)`. Raises
    UsageError when the terms cannot be used (a deadline before the issue date), python-docx is missing or a file
    cannot be written. The store is read once per output, one unit at a time.
    """
    terms = terms or terms_for(deadline)
    problem = terms.problem()
    if problem is not None:  # the command line refuses these before the scan; a library caller learns it here
        raise UsageError(problem)
    notices = ScanNotices(report, rule_infos, terms, lang)
    language = notices.lang
    inputs = guard(protected)  # once: a notice per unit, each checked against every workbook scanned
    files = write_notice_files(notices, out_dir, lang=language, protected=inputs, jobs=jobs)
    page = None
    if html:
        page = write_notice_page(notices, out_dir / (HTML_NAME_EN if language == "en" else HTML_NAME),
                                 lang=language, protected=inputs)
    return WrittenNotices(files, notices.counts, page)
