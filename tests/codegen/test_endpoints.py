"""_endpoints.py and _profile.py of an inline spec: signatures, what reaches the requester, runtime data."""

from __future__ import annotations

import datetime
import inspect
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType, NoneType
from typing import Any

import attrs
import pytest

from tessera._runtime.options import NOT_GIVEN, NotGiven
from tessera._runtime.pagination import Pages
from tessera._runtime.profile import VendorProfile
from tests.codegen.generated import generate, importable
from tests.codegen.inline_specs import OPERATIONS

VENDOR = "shapes_endpoints"


@attrs.frozen
class Generated:
    endpoints: ModuleType
    models: ModuleType
    profile: ModuleType
    profile_source: str


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    out = generate(tmp_path_factory.mktemp("endpoints"), VENDOR, OPERATIONS)
    with importable(out):
        from shapes_endpoints import _endpoints, _profile, models  # type: ignore[import-not-found]  # noqa: PLC0415

        yield Generated(_endpoints, models, _profile, (out / VENDOR / "_profile.py").read_text(encoding="utf-8"))


@attrs.define
class RecordingRequester:
    """Stands in for the runtime's Requester: records what a method hands it."""

    calls: list[tuple[str, tuple[object, ...], dict[str, object]]] = attrs.Factory(list)

    async def call(self, *args: object, **kwargs: object) -> str:
        self.calls.append(("call", args, kwargs))
        return "decoded"

    def paginate(self, *args: object, **kwargs: object) -> str:
        self.calls.append(("paginate", args, kwargs))
        return "pages"


def keyword_parameters(method: Any) -> dict[str, tuple[object, object]]:
    """name → (resolved annotation, default) of a method's keyword-only parameters; every other kind fails."""
    hints = typing.get_type_hints(method)
    parameters = list(inspect.signature(method).parameters.values())
    assert parameters[0].name == "self"
    assert all(parameter.kind is inspect.Parameter.KEYWORD_ONLY for parameter in parameters[1:])
    return {parameter.name: (hints[parameter.name], parameter.default) for parameter in parameters[1:]}


NO_EXTRAS = {"extra_headers": None, "extra_query": None, "extra_body": None}
"""What a method hands the requester for the extras a call did not give."""


def test_a_paginated_operation_is_a_plain_method_returning_pages(generated: Generated) -> None:
    models, list_items = generated.models, generated.endpoints.Items.list_items
    assert not inspect.iscoroutinefunction(list_items)
    returns = typing.get_type_hints(list_items)["return"]
    assert (typing.get_origin(returns), typing.get_args(returns)) == (Pages, (models.ItemPage, models.Item))
    assert keyword_parameters(list_items) == {
        "page": (int | None, None),
        "status": (models.ListItemsStatus | models.ListItemsStatusValue | None, None),
        "limit": (int | None, None),
        "since": (datetime.date, inspect.Parameter.empty),
        "extra_headers": (Mapping[str, str] | None, None),
        "extra_query": (Mapping[str, object] | None, None),
        "extra_body": (Mapping[str, object] | None, None),
        "timeout": (float | NotGiven, NOT_GIVEN),
        "max_retries": (int | NotGiven, NOT_GIVEN),
        "max_response_bytes": (int | NotGiven, NOT_GIVEN),
    }


def test_an_inline_query_enum_gets_a_named_enum_in_models(generated: Generated) -> None:
    assert [member.value for member in generated.models.ListItemsStatus] == ["open", "closed"]


def test_a_paginated_operation_hands_pages_and_items_types_and_wire_names(generated: Generated) -> None:
    requester = RecordingRequester()
    since = datetime.date(2024, 5, 1)
    result = generated.endpoints.Items(requester).list_items(since=since, limit=10)
    assert result == "pages"
    models = generated.models
    assert requester.calls == [
        (
            "paginate",
            (generated.endpoints._LIST_ITEMS, models.ItemPage, models.Item),
            {
                "query": {"page": None, "status": None, "$limit": 10, "since": since},
                **NO_EXTRAS,
                "timeout": NOT_GIVEN,
                "max_retries": NOT_GIVEN,
                "max_response_bytes": NOT_GIVEN,
            },
        )
    ]


async def test_a_path_parameter_is_a_required_keyword_sent_under_its_spec_name(generated: Generated) -> None:
    items = generated.endpoints.Items
    assert inspect.iscoroutinefunction(items.get_item)
    assert keyword_parameters(items.get_item)["item_id"] == (str, inspect.Parameter.empty)
    requester = RecordingRequester()
    assert await items(requester).get_item(item_id="it-1", timeout=5.0) == "decoded"
    assert requester.calls == [
        (
            "call",
            (generated.endpoints._GET_ITEM, generated.models.Item),
            {
                "path": {"itemId": "it-1"},
                **NO_EXTRAS,
                "timeout": 5.0,
                "max_retries": NOT_GIVEN,
                "max_response_bytes": NOT_GIVEN,
            },
        )
    ]


