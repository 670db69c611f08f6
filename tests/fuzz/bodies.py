"""JSON bodies generated from the generated models themselves, and the places in a body to break.

`valid_body(cls)` walks an attrs model's fields and types (str, int, float, bool, bytes, datetime, date,
enums, Literal, lists, dicts, nested models, unions with None, scalar unions, unions of models, Any)
and draws a JSON value that fits. `places(body, cls)` walks a body and its model together and lists
every value in it with the type it must have and the path a DecodeError names (`$.a[0].b`, in JSON
names): the mutations of test_models.py pick one.
"""

from __future__ import annotations

import base64
import datetime
import enum
import inspect
import os
import types
import typing
from collections.abc import Iterator
from types import ModuleType, NoneType
from typing import Any, Literal

import attrs
from hypothesis import strategies as st

from tessera import biuwer, optiwe, videsk, zapsign
from tessera._runtime.conversion import json_name

VENDORS: tuple[ModuleType, ...] = (zapsign, videsk, optiwe, biuwer)

JSON_SCALARS = (
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)
)
JSON = st.recursive(
    JSON_SCALARS | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
"""Any JSON value, for fields typed Any."""


def models() -> list[tuple[str, type[Any]]]:
    """(vendor, model) for every attrs class of every vendor's models.py."""
    found = []
    for vendor in VENDORS:
        for _, cls in inspect.getmembers(vendor.models, inspect.isclass):
            if attrs.has(cls) and cls.__module__ == vendor.models.__name__:
                attrs.resolve_types(cls)
                found.append((vendor.__name__.rpartition(".")[2], cls))
    return found


def members(annotation: Any) -> tuple[Any, ...]:
    """The members of a union, or () for any other annotation."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return ()


def required(field: attrs.Attribute[Any]) -> bool:
    return field.default is attrs.NOTHING


# A time zone with minutes, and ones either side of UTC: isoformat must round-trip all of them.
_ZONES: st.SearchStrategy[datetime.tzinfo | None] = st.sampled_from(
    [
        None,
        datetime.UTC,
        datetime.timezone(datetime.timedelta(hours=-3)),
        datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
    ]
)


def _datetime_text(moment: datetime.datetime, zone: datetime.tzinfo | None, zulu: bool) -> str:
    text = moment.replace(tzinfo=zone).isoformat()
    return text.removesuffix("+00:00") + "Z" if zulu and text.endswith("+00:00") else text


def valid_body(annotation: Any) -> st.SearchStrategy[Any]:  # noqa: PLR0911, PLR0912 - one branch per kind of type
    """A JSON value that fits `annotation` (a model, or any annotation a model's field has)."""
    if annotation is Any:
        return JSON
    if annotation is str:
        return st.text(max_size=16)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(-(2**53), 2**53)
    if annotation is float:
        return st.floats(allow_nan=False, allow_infinity=False, width=64) | st.integers(-(2**53), 2**53)
    if annotation is bytes:
        return st.binary(max_size=12).map(lambda content: base64.b64encode(content).decode())
    if annotation is datetime.datetime:
        moments = st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1))
        return st.builds(_datetime_text, moments, _ZONES, st.booleans())
    if annotation is datetime.date:
        return st.dates().map(datetime.date.isoformat)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from([member.value for member in annotation])
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return st.sampled_from(arguments)
    if members(annotation):
        # A path (localfiles.LocalFile: `bytes | os.PathLike[str]`) is what a caller gives, never what JSON holds.
        return st.one_of(
            [
                st.none() if member is NoneType else valid_body(member)
                for member in arguments
                if typing.get_origin(member) is not os.PathLike
            ]
        )
    if origin is list:
        return st.lists(valid_body(arguments[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=8), valid_body(arguments[1]), max_size=3)
    if attrs.has(annotation):
        return _object(annotation)
    raise TypeError(f"no strategy for {annotation!r}: teach tests/fuzz/bodies.py the new kind of type")


def _object(cls: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    fields = [field for field in attrs.fields(cls) if field.init]
    always = {json_name(field): _deferred(field) for field in fields if required(field)}
    maybe = {json_name(field): _deferred(field) for field in fields if not required(field)}
    return st.fixed_dictionaries(always, optional=maybe)


def _deferred(field: attrs.Attribute[Any]) -> st.SearchStrategy[Any]:
    """The field's strategy, built when first drawn: models may nest themselves."""
    return st.deferred(lambda: valid_body(field.type))


@attrs.frozen
class Place:
    """One value of a body: where it is, the type it must have, and how sure the error path is."""

    route: tuple[str | int, ...]
    """Keys and indexes from the root."""
    path: str
    """The path a DecodeError names for it."""
    annotation: Any
    exact: bool
    """Nothing on the way is a union of models or Any, so a DecodeError for it names exactly `path`."""
    removal: Removal = None
    """What leaving this key out gives: "valid" (an optional field, an entry of a free dict) or "error"
    (a required field); None for a list item or the root."""
    model: type[Any] | None = None
    """For an object that is a model: the model."""


Removal = Literal["valid", "error"] | None


def member_path(path: str, name: str) -> str:
    return f"{path}.{name}" if name.isidentifier() else f"{path}[{name!r}]"


def places(value: Any, annotation: Any, route: tuple[str | int, ...] = (), path: str = "$") -> Iterator[Place]:
    """Every value of a body that fits `annotation`, the root first."""
    yield from _places(value, annotation, route, path, exact=True, removal=None)


def _places(
    value: Any, annotation: Any, route: tuple[str | int, ...], path: str, *, exact: bool, removal: Removal
) -> Iterator[Place]:
    union = [member for member in members(annotation) if member is not NoneType]
    if union and value is None:
        yield Place(route, path, annotation, exact, removal)
        return
    if len(union) > 1 and any(attrs.has(member) for member in union):
        # A union of models: which member the value is, and so where cattrs reports a problem, is cattrs' choice.
        yield Place(route, path, annotation, exact, removal)
        for member in union:
            if attrs.has(member) and _fits_tag(value, member):
                yield from _inner(value, member, route, path)
        return
    inner = union[0] if len(union) == 1 else annotation
    model = inner if attrs.has(inner) else None
    yield Place(route, path, annotation, exact and annotation is not Any, removal, model)
    if annotation is Any:
        return
    origin, arguments = typing.get_origin(inner), typing.get_args(inner)
    if model is not None and isinstance(value, dict):
        for field in attrs.fields(model):
            key = json_name(field)
            if key in value:
                yield from _places(
                    value[key],
                    field.type,
                    (*route, key),
                    member_path(path, key),
                    exact=exact,
                    removal="error" if required(field) else "valid",
                )
    elif origin is list and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, arguments[0], (*route, index), f"{path}[{index}]", exact=exact, removal=None)
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, arguments[1], (*route, key), f"{path}[{key!r}]", exact=exact, removal="valid")


def _inner(value: Any, member: type[Any], route: tuple[str | int, ...], path: str) -> Iterator[Place]:
    """The places inside a value of a union of models, none of them exact."""
    for place in _places(value, member, route, path, exact=False, removal=None):
        if place.route != route:
            yield place


def _fits_tag(value: Any, model: type[Any]) -> bool:
    """Whether a value's Literal fields (its tag) are those of `model`."""
    if not isinstance(value, dict):
        return False
    for field in attrs.fields(model):
        if typing.get_origin(field.type) is typing.Literal and value.get(json_name(field)) not in typing.get_args(
            field.type
        ):
            return False
    return True
