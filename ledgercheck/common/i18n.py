"""Bilingual text (Chinese first, English on request) and safe message-template rendering."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal, NamedTuple

Lang = Literal["zh", "en"]
# Who reads a text: the command line's user or the web page's. Advice names what each can do (--org, or the
# page's 所属组织 field); the command line is the default, and what the machine formats say.
Front = Literal["cli", "web"]


class Text(NamedTuple):
    """A user-facing string in both languages."""

    zh: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.zh

    def format(self, **values: object) -> Text:
        return Text(render(self.zh, values, "zh"), render(self.en, values, "en"))


class TextError(ValueError):
    """A validator's complaint in both languages: pydantic keeps the exception, and fileio/yamldoc shows the
    text in the user's language (a bare ValueError's message is English only). `at`: the key path, below the
    value validated, of what the complaint is about (a model validator checking a whole file names the key), so
    that the message points at that key's line."""

    def __init__(self, text: Text, at: tuple[str | int, ...] = ()):
        super().__init__(text.en)
        self.text = text
        self.at = at


# Canonical ledger vocabulary, shown in English messages when --lang en.
VOCAB_EN: dict[str, str] = {
    "机关党委": "organ Party committee",
    "党委": "Party committee",
    "党总支": "general Party branch",
    "党支部": "Party branch",
    "联合党支部": "joint Party branch",
    "临时党支部": "temporary Party branch",
    "支部党员大会": "branch general assembly",
    "支部委员会": "branch committee meeting",
    "党小组会": "Party group meeting",
    "党课": "Party lecture",
    "主题党日": "theme Party day",
    "组织生活会": "organizational-life meeting",
    "民主评议党员": "democratic appraisal of members",
    "谈心谈话": "heart-to-heart talk",
    "集中学习": "group study",
    "正式党员": "full member",
    "预备党员": "probationary member",
    "在职": "in-service",
    "离退休": "retired",
    "学生": "student",
    "其他": "other",
    "正常": "active",
    "流动": "mobile member",
    "出国（境）": "abroad",
    "失联": "out of contact",
    "停止党籍": "membership suspended",
    "转出": "transferred out",
    "出党": "left the Party",
    "去世": "deceased",
    "男": "male",
    "女": "female",
}


def vocab(value: str, lang: Lang) -> str:
    return VOCAB_EN.get(value, value) if lang == "en" else value


class Term(str):
    """A ledger vocabulary value (支部委员会, 正式党员) that English messages translate.

    Plain strings (organization and person names) are never translated: a branch may be named 机关党委.
    """


def placeholders(template: str) -> set[str]:
    """The simple names a template uses; raises ValueError on anything but `{name}`."""
    names: set[str] = set()
    for _literal, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"placeholder {{{field}{'!' + conversion if conversion else ''}"
                             f"{':' + spec if spec else ''}}} must be a plain name such as {{org}}")
        names.add(field)
    return names


def format_value(value: object, lang: Lang) -> str:
    """How a value appears inside a message."""
    if value is None:
        return "—"
    localized = getattr(value, "localized", None)
    if callable(localized):
        return localized(lang)
    if isinstance(value, Text):
        return value(lang)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        sep = ", " if lang == "en" else "、"
        return sep.join(format_value(v, lang) for v in value)
    if isinstance(value, Term):
        return vocab(value, lang)
    return str(value)


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: Mapping[str, object], lang: Lang) -> str:
    """Fill `{name}` placeholders; unknown names are left as written (load-time checks catch them)."""
    return template.format_map(_Values({k: format_value(v, lang) for k, v in values.items()}))


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """Convert a Chinese numeral below 1000 (十二, 三十一, 一百零五) to an int."""
    if not text or any(ch not in _DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


_UNIT_EN = {"条": ("Art.", "Arts."), "章": ("Ch.", "Chs."), "款": ("para.", "paras."), "节": ("Sec.", "Secs."),
            "部分": ("Part", "Parts")}
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百、，,]+)(条|章|款|节|部分)")


@lru_cache(maxsize=1024)  # a few hundred articles, cited again in every audit of a scan
def article_en(article: str) -> str:
    """English form of a Chinese article reference: 第十二条 → Art. 12, 第五、六条 → Arts. 5, 6."""

    def one(match: re.Match[str]) -> str:
        parts = [chinese_number(p) for p in re.split(r"[、，,]", match.group(1)) if p]
        if any(p is None for p in parts):
            return match.group(0)
        single, plural = _UNIT_EN[match.group(2)]
        return f" {plural if len(parts) > 1 else single} {', '.join(str(p) for p in parts)} "

    result = _ARTICLE.sub(one, article)

    def item(match: re.Match[str]) -> str:
        number = chinese_number(match.group(1))
        return f"({number})" if number is not None else match.group(0)

    result = re.sub(r"\s*[（(]([零〇一二三四五六七八九十]+)[）)]", item, result)
    return re.sub(r"\s+", " ", result).strip()
