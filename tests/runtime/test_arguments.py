"""A call's path and query arguments: refused before anything is sent, unless the spec allows them.

Every generated operation of the four vendors is called against a recorder (an aiohttp.web server on
127.0.0.1 that keeps every request it gets, tests/faults/conftest.py): with a value of the right type
for each parameter it sends one request, each value written where it belongs; with `.`, `..`, `""`,
None, `object()`, bytes or a dict for a path parameter, or a value of another type for a query one, it
raises InvalidArgument naming the argument and the operation, and the recorder sees nothing. The same
holds for the routes whose paths the auth flows build: ZapSign's login, Biuwer's user-token mint.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import inspect
import math
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Final
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera import biuwer, errors, optiwe, videsk, zapsign
from tessera._auth.exchange import exchange
from tessera._runtime import arguments
from tessera._runtime.client import BaseClient
from tessera._runtime.operation import Operation
from tessera._runtime.resource import Resource
from tessera.testing import emulator
from tests.faults.conftest import Recorder

PREFIX: Final = "/api"
"""The recorder's base URL has a path, which every request must keep."""


def zapsign_client(base_url: str) -> zapsign.Client:
    return zapsign.Client(auth=zapsign.ApiTokenAuth("zs-api-token"), base_url=base_url, max_retries=0)


def biuwer_client(base_url: str) -> biuwer.Client:
    return biuwer.Client(api_token="bw-token", base_url=base_url, max_retries=0)


BUILD: Final[dict[str, Callable[[str], BaseClient]]] = {
    "zapsign": zapsign_client,
    "videsk": lambda url: videsk.Client(
        api_key="vd-key", appointment_token="vd-appointment", export_token="vd-export", base_url=url, max_retries=0
    ),
    "optiwe": lambda url: optiwe.Client(token="ow-token", base_url=url, max_retries=0),
    "biuwer": biuwer_client,
}


def generated_operations() -> Iterator[tuple[str, Operation]]:
    for vendor in BUILD:
        endpoints = importlib.import_module(f"tessera.{vendor}._endpoints")
        for value in vars(endpoints).values():
            if isinstance(value, Operation):
                yield vendor, value


OPERATIONS: Final = list(generated_operations())
PATH_PARAMETERS: Final = [
    (vendor, operation, parameter)
    for vendor, operation in OPERATIONS
    for parameter in operation.parameters
    if parameter.location == "path"
]
QUERY_PARAMETERS: Final = [
    (vendor, operation, parameter)
    for vendor, operation in OPERATIONS
    for parameter in operation.parameters
    if parameter.location == "query"
]

VALID: Final[dict[arguments.Kind, tuple[object, str]]] = {
    # a value of the kind, and its text in the URL
    arguments.STRING: ("x-1", "x-1"),
    arguments.INTEGER: (2, "2"),
    arguments.NUMBER: (2.5, "2.5"),
    arguments.BOOLEAN: (True, "true"),
    arguments.DATE: (datetime.date(2024, 5, 1), "2024-05-01"),
    arguments.DATE_TIME: (datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC), "2024-05-01T12:00:00+00:00"),
}

NOT_A_SEGMENT: Final = [".", "..", ""]
OF_NO_KIND: Final = [None, object(), b"x", {}, {"a": 1}]
"""Values no parameter takes (None: no required one)."""
OTHER_TYPES: Final[dict[arguments.Kind, list[object]]] = {
    arguments.STRING: [7, 7.5, True, ["x"], "x\ud800"],
    arguments.INTEGER: ["2", True, False, 2.0, [2]],
    arguments.NUMBER: ["2.5", True, math.nan, math.inf, [2.5]],
    arguments.BOOLEAN: ["true", 1, 0, [True]],
    arguments.DATE: ["2024-05-01", datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)],
    arguments.DATE_TIME: ["2024-05-01T12:00:00Z", datetime.date(2024, 5, 1)],
}


def valid(kind: arguments.Kind) -> tuple[object, list[str]]:
    """A value of `kind`, and the texts the query (or path) carries for it."""
    if isinstance(kind, arguments.EnumOf):
        member = next(iter(kind.cls))
        return member, [str(member.value)]
    if isinstance(kind, arguments.ListOf):
        item, [text] = valid(kind.item)
        return [item, item], [text, text]
    value, text = VALID[kind]
    return value, [text]


def wrong(kind: arguments.Kind) -> list[object]:
    """Values of another type than the spec's: the same for every kind, then the kind's own."""
    if isinstance(kind, arguments.EnumOf):
        return [*OF_NO_KIND, "not-one-of-them", 1, [next(iter(kind.cls))]]
    if isinstance(kind, arguments.ListOf):
        return [*OF_NO_KIND, "x", (object(),), [None]]
    return [*OF_NO_KIND, *OTHER_TYPES[kind]]


