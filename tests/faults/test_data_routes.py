"""Every fault kind on a data route: the typed error, or success after retries where a retry is right.

A GET is retry-safe: 5xx answers, connection errors and timeouts are tried again up to max_retries (2),
waiting on the manual clock. A complete answer whose body is wrong (truncated JSON, a 200 HTML page) is
not: it is a DecodeError at once. A POST that is not retry-safe is sent once, whatever happens to it.

aiohttp's own second send of an idempotent request on a reset connection is turned off: a reset is
tried again by tessera's retry loop only, so a call reaches the route at most max_retries + 1 times.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import attrs
import pytest

from tessera import errors, videsk, zapsign
from tessera.testing import Emulator, Fault, ManualClock, VideskEmulator, ZapSignEmulator
from tests.faults.conftest import (
    CREATE,
    DOC,
    DOCS,
    LATE,
    LOGIN,
    SEGMENTS,
    SHORT,
    SLACK,
    attempt,
    no_client_task,
    origin,
    password_client,
    videsk_client,
)
from tests.polling import until

Err = type[errors.TesseraError]


@attrs.frozen
class Case:
    fault: Fault
    times: int
    raises: Err | None
    """None: the call succeeds."""
    attempts: int
    """Requests the route received for the one call."""
    timeout: float = 10.0


GET_CASES: dict[str, Case] = {
    "5xx burst within the retries": Case(Fault.reply(503, {"detail": "down"}), 2, None, 3),
    "5xx burst past the retries": Case(Fault.reply(503, {"detail": "down"}), 3, errors.ServerError, 3),
    "500 once": Case(Fault.reply(500), 1, None, 2),
    "proxy HTML 502 once": Case(Fault.html(502), 1, None, 2),
    "proxy HTML 502 burst": Case(Fault.html(502), 3, errors.ServerError, 3),
    "captive portal HTML 200": Case(Fault.html(200), 1, errors.DecodeError, 1),
    "latency within the timeout": Case(Fault.delay(0.05), 1, None, 1),
    "latency past the timeout once": Case(Fault.delay(LATE), 1, None, 2, SHORT),
    "latency past the timeout, every attempt": Case(Fault.delay(LATE), 3, errors.RequestTimeout, 3, SHORT),
    "reset once": Case(Fault.reset(), 1, None, 2),
    "reset on every send": Case(Fault.reset(), 3, errors.TransportError, 3),
    "truncated JSON": Case(Fault.truncate(0.5), 1, errors.DecodeError, 1),
    "empty body": Case(Fault.truncate(0.0), 1, errors.DecodeError, 1),
    "reset mid-body once": Case(Fault.truncate(0.5, drop=True), 1, None, 2),
    "reset mid-body, every attempt": Case(Fault.truncate(0.5, drop=True), 3, errors.TransportError, 3),
    "wrong content type": Case(Fault.wrong_content_type("text/html"), 1, None, 1),
    "body that never finishes, once": Case(Fault.stall(0.5), 1, None, 2, SHORT),
    "body that never finishes, every attempt": Case(Fault.stall(0.5), 3, errors.RequestTimeout, 3, SHORT),
}


@attrs.frozen
class Route:
    """A GET of one vendor: its emulator, its route key, how to build a client and how to call it."""

    emu: Emulator
    key: str
    connect: Callable[..., Any]
    fetch: Callable[[Any], Awaitable[object]]


@pytest.fixture(params=["zapsign-password", "videsk-api-key"])
async def route(
    request: pytest.FixtureRequest, clock: ManualClock, zap: ZapSignEmulator, vid: VideskEmulator
) -> AsyncIterator[Route]:
    if request.param == "zapsign-password":
        yield Route(zap, DOCS, lambda **o: password_client(zap, clock, **o), lambda zs: zs.docs.list_docs())
    else:
        yield Route(vid, SEGMENTS, lambda **o: videsk_client(vid, clock, **o), lambda vd: vd.segments.list_segments())


@pytest.mark.parametrize("case", GET_CASES.values(), ids=GET_CASES.keys())
async def test_a_fault_on_a_get(route: Route, case: Case) -> None:
    route.emu.faults.add(route.key, case.fault, times=case.times)
    async with route.connect(timeout=case.timeout, max_retries=2) as client:
        outcome = await attempt(route.fetch(client))
        if case.raises is None:
            outcome.succeeded()
        else:
            outcome.failed(case.raises)
        assert route.emu.counts[route.key] == case.attempts
        assert outcome.seconds < case.attempts * case.timeout + SLACK  # no attempt outlived its timeout
        (await attempt(route.fetch(client))).succeeded()  # the queue is drained: the next call goes through
    assert route.emu.counts[route.key] == case.attempts + 1
    await no_client_task()


async def test_error_details_of_a_get(zap: ZapSignEmulator, clock: ManualClock) -> None:
    zap.faults.add(DOCS, Fault.html(502), times=3)
    zap.faults.add(DOCS, Fault.truncate(0.5))
    async with password_client(zap, clock) as zs:
        proxy = (await attempt(zs.docs.list_docs())).failed(errors.ServerError)
        cut = (await attempt(zs.docs.list_docs())).failed(errors.DecodeError)
    assert isinstance(proxy, errors.ServerError)
    assert (proxy.status, proxy.vendor) == (502, "zapsign")
    assert proxy.message.startswith("non-JSON error body")  # the page is not the message
    assert "nginx" not in str(proxy)
    assert str(cut).startswith("zapsign.list_docs: the body is not JSON")
    assert zap.counts[LOGIN] == 1


@pytest.mark.parametrize(
    ("fault", "raises"),
    [
        (Fault.reply(503), errors.ServerError),
        (Fault.reset(), errors.TransportError),
        (Fault.truncate(0.5, drop=True), errors.TransportError),
        (Fault.stall(0.5), errors.RequestTimeout),
    ],
    ids=["5xx", "reset", "reset mid-body", "stall"],
)
async def test_max_retries_zero_is_one_attempt(
    zap: ZapSignEmulator, clock: ManualClock, fault: Fault, raises: Err
) -> None:
    zap.faults.add(DOCS, fault, times=2)
    async with password_client(zap, clock, timeout=SHORT) as zs:
        (await attempt(zs.docs.list_docs(max_retries=0))).failed(raises)
    assert zap.counts[DOCS] == 1
    await no_client_task()


async def test_a_wrong_content_type_on_an_error_answer_keeps_its_mapping(
    zap: ZapSignEmulator, clock: ManualClock
) -> None:
    zap.faults.add(DOC, Fault.wrong_content_type("text/plain"))
    async with password_client(zap, clock) as zs:
        error = (await attempt(zs.docs.get_doc(doc_token="no-such-doc"))).failed(errors.NotFound)
    assert isinstance(error, errors.NotFound)
    assert error.status == 404
    assert zap.counts[DOC] == 1


async def test_a_same_origin_redirect_keeps_the_credential(zap: ZapSignEmulator, clock: ManualClock) -> None:
    zap.faults.add(DOCS, Fault.redirect(origin(zap.base_url), 302))
    async with password_client(zap, clock) as zs:
        page = (await attempt(zs.docs.list_docs(page=2))).succeeded()
    assert len(page.results) == 25
    assert zap.counts[DOCS] == 2  # the redirect, then the page, which the emulator let in


# --- a POST that is not retry-safe --------------------------------------------------------------------

POST_CASES: dict[str, tuple[Fault, Err]] = {
    "5xx": (Fault.reply(503), errors.ServerError),
    "proxy HTML 502": (Fault.html(502), errors.ServerError),
    "reset": (Fault.reset(), errors.TransportError),
    "reset mid-body": (Fault.truncate(0.5, drop=True), errors.TransportError),
    "truncated JSON": (Fault.truncate(0.5), errors.DecodeError),
    "latency past the timeout": (Fault.delay(LATE), errors.RequestTimeout),
    "body that never finishes": (Fault.stall(0.5), errors.RequestTimeout),
}
RAN_AT_THE_VENDOR = {"reset mid-body", "truncated JSON", "latency past the timeout", "body that never finishes"}
"""Faults that let the route run: the vendor created the document, the client never read the answer."""


@pytest.mark.parametrize(("fault", "raises"), POST_CASES.values(), ids=POST_CASES.keys())
async def test_a_post_that_is_not_retry_safe_is_sent_once(
    zap: ZapSignEmulator, clock: ManualClock, fault: Fault, raises: Err, request: pytest.FixtureRequest
) -> None:
    before = len(list(zap.store))
    zap.faults.add(CREATE, fault, times=3)
    body = zapsign.models.CreateDocRequest(name="NDA", signers=[zapsign.models.SignerRequest(name="Ana")])
    async with password_client(zap, clock, timeout=SHORT, max_retries=3) as zs:
        outcome = await attempt(zs.docs.create_doc(body=body))
    outcome.failed(raises)
    assert outcome.seconds < SHORT + SLACK
    assert zap.counts[CREATE] == 1
    ran = request.node.callspec.id in RAN_AT_THE_VENDOR
    await until(lambda: len(list(zap.store)) == before + ran)  # a late answer's route runs after the client left
    await no_client_task()


async def test_a_videsk_post_that_is_not_retry_safe_is_sent_once(vid: VideskEmulator, clock: ManualClock) -> None:
    segment = str(vid.catalog.segments[0]["id"])
    submit = "POST /public/video-contact-center/forms"
    async with videsk_client(vid, clock, max_retries=3) as vd:
        form = await vd.forms.get_form(segment_id=segment)
        fields = {str(field.name): field.id for field in form.form}
        values = [
            videsk.models.FormAnswer(id=fields["firstname"], value="Ana"),
            videsk.models.FormAnswer(id=fields["email"], value="ana@example.com"),
        ]
        body = videsk.models.FormSubmission(segment=segment, type=videsk.models.FormType.PRE_CALL, values=values)
        vid.faults.add(submit, Fault.truncate(0.5, drop=True), times=3)
        (await attempt(vd.forms.submit_form(body=body))).failed(errors.TransportError)
        vid.faults.clear()  # two were left: no retry took them
        vid.faults.add(submit, Fault.reply(502, {"name": "BadGateway", "message": "down"}), times=3)
        (await attempt(vd.forms.submit_form(body=body))).failed(errors.ServerError)
    assert vid.counts[submit] == 2
    assert len(vid.forms.submissions) == 1  # the first one was stored; its answer was cut
    await no_client_task()
