"""README.md's python blocks run against the emulators: the README is the contract users read, so it never drifts.

Each python block is found by the heading of its section, and `HOW_EACH_BLOCK_RUNS` names every one with how
its test runs it; a block added, moved or removed without a test here fails `test_every_python_block_has_a_test`.
Placeholders (credentials, the `...` a user fills in) are replaced exactly where they are, each found exactly
once, and every `vendor.Client(` is pointed at its emulator, so a README edit moving one fails here instead of
sending anything to a vendor. Each test then checks on the emulators' counters that the block did what it says.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import re
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import redis.asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer

from tessera import zapsign
from tessera.testing import BiuwerEmulator, Emulator, OptiweEmulator, VideskEmulator, ZapSignEmulator
from tests.stores import conftest as stores
from tests.stores.conftest import RedisServer
from tests.testing.installed import run_pytest

README = Path(__file__).parents[1] / "README.md"

redis_server = stores.redis_server  # the store suites' real redis-server, for the Redis block's test

HOW_EACH_BLOCK_RUNS = {
    "Using it": "as written, in a thread of its own (it calls asyncio.run), credentials filled in",
    "Authentication and the token broker": "a fragment: in the namespace of 'Using it' (its imports); the password"
    " filled in and its `...` body lists a page",
    "Many workers: one login through Redis": "a fragment: in the namespace of 'Using it'; a real redis-server's URL,"
    " the credentials of `PasswordAuth(...)` filled in and its `...` body lists a page",
    "Raw responses, retries, timeouts, logging": "a fragment: in the namespace of 'Using it' with `zs` an open"
    " ZapSign client and `token` a document's token, as that block has them",
    "What a call adds to the spec": "a fragment: in the namespace of 'Using it' with `auth` the ZapSign"
    " emulator's api token and `new_doc` a document to create; the client pointed at the emulator, which must"
    " have received every extra",
    "Files: documents from a local file, and the links a vendor answers with": "a fragment: in the namespace of"
    " 'Using it' with `zs` an open ZapSign client and `token` a signed document's token, run in a folder holding"
    " `nda.pdf`; the emulator must have received the file's bytes and served both downloads",
    "Webhooks": "as written, its handler served by an aiohttp.web server on 127.0.0.1 that gets the Optiwe"
    " emulator's events: a known one, one of a type the spec does not list, and a body that is not JSON",
    "The emulators, in your own tests": "a pytest module: run by pytest in a subprocess, with pytest-asyncio's"
    " strict mode and in its auto mode, the plugin installed from pyproject.toml's entry point; `my_sync` is the"
    " user's own code: here it lists a page",
}
"""Every python block of README.md, by its section's heading, and how its test below runs it."""


def python_blocks() -> dict[str, list[str]]:
    """The python blocks of README.md (fences whose language starts with `py`), by the heading they are under."""
    blocks: dict[str, list[str]] = {}
    heading, fence, lines = "", None, list[str]()
    for line in README.read_text(encoding="utf-8").splitlines(keepends=True):
        if fence is None and line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif fence is None and line.startswith("```"):
            fence, lines = line[3:].strip(), []
        elif fence is not None and line.startswith("```"):
            if fence.startswith("py"):
                blocks.setdefault(heading, []).append("".join(lines))
            fence = None
        elif fence is not None:
            lines.append(line)
    return blocks


def block(heading: str) -> str:
    sources = python_blocks().get(heading, [])
    assert len(sources) == 1, f"README.md: {len(sources)} python blocks under {heading!r}, where its test runs one"
    return sources[0]


def fill(source: str, placeholders: dict[str, str]) -> str:
    """`source` with each placeholder replaced; each must be there exactly once, or the README moved it."""
    moved = [placeholder for placeholder in placeholders if source.count(placeholder) != 1]
    assert not moved, f"README block: {moved} not there exactly once"  # checked before any secret is filled in
    for placeholder, value in placeholders.items():
        source = source.replace(placeholder, value)
    return source


def at_emulators(source: str, *emulators: Emulator) -> str:
    """`source` with every `vendor.Client(` given its emulator's `base_url`: nothing goes to a vendor."""
    base_urls = {emu.vendor: emu.base_url for emu in emulators}
    clients = re.findall(r"(\w+)\.Client\(", source)
    assert clients, "README block: no client to point at an emulator"
    assert set(clients) <= set(base_urls), f"README block: a client of {set(clients) - set(base_urls)} has no emulator"
    assert "base_url=" not in source, "README block: sets a base_url itself; point it at the emulator here"
    return re.sub(r"(\w+)\.Client\(", lambda call: f"{call[0]}base_url={base_urls[call[1]]!r}, ", source)


