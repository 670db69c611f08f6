"""Calls to the corpus's generated clients, each against a small aiohttp.web server on 127.0.0.1 that answers
as its spec says: one scenario per spec that generates, with at least three operations (one per body or
response kind it has) and the requests the server saw asserted."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web

from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES
from tessera.errors import NotFound

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Scenario = Callable[[Any, ModuleType, list[str]], Awaitable[None]]
"""(the client, the package's models module, the requests the server saw) → None; raises when a call fails."""

REX = {"id": 1, "name": "Rex", "tag": "dog"}
PET_TOKEN = "obtained-by-the-implicit-flow"


@asynccontextmanager
async def serving(routes: list[tuple[str, str, Handler]], seen: list[str]) -> AsyncIterator[str]:
    """A server on 127.0.0.1 with these routes, recording each request as `METHOD path?query body`; its URL.

    A JSON body is recorded as `json.dumps` writes it, keys sorted, however the client spaced it; a form
    body as the server parsed its fields (`form [(name, value), ...]`); any other as its Content-Type and
    size, whose handler reads it (a multipart body is read once, by the handler: it records its parts).
    """

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        shown = ""
        if request.content_type == "application/x-www-form-urlencoded":
            shown = f" form {list((await request.post()).items())}"
        elif request.content_type.startswith("multipart/"):
            shown = f" {request.content_type}"
        elif request.body_exists:
            body = await request.read()
            if request.content_type == "application/json":
                shown = f" {json.dumps(json.loads(body), sort_keys=True)}"
            else:
                shown = f" {request.content_type} {len(body)} bytes"
        seen.append(f"{request.method} {request.path_qs}{shown}")
        return await handler(request)

    app = web.Application(middlewares=[record])
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    finally:
        await runner.cleanup()


def loopback_client(endpoints: ModuleType, profile: ModuleType, base_url: str) -> Any:
    """The generated package's client (its `_endpoints.Api`) for a server of `serving`: no credentials, no retries."""
    return endpoints.Api(
        profile.PROFILE,
        credentials=[],
        base_url=base_url,
        timeout=10.0,
        max_retries=0,
        session=None,
        allow_insecure_http=True,
        max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES,
    )


async def _pet(request: web.Request) -> web.Response:
    if request.match_info["id"] == "404":
        return web.json_response({"code": 404, "message": "no such pet"}, status=404)
    return web.json_response({**REX, "id": int(request.match_info["id"])})


async def _pets(request: web.Request) -> web.Response:
    return web.json_response([REX])


async def _created(request: web.Request) -> web.Response:
    return web.Response(status=201)


async def _added(request: web.Request) -> web.Response:
    return web.json_response({**json.loads(await request.text()), "id": 2})


async def _deleted(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def oai_petstore(client: Any, models: ModuleType, seen: list[str]) -> None:
    assert await client.pets.list_pets(limit=2) == [models.Pet(id=1, name="Rex", tag="dog")]
    await client.pets.create_pets(body=models.Pet(id=2, name="Tom"))
    assert await client.pets.show_pet_by_id(pet_id="1") == models.Pet(id=1, name="Rex", tag="dog")
    with pytest.raises(NotFound, match="no such pet"):
        await client.pets.show_pet_by_id(pet_id="404")
    assert seen == [
        "GET /v1/pets?limit=2",
        'POST /v1/pets {"id": 2, "name": "Tom"}',
        "GET /v1/pets/1",
        "GET /v1/pets/404",
    ]


async def oai_petstore_expanded(client: Any, models: ModuleType, seen: list[str]) -> None:
    # No tags: the operations are in client.default.
    assert await client.default.find_pets(tags=["dog", "cat"], limit=1) == [models.Pet(id=1, name="Rex", tag="dog")]
    assert await client.default.add_pet(body=models.NewPet(name="Tom")) == models.Pet(id=2, name="Tom")
    assert await client.default.find_pet_by_id(id=1) == models.Pet(id=1, name="Rex", tag="dog")
    assert await client.default.delete_pet(id=1) is None
    assert seen == [
        "GET /v1/pets?tags=dog&tags=cat&limit=1",
        'POST /v1/pets {"name": "Tom"}',
        "GET /v1/pets/1",
        "DELETE /v1/pets/1",
    ]


async def _data_sets(request: web.Request) -> web.Response:
    api = {"apiKey": "oa_citations", "apiVersionNumber": "v1", "apiUrl": "https://x/oa_citations/v1/fields"}
    return web.json_response({"total": 1, "apis": [api]})


async def _fields(request: web.Request) -> web.Response:
    # The spec answers a JSON string: the fields' description, as text inside JSON.
    return web.json_response(f"{request.match_info['dataset']} fields: patentTitle, year")


async def _records(request: web.Request) -> web.Response:
    form = await request.post()
    rows = int(str(form.get("rows", "100")))
    return web.json_response([{"doc": {"patentTitle": str(form["criteria"])}}] * rows)


async def oai_uspto(client: Any, models: ModuleType, seen: list[str]) -> None:
    api = models.DataSetListApi(
        api_key="oa_citations", api_version_number="v1", api_url="https://x/oa_citations/v1/fields"
    )
    assert await client.metadata.list_data_sets() == models.DataSetList(total=1, apis=[api])
    fields = await client.metadata.list_searchable_fields(dataset="oa_citations", version="v1")
    assert fields == "oa_citations fields: patentTitle, year"
    body = models.PerformSearchBody(criteria="patentTitle:lens", start=5, rows=2)
    found = await client.search.perform_search(dataset="oa_citations", version="v1", body=body)
    assert found == [{"doc": {"patentTitle": "patentTitle:lens"}}] * 2
    assert seen == [
        "GET /v1/",
        "GET /v1/oa_citations/v1/fields",
        # The form as the server parsed it; `start` and `rows` are sent since they differ from their defaults.
        "POST /v1/oa_citations/v1/records form [('criteria', 'patentTitle:lens'), ('start', '5'), ('rows', '2')]",
    ]


async def _image(request: web.Request) -> web.Response:
    if request.headers.get("Authorization") != f"Bearer {PET_TOKEN}":
        return web.json_response({"code": 401, "message": "no token"}, status=401)
    size = len(await request.read())
    message = f"additionalMetadata: {request.query['additionalMetadata']} ({size} bytes)"
    return web.json_response({"code": 200, "type": "unknown", "message": message})


async def _login(request: web.Request) -> web.Response:
    return web.json_response(f"logged in user session: {request.query['username']}")


async def _logout(request: web.Request) -> web.Response:
    return web.Response()  # 200, no content: as the spec says


async def _user(request: web.Request) -> web.Response:
    return web.json_response(json.loads(await request.text()))


async def swagger_petstore_v3(client: Any, models: ModuleType, seen: list[str]) -> None:
    answer = await client.pet.upload_file(pet_id=1, additional_metadata="front", body=b"\x89PNG\r\n\x1a\n")
    assert answer == models.ApiResponse(code=200, type="unknown", message="additionalMetadata: front (8 bytes)")
    assert await client.user.login_user(username="ana", password="pw") == "logged in user session: ana"
    assert await client.user.logout_user() is None
    assert await client.user.create_user(body=models.User(username="ana")) == models.User(username="ana")
    assert seen == [
        "POST /v1/pet/1/uploadImage?additionalMetadata=front application/octet-stream 8 bytes",
        "GET /v1/user/login?username=ana&password=pw",
        "GET /v1/user/logout",
        # JSON first of the JSON, XML and form bodies the spec offers.
        'POST /v1/user {"username": "ana"}',
    ]


RESEND_KEY = "re_4711"
SENT = {"id": "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}


def _resend_key(request: web.Request) -> None:
    if request.headers.get("Authorization") != f"Bearer {RESEND_KEY}":
        raise web.HTTPUnauthorized(text='{"statusCode": 401, "message": "Missing API key", "name": "missing_api_key"}')


async def _send_email(request: web.Request) -> web.Response:
    _resend_key(request)
    sent = json.loads(await request.text())
    # Resend reads an attachment's content as base64; a key sent twice is the same email, sent once.
    assert base64.b64decode(sent["attachments"][0]["content"]) == b"%PDF-1.7 invoice"
    assert request.headers["Idempotency-Key"] == "invoice-7"
    return web.json_response(SENT)


async def _email(request: web.Request) -> web.Response:
    _resend_key(request)
    return web.json_response(
        {
            "object": "email",
            "id": request.match_info["email_id"],
            "to": ["ana@example.com"],
            "from": "Acme <billing@acme.dev>",
            "created_at": "2026-11-30 10:05:01.123456+00",
            "subject": "Invoice 7",
            "last_event": "delivered",
        }
    )


async def _api_key_deleted(request: web.Request) -> web.Response:
    _resend_key(request)
    return web.json_response({"object": "api_key", "id": request.match_info["api_key_id"], "deleted": True})


async def resend(client: Any, models: ModuleType, seen: list[str]) -> None:
    invoice = models.Attachment(content=b"%PDF-1.7 invoice", filename="invoice-7.pdf")
    email = models.SendEmailRequest(
        from_="Acme <billing@acme.dev>", to=["ana@example.com"], subject="Invoice 7", attachments=[invoice]
    )
    sent = await client.emails.post_emails(idempotency_key="invoice-7", body=email)
    assert sent == models.SendEmailResponse(id=SENT["id"])
    got = await client.emails.get_emails_email_id(email_id=SENT["id"])
    assert (got.from_, got.last_event, got.created_at.tzinfo is not None) == (
        "Acme <billing@acme.dev>",
        "delivered",
        True,
    )
    deleted = await client.api_keys.delete_api_keys_api_key_id(api_key_id="key-1")
    assert deleted == models.DeleteApiKeyResponse(object="api_key", id="key-1", deleted=True)
    assert seen == [
        'POST /v1/emails {"attachments": [{"content": "JVBERi0xLjcgaW52b2ljZQ==", "filename": "invoice-7.pdf"}],'
        ' "from": "Acme <billing@acme.dev>", "subject": "Invoice 7", "to": ["ana@example.com"]}',
        f"GET /v1/emails/{SENT['id']}",
        "DELETE /v1/api-keys/key-1",
    ]


async def _form_data(request: web.Request) -> web.Response:
    return web.json_response({"received": dict(await request.post())})


async def _upload(request: web.Request) -> web.Response:
    parts = []
    async for part in await request.multipart():
        assert isinstance(part, aiohttp.BodyPartReader)
        content = await part.read()
        parts.append((part.name, part.filename, part.headers.get("Content-Type"), content.decode()))
    return web.json_response(parts)


async def _octet_stream(request: web.Request) -> web.Response:
    return web.Response(body=b"\x00\x01 binary", content_type="application/octet-stream")


async def _octet_stream_received(request: web.Request) -> web.Response:
    # Its answer's `data` is bytes in base64 (format: byte): the upload's own bytes, sent back.
    return web.json_response({"data": base64.b64encode(await request.read()).decode()})


async def _text(request: web.Request) -> web.Response:
    return web.Response(text="Olá, plain text")


async def opc_baseline(client: Any, models: ModuleType, seen: list[str]) -> None:
    assert await client.tests.post_form_data(body=models.AFormData(an_required_field="yes")) == {
        "received": {"an_required_field": "yes"}
    }
    upload = models.BodyUploadFileTestsUploadPost(
        some_file=b"file bytes",
        some_required_number=1.5,
        some_object=models.BodyUploadFileTestsUploadPostSomeObject(num=2, text="t"),
        some_nullable_object=None,
    )
    parts = await client.tests.upload_file_tests_upload_post(body=upload)
    # A file part, text parts (the default of some_string included), a JSON part for the object.
    assert [part[:3] for part in parts] == [
        ["some_file", "some_file", "application/octet-stream"],
        ["some_string", None, "text/plain; charset=utf-8"],
        ["some_required_number", None, "text/plain; charset=utf-8"],
        ["some_object", None, "application/json"],
    ]
    assert [part[3] for part in parts[:3]] == ["file bytes", "some_default_string", "1.5"]
    assert json.loads(parts[3][3]) == {"num": 2.0, "text": "t"}
    assert await client.tests.octet_stream_tests_octet_stream_get() == b"\x00\x01 binary"
    answer = await client.tests.octet_stream_tests_octet_stream_post(body=b"\xff raw")
    assert answer == models.OctetStreamTestsOctetStreamPostResponse(data=b"\xff raw")
    assert await client.responses.text_response() == "Olá, plain text"
    assert seen == [
        "POST /v1/tests/post_form_data form [('an_required_field', 'yes')]",
        "POST /v1/tests/upload multipart/form-data",
        "GET /v1/tests/octet_stream",
        "POST /v1/tests/octet_stream application/octet-stream 5 bytes",
        "POST /v1/responses/text",
    ]


PET_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/v1/pets", _pets),
    ("GET", "/v1/pets/{id}", _pet),
    ("DELETE", "/v1/pets/{id}", _deleted),
]


@attrs.frozen
class Calls:
    """A spec's server routes and calls, and the credential its generated Client is built with."""

    routes: list[tuple[str, str, Handler]]
    scenario: Scenario
    auth: Callable[[ModuleType], object] | None = None
    """The `auth=` of `Client`, from the package's own auth classes; None for a spec without security."""


SCENARIOS: dict[str, Calls] = {
    "oai-petstore": Calls([*PET_ROUTES, ("POST", "/v1/pets", _created)], oai_petstore),
    "oai-petstore-expanded": Calls([*PET_ROUTES, ("POST", "/v1/pets", _added)], oai_petstore_expanded),
    "oai-uspto": Calls(
        [
            ("GET", "/v1/", _data_sets),
            ("GET", "/v1/{dataset}/{version}/fields", _fields),
            ("POST", "/v1/{dataset}/{version}/records", _records),
        ],
        oai_uspto,
    ),
    "swagger-petstore-v3": Calls(
        [
            ("POST", "/v1/pet/{id}/uploadImage", _image),
            ("GET", "/v1/user/login", _login),
            ("GET", "/v1/user/logout", _logout),
            ("POST", "/v1/user", _user),
        ],
        swagger_petstore_v3,
        # Its oauth2 implicit scheme: a token the application obtained, which the upload sends as a bearer.
        auth=lambda package: package.PetstoreAuth(PET_TOKEN),
    ),
    "opc-baseline-3.1": Calls(
        [
            ("POST", "/v1/tests/post_form_data", _form_data),
            ("POST", "/v1/tests/upload", _upload),
            ("GET", "/v1/tests/octet_stream", _octet_stream),
            ("POST", "/v1/tests/octet_stream", _octet_stream_received),
            ("POST", "/v1/responses/text", _text),
        ],
        opc_baseline,
    ),
    "resend": Calls(
        [
            ("POST", "/v1/emails", _send_email),
            ("GET", "/v1/emails/{email_id}", _email),
            ("DELETE", "/v1/api-keys/{api_key_id}", _api_key_deleted),
        ],
        resend,
        auth=lambda package: package.BearerAuth(RESEND_KEY),
    ),
}
"""Each spec's server routes and calls; a spec that generates without one is reported as `no scenario`."""