async def test_a_body_is_the_body_keyword(generated: Generated) -> None:
    models, items = generated.models, generated.endpoints.Items
    assert keyword_parameters(items.create_item)["body"] == (models.NewItem, inspect.Parameter.empty)
    assert typing.get_type_hints(items.create_item)["return"] is models.Item
    requester = RecordingRequester()
    body = models.NewItem(name="pen")
    await items(requester).create_item(body=body)
    assert requester.calls[0][2]["body"] is body


async def test_an_operation_without_content_returns_none(generated: Generated) -> None:
    items = generated.endpoints.Items
    assert typing.get_type_hints(items.delete_item)["return"] is NoneType
    requester = RecordingRequester()
    assert await items(requester).delete_item(item_id="it-1") is None
    assert requester.calls[0][1] == (generated.endpoints._DELETE_ITEM, NoneType)


async def test_parameters_named_like_the_methods_own_arguments_get_a_suffix(generated: Generated) -> None:
    models, items = generated.models, generated.endpoints.Items
    parameters = keyword_parameters(items.update_item)
    assert list(parameters) == [
        "item_id",
        "body_",
        "timeout_",
        "body",
        "send_unknown_fields",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
        "max_response_bytes",
    ]
    assert parameters["body"] == (models.NewItem | None, None)  # requestBody.required: false
    requester = RecordingRequester()
    await items(requester).update_item(item_id="it-1", body_="b", timeout_=1.5, timeout=9.0)
    assert requester.calls[0][2] == {
        "path": {"itemId": "it-1"},
        "query": {"body": "b", "timeout": 1.5},
        "body": None,
        "send_unknown_fields": False,
        **NO_EXTRAS,
        "timeout": 9.0,
        "max_retries": NOT_GIVEN,
        "max_response_bytes": NOT_GIVEN,
    }


async def test_a_bare_array_response_is_a_list(generated: Generated) -> None:
    labels, item_list = generated.endpoints.Labels, (list, (generated.models.Item,))
    returns = typing.get_type_hints(labels.list_tags)["return"]
    assert (typing.get_origin(returns), typing.get_args(returns)) == item_list
    requester = RecordingRequester()
    await labels(requester).list_tags()
    response_type = requester.calls[0][1][1]
    assert (typing.get_origin(response_type), typing.get_args(response_type)) == item_list


def test_operation_constants_carry_security_retry_safety_and_pagination(generated: Generated) -> None:
    endpoints = generated.endpoints
    assert endpoints._LIST_ITEMS.security == ("Key",)
    assert endpoints._LIST_ITEMS.pagination == "pages"
    assert endpoints._LIST_ITEMS.retry_safe is True
    assert endpoints._CREATE_ITEM.retry_safe is False
    assert endpoints._UPDATE_ITEM.retry_safe is True  # a PATCH marked x-tessera-retry-safe
    assert endpoints._LIST_TAGS.security == ()  # security: []
    assert (endpoints._GET_ITEM.method, endpoints._GET_ITEM.path) == ("GET", "/items/{itemId}/")


def test_docstrings_are_the_summary_and_the_parameter_descriptions(generated: Generated) -> None:
    items = generated.endpoints.Items
    assert inspect.getdoc(items.list_items) == "List items, page by page.\n\nArgs:\n    page: Page number."
    assert inspect.getdoc(items.get_item) == "`GET /items/{itemId}/`\n\nArgs:\n    item_id: The item's id."


def test_the_api_class_binds_one_resource_per_tag(generated: Generated) -> None:
    endpoints = generated.endpoints
    assert typing.get_type_hints(endpoints.Api) == {"items": endpoints.Items, "labels": endpoints.Labels}
    api = endpoints.Api.__new__(endpoints.Api)
    requester = RecordingRequester()
    api._bind_resources(requester)
    assert isinstance(api.items, endpoints.Items)
    assert api.labels._requester is requester


def test_the_profile_holds_the_runtime_data(generated: Generated) -> None:
    profile = generated.profile.PROFILE
    assert isinstance(profile, VendorProfile)
    assert profile.vendor == VENDOR
    assert profile.base_url == "https://api.example.com/v1"
    assert profile.pagination["pages"].items == "results"
    assert profile.security_schemes["Key"].auth == {"kind": "static", "jwt": "never"}
    assert profile.operations["update_item"].method == "PATCH"
    assert set(profile.operations) == {
        "list_items",
        "create_item",
        "get_item",
        "update_item",
        "delete_item",
        "list_tags",
    }


def test_the_profile_literal_has_sorted_keys_and_no_prose(generated: Generated) -> None:
    source = generated.profile_source
    top_level_keys = [
        "base_url",
        "errors",
        "operations",
        "pagination",
        "rate_limit",
        "security_schemes",
        "vendor",
    ]
    positions = [source.index(f'        "{key}": ') for key in top_level_keys]
    assert positions == sorted(positions)
    assert "Prose that the profile leaves out" not in source


def test_generated_modules_name_the_spec_in_their_header(generated: Generated) -> None:
    for module in (generated.endpoints, generated.profile):
        first_line = Path(str(module.__file__)).read_text(encoding="utf-8").splitlines()[0]
        assert first_line == (
            f"# Generated by `python -m codegen` from specs/{VENDOR}.yaml. Do not edit: change the spec and regenerate."
        )
