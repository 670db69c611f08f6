"""Unions of a spec's `oneOf`/`anyOf` read from JSON: by the value's JSON type, then by its shape.

cattrs has hooks for a union of attrs classes only (its default strategy picks a class by a unique
required key, without looking at values) and none for `str | list[str]` or `datetime | date`. A
generated model may hold any of these, so one hook per union type is built here, once:

- The JSON type of the value (string, integer, number, boolean, null, array, object) picks the
  members that can hold it: a string goes to the string-ish members (str, an enum of strings, a
  Literal, a date or date-time), an object to the models and maps, an array to the lists.
- Members are tried from the most exact to the least, and the first rank where some fit decides (as
  pydantic's smart mode prefers an exact match): a listed value (an enum's member, a Literal's value)
  before a date, a date before a date-time (`"2026-11-30"` is a date, even beside a `datetime`), both
  before a plain `str`; an integer is an `IntEnum`'s member, else an `int`, else a `float`; `Any` last.
- An object goes to the member its discriminator names when every model of the union has a Literal
  field of the same JSON name (datamodel-code-generator writes the spec's `discriminator` so). Else to
  the model that fits best: it decodes, and reads the most of the object's members (one without members
  it has no field for is exact); then the one with the fewest fields the object left out; a model ranks
  above a map (`dict[str, X]`), a map above `Any`.
- Two members that fit equally well and decode to different values make the value ambiguous: a
  ValueError saying so and naming them (the codec turns it into DecodeError with the path). A value no
  member fits is a TypeError or ValueError naming each member tried and why it did not fit.

When one member alone takes the value's JSON type, its own error goes through unchanged, so a
DecodeError's path goes on into it (`$.pet.meows`).
"""

from __future__ import annotations

import datetime
import enum
import sys
import types
import typing
from collections.abc import Callable
from types import NoneType
from typing import Any, Final

import attrs
import cattrs

from tessera._runtime import jsonbody
from tessera._runtime.model import Model, unknown_fields

Structure = Callable[[Any, Any], Any]
Describe = Callable[[Exception], str]

_JSON_TYPES: Final = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    dict: "an object",
    NoneType: "null",
}
_ENUM, _LITERAL, _DATE, _DATE_TIME, _PLAIN, _NUMBER, _FREE = 6, 5, 4, 3, 2, 1, 0
"""Ranks of a scalar member, most exact first: what a scalar value tries before what."""
_MODEL, _MAP = 2, 1
"""Ranks of an object's members (with `_FREE` last)."""
_SIMPLE: Final[dict[object, list[tuple[type[Any], int]]]] = {
    NoneType: [(NoneType, _PLAIN)],
    str: [(str, _PLAIN)],
    bool: [(bool, _PLAIN)],
    int: [(int, _PLAIN)],
    float: [(float, _PLAIN), (int, _NUMBER)],
    datetime.date: [(str, _DATE)],
    datetime.datetime: [(str, _DATE_TIME)],
}
"""The JSON types of the plain members: a float takes an integer too, after any member made for integers."""


@attrs.frozen
class _Member:
    annotation: Any
    rank: int
    structure: Structure


def is_union(annotation: object) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def union_structure_factory(
    union: Any, converter: cattrs.Converter, *, describe: Describe, json_name: Callable[[Any], str], reread: bool
) -> Structure:
    """The hook of `union`. `describe`: an error of a member as one line; `json_name`: a model field's JSON
    name; `reread`: the data comes from orjson, so a value that several members were tried on raises
    (for the codec to read the body again) when it holds a float that may have been a wide integer."""
    members = _resolved(typing.get_args(union))
    by_json_type: dict[type[Any], list[_Member]] = {kind: [] for kind in _JSON_TYPES}
    for member in members:
        hook = _lazy_hook(converter, member)
        for json_type, rank in _json_types(member):
            by_json_type[json_type].append(_Member(member, rank, hook))
    candidates = {kind: sorted(found, key=lambda m: -m.rank) for kind, found in by_json_type.items()}
    names = " | ".join(_name(member) for member in members)
    discriminator = _discriminator([member for member in members if attrs.has(member)], json_name)
    hooks = {member.annotation: member.structure for member in candidates[dict]}
    taken = [description for kind, description in _JSON_TYPES.items() if candidates[kind]]
    expected = f"expected {' or '.join([', '.join(taken[:-1]), taken[-1]] if len(taken) > 1 else taken)} ({names})"

    def structure_union(value: Any, _: Any) -> Any:
        kind = type(value)
        found = candidates.get(kind)
        if not found:
            raise TypeError(f"{expected}, got {_JSON_TYPES.get(kind, kind.__name__)}")
        if kind is dict and discriminator is not None:
            model = _tagged(value, *discriminator)
            return hooks[model](value, model)
        # From orjson, a float may have been an integer past 64 bits, which another member would take.
        competing = len(found) > 1 or (kind is float and candidates[int])
        if reread and competing and jsonbody.holds_wide_integer(value):
            raise ValueError("a float that may have been an integer past 64 bits: to be read again")
        if len(found) == 1:
            return found[0].structure(value, found[0].annotation)
        return _best(value, found, names, describe, json_name)

    return structure_union


