"""Security schemes from standard OpenAPI data: a spec of our own with one scheme of each kind, generated,
imported and called against an aiohttp.web server on 127.0.0.1 that checks each credential where the spec
puts it (issue 15 points 6 and 7).

The oauth2 clientCredentials token endpoints count their requests server-side: thousands of concurrent
calls on many clients ask for one token, `expires_in` schedules one proactive renewal (on a ManualClock),
a 401 for the current token renews once. Every secret is remembered (tessera.testing._secrets), so the
suite's autouse check looks for it in every log line and error of these tests.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import itertools
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from codegen.build import build
from codegen.build import generate as generate_modules
from codegen.errors import SpecError
from tessera import errors
from tessera.testing import ManualClock
from tessera.testing._secrets import remember
from tests.codegen.generated import assert_mypy_strict, generate, importable, mypy_strict, pyright_strict, write_spec
from tests.polling import until

BEARER = remember("bearer-secret-4711")
USERNAME, PASSWORD = "ana", remember("basic-password-4711")
HEADER_KEY = remember("header-key-4711")
QUERY_KEY = remember("query-key-4711")
COOKIE_KEY = remember("cookie-key-4711")
CLIENT_ID, CLIENT_SECRET = "machine-7", remember("client-secret-4711")

OK = "{'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Ok'}}}}}"
SPEC = f"""\
paths:
  /bearer: {{get: {{operationId: viaBearer, tags: [calls], security: [{{bearerAuth: []}}], responses: {OK}}}}}
  /basic: {{get: {{operationId: viaBasic, tags: [calls], security: [{{basic: []}}], responses: {OK}}}}}
  /header: {{get: {{operationId: viaHeader, tags: [calls], security: [{{HeaderKey: []}}], responses: {OK}}}}}
  /query:
    get:
      operationId: viaQuery
      tags: [calls]
      security: [{{QueryKey: []}}]
      parameters: [{{name: page, in: query, schema: {{type: integer}}}}]
      responses: {OK}
  /moved: {{get: {{operationId: viaMoved, tags: [calls], security: [{{QueryKey: []}}], responses: {OK}}}}}
  /away: {{get: {{operationId: viaAway, tags: [calls], security: [{{QueryKey: []}}], responses: {OK}}}}}
  /cookie: {{get: {{operationId: viaCookie, tags: [calls], security: [{{CookieKey: []}}], responses: {OK}}}}}
  /machine: {{get: {{operationId: viaMachine, tags: [calls], security: [{{machine: []}}], responses: {OK}}}}}
  /machine-body:
    get: {{operationId: viaMachineBody, tags: [calls], security: [{{MachineBody: []}}], responses: {OK}}}
components:
  schemas:
    Ok: {{type: object, required: [ok], properties: {{ok: {{type: boolean}}}}}}
  securitySchemes:
    bearerAuth: {{type: http, scheme: bearer}}
    basic: {{type: http, scheme: Basic}}
    HeaderKey: {{type: apiKey, in: header, name: X-Key}}
    QueryKey: {{type: apiKey, in: query, name: api_key}}
    CookieKey: {{type: apiKey, in: cookie, name: session, x-tessera-auth-class: SessionCookie}}
    machine:
      type: oauth2
      flows:
        clientCredentials: {{tokenUrl: token, scopes: {{read: Read., write: Write.}}}}
    MachineBody:
      type: oauth2
      flows:
        clientCredentials: {{tokenUrl: /auth/token, scopes: {{}}, x-tessera-client-authentication: body}}
    Browser:
      type: oauth2
      description: Declared, used by no operation; left out of the client.
      flows: {{implicit: {{authorizationUrl: 'https://example.com/authorize', scopes: {{}}}}}}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    out = generate(tmp_path_factory.mktemp("schemes"), "schemes", SPEC)
    with importable(out):
        yield importlib.import_module("schemes"), out


@pytest.fixture
def schemes(generated: tuple[ModuleType, Path]) -> ModuleType:
    return generated[0]


