"""No fault, on any route, puts a secret in the error a caller gets: not in its str, repr, causes or traceback.

tests/conftest.py checks every error created and every log line of every test; this table makes the
check explicit for each fault kind on each route, where the error is the caller's.
"""

from __future__ import annotations

import traceback

import pytest

from tessera import errors
from tessera.testing import Fault, ManualClock, ZapSignEmulator
from tessera.testing._secrets import leaks
from tests.faults.conftest import (
    ACCESS_SECONDS,
    DOCS,
    LATE,
    LOGIN,
    REFRESH,
    SHORT,
    Recorder,
    attempt,
    no_client_task,
    password_client,
    token_client,
)

KINDS = {
    "reply 503": lambda to: Fault.reply(503, {"detail": "down"}),
    "reply 401": lambda to: Fault.reply(401, {"detail": "No active account found with the given credentials"}),
    "html 502": lambda to: Fault.html(502),
    "html 200": lambda to: Fault.html(200),
    "delay": lambda to: Fault.delay(LATE),
    "reset": lambda to: Fault.reset(),
    "truncate": lambda to: Fault.truncate(0.5),
    "truncate, drop": lambda to: Fault.truncate(0.5, drop=True),
    "wrong content type": lambda to: Fault.wrong_content_type("text/html"),
    "stall": lambda to: Fault.stall(0.5),
    "redirect 302": lambda to: Fault.redirect(to, 302),
    "redirect 307": lambda to: Fault.redirect(to, 307),
}
ROUTES = {"data (password)": DOCS, "data (api_token)": DOCS, "login": LOGIN, "refresh": REFRESH}


def shown(error: BaseException) -> list[str]:
    """Everything of an error a user could print: str and repr along its causes, its formatted traceback,
    an ApiError's parsed body and headers, and the body a DecodeError shows."""
    texts = ["".join(traceback.format_exception(error))]
    cause: BaseException | None = error
    while cause is not None:
        texts += [str(cause), repr(cause)]
        if isinstance(cause, errors.ApiError):
            texts += [repr(cause.body), repr(dict(cause.response_headers))]
        if isinstance(cause, errors.DecodeError):
            texts.append(repr(cause.body))
        cause = cause.__cause__ or cause.__context__
    return texts


@pytest.mark.parametrize("route", ROUTES, ids=ROUTES)
@pytest.mark.parametrize("kind", KINDS, ids=KINDS)
async def test_no_secret_in_the_error(
    zap: ZapSignEmulator, clock: ManualClock, recorder: Recorder, kind: str, route: str
) -> None:
    recorder.status, recorder.reply = 404, {"detail": "Not found."}
    connect = token_client if route == "data (api_token)" else password_client
    async with connect(zap, clock, timeout=SHORT, max_retries=0) as zs:
        if route == "refresh":
            await zs.docs.list_docs()
            clock.advance(ACCESS_SECONDS)
        zap.faults.add(ROUTES[route], KINDS[kind](recorder.origin), times=1)
        outcome = await attempt(zs.docs.list_docs())
    await no_client_task()
    if outcome.error is None:
        assert kind in ("wrong content type", "reply 401")  # a JSON body under another label; a refused refresh
        return
    texts = shown(outcome.error)
    for secret in (zap.password, zap.api_token):
        assert all(secret not in text for text in texts)
    assert leaks(texts) == []  # nor any token an emulator of this process issued


async def test_the_check_finds_a_secret(zap: ZapSignEmulator) -> None:
    """The check above can fail: a secret in an error's cause would be caught. (Not a TesseraError: the
    suite's own leak check would rightly fail this test for creating one.)"""
    error = RuntimeError("a request failed")
    error.__cause__ = RuntimeError(f"GET /docs/?api_token={zap.api_token}")
    assert leaks(shown(error)) != []
    assert leaks(shown(RuntimeError("a request failed"))) == []
