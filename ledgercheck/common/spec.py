"""Declared formats (rule packs and check parameters): frozen dataclasses that pydantic validates when read.

A pydantic model needs pydantic imported to exist (about 80 ms, a third of a small audit), yet an audit with a
built-in rule pack validates nothing: the package stores the packs already validated (rulebook/prebuilt.py).
So a format is a `Spec`, a frozen keyword-only dataclass declared the way a pydantic model is (`Field` with
defaults, constraints and the key as written; `field_validator`, `model_validator`; `Annotated` markers), and
pydantic is imported at its first validation. `validate` builds the spec's pydantic twin once (a model with the
same fields, constraints, keys and field validators, every nested spec replaced by its twin), validates the
data with it, and turns the result into the spec, whose model validators then run on the spec itself. Errors
are pydantic's, with the same types and locations a model of the spec would give.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import threading
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, Literal, Self, TypeVar, dataclass_transform

MISSING: Any = dataclasses.MISSING
_KEY = "spec"  # the metadata entry of a field made by Field: its FieldSpec


@dataclasses.dataclass(frozen=True)
class Constraint:
    """Bounds pydantic checks, as pydantic's Field names them: `Annotated[int, Constraint(ge=1, le=100)]`."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def given(self) -> dict[str, Any]:
        return {name: value for name, value in dataclasses.asdict(self).items() if value is not None}


@dataclasses.dataclass(frozen=True)
class After:
    """`Annotated[T, After(function)]`: the value, once of type T, passes through `function` (pydantic's
    AfterValidator); a ValueError it raises is a validation error at that value."""

    function: Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class OneOf:
    """`Annotated[A | B, OneOf("kind")]`: a union told apart by the literal value of one key."""

    key: str


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """What `Field` declares beyond a default: the key as written and pydantic's bounds."""

    key: str | None  # the key as written, where it is not the attribute's name (`from` for `from_`)
    constraint: Constraint


def Field(default: Any = MISSING, *, default_factory: Callable[[], Any] | None = None, key: str | None = None,
          ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None,
          min_length: int | None = None, max_length: int | None = None, pattern: str | None = None) -> Any:
    """A field's default, constraints and key, as pydantic's Field takes them (`key` is its `alias`)."""
    spec = FieldSpec(key, Constraint(ge, gt, le, lt, min_length, max_length, pattern))
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata={_KEY: spec})
    return dataclasses.field(default=default, metadata={_KEY: spec})


