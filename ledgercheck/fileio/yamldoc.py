"""Line-aware YAML loading (safe loader only), so every rule-pack and config error names file:line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.fileio.text import read_text

KeyPath = tuple[str | int, ...]
# libyaml's parser when PyYAML was built with it (several times faster); the same safe constructor either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDocument:
    """Parsed YAML data plus the 1-based line of every key path in it."""

    def __init__(self, path: Path, display: str, data: Any, lines: dict[KeyPath, int]):
        self.path = path
        self.display = display
        self.data = data
        self.lines = lines

    def line_of(self, loc: Iterable[str | int]) -> int:
        """The line of the deepest existing prefix of `loc` (pydantic locs may carry extra parts)."""
        current: KeyPath = ()
        for part in loc:
            if current + (part,) in self.lines:
                current = current + (part,)
        return self.lines.get(current, 1)

    def location(self, loc: Iterable[str | int] = ()) -> Location:
        return Location(self.display, line=self.line_of(loc))


def _walk(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], display: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise LedgercheckError(
                    Text(f"键「{key}」重复（第{seen[key]}行已有）", f"duplicate key {key!r} (first on line {seen[key]})"),
                    Location(display, line=line))
            seen[key] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, display)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, display)


def load_yaml(path: Path, display: str | None = None,
              error: type[LedgercheckError] = LedgercheckError) -> YamlDocument:
    """Load one YAML file with the safe loader. Errors become `error` with file and line."""
    display = display or str(path)
    text = read_text(path, display, error)
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(Text("YAML 语法错误", "YAML syntax error"), Location(display, line=line), problem) from None
    if node is None:
        return YamlDocument(path, display, None, {})
    lines: dict[KeyPath, int] = {}
    try:
        _walk(node, (), lines, display)
    except LedgercheckError as exc:
        raise error(exc.message, exc.location) from None
    try:
        data = _SafeLoader(text).construct_document(node)
    except yaml.YAMLError as exc:  # a tag the safe loader does not build (!!python/object …): refused, never run
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(Text("YAML 中有不允许的标签（只接受普通的数据）", "a YAML tag that is not allowed (only plain "
                         "data is accepted)"), Location(display, line=mark.line + 1 if mark else None),
                    problem) from None
    return YamlDocument(path, display, data, lines)


# pydantic error types → Chinese explanation (the English one comes from pydantic itself).
_ZH_ERRORS = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（拼写错误？）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "union_tag_invalid": "未知的检查类型",
    "union_tag_not_found": "缺少检查类型 kind",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "date_from_datetime_parsing": "应为日期，如 2025-01-31",
    "date_parsing": "应为日期，如 2025-01-31",
    "date_type": "应为日期，如 2025-01-31",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "value_error": "取值无效",
}


def _path_text(loc: Iterable[str | int]) -> str:
    return ".".join(str(p) for p in loc)


def validation_error(doc: YamlDocument, exc: ValidationError, error: type[LedgercheckError],
                     base: KeyPath = ()) -> LedgercheckError:
    """The first pydantic error as a located LedgercheckError (the others follow in `detail`)."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = base + tuple(first["loc"])
    path = _path_text(first["loc"])
    detail = first["msg"].removeprefix("Value error, ")
    zh = _ZH_ERRORS.get(first["type"], "取值无效")
    more = Text(f"（另有{len(errors) - 1}处错误）", f" (+{len(errors) - 1} more)") if len(errors) > 1 else Text("", "")
    message = Text(f"{path or '文件'}：{zh}：{detail}{more.zh}", f"{path or 'file'}: {detail}{more.en}")
    return error(message, doc.location(loc))


M = TypeVar("M", bound=BaseModel)


def parse_model(doc: YamlDocument, model: type[M], error: type[LedgercheckError], data: Any = None,
                base: KeyPath = ()) -> M:
    """Validate `data` (default: the whole document) against a pydantic model, with located errors."""
    payload = doc.data if data is None else data
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise validation_error(doc, exc, error, base) from None