def method(client: BaseClient, operation: Operation) -> Callable[..., Any]:
    """The client's method of `operation`, found on the resource (tag) that has it."""
    [found] = [
        getattr(resource, operation.operation_id)
        for resource in vars(client).values()
        if isinstance(resource, Resource) and hasattr(resource, operation.operation_id)
    ]
    return found  # type: ignore[no-any-return]


async def call(client: BaseClient, operation: Operation, **given: object) -> None:
    """The operation's method with a valid value for every parameter but those `given`; no body."""
    target = method(client, operation)
    keywords = {parameter.argument: valid(parameter.kind)[0] for parameter in operation.parameters} | given
    if "body" in inspect.signature(target).parameters:
        keywords["body"] = None  # the arguments are checked before the body is read: none is needed
    await target(**keywords)  # a coroutine, or a Pages: one page


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    async with Recorder() as server:
        server.status, server.reply = 404, {"detail": "Not found.", "message": "Not found."}
        yield server


def refusal_names(refusal: errors.InvalidArgument, argument: str, vendor: str, operation: str) -> None:
    assert isinstance(refusal, ValueError)
    assert isinstance(refusal, TypeError)
    assert (refusal.argument, refusal.vendor, refusal.operation) == (argument, vendor, operation)
    assert str(refusal).startswith(f"{vendor}.{operation}: {argument} must ")


def test_the_vendors_have_parameters_of_each_location() -> None:
    # The loops below are only as good as what they loop over (Optiwe's operations take no parameter).
    assert {vendor for vendor, _ in OPERATIONS} == set(BUILD)
    assert {vendor for vendor, _, _ in PATH_PARAMETERS} == {vendor for vendor, _, _ in QUERY_PARAMETERS}
    assert {vendor for vendor, _, _ in PATH_PARAMETERS} == {"zapsign", "videsk", "biuwer"}
    assert len(PATH_PARAMETERS) >= 30
    assert len(QUERY_PARAMETERS) >= 26


@pytest.mark.parametrize(
    ("vendor", "operation"), OPERATIONS, ids=[f"{vendor}.{op.operation_id}" for vendor, op in OPERATIONS]
)
async def test_every_operation_writes_valid_arguments_where_they_belong(
    recorder: Recorder, vendor: str, operation: Operation
) -> None:
    async with BUILD[vendor](recorder.origin + PREFIX) as client:
        with pytest.raises(errors.ApiError):  # the recorder's 404: the request went out
            await call(client, operation)
    [seen] = recorder.seen
    url = urlsplit(seen.path_qs)
    segments = {p.name: valid(p.kind)[1][0] for p in operation.parameters if p.location == "path"}
    query = [(p.name, text) for p in operation.parameters if p.location == "query" for text in valid(p.kind)[1]]
    assert (seen.method, url.path) == (operation.method, PREFIX + operation.path.format_map(segments))
    assert sorted(parse_qsl(url.query, keep_blank_values=True)) == sorted(query)


@pytest.mark.parametrize(
    ("vendor", "operation", "parameter"),
    PATH_PARAMETERS,
    ids=[f"{vendor}.{op.operation_id}.{p.argument}" for vendor, op, p in PATH_PARAMETERS],
)
async def test_a_path_value_that_would_leave_its_segment_or_has_another_type_is_refused_unsent(
    recorder: Recorder, vendor: str, operation: Operation, parameter: arguments.Parameter
) -> None:
    async with BUILD[vendor](recorder.origin + PREFIX) as client:
        for value in [*NOT_A_SEGMENT, *OF_NO_KIND, "x\udc80"]:
            with pytest.raises(errors.InvalidArgument) as caught:
                await call(client, operation, **{parameter.argument: value})
            refusal_names(caught.value, parameter.argument, vendor, operation.operation_id)
    assert recorder.seen == []


