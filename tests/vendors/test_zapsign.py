"""ZapSign's generated client against its emulator: the CONTRACT.md lines with ApiTokenAuth, and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator, emulator


@pytest.fixture
async def emu() -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign")
    async with emu:
        yield emu


@pytest.fixture
async def zs(emu: ZapSignEmulator) -> AsyncIterator[zapsign.Client]:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as client:
        yield client


async def test_contract_list_get_iterate_create(emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    page = await zs.docs.list_docs(page=1)
    assert page.count == 60
    assert page.next is not None
    assert len(page.results) == 25
    doc = await zs.docs.get_doc(doc_token=page.results[0].token)
    assert doc.token == page.results[0].token
    assert isinstance(doc.status, zapsign.models.DocStatus)

    names = [d.name async for d in zs.docs.list_docs()]
    assert len(names) == 60
    assert emu.counts["GET /docs/"] == 1 + 3

    new = await zs.docs.create_doc(
        body=zapsign.models.CreateDocRequest(
            name="NDA",
            url_pdf="https://example.com/nda.pdf",
            signers=[zapsign.models.SignerRequest(name="Ana", email="ana@example.com")],
        )
    )
    assert new.name == "NDA"
    assert [s.name for s in new.signers] == ["Ana"]
    assert new.status is zapsign.models.DocStatus.PENDING
    assert (await zs.docs.get_doc(doc_token=new.token)).name == "NDA"
    assert emu.counts["POST /docs/"] == 1


async def test_signers_round_trip(zs: zapsign.Client) -> None:
    page = await zs.docs.list_docs()
    detail = await zs.docs.get_doc(doc_token=page.results[0].token)
    assert detail.signers is not None
    signer = await zs.signers.get_signer(signer_token=detail.signers[0].token)
    assert signer.token == detail.signers[0].token
    added = await zs.signers.add_signer(
        doc_token=detail.token, body=zapsign.models.SignerRequest(name="Bruno", email="bruno@example.com")
    )
    assert added.name == "Bruno"


async def test_an_unknown_document_is_not_found(zs: zapsign.Client) -> None:
    with pytest.raises(errors.NotFound) as caught:
        await zs.docs.get_doc(doc_token="no-such-doc")
    assert caught.value.status == 404
    assert caught.value.vendor == "zapsign"


async def test_a_wrong_api_token_is_an_authentication_error(emu: ZapSignEmulator) -> None:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth("not-the-token"), base_url=emu.base_url) as zs:
        with pytest.raises(errors.AuthenticationError) as caught:
            await zs.docs.list_docs()
    assert "not-the-token" not in str(caught.value)
    assert "not-the-token" not in repr(caught.value)


async def test_a_missing_field_is_a_bad_request_naming_it(zs: zapsign.Client) -> None:
    with pytest.raises(errors.BadRequest, match="signers"):
        await zs.docs.create_doc(body=zapsign.models.CreateDocRequest(name="NDA", signers=[]))


async def test_a_callers_session_is_used_and_left_open(emu: ZapSignEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with zapsign.Client(
            auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, session=session
        ) as zs:
            await zs.docs.list_docs()
        assert not session.closed
        async with zapsign.Client(
            auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, session=session
        ) as zs:
            await zs.docs.list_docs()
    assert emu.counts["GET /docs/"] == 2


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"base_url": "api.zapsign.com.br"}, "absolute http"),
        ({"base_url": "http://api.zapsign.com.br/api/v1"}, "allow_insecure_http"),
        ({"timeout": -1}, "timeout must be a positive"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_bad_configuration_is_refused_at_construction(kwargs: dict[str, object], says: str) -> None:
    with pytest.raises(errors.ConfigurationError, match=says):
        zapsign.Client(auth=zapsign.ApiTokenAuth("token"), **kwargs)  # type: ignore[arg-type]


def test_an_empty_api_token_is_refused() -> None:
    with pytest.raises(errors.ConfigurationError, match="api_token"):
        zapsign.ApiTokenAuth("")


def test_the_api_token_never_shows() -> None:
    auth = zapsign.ApiTokenAuth("s3cr3t-api-token")
    assert "s3cr3t" not in repr(auth)
    assert "s3cr3t" not in str(zapsign.Client(auth=auth).__dict__)


async def test_list_with_signers_shows_them_in_their_listed_shape(zs: zapsign.Client) -> None:
    page = await zs.docs.list_docs(include_signers=True, status=zapsign.models.DocStatus.SIGNED)
    listed = page.results[0].signers
    assert listed is not None
    assert {signer.status for signer in listed} == {zapsign.models.ListedSignerStatus.ASSINOU}
    assert all(signer.signing_url and signer.has_certificate is False for signer in listed)
    plain = await zs.docs.list_docs()
    assert plain.results[0].signers is None


async def test_the_detail_comes_in_each_published_shape(zs: zapsign.Client) -> None:
    """ZapSign publishes an older detail body (no sandbox, extra_docs, created_by, answers; signers without
    sign_url), a newer one, and a short one for an annex's token: the emulator answers all three."""
    page = await zs.docs.list_docs()
    details = [await zs.docs.get_doc(doc_token=doc.token) for doc in page.results[:4]]
    newer, older = [d for d in details if d.sandbox is not None], [d for d in details if d.sandbox is None]
    assert newer
    assert older
    assert all(d.created_by is not None and d.extra_docs is not None for d in newer)
    assert all((d.created_by, d.extra_docs, d.answers, d.created_through) == (None,) * 4 for d in older)
    assert all(s.sign_url is None and s.resend_attempts is None for d in older for s in d.signers or [])

    annex = await zs.docs.upload_extra_doc(
        doc_token=older[0].token, body=zapsign.models.ExtraDocRequest(name="Anexo", url_pdf="https://x.co/a.pdf")
    )
    short = await zs.docs.get_doc(doc_token=annex.token)
    assert (short.token, short.parent_doc_token, short.status, short.signers) == (
        annex.token,
        older[0].token,
        None,
        None,
    )
    with_annex = await zs.docs.get_doc(doc_token=older[0].token)  # an annex only the newer body shows
    assert with_annex.extra_docs is not None
    assert [extra.token for extra in with_annex.extra_docs] == [annex.token]


async def test_a_signer_s_detail_has_no_sign_url_and_adding_one_answers_it(zs: zapsign.Client) -> None:
    doc = (await zs.docs.list_docs()).results[0]
    added = await zs.signers.add_signer(doc_token=doc.token, body=zapsign.models.SignerRequest(name="Bruno"))
    assert added.sign_url is not None
    assert added.lock_name is False
    detail = await zs.signers.get_signer(signer_token=added.token)
    assert (detail.token, detail.sign_url, detail.resend_attempts) == (
        added.token,
        None,
        {"whatsapp": 0, "email": 0, "sms": 0},
    )
