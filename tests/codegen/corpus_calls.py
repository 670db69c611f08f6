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

    A JSON body is recorded as `json.dumps` writes it, keys sorted, however the client spaced it.
    """

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.text()
        shown = f" {json.dumps(json.loads(body), sort_keys=True)}" if body else ""
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


PET_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/v1/pets", _pets),
    ("GET", "/v1/pets/{id}", _pet),
    ("DELETE", "/v1/pets/{id}", _deleted),
]
SCENARIOS: dict[str, tuple[list[tuple[str, str, Handler]], Scenario]] = {
    "oai-petstore": ([*PET_ROUTES, ("POST", "/v1/pets", _created)], oai_petstore),
    "oai-petstore-expanded": ([*PET_ROUTES, ("POST", "/v1/pets", _added)], oai_petstore_expanded),
}
"""Each spec's server routes and calls; a spec that generates without one is reported as `no scenario`."""