@pytest.mark.parametrize(
    ("vendor", "operation", "parameter"),
    QUERY_PARAMETERS,
    ids=[f"{vendor}.{op.operation_id}.{p.argument}" for vendor, op, p in QUERY_PARAMETERS],
)
async def test_a_query_value_of_another_type_is_refused_unsent(
    recorder: Recorder, vendor: str, operation: Operation, parameter: arguments.Parameter
) -> None:
    values = wrong(parameter.kind)
    if not parameter.required:
        values.remove(None)  # an optional parameter's None is left out: the control below
    async with BUILD[vendor](recorder.origin + PREFIX) as client:
        for value in values:
            with pytest.raises(errors.InvalidArgument) as caught:
                await call(client, operation, **{parameter.argument: value})
            refusal_names(caught.value, parameter.argument, vendor, operation.operation_id)
        assert recorder.seen == []
        if not parameter.required:
            with pytest.raises(errors.ApiError):
                await call(client, operation, **{parameter.argument: None})
            [seen] = recorder.seen
            assert parameter.name not in dict(parse_qsl(urlsplit(seen.path_qs).query))


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("a/b", "/api/docs/a%2Fb/"),
        ("%2E%2E", "/api/docs/%252E%252E/"),
        ("...", "/api/docs/.../"),
        ("./x", "/api/docs/.%2Fx/"),
        ("a?b#c", "/api/docs/a%3Fb%23c/"),
        (" ", "/api/docs/%20/"),
        ("ñ/é", "/api/docs/%C3%B1%2F%C3%A9/"),
        ("\r\n", "/api/docs/%0D%0A/"),
    ],
)
async def test_a_path_value_lands_encoded_inside_its_own_segment(recorder: Recorder, value: str, path: str) -> None:
    async with zapsign_client(recorder.origin + PREFIX) as zs:
        with pytest.raises(errors.NotFound):
            await zs.docs.get_doc(doc_token=value)
    [seen] = recorder.seen
    assert (seen.method, seen.path_qs) == ("GET", path)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text())
async def test_any_text_lands_as_itself_in_its_segment_or_is_refused_unsent(recorder: Recorder, value: str) -> None:
    recorder.seen.clear()
    refused = value in {"", ".", ".."} or any("\ud800" <= char <= "\udfff" for char in value)
    async with biuwer_client(recorder.origin + PREFIX) as bw:
        with pytest.raises(errors.InvalidArgument if refused else errors.NotFound):
            await bw.tokens.delete_user_token(user_id="7", token_id=value)
    if refused:
        assert recorder.seen == []
        return
    [seen] = recorder.seen
    head, _, segment = seen.path_qs.rpartition("/")
    assert (seen.method, head) == ("DELETE", "/api/users/7/auth-tokens")
    assert unquote(segment) == value


async def test_a_query_value_lands_as_itself(recorder: Recorder) -> None:
    text = "a&b=c#d/../é ?"
    async with zapsign_client(recorder.origin + PREFIX) as zs:
        with pytest.raises(errors.NotFound):
            await zs.docs.list_docs(folder_path=text, status="signed", deleted=False)  # a value, not a member
    [seen] = recorder.seen
    assert parse_qsl(urlsplit(seen.path_qs).query) == [
        ("status", "signed"),
        ("folder_path", text),
        ("deleted", "false"),
    ]


class Labelled(str):
    """A str subclass of the caller's whose str() is not its text (as some ORMs' and i18n strings are)."""

    __slots__ = ()

    def __str__(self) -> str:
        return "the label"


class Folder(enum.StrEnum):
    ARCHIVE = "archive/2024"


async def test_a_str_subclass_or_a_str_enum_member_lands_as_its_text(recorder: Recorder) -> None:
    async with zapsign_client(recorder.origin + PREFIX) as zs:
        for value in (Labelled("doc 1"), Folder.ARCHIVE):
            with pytest.raises(errors.NotFound):
                await zs.docs.get_doc(doc_token=value)
            with pytest.raises(errors.NotFound):
                await zs.docs.list_docs(folder_path=value)
    assert [seen.path_qs for seen in recorder.seen] == [
        "/api/docs/doc%201/",
        "/api/docs/?folder_path=doc+1",
        "/api/docs/archive%2F2024/",
        "/api/docs/?folder_path=archive/2024",
    ]


@pytest.mark.parametrize("organization_id", [".", ".."])
def test_an_organization_id_that_would_leave_the_login_route_is_refused_when_built(organization_id: str) -> None:
    with pytest.raises(errors.ConfigurationError, match="organization_id"):
        zapsign.PasswordAuth(organization_id, "dev@ejemplo.com", "a-password-2718")


async def test_the_login_route_keeps_the_organization_id_inside_its_segment(recorder: Recorder) -> None:
    auth = zapsign.PasswordAuth("a/../b", "dev@ejemplo.com", "a-password-2718")
    async with zapsign.Client(auth=auth, base_url=recorder.origin + PREFIX) as zs:
        with pytest.raises(errors.ApiError):
            await zs.docs.get_doc(doc_token="d-1")
    [login] = recorder.seen
    assert (login.method, login.path_qs) == ("POST", "/api/auth/token/a%2F..%2Fb/")


