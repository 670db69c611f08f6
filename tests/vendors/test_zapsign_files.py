"""ZapSign's files through the client: documents from a local file (a path or bytes, base64 done by tessera),
and the temporary file links downloaded to bytes or to a path (BaseClient.download), against the emulator."""

from __future__ import annotations

import base64
import os
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from tessera import errors, zapsign
from tessera._runtime.localfiles import MAX_LOCAL_FILE_BYTES
from tessera.testing import ZapSignEmulator
from tessera.zapsign import models as M

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
FILES_ROUTE = "GET /files/pdf/{doc_token}/{file}"


def new_doc(**source: object) -> M.CreateDocRequest:
    return M.CreateDocRequest(name="NDA", signers=[M.SignerRequest(name="Ana", email="ana@example.com")], **source)  # type: ignore[arg-type]


def signed(emu: ZapSignEmulator, token: str) -> None:
    for signer in emu.store.document(token).signers:
        emu.store.sign(signer, "2026-11-30T12:00:00.000000Z")


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    path = tmp_path / "nda.pdf"
    path.write_bytes(PDF)
    return path


async def test_a_document_is_created_from_a_path_or_from_bytes(
    zs_emu: ZapSignEmulator, zs: zapsign.Client, pdf_file: Path
) -> None:
    from_path = await zs.docs.create_doc(body=new_doc(base64_pdf=pdf_file))
    assert zs_emu.received[-1].json()["base64_pdf"] == base64.b64encode(PDF).decode()  # type: ignore[index]
    assert zs_emu.store.document(from_path.token).source == PDF

    from_bytes = await zs.docs.create_doc(body=new_doc(base64_docx=b"PK\x03\x04 a docx"))
    assert zs_emu.store.document(from_bytes.token).source == b"PK\x03\x04 a docx"

    annex = await zs.docs.upload_extra_doc(
        doc_token=from_path.token, body=M.ExtraDocRequest(name="Anexo", base64_pdf=pdf_file)
    )
    assert zs_emu.store.find_extra_doc(annex.token).source == PDF  # type: ignore[union-attr]
    assert annex.original_file is not None
    assert await zs.download(annex.original_file) == PDF  # an annex's link is served as its document's


async def test_a_file_too_large_missing_or_not_bytes_is_refused_before_anything_is_sent(
    zs_emu: ZapSignEmulator, zs: zapsign.Client, tmp_path: Path
) -> None:
    too_large = tmp_path / "huge.pdf"
    with too_large.open("wb") as file:
        file.truncate(MAX_LOCAL_FILE_BYTES + 1)  # sparse: refused by its size, never read
    refusals = {
        too_large: "'huge.pdf' is larger than 67,108,864 bytes",
        tmp_path / "missing.pdf": "'missing.pdf' is not a file that can be read",
        tmp_path: f"{tmp_path.name!r} is not a file that can be read",  # a folder
        "JVBERi0=": "expected bytes or a path (pathlib.Path), got str",  # base64 text, as before 0.2
    }
    for given, message in refusals.items():
        with pytest.raises(errors.InvalidArgument) as caught:
            await zs.docs.create_doc(body=new_doc(base64_pdf=given))
        assert f"zapsign.create_doc: body $.base64_pdf: {message}" in str(caught.value)
        assert caught.value.argument == "body"
    with pytest.raises(errors.InvalidArgument, match=r"body \$\.base64_docx: 'missing.docx' is not a file"):
        await zs.templates.create_template(body=M.CreateTemplateRequest(base64_docx=tmp_path / "missing.docx"))
    assert zs_emu.counts["POST /docs/"] == zs_emu.counts["POST /templates/create/"] == 0


async def test_base64_that_is_not_valid_is_refused_by_the_emulator_as_zapsign_does(zs: zapsign.Client) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        await zs.docs.create_doc(body=new_doc(), extra_body={"base64_pdf": "not base64!"})
    assert caught.value.body == {"base64_pdf": ["Please upload a valid file."]}


