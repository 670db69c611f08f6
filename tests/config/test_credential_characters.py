"""A credential with a character HTTP cannot carry is refused when built: ConfigurationError, never the value.

Every credential of the four vendors (ZapSign's api_token, organization_id, username and password;
Videsk's three tokens; Optiwe's token; Biuwer's api_token) is given a control character (CR, LF, NUL,
tab, ESC, DEL) or a lone surrogate at its start, middle or end. Before, the client was built and the
first call raised aiohttp's ValueError (or UnicodeEncodeError); now the credential's constructor, or
the client's, raises ConfigurationError naming the credential, whose message, repr and chain never
show the value, and the server (a recorder on 127.0.0.1) sees no request.
"""

from __future__ import annotations

import traceback
from collections.abc import AsyncIterator, Callable
from typing import Final

import pytest

from tessera import biuwer, errors, optiwe, videsk, zapsign
from tessera._auth.secrets import Secret
from tests.faults.conftest import Recorder

VALUE: Final = "cred-3141-5926-5358"
PASSWORD: Final = "a-password-2718"
UNSENDABLE: Final = {
    "CR": "\r",
    "LF": "\n",
    "NUL": "\x00",
    "tab": "\t",
    "ESC": "\x1b",
    "DEL": "\x7f",
    "surrogate": "\ud800",
}

Build = Callable[[str, str], object]
"""A credential (or a client) built with `value` in one place, against the base URL."""

CREDENTIALS: Final[dict[str, tuple[str, Build]]] = {
    # the name the message must give, and the build
    "zapsign api_token": ("api_token", lambda value, url: zapsign.ApiTokenAuth(value)),
    "zapsign api_token as a Secret": ("api_token", lambda value, url: zapsign.ApiTokenAuth(Secret(value))),  # type: ignore[arg-type]
    "zapsign organization_id": (
        "organization_id",
        lambda value, url: zapsign.PasswordAuth(value, "dev@ejemplo.com", PASSWORD),
    ),
    "zapsign username": ("username", lambda value, url: zapsign.PasswordAuth("123", value, PASSWORD)),
    "zapsign password": ("password", lambda value, url: zapsign.PasswordAuth("123", "dev@ejemplo.com", value)),
    "videsk api_key": ("api_key", lambda value, url: videsk.Client(api_key=value, base_url=url)),
    "videsk appointment_token": (
        "appointment_token",
        lambda value, url: videsk.Client(appointment_token=value, base_url=url),
    ),
    "videsk export_token": (
        "export_token",
        lambda value, url: videsk.Client(api_key=VALUE, export_token=value, base_url=url),
    ),
    "optiwe token": ("token", lambda value, url: optiwe.Client(token=value, base_url=url)),
    "biuwer api_token": ("api_token", lambda value, url: biuwer.Client(api_token=value, base_url=url)),
}


def placed(character: str) -> list[str]:
    """The credential with `character` at its end (a line read from a file), in its middle and at its start."""
    return [VALUE + character, VALUE[:9] + character + VALUE[9:], character + VALUE]


def shows_no_value(error: BaseException, value: str) -> None:
    shown = "".join(traceback.format_exception_only(error)) + repr(error) + repr(error.args)
    for part in (value, VALUE, VALUE[:9], VALUE[9:]):
        assert part not in shown, f"{part!r} shown by {error!r}"
    chained = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    if chained is not None:
        shows_no_value(chained, value)


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    async with Recorder() as server:
        yield server


@pytest.mark.parametrize("character", UNSENDABLE.values(), ids=UNSENDABLE.keys())
@pytest.mark.parametrize("credential", CREDENTIALS.keys())
async def test_a_credential_with_a_character_http_cannot_carry_is_refused_when_built(
    recorder: Recorder, credential: str, character: str
) -> None:
    name, build = CREDENTIALS[credential]
    for value in placed(character):
        with pytest.raises(errors.ConfigurationError) as caught:
            build(value, recorder.origin)
        message = str(caught.value)
        assert name in message, message
        assert "control character" in message, message
        shows_no_value(caught.value, value)
    assert recorder.seen == []


@pytest.mark.parametrize("credential", CREDENTIALS.keys())
async def test_a_credential_of_printable_characters_is_accepted(recorder: Recorder, credential: str) -> None:
    # The control: spaces inside, non-ASCII letters and C1 characters are not refused (passwords have them).
    _name, build = CREDENTIALS[credential]
    for value in (VALUE, f"{VALUE} ñandú", f"{VALUE}\x85"):
        built = build(value, recorder.origin)
        if isinstance(built, videsk.Client | optiwe.Client | biuwer.Client):
            await built.aclose()
    assert recorder.seen == []


async def test_an_accepted_credential_reaches_the_server_unchanged(recorder: Recorder) -> None:
    recorder.reply = {"total": 0, "limit": 10, "skip": 0, "data": []}
    async with biuwer.Client(api_token=f"{VALUE} ñ", base_url=recorder.origin) as bw:
        await bw.users.list_users()
    [seen] = recorder.seen
    assert isinstance(seen.headers, dict)
    assert seen.headers["Authorization"] == f"Bearer {VALUE} ñ"


def test_the_refusal_says_what_to_do() -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        zapsign.ApiTokenAuth(VALUE + "\n")
    assert str(caught.value) == (
        "zapsign.ApiTokenAuth api_token contains a control character (a line break, tab or NUL, perhaps a newline"
        " read with it from a file) or a lone surrogate: pass the value from the vendor's dashboard as it is shown"
    )
