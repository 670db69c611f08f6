"""Redirects: followed by tessera itself, never carrying a credential or a body to another host.

The other host is a recorder on 127.0.0.1 at another port (another origin), which keeps every request
it gets. A redirect to the emulator's own origin keeps the credential: the emulator lets it in.
"""

from __future__ import annotations

import datetime
import socket

import pytest

from tessera import errors, videsk, zapsign
from tessera.testing import Fault, ManualClock, VideskEmulator, ZapSignEmulator
from tests.faults.conftest import (
    CREATE,
    DOCS,
    EXPORT,
    SEGMENTS,
    Recorder,
    attempt,
    doc_page,
    no_client_task,
    origin,
    password_client,
    token_client,
    videsk_client,
)

CREDENTIAL_HEADERS = {"authorization", "x-api-token", "cookie", "proxy-authorization"}
STATUSES = [301, 302, 303, 307, 308]


def credentials_in(headers: dict[str, str] | object) -> set[str]:
    assert isinstance(headers, dict)
    return {name.lower() for name in headers} & CREDENTIAL_HEADERS


def _localhost_is_loopback_v4() -> bool:
    try:
        return any(info[4][0] == "127.0.0.1" for info in socket.getaddrinfo("localhost", 80))
    except OSError:
        return False


def export_request() -> videsk.models.ReportExportRequest:
    start = datetime.datetime(2023, 11, 1, tzinfo=datetime.UTC)
    return videsk.models.ReportExportRequest(
        sort={"createdAt": videsk.models.ReportExportRequestSort.INTEGER_1},
        start=start,
        end=start + datetime.timedelta(days=30),
        timezone="UTC",
    )


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("auth", ["password", "api_token"])
async def test_a_get_redirected_to_another_host_goes_without_the_credential(
    zap: ZapSignEmulator, clock: ManualClock, recorder: Recorder, status: int, auth: str
) -> None:
    recorder.reply = doc_page(count=7)
    zap.faults.add(DOCS, Fault.redirect(recorder.origin, status))
    connect = password_client if auth == "password" else token_client
    async with connect(zap, clock) as zs:
        page = (await attempt(zs.docs.list_docs(page=2))).succeeded()
    assert page.count == 7  # the other host's answer
    [seen] = recorder.seen
    assert (seen.method, seen.path_qs, seen.body) == ("GET", "/api/v1/docs/?page=2", b"")
    assert credentials_in(seen.headers) == set()
    for secret in (zap.api_token, zap.password):
        assert secret not in repr(seen)
    assert zap.counts[DOCS] == 1
    await no_client_task()


async def test_a_videsk_get_redirected_to_another_host_goes_without_the_api_key(
    vid: VideskEmulator, clock: ManualClock, recorder: Recorder
) -> None:
    recorder.reply = {"total": 0, "limit": 10, "skip": 0, "data": []}
    vid.faults.add(SEGMENTS, Fault.redirect(recorder.origin, 302))
    async with videsk_client(vid, clock) as vd:
        segments = (await attempt(vd.segments.list_segments())).succeeded()
    assert segments.total == 0
    [seen] = recorder.seen
    assert credentials_in(seen.headers) == set()
    assert vid.api_key not in repr(seen)
    await no_client_task()


async def test_a_post_redirected_by_303_to_another_host_goes_as_a_get_without_x_api_token(
    vid: VideskEmulator, clock: ManualClock, recorder: Recorder
) -> None:
    recorder.reply = {"$limit": 5000, "columns": ["id"], "data": []}
    vid.faults.add(EXPORT, Fault.redirect(recorder.origin, 303))
    async with videsk_client(vid, clock) as vd:
        report = await vd.reports.export_report(kind=videsk.models.ReportKind.QUEUES, body=export_request())
    assert report.columns == ["id"]
    [seen] = recorder.seen
    assert (seen.method, seen.path_qs, seen.body) == ("GET", "/public/video-contact-center/reports/exports/queues", b"")
    assert credentials_in(seen.headers) == set()
    assert vid.export_token not in repr(seen)
    await no_client_task()


@pytest.mark.parametrize("status", [307, 308])
async def test_a_post_redirected_to_the_same_origin_keeps_its_body_and_x_api_token(
    vid: VideskEmulator, clock: ManualClock, status: int
) -> None:
    vid.faults.add(EXPORT, Fault.redirect(origin(vid.base_url), status))
    async with videsk_client(vid, clock) as vd:
        report = await vd.reports.export_report(kind=videsk.models.ReportKind.QUEUES, body=export_request())
    assert report.limit == 5000  # the emulator checked X-API-Token and read the body
    assert vid.counts[EXPORT] == 2
    await no_client_task()


@pytest.mark.parametrize("status", STATUSES)
async def test_a_get_redirected_to_the_same_origin_keeps_the_credential(
    zap: ZapSignEmulator, clock: ManualClock, status: int
) -> None:
    zap.faults.add(DOCS, Fault.redirect(origin(zap.base_url), status))
    async with token_client(zap, clock) as zs:
        page = (await attempt(zs.docs.list_docs())).succeeded()
    assert page.count == 60
    assert zap.counts[DOCS] == 2  # the redirect, then the page: let in with the api_token
    await no_client_task()


@pytest.mark.parametrize("status", [307, 308])
async def test_a_post_with_a_body_redirected_to_another_host_is_refused(
    zap: ZapSignEmulator, clock: ManualClock, recorder: Recorder, status: int
) -> None:
    zap.faults.add(CREATE, Fault.redirect(recorder.origin, status))
    body = zapsign.models.CreateDocRequest(name="NDA", signers=[zapsign.models.SignerRequest(name="Ana")])
    async with password_client(zap, clock) as zs:
        error = (await attempt(zs.docs.create_doc(body=body))).failed(errors.TransportError)
        (await attempt(zs.docs.create_doc(body=body))).succeeded()  # the next one is not redirected
    assert f"redirected ({status}) to another host ({recorder.origin})" in str(error)
    assert "base_url" in str(error)
    assert recorder.seen == []  # the other host received nothing at all
    assert zap.counts[CREATE] == 2
    await no_client_task()


async def test_a_redirect_loop_ends_with_a_transport_error(zap: ZapSignEmulator, clock: ManualClock) -> None:
    zap.faults.add(DOCS, Fault.redirect(origin(zap.base_url), 302), times=20)
    async with token_client(zap, clock, max_retries=0) as zs:
        error = (await attempt(zs.docs.list_docs())).failed(errors.TransportError)
    assert "more than 10 redirects" in str(error)
    assert zap.counts[DOCS] == 11
    await no_client_task()


@pytest.mark.skipif(not _localhost_is_loopback_v4(), reason="localhost does not resolve to 127.0.0.1 here")
async def test_localhost_is_another_origin_than_127_0_0_1(zap: ZapSignEmulator, clock: ManualClock) -> None:
    # One server, two origins: the emulator itself sees the redirected request arrive without a token.
    port = zap.base_url.split(":")[2].split("/")[0]
    zap.faults.add(DOCS, Fault.redirect(f"http://localhost:{port}", 302))
    async with token_client(zap, clock, max_retries=0) as zs:
        error = (await attempt(zs.docs.list_docs())).failed(errors.TokenMissing)
    assert isinstance(error, errors.TokenMissing)
    assert error.message == "Authentication credentials were not provided."
    assert zap.counts[DOCS] == 2
    await no_client_task()