@attrs.define
class Server:
    """The API, checking each credential where the spec puts it, and its two token endpoints."""

    expires_in: int = 3600
    token_requests: int = 0
    body_token_requests: int = 0
    calls: int = 0
    current: str | None = None
    refuse_client: bool = False
    revoke_on_issue: bool = False
    """Every token issued is refused at once (a vendor that keeps refusing)."""
    revoked: set[str] = attrs.Factory(set)
    issued: Iterator[int] = attrs.Factory(itertools.count)
    base_url: str = ""
    queries_elsewhere: list[dict[str, str]] = attrs.Factory(list)
    """The queries that reached the other origin a redirect named."""

    def _issue(self) -> web.Response:
        self.current = remember(f"access-token-{next(self.issued)}-4711")
        if self.revoke_on_issue:
            self.revoked.add(self.current)
        return web.json_response({"access_token": self.current, "token_type": "Bearer", "expires_in": self.expires_in})

    async def token(self, request: web.Request) -> web.Response:
        """tokenUrl `token`, relative to the base URL: the client authenticates with HTTP basic."""
        self.token_requests += 1
        form = await request.post()
        pair = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        assert dict(form) == {"grant_type": "client_credentials", "scope": "read write"}
        assert request.content_type == "application/x-www-form-urlencoded"
        if self.refuse_client or request.headers.get("Authorization") != f"Basic {pair}":
            return web.json_response({"error": "invalid_client", "error_description": "Unknown client."}, status=401)
        return self._issue()

    async def body_token(self, request: web.Request) -> web.Response:
        """tokenUrl `/auth/token`, from the host's root: the client's id and secret come in the form."""
        self.body_token_requests += 1
        form = await request.post()
        assert "Authorization" not in request.headers
        assert dict(form) == {
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
        return self._issue()

    async def moved(self, request: web.Request) -> web.Response:
        """Moved within the origin (the query apiKey goes along), or to another origin (it does not)."""
        if request.path.endswith("/moved"):
            raise web.HTTPMovedPermanently(f"{self.base_url}/query?page=2")
        raise web.HTTPFound(self.base_url.replace("127.0.0.1", "localhost") + "/elsewhere?page=2")

    async def elsewhere(self, request: web.Request) -> web.Response:
        self.queries_elsewhere.append(dict(request.query))
        return web.json_response({"ok": True})

    async def call(self, request: web.Request) -> web.Response:
        self.calls += 1
        route = request.path.removeprefix("/api/")
        headers, query, cookies = request.headers, request.query, request.cookies
        basic = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        accepted = {
            "bearer": headers.get("Authorization") == f"Bearer {BEARER}",
            "basic": headers.get("Authorization") == f"Basic {basic}",
            "header": headers.get("X-Key") == HEADER_KEY and "Authorization" not in headers,
            "query": query.getall("api_key", []) == [QUERY_KEY] and query.get("page") == "2",
            "cookie": cookies.get("session") == COOKIE_KEY and "Authorization" not in headers,
            "machine": headers.get("Authorization") == f"Bearer {self.current}" and self.current not in self.revoked,
            "machine-body": headers.get("Authorization") == f"Bearer {self.current}",
        }[route]
        if not accepted:
            return web.json_response({"detail": "Not authenticated."}, status=401)
        return web.json_response({"ok": True})


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    app = web.Application()
    app.router.add_post("/api/token", state.token)
    app.router.add_post("/auth/token", state.body_token)
    app.router.add_get("/api/moved", state.moved)
    app.router.add_get("/api/away", state.moved)
    app.router.add_get("/api/elsewhere", state.elsewhere)
    app.router.add_get("/api/{route:.+}", state.call)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/api"
    try:
        yield state
    finally:
        await runner.cleanup()


def credentials(schemes: ModuleType) -> dict[str, Any]:
    return {
        "bearer": schemes.BearerAuth(BEARER),
        "basic": schemes.BasicAuth(USERNAME, PASSWORD),
        "header": schemes.HeaderKeyAuth(HEADER_KEY),
        "query": schemes.QueryKeyAuth(QUERY_KEY),
        "cookie": schemes.SessionCookie(COOKIE_KEY),
        "machine": schemes.MachineAuth(CLIENT_ID, CLIENT_SECRET, scopes=["read", "write"]),
        "machine_body": schemes.MachineBodyAuth(CLIENT_ID, CLIENT_SECRET),
    }


@pytest.mark.parametrize("kind", ["bearer", "basic", "header", "query", "cookie", "machine", "machine_body"])
async def test_each_scheme_puts_its_credential_where_the_spec_says(
    schemes: ModuleType, server: Server, kind: str
) -> None:
    auth = credentials(schemes)[kind]
    async with schemes.Client(auth=auth, base_url=server.base_url, clock=ManualClock()) as client:
        call = getattr(client.calls, f"via_{kind}")
        answer = await (call(page=2) if kind == "query" else call())
    assert answer.ok is True
    assert (server.token_requests, server.body_token_requests) == {
        "machine": (1, 0),
        "machine_body": (0, 1),
    }.get(kind, (0, 0))


async def test_a_query_key_follows_a_redirect_within_its_origin_only(schemes: ModuleType, server: Server) -> None:
    auth = schemes.QueryKeyAuth(QUERY_KEY)
    async with schemes.Client(auth=auth, base_url=server.base_url, clock=ManualClock()) as client:
        assert (await client.calls.via_moved()).ok  # 301 to /query?page=2 on the same origin: the key goes along
        assert (await client.calls.via_away()).ok  # 302 to localhost: another origin, which gets no key
    assert server.queries_elsewhere == [{"page": "2"}]


async def test_one_client_takes_a_credential_per_scheme(schemes: ModuleType, server: Server) -> None:
    given = credentials(schemes)
    async with schemes.Client(auth=list(given.values()), base_url=server.base_url, clock=ManualClock()) as client:
        for kind in given:
            call = getattr(client.calls, f"via_{kind}")
            assert (await (call(page=2) if kind == "query" else call())).ok


async def test_thousands_of_calls_on_many_clients_ask_for_one_token(schemes: ModuleType, server: Server) -> None:
    clock = ManualClock()
    clients = [
        schemes.Client(
            auth=schemes.MachineAuth(CLIENT_ID, CLIENT_SECRET, scopes=("read", "write")),
            base_url=server.base_url,
            clock=clock,
        )
        for _ in range(20)
    ]
    try:
        answers = await asyncio.gather(*(client.calls.via_machine() for client in clients for _ in range(150)))
    finally:
        for client in clients:
            await client.aclose()
    assert len(answers) == 3_000
    assert all(answer.ok for answer in answers)
    assert server.token_requests == 1
    assert server.calls == 3_000


async def test_expires_in_schedules_one_proactive_renewal(schemes: ModuleType, server: Server) -> None:
    server.expires_in = 100  # renewed once 20 s are left, at 80 s; callers wait only past 98 s
    clock = ManualClock()
    auth = schemes.MachineAuth(CLIENT_ID, CLIENT_SECRET, scopes=["read", "write"])
    async with schemes.Client(auth=auth, base_url=server.base_url, clock=clock) as client:
        await client.calls.via_machine()
        first = server.current
        clock.advance(79)
        await asyncio.gather(*(client.calls.via_machine() for _ in range(50)))
        assert server.token_requests == 1
        clock.advance(2)  # 81 s: inside the renewal window, the first token still good
        await asyncio.gather(*(client.calls.via_machine() for _ in range(50)))
        await until(lambda: server.token_requests == 2)
        assert server.current != first
        server.revoked.add(first or "")  # from now on the first token is refused: the renewed one is used
        await asyncio.gather(*(client.calls.via_machine() for _ in range(50)))
    assert server.token_requests == 2


async def test_a_401_for_the_current_token_renews_once(schemes: ModuleType, server: Server) -> None:
    auth = schemes.MachineAuth(CLIENT_ID, CLIENT_SECRET, scopes=["read", "write"])
    async with schemes.Client(auth=auth, base_url=server.base_url, clock=ManualClock()) as client:
        await client.calls.via_machine()
        server.revoked.add(server.current or "")
        # Every call meets the 401 of the revoked token at once: one renewal between them, none more.
        answers = await asyncio.gather(*(client.calls.via_machine() for _ in range(200)))
        assert all(answer.ok for answer in answers)
        assert server.token_requests == 2
        # A token refused again after its renewal: one renewal more, then the error, not a loop.
        server.revoked.add(server.current or "")
        server.revoke_on_issue = True
        with pytest.raises(errors.AuthenticationError):
            await client.calls.via_machine()
    assert server.token_requests == 3


async def test_refused_client_credentials_are_invalid_credentials_remembered(
    schemes: ModuleType, server: Server
) -> None:
    server.refuse_client = True
    auth = schemes.MachineAuth(CLIENT_ID, CLIENT_SECRET, scopes=["read", "write"])
    async with schemes.Client(auth=auth, base_url=server.base_url, clock=ManualClock()) as client:
        for _ in range(3):
            with pytest.raises(errors.InvalidCredentials) as refused:
                await client.calls.via_machine()
    assert server.token_requests == 1  # answered from memory for its backoff
    assert "invalid_client" in str(refused.value)
    assert CLIENT_SECRET not in str(refused.value) + repr(refused.value)


async def test_no_secret_in_a_repr_or_an_error(schemes: ModuleType, server: Server) -> None:
    given = credentials(schemes)
    secrets = (BEARER, PASSWORD, HEADER_KEY, QUERY_KEY, COOKIE_KEY, CLIENT_SECRET)
    shown = [repr(auth) + str(auth) for auth in given.values()]
    async with schemes.Client(auth=list(given.values()), base_url=server.base_url, max_retries=0) as client:
        shown.append(repr(client))
        # The query route refuses another page: the error shows nothing of the URL's query.
        with pytest.raises(errors.AuthenticationError) as refused:
            await client.calls.via_query(page=3)
    shown += [str(refused.value), repr(refused.value)]
    assert [secret for secret in secrets if any(secret in text for text in shown)] == []


@pytest.mark.parametrize("character", [" ", ";", ",", '"', "\\"])
async def test_a_key_a_cookie_cannot_carry_is_refused_when_the_client_is_built(
    schemes: ModuleType, character: str
) -> None:
    with pytest.raises(errors.ConfigurationError, match="goes in a cookie") as refused:
        schemes.Client(auth=schemes.SessionCookie(f"cookie{character}key-4711"), base_url="http://127.0.0.1:1")
    assert "key-4711" not in str(refused.value)


def test_the_classes_are_named_from_the_schemes(schemes: ModuleType) -> None:
    # `Auth` is not doubled (bearerAuth), x-tessera-auth-class names one; Browser (an implicit flow) takes a token.
    assert sorted(name for name in schemes.__all__ if name.endswith(("Auth", "Cookie"))) == [
        "BasicAuth",
        "BearerAuth",
        "BrowserAuth",
        "HeaderKeyAuth",
        "MachineAuth",
        "MachineBodyAuth",
        "QueryKeyAuth",
        "SessionCookie",
    ]
    assert importlib.import_module("schemes._profile").PROFILE.security_schemes["Browser"].prefix == "Bearer "


USER = """\
import schemes

client = schemes.Client(
    auth=[schemes.BearerAuth("k"), schemes.BasicAuth("u", "p"), schemes.MachineAuth("i", "s", ["r"])],
    base_url="http://127.0.0.1:1",
    timeout=5.0,
)
one = schemes.Client(auth=schemes.SessionCookie("k"), base_url="http://127.0.0.1:1")
"""
WRONG = """\
import schemes

schemes.BasicAuth("only-a-user")
schemes.Client(auth="k", base_url="http://127.0.0.1:1")
schemes.MachineAuth("i", "s", scopes=3)
"""


def test_the_generated_client_is_precisely_typed(generated: tuple[ModuleType, Path]) -> None:
    """mypy --strict and pyright (strict) on the package and a user's module: each constructor takes what its
    scheme needs, and nothing else passes."""
    _, out = generated
    (out / "user.py").write_text(USER, encoding="utf-8")
    (out / "wrong.py").write_text(WRONG, encoding="utf-8")
    assert_mypy_strict([out / "schemes", out / "user.py"], cache=out / "cache", cwd=out)
    mypy = mypy_strict([out / "wrong.py"], cache=out / "cache", cwd=out)
    assert sorted(set(re.findall(r"^wrong\.py:(\d+): error", mypy.stdout, flags=re.MULTILINE))) == ["3", "4", "5"]
    pytest.importorskip("pyright", reason="pyright checks the generated Client too (pip install pyright)")
    # One run over the folder (pyright reads `include` relative to it): the errors of __init__.py (the Client
    # and auth classes), user.py and wrong.py are wrong.py's, and only those.
    pyright = pyright_strict([out / "schemes", out / "user.py", out / "wrong.py"], cwd=out)
    errors_at = re.findall(r"^\s*(\S+):(\d+):\d+ - error", pyright.stdout, flags=re.MULTILINE)
    mine = {"__init__.py", "user.py", "wrong.py"}
    assert sorted({(Path(file).name, line) for file, line in errors_at if Path(file).name in mine}) == [
        ("wrong.py", "3"),
        ("wrong.py", "4"),
        ("wrong.py", "5"),
    ], pyright.stdout


UNSUPPORTED = {
    "mutualTLS": ("{type: mutualTLS}", "/components/securitySchemes/Other/type", "mutualTLS security schemes"),
    "http digest": ("{type: http, scheme: digest}", "/components/securitySchemes/Other/scheme", "'digest'"),
}
OBTAINED = {
    "oauth2 implicit": "{type: oauth2, flows: {implicit: {authorizationUrl: 'https://example.com/a', scopes: {}}}}",
    "oauth2 authorizationCode": (
        "{type: oauth2, flows: {authorizationCode: {authorizationUrl: /a, tokenUrl: /t, scopes: {}}}}"
    ),
    "oauth2 password": "{type: oauth2, flows: {password: {tokenUrl: /t, scopes: {}}}}",
    "openIdConnect": "{type: openIdConnect, openIdConnectUrl: 'https://example.com/.well-known/openid-configuration'}",
}
"""Schemes whose flow a user or a browser goes through: the application obtains the token, tessera sends it."""


def spec_with(scheme: str, *, used: bool) -> str:
    security = "[{Other: []}]" if used else "[]"
    return f"""\
paths:
  /things: {{get: {{operationId: listThings, security: {security}, responses: {{'204': {{description: None.}}}}}}}}
components:
  schemas:
    Thing: {{type: object, properties: {{id: {{type: string}}}}}}
  securitySchemes:
    Other: {scheme}
"""


@pytest.mark.parametrize("case", UNSUPPORTED, ids=UNSUPPORTED.keys())
def test_an_unsupported_scheme_an_operation_uses_is_a_spec_error_at_its_pointer(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scheme, pointer, message = UNSUPPORTED[case]
    write_spec(tmp_path / "specs", "other", spec_with(scheme, used=True))
    assert build(["--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: specs/other.yaml#{pointer}: "), error
    assert message in error
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", UNSUPPORTED, ids=UNSUPPORTED.keys())
def test_an_unsupported_scheme_no_operation_uses_is_left_out(case: str, tmp_path: Path) -> None:
    out = generate(tmp_path, "other", spec_with(UNSUPPORTED[case][0], used=False))
    with importable(out):
        other = importlib.import_module("other")
        assert other.__all__ == ["Client", "models"]
        assert importlib.import_module("other._profile").PROFILE.security_schemes == {}


@pytest.mark.parametrize("case", OBTAINED, ids=OBTAINED.keys())
async def test_a_token_of_a_flow_tessera_does_not_run_is_the_applications_sent_as_a_bearer(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path / "specs", "other", spec_with(OBTAINED[case], used=True))
    assert build(["--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "out")]) == 0
    notice = capsys.readouterr().err.splitlines()[0]
    assert notice.startswith("note: specs/other.yaml#/components/securitySchemes/Other: "), notice
    assert f"{case.rsplit(maxsplit=1)[-1]} is a flow tessera does not run: OtherAuth(access_token)" in notice
    seen: list[str | None] = []

    async def things(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization"))
        return web.Response(status=204 if len(seen) == 1 else 401)

    app = web.Application()
    app.router.add_get("/things", things)
    with importable(tmp_path / "out"):
        other = importlib.import_module("other")
        async with TestServer(app, host="127.0.0.1") as server:
            client = other.Client(auth=other.OtherAuth(access_token="obtained-4711"), base_url=str(server.make_url("")))
            async with client:
                assert await client.default.list_things() is None
                with pytest.raises(errors.AuthenticationError):  # not renewed: tessera cannot get another
                    await client.default.list_things()
    assert seen == ["Bearer obtained-4711", "Bearer obtained-4711"]


def test_a_requirement_of_two_schemes_at_once_is_a_spec_error_at_its_pointer(tmp_path: Path) -> None:
    """`[{A: [], B: []}]` needs both credentials on one call; tessera sends one, so it says so at generation."""
    body = spec_with("{type: http, scheme: bearer}", used=True).replace("[{Other: []}]", "[{Other: [], Key: []}]")
    body += "    Key: {type: apiKey, in: header, name: X-Key}\n"
    write_spec(tmp_path / "specs", "other", body)
    with pytest.raises(SpecError) as caught:
        generate_modules(tmp_path / "specs", "tessera")
    assert caught.value.pointer == "/paths/~1things/get/security/0"
    assert "several schemes at once" in caught.value.message


EXTENSION_ERRORS = {
    "a class name that is no class name": (
        "{type: http, scheme: bearer, x-tessera-auth-class: not-a-class}",
        "/components/securitySchemes/Other/x-tessera-auth-class",
    ),
    "a keyword the Client has": (
        "{type: http, scheme: bearer, x-tessera-client-keyword: timeout}",
        "/components/securitySchemes/Other/x-tessera-client-keyword",
    ),
    "a keyword for a basic pair": (
        "{type: http, scheme: basic, x-tessera-client-keyword: password}",
        "/components/securitySchemes/Other/x-tessera-client-keyword",
    ),
    "a client authentication of no kind": (
        "{type: oauth2, flows: {clientCredentials: {tokenUrl: /t, scopes: {}, x-tessera-client-authentication: jwt}}}",
        "/components/securitySchemes/Other/flows/clientCredentials/x-tessera-client-authentication",
    ),
    "an apiKey nowhere": ("{type: apiKey, in: body, name: key}", "/components/securitySchemes/Other/in"),
    "a class named as the Client": (
        "{type: http, scheme: bearer, x-tessera-auth-class: Client}",
        "/components/securitySchemes/Other",
    ),
}


@pytest.mark.parametrize("case", EXTENSION_ERRORS, ids=EXTENSION_ERRORS.keys())
def test_a_wrong_scheme_extension_is_a_spec_error_at_its_pointer(case: str, tmp_path: Path) -> None:
    scheme, pointer = EXTENSION_ERRORS[case]
    write_spec(tmp_path / "specs", "other", spec_with(scheme, used=True))
    with pytest.raises(SpecError) as caught:
        generate_modules(tmp_path / "specs", "tessera")
    assert caught.value.pointer == pointer, caught.value
