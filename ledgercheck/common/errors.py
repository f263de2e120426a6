"""User-facing errors. Each carries a location and a bilingual message; the CLI maps them to exit 2."""

from __future__ import annotations

import errno
import sys
from typing import TextIO

from ledgercheck.common.i18n import Front, Lang, Text
from ledgercheck.common.location import Location


class LedgercheckError(Exception):
    """An error the user can fix: the input, the rules or the configuration cannot be used."""

    kind = Text("错误", "error")

    def __init__(self, message: Text, location: Location | None = None, detail: str | None = None, *,
                 web: Text | None = None):
        super().__init__(message.en)
        self.message = message
        self.location = location
        self.detail = detail  # untranslated technical detail (library message), shown after the text
        self.web = web  # the message for the web page, where it advises what the command line's does not fit

    def describe(self, lang: Lang, front: Front = "cli") -> str:
        where = f"{self.location.describe(lang)}: " if self.location else ""
        detail = f" ({self.detail})" if self.detail else ""
        message = self.web if front == "web" and self.web is not None else self.message
        return f"{self.kind(lang)}: {where}{message(lang)}{detail}"


class WorkbookError(LedgercheckError):
    kind = Text("无法读取台账", "cannot read ledger")


class RulePackError(LedgercheckError):
    kind = Text("规则包错误", "rule pack error")


class ConfigError(LedgercheckError):
    kind = Text("配置错误", "configuration error")


class UsageError(LedgercheckError):
    kind = Text("用法错误", "usage error")


def require_stdout() -> TextIO:
    """sys.stdout, or UsageError where the process was started with descriptor 1 closed (sys.stdout is None): a
    report for the terminal has nowhere to go, and saying so beats failing inside the reporter."""
    if sys.stdout is None:
        raise UsageError(NO_STDOUT)
    return sys.stdout


NO_STDOUT = Text("没有可写的标准输出（已关闭），无法输出：请把输出重定向到文件（如 > 报告.txt），或用 -o 指定报告文件",
                 "there is no standard output (it is closed), so nothing can be shown: redirect it to a file "
                 "(> report.txt), or name a report file with -o")


# Why a file could not be read or written, in both languages (the system's own text is English only).
_OS_REASONS = {
    errno.ENOENT: Text("文件不存在", "no such file"),
    errno.EACCES: Text("没有权限", "permission denied"),
    errno.EPERM: Text("没有权限", "permission denied"),
    errno.EISDIR: Text("这是文件夹，不是文件", "it is a folder, not a file"),
    errno.ENOTDIR: Text("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.ENOSPC: Text("磁盘已满", "no space left on the disk"),
    errno.EROFS: Text("只读的文件系统", "read-only file system"),
    errno.ENAMETOOLONG: Text("文件名太长", "the file name is too long"),
    errno.ELOOP: Text("符号链接循环", "a loop of symbolic links"),
    errno.EEXIST: Text("文件已存在", "the file exists"),
    errno.EBUSY: Text("文件正被占用", "the file is busy"),
}


def reason(exc: BaseException) -> Text:
    """What went wrong reading or writing a file, for a person: a missing file, no permission, not UTF-8 …"""
    if isinstance(exc, UnicodeDecodeError):
        return Text(f"不是 UTF-8 编码的文本（第{exc.start + 1}个字节），请另存为 UTF-8",
                    f"not UTF-8 text (byte {exc.start + 1}); save it as UTF-8")
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if isinstance(exc, OSError) and exc.errno is not None:
        name = errno.errorcode.get(exc.errno, str(exc.errno))
        return Text(f"系统错误 {name}", f"{exc.strerror or 'system error'} ({name})")
    return Text("系统错误", str(exc) or type(exc).__name__)


def with_reason(message: Text, exc: BaseException) -> Text:
    """「无法读取文件：文件不存在」 / 'cannot read the file: no such file'."""
    why = reason(exc)
    return Text(f"{message.zh}：{why.zh}", f"{message.en}: {why.en}")
