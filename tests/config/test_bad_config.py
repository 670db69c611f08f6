"""Bad configuration: every client refuses it when built, with a ConfigurationError naming the setting and the fix.

Each case is built against a running emulator of its vendor (the base URL is the emulator's unless the
case is about the base URL), and the emulator must have seen no request afterwards. The secrets given
to the clients are distinctive strings; none may appear in the error's message, repr, or chain.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import AsyncIterator, Callable
from typing import Final

import aiohttp
import attrs
import pytest

from tessera import biuwer, errors, optiwe, videsk, zapsign
from tessera._runtime.client import BaseClient
from tessera.testing import Emulator, emulator

PASSWORD: Final = "config-test-password-3141"
API_TOKEN: Final = "config-test-api-token-2718"
SECRETS: Final = (PASSWORD, API_TOKEN, "pw-in-url-1618")

Build = Callable[..., BaseClient]
"""A client of one vendor, built with its credentials (or the case's) and the case's keywords."""

BUILDERS: dict[str, tuple[str, Build]] = {
    "zapsign password": (
        "zapsign",
        lambda **kw: zapsign.Client(auth=zapsign.PasswordAuth("123", "dev@ejemplo.com", PASSWORD), **kw),
    ),
    "zapsign api_token": ("zapsign", lambda **kw: zapsign.Client(auth=zapsign.ApiTokenAuth(API_TOKEN), **kw)),
    "videsk": ("videsk", lambda **kw: videsk.Client(api_key=API_TOKEN, **kw)),
    "optiwe": ("optiwe", lambda **kw: optiwe.Client(token=API_TOKEN, **kw)),
    "biuwer": ("biuwer", lambda **kw: biuwer.Client(api_token=API_TOKEN, **kw)),
}


@attrs.frozen
class Case:
    keywords: dict[str, object]
    names: str
    """The setting, as the message must name it."""
    fix: str
    """A fragment of the fix the message must give."""


SETTINGS: dict[str, Case] = {
    # base_url
    "no scheme": Case({"base_url": "api.zapsign.com.br/api/v1"}, "base_url", "https://host/path"),
    "ftp": Case({"base_url": "ftp://example.com/files"}, "base_url", "https://host/path"),
    "garbage": Case({"base_url": "not a url at all"}, "base_url", "remove them"),
    "garbage without spaces": Case({"base_url": "::::"}, "base_url", "https://host/path"),
    "scheme only": Case({"base_url": "https://"}, "base_url", "https://host/path"),
    "empty": Case({"base_url": ""}, "base_url", "leave it out"),
    "blank": Case({"base_url": "   "}, "base_url", "leave it out"),
    "not a string": Case({"base_url": 8081}, "base_url", "https://host/path"),
    "broken IPv6": Case({"base_url": "https://[::1/api"}, "base_url", "https://host/path"),
    "port out of range": Case({"base_url": "https://example.com:99999/api"}, "base_url", "https://host/path"),
    "port not a number": Case({"base_url": "https://example.com:http/api"}, "base_url", "https://host/path"),
    "newline": Case({"base_url": "https://example.com/api\r\nX-Evil: 1"}, "base_url", "remove them"),
    "query": Case({"base_url": "https://example.com/api?v=1"}, "base_url", "only scheme, host and path"),
    "http to a public host": Case({"base_url": "http://api.example.com"}, "base_url", "allow_insecure_http=True"),
    "http to a private address": Case({"base_url": "http://10.0.0.8/api"}, "base_url", "allow_insecure_http=True"),
    "credentials in the URL": Case({"base_url": "https://ana:pw-in-url-1618@example.com"}, "base_url", "auth"),
    "credentials without a scheme": Case({"base_url": "ana:pw-in-url-1618@example.com"}, "base_url", "https://"),
    "credentials and a query": Case(
        {"base_url": "https://ana:pw-in-url-1618@example.com/?x=1"}, "base_url", "only scheme, host and path"
    ),
    # allow_insecure_http
    "insecure flag as text": Case({"allow_insecure_http": "yes"}, "allow_insecure_http", "True or False"),
    "insecure flag as a number": Case({"allow_insecure_http": 1}, "allow_insecure_http", "True or False"),
    # timeout
    **{
        f"timeout {value!r}": Case({"timeout": value}, "timeout", "positive number of seconds")
        for value in (-1, 0, 0.0, -0.5, math.nan, math.inf, -math.inf, True, False, "30", None)
    },
    # max_retries
    **{
        f"max_retries {value!r}": Case({"max_retries": value}, "max_retries", "whole number >= 0")
        for value in (-1, 1.5, math.nan, True, "2", None)
    },
    # max_response_bytes
    **{
        f"max_response_bytes {value!r}": Case(
            {"max_response_bytes": value}, "max_response_bytes", "whole number of bytes > 0"
        )
        for value in (-1, 0, 1.5, 1e6, math.inf, True, "32MiB", None)
    },
    # the rest of the keywords
    "session of the wrong kind": Case({"session": "session"}, "session", "aiohttp.ClientSession"),
    "clock of the wrong kind": Case({"clock": 12.0}, "clock", "tessera.clock.Clock"),
    "store of the wrong kind": Case({"store": "redis://127.0.0.1"}, "store", "RedisStore(url)"),
    "trace_configs not a list": Case({"trace_configs": 3}, "trace_configs", "aiohttp.TraceConfig"),
    "trace_configs of the wrong kind": Case({"trace_configs": [object()]}, "trace_configs", "aiohttp.TraceConfig"),
}

CREDENTIALS: dict[str, tuple[Callable[[], object], str, str]] = {
    # the build, the setting, the fix
    "zapsign no auth": (lambda: zapsign.Client(auth=None), "auth", "zapsign.PasswordAuth"),  # type: ignore[arg-type]
    "zapsign auth as a string": (
        lambda: zapsign.Client(auth=API_TOKEN),  # type: ignore[arg-type]
        "auth",
        "zapsign.ApiTokenAuth(api_token)",
    ),
    "zapsign empty api_token": (lambda: zapsign.ApiTokenAuth(""), "api_token", "vendor's dashboard"),
    "zapsign api_token None": (lambda: zapsign.ApiTokenAuth(None), "api_token", "vendor's dashboard"),  # type: ignore[arg-type]
    "zapsign api_token as bytes": (
        lambda: zapsign.ApiTokenAuth(API_TOKEN.encode()),  # type: ignore[arg-type]
        "api_token",
        "must be a string",
    ),
    "zapsign empty password": (
        lambda: zapsign.PasswordAuth("123", "dev@ejemplo.com", " "),
        "password",
        "vendor's dashboard",
    ),
    "zapsign empty username": (
        lambda: zapsign.PasswordAuth("123", "", PASSWORD),
        "username",
        "vendor's dashboard",
    ),
    "zapsign organization_id as a number": (
        lambda: zapsign.PasswordAuth(123, "dev@ejemplo.com", PASSWORD),  # type: ignore[arg-type]
        "organization_id",
        "must be a string",
    ),
    "videsk nothing": (videsk.Client, "api_key=", "export_token="),
    "videsk blank api_key": (lambda: videsk.Client(api_key="\t "), "api_key", "vendor's dashboard"),
    "videsk export_token as a number": (
        lambda: videsk.Client(api_key=API_TOKEN, export_token=5),  # type: ignore[arg-type]
        "export_token",
        "must be a string",
    ),
    "optiwe empty token": (lambda: optiwe.Client(token=""), "token", "vendor's dashboard"),
    "optiwe token None": (lambda: optiwe.Client(token=None), "token", "vendor's dashboard"),  # type: ignore[arg-type]
    "biuwer empty api_token": (lambda: biuwer.Client(api_token=""), "api_token", "vendor's dashboard"),
    "biuwer api_token as a number": (
        lambda: biuwer.Client(api_token=42),  # type: ignore[arg-type]
        "api_token",
        "must be a string",
    ),
}


VENDORS: Final = ("zapsign", "videsk", "optiwe", "biuwer")


@pytest.fixture
async def running(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """An emulator of the vendor the test is parametrized with."""
    emu = emulator(request.param)
    async with emu:
        yield emu


def requests_seen(emu: Emulator) -> int:
    return sum(emu.counts.values())


def shows_no_secret(error: BaseException) -> None:
    shown = "".join(traceback.format_exception_only(error)) + repr(error) + repr(error.args)
    chained = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    for secret in SECRETS:
        assert secret not in shown, f"{secret!r} shown by {error!r}"
    if chained is not None:
        shows_no_secret(chained)


def refused(build: Callable[[], object], names: str, fix: str) -> errors.ConfigurationError:
    with pytest.raises(errors.ConfigurationError) as caught:
        build()
    message = str(caught.value)
    assert names in message, message
    assert fix in message, message
    assert len(message) < 300, message
    shows_no_secret(caught.value)
    return caught.value


@pytest.mark.parametrize("case", SETTINGS.values(), ids=SETTINGS.keys())
@pytest.mark.parametrize(
    ("client", "running"), [(client, vendor) for client, (vendor, _) in BUILDERS.items()], indirect=["running"]
)
async def test_every_client_refuses_a_bad_setting(running: Emulator, client: str, case: Case) -> None:
    _vendor, build = BUILDERS[client]
    keywords = {"base_url": running.base_url, **case.keywords}
    refused(lambda: build(**keywords), case.names, case.fix)
    assert requests_seen(running) == 0


@pytest.mark.parametrize("case", CREDENTIALS.keys())
async def test_bad_credentials_are_refused_when_built(case: str) -> None:
    build, names, fix = CREDENTIALS[case]
    refused(build, names, fix)


@pytest.mark.parametrize("running", VENDORS, indirect=True)
async def test_a_good_configuration_is_accepted_and_sends_nothing_until_asked(running: Emulator) -> None:
    # The control: the same builders with the emulator's own credentials work, and do not log in early.
    credentials = running.credentials()
    builds: dict[str, Callable[[], BaseClient]] = {
        "zapsign": lambda: zapsign.Client(
            auth=zapsign.PasswordAuth(credentials["organization_id"], credentials["username"], credentials["password"]),
            base_url=running.base_url,
        ),
        "videsk": lambda: videsk.Client(api_key=credentials["api_key"], base_url=running.base_url),
        "optiwe": lambda: optiwe.Client(token=credentials["token"], base_url=running.base_url),
        "biuwer": lambda: biuwer.Client(api_token=credentials["api_token"], base_url=running.base_url),
    }
    async with builds[running.vendor]():
        assert requests_seen(running) == 0


PER_CALL: dict[str, dict[str, object]] = {
    **{f"timeout {value!r}": {"timeout": value} for value in (-1, 0, math.nan, math.inf, True, "5")},
    **{f"max_retries {value!r}": {"max_retries": value} for value in (-1, 0.5, False, "1")},
    **{f"max_response_bytes {value!r}": {"max_response_bytes": value} for value in (-1, 0, 2.5, True, "1MB", None)},
}


@pytest.mark.parametrize("keywords", PER_CALL.values(), ids=PER_CALL.keys())
async def test_a_bad_per_call_setting_is_refused_before_any_request(keywords: dict[str, object]) -> None:
    # ZapSign with password login: a refused setting must not even cost the login.
    emu = emulator("zapsign")
    async with emu:
        auth = zapsign.PasswordAuth(emu.organization_id, emu.username, emu.password)
        async with zapsign.Client(auth=auth, base_url=emu.base_url) as zs:
            with pytest.raises(errors.ConfigurationError, match=next(iter(keywords))):
                await zs.docs.list_docs(**keywords)  # type: ignore[arg-type]
            with pytest.raises(errors.ConfigurationError, match=next(iter(keywords))):
                await zs.docs.get_doc(doc_token="any", **keywords)  # type: ignore[arg-type]
        assert (requests_seen(emu), emu.logins) == (0, 0)


async def test_a_shared_session_is_accepted_and_left_open() -> None:
    # The control for `session=`: a real one is taken and never closed by the client.
    emu = emulator("optiwe")
    async with emu, aiohttp.ClientSession() as session:
        async with optiwe.Client(token=emu.token, base_url=emu.base_url, session=session):
            pass
        assert not session.closed
