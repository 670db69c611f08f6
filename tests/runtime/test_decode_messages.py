"""What a DecodeError says, field kind by field kind, and that a body that fits never leaves the fast path.

The messages are the user's only clue to a vendor's change: each names the JSON type expected and the
type found (never the value), the operation, and the path. A fitting body is decoded by the compiled
fast path alone (with orjson reading it when `speedups`); the detailed converter and the standard
library's reader are for misfits only, so a fast path that failed on good bodies would go unnoticed
in results and show only in time: these tests make it show.
"""

from __future__ import annotations

import datetime
import enum
import json
from typing import Any, Literal, NoReturn

import attrs
import pytest

from tessera._runtime import conversion
from tessera._runtime.conversion import Codec, attribute_for_json_name, make_converter
from tessera.errors import DecodeError


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    LOW = 1


@attrs.define(kw_only=True)
class Inner:
    name: str


@attrs.define(kw_only=True)
class Circle:
    radius: float


@attrs.define(kw_only=True)
class Square:
    side: float


@attrs.define(kw_only=True)
class Every:
    text: str = ""
    count: int = 0
    ratio: float = 0.0
    flag: bool = False
    at: datetime.datetime | None = None
    day: datetime.date | None = None
    maybe_text: str | None = None
    maybe_count: int | None = None
    maybe_ratio: float | None = None
    either: int | str | None = None
    number: int | float = 0
    color: Color | None = None
    level: Level | None = None
    kind: Literal["a", "b"] | None = None
    items: list[int] = attrs.Factory(list)
    table: dict[str, int] = attrs.Factory(dict)
    inner: Inner | None = None
    inners: list[Inner] = attrs.Factory(list)
    free: Any = None
    shape: Circle | Square | None = None


MISFITS = [
    ({"text": 5}, "expected a string, got int at $.text"),
    ({"count": "1"}, "expected an integer, got str at $.count"),
    ({"ratio": "x"}, "expected a number, got str at $.ratio"),
    ({"flag": 1}, "expected a boolean, got int at $.flag"),
    ({"at": 5}, "expected an ISO 8601 date-time string, got int at $.at"),
    ({"day": 5}, "expected an ISO 8601 date string, got int at $.day"),
    ({"maybe_text": 5}, "expected str or null, got int at $.maybe_text"),
    ({"maybe_count": True}, "expected int or null, got bool at $.maybe_count"),
    ({"maybe_ratio": "x"}, "expected a number, got str at $.maybe_ratio"),
    ({"either": [1]}, "expected int or str or null, got list at $.either"),
    ({"either": 1.5}, "expected int or str or null, got float at $.either"),
    ({"number": "1"}, "expected int or float, got str at $.number"),
    ({"color": "blue"}, "not a Color value at $.color"),
    ({"color": ["red"]}, "not a Color value at $.color"),
    ({"level": True}, "not a Level value: a bool at $.level"),
    ({"level": 2}, "not a Level value at $.level"),
    ({"kind": "c"}, "expected one of 'a', 'b' at $.kind"),
    ({"items": "x"}, "expected an array, got str at $.items"),
    ({"items": [1, "x"]}, "expected an integer, got str at $.items[1]"),
    ({"table": []}, "expected an object, got list at $.table"),
    ({"table": {"k": "v"}}, "expected an integer, got str at $.table['k']"),
    ({"inner": []}, "expected an object (Inner), got list at $.inner"),
    (  # fields that fit before the one that does not
        {"flag": True, "color": "red", "level": 1, "at": "2026-11-22", "inner": []},
        "expected an object (Inner), got list at $.inner",
    ),
    ({"text": 5, "inner": {}}, "expected a string, got int at $.text"),  # the first of two, in field order
    ({"inner": {}}, "required field missing at $.inner.name"),
    ({"inners": [{"name": "a"}, {}]}, "required field missing at $.inners[1].name"),
]


@pytest.mark.parametrize("speedups", [False, True])
@pytest.mark.parametrize(("body", "message"), MISFITS)
def test_a_misfit_says_what_was_expected_and_found_and_where(
    body: dict[str, object], message: str, speedups: bool
) -> None:
    with pytest.raises(DecodeError) as caught:
        Codec(speedups=speedups).decode(json.dumps(body).encode(), Every, vendor="v", operation="o")
    assert str(caught.value) == f"v.o: {message}"
    assert (caught.value.vendor, caught.value.operation) == ("v", "o")


def test_a_body_that_is_not_an_object_is_named_at_the_root() -> None:
    with pytest.raises(DecodeError) as caught:
        Codec().structure([1], Every, vendor="v", operation="o")
    assert str(caught.value) == "v.o: TypeError: expected an object (Every), got list at $"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<html>", "the body is not JSON (6 bytes)"),
        (b"[" * 100_000, "the body is JSON nested too deeply to read (100000 bytes)"),
    ],
)
@pytest.mark.parametrize("speedups", [False, True])
def test_a_body_that_cannot_be_read_names_the_operation(raw: bytes, message: str, speedups: bool) -> None:
    with pytest.raises(DecodeError) as caught:
        Codec(speedups=speedups).decode(raw, Every, vendor="v", operation="o")
    assert str(caught.value) == f"v.o: {message} at $"
    assert (caught.value.vendor, caught.value.operation) == ("v", "o")


