"""Every generated model, fuzzed: valid bodies round-trip; broken ones give a model or a DecodeError naming the field.

Bodies are drawn from the models themselves (bodies.py), then one value in them is broken: set to
null, to a value of a JSON type the field does not take, nested deeply, made huge, left out, joined
by a field the model does not have (kept: `unknown_fields` of that model has it), or, in an enum field,
set to a value the enum does not list (kept as it is in an open field, `Enum | str`; refused in a
closed one). Whatever comes back is a model instance or a DecodeError whose path names the broken
field (in JSON names); never another exception. The two converters agree:
what the fast path accepts, the detailed one accepts as the same value; and reading the body with
orjson (the test session installs the `speedups` extra) gives what reading it with `json.loads` gives.
"""

from __future__ import annotations

import copy
import json
import typing
from collections.abc import Callable
from types import NoneType
from typing import Any, Final

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import tessera
from tessera._runtime.conversion import Codec, attribute_for_json_name, json_name
from tessera._runtime.enumfields import enum_field
from tessera.errors import DecodeError
from tests.fuzz.bodies import Place, members, models, places, valid_body

MODELS: Final = models()
ROUND_TRIP_EXAMPLES: Final = 25
MUTATION_EXAMPLES: Final = 50
"""Per model: about 90 models, so some 2,200 valid bodies and 4,500 broken ones per run."""

CODEC: Final = Codec()
PLAIN: Final = Codec(speedups=False)
"""A plain install's codec: the standard library reads the bodies."""
HUGE: Final = 1 << 20
"""Characters in a huge string (1 MiB)."""
DEEP_IN_MEMORY: Final = 50
"""Lists inside lists for a value that is deep but still readable."""
DEEP_ON_THE_WIRE: Final = 100_000
"""Brackets deep: past what Python's json reads (its recursion limit)."""
_MARK: Final = "\x00tessera-fuzz\x00"

MODEL_IDS: Final = [f"{vendor}.{model.__name__}" for vendor, model in MODELS]


def test_every_model_of_every_vendor_is_fuzzed() -> None:
    by_vendor = {vendor for vendor, _ in MODELS}
    assert by_vendor == {"zapsign", "videsk", "optiwe", "biuwer"}
    assert len(MODELS) >= 80


def decode(raw: bytes, model: type[Any], vendor: str) -> Any:
    return CODEC.decode(raw, model, vendor=vendor, operation="fuzz")


@pytest.mark.parametrize(("vendor", "model"), MODELS, ids=MODEL_IDS)
@settings(max_examples=ROUND_TRIP_EXAMPLES)
@given(data=st.data())
def test_a_valid_body_round_trips(vendor: str, model: type[Any], data: st.DataObject) -> None:
    body = data.draw(valid_body(model), label="body")
    first = decode(json.dumps(body).encode(), model, vendor)
    assert isinstance(first, model)
    sent = CODEC.unstructure(first)
    second = decode(json.dumps(sent).encode(), model, vendor)  # what we send is JSON, and reads back the same
    assert second == first
    assert CODEC._detailed.structure(body, model) == first  # the fast path and the detailed one agree


Outcome = typing.Literal["valid", "error", "either"]


@attrs.frozen
class Mutation:
    kind: str
    raw: bytes
    expect: Outcome
    path: str
    """Where a DecodeError must point: exactly there for an expected error at an exact place; else
    there, above it or below it."""
    kept: tuple[tuple[str | int, ...], str, object] | None = None
    """For a member no field reads, at an exact place: the route of its object, its name and its value,
    which `unknown_fields` of the model decoded there must give back."""
    value: tuple[tuple[str | int, ...], object] | None = None
    """For an unlisted value of an open enum field: its route and the value the model must hold there."""


def _wrong_values(annotation: Any) -> list[object]:
    """Values of JSON types that `annotation` surely does not take."""
    if annotation is Any:
        return []
    accepted = list(members(annotation)) or [annotation]
    candidates: list[object] = [7, "seven", 1.5, True, [], {"unexpected": 1}]
    return [value for value in candidates if not any(_may_take(member, value) for member in accepted)]


