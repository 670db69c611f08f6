"""The kinds no vendor's spec uses yet (a number, an array, a date-time in a query), and undeclared arguments.

test_arguments.py calls every generated operation; the four specs declare no number or array parameter,
so these kinds are checked here, on an operation built in the test, through the same two functions the
requester calls (`path_segments`, `query_params`).
"""

from __future__ import annotations

import datetime
import enum
import math
from typing import Final

import pytest

from tessera import errors, zapsign
from tessera._runtime import arguments
from tessera._runtime.operation import Operation

OPERATION: Final = Operation(
    operation_id="list_things",
    method="GET",
    path="/things/{thing_id}/",
    security=(),
    retry_safe=True,
    parameters=(
        arguments.Parameter(
            name="thing_id", argument="thing_id", location="path", kind=arguments.STRING, required=True
        ),
        arguments.Parameter(
            name="tag", argument="tags", location="query", kind=arguments.ListOf(arguments.STRING), required=False
        ),
        arguments.Parameter(name="ratio", argument="ratio", location="query", kind=arguments.NUMBER, required=True),
        arguments.Parameter(name="since", argument="since", location="query", kind=arguments.DATE_TIME, required=False),
    ),
)


def refused(values: dict[str, object]) -> str:
    with pytest.raises(errors.InvalidArgument) as caught:
        arguments.query_params(OPERATION, values, "acme")
    return str(caught.value)


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        (arguments.NUMBER, 2.5, "2.5"),
        (arguments.NUMBER, 7, "7"),
        (arguments.NUMBER, True, None),
        (arguments.NUMBER, False, None),
        (arguments.NUMBER, "2.5", None),
        (arguments.NUMBER, None, None),
        (arguments.NUMBER, math.nan, None),
        (arguments.NUMBER, -math.inf, None),
        (arguments.DATE_TIME, datetime.date(2024, 5, 1), None),
        (arguments.DATE, datetime.date(2024, 5, 1), "2024-05-01"),
        (arguments.BOOLEAN, 1, None),
        (arguments.STRING, "x\ud800", None),
    ],
)
def test_each_kind_writes_what_it_takes_and_nothing_else(kind: arguments.Kind, value: object, text: str | None) -> None:
    assert kind.text(value) == text


@pytest.mark.parametrize(
    ("kind", "value", "mismatch"),
    [
        (arguments.NUMBER, math.nan, "nan"),  # a float's value says what was wrong with it
        (arguments.NUMBER, True, "bool"),
        (arguments.NUMBER, "2.5", "str"),
        (arguments.NUMBER, None, "None"),
        (arguments.STRING, "x\ud800", "a str UTF-8 cannot encode (a lone surrogate)"),
        (arguments.STRING, 7, "int"),
        (arguments.EnumOf(zapsign.models.DocStatus), "lost", "another string"),
        (arguments.EnumOf(zapsign.models.DocStatus), 1, "int"),
        (arguments.ListOf(arguments.INTEGER), [1, "2"], "an item that is str"),
        (arguments.ListOf(arguments.INTEGER), "1", "str"),
        (arguments.ListOf(arguments.INTEGER), None, "None"),
    ],
)
def test_a_mismatch_names_the_type_given(kind: arguments.Kind, value: object, mismatch: str) -> None:
    assert kind.mismatch(value) == mismatch


def test_an_array_is_one_query_pair_per_item_in_order() -> None:
    assert arguments.query_params(OPERATION, {"tag": ("b", "a"), "ratio": 0.5}, "acme") == [
        ("tag", "b"),
        ("tag", "a"),
        ("ratio", "0.5"),
    ]
    assert arguments.query_params(OPERATION, {"tag": [], "ratio": 1}, "acme") == [("ratio", "1")]


def test_an_optional_none_is_left_out_and_a_required_one_refused() -> None:
    assert arguments.query_params(OPERATION, {"tag": None, "since": None, "ratio": 1}, "acme") == [("ratio", "1")]
    assert refused({"ratio": None}) == "acme.list_things: ratio must be a finite int or float (not a bool), not None"


@pytest.mark.parametrize(
    ("tags", "given"),
    [
        (["a", 1], "an item that is int"),
        ("a", "str"),
        ({"a": 1}, "dict"),
    ],
)
def test_an_array_of_another_type_is_refused_naming_the_argument(tags: object, given: str) -> None:
    message = refused({"tag": tags, "ratio": 1})
    assert message == f"acme.list_things: tags must be a list or tuple, each item a str, not {given}"


def test_a_number_that_is_not_finite_is_refused_naming_it() -> None:
    message = refused({"ratio": math.inf})
    assert message == "acme.list_things: ratio must be a finite int or float (not a bool), not inf"


@pytest.mark.parametrize("location", ["path", "query"])
def test_an_argument_the_spec_does_not_declare_is_refused_naming_it(location: str) -> None:
    build = arguments.path_segments if location == "path" else arguments.query_params
    with pytest.raises(errors.InvalidArgument) as caught:
        build(OPERATION, {"colour": "red"}, "acme")
    refusal = caught.value
    assert (refusal.argument, refusal.vendor, refusal.operation) == ("colour", "acme", "list_things")
    assert str(refusal) == f"acme.list_things: the spec declares no {location} parameter 'colour' for this operation"


def test_a_path_value_is_one_encoded_segment() -> None:
    assert arguments.path_segments(OPERATION, {"thing_id": "a/b c"}, "acme") == {"thing_id": "a%2Fb%20c"}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("..", "must not be '', '.' or '..': in a URL's path it would send the call to another route"),
        ("x\ud800", "must be text UTF-8 can encode, not a str with a lone surrogate"),
    ],
)
def test_a_path_segment_that_cannot_be_one_is_refused_saying_why(value: str, problem: str) -> None:
    with pytest.raises(errors.InvalidArgument) as caught:
        arguments.path_segment(value, argument="thing_id", vendor="acme", operation="get_thing")
    assert str(caught.value) == f"acme.get_thing: thing_id {problem}"


def test_a_path_value_of_another_type_is_refused_naming_its_type() -> None:
    with pytest.raises(errors.InvalidArgument) as caught:
        arguments.path_segments(OPERATION, {"thing_id": 7}, "acme")
    assert str(caught.value) == "acme.list_things: thing_id must be a str, not int"


class Outcome(str, enum.Enum):  # noqa: UP042 - a str mixin, as older code writes them
    """Another str enum, whose `str()` is its name: a value of DocStatus's is taken as its text."""

    SIGNED = "signed"


def test_an_enum_lists_its_values_and_takes_a_str_enum_member_as_its_value() -> None:
    kind = arguments.EnumOf(zapsign.models.DocStatus)
    assert kind.expected == "a DocStatus or one of its values ('pending', 'signed', 'refused')"
    text = kind.text(Outcome.SIGNED)
    assert (text, type(text)) == ("signed", str)
