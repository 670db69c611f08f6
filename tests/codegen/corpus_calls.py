"""Calls to the corpus's generated clients, each against a small aiohttp.web server on 127.0.0.1 that answers
as its spec says: one scenario per spec that generates, with at least three operations (one per body or
response kind it has) and the requests the server saw asserted."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

import pytest
from aiohttp import web

from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES
from tessera.errors import NotFound

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Scenario = Callable[[Any, ModuleType, list[str]], Awaitable[None]]
"""(the client, the package's models module, the requests the server saw) → None; raises when a call fails."""

REX = {"id": 1, "name": "Rex", "tag": "dog"}


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


PET_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/v1/pets", _pets),
    ("GET", "/v1/pets/{id}", _pet),
    ("DELETE", "/v1/pets/{id}", _deleted),
]
SCENARIOS: dict[str, tuple[list[tuple[str, str, Handler]], Scenario]] = {
    "oai-petstore": ([*PET_ROUTES, ("POST", "/v1/pets", _created)], oai_petstore),
    "oai-petstore-expanded": ([*PET_ROUTES, ("POST", "/v1/pets", _added)], oai_petstore_expanded),
    "oai-uspto": (
        [
            ("GET", "/v1/", _data_sets),
            ("GET", "/v1/{dataset}/{version}/fields", _fields),
            ("POST", "/v1/{dataset}/{version}/records", _records),
        ],
        oai_uspto,
    ),
    "swagger-petstore-v3": (
        [
            ("POST", "/v1/pet/{id}/uploadImage", _image),
            ("GET", "/v1/user/login", _login),
            ("GET", "/v1/user/logout", _logout),
            ("POST", "/v1/user", _user),
        ],
        swagger_petstore_v3,
    ),
}
"""Each spec's server routes and calls; a spec that generates without one is reported as `no scenario`."""
