"""Line-aware YAML loading (safe loader only), so every rule-pack and config error names file:line."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Text, TextError
from ledgercheck.common.location import Location
from ledgercheck.common.spec import Spec, validate
from ledgercheck.fileio.syntax import syntax_error
from ledgercheck.fileio.text import read_text

# PyYAML and pydantic are imported when a file is read or validated: an audit with the built-in rule pack and
# aliases (stored already validated) and no configuration file reads none.
if TYPE_CHECKING:
    import yaml
    from pydantic import BaseModel, ValidationError

KeyPath = tuple[str | int, ...]


def _safe_loader() -> Any:
    """libyaml's parser when PyYAML was built with it (several times faster); the same safe constructor either
    way."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


MAX_DEPTH = 64  # levels of nesting: a rule pack or configuration needs about ten
MAX_ALIAS_NODES = 10_000  # values that aliases (*name) may add by repeating anchored ones (&name)


def _walk(root: yaml.Node, lines: dict[KeyPath, int], display: str) -> None:
    """Record the line of every key path, refusing duplicate keys, recursive aliases, nesting deeper than
    MAX_DEPTH and aliases that expand by more than MAX_ALIAS_NODES values (a billion-laughs file).

    Iterative, so no input reaches Python's recursion limit; an alias is followed like the value it repeats,
    since every later stage (validation, merging, reports) sees the repeated values.
    """
    import yaml

    seen: set[int] = set()  # nodes met once (a node met again is reached through an alias)
    active: set[int] = set()  # nodes on the path being walked
    repeated = 0
    stack: list[tuple[yaml.Node, KeyPath, int, bool]] = [(root, (), 0, False)]
    while stack:
        node, path, depth, leaving = stack.pop()
        if leaving:
            active.discard(id(node))
            continue
        where = Location(display, line=node.start_mark.line + 1)
        if id(node) in active:
            raise LedgercheckError(Text("YAML 别名引用了包含它自身的值（递归别名），无法展开",
                                        "a YAML alias refers to a value that contains it (a recursive alias); it "
                                        "cannot be expanded"), where)
        if id(node) in seen:
            repeated += 1
            if repeated > MAX_ALIAS_NODES:
                raise LedgercheckError(Text(f"YAML 别名（*名称）展开后的内容超过 {MAX_ALIAS_NODES:,} 项，拒绝读取"
                                            "（可能是恶意构造的文件）；请直接写出各项",
                                            f"YAML aliases (*name) expand to more than {MAX_ALIAS_NODES:,} values; "
                                            "refused (a malicious file?): write the values out"), where)
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise LedgercheckError(Text(f"YAML 嵌套超过 {MAX_DEPTH} 层，拒绝读取",
                                        f"the YAML is nested more than {MAX_DEPTH} levels deep; refused"), where)
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            active.add(id(node))
            stack.append((node, path, depth, True))
            found: dict[object, int] = {}
            children = []
            for key_node, value_node in node.value:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if not isinstance(key, str):  # a key that is itself a list or mapping: kept as written
                    key = str(key_node.start_mark)
                if key in found:
                    raise LedgercheckError(
                        Text(f"键「{key}」重复（第{found[key]}行已有）", f"duplicate key {key!r} (first on line {found[key]})"),
                        Location(display, line=line))
                found[key] = line
                lines[path + (key,)] = line
                children.append((value_node, path + (key,), depth + 1, False))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            active.add(id(node))
            stack.append((node, path, depth, True))
            stack.extend((item, path + (index,), depth + 1, False) for index, item in reversed(
                list(enumerate(node.value))))