def literal_model(allowed: str) -> type[Any]:
    choice: Any = Literal[allowed]  # a Literal built at run time: a value to mypy, not a type
    return attrs.make_class("Choice", {"kind": attrs.field(type=choice)})


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (182, "expected one of '" + "x" * 182 + "'"),  # 200 characters: shown whole
        (183, "expected one of '" + "x" * 180 + "..."),  # 201: cut to 200
    ],
)
def test_a_message_is_cut_at_200_characters(width: int, shown: str) -> None:
    with pytest.raises(DecodeError) as caught:
        Codec().structure({"kind": "y"}, literal_model("x" * width), vendor="v", operation="o")
    assert str(caught.value) == f"v.o: {shown} at $.kind"
    assert len(shown) == 200


FITS = {
    "text": "t",
    "count": 2**62,
    "ratio": 1,
    "flag": True,
    "at": "2026-11-22T10:00:00+00:00",
    "day": "2026-11-22",
    "maybe_text": None,
    "maybe_count": 3,
    "maybe_ratio": 2,
    "either": 7,
    "number": 1.5,
    "color": "red",
    "level": 1,
    "kind": "b",
    "items": [1, 2],
    "table": {"k": 1},
    "inner": {"name": "n"},
    "inners": [{"name": "m"}],
    "free": {"nested": [1, "two", None, 2.5]},
    "shape": {"side": 2},
}


def refused(*_: object, **__: object) -> NoReturn:
    pytest.fail("a fitting body left the fast path")


@pytest.mark.parametrize("speedups", [False, True])
def test_a_fitting_body_is_decoded_by_the_fast_path_alone(monkeypatch: pytest.MonkeyPatch, speedups: bool) -> None:
    codec = Codec(speedups=speedups)
    monkeypatch.setattr(codec, "_structure_detailed", refused)
    if speedups:
        monkeypatch.setattr(conversion, "_read", refused)  # orjson's reading is kept
    every = codec.decode(json.dumps(FITS).encode(), Every, vendor="v", operation="o")
    assert every == codec.decode(json.dumps(FITS).encode(), Every, vendor="v", operation="o")  # the cached hook
    assert (every.count, every.ratio, every.number, every.either) == (2**62, 1.0, 1.5, 7)
    assert type(every.ratio) is float
    assert type(every.maybe_ratio) is float
    assert every.color is Color.RED
    assert every.level is Level.LOW
    assert every.at == datetime.datetime(2026, 11, 22, 10, tzinfo=datetime.UTC)
    assert every.day == datetime.date(2026, 11, 22)
    assert every.inners == [Inner(name="m")]
    assert every.free == {"nested": [1, "two", None, 2.5]}
    assert every.shape == Square(side=2.0)


def test_a_json_name_with_no_attribute_is_a_lookup_error_naming_it() -> None:
    @attrs.define
    class Fresh:  # not looked up before: the cache starts empty for it
        sent_at: str = attrs.field(metadata={"json": "sentAt"})

    assert attribute_for_json_name(Fresh, "sentAt") == "sent_at"
    assert attribute_for_json_name(Fresh, "sentAt") == "sent_at"  # cached
    with pytest.raises(LookupError, match=r"^Fresh has no field for JSON name 'sent_at'$"):
        attribute_for_json_name(Fresh, "sent_at")


@pytest.mark.parametrize("speedups", [False, True])
@pytest.mark.parametrize(("field", "value"), [("number", 2**64), ("free", [2**64]), ("free", {"n": -(2**64)})])
def test_an_integer_past_64_bits_keeps_its_value_where_a_float_would_also_fit(
    field: str, value: object, speedups: bool
) -> None:
    # orjson reads it as a float, which an `int | float` union or a free-form field would keep.
    every = Codec(speedups=speedups).decode(json.dumps({field: value}).encode(), Every, vendor="v", operation="o")
    assert getattr(every, field) == value
    assert repr(getattr(every, field)) == repr(value)  # 18446744073709551616, not 1.8446744073709552e+19


@pytest.mark.parametrize("speedups", [False, True])
def test_a_float_as_large_is_kept_as_the_float_it_is(speedups: bool) -> None:
    raw = b'{"number": 1.8446744073709552e19, "free": 1.8446744073709552e19}'
    every = Codec(speedups=speedups).decode(raw, Every, vendor="v", operation="o")
    assert repr((every.number, every.free)) == "(1.8446744073709552e+19, 1.8446744073709552e+19)"
    assert make_converter(detailed=True).structure({"number": 2.0**64}, Every).number == 2.0**64
