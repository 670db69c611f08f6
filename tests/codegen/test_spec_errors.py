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


def body_parameter(document: dict[str, Any]) -> None:
    list_items(document)["parameters"][0]["in"] = "body"  # Swagger 2's, which OpenAPI 3 has as requestBody


def header_name_with_a_space(document: dict[str, Any]) -> None:
    # Required: an optional one is left out of the method, with a note (test_parameter_locations.py).
    list_items(document)["parameters"][0].update({"in": "header", "name": "X Trace", "required": True})


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


def form_body_not_an_object(document: dict[str, Any]) -> None:
    form = {"application/x-www-form-urlencoded": {"schema": {"type": "string"}}}
    document["paths"]["/items/"]["post"] = {"requestBody": {"content": form}, "responses": {"204": {}}}


def multipart_body_without_a_schema(document: dict[str, Any]) -> None:
    multipart: dict[str, object] = {"multipart/form-data": {}}
    document["paths"]["/items/"]["post"] = {"requestBody": {"content": multipart}, "responses": {"204": {}}}


def no_success_response(document: dict[str, Any]) -> None:
    list_items(document)["responses"] = {"404": {"description": "Not found."}}


def vendor_not_an_identifier(document: dict[str, Any]) -> None:
    document["x-tessera"]["vendor"] = "Line Items"


@pytest.mark.parametrize(
    ("break_spec", "message"),
    [
        (
            body_parameter,
            f"{LIST_ITEMS}/parameters/0/in: a parameter is in path, query, header or cookie, not 'body'",
        ),
        (
            header_name_with_a_space,
            f"{LIST_ITEMS}/parameters/0/name: 'X Trace' is not a header's name: an HTTP token (letters, digits"
            " and !#$%&'*+-.^_`|~)",
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
        (vendor_not_an_identifier, "/x-tessera/vendor: vendor 'Line Items' is not a lowercase Python identifier"),
        (
            form_body_not_an_object,
            "/paths/~1items~1/post/requestBody/content/application~1x-www-form-urlencoded/schema: a body"
            " sent as application/x-www-form-urlencoded must be an object: its properties are the fields",
        ),
        (
            multipart_body_without_a_schema,
            "/paths/~1items~1/post/requestBody/content: multipart/form-data content needs a schema",
        ),
        (no_success_response, f"{LIST_ITEMS}/responses: an operation needs a 2xx or a default response"),
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


def test_a_schema_named_model_does_not_shadow_the_base_of_every_model(tmp_path: Path) -> None:
    document = valid_spec()
    schemas = document["components"]["schemas"]
    schemas["Model"] = schemas.pop("Item")
    schemas["ItemPage"]["properties"]["results"]["items"]["$ref"] = "#/components/schemas/Model"
    list_items(document)["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = (
        "#/components/schemas/Model"
    )
    spec = parse(tmp_path, document)
    assert spec.operations[0].returns == "models.ModelModel"
    source = render_models(spec)
    assert "class ModelModel(Model):" in source
    assert "class Model(" not in source


def test_a_schema_named_after_an_import_of_models_py_gets_a_class_of_its_own(tmp_path: Path) -> None:
    # A class `Any` would shadow the typing.Any of its free-form field (datamodel-code-generator would rename
    # it behind the operations' back), so the codegen names it AnyModel, in models.py and the operations alike.
    document = valid_spec()
    schemas = document["components"]["schemas"]
    schemas["Any"] = schemas.pop("Item")
    schemas["Any"]["properties"]["extra"] = {"type": "object"}
    schemas["ItemPage"]["properties"]["results"]["items"]["$ref"] = "#/components/schemas/Any"
    list_items(document)["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = (
        "#/components/schemas/Any"
    )
    spec = parse(tmp_path, document)
    assert spec.operations[0].returns == "models.AnyModel"
    assert "class AnyModel(Model):" in render_models(spec)