def _may_take(annotation: Any, value: object) -> bool:  # noqa: PLR0911 - one answer per kind of type
    """Whether `annotation` may accept `value` (True when unsure)."""
    if annotation is Any:
        return True
    if annotation is NoneType:
        return value is None
    if annotation is bool:
        return type(value) is bool
    if annotation is int:
        return type(value) is int
    if annotation is float:
        return type(value) in (int, float)
    if annotation is str:
        return type(value) is str
    origin = typing.get_origin(annotation)
    if origin is list:
        return type(value) is list
    if origin is dict or attrs.has(annotation):
        return type(value) is dict
    return type(value) is str or type(value) is int  # enums, Literal, dates: only these could be one


def _takes_none(annotation: Any) -> bool:
    return annotation is Any or NoneType in members(annotation) or Any in members(annotation)


def _takes_any_string(annotation: Any) -> bool:
    """Whether the huge string ("x" * HUGE) fits: a str, or bytes, whose base64 text it is (4 letters a 3 bytes)."""
    return any(member in (Any, str, bytes) for member in members(annotation) or (annotation,))


def _set(body: Any, route: tuple[str | int, ...], value: object) -> Any:
    if not route:
        return value
    parent = body
    for step in route[:-1]:
        parent = parent[step]
    parent[route[-1]] = value
    return body


def _raw(body: Any, route: tuple[str | int, ...], text: str) -> bytes:
    """The body as JSON, with `text` written raw in place of the value at `route`."""
    return json.dumps(_set(body, route, _MARK)).replace(json.dumps(_MARK), text).encode()


Builder = tuple[str, Callable[[], Mutation]]
"""A mutation's kind, and how to build it (on demand: it copies the body)."""


def mutations(body: Any, place: Place) -> list[Builder]:
    """The mutations that apply at `place`."""
    exact, path, route = place.exact, place.path, place.route

    def at(kind: str, value: object, expect: Outcome) -> Builder:
        def build() -> Mutation:
            changed = _set(copy.deepcopy(body), route, value)
            return Mutation(kind, json.dumps(changed).encode(), expect if exact else "either", path)

        return (kind, build)

    def unreadable(kind: str, text: str) -> Builder:
        # JSON that cannot be read is refused as a whole: at the root, wherever the place.
        return (kind, lambda: Mutation(kind, _raw(copy.deepcopy(body), route, text), "error", "$"))

    found = [
        at("null", None, "valid" if _takes_none(place.annotation) else "error"),
        at("deep", _nested(DEEP_IN_MEMORY), "either"),
        at("huge string", "x" * HUGE, "valid" if _takes_any_string(place.annotation) else "error"),
        unreadable("deep on the wire", "[" * DEEP_ON_THE_WIRE + "]" * DEEP_ON_THE_WIRE),
        unreadable("huge number", "9" * 5000),
        at("integer past 64 bits", 2**64, "either"),  # orjson would read a float: the fast path reads it again
    ]
    found += [at(f"wrong type {type(value).__name__}", value, "error") for value in _wrong_values(place.annotation)]
    if place.removal is not None:
        removal = place.removal

        def removed() -> Mutation:
            changed = copy.deepcopy(body)
            del _get(changed, route[:-1])[route[-1]]
            return Mutation("missing", json.dumps(changed).encode(), removal if exact else "either", path)

        found.append(("missing", removed))
    if place.model is not None and isinstance(_get(body, route), dict):
        names = {json_name(field) for field in attrs.fields(place.model)}
        extra = next(name for name in ("extra", "extra_", "extra__") if name not in names)
        member: object = {"x": [1, "y", 2**64]}  # past 64 bits: orjson would read a float

        def extra_field() -> Mutation:
            changed = _set(copy.deepcopy(body), route, {**_get(body, route), extra: member})
            expect: Outcome = "valid" if exact else "either"
            return Mutation("extra field", json.dumps(changed).encode(), expect, path, kept=(route, extra, member))

        found.append(("extra field", extra_field))
    field = enum_field(place.annotation)
    if field is not None:
        unlisted = "\x00unlisted" if field.value_type is str else 987_654_321

        def unlisted_value() -> Mutation:
            changed = json.dumps(_set(copy.deepcopy(body), route, unlisted)).encode()
            if not exact:
                return Mutation("unlisted enum value", changed, "either", path)
            if field.open:
                return Mutation("unlisted enum value", changed, "valid", path, value=(route, unlisted))
            return Mutation("unlisted enum value", changed, "error", path)

        found.append(("unlisted enum value", unlisted_value))
    return found


