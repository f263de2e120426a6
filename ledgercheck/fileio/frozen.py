"""Already-validated specs (common/spec.py) to JSON and back, without validating them again.

For data the package itself ships and has checked once (the built-in rule packs, the built-in alias table):
reading it back costs a JSON parse and the dataclasses' constructors, not YAML parsing and validation. Only classes of
ledgercheck's own modules are rebuilt, and only plain values (no pickle, nothing that runs code); a file that
is not in this form raises ValueError, and callers then fall back to reading and validating the source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any

from ledgercheck.common.spec import Spec, field_names, fields_of, private_of

_OWN = "ledgercheck."
_classes: dict[str, type] = {}


def fingerprint(parts: Iterable[tuple[str, bytes]]) -> str:
    """A content hash of named byte strings (file contents with their names, a version)."""
    digest = hashlib.sha256()
    for name, data in parts:
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


PACKAGE = Path(__file__).resolve().parents[1]


def files_fingerprint(version: str, root: Path, files: Iterable[Path], sources: Iterable[str] = ()) -> str:
    """The key of data built from `files` (under `root`) by the code in `sources` (paths inside the package):
    any change to either, or another version, gives another key. A source that is not there (an install
    without .py files) raises OSError, and the stored data is then not used."""
    return fingerprint([("version", version.encode()),
                        *((path.relative_to(root).as_posix(), path.read_bytes()) for path in files),
                        *((f"ledgercheck/{source}", (PACKAGE / source).read_bytes()) for source in sources)])


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def encode(value: Any) -> Any:
    """A JSON-able form of `value`: specs, enums, dates and tuples tagged, dicts kept apart from tags."""
    if isinstance(value, Spec):
        cls = type(value)
        if not cls.__module__.startswith(_OWN):
            raise TypeError(f"not a ledgercheck spec: {_name(cls)}")
        written = {"$model": _name(cls), "fields": {name: encode(getattr(value, name)) for name in fields_of(cls)}}
        private = {name: encode(item) for name, item in private_of(value).items()}
        if private:
            written["private"] = private
        return written
    if isinstance(value, Enum):
        return {"$enum": _name(type(value)), "value": encode(value.value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        raise TypeError("datetimes are not written")
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value]}
    if isinstance(value, dict):
        if not all(isinstance(key, str) and not key.startswith("$") for key in value):
            raise TypeError(f"dict keys must be strings, none starting with $: {list(value)[:3]}")
        return {"$dict": {key: encode(item) for key, item in value.items()}}
    raise TypeError(f"cannot write {type(value).__name__}")


def _class(name: str) -> type:
    cls = _classes.get(name)
    if cls is None:
        module, _, qualname = name.partition(":")
        if not module.startswith(_OWN):
            raise ValueError(f"not a ledgercheck class: {name}")
        found: Any = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
        if not isinstance(found, type):
            raise ValueError(f"not a class: {name}")
        cls = _classes[name] = found
    return cls


def _tagged(value: dict[str, Any]) -> Any:
    """One JSON object as the parser meets it, innermost first: a tagged one becomes what it stands for; any
    other (a "$dict"'s content, a model's fields) stays a dict, read by the tagged object around it."""
    if "$model" in value:
        return _model(value)
    if "$dict" in value:
        return value["$dict"]
    if "$tuple" in value:
        return tuple(value["$tuple"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$enum" in value:
        enum = _class(value["$enum"])
        if not issubclass(enum, Enum):
            raise ValueError(f"not an enum: {value['$enum']}")
        return enum(value["value"])
    return value


def loads(text: str) -> Any:
    """`dumps(encode(...))` undone: specs rebuilt as they were validated, nothing re-checked.

    The JSON parser calls back once an object, innermost first, so no Python walk over the data is needed."""
    return json.loads(text, object_hook=_tagged)


def decode(value: Any) -> Any:
    """`encode` undone, for a value already parsed as plain JSON."""
    return loads(json.dumps(value))


def _model(value: dict[str, Any]) -> Any:
    cls = _class(value["$model"])
    if not issubclass(cls, Spec):
        raise ValueError(f"not a spec: {value['$model']}")
    fields = value["fields"]
    if fields.keys() != field_names(cls):
        raise ValueError(f"{value['$model']}: the fields have changed")
    model = cls(**fields)  # as validated: a spec's constructor checks nothing
    for name, item in value.get("private", {}).items():
        model._set(name, item)
    return model


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=0, separators=(",", ":")) + "\n"  # in order: order matters
