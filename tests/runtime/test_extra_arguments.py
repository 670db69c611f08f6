"""What a call or a client adds beyond the spec (extra_headers, extra_query, extra_body, default_headers) and
tessera's User-Agent, as the ZapSign emulator received them; refusals before anything is sent."""

from __future__ import annotations

import datetime
import json
import logging
import platform
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tessera import __version__, biuwer, errors, zapsign
from tessera.stores import MemoryStore
from tessera.testing import Fault, ManualClock, ZapSignEmulator, emulator

LOGIN = "POST /auth/token/{organization_id}/"
REFRESH = "POST /auth/token-refresh/"
USER_AGENT = (
    f"aiotessera/{__version__} python/{'.'.join(platform.python_version_tuple()[:2])} aiohttp/{aiohttp.__version__}"
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def emu(clock: ManualClock) -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", clock=clock, documents=3, access_seconds=600)
    async with emu:
        yield emu


def new_doc() -> zapsign.models.CreateDocRequest:
    return zapsign.models.CreateDocRequest(
        name="NDA",
        url_pdf="https://example.com/nda.pdf",
        signers=[zapsign.models.SignerRequest(name="Ana", email="ana@example.com")],
    )


def last(emu: ZapSignEmulator, route: str) -> tuple[dict[str, str], dict[str, list[str]], bytes]:
    """The headers, query (each name's values) and body of the last request `route` received."""
    request = next(received for received in reversed(emu.received) if received.route == route)
    query: dict[str, list[str]] = {}
    for name, value in request.query.items():
        query.setdefault(name, []).append(value)
    return dict(request.headers), query, request.body


async def test_extra_headers_query_and_body_reach_the_vendor(emu: ZapSignEmulator) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        doc = await zs.docs.create_doc(
            body=new_doc(),
            extra_headers={"X-Beta": "on"},
            extra_query={"preview": True, "ids": [1, 2.5, "three"], "skipped": None},
            extra_body={"beta_field": {"nested": [1, None]}, "name": "NDA v2"},
        )
    headers, query, body = last(emu, "POST /docs/")
    assert headers["X-Beta"] == "on"
    assert query == {"preview": ["true"], "ids": ["1", "2.5", "three"]}
    sent = json.loads(body)
    assert sent["beta_field"] == {"nested": [1, None]}
    assert sent["name"] == "NDA v2"  # an extra member replaces the model's of the same name
    assert sent["signers"][0]["email"] == "ana@example.com"  # the model's other members stay
    assert doc.name == "NDA v2"


async def test_extra_query_replaces_the_spec_parameter_of_its_name(emu: ZapSignEmulator) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        emu.faults.add("GET /docs/", Fault.reply(200, {"count": 0, "next": None, "previous": None, "results": []}))
        await zs.docs.list_docs(folder_path="/a/", status="signed", extra_query={"status": "pending", "x": 1})
        items = [doc async for doc in zs.docs.list_docs(extra_headers={"X-Every-Page": "yes"}, extra_query={"x": 2})]
        with pytest.raises(errors.InvalidArgument, match="names page, which the pagination sets") as refused:
            zs.docs.list_docs(extra_query={"page": 2})  # every page would be page 2: refused at once
    assert refused.value.argument == "extra_query"
    assert len(items) == 3
    first = next(received for received in emu.received if received.route == "GET /docs/")
    assert list(first.query.items()) == [("folder_path", "/a/"), ("status", "pending"), ("x", "1")]
    _, query, _ = last(emu, "GET /docs/")
    assert query == {"x": ["2"]}
    assert last(emu, "GET /docs/")[0]["X-Every-Page"] == "yes"  # a paginated call's pages carry them


async def test_the_credential_wins_over_extra_and_default_headers(emu: ZapSignEmulator) -> None:
    async with zapsign.Client(
        auth=zapsign.ApiTokenAuth(emu.api_token),
        base_url=emu.base_url,
        default_headers={"authorization": "Bearer not-the-key", "X-Tenant": "default", "X-Mode": "default"},
    ) as zs:
        await zs.docs.list_docs(extra_headers={"AUTHORIZATION": "Bearer also-not", "x-mode": "extra"})
        await zs.docs.list_docs()
    with_extra = [received.headers for received in emu.received if received.route == "GET /docs/"]
    assert [headers.getall("Authorization") for headers in with_extra] == [[f"Bearer {emu.api_token}"]] * 2
    assert with_extra[0].getall("X-Mode") == ["extra"]  # an extra header replaces the default of its name
    assert with_extra[1].getall("X-Mode") == ["default"]
    assert with_extra[0]["X-Tenant"] == with_extra[1]["X-Tenant"] == "default"


async def test_every_request_carries_the_user_agent_logins_and_refreshes_included(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    auth = zapsign.PasswordAuth(organization_id=emu.organization_id, username=emu.username, password=emu.password)
    async with zapsign.Client(
        auth=auth, base_url=emu.base_url, clock=clock, store=MemoryStore(), default_headers={"X-Tenant": "t1"}
    ) as zs:
        await zs.docs.list_docs()
        clock.advance(900)  # past the access token's life: the next call refreshes it
        await zs.docs.list_docs()
    assert emu.counts[LOGIN] == emu.counts[REFRESH] == 1
    for route in (LOGIN, REFRESH, "GET /docs/"):
        headers, _, _ = last(emu, route)
        assert headers["User-Agent"] == USER_AGENT
        assert headers["X-Tenant"] == "t1"  # the client's default headers go with its logins and refreshes


async def test_the_user_agent_is_overridden_by_default_or_extra_headers_or_your_session(
    emu: ZapSignEmulator,
) -> None:
    auth = zapsign.ApiTokenAuth(emu.api_token)
    async with zapsign.Client(auth=auth, base_url=emu.base_url, default_headers={"user-agent": "mine/1"}) as zs:
        await zs.docs.list_docs()
        await zs.docs.list_docs(extra_headers={"User-Agent": "call/2"})
    async with (
        aiohttp.ClientSession(headers={"User-Agent": "session/3"}) as session,
        zapsign.Client(auth=auth, base_url=emu.base_url, session=session) as zs,
    ):
        await zs.docs.list_docs()
    async with (
        aiohttp.ClientSession() as session,
        zapsign.Client(auth=auth, base_url=emu.base_url, session=session) as zs,
    ):
        await zs.docs.list_docs()
    agents = [received.headers.getall("User-Agent") for received in emu.received if received.route == "GET /docs/"]
    assert agents == [["mine/1"], ["call/2"], ["session/3"], [USER_AGENT]]


async def test_extra_body_alone_is_not_sent_to_an_operation_without_a_body(emu: ZapSignEmulator) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        with pytest.raises(errors.InvalidArgument, match="takes no JSON request body") as refused:
            await zs.docs.get_doc(doc_token="x", extra_body={"a": 1})
        assert refused.value.argument == "extra_body"
        assert refused.value.operation == "get_doc"
        for value in ({"when": datetime.datetime(2026, 1, 1)}, {"n": float("nan")}, {1: "a"}, ["a"]):
            with pytest.raises(errors.InvalidArgument) as refused:
                await zs.docs.create_doc(body=new_doc(), extra_body=value)  # type: ignore[arg-type]
            assert refused.value.argument == "extra_body"
    assert emu.counts["GET /docs/{doc_token}/"] == emu.counts["POST /docs/"] == 0


@pytest.mark.parametrize(
    ("extra_headers", "problem"),
    [
        ({"X Space": "v"}, "is not a header name"),
        ({"X-Split": "v\r\nX-Injected: 1"}, "CR, LF, NUL"),
        ({"X-Nul": "a\0b"}, "CR, LF, NUL"),
        ({"X-Surrogate": "\ud800"}, "lone surrogate"),
        ({"X-Number": 1}, "must be a str, not int"),
        ({b"X-Bytes": "v"}, "bytes is not a header name"),
        ([("X-List", "v")], "must be a mapping"),
    ],
)
async def test_bad_extra_headers_are_refused_before_anything_is_sent(
    emu: ZapSignEmulator, extra_headers: object, problem: str
) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        with pytest.raises(errors.InvalidArgument, match=problem) as refused:
            await zs.docs.list_docs(extra_headers=extra_headers)  # type: ignore[arg-type]
    assert refused.value.argument == "extra_headers"
    assert "v\r\n" not in str(refused.value)  # a value is never told: it may be a key
    assert emu.counts["GET /docs/"] == 0


@pytest.mark.parametrize(
    "extra_query",
    [
        {"a": {"b": 1}},
        {"a": object()},
        {"a": [1, [2]]},
        {"a": float("inf")},
        {"a": b"x"},
        {1: "a"},
        {"": "a"},
        "a=b",
        5,
    ],
)
async def test_bad_extra_query_is_refused_before_anything_is_sent(emu: ZapSignEmulator, extra_query: object) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        with pytest.raises(errors.InvalidArgument, match="extra_query") as refused:
            await zs.docs.list_docs(extra_query=extra_query)  # type: ignore[arg-type]
        assert refused.value.argument == "extra_query"
        with pytest.raises(errors.InvalidArgument, match="extra_query") as refused:
            await zs.docs.get_doc(doc_token="t", extra_query=extra_query)  # type: ignore[arg-type]
        assert refused.value.argument == "extra_query"
    assert emu.counts["GET /docs/"] == emu.counts["GET /docs/{doc_token}/"] == 0


@pytest.mark.parametrize(
    "default_headers", [{"X Space": "v"}, {"X-Split": "a\nb"}, {"X-Number": 1}, "User-Agent: me", [("a", "b")]]
)
def test_bad_default_headers_are_a_configuration_error(default_headers: object) -> None:
    with pytest.raises(errors.ConfigurationError, match="default_headers"):
        zapsign.Client(auth=zapsign.ApiTokenAuth("k"), default_headers=default_headers)  # type: ignore[arg-type]


async def test_a_secret_in_extra_or_default_headers_reaches_no_log_line_and_no_error(
    emu: ZapSignEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    secret, other = "extra-header-secret-1", "default-header-secret-2"
    emu.faults.add("GET /docs/", Fault.reset())
    emu.faults.add("GET /docs/", Fault.reply(503, {"detail": "down"}))
    emu.faults.add("GET /docs/", Fault.delay(1.0))
    caught: list[BaseException] = []
    with caplog.at_level(logging.DEBUG, logger="tessera"):
        async with zapsign.Client(
            auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, default_headers={"X-Key": other}
        ) as zs:
            for _ in range(3):
                try:
                    await zs.docs.list_docs(extra_headers={"X-Secret": secret}, max_retries=0, timeout=0.3)
                except errors.TesseraError as error:
                    caught.append(error)
            with pytest.raises(errors.NotFound) as missing:
                await zs.docs.get_doc(doc_token="missing", extra_headers={"X-Secret": secret})
            await zs.docs.list_docs(extra_headers={"X-Secret": secret})
    assert [type(error) for error in caught] == [errors.TransportError, errors.ServerError, errors.RequestTimeout]
    assert len(caplog.records) == 5
    shown = [record.getMessage() for record in caplog.records] + [
        text for error in [*caught, missing.value] for text in (str(error), repr(error), repr(vars(error)))
    ]
    assert not [text for text in shown if secret in text or other in text]
    assert all(received.headers["X-Secret"] == secret for received in list(emu.received)[-2:])


async def test_a_mint_carries_the_user_agent_and_the_default_headers() -> None:
    emu = emulator("biuwer")
    async with (
        emu,
        biuwer.Client(api_token=emu.api_token, base_url=emu.base_url, default_headers={"X-Tenant": "t2"}) as bw,
    ):
        users = await bw.users.list_users()
        await bw.user_token(users.data[0].id, policy="daily")
    minted = [received for received in emu.received if received.route == "POST /users/{user_id}/auth-tokens"]
    assert len(minted) == 1
    assert (minted[0].headers["User-Agent"], minted[0].headers["X-Tenant"]) == (USER_AGENT, "t2")
