"""The escape hatches where the four vendors' specs have no example: a header parameter between the client's
default_headers and the call's extra_headers, an optional JSON body that extra_body stands in for, and a JSON
array body it cannot merge into; seen raw by a plain aiohttp.web server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import pytest
from aiohttp import web
from multidict import CIMultiDictProxy

from tessera._auth.secrets import Secret
from tessera._auth.static import StaticKey
from tessera.errors import InvalidArgument
from tests.codegen.generated import generate, importable

VENDOR = "extra_args"
API_KEY = "key-of-the-credential"

SPEC = """\
security: [{ApiKey: []}]
paths:
  /notes:
    post:
      operationId: create_note
      tags: [notes]
      parameters:
        - {name: X-Mode, in: header, schema: {type: string}}
      requestBody:
        required: false
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
      responses:
        '204': {description: Nothing.}
  /notes/bulk:
    post:
      operationId: create_notes
      tags: [notes]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {$ref: '#/components/schemas/Note'}}
      responses:
        '204': {description: Nothing.}
components:
  securitySchemes:
    ApiKey:
      type: apiKey
      in: header
      name: X-API-Key
      x-tessera-auth: {kind: static, jwt: never}
  schemas:
    Note:
      type: object
      properties:
        text: {type: string}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ...]]:
    out = generate(tmp_path_factory.mktemp("extra"), VENDOR, SPEC)
    with importable(out):
        from extra_args import _endpoints, _profile, models  # type: ignore[import-not-found]  # noqa: PLC0415

        yield _endpoints, _profile, models


@pytest.fixture
async def received() -> AsyncIterator[tuple[str, list[tuple[CIMultiDictProxy[str], bytes]]]]:
    """A server on 127.0.0.1 answering 204 to anything; each request's headers and body; its base URL."""
    requests: list[tuple[CIMultiDictProxy[str], bytes]] = []

    async def keep(request: web.Request) -> web.Response:
        requests.append((request.headers, await request.read()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", keep)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1", requests
    finally:
        await runner.cleanup()


def client(generated: tuple[ModuleType, ...], base_url: str, **options: Any) -> Any:
    endpoints, profile, _ = generated
    return endpoints.Api(
        profile.PROFILE,
        credentials=[StaticKey("ApiKey", Secret(API_KEY))],
        base_url=base_url,
        timeout=10.0,
        max_retries=0,
        session=None,
        allow_insecure_http=False,
        **options,
    )


async def test_headers_go_default_then_parameter_then_extra_then_credential(
    generated: tuple[ModuleType, ...], received: tuple[str, list[tuple[CIMultiDictProxy[str], bytes]]]
) -> None:
    base_url, requests = received
    defaults = {"X-Mode": "default", "X-Tenant": "t", "x-api-key": "not-the-key"}
    async with client(generated, base_url, default_headers=defaults) as api:
        await api.notes.create_note()
        await api.notes.create_note(x_mode="parameter")
        await api.notes.create_note(x_mode="parameter", extra_headers={"x-mode": "extra", "X-API-KEY": "nor-this"})
    modes = [headers.getall("X-Mode") for headers, _ in requests]
    assert modes == [["default"], ["parameter"], ["extra"]]
    assert [headers.getall("X-API-Key") for headers, _ in requests] == [[API_KEY]] * 3
    assert all(headers["X-Tenant"] == "t" for headers, _ in requests)


async def test_extra_body_is_the_body_when_the_optional_one_is_not_given_else_merged_into_it(
    generated: tuple[ModuleType, ...], received: tuple[str, list[tuple[CIMultiDictProxy[str], bytes]]]
) -> None:
    base_url, requests = received
    _, _, models = generated
    async with client(generated, base_url) as api:
        await api.notes.create_note(extra_body={"draft": True})
        await api.notes.create_note(body=models.Note(text="hi"), extra_body={"draft": False})
        await api.notes.create_note()
        with pytest.raises(InvalidArgument, match="a JSON list, not an object") as refused:
            await api.notes.create_notes(body=[models.Note(text="a")], extra_body={"draft": True})
    assert refused.value.argument == "extra_body"
    assert [json.loads(body) if body else None for _, body in requests] == [
        {"draft": True},
        {"text": "hi", "draft": False},
        None,
    ]