def _get(body: Any, route: tuple[str | int, ...]) -> Any:
    for step in route:
        body = body[step]
    return body


def _nested(depth: int) -> object:
    value: object = []
    for _ in range(depth - 1):
        value = [value]
    return value


def related(found: str, expected: str) -> bool:
    """Whether one path is the other, or above or below it."""
    short, long = sorted((found, expected), key=len)
    return long == short or long.startswith((f"{short}.", f"{short}["))


@pytest.mark.parametrize(("vendor", "model"), MODELS, ids=MODEL_IDS)
@settings(max_examples=MUTATION_EXAMPLES)
@given(data=st.data())
def test_a_broken_body_gives_a_model_or_a_decode_error_naming_the_field(
    vendor: str, model: type[Any], data: st.DataObject
) -> None:
    body = data.draw(valid_body(model), label="body")
    place = data.draw(st.sampled_from(list(places(body, model))), label="place")
    _, build = data.draw(st.sampled_from(mutations(body, place)), label="mutation")
    mutation = build()
    outcome = _outcome(mutation.raw, model, vendor)
    assert _same(outcome, _outcome(mutation.raw, model, vendor, codec=PLAIN))
    if isinstance(outcome, DecodeError):
        event(f"{mutation.kind}: DecodeError")
        assert mutation.expect != "valid", f"{mutation.kind} at {mutation.path} refused: {outcome}"
        if mutation.expect == "error" and place.exact:
            assert outcome.path == mutation.path, str(outcome)
        else:
            assert related(outcome.path, mutation.path), str(outcome)
        assert str(outcome).startswith(f"{vendor}.fuzz: ")
        assert len(str(outcome)) < 500  # a huge value is never copied into the message
    else:
        event(f"{mutation.kind}: a model")
        assert mutation.expect != "error", f"{mutation.kind} at {mutation.path} accepted"
        assert isinstance(outcome, model)
        assert CODEC._detailed.structure(json.loads(mutation.raw), model) == outcome  # the converters agree
        if mutation.kept is not None:
            route, name, member = mutation.kept
            assert tessera.unknown_fields(_decoded_at(outcome, route)) == {name: member}
        if mutation.value is not None:
            route, value = mutation.value
            held = _decoded_at(outcome, route)
            assert held == value
            assert type(held) is type(value)  # the plain value, not a member that compares equal


def _outcome(raw: bytes, model: type[Any], vendor: str, codec: Codec = CODEC) -> object:
    """The decoded value, or the DecodeError: any other exception fails the test."""
    try:
        return codec.decode(raw, model, vendor=vendor, operation="fuzz")
    except DecodeError as error:
        return error


def _decoded_at(model: object, route: tuple[str | int, ...]) -> object:
    """The value a decoded model holds at a body's route (keys are JSON names)."""
    value = model
    for step in route:
        if isinstance(step, int) or isinstance(value, dict):
            value = value[step]  # type: ignore[index]
        else:
            value = getattr(value, attribute_for_json_name(type(value), step))
    return value


def _same(one: object, other: object) -> bool:
    """The same model, or DecodeErrors saying the same of the same place."""
    if isinstance(one, DecodeError) and isinstance(other, DecodeError):
        return (str(one), one.path) == (str(other), other.path)
    return one == other