async def test_a_signed_file_downloads_to_bytes_or_to_a_path(
    zs_emu: ZapSignEmulator, zs: zapsign.Client, pdf_file: Path, tmp_path: Path
) -> None:
    doc = await zs.docs.create_doc(body=new_doc(base64_pdf=pdf_file))
    assert doc.original_file is not None
    assert doc.original_file.startswith(zs_emu.base_url + "/files/pdf/")
    assert await zs.download(doc.original_file) == PDF
    signed(zs_emu, doc.token)
    signed_file = (await zs.docs.get_doc(doc_token=doc.token)).signed_file
    assert signed_file is not None

    content = await zs.download(signed_file)
    assert content.startswith(PDF)
    assert content.endswith(b"%%EOF\n")
    assert len(content) > len(PDF)
    destination = tmp_path / "signed.pdf"
    assert await zs.download(signed_file, destination) == len(content)
    assert destination.read_bytes() == content
    with pytest.raises(errors.InvalidArgument, match="max_response_bytes bounds a download into memory"):
        await zs.download(signed_file, destination, max_response_bytes=10)  # type: ignore[call-overload]
    with pytest.raises(errors.InvalidArgument, match="not a file in an existing folder") as caught:
        await zs.download(signed_file, tmp_path / "no-such-folder" / "signed.pdf")
    assert caught.value.argument == "destination"
    assert zs_emu.counts[FILES_ROUTE] == 3  # the refused ones sent nothing


async def test_a_file_larger_than_max_response_bytes_streams_to_a_path_in_bounded_memory(
    zs_emu: ZapSignEmulator, tmp_path: Path
) -> None:
    size = 32 * 1024 * 1024
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + os.urandom(size))
    async with zapsign.Client(
        auth=zapsign.ApiTokenAuth(zs_emu.api_token), base_url=zs_emu.base_url, max_response_bytes=1024 * 1024
    ) as zs:
        doc = await zs.docs.create_doc(body=new_doc(base64_pdf=big))
        assert doc.original_file is not None
        with pytest.raises(errors.ResponseTooLarge):
            await zs.download(doc.original_file)
        tracemalloc.start()
        try:
            written = await zs.download(doc.original_file, tmp_path / "copy.pdf")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert written == size + 9
    assert (tmp_path / "copy.pdf").read_bytes() == big.read_bytes()
    assert peak < 8 * 1024 * 1024, f"{peak:,} bytes at the peak for a {size:,}-byte file"


@pytest.fixture
async def session_with_cookie(zs_emu: ZapSignEmulator) -> AsyncIterator[aiohttp.ClientSession]:
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: it keeps cookies of an IP address (the emulator's)
    jar.update_cookies({"sessionid": "api-session"}, URL(zs_emu.base_url))
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield session


async def test_a_link_gets_none_of_the_clients_credentials_headers_or_cookies(
    zs_emu: ZapSignEmulator, session_with_cookie: aiohttp.ClientSession
) -> None:
    async with zapsign.Client(
        auth=zapsign.ApiTokenAuth(zs_emu.api_token),
        base_url=zs_emu.base_url,
        session=session_with_cookie,
        default_headers={"X-Team-Key": "team-secret"},
    ) as zs:
        doc = (await zs.docs.list_docs()).results[1]  # the seeded signed one: a made-up PDF
        api_call = zs_emu.received[-1].headers
        assert {"Authorization", "X-Team-Key", "Cookie"} <= set(api_call.keys())  # what a call carries
        assert doc.signed_file is not None
        assert (await zs.download(doc.signed_file)).startswith(b"%PDF-1.4\n")

    (link_request,) = [r for r in zs_emu.received if r.route == FILES_ROUTE]
    assert not {"Authorization", "X-Team-Key", "Cookie"} & set(link_request.headers.keys())
    assert zs_emu.api_token not in str(dict(link_request.headers))


async def test_a_link_must_be_https_unless_it_is_loopback(zs: zapsign.Client) -> None:
    for link, message in {
        "http://files.example.com/pdf/a/signed.pdf?Signature=sig-value": "plain http to files.example.com",
        "ftp://files.example.com/pdf/a/signed.pdf": "expected an absolute https:// link",
        "/pdf/a/signed.pdf": "expected an absolute https:// link",
        "https://user:pw@files.example.com/a.pdf": "carries a user name or password",
    }.items():
        with pytest.raises(errors.InvalidArgument, match=message) as caught:
            await zs.download(link)
        assert "sig-value" not in str(caught.value)
        assert "pw@" not in str(caught.value)
        assert caught.value.argument == "url"
    with pytest.raises(errors.InvalidArgument, match="expected the link as a str"):
        await zs.download(None)  # type: ignore[call-overload]


async def test_a_link_that_fails_raises_the_mapped_error_without_its_signature(
    zs_emu: ZapSignEmulator, zs: zapsign.Client
) -> None:
    doc = (await zs.docs.list_docs()).results[0]  # pending: no signed file yet
    link = f"{zs_emu.base_url}/files/pdf/{doc.token}/signed.pdf?X-Amz-Credential=AKIA&X-Amz-Signature=sig-value"
    with pytest.raises(errors.NotFound) as caught:
        await zs.download(link)
    assert caught.value.url is not None
    assert "sig-value" not in caught.value.url
    assert "AKIA" not in caught.value.url
    assert "sig-value" not in str(caught.value)