def load_yaml(path: Path, display: str | None = None,
              error: type[LedgercheckError] = LedgercheckError) -> YamlDocument:
    """Load one YAML file with the safe loader. Errors become `error` with file and line."""
    import yaml

    display = display or str(path)
    text = read_text(path, display, error)
    loader = _safe_loader()
    try:
        node = yaml.compose(text, Loader=loader)
    except RecursionError:  # the pure-Python parser (PyYAML without libyaml) on deep nesting
        raise error(Text("YAML 嵌套过深，拒绝读取", "the YAML is nested too deeply; refused"),
                    Location(display)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        message, detail = syntax_error("YAML", getattr(exc, "problem", None) or str(exc))
        raise error(message, Location(display, line=line), detail) from None
    if node is None:
        return YamlDocument(path, display, None, {})
    lines: dict[KeyPath, int] = {}
    try:
        _walk(node, lines, display)
    except LedgercheckError as exc:
        raise error(exc.message, exc.location) from None
    try:
        data = loader(text).construct_document(node)
    except RecursionError:  # not reached after _walk's checks; a safeguard all the same
        raise error(Text("YAML 嵌套过深，拒绝读取", "the YAML is nested too deeply; refused"),
                    Location(display)) from None
    except yaml.YAMLError as exc:  # a tag the safe loader does not build (!!python/object …): refused, never run
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(Text("YAML 中有不允许的标签（只接受普通的数据）", "a YAML tag that is not allowed (only plain "
                         "data is accepted)"), Location(display, line=mark.line + 1 if mark else None),
                    problem) from None
    except (ValueError, OverflowError):  # a date YAML recognises that the calendar has not: 2025-13-01
        bad = _unbuildable(node)
        value = bad.value if bad is not None else ""
        raise error(Text(f"不存在的日期「{value}」", f"no such date {value!r}"),
                    Location(display, line=bad.start_mark.line + 1 if bad is not None else None)) from None
    return YamlDocument(path, display, data, lines)


def _unbuildable(root: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar of the document that cannot be built (2025-13-01 reads as a date but is none)."""
    import yaml

    loader = _safe_loader()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader("").construct_object(node)
            except (ValueError, OverflowError):
                return node
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


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
    "model_type": "应为映射（键: 值）",  # a section (sheets.members:) written as a value
    "model_attributes_type": "应为映射（键: 值）",
    "date_from_datetime_parsing": "应为日期，如 2025-01-31",
    "date_parsing": "应为日期，如 2025-01-31",
    "date_type": "应为日期，如 2025-01-31",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "value_error": "取值无效",
}


def _zh_detail(error: Any, detail: str) -> str:
    """pydantic's error in Chinese: its kind, what was expected (from its context) and what was written. Only our
    own validators' messages (value_error) and kinds not listed keep pydantic's English after the Chinese."""
    kind, context = error["type"], error.get("ctx") or {}
    text = _ZH_ERRORS.get(kind, "取值无效")
    if kind in ("literal_error", "enum") and "expected" in context:
        text += f"，应为 {str(context['expected']).replace(' or ', ' 或 ')}"
    elif kind == "union_tag_invalid" and "tag" in context:
        text += f"「{context['tag']}」，可用：{context.get('expected_tags', '')}"
    elif kind == "greater_than_equal" and "ge" in context:
        text += f"，应不小于 {context['ge']}"
    elif kind == "less_than_equal" and "le" in context:
        text += f"，应不大于 {context['le']}"
    elif kind == "value_error" and isinstance(context.get("error"), TextError):
        text += f"：{context['error'].text.zh}"
    elif kind not in _ZH_ERRORS or kind == "value_error":
        text += f"：{detail}"
    written = error.get("input")
    if kind not in ("missing", "extra_forbidden") and isinstance(written, (str, int, float, bool)) and \
            len(str(written)) <= 40:
        text += f"（写的是「{written}」）"
    return text


def _path_text(loc: Iterable[str | int]) -> str:
    return ".".join(str(p) for p in loc)


def validation_error(doc: YamlDocument, exc: ValidationError, error: type[LedgercheckError],
                     base: KeyPath = ()) -> LedgercheckError:
    """The first pydantic error as a located LedgercheckError (the others follow in `detail`)."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    own = (first.get("ctx") or {}).get("error")
    where = tuple(first["loc"]) + (own.at if isinstance(own, TextError) else ())
    loc = base + where
    path = _path_text(where)
    detail = first["msg"].removeprefix("Value error, ")
    if isinstance(own, TextError):
        detail = own.text.en
    more = Text(f"（另有{len(errors) - 1}处错误）", f" (+{len(errors) - 1} more)") if len(errors) > 1 else Text("", "")
    message = Text(f"{path or '文件'}：{_zh_detail(first, detail)}{more.zh}", f"{path or 'file'}: {detail}{more.en}")
    return error(message, doc.location(loc))


M = TypeVar("M", bound="BaseModel | Spec")


def parse_model(doc: YamlDocument, model: type[M], error: type[LedgercheckError], data: Any = None,
                base: KeyPath = ()) -> M:
    """Validate `data` (default: the whole document) against a spec or a pydantic model, with located errors."""
    from pydantic import ValidationError

    payload = doc.data if data is None else data
    try:
        if issubclass(model, Spec):
            return typing.cast(M, validate(model, payload))
        return typing.cast(M, model.model_validate(payload))
    except ValidationError as exc:
        raise validation_error(doc, exc, error, base) from None