def _best(value: Any, found: list[_Member], names: str, describe: Describe, json_name: Callable[[Any], str]) -> Any:
    """The value as the most exact member that fits it (see the module's docstring)."""
    problems: list[str] = []
    fits: list[tuple[tuple[int, ...], _Member, Any]] = []
    for member in found:
        if fits and member.rank < fits[0][1].rank and type(value) is not dict:
            break  # a scalar, an array: the first rank with a fit decides
        try:
            decoded = member.structure(value, member.annotation)
        except Exception as exc:  # noqa: BLE001 - a member that does not fit says why, with the others
            problems.append(f"{_name(member.annotation)}: {describe(exc)}")
            continue
        fits.append((_score(value, member, decoded, json_name), member, decoded))
    if not fits:
        raise ValueError(f"fits none of {names} ({'; '.join(problems)})")
    best = max(score for score, _, _ in fits)
    winners = [(member, decoded) for score, member, decoded in fits if score == best]
    first = winners[0][1]
    if any(decoded != first or type(decoded) is not type(first) for _, decoded in winners[1:]):
        tied = ", ".join(_name(member.annotation) for member, _ in winners)
        raise ValueError(f"ambiguous: fits {tied} equally well")
    return first


def _score(value: Any, member: _Member, decoded: Any, json_name: Callable[[Any], str]) -> tuple[int, ...]:
    """How well a member that fits does: higher is better (objects: the module's docstring)."""
    if type(value) is not dict:
        return (member.rank,)
    if member.rank != _MODEL:
        return (1, len(value), member.rank, 0)
    unknown = len(unknown_fields(decoded)) if isinstance(decoded, Model) else 0
    left_out = sum(1 for field in attrs.fields(type(decoded)) if json_name(field) not in value)
    return (int(unknown == 0), len(value) - unknown, member.rank, -left_out)


def _discriminator(models: list[type[Any]], json_name: Callable[[Any], str]) -> tuple[str, dict[object, Any]] | None:
    """The JSON name of a Literal field every model has, each value one model's, and those values' models."""
    if len(models) < 2:
        return None
    literals = [
        {
            json_name(field): field.type
            for field in attrs.fields(model)
            if typing.get_origin(field.type) is typing.Literal
        }
        for model in models
    ]
    for key in sorted(set.intersection(*(set(found) for found in literals))):
        owners: dict[object, Any] = {}
        for model, found in zip(models, literals, strict=True):
            for tag in typing.get_args(found[key]):
                owners.setdefault(tag, model)
        if len(set(owners.values())) == len(models):  # else a value two models share tells nothing
            return key, owners
    return None


def _tagged(value: dict[str, Any], key: str, owners: dict[object, Any]) -> Any:
    """The model whose discriminator value the object has; ValueError naming the values when it has another."""
    tag = value.get(key)
    model = owners.get(tag) if type(tag) in (str, int, bool) else None
    # True finds the tag 1, and 1 the tag True: the JSON type must be the tag's own.
    if model is None or not any(type(known) is type(tag) and known == tag for known in owners):
        listed = ", ".join(repr(known) for known in owners)
        if key not in value:
            raise ValueError(f"missing the discriminator {key!r} (one of {listed})")
        raise ValueError(f"the discriminator {key!r} is none of {listed}")
    return model


def _json_types(member: Any) -> list[tuple[type[Any], int]]:  # noqa: PLR0911 - one return per kind of member
    """The JSON types a member takes, each with its rank among that type's members."""
    simple = _SIMPLE.get(member)
    if simple is not None:
        return simple
    if member is Any:
        return [(kind, _FREE) for kind in _JSON_TYPES]
    if isinstance(member, type) and issubclass(member, enum.Enum):
        return [(kind, _ENUM) for kind in dict.fromkeys(type(item.value) for item in member)]
    origin = typing.get_origin(member)
    if origin is typing.Literal:
        return [(kind, _LITERAL) for kind in dict.fromkeys(_json_type_of(item) for item in typing.get_args(member))]
    if origin is list:
        return [(list, _PLAIN)]
    if origin is dict:
        return [(dict, _MAP)]
    if attrs.has(member):
        return [(dict, _MODEL)]
    raise TypeError(f"no JSON type for the union member {member!r}")


def _json_type_of(value: object) -> type[Any]:
    """The JSON type of a listed value (a Literal may list an enum's member: its value's)."""
    return type(value.value) if isinstance(value, enum.Enum) else type(value)


def _resolved(members: tuple[Any, ...]) -> tuple[Any, ...]:
    """The members with each forward reference (`Union[Bird, "Shape"]`, a recursive model's alias) evaluated
    in the module of the models beside it."""
    if not any(isinstance(member, typing.ForwardRef) for member in members):
        return members
    modules = [sys.modules[member.__module__] for member in members if isinstance(member, type)]
    namespace = vars(modules[0]) if modules else {}

    def holder() -> None: ...

    holder.__annotations__ = {f"m{index}": member for index, member in enumerate(members)}
    return tuple(typing.get_type_hints(holder, globalns=namespace).values())


def _lazy_hook(converter: cattrs.Converter, member: Any) -> Structure:
    """The member's hook, asked of the converter at its first use: a model may be a member of a union inside
    itself (a tree's children), and its hook is still being made when the union's is."""
    if member is NoneType:
        return _structure_null
    found: list[Structure] = []

    def structure(value: Any, target: Any) -> Any:
        if not found:
            found.append(converter.get_structure_hook(member))
        return found[0](value, target)

    return structure


def _structure_null(value: object, _: object) -> None:
    if value is not None:
        raise TypeError(f"expected null, got {type(value).__name__}")


def _name(member: Any) -> str:
    if member is NoneType:
        return "None"
    return member.__name__ if isinstance(member, type) else str(member).replace("typing.", "")
