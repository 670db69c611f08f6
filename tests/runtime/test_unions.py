"""Unions (a spec's oneOf/anyOf) decoded by JSON type and shape, on both decoding paths (tessera._runtime.unions).

The models are written as the codegen writes them: open enums (`Color | str`), a discriminator as a Literal
field, Model as the base. Every case is decoded with orjson first (the fast converter) and without.
"""

from __future__ import annotations

import datetime
import enum
import json
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tessera._runtime.conversion import Codec
from tessera._runtime.model import Model
from tessera.errors import DecodeError


class Color(enum.StrEnum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@attrs.define(kw_only=True)
class Cat(Model):
    kind: Literal["cat"]
    meows: bool


@attrs.define(kw_only=True)
class Dog(Model):
    kind: Literal["dog"]
    barks: int | None = None


@attrs.define(kw_only=True)
class ByUrl(Model):
    url: str


@attrs.define(kw_only=True)
class ByPath(Model):
    path: str
    size: int | None = None


@attrs.define(kw_only=True)
class Note(Model):
    text: str | None = None


@attrs.define(kw_only=True)
class Memo(Model):
    title: str | None = None


@attrs.define(kw_only=True)
class Shape(Model):
    tags: str | list[str] | None = None
    when: datetime.datetime | datetime.date | None = None
    ref: int | str | None = None
    grade: Color | str | Level | int | None = None
    pet: Cat | Dog | None = None
    source: ByUrl | ByPath | None = None
    pets: list[Cat | Dog] | None = None
    by_name: dict[str, ByUrl | ByPath] | None = None
    either: Note | Memo | None = None
    free: ByPath | dict[str, Any] | None = None


CODECS = [pytest.param(Codec(speedups=True), id="orjson"), pytest.param(Codec(speedups=False), id="json")]


def _decode(codec: Codec, body: object, target: Any = Shape) -> Any:
    return codec.decode(json.dumps(body).encode(), target, vendor="unions", operation="get_shape")


DECODED = [
    ({"tags": "a"}, Shape(tags="a")),
    ({"tags": ["a", "b"]}, Shape(tags=["a", "b"])),
    ({"when": "2026-11-30"}, Shape(when=datetime.date(2026, 11, 30))),
    ({"when": "2026-11-30T05:00:00Z"}, Shape(when=datetime.datetime(2026, 11, 30, 5, tzinfo=datetime.UTC))),
    ({"ref": 7}, Shape(ref=7)),
    ({"ref": "7"}, Shape(ref="7")),
    ({"grade": "red"}, Shape(grade=Color.RED)),
    ({"grade": "blue"}, Shape(grade="blue")),  # open: a value the spec does not list is kept
    ({"grade": 2}, Shape(grade=Level.HIGH)),
    ({"grade": 9}, Shape(grade=9)),
    ({"pet": {"kind": "cat", "meows": True}}, Shape(pet=Cat(kind="cat", meows=True))),
    ({"pet": {"kind": "dog"}}, Shape(pet=Dog(kind="dog"))),
    ({"pet": None}, Shape()),
    ({"source": {"url": "https://x"}}, Shape(source=ByUrl(url="https://x"))),
    ({"source": {"path": "/a", "size": 3}}, Shape(source=ByPath(path="/a", size=3))),
    ({"pets": [{"kind": "dog", "barks": 2}, {"kind": "cat", "meows": False}]}, None),
    ({"by_name": {"a": {"url": "u"}, "b": {"path": "p"}}}, Shape(by_name={"a": ByUrl(url="u"), "b": ByPath(path="p")})),
    ({"either": {"text": "hi"}}, Shape(either=Note(text="hi"))),
    ({"either": {"title": "hi"}}, Shape(either=Memo(title="hi"))),
    ({"free": {"path": "/a"}}, Shape(free=ByPath(path="/a"))),  # the model before the map
    ({"free": {"colour": "red"}}, Shape(free={"colour": "red"})),  # the map reads every member, the model none
]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(("body", "expected"), DECODED)
def test_a_union_value_decodes_into_the_member_its_json_type_and_shape_fit(
    codec: Codec, body: dict[str, Any], expected: Shape | None
) -> None:
    if expected is None:
        expected = Shape(pets=[Dog(kind="dog", barks=2), Cat(kind="cat", meows=False)])
    decoded = _decode(codec, body)
    assert decoded == expected
    for name in body:  # the member itself, not an equal value of another type (Color.RED == "red")
        assert type(getattr(decoded, name)) is type(getattr(expected, name))


MISFITS = [
    ({"tags": 3}, "$.tags", "expected a string, an array or null (str | list[str] | None), got an integer"),
    ({"tags": ["a", 3]}, "$.tags[1]", "expected a string"),  # the one member for arrays: its own error
    ({"when": "yesterday"}, "$.when", "fits none of datetime | date"),
    ({"ref": 1.5}, "$.ref", "expected int or str or null, got float"),
    ({"grade": True}, "$.grade", "got a boolean"),
    ({"pet": {"kind": "bird"}}, "$.pet", "the discriminator 'kind' is none of 'cat', 'dog'"),
    ({"pet": {"meows": True}}, "$.pet", "missing the discriminator 'kind'"),
    ({"pet": {"kind": "cat"}}, "$.pet.meows", "required field missing"),  # chosen by tag: its own error
    ({"source": {"size": 3}}, "$.source", "fits none of ByUrl | ByPath"),
    ({"pets": [{"kind": "dog"}, "cat"]}, "$.pets[1]", "expected an object"),
    ({"by_name": {"a": {"path": 1}}}, "$.by_name['a']", "ByPath: $.path: expected a string"),
    ({"either": {}}, "$.either", "ambiguous: fits Note, Memo equally well"),
    ({"either": {"other": 1}}, "$.either", "ambiguous"),
]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(("body", "path", "message"), MISFITS)
def test_a_value_no_member_fits_or_two_fit_equally_is_a_decode_error_at_its_path(
    codec: Codec, body: dict[str, Any], path: str, message: str
) -> None:
    with pytest.raises(DecodeError) as caught:
        _decode(codec, body)
    assert caught.value.path == path
    assert message in str(caught.value)


@pytest.mark.parametrize("codec", CODECS)
def test_a_union_at_the_top_of_a_body_decodes_and_names_the_root(codec: Codec) -> None:
    assert _decode(codec, ["a"], str | list[str]) == ["a"]
    assert _decode(codec, {"url": "u"}, ByUrl | ByPath) == ByUrl(url="u")
    with pytest.raises(DecodeError) as caught:
        _decode(codec, {"nothing": 1}, ByUrl | ByPath)
    assert caught.value.path == "$"
    assert "ByUrl: $.url: required field missing" in str(caught.value)


def test_a_model_chosen_by_its_shape_keeps_the_members_it_has_no_field_for() -> None:
    decoded = _decode(Codec(), {"source": {"path": "/a", "extra": 1}})
    assert decoded.source == ByPath(path="/a")
    from tessera import unknown_fields  # noqa: PLC0415 - the public name of what the codec keeps

    assert dict(unknown_fields(decoded.source)) == {"extra": 1}


def test_a_wide_integer_read_by_orjson_is_read_again_where_members_compete() -> None:
    # orjson reads 2**70 as a float: `int | float` beside an enum would keep it as one; json.loads gives the int.
    @attrs.define(kw_only=True)
    class Wide(Model):
        value: Level | int | float

    assert _decode(Codec(speedups=True), {"value": 2**70}, Wide) == Wide(value=2**70)
    assert type(_decode(Codec(speedups=True), {"value": 2**70}, Wide).value) is int


def test_encoding_a_union_value_writes_the_member_it_holds() -> None:
    shape = Shape(
        tags=["a"],
        when=datetime.date(2026, 11, 30),
        grade=Level.HIGH,
        pet=Dog(kind="dog", barks=1),
        pets=[Cat(kind="cat", meows=True)],
        by_name={"a": ByPath(path="/a")},
    )
    assert Codec().unstructure(shape) == {
        "tags": ["a"],
        "when": "2026-11-30",
        "grade": 2,
        "pet": {"kind": "dog", "barks": 1},
        "pets": [{"kind": "cat", "meows": True}],
        "by_name": {"a": {"path": "/a"}},
    }


# Any value of any member goes out and comes back as itself.
_TEXT = st.text(max_size=8)
_MEMBER_VALUES = st.one_of(
    st.builds(Shape, tags=st.one_of(_TEXT, st.lists(_TEXT, max_size=3))),
    st.builds(Shape, when=st.one_of(st.dates(), st.datetimes(timezones=st.just(datetime.UTC)))),
    st.builds(Shape, ref=st.one_of(st.integers(-(2**63), 2**63 - 1), _TEXT)),
    st.builds(Shape, grade=st.one_of(st.sampled_from(Color), st.sampled_from(Level), st.integers(3, 99))),
    st.builds(Shape, pet=st.one_of(st.builds(Cat, kind=st.just("cat")), st.builds(Dog, kind=st.just("dog")))),
    st.builds(Shape, source=st.one_of(st.builds(ByUrl, url=_TEXT), st.builds(ByPath, path=_TEXT))),
)


@settings(max_examples=300, deadline=None)
@given(shape=_MEMBER_VALUES)
def test_any_value_of_any_member_round_trips(shape: Shape) -> None:
    for codec in (Codec(speedups=True), Codec(speedups=False)):
        decoded = _decode(codec, codec.unstructure(shape))
        assert decoded == shape
        for field in attrs.fields(Shape):
            assert type(getattr(decoded, field.name)) is type(getattr(shape, field.name))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["kind", "url", "path", "size", "meows", "text", "x"]), inner)
    ),
    max_leaves=8,
)
_JSON_VALUES = _JSON | st.fixed_dictionaries(
    {"kind": st.sampled_from(["cat", "dog", "bird"])}, optional={"meows": _JSON, "barks": _JSON}
)


@settings(max_examples=500, deadline=None)
@given(value=_JSON_VALUES, field=st.sampled_from([field.name for field in attrs.fields(Shape)]))
def test_any_json_value_decodes_into_exactly_one_member_or_is_a_decode_error(value: object, field: str) -> None:
    outcomes = []
    for codec in (Codec(speedups=True), Codec(speedups=False)):
        try:
            outcomes.append(getattr(_decode(codec, {field: value}), field))
        except DecodeError as error:
            outcomes.append(("DecodeError", error.path))
    # The same outcome either way: one member's value, or an error at the field (or inside it).
    assert outcomes[0] == outcomes[1]
    assert type(outcomes[0]) is type(outcomes[1])
    assert not isinstance(outcomes[0], tuple) or outcomes[0][1].startswith(f"$.{field}")