def compiled(source: str, heading: str) -> Any:
    """A block's code, top-level `await` allowed (a fragment from inside a coroutine), named after its section."""
    return compile(source, f"README.md ({heading})", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


async def run_fragment(source: str, heading: str, namespace: dict[str, Any]) -> None:
    outcome = eval(compiled(source, heading), namespace)  # noqa: S307 - the README's own code
    if inspect.iscoroutine(outcome):
        await outcome


def using_it_namespace() -> dict[str, Any]:
    """The names 'Using it' defines (its imports and `main`), without running `main`."""
    tree = ast.parse(block("Using it"))
    *definitions, last = tree.body
    assert ast.unparse(last) == "asyncio.run(main())"
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(definitions, type_ignores=[]), "README.md (Using it)", "exec"), namespace)  # noqa: S102
    return namespace


def test_every_python_block_has_a_test() -> None:
    assert {heading: len(sources) for heading, sources in python_blocks().items()} == dict.fromkeys(
        HOW_EACH_BLOCK_RUNS, 1
    )


async def test_using_it(capsys: pytest.CaptureFixture[str]) -> None:
    zapsign_emu, videsk_emu = ZapSignEmulator(), VideskEmulator()
    optiwe_emu, biuwer_emu = OptiweEmulator(), BiuwerEmulator()
    async with zapsign_emu, videsk_emu, optiwe_emu, biuwer_emu:
        source = fill(
            at_emulators(block("Using it"), zapsign_emu, videsk_emu, optiwe_emu, biuwer_emu),
            {
                '"your-api-token"': repr(zapsign_emu.api_token),
                '"your-api-key"': repr(videsk_emu.api_key),
                '"your-workspace-token"': repr(optiwe_emu.token),
                '"your-api-credential"': repr(biuwer_emu.api_token),
            },
        )
        await asyncio.to_thread(exec, compiled(source, "Using it"), {})
    assert zapsign_emu.counts["GET /docs/"] == 1 + 3  # page 1, then every page of the seeded documents
    assert zapsign_emu.counts["GET /docs/{doc_token}/"] == 2  # a listed document, then one that is not there
    assert zapsign_emu.counts["POST /docs/"] == 1
    assert zapsign_emu.logins == 0  # a static token
    assert "404 " in [line[:4] for line in capsys.readouterr().out.splitlines()]  # errors.NotFound was caught
    assert videsk_emu.counts["GET /public/video-contact-center/segments"] == 1
    assert videsk_emu.counts["GET /public/video-contact-center/services"] >= 1
    assert optiwe_emu.counts["GET /whatsapp-templates/"] == 1
    assert biuwer_emu.counts["GET /users"] == 1
    assert biuwer_emu.mints == 1


LIST_A_PAGE = "    await zs.docs.list_docs(page=1)\n"
"""What a user writes where a block leaves `...` inside `async with ... as zs:`."""


async def test_authentication() -> None:
    heading = "Authentication and the token broker"
    emu = ZapSignEmulator()
    async with emu:
        placeholders = {'password="..."': f"password={emu.password!r}", "    ...\n": LIST_A_PAGE}
        source = fill(at_emulators(block(heading), emu), placeholders)
        await run_fragment(source, heading, using_it_namespace())
    assert emu.logins == 1  # a password login, with the organization and username the block names
    assert emu.counts["GET /docs/"] == 1


async def test_many_workers_one_login_through_redis(redis_server: RedisServer) -> None:
    heading = "Many workers: one login through Redis"
    emu = ZapSignEmulator()
    async with emu:
        credentials = f"{emu.organization_id!r}, {emu.username!r}, {emu.password!r}"
        source = fill(
            at_emulators(block(heading), emu),
            {
                '"redis://127.0.0.1:6379/0"': repr(redis_server.url),
                "PasswordAuth(...)": f"PasswordAuth({credentials})",
                "    ...\n": LIST_A_PAGE,
            },
        )
        namespace = using_it_namespace()
        await run_fragment(source, heading, namespace)
        await namespace["store"].aclose()
    assert emu.logins == 1
    assert emu.counts["GET /docs/"] == 1
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    published = await raw.keys("tessera:tokens:*")
    await raw.aclose()
    assert len(published) == 1  # the login's tokens, there for the other workers


