"""Enum fields of generated models: open where tessera reads them, closed where only the user writes them.

The codegen types an enum field `DocStatus | str` when a vendor's answer or webhook may carry it: a
value the spec lists decodes into its member, another one is kept as the plain string, so a vendor's
new status never fails a page. A field only request bodies carry is `DocStatus | DocStatusValue` (the
Literal of the values): a type checker accepts a member or the string of one, and the runtime refuses
anything else (tessera._runtime.requestbody). Either may be `| None`. An `IntEnum`'s open type is `| int`.
"""

from __future__ import annotations

import enum
import types
import typing
from types import NoneType
from typing import Any, NamedTuple


class EnumField(NamedTuple):
    """What an enum field's annotation says."""

    enum: type[enum.Enum]
    open: bool
    """It takes any value of `value_type` besides the members' (`DocStatus | str`)."""
    value_type: type[Any]
    """The JSON type of the members' values: str or int."""
    nullable: bool


def enum_field(annotation: object) -> EnumField | None:
    """The enum field `annotation` describes, or None when it is another type."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    members = typing.get_args(annotation)
    others = [member for member in members if member is not NoneType]
    enums = [member for member in others if isinstance(member, type) and issubclass(member, enum.Enum)]
    if len(others) != 2 or len(enums) != 1:  # the enum, and what it takes besides
        return None
    (cls,) = enums
    (other,) = [member for member in others if member is not cls]
    value_types = {type(member.value) for member in cls}
    if len(value_types) != 1 or not value_types <= {str, int}:
        return None
    (value_type,) = value_types
    nullable = NoneType in members
    if other is value_type:
        return EnumField(cls, open=True, value_type=value_type, nullable=nullable)
    if typing.get_origin(other) is typing.Literal and set(typing.get_args(other)) == {m.value for m in cls}:
        return EnumField(cls, open=False, value_type=value_type, nullable=nullable)
    return None


def member_or_value(value: object, field: EnumField) -> object:
    """The member whose value `value` is; for an open field, another value of its JSON type as it is.

    TypeError or ValueError for anything else (an open str field never takes 5, nor `True` the member 1).
    """
    if type(value) is not field.value_type:
        raise TypeError(f"expected {_json_type(field.value_type)} ({field.enum.__name__}), got {type(value).__name__}")
    member = field.enum._value2member_map_.get(value)
    if member is not None:
        return member
    if field.open:
        return value
    raise ValueError(f"not a {field.enum.__name__} value")


def _json_type(value_type: type[Any]) -> str:
    return "a string" if value_type is str else "an integer"
