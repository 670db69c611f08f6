"""The fast path builds every kind of attrs model as its __init__ would, and a plain one without calling it.

A model is "plain" when storing its fields' values is all its __init__ does: slots, no validators,
converters, aliases, init=False fields, pre/post-init hooks or on_setattr hooks. Plain models are
built by storing into a bare instance; any other goes through __init__. Each model below differs from
a plain one in one way only, and is decoded with the detailed converter out of reach: the fast path
alone must get it right (a fast path that raised would otherwise be covered by the fallback).
"""

from __future__ import annotations

import enum
from typing import Any, Literal, NoReturn

import attrs
import pytest

from tessera._runtime.conversion import Codec, make_converter
from tessera._runtime.model import Model, unknown_fields
from tessera.errors import DecodeError


def refused(*_: object, **__: object) -> NoReturn:
    pytest.fail("a fitting body left the fast path")


def fast_codec(monkeypatch: pytest.MonkeyPatch) -> Codec:
    codec = Codec(speedups=False)
    monkeypatch.setattr(codec, "_structure_detailed", refused)
    return codec


def decode(monkeypatch: pytest.MonkeyPatch, body: dict[str, object], model: type[Any]) -> Any:
    return fast_codec(monkeypatch).structure(body, model, vendor="v", operation="o")


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.define(kw_only=True)
class Plain:
    name: str
    count: int = 5
    note: str = "none"
    colors: list[Color] = attrs.Factory(list)


def test_a_plain_model_is_built_without_calling_init(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_init(self: object, **_: object) -> NoReturn:
        pytest.fail("__init__ was called for a plain model")

    monkeypatch.setattr(Plain, "__init__", no_init)
    plain = decode(monkeypatch, {"name": "n", "colors": ["red", "blue"]}, Plain)
    assert (plain.name, plain.count, plain.note, plain.colors) == ("n", 5, "none", [Color.RED, Color.BLUE])


def test_absent_fields_take_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    assert decode(monkeypatch, {"name": "n"}, Plain) == Plain(name="n", count=5, note="none", colors=[])


def test_a_model_first_compiled_by_the_fast_converter_has_its_annotations_resolved() -> None:
    @attrs.define(kw_only=True)
    class Fresh:  # string annotations (this module's __future__ import), never resolved before
        name: str
        count: int = 0

    assert make_converter(detailed=False).structure({"name": "n", "count": 2}, Fresh) == Fresh(name="n", count=2)


class Log:
    calls: list[str] = []  # noqa: RUF012 - a record shared by the models below, cleared per test


@pytest.fixture(autouse=True)
def cleared_log() -> None:
    Log.calls.clear()


@attrs.define(kw_only=True)
class PostInit:
    name: str
    count: int = 0  # two arguments to __init__

    def __attrs_post_init__(self) -> None:
        Log.calls.append("post")


@attrs.define(kw_only=True)
class PreInit:
    name: str

    def __attrs_pre_init__(self) -> None:
        Log.calls.append("pre")


@attrs.define(kw_only=True)
class Validated:
    name: str = attrs.field(validator=lambda *_: Log.calls.append("validator"))


def upper(value: str) -> str:
    return value.upper()


@attrs.define(kw_only=True)
class Converted:
    name: str = attrs.field(converter=upper)


@attrs.define(kw_only=True)
class Aliased:
    _name: str = attrs.field(alias="name")


@attrs.define(kw_only=True)
class Derived:
    kind: str = attrs.field(init=False, default="derived")
    name: str


def record_setattr(_: object, __: attrs.Attribute[Any], value: object) -> object:
    Log.calls.append("setattr")
    return value


@attrs.define(kw_only=True, on_setattr=record_setattr)
class Hooked:
    name: str


@attrs.define(kw_only=True, slots=False)
class Unslotted:
    name: str


@pytest.mark.parametrize(
    ("model", "calls", "check"),
    [
        (PostInit, ["post"], lambda m: (m.name, m.count) == ("n", 0)),
        (PreInit, ["pre"], lambda m: m.name == "n"),
        (Validated, ["validator"], lambda m: m.name == "n"),
        (Converted, [], lambda m: m.name == "N"),
        (Aliased, [], lambda m: m._name == "n"),
        (Derived, [], lambda m: (m.kind, m.name) == ("derived", "n")),
        (Hooked, [], lambda m: m.name == "n"),  # __init__ does not call on_setattr hooks: stores would
        (Unslotted, [], lambda m: m.name == "n"),
    ],
)
def test_a_model_that_is_not_plain_is_built_by_its_init(
    monkeypatch: pytest.MonkeyPatch, model: type[Any], calls: list[str], check: Any
) -> None:
    key = "_name" if model is Aliased else "name"  # the JSON name is the attribute's, not its alias
    built = decode(monkeypatch, {key: "n", "count": 0}, model)
    assert check(built)
    assert Log.calls == calls
    assert built == model(name="n")


# The tolerant reader's additions, on the fast path alone: a body with members no field reads, and
# enum fields given an unlisted value or null, must not fall back to the detailed converter.


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@attrs.define(kw_only=True)
class Tolerant(Model):
    name: str
    color: Color | str = "red"
    level: Level | int | None = None
    shade: Color | Literal["red", "blue"] | None = None
    note: str = "none"


@attrs.define(kw_only=True)
class TolerantValidated(Model):  # not plain: built by its __init__, its unknown members kept by keep()
    name: str = attrs.field(validator=lambda *_: Log.calls.append("validator"))
    note: str = "none"


@attrs.frozen(kw_only=True)
class TolerantFrozen(Model):  # not plain, and no attribute of it can be set: only keep() records them
    name: str
    note: str = "none"


@pytest.mark.parametrize("speedups", [False, True])
@pytest.mark.parametrize("model", [Tolerant, TolerantValidated, TolerantFrozen])
@pytest.mark.parametrize(
    ("body", "unknown"),
    [
        ({"name": "n", "extra": [1, "two"], "more": {"x": None}}, {"extra": [1, "two"], "more": {"x": None}}),
        ({"name": "n", "note": "x", "extra": 1.5}, {"extra": 1.5}),  # other fields absent, one unknown
        ({"name": "n", "note": "x"}, {}),
    ],
)
def test_unknown_members_are_kept_on_the_fast_path(
    monkeypatch: pytest.MonkeyPatch, speedups: bool, model: type[Any], body: dict[str, object], unknown: object
) -> None:
    codec = Codec(speedups=speedups)
    monkeypatch.setattr(codec, "_structure_detailed", refused)
    built = codec.structure(body, model, vendor="v", operation="o")
    assert (built.name, built.note) == ("n", body.get("note", "none"))
    assert unknown_fields(built) == unknown


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": "n", "color": "blue", "level": 2, "shade": "red"}, (Color.BLUE, Level.HIGH, Color.RED)),
        ({"name": "n", "color": "green", "level": 7, "shade": None}, ("green", 7, None)),
        ({"name": "n", "level": None}, ("red", None, None)),
    ],
)
def test_enum_fields_read_members_unlisted_values_and_null_on_the_fast_path(
    monkeypatch: pytest.MonkeyPatch, body: dict[str, object], expected: tuple[object, ...]
) -> None:
    built = decode(monkeypatch, body, Tolerant)
    assert (built.color, built.level, built.shade) == expected
    assert [type(value) for value in (built.color, built.level, built.shade)] == [type(e) for e in expected]
    assert unknown_fields(built) == {}


