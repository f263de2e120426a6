"""click's usage errors in the user's language. click writes 「Usage: … Try … for help. Error: Invalid value for
'--as-of': …」 in English around our own Chinese messages; in Chinese mode the whole error is Chinese.

The language is the command line's --lang (click converts it first, being eager; when parsing fails before that, it
is read from the arguments), Chinese by default as everywhere. click's English sentences are recognised by their
form (click 8); one not recognised keeps click's text after the Chinese frame.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import click

from ledgercheck.common.i18n import Lang

# click's messages (click/types.py, core.py, parser.py) → Chinese; a group's text is quoted as 「…」. Patterns as
# text, compiled (and cached by re) at the first usage error, not by every command's start.
_MESSAGES = [
    (r"^(?P<v>.+?) is not one of (?P<c>.+)\.$", "{v}不是可选的值（可选：{c}）"),
    (r"^(?P<v>.+?) is not (?P<c>'[^']*')\.$", "{v}不是可选的值（可选：{c}）"),
    (r"^(?P<v>.+?) is not a valid integer\.$", "{v}不是整数"),
    (r"^(?P<v>.+?) is not a valid integer range\.$", "{v}不是整数"),
    (r"^(?P<v>.+?) is not a valid float range\.$", "{v}不是数字"),
    (r"^(?P<v>.+?) is not a valid float\.$", "{v}不是数字"),
    (r"^(?P<v>.+?) is not in the range (?P<c>.+)\.$", "{v}不在允许的范围内（{c}）"),
    (r"^(?:File|Path) (?P<v>.+?) is a directory\.$", "{v}是文件夹，这里要一个文件"),
    (r"^(?:Directory|Path) (?P<v>.+?) is a file\.$", "{v}是文件，这里要一个文件夹"),
    (r"^(?:File|Directory|Path) (?P<v>.+?) does not exist\.$", "{v}不存在"),
    (r"^No such command (?P<v>.+?)\.$", "没有命令{v}"),
    (r"^No such option:? (?P<v>.+?)\.?$", "没有选项{v}"),
    (r"^Option (?P<v>.+?) requires an argument\.$", "选项{v}后面要写一个值"),
    (r"^Option (?P<v>.+?) requires (?P<c>\d+) arguments\.$", "选项{v}后面要写{c}个值"),
    (r"^Option (?P<v>.+?) does not take a value\.$", "选项{v}后面不写值"),
    (r"^Got unexpected extra arguments? \((?P<v>.+)\)$", "多余的参数：{v}"),
    (r"^Missing command\.$", "缺少命令"),
]


def _quoted(text: str) -> str:
    """'x' (click's repr) as 「x」."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"「{text}」"


def _chinese(message: str) -> str:
    for pattern, template in _MESSAGES:
        match = re.match(pattern, message, re.S)
        if match:
            found = match.groupdict()
            if "c" in found and found["c"] and not found["c"].isdigit():
                found["c"] = "、".join(part.strip(" '\"") for part in re.split(r",\s*", found["c"]))
            return template.format(**{**found, "v": _quoted(found["v"]) if "v" in found else ""})
    return message


def _hint(exc: click.UsageError) -> str:
    """The option or argument an error is about, as click names it."""
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        hint = param.get_error_hint(exc.ctx) if exc.ctx is not None else param.name
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return str(hint).replace("'", "") if hint else ""


def chinese_message(exc: click.UsageError) -> str:
    """The error's message in Chinese."""
    if isinstance(exc, click.MissingParameter):
        hint = _hint(exc)
        kind = {"argument": "参数", "option": "选项"}.get(exc.param_type or "", "参数")
        if exc.param is not None and exc.param_type is None:
            kind = "参数" if exc.param.param_type_name == "argument" else "选项"
        return f"缺少{kind} {hint}".rstrip()
    if isinstance(exc, click.NoSuchOption):
        text = f"没有选项「{exc.option_name}」"
        if exc.possibilities:
            text += "；是否要找：" + "、".join(exc.possibilities)
        return text
    if isinstance(exc, click.BadParameter):
        hint = _hint(exc)
        return f"{hint} 的值不对：{_chinese(exc.message)}" if hint else f"值不对：{_chinese(exc.message)}"
    return _chinese(exc.message)


def lang_of(ctx: click.Context | None, argv: list[str] | None = None) -> Lang:
    """--lang as converted, else as written on the command line; zh by default."""
    while ctx is not None:
        if ctx.params.get("lang") == "en":
            return "en"
        if ctx.params.get("lang") == "zh":
            return "zh"
        ctx = ctx.parent
    args = sys.argv[1:] if argv is None else argv
    for number, arg in enumerate(args):
        if arg == "--lang" and number + 1 < len(args):
            return "en" if args[number + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "zh"


class LocalizedUsageError(click.UsageError):
    """A usage error shown in the user's language (click shows it and exits 2)."""

    def __init__(self, original: click.UsageError) -> None:
        super().__init__(original.message, original.ctx)
        self.original = original

    def format_message(self) -> str:
        return self.original.format_message()

    def show(self, file: IO[Any] | None = None) -> None:
        if lang_of(self.ctx) == "en":
            self.original.show(file)
            return
        ctx = self.ctx
        if ctx is not None:
            usage = ctx.get_usage().replace("Usage: ", "用法：", 1)
            click.echo(f"{usage}\n查看帮助：{ctx.command_path} --help\n", file=file, err=True, color=ctx.color)
        click.echo(f"错误：{chinese_message(self.original)}", file=file, err=True, color=ctx.color if ctx else None)


@contextmanager
def localized_usage_errors() -> Iterator[None]:
    try:
        yield
    except (LocalizedUsageError, click.exceptions.NoArgsIsHelpError):
        raise  # `ledgercheck` alone (or a group alone) shows the help page, not as an error
    except click.UsageError as exc:
        raise LocalizedUsageError(exc) from None
