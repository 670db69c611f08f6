"""Parameters in each location (path, query, header, cookie), path-level and `$ref`'d, arrays and enums:
what a plain aiohttp.web server on 127.0.0.1 receives, raw, from a client generated from an inline spec."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aiohttp import web

from tessera._auth.secrets import Secret
from tessera._auth.static import StaticKey
from tessera.errors import InvalidArgument
from tests.codegen.generated import generate, importable

VENDOR = "located_params"
API_KEY = "key-of-the-credential"

SPEC = """\
paths:
  /things/{thingIds}:
    parameters:
      - $ref: '#/components/parameters/Trace'
    get:
      operationId: get_things
      tags: [things]
      security: [{ApiKey: []}]
      parameters:
        - {name: thingIds, in: path, required: true, schema: {type: array, items: {type: string}}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: sizes, in: query, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: colour, in: query, schema: {type: string, enum: [red, blue]}}
        - {name: Idempotency-Key, in: header, schema: {type: string}}
        - {name: X-Flags, in: header, schema: {type: array, items: {type: string}}}
        - {name: X-Mode, in: header, schema: {$ref: '#/components/schemas/Mode'}}
        - {name: X-API-Key, in: header, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: picks, in: cookie, explode: false, schema: {type: array, items: {type: string}}}
        - {name: marks, in: cookie, schema: {type: array, items: {type: string}}}
        - {name: shade, in: cookie, schema: {type: string, enum: [light, dark]}}
      responses:
        '204': {description: Nothing.}
components:
  parameters:
    Trace: {name: X-Trace, in: header, required: true, schema: {type: string}}
  securitySchemes:
    ApiKey:
      type: apiKey
      in: header
      name: X-API-Key
      x-tessera-auth: {kind: static, jwt: never}
  schemas:
    Mode:
      type: string
      enum: [fast, slow]
    Thing:  # an object besides the enums: models.py of enums alone fails a check (left to the models' owners)
      type: object
      properties:
        id: {type: string}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    out = generate(tmp_path_factory.mktemp("located"), VENDOR, SPEC)
    with importable(out):
        from located_params import _endpoints, _profile  # type: ignore[import-not-found]  # noqa: PLC0415

        yield _endpoints, _profile


@pytest.fixture
async def received() -> AsyncIterator[tuple[str, list[web.Request]]]:
    """A server on 127.0.0.1 answering 204 to anything, keeping each request; its base URL."""
    requests: list[web.Request] = []

    async def keep(request: web.Request) -> web.Response:
        requests.append(request)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", keep)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1", requests
    finally:
        await runner.cleanup()


async def call(generated: tuple[ModuleType, ModuleType], base_url: str, **arguments: Any) -> None:
    endpoints, profile = generated
    client = endpoints.Api(
        profile.PROFILE,
        credentials=[StaticKey("ApiKey", Secret(API_KEY))],
        base_url=base_url,
        timeout=10.0,
        max_retries=0,
        session=None,
        allow_insecure_http=False,
    )
    async with client:
        await client.things.get_things(**{"thing_ids": ["a"], "x_trace": "t-1", **arguments})


async def test_each_location_carries_its_values_in_the_default_styles(
    generated: tuple[ModuleType, ModuleType], received: tuple[str, list[web.Request]]
) -> None:
    base_url, requests = received
    await call(
        generated,
        base_url,
        thing_ids=["a b", "c/d", "e"],
        tags=["x", "y"],
        sizes=[1, 2],
        colour="red",
        idempotency_key="k-123",
        x_flags=["p", "q"],
        x_mode="fast",
        session="s 1;x",
        picks=["m", "n"],
        marks=["u", "v"],
        shade="dark",
    )
    (request,) = requests
    # simple (path): items joined by a literal `,`, each encoded whole.
    assert request.raw_path.split("?")[0] == "/v1/things/a%20b,c%2Fd,e"
    # form (query): exploded, one pair per item; not exploded, one pair of items joined by `,`.
    assert request.query_string == "tags=x&tags=y&sizes=1,2&colour=red"
    assert list(request.query.items()) == [("tags", "x"), ("tags", "y"), ("sizes", "1,2"), ("colour", "red")]
    # simple (header): items joined by `,`; a `$ref`'d parameter of the path item is every operation's.
    assert request.headers["Idempotency-Key"] == "k-123"
    assert request.headers["X-Flags"] == "p,q"
    assert request.headers["X-Mode"] == "fast"
    assert request.headers["X-Trace"] == "t-1"
    # form (cookie): values percent-encoded, so `;` and spaces cannot end the cookie.
    assert request.headers["Cookie"] == "session=s%201%3Bx; picks=m,n; marks=u; marks=v; shade=dark"