@pytest.mark.parametrize(
    "body",
    [
        {"name": "n", "color": 5},
        {"name": "n", "level": True},
        {"name": "n", "shade": "green"},
        {"name": "n", "color": None},
    ],
)
def test_enum_fields_refuse_another_json_type_or_an_unlisted_closed_value(body: dict[str, object]) -> None:
    with pytest.raises(DecodeError):
        Codec(speedups=False).structure(body, Tolerant, vendor="v", operation="o")


def test_a_null_enum_field_is_not_blamed_for_another_fields_misfit() -> None:
    """The detailed converter names the field that does not fit: not the nullable enum field next to it."""
    with pytest.raises(DecodeError) as caught:
        Codec(speedups=False).structure({"name": "n", "level": None, "note": 5}, Tolerant, vendor="v", operation="o")
    assert caught.value.path == "$.note"


@attrs.define(kw_only=True)
class Secretive(Model):
    key: str = attrs.field(repr=False)  # a secret: its JSON name is redacted in any body of this module's models


def test_a_body_that_is_not_json_is_refused_for_a_model_never_refused_before() -> None:
    """The secret names of a target are found at its first refused body (then cached): that must work too."""

    @attrs.define(kw_only=True)
    class Fresh(Model):
        name: str

    with pytest.raises(DecodeError) as caught:
        Codec(speedups=False).decode(b'{"name": "n", "key": "k', Fresh, vendor="v", operation="o")
    assert caught.value.body == '{"name": "n", "key": "<redacted>"'