def Private() -> Any:
    """An attribute a model validator derives (pydantic's PrivateAttr): not a key of the format, not compared,
    and stored with the spec in the package's validated packs."""
    return dataclasses.field(init=False, repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class _Validator:
    """A validator declared on a spec, applied by its pydantic twin (field) or on the spec (model)."""

    kind: Literal["field", "model"]
    function: Callable[..., Any]
    fields: tuple[str, ...] = ()
    mode: Literal["before", "after"] = "after"


def field_validator(*fields: str, mode: Literal["before", "after"] = "after") -> Callable[[Any], Any]:
    """As pydantic's: a classmethod `(cls, value)` or `(cls, value, info)` that checks or converts `fields`."""

    def mark(method: Any) -> Any:
        return _Validator("field", method.__func__ if isinstance(method, classmethod) else method, fields, mode)

    return mark


def model_validator(*, mode: Literal["after"]) -> Callable[[Any], Any]:
    """As pydantic's `mode="after"`: a method that checks the whole spec once every field is valid (raising
    ValueError), and may set its Private attributes with `self._set`."""

    def mark(method: Callable[..., Any]) -> Any:
        return _Validator("model", method, (), mode)

    return mark


@dataclasses.dataclass(frozen=True)
class _Slot:
    """One field as a spec's generic methods use it."""

    name: str
    default: Any  # MISSING when there is none
    factory: Callable[[], Any] | None
    init: bool  # False: a Private attribute
    field: dataclasses.Field[Any] | None  # as declared with Field or Private


def _slots_of(cls: type) -> tuple[_Slot, ...]:
    """The fields of a spec class, its bases' first (as dataclasses orders them), from the annotations."""
    found: dict[str, _Slot] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, Spec)) or klass is Spec:
            continue
        for name, annotation in klass.__dict__.get("__annotations__", {}).items():
            if isinstance(annotation, str) and annotation.startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = klass.__dict__.get(name, MISSING)
            if isinstance(value, dataclasses.Field):
                factory: Any = None if value.default_factory is MISSING else value.default_factory
                found[name] = _Slot(name, value.default, factory, value.init, value)
            elif name in found and value is MISSING:
                continue  # annotated again without a value: the base's default stands
            else:
                found[name] = _Slot(name, value, None, True, None)
    return tuple(found.values())


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field, Private))
class Spec:
    """Base of every declared format: frozen, keyword-only, compared and hashed by its fields, as a frozen
    dataclass is; unknown keys are errors.

    The methods are the base class's, reading a table of the class's fields, not generated for each class as
    `dataclasses` does: generating them (an `exec` a method) cost about 0.7 ms a class, and a small audit was
    0.95× as long without it (paired runs).
    """

    __spec_validators__: typing.ClassVar[tuple[_Validator, ...]] = ()
    __spec_slots__: typing.ClassVar[tuple[_Slot, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [value for value in vars(cls).values() if isinstance(value, _Validator)]
        for name in [name for name, value in vars(cls).items() if isinstance(value, _Validator)]:
            delattr(cls, name)  # not attributes of the spec (nor of its instances)
        cls.__spec_validators__ = (*cls.__spec_validators__, *own)
        cls.__spec_slots__ = slots = _slots_of(cls)
        for slot in slots:
            if slot.field is not None and slot.name in cls.__dict__:
                if slot.default is MISSING:
                    delattr(cls, slot.name)
                else:
                    setattr(cls, slot.name, slot.default)  # as dataclasses leaves it: the default on the class

    def __init__(self, **values: Any) -> None:
        set_ = object.__setattr__
        for slot in self.__spec_slots__:
            if not slot.init:
                continue
            if slot.name in values:
                set_(self, slot.name, values[slot.name])
            elif slot.default is not MISSING:
                set_(self, slot.name, slot.default)
            elif slot.factory is not None:
                set_(self, slot.name, slot.factory())
            else:
                raise TypeError(f"{type(self).__name__}() missing keyword argument: {slot.name!r}")
        if len(values) > len(field_names(type(self))) or not field_names(type(self)).issuperset(values):
            unknown = sorted(set(values) - field_names(type(self)))
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {unknown}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, slot.name) for slot in self.__spec_slots__ if slot.init)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{slot.name}={getattr(self, slot.name)!r}" for slot in self.__spec_slots__ if slot.init)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (dataclasses.replace). Nothing is validated, and Private attributes,
        which a model validator derives from the fields, are not carried over: validate the data for those."""
        return type(self)(**{**{name: getattr(self, name) for name in fields_of(type(self))}, **changes})

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """`data` validated as this spec (pydantic's name; the constructor validates nothing)."""
        return validate(cls, data)

    def _set(self, name: str, value: object) -> None:
        """Set a Private attribute (from a model validator; the spec is otherwise frozen)."""
        object.__setattr__(self, name, value)


S = TypeVar("S", bound=Spec)


@dataclasses.dataclass(frozen=True)
class SpecField:
    """One field of a spec as `explain` and the rules reference show it."""

    name: str
    alias: str | None  # the key as written, where it is not the name
    annotation: Any
    metadata: tuple[Any, ...]  # the Annotated markers (Meaning, Constraint …)
    default: Any
    default_factory: Callable[[], Any] | None


_hints: dict[type, dict[str, Any]] = {}


def _annotations(cls: type) -> dict[str, Any]:
    found = _hints.get(cls)
    if found is None:
        found = _hints[cls] = typing.get_type_hints(cls, include_extras=True)
    return found


_names: dict[type, frozenset[str]] = {}


def field_names(cls: type[Spec]) -> frozenset[str]:
    """The names of a spec's fields (not its Private attributes), without evaluating their annotations."""
    found = _names.get(cls)
    if found is None:
        found = _names[cls] = frozenset(slot.name for slot in cls.__spec_slots__ if slot.init)
    return found


_described: dict[type, dict[str, SpecField]] = {}


def fields_of(cls: type[Spec]) -> dict[str, SpecField]:
    """The fields of a spec in order (not its Private attributes); the same dict each time: not to be changed."""
    found = _described.get(cls)
    if found is None:
        found = _described[cls] = _describe(cls)
    return found


def _describe(cls: type[Spec]) -> dict[str, SpecField]:
    hints = _annotations(cls)
    found = {}
    for slot in cls.__spec_slots__:
        if not slot.init:
            continue
        hint = hints[slot.name]
        metadata = tuple(hint.__metadata__) if typing.get_origin(hint) is typing.Annotated else ()
        spec = _declared(slot)
        found[slot.name] = SpecField(slot.name, spec.key if spec else None, hint, metadata, slot.default, slot.factory)
    return found


def _declared(slot: _Slot) -> FieldSpec | None:
    return slot.field.metadata.get(_KEY) if slot.field is not None else None


def private_of(value: Spec) -> dict[str, Any]:
    """The Private attributes a spec has been given."""
    return {slot.name: getattr(value, slot.name) for slot in value.__spec_slots__
            if not slot.init and hasattr(value, slot.name)}


def dump(value: Any, *, by_alias: bool = False, exclude_none: bool = False, json: bool = False) -> Any:
    """Specs as dicts of their keys, recursively (pydantic's model_dump); `json`: dates as ISO text, enums as
    their values, tuples as lists."""
    if isinstance(value, Spec):
        found = {}
        for name, item in fields_of(type(value)).items():
            inner = getattr(value, name)
            if exclude_none and inner is None:
                continue
            found[(item.alias or name) if by_alias else name] = dump(inner, by_alias=by_alias,
                                                                      exclude_none=exclude_none, json=json)
        return found
    if isinstance(value, dict):
        return {key: dump(item, by_alias=by_alias, exclude_none=exclude_none, json=json)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [dump(item, by_alias=by_alias, exclude_none=exclude_none, json=json) for item in value]
        return items if json or isinstance(value, list) else tuple(items)
    if json and isinstance(value, Enum):
        return value.value
    if json and isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---- validation through the pydantic twin ----------------------------------------------------------------

_twins: dict[type, Any] = {}
_adapters: dict[type, Any] = {}
_lock = threading.RLock()


def validate(cls: type[S], data: Any) -> S:
    """`data` validated as a `cls`; raises pydantic.ValidationError."""
    with _lock:
        adapter = _adapters.get(cls)
        if adapter is None:
            from pydantic import TypeAdapter

            adapter = _adapters[cls] = TypeAdapter(_translate(cls))
    return typing.cast(S, adapter.validate_python(data))


def _finish(cls: type[S], model: Any) -> S:
    """The validated twin as the spec, after the spec's model validators (base classes' first)."""
    value = cls(**{name: getattr(model, name) for name in fields_of(cls)})
    for validator in cls.__spec_validators__:
        if validator.kind == "model":
            validator.function(value)
    return value


def _translate(hint: Any) -> Any:
    """A type as the twin declares it: specs → their twins (made into specs once valid), markers → pydantic's."""
    from pydantic import AfterValidator, Discriminator
    from pydantic import Field as PydanticField

    if isinstance(hint, type) and issubclass(hint, Spec):
        return typing.Annotated[_twin(hint), AfterValidator(functools.partial(_finish, hint))]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        markers: list[Any] = []
        for marker in hint.__metadata__:
            if isinstance(marker, Constraint):
                markers.append(PydanticField(**marker.given()))
            elif isinstance(marker, After):
                markers.append(AfterValidator(marker.function))
            elif isinstance(marker, OneOf):
                markers.append(Discriminator(marker.key))
        inner = _translate(args[0])
        return typing.Annotated[(inner, *markers)] if markers else inner
    if origin is typing.Union or origin is types.UnionType:
        return typing.Union[tuple(_translate(arg) for arg in args)]
    if origin in (list, dict, tuple, set, frozenset) and args:
        return origin[tuple(_translate(arg) for arg in args)] if len(args) > 1 else origin[_translate(args[0])]
    return hint


def _twin(cls: type[Spec]) -> Any:
    found = _twins.get(cls)
    if found is not None:
        return found
    from pydantic import ConfigDict, create_model
    from pydantic import Field as PydanticField
    from pydantic import field_validator as pydantic_field_validator

    fields: dict[str, Any] = {}
    for slot in cls.__spec_slots__:
        if not slot.init:
            continue
        spec = _declared(slot)
        options: dict[str, Any] = spec.constraint.given() if spec else {}
        if spec is not None and spec.key is not None:
            options["alias"] = spec.key
        if slot.default is not MISSING:
            options["default"] = slot.default
        elif slot.factory is not None:
            options["default_factory"] = slot.factory
        fields[slot.name] = (_translate(_annotations(cls)[slot.name]), PydanticField(**options))
    validators: dict[str, Any] = {f"_check_{number}": pydantic_field_validator(*validator.fields, mode=validator.mode)(
                      classmethod(validator.function))
                  for number, validator in enumerate(cls.__spec_validators__) if validator.kind == "field"}
    twin = create_model(cls.__name__, __config__=ConfigDict(extra="forbid", frozen=True),
                        __validators__=validators, __module__=cls.__module__, **fields)
    _twins[cls] = twin
    return twin
