"""A YAML or TOML syntax error told in the user's language. PyYAML and tomllib explain in English only; the
problems people meet writing a configuration or waiver file by hand are known here in Chinese too. Others keep
the parser's text as the detail."""

from __future__ import annotations

import re

from ledgercheck.common.i18n import Text

_YAML = [
    (r"mapping values are not allowed", "这里不能写「键: 值」（缩进不对，或值里的冒号要加引号）"),
    (r"did not find expected '-' indicator", "列表项的缩进不一致（缺少「-」）"),
    (r"did not find expected node content", "这里缺少内容（括号或引号没有配对？）"),
    (r"could not find expected ':'", "缺少冒号「:」"),
    (r"did not find expected key", "缩进不一致，找不到下一个键"),
    (r"found character.*cannot start any token", "有不能开头的字符（缩进请用空格，不要用制表符）"),
    (r"found unexpected end of stream", "文件意外结束（引号或括号没有配对？）"),
    (r"found undefined alias", "引用了没有定义的别名（*名称）"),
    (r"found duplicate anchor|second occurrence", "重复定义的锚点（&名称）"),
    (r"found a tab character", "缩进里有制表符（缩进请用空格）"),
    (r"did not find expected ',' or '\]'|expected ',' or '\]'", "列表缺少逗号或「]」"),
    (r"did not find expected ',' or '\}'|expected ',' or '\}'", "映射缺少逗号或「}」"),
    (r"found unknown escape character", "双引号里有无法识别的转义（反斜杠 \\ 后面的字符）；不需要转义时请用单引号"),
    (r"but found another document", "文件里只能有一个 YAML 文档（去掉多余的「---」）"),
    (r"found unhashable key", "键不能是列表或映射"),
    (r"expected <block end>", "缩进不一致（这一行与上一层的缩进不匹配）"),
    (r"could not determine a constructor for the tag", "不允许的类型标记（「!!」开头的写法）"),
]
_TOML = [
    (r"Invalid value", "值的写法不对（文字要加引号）"),
    (r"Expected '=' after a key", "键后面缺少「=」"),
    (r"Cannot (?:overwrite|declare)", "重复的键或表"),
    (r"Unclosed (?:array|inline table)", "括号没有配对"),
    (r"Unterminated string", "引号没有配对"),
    (r"Invalid statement", "无法识别的一行"),
    (r"Illegal character", "有不允许的字符（引号没有配对？）"),
    (r"Expected '\]\]' at the end of an array declaration", "「[[表名]]」缺少「]]」"),
    (r"Expected '\]' at the end of a table declaration", "「[表名]」缺少「]」"),
    (r"Expected newline or end of document after a statement", "一行只能写一项（或者值的写法不对）"),
    (r"Unescaped '\\' in a string", "双引号里的反斜杠 \\ 要写成 \\\\，或改用单引号"),
    (r"Expected \"'\"", "单引号没有配对"),
]


def syntax_error(language: str, problem: str) -> tuple[Text, str | None]:
    """The message for a syntax error of `language` (YAML or TOML) whose parser said `problem`, and the detail
    to show after it: none when the problem is known in both languages."""
    known = _YAML if language == "YAML" else _TOML
    said = re.sub(r"\s*\(at line \d+, column \d+\)$", "", problem.strip())
    for pattern, zh in known:
        if re.search(pattern, said):
            return Text(f"{language} 语法错误：{zh}", f"{language} syntax error: {said}"), None
    return Text(f"{language} 语法错误", f"{language} syntax error"), problem
