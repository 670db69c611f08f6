"""What with_response() and an ApiError tell of the exchange: the body's bytes, the request's method and URL
(credentials in the query redacted), the vendor's request id and error code; against the emulators."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import attrs
import pytest

from tessera import errors, videsk, with_response, zapsign
from tessera._runtime.profile import VendorProfile
from tessera.testing import Fault, VideskEmulator, ZapSignEmulator, emulator
from tessera.zapsign._endpoints import Api
from tessera.zapsign._profile import PROFILE

DOC = "GET /docs/{doc_token}/"


@pytest.fixture
async def emu() -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign", documents=3)
    async with emu:
        yield emu


@pytest.fixture
async def zs(emu: ZapSignEmulator) -> AsyncIterator[zapsign.Client]:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as client:
        yield client


def client_of(profile: VendorProfile, emu: ZapSignEmulator) -> Api:
    """A ZapSign client whose profile is `profile`: what a spec saying more would generate."""
    return Api(
        profile,
        credentials=[zapsign.ApiTokenAuth(emu.api_token)],
        base_url=emu.base_url,
        timeout=10,
        max_retries=0,
        session=None,
        allow_insecure_http=False,
    )


async def test_with_response_gives_the_body_bytes_the_method_and_the_url(
    emu: ZapSignEmulator, zs: zapsign.Client
) -> None:
    page = await with_response(zs.docs.list_docs(page=1, extra_query={"lang": "es"}))
    assert json.loads(page.content)["count"] == page.parsed.count == 3
    assert page.method == "GET"
    assert page.url == f"{emu.base_url}/docs/?page=1&lang=es"
    assert page.request_id is None  # the emulator sends none
    created = await with_response(
        zs.docs.create_doc(
            body=zapsign.models.CreateDocRequest(
                name="NDA",
                url_pdf="https://example.com/a.pdf",
                signers=[zapsign.models.SignerRequest(name="Ana", email="ana@example.com")],
            )
        )
    )
    assert created.method == "POST"
    assert json.loads(created.content)["token"] == created.parsed.token
    assert "content" not in repr(created)  # a body may hold anything: it stays out of the repr


async def test_the_vendors_request_id_comes_from_its_usual_header_or_the_one_its_spec_names(
    emu: ZapSignEmulator, zs: zapsign.Client
) -> None:
    token = (await zs.docs.list_docs()).results[0].token
    body = (await with_response(zs.docs.get_doc(doc_token=token))).content
    emu.faults.add(DOC, Fault.reply(200, body, headers={"x-request-id": "req-1"}))
    emu.faults.add(DOC, Fault.reply(200, body, headers={"Request-Id": "req-2"}))
    assert (await with_response(zs.docs.get_doc(doc_token=token))).request_id == "req-1"
    assert (await with_response(zs.docs.get_doc(doc_token=token))).request_id == "req-2"

    # A spec's `request-id-header`.
    async with client_of(attrs.evolve(PROFILE, request_id_headers=("X-Vendor-Trace",)), emu) as client:
        emu.faults.add(DOC, Fault.reply(200, body, headers={"X-Request-Id": "usual", "X-Vendor-Trace": "named"}))
        assert (await with_response(client.docs.get_doc(doc_token=token))).request_id == "named"


async def test_an_api_error_carries_the_vendors_code_the_request_and_its_id(
    emu: ZapSignEmulator, zs: zapsign.Client
) -> None:
    emu.faults.add(DOC, Fault.reply(404, {"detail": "Not found.", "code": "not_found"}, headers={"X-Request-Id": "r9"}))
    with pytest.raises(errors.NotFound) as caught:
        await zs.docs.get_doc(doc_token="missing", extra_query={"api_token": emu.api_token, "lang": "es"})
    error = caught.value
    assert (error.code, error.method, error.request_id) == ("not_found", "GET", "r9")
    assert error.url == f"{emu.base_url}/docs/missing/?api_token=<redacted>&lang=es"
    assert emu.api_token not in error.url
    with pytest.raises(errors.NotFound) as caught:  # the emulator's own 404: DRF's, without a code
        await zs.docs.get_doc(doc_token="missing")
    assert (caught.value.code, caught.value.request_id) == (None, None)


async def test_with_response_and_errors_redact_the_query_credentials_of_the_spec_and_the_usual_names(
    emu: ZapSignEmulator,
) -> None:
    # The spec's apiKey schemes `in: query` name theirs (none of the four vendors has one yet).
    query = {"SessionKey": "s1", "ACCESS_TOKEN": "s2", "lang": "es"}
    async with client_of(attrs.evolve(PROFILE, secret_query_names=frozenset({"sessionKey"})), emu) as client:
        page = await with_response(client.docs.list_docs(extra_query=query))
        with pytest.raises(errors.NotFound) as caught:
            await client.docs.get_doc(doc_token="missing", extra_query=query)
    assert page.url == f"{emu.base_url}/docs/?SessionKey=<redacted>&ACCESS_TOKEN=<redacted>&lang=es"
    assert caught.value.url == page.url.replace("/docs/?", "/docs/missing/?")
    assert [r.query["SessionKey"] for r in emu.received if r.route in ("GET /docs/", DOC)] == ["s1", "s1"]


async def test_a_feathers_error_code_is_its_name(vd_emu: VideskEmulator) -> None:
    async with videsk.Client(api_key=vd_emu.api_key, base_url=vd_emu.base_url) as vd:
        with pytest.raises(errors.NotFound) as caught:
            await vd.forms.get_form(segment_id="no-such-segment")
    assert caught.value.code == "NotFound"
    assert caught.value.method == "GET"
    assert caught.value.url == f"{vd_emu.base_url}/public/video-contact-center/forms/no-such-segment"


@pytest.fixture
async def vd_emu() -> AsyncIterator[VideskEmulator]:
    emu = emulator("videsk")
    async with emu:
        yield emu


async def test_the_url_is_the_last_hops_after_a_redirect_to_another_origin(emu: ZapSignEmulator) -> None:
    # Another ZapSign, on localhost: another origin, which the answer then comes from. Our headers do not go
    # there, so it is asked through a token in the query, which ZapSign accepts too.
    other = emulator("zapsign", documents=1)
    async with (
        other as other_base_url,
        zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs,
    ):
        origin = other_base_url.replace("127.0.0.1", "localhost").removesuffix("/api/v1")
        emu.faults.add("GET /docs/", Fault.redirect(origin))
        page = await with_response(zs.docs.list_docs(extra_query={"api_token": other.api_token}))
    assert page.parsed.count == 1
    assert page.url == f"{origin}/api/v1/docs/?api_token=<redacted>"