async def test_raw_responses() -> None:
    heading = "Raw responses, retries, timeouts, logging"
    emu = ZapSignEmulator()
    async with emu, zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        listed = (await zs.docs.list_docs(page=1)).results[0]
        namespace = using_it_namespace() | {"zs": zs, "token": listed.token}
        await run_fragment(block(heading), heading, namespace)
    assert namespace["response"].status == 200
    assert namespace["response"].parsed.name == listed.name
    assert emu.counts["GET /docs/{doc_token}/"] == 1


async def test_what_a_call_adds_to_the_spec() -> None:
    heading = "What a call adds to the spec"
    emu = ZapSignEmulator()
    async with emu:
        new_doc = zapsign.models.CreateDocRequest(
            name="NDA",
            url_pdf="https://example.com/nda.pdf",
            signers=[zapsign.models.SignerRequest(name="Ana", email="ana@example.com")],
        )
        namespace = using_it_namespace() | {"auth": zapsign.ApiTokenAuth(emu.api_token), "new_doc": new_doc}
        await run_fragment(at_emulators(block(heading), emu), heading, namespace)
    created = next(received for received in emu.received if received.route == "POST /docs/")
    assert (created.headers["X-Tenant"], created.headers["X-Beta"]) == ("acme", "on")
    assert list(created.query.items()) == [("preview", "true"), ("ids", "1"), ("ids", "2")]
    sent = created.json()
    assert isinstance(sent, dict)
    assert (sent["name"], sent["signers"][0]["email"], sent["beta_field"]) == ("NDA", "ana@example.com", {"a": 1})
    assert namespace["doc"].name == "NDA"


async def test_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    heading = "Files: documents from a local file, and the links a vendor answers with"
    pdf = b"%PDF-1.4\n the NDA \n%%EOF\n"
    (tmp_path / "nda.pdf").write_bytes(pdf)
    monkeypatch.chdir(tmp_path)
    emu = ZapSignEmulator(documents=2)  # the second seeded document is signed
    async with emu, zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        signed = (await zs.docs.list_docs()).results[1]
        namespace = using_it_namespace() | {"zs": zs, "token": signed.token}
        await run_fragment(block(heading), heading, namespace)
    assert emu.store.document(namespace["new"].token).source == pdf
    assert (tmp_path / "nda-signed.pdf").read_bytes() == namespace["signed_pdf"]
    assert namespace["written"] == len(namespace["signed_pdf"])
    assert namespace["signed_pdf"].startswith(b"%PDF-")
    assert emu.counts["GET /files/pdf/{doc_token}/{file}"] == 2


async def test_webhooks(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    exec(compiled(block("Webhooks"), "Webhooks"), namespace)  # noqa: S102 - the README's own code
    app = web.Application()
    app.router.add_post("/optiwe", namespace["optiwe_events"])
    emu = OptiweEmulator()
    known = emu.conversation_event("NEW_MESSAGE")
    unknown: dict[str, Any] = emu.conversation_event("NEW_MESSAGE")
    unknown["payload"]["type"] = "CONVERSATION_CLOSED"
    async with TestServer(app, host="127.0.0.1") as server, aiohttp.ClientSession() as session:
        answers = []
        for body in (json.dumps(known), json.dumps(unknown), "not json"):
            async with session.post(server.make_url("/optiwe"), data=body) as response:
                answers.append((response.status, await response.text()))
    assert [status for status, _ in answers] == [200, 200, 400]
    assert answers[2][1].startswith("$: ")  # the DecodeError's path, as the block writes it
    assert capsys.readouterr().out.splitlines() == ["NEW_MESSAGE", "new event type CONVERSATION_CLOSED " + str(unknown)]


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(["-o", "asyncio_mode=strict"], id="strict"),
        pytest.param(["-o", "asyncio_mode=auto"], id="auto"),
    ],
)
def test_the_emulators_in_your_own_tests(tmp_path: Path, mode: list[str]) -> None:
    heading = "The emulators, in your own tests"
    user_code = "\n\nasync def my_sync(zs):\n" + LIST_A_PAGE
    module = tmp_path / "test_sync.py"
    module.write_text(block(heading) + user_code, encoding="utf-8")
    finished = run_pytest(module, *mode, "-o", "asyncio_default_fixture_loop_scope=function")  # a user's config
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "1 passed" in finished.stdout  # and the block's own asserts on the emulator's counters held
