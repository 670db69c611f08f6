"""Specs the generator cannot turn into code fail with a SpecError naming the file and the JSON pointer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.document import load_spec
from codegen.errors import SpecError
from codegen.ir import Spec
from codegen.models import render_models
from codegen.parse import parse_spec

SOURCE = "specs/broken.yaml"
LIST_ITEMS = "/paths/~1items~1/get"


def valid_spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "broken", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "x-tessera": {
            "vendor": "broken",
            "pagination": {"pages": {"kind": "page-number", "page-param": "page", "items": "results"}},
        },
        "paths": {
            "/items/": {
                "get": {
                    "operationId": "list_items",
                    "tags": ["items"],
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "A page.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ItemPage"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Item": {"type": "object", "properties": {"id": {"type": "string"}}},
                "ItemPage": {
                    "type": "object",
                    "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}},
                },
            }
        },
    }


def parse(tmp_path: Path, document: dict[str, Any]) -> Spec:
    path = tmp_path / "broken.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")  # JSON is YAML
    return parse_spec(load_spec(path, SOURCE))


def list_items(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/items/"]["get"]
    return operation


def header_parameter(document: dict[str, Any]) -> None:
    list_items(document)["parameters"][0]["in"] = "header"


def inline_object_response(document: dict[str, Any]) -> None:
    list_items(document)["responses"]["200"]["content"]["application/json"]["schema"] = {"type": "object"}


def unknown_schema(document: dict[str, Any]) -> None:
    list_items(document)["parameters"][0]["schema"] = {"$ref": "#/components/schemas/Nope"}


def unknown_pagination_style(document: dict[str, Any]) -> None:
    list_items(document)["x-tessera-pagination"] = "cursor"


def paginated_with_a_body(document: dict[str, Any]) -> None:
    list_items(document)["x-tessera-pagination"] = "pages"
    list_items(document)["requestBody"] = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}
    }


def page_without_its_items(document: dict[str, Any]) -> None:
    list_items(document)["x-tessera-pagination"] = "pages"
    document["components"]["schemas"]["ItemPage"]["properties"] = {"data": {"type": "array", "items": {}}}


def unknown_security_scheme(document: dict[str, Any]) -> None:
    list_items(document)["security"] = [{"Nope": []}]


def duplicate_operation_id(document: dict[str, Any]) -> None:
    document["paths"]["/items/"]["post"] = {**list_items(document), "parameters": []}


def enum_name_taken(document: dict[str, Any]) -> None:
    list_items(document)["parameters"][0] = {"name": "item", "in": "query", "schema": {"enum": ["a", "b"]}}
    document["components"]["schemas"]["ListItemsItem"] = {"type": "string"}


def tag_not_an_identifier(document: dict[str, Any]) -> None:
    list_items(document)["tags"] = ["Line Items"]


def no_vendor(document: dict[str, Any]) -> None:
    del document["x-tessera"]["vendor"]


@pytest.mark.parametrize(
    ("break_spec", "message"),
    [
        (
            header_parameter,
            f"{LIST_ITEMS}/parameters/0/in: parameters in 'header' are not supported: "
            "the runtime sends path and query parameters",
        ),
        (
            inline_object_response,
            f"{LIST_ITEMS}/responses/200/content/application~1json/schema: "
            "an inline 'object' schema needs a name: move it to components/schemas",
        ),
        (
            unknown_schema,
            f"{LIST_ITEMS}/parameters/0/schema/$ref: no schema 'Nope' under components/schemas",
        ),
        (
            unknown_pagination_style,
            f"{LIST_ITEMS}/x-tessera-pagination: no pagination style 'cursor' under x-tessera.pagination",
        ),
        (
            paginated_with_a_body,
            f"{LIST_ITEMS}: a paginated operation cannot take a body: the runtime pages through query parameters",
        ),
        (
            page_without_its_items,
            "/components/schemas/ItemPage: the page schema has no 'results' property "
            "(x-tessera.pagination.pages.items)",
        ),
        (
            unknown_security_scheme,
            f"{LIST_ITEMS}/security/0: no security scheme 'Nope' under components/securitySchemes",
        ),
        (duplicate_operation_id, "/paths/~1items~1/post: operationId 'list_items' is used twice"),
        (
            enum_name_taken,
            f"{LIST_ITEMS}/parameters/0/schema: "
            "the name 'ListItemsItem' for this parameter's enum is taken under components/schemas",
        ),
        (
            tag_not_an_identifier,
            f"{LIST_ITEMS}/tags/0: tag 'Line Items' is not a lowercase identifier free for a client attribute",
        ),
        (no_vendor, "/x-tessera: missing required key 'vendor'"),
    ],
)
def test_spec_errors_name_the_file_and_the_pointer(
    tmp_path: Path, break_spec: Callable[[dict[str, Any]], None], message: str
) -> None:
    document = valid_spec()
    parse(tmp_path, document)  # the spec is fine before it is broken
    break_spec(document)
    with pytest.raises(SpecError) as caught:
        parse(tmp_path, document)
    assert str(caught.value) == f"{SOURCE}#{message}"


def test_invalid_yaml_is_a_spec_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("paths: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"^specs/broken\.yaml#: not valid YAML: "):
        load_spec(path, SOURCE)


def test_a_schema_that_the_model_generator_renames_is_reported(tmp_path: Path) -> None:
    # A class `Any` would shadow the typing.Any of its free-form field, so datamodel-code-generator
    # names it otherwise; the operation would then name a class that is not there.
    document = valid_spec()
    schemas = document["components"]["schemas"]
    schemas["Any"] = schemas.pop("Item")
    schemas["Any"]["properties"]["extra"] = {"type": "object"}
    schemas["ItemPage"]["properties"]["results"]["items"]["$ref"] = "#/components/schemas/Any"
    list_items(document)["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = (
        "#/components/schemas/Any"
    )
    with pytest.raises(SpecError) as caught:
        render_models(parse(tmp_path, document))
    assert str(caught.value) == f"{SOURCE}#/components/schemas: models.py defines no Any; rename the schema(s)"