async def test_optional_parameters_left_as_none_are_not_sent(
    generated: tuple[ModuleType, ModuleType], received: tuple[str, list[web.Request]]
) -> None:
    base_url, requests = received
    await call(generated, base_url)
    (request,) = requests
    assert request.raw_path == "/v1/things/a"
    assert "Idempotency-Key" not in request.headers
    assert "Cookie" not in request.headers


async def test_the_credentials_header_wins_over_a_header_parameter_of_its_name(
    generated: tuple[ModuleType, ModuleType], received: tuple[str, list[web.Request]]
) -> None:
    base_url, requests = received
    await call(generated, base_url, x_api_key="a key of the caller's")
    (request,) = requests
    assert request.headers.getall("X-API-Key") == [API_KEY]


def test_an_accept_content_type_or_authorization_header_parameter_is_ignored(
    generated: tuple[ModuleType, ModuleType],
) -> None:
    endpoints, _ = generated
    names = {parameter.name for parameter in endpoints._GET_THINGS.parameters}
    assert "Accept" not in names
    assert {"X-Trace", "Idempotency-Key", "session"} <= names


@pytest.mark.parametrize(
    ("arguments", "argument", "message"),
    [
        ({"idempotency_key": "k\r\nX-Evil: 1"}, "idempotency_key", "must not contain CR, LF or NUL"),
        ({"x_flags": ["p", "q\n"]}, "x_flags", "must not contain CR, LF or NUL"),
        ({"x_trace": None}, "x_trace", "must be a str, not None"),
        ({"x_mode": "medium"}, "x_mode", "must be a Mode or one of its values ('fast', 'slow'), not another string"),
        ({"shade": "grey"}, "shade", "must be a GetThingsShade or one of its values ('light', 'dark')"),
        ({"thing_ids": ["a", "b,c"]}, "thing_ids", "must not have an item holding ','"),
        ({"sizes": [1], "x_flags": ["p,q"]}, "x_flags", "must not have an item holding ','"),
        ({"session": 3}, "session", "must be a str, not int"),
        ({"sizes": [1, True]}, "sizes", "must be a list or tuple, each item an int (not a bool)"),
        ({"thing_ids": []}, "thing_ids", "must not be '', '.' or '..'"),
    ],
)
async def test_a_value_the_spec_does_not_allow_is_refused_before_anything_is_sent(
    generated: tuple[ModuleType, ModuleType],
    received: tuple[str, list[web.Request]],
    arguments: dict[str, object],
    argument: str,
    message: str,
) -> None:
    base_url, requests = received
    with pytest.raises(InvalidArgument) as caught:
        await call(generated, base_url, **arguments)
    assert caught.value.argument == argument
    assert str(caught.value).startswith(f"{VENDOR}.get_things: {argument} {message}")
    assert requests == []


SPACED = """\
paths:
  /things:
    get:
      operationId: getThings
      parameters:
        - {name: header param, in: header, schema: {type: string}}
        - {name: cookie param, in: cookie, schema: {type: string}}
        - {name: X-Kept, in: header, schema: {type: string}}
      responses: {'204': {description: None.}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
"""


def test_an_optional_header_or_cookie_no_request_can_carry_is_left_out_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with importable(generate(tmp_path, "spaced", SPACED)):
        import spaced._endpoints  # type: ignore[import-not-found]  # noqa: PLC0415 - generated by the test

        assert [parameter.name for parameter in spaced._endpoints._GET_THINGS.parameters] == ["X-Kept"]
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: specs/spaced.yaml#/paths/~1things/get/parameters/{index}/name: '{name}' is not a {where}'s name"
        " (an HTTP token): the optional parameter is left out of the methods that declare it"
        for index, name, where in ((0, "header param", "header"), (1, "cookie param", "cookie"))
    ]
