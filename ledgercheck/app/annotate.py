"""The marked-up copy (`audit --annotate OUT.xlsx`): the audited workbook's editable copy, marked by the
annotate reporter, written atomically (never over the original, which is only read)."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Front, Lang, Text
from ledgercheck.common.location import Location
from ledgercheck.common.privacy import mask_text
from ledgercheck.fileio.atomic import write_atomic
from ledgercheck.findings.result import AuditResult
from ledgercheck.ingest.copy import DROPPED, EditableCopy, copy_of, dropped_parts
from ledgercheck.reporters.annotate import mark


@dataclass(frozen=True)
class Annotated:
    path: Path
    cells: int  # cells highlighted
    listed: int  # rows on the findings sheet
    dropped: tuple[str, ...] = ()  # what the original holds and the copy does not: keys of DROPPED

    def describe(self, lang: Lang) -> str:
        text = Text(f"已写出标注副本：{self.path}（标注了{self.cells}个单元格，列出{self.listed}条问题）",
                    f"Wrote the marked-up copy: {self.path} ({self.cells} cells marked, {self.listed} "
                    f"items listed)")(lang)
        if self.dropped:
            what = ("、" if lang == "zh" else ", ").join(DROPPED[k](lang) for k in self.dropped)
            text += Text(f"。注意：副本中没有原文件的{what}，原文件未改动",
                         f". Note: the copy lacks the original's {what}; the original is unchanged")(lang)
        return text


def check_target(source: Path, out: Path) -> None:
    """Refuse to write over the audited workbook, or to write anything but an .xlsx."""
    if out.suffix.lower() != ".xlsx":
        raise UsageError(Text("标注副本的文件名应以 .xlsx 结尾", "the marked-up copy's file name should end in .xlsx"),
                         Location(str(out)))
    same = out.resolve() == source.resolve() or (out.exists() and source.exists() and out.samefile(source))
    if same:
        raise UsageError(Text("标注副本不能覆盖被检查的台账，请另取一个文件名",
                              "the marked-up copy cannot overwrite the audited ledger; choose another file name"),
                         Location(str(out)))


def write_annotated(result: AuditResult, source: Path, out: Path, lang: Lang = "zh",
                    front: Front = "cli") -> Annotated:
    """Write the marked-up copy of `source` to `out`; `source` is only read.

    An .xlsx that openpyxl cannot open, or whose copy it cannot save (more columns than a sheet may have), is copied
    again from its values (ingest/copy.py); what cannot be copied even so is a UsageError, never another exception.
    """
    check_target(source, out)
    copy = copy_of(source)
    try:
        cells, listed, data = _marked(copy, result, lang, front)
    except Exception as exc:  # noqa: BLE001 - openpyxl refuses what it loaded: copy the values instead
        if copy.rebuilt:
            raise _cannot(out, exc) from exc
        copy = copy_of(source, rebuild=True)
        try:
            cells, listed, data = _marked(copy, result, lang, front)
        except Exception as again:  # noqa: BLE001
            raise _cannot(out, again) from again
    try:  # atomically: an earlier copy open in Excel is never left half-written
        write_atomic(out, data, [source])
    except UsageError as exc:
        raise UsageError(Text("无法写入标注副本（文件是否正在 Excel/WPS 中打开？）",
                              "cannot write the marked-up copy (is it open in Excel or WPS?)"),
                         Location(str(out)), exc.detail) from None
    return Annotated(out, cells, listed, tuple(dict.fromkeys(dropped_parts(source, data) + copy.dropped)))


def _marked(copy: EditableCopy, result: AuditResult, lang: Lang, front: Front) -> tuple[int, int, bytes]:
    cells, listed = mark(copy.book, result, lang, copy.titles, front)
    buffer = io.BytesIO()
    copy.book.save(buffer)
    return cells, listed, buffer.getvalue()


def _cannot(out: Path, exc: BaseException) -> UsageError:
    return UsageError(Text("无法写出标注副本", "cannot write the marked-up copy"), Location(str(out)),
                      f"{type(exc).__name__}: {exc}")


def only_file(result: AuditResult, name: str) -> AuditResult:
    """The findings and input problems located in one workbook of a ledger kept in several (sheet names repeat
    across them: a copy must not be marked with another file's cells). A one-workbook ledger is unchanged."""
    files = {f.location.file for f in result.findings if f.location is not None}
    files |= {i.location.file for i in result.input_issues}
    if len(files - {None}) <= 1:
        return result
    names = {name, mask_text(name)}  # the result's locations show the file name as reports do: perhaps masked
    return dataclasses.replace(result, findings=[f for f in result.findings
                                                 if f.location is None or f.location.file in names],
                               input_issues=[i for i in result.input_issues if i.location.file in names])
