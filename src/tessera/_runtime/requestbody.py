"""A request body's enum fields, checked before it is sent: a member, or the value of one, and nothing else.

An enum field of a schema that answers also carry is typed open (`DocStatus | str`: it must hold what
the vendor sends), so a type checker lets any string through; the closed ones (`DocStatus |
DocStatusValue`) let a `cast` or an untyped caller through. Either way the vendor would get a value
its spec does not list: InvalidArgument names the field by its JSON path (`body $.signers[0].auth_mode`),
never the value (it may be personal data).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Iterator
from types import NoneType
from typing import Any

import attrs

from tessera._runtime.enumfields import EnumField, enum_field
from tessera.errors import InvalidArgument


def check_enums(body: object, *, json_name: Callable[[Any], str], vendor: str, operation: str) -> None:
    """InvalidArgument at the first enum field of `body` (a model, at any depth) holding a value its enum
    does not list. `json_name`: the JSON name of an attrs field (conversion.json_name)."""
    problem = _first_problem(body, type(body), "$", json_name)
    if problem is not None:
        path, message = problem
        raise InvalidArgument(f"body {path}: {message}", argument="body", vendor=vendor, operation=operation)


def _first_problem(
    value: object, annotation: Any, path: str, json_name: Callable[[Any], str]
) -> tuple[str, str] | None:
    """(path, message) of the first enum value out of its enum, in `value` typed `annotation`."""
    if value is None:
        return None
    field = _enum_of(annotation)
    if field is not None:
        return None if _listed(value, field) else (path, _refusal(value, field))
    refusal = _union_refusal(value, annotation)
    if refusal is not None:
        return path, refusal
    for child, child_annotation, child_path in _children(value, annotation, path, json_name):
        found = _first_problem(child, child_annotation, child_path, json_name)
        if found is not None:
            return found
    return None


def _children(
    value: object, annotation: Any, path: str, json_name: Callable[[Any], str]
) -> Iterator[tuple[object, Any, str]]:
    """The values inside `value` (a model's fields, a list's items, a dict's values): each with its
    annotation and path."""
    model: Any = type(value)
    if attrs.has(model):
        attrs.resolve_types(model)
        for attribute in attrs.fields(model):
            name = json_name(attribute)
            step = f"{path}.{name}" if name.isidentifier() else f"{path}[{name!r}]"
            yield getattr(value, attribute.name), attribute.type, step
        return
    inner = without_none(annotation)
    origin, arguments = typing.get_origin(inner), typing.get_args(inner)
    if origin is list and isinstance(value, list | tuple):
        yield from ((item, arguments[0], f"{path}[{index}]") for index, item in enumerate(value))
    elif origin is dict and isinstance(value, dict):
        yield from ((item, arguments[1], f"{path}[{key!r}]") for key, item in value.items())


def _enum_of(annotation: Any) -> EnumField | None:
    """The enum field `annotation` describes; a plain enum annotation (`DocStatus | None`) is a closed one."""
    field = enum_field(annotation)
    if field is not None:
        return field
    inner = without_none(annotation)
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        value_type = type(next(iter(inner)).value) if len(inner) else str
        return EnumField(inner, open=False, value_type=value_type, nullable=inner is not annotation)
    return None


def without_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [member for member in typing.get_args(annotation) if member is not NoneType]
        if len(members) == 1:
            return members[0]
    return annotation


def _union_refusal(value: object, annotation: Any) -> str | None:
    """Why a union (a oneOf: `Color | ColorValue | Level | LevelValue`, `str | list[str]`) cannot send `value`:
    none of its members takes it; None when one does (a model member's own fields are checked after)."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    members = typing.get_args(annotation)
    if any(typing.get_origin(member) is typing.IO for member in members):
        return None  # a multipart file field (uploads.File): uploads.py checks it, naming the field, as it encodes
    if any(_takes(member, value) for member in members):
        return None
    given = type(value).__name__
    enums = [member for member in members if isinstance(member, type) and issubclass(member, enum.Enum)]
    if enums:
        kinds = {type(member.value) for cls in enums for member in cls}
        names = " or ".join(cls.__name__ for cls in enums)
        return f"expected a {names} or one of their values, got {'another ' if type(value) in kinds else ''}{given}"
    names = " | ".join(member.__name__ if isinstance(member, type) else str(member) for member in members)
    return f"expected {names}, got {given}"


def _takes(member: Any, value: object) -> bool:  # noqa: PLR0911 - one return per kind of member
    """Whether the union member `member` takes `value` as it is (bool is an int to Python, never to the spec)."""
    if member is Any:
        return True
    if member is NoneType:
        return value is None
    origin = typing.get_origin(member)
    if origin is typing.Literal:
        return any(type(listed) is type(value) and listed == value for listed in typing.get_args(member))
    if origin is not None:
        return isinstance(value, origin)  # list[X], dict[str, X]: their items are checked as children
    if isinstance(member, type) and issubclass(member, enum.Enum):
        return isinstance(value, member) or any(
            type(item.value) is type(value) and item.value == value for item in member
        )
    if member is float:
        return type(value) in (int, float)
    if member is int:
        return type(value) is int
    return isinstance(member, type) and isinstance(value, member)


def _listed(value: object, field: EnumField) -> bool:
    if isinstance(value, field.enum):
        return True
    # A plain value of a member (`"pending"`); bool is an int to Python, never to the spec.
    return type(value) is field.value_type and value in field.enum._value2member_map_


def _refusal(value: object, field: EnumField) -> str:
    listed = ", ".join(repr(member.value) for member in field.enum)
    given = f"another {type(value).__name__}" if type(value) is field.value_type else type(value).__name__
    return f"expected a {field.enum.__name__} or one of its values ({listed}), got {given}"
