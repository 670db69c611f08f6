"""Inline schemas of bodies and responses (tests/codegen/inline_specs.py INLINE): each becomes a class or alias
of models.py named after where it stands, and bodies go out and come back through a real call."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from types import ModuleType

import attrs
import pytest
from aiohttp import web

from tests.codegen.corpus_calls import Handler, loopback_client, serving
from tests.codegen.generated import generate, importable
from tests.codegen.inline_specs import INLINE

VENDOR = "inline_shapes"


@attrs.frozen
class Generated:
    endpoints: ModuleType
    models: ModuleType
    profile: ModuleType


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    out = generate(tmp_path_factory.mktemp("inline"), VENDOR, INLINE)
    with importable(out):
        from inline_shapes import _endpoints, _profile, models  # type: ignore[import-not-found]  # noqa: PLC0415

        yield Generated(_endpoints, models, _profile)


def _hints(generated: Generated, method: str) -> dict[str, object]:
    return typing.get_type_hints(getattr(generated.endpoints.Default, method))


def _items(hint: object) -> object:
    """The item type of `list[X]`."""
    assert typing.get_origin(hint) is list
    (item,) = typing.get_args(hint)
    return item


def test_an_inline_response_is_named_after_its_operation_and_its_parts_after_it(generated: Generated) -> None:
    models = generated.models
    assert _hints(generated, "get_doc_audit_trail")["return"] is models.GetDocAuditTrailResponse
    fields = typing.get_type_hints(models.GetDocAuditTrailResponse)
    assert _items(fields["events"]) is models.GetDocAuditTrailResponseEventsItem
    assert fields["counts"] == dict[str, int] | None
    event = typing.get_type_hints(models.GetDocAuditTrailResponseEventsItem)
    assert event["actor"] == models.GetDocAuditTrailResponseEventsItemActor | None
    assert event["kind"] == models.GetDocAuditTrailResponseEventsItemKind | str


def test_maps_options_and_all_of_inside_an_inline_schema_are_named_after_their_place(generated: Generated) -> None:
    models = generated.models
    fields = typing.get_type_hints(models.GetDocAuditTrailResponse)
    signatures, none = typing.get_args(fields["signatures"])
    assert (typing.get_origin(signatures), none) == (dict, type(None))
    assert typing.get_args(signatures) == (str, models.GetDocAuditTrailResponseSignaturesValue)
    assert fields["source"] == models.GetDocAuditTrailResponseSource | None
    options = (models.GetDocAuditTrailResponseSourceOption1, models.GetDocAuditTrailResponseSourceOption2)
    assert typing.get_args(models.GetDocAuditTrailResponseSource) == options
    assert fields["owner"] == models.GetDocAuditTrailResponseOwner | None
    assert issubclass(models.GetDocAuditTrailResponseOwner, models.Doc)


def test_an_inline_array_response_names_its_items(generated: Generated) -> None:
    assert _items(_hints(generated, "list_docs")["return"]) is generated.models.ListDocsResponseItem


def test_an_inline_body_is_named_after_its_operation_and_never_takes_a_components_name(generated: Generated) -> None:
    models = generated.models
    assert _hints(generated, "create_doc")["body"] is models.CreateDocBodyModel
    assert "draft" in attrs.fields_dict(models.CreateDocBody)  # the spec's own schema keeps its class
    assert _items(typing.get_type_hints(models.CreateDocBodyModel)["signers"]) is models.CreateDocBodyModelSignersItem


def test_inline_maps_and_compositions_are_aliases_or_subclasses(generated: Generated) -> None:
    models = generated.models
    assert _hints(generated, "set_labels")["body"] == models.SetLabelsBody
    assert models.SetLabelsBody == dict[str, str]
    assert issubclass(models.SetLabelsResponse, models.Doc)
    assert models.SearchBody == models.ByName | models.ById
    assert _hints(generated, "search")["return"] is models.SearchResponse
    assert models.SearchResponse == models.Doc | models.SearchResponseOption2


def test_a_nullable_inline_object_is_optional_and_a_schema_without_type_is_any(generated: Generated) -> None:
    models = generated.models
    assert _hints(generated, "get_draft")["return"] == models.GetDraftResponse | None
    assert "text" in attrs.fields_dict(models.GetDraftResponse)
    assert models.EchoBody is models.EchoResponse is typing.Any


async def _audit(request: web.Request) -> web.Response:
    event = {"at": "2026-11-30T04:00:00Z", "kind": "signed", "actor": {"name": "Ana"}}
    trail = {"doc": request.match_info["id"], "events": [event], "counts": {"signed": 1}}
    trail |= {"signatures": {"ana": {"at": "2026-11-30T04:00:00Z"}}, "source": {"path": "/lease.pdf"}}
    trail |= {"owner": {"id": "d-0", "name": "Template", "team": "legal"}}
    return web.json_response(trail)


async def _create(request: web.Request) -> web.Response:
    body = await request.json()
    return web.json_response({"id": "d-1", "name": body["name"]}, status=201)


async def _labels(request: web.Request) -> web.Response:
    return web.json_response({"id": "d-1", "name": "Lease", "labels": await request.json()})


async def _search(request: web.Request) -> web.Response:
    body = await request.json()
    if "id" in body:
        return web.json_response({"id": body["id"], "name": "Lease"})
    return web.json_response({"reason": f"no doc named {body['name']}"})


async def _draft(request: web.Request) -> web.Response:
    return web.json_response({"text": "Dear Ana"} if request.match_info["id"] == "d-1" else None)


async def _echo(request: web.Request) -> web.Response:
    return web.json_response(await request.json())


async def test_inline_bodies_go_out_and_inline_responses_decode_through_a_real_call(generated: Generated) -> None:
    models = generated.models
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/v1/docs/{id}/audit", _audit),
        ("POST", "/v1/docs", _create),
        ("PUT", "/v1/labels", _labels),
    ]
    routes += [("POST", "/v1/search", _search), ("GET", "/v1/docs/{id}/draft", _draft), ("POST", "/v1/echo", _echo)]
    seen: list[str] = []
    async with (
        serving(routes, seen) as base_url,
        loopback_client(generated.endpoints, generated.profile, base_url) as client,
    ):
        trail = await client.default.get_doc_audit_trail(id="d-1")
        body = models.CreateDocBodyModel(name="Lease", signers=[models.CreateDocBodyModelSignersItem(email="a@b.c")])
        created = await client.default.create_doc(body=body)
        labelled = await client.default.set_labels(body={"team": "legal"})
        found = await client.default.search(body=models.ById(id="d-1"))
        missing = await client.default.search(body=models.ByName(name="Nope"))
        draft = await client.default.get_draft(id="d-1")
        no_draft = await client.default.get_draft(id="d-2")
        echoed = await client.default.echo(body=[1, {"a": None}])
    (event,) = trail.events
    assert (trail.doc, trail.counts) == ("d-1", {"signed": 1})
    assert event.at == datetime(2026, 11, 30, 4, tzinfo=UTC)
    assert trail.signatures == {"ana": models.GetDocAuditTrailResponseSignaturesValue(at=event.at)}
    assert trail.source == models.GetDocAuditTrailResponseSourceOption2(path="/lease.pdf")
    assert trail.owner == models.GetDocAuditTrailResponseOwner(id="d-0", name="Template", team="legal")
    assert event.kind is models.GetDocAuditTrailResponseEventsItemKind.SIGNED
    assert event.actor == models.GetDocAuditTrailResponseEventsItemActor(name="Ana")
    assert created == models.Doc(id="d-1", name="Lease")
    assert labelled == models.SetLabelsResponse(id="d-1", name="Lease", labels={"team": "legal"})
    assert found == models.Doc(id="d-1", name="Lease")
    assert missing == models.SearchResponseOption2(reason="no doc named Nope")
    assert (draft, no_draft) == (models.GetDraftResponse(text="Dear Ana"), None)
    assert echoed == [1, {"a": None}]
    assert seen == [
        "GET /v1/docs/d-1/audit",
        'POST /v1/docs {"name": "Lease", "signers": [{"email": "a@b.c"}]}',
        'PUT /v1/labels {"team": "legal"}',
        'POST /v1/search {"id": "d-1"}',
        'POST /v1/search {"name": "Nope"}',
        "GET /v1/docs/d-1/draft",
        "GET /v1/docs/d-2/draft",
        'POST /v1/echo [1, {"a": null}]',
    ]
