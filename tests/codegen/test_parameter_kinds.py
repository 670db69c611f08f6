"""Each operation's parameters, written into `_endpoints.py` as data the runtime checks a call's values against."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen.errors import SpecError
from tessera._runtime import arguments
from tessera.errors import InvalidArgument
from tests.codegen.generated import generate, importable
from tests.codegen.test_spec_errors import LIST_ITEMS, list_items, parse, valid_spec

VENDOR = "kinds_endpoints"

SPEC = """\
paths:
  /things/{thingId}/{part}:
    get:
      operationId: find_things
      tags: [things]
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
        - {name: part, in: path, required: true, schema: {$ref: '#/components/schemas/Part'}}
        - {name: count, in: query, schema: {type: integer}}
        - {name: ratio, in: query, schema: {type: number}}
        - {name: open, in: query, schema: {type: boolean}}
        - {name: day, in: query, required: true, schema: {type: string, format: date}}
        - {name: after, in: query, schema: {type: string, format: date-time}}
        - {name: colour, in: query, schema: {type: string, enum: [red, blue]}}
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
        - {name: parts, in: query, schema: {type: array, items: {$ref: '#/components/schemas/Part'}}}
        - {name: cursor, in: query, required: true, schema: {type: [string, "null"]}}
      responses:
        '204': {description: Nothing.}
components:
  schemas:
    Part:
      type: string
      enum: [head, tail]
    Thing:
      type: object
      properties:
        id: {type: string}
"""


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    out = generate(tmp_path_factory.mktemp("kinds"), VENDOR, SPEC)
    with importable(out):
        from kinds_endpoints import _endpoints, models  # type: ignore[import-not-found]  # noqa: PLC0415

        yield _endpoints, models


def test_each_parameter_is_described_with_its_kind(endpoints: tuple[ModuleType, ModuleType]) -> None:
    module, models = endpoints
    described = {
        parameter.argument: (parameter.name, parameter.location, parameter.kind, parameter.required)
        for parameter in module._FIND_THINGS.parameters
    }
    kinds = {argument: kind for argument, (_, _, kind, _) in described.items()}
    assert list(kinds) == [
        "thing_id",
        "part",
        "count",
        "ratio",
        "open",
        "day",
        "after",
        "colour",
        "ids",
        "parts",
        "cursor",
    ]
    assert kinds["thing_id"] is arguments.STRING
    assert (kinds["count"], kinds["ratio"], kinds["open"]) == (arguments.INTEGER, arguments.NUMBER, arguments.BOOLEAN)
    assert (kinds["day"], kinds["after"]) == (arguments.DATE, arguments.DATE_TIME)
    for argument, enum in (("part", models.Part), ("colour", models.FindThingsColour)):
        kind = kinds[argument]
        assert isinstance(kind, arguments.EnumOf)
        assert kind.cls is enum
    ids, parts = kinds["ids"], kinds["parts"]
    assert isinstance(ids, arguments.ListOf)
    assert ids.item is arguments.INTEGER
    assert isinstance(parts, arguments.ListOf)
    assert isinstance(parts.item, arguments.EnumOf)
    assert parts.item.cls is models.Part
    assert described["thing_id"][:2] == ("thingId", "path")
    assert {argument for argument, (_, _, _, required) in described.items() if required} == {
        "thing_id",
        "part",
        "day",  # cursor is required but nullable: a URL cannot carry its null, so None is left out
    }


def test_the_description_checks_a_call(endpoints: tuple[ModuleType, ModuleType]) -> None:
    module, models = endpoints
    operation = module._FIND_THINGS
    query = {"day": datetime.date(2024, 5, 1), "ids": (1, 2), "parts": ["head", models.Part.TAIL], "cursor": None}
    assert arguments.query_params(operation, query, VENDOR) == [
        ("day", "2024-05-01"),
        ("ids", "1"),
        ("ids", "2"),
        ("parts", "head"),
        ("parts", "tail"),
    ]
    assert arguments.path_segments(operation, {"thingId": "a/b", "part": "head"}, VENDOR) == {
        "thingId": "a%2Fb",
        "part": "head",
    }
    with pytest.raises(InvalidArgument, match=r"kinds_endpoints\.find_things: day must be a datetime\.date"):
        arguments.query_params(operation, {"day": None}, VENDOR)
    with pytest.raises(
        InvalidArgument, match=r"ids must be a list or tuple, each item an int .* not an item that is str"
    ):
        arguments.query_params(operation, {"ids": [1, "2"]}, VENDOR)
    with pytest.raises(InvalidArgument, match="the spec declares no query parameter 'thingId'"):
        arguments.query_params(operation, {"thingId": "x"}, VENDOR)


def object_parameter(document: dict[str, Any]) -> None:
    """An object in a query is form pairs (test_unions.py), but only of properties a URL carries: none nested."""
    where = {"type": "object", "properties": {"city": {"type": "string"}}}
    list_items(document)["parameters"][0]["schema"] = {"type": "object", "properties": {"where": where}}


def object_header_parameter(document: dict[str, Any]) -> None:
    list_items(document)["parameters"][0] |= {"in": "header", "schema": {"$ref": "#/components/schemas/Item"}}


def matrix_path_parameter(document: dict[str, Any]) -> None:
    document["paths"]["/items/{ids}"] = {
        "get": {
            **list_items(document),
            "operationId": "get_items",
            "parameters": [
                {
                    "name": "ids",
                    "in": "path",
                    "required": True,
                    "style": "matrix",
                    "schema": {"type": "array", "items": {"type": "string"}},
                }
            ],
        }
    }


def array_of_arrays_parameter(document: dict[str, Any]) -> None:
    list_items(document)["parameters"][0]["schema"] = {
        "type": "array",
        "items": {"type": "array", "items": {"type": "integer"}},
    }


@pytest.mark.parametrize(
    ("break_spec", "message"),
    [
        (
            object_parameter,
            f"{LIST_ITEMS}/parameters/0/schema: a parameter must be a string (a date or date-time too), an integer,"
            " a number, a boolean, an enum, an array of one of these, or in a query an object of them: the runtime"
            " checks and writes its values in the URL",
        ),
        (object_header_parameter, f"{LIST_ITEMS}/parameters/0/schema: a parameter must be a string"),
        (
            array_of_arrays_parameter,
            f"{LIST_ITEMS}/parameters/0/schema: a parameter must be a string",
        ),
        (
            matrix_path_parameter,
            "/paths/~1items~1{ids}/get/parameters/0/style: style 'matrix' is not supported in path: the runtime"
            " writes the default, 'simple'",
        ),
    ],
)
def test_a_parameter_the_runtime_cannot_write_in_a_url_is_a_spec_error(
    tmp_path: Path, break_spec: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = valid_spec()
    break_spec(document)
    with pytest.raises(SpecError) as caught:
        parse(tmp_path, document)
    assert str(caught.value).startswith(f"specs/broken.yaml#{message}")