@pytest.mark.parametrize("value", [*NOT_A_SEGMENT, "x\ud800"])
async def test_the_auth_routes_refuse_a_path_value_that_would_leave_its_segment_unsent(
    recorder: Recorder, value: str
) -> None:
    # Login, refresh and mint requests all build their paths in exchange(); whatever reaches it is checked.
    auth = zapsign.PasswordAuth("123", "dev@ejemplo.com", "a-password-2718")
    async with zapsign.Client(auth=auth, base_url=recorder.origin + PREFIX) as zs:
        context = zs._auth_context("PasswordLogin")
        with pytest.raises(errors.InvalidArgument) as caught:
            await exchange(context, "login", path={"organization_id": value}, body={})
    refusal_names(caught.value, "organization_id", "zapsign", "login")
    assert recorder.seen == []


@pytest.mark.parametrize("user_id", [*NOT_A_SEGMENT, None, 7, b"7", {}, "7\udc80"])
async def test_a_user_token_for_a_user_id_that_would_leave_the_mint_route_is_refused_unsent(
    recorder: Recorder, user_id: object
) -> None:
    async with biuwer_client(recorder.origin + PREFIX) as bw:
        for policy in typing.get_args(biuwer.Policy):
            with pytest.raises(errors.InvalidArgument) as caught:
                await bw.user_token(user_id, policy=policy)  # type: ignore[arg-type]
            assert caught.value.argument == "user_id"
            assert str(caught.value).startswith("biuwer.user_token: user_id must ")
    assert recorder.seen == []


async def test_the_mint_route_keeps_the_user_id_inside_its_segment(recorder: Recorder) -> None:
    async with biuwer_client(recorder.origin + PREFIX) as bw:
        with pytest.raises(errors.NotFound):
            await bw.user_token("7/../8", policy="single-use")
    [mint] = recorder.seen
    assert (mint.method, mint.path_qs) == ("POST", "/api/users/7%2F..%2F8/auth-tokens")


def test_invalid_argument_is_a_tessera_error_a_value_error_and_a_type_error() -> None:
    assert issubclass(errors.InvalidArgument, errors.TesseraError)
    assert issubclass(errors.InvalidArgument, ValueError)
    assert issubclass(errors.InvalidArgument, TypeError)
    assert "InvalidArgument" in errors.__all__
    assert "InvalidArgument" in (errors.__doc__ or "")


def test_every_paginated_operation_declares_the_query_parameters_its_pages_send() -> None:
    # Pages adds the page (or skip) parameter to the query; an undeclared one would be refused.
    for vendor, operation in OPERATIONS:
        if operation.pagination is None:
            continue
        profile = importlib.import_module(f"tessera.{vendor}._profile").PROFILE
        style = profile.pagination[operation.pagination]
        for name in (style.page_param, style.skip_param, style.limit_param):
            assert name is None or name in operation.query_parameters, (vendor, operation.operation_id, name)


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        (arguments.STRING, videsk.models.FormVersion.BASE, "base"),  # a str enum's member: its value
        (arguments.INTEGER, 2**70, str(2**70)),
        (arguments.NUMBER, 3, "3"),
        (arguments.NUMBER, -0.5, "-0.5"),
        (arguments.BOOLEAN, False, "false"),
        (arguments.EnumOf(zapsign.models.DocStatus), "signed", "signed"),
        (arguments.EnumOf(zapsign.models.DocStatus), zapsign.models.DocStatus.REFUSED, "refused"),
        (arguments.DATE_TIME, datetime.datetime(2024, 5, 1, 8, 30), "2024-05-01T08:30:00"),
    ],
)
def test_each_kind_writes_what_it_takes(kind: arguments.Kind, value: object, text: str) -> None:
    assert kind.text(value) == text


def test_an_array_takes_a_list_or_a_tuple_of_its_items_kind() -> None:
    kind = arguments.ListOf(arguments.EnumOf(zapsign.models.DocStatus))
    assert kind.items(["signed", zapsign.models.DocStatus.PENDING]) == ["signed", "pending"]
    assert kind.items(()) == []
    assert kind.items(["signed", "lost"]) is None
    assert kind.items("signed") is None
    assert kind.text(["signed"]) is None  # an array is never one text
    assert kind.mismatch(["signed", None]) == "an item that is None"


async def test_a_refused_argument_costs_no_login() -> None:
    # The emulator, with a password login: the arguments are checked before a token is asked for.
    emu = emulator("zapsign")
    async with emu:
        auth = zapsign.PasswordAuth(emu.organization_id, emu.username, emu.password)
        async with zapsign.Client(auth=auth, base_url=emu.base_url) as zs:
            for doc_token in ("..", ".", "", None):
                with pytest.raises(errors.InvalidArgument, match="doc_token"):
                    await zs.docs.delete_doc(doc_token=doc_token)  # type: ignore[arg-type]
            with pytest.raises(errors.InvalidArgument, match="page"):
                await zs.docs.list_docs(page=object())  # type: ignore[arg-type]
        assert (sum(emu.counts.values()), emu.logins) == (0, 0)
