"""Every operation of specs/zapsign.yaml, called through the generated client against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tessera import errors, zapsign
from tessera.testing import ManualClock, ZapSignEmulator, emulator

SPEC = Path(__file__).parents[2] / "specs" / "zapsign.yaml"
M = zapsign.models


def spec_operations() -> set[str]:
    """Every operation of the spec as the emulator counts it: "METHOD /path/"."""
    paths: dict[str, dict[str, Any]] = yaml.safe_load(SPEC.read_text())["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item if method != "parameters"}


@pytest.fixture
async def emu() -> AsyncIterator[ZapSignEmulator]:
    emu = emulator("zapsign")
    async with emu:
        yield emu


@pytest.fixture
async def zs(emu: ZapSignEmulator) -> AsyncIterator[zapsign.Client]:
    async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as client:
        yield client


def nda(*signers: M.SignerRequest) -> M.CreateDocRequest:
    return M.CreateDocRequest(name="NDA", url_pdf="https://example.com/nda.pdf", signers=list(signers))


async def test_every_operation_of_the_spec(emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    """One pass over the documents, signers, templates and webhooks, each answer checked; the other operations of
    the reference (account, checks, ...) have files of their own, and test_zapsign_reference checks each has a test.
    """
    pair = await zs.auth.login(
        organization_id=emu.organization_id, body=M.LoginRequest(username=emu.username, password=emu.password)
    )
    refreshed = await zs.auth.refresh_token(body=M.RefreshRequest(refresh=pair.refresh))
    assert refreshed.access != pair.access
    assert (emu.logins, emu.refreshes) == (1, 1)

    page = await zs.docs.list_docs(page=1, status=M.DocStatus.SIGNED)
    assert (page.count, len(page.results)) == (20, 20)
    assert {d.status for d in page.results} == {M.DocStatus.SIGNED}
    doc = await zs.docs.create_doc(body=nda(M.SignerRequest(name="Dev"), M.SignerRequest(name="Ana", email="a@x.co")))
    queued = await zs.docs.create_doc_async(body=nda(M.SignerRequest(name="Bruno")))
    queued_signers = (await zs.docs.get_doc(doc_token=queued.token)).signers
    assert queued_signers is not None
    assert queued_signers[0].name == "Bruno"

    extra = await zs.docs.upload_extra_doc(doc_token=doc.token, body=M.ExtraDocRequest(name="Anexo", url_pdf="u"))
    dev, ana = doc.signers
    rubrica = M.Rubrica(page=0, relative_position_bottom=42.5, relative_position_left=65.71, signer_token=dev.token)
    await zs.docs.place_signatures(doc_token=doc.token, body=M.PlaceSignaturesRequest(rubricas=[rubrica]))
    assert emu.store.document(doc.token).rubricas[0]["relative_position_left"] == 65.71

    template_id = next(iter(emu.templates))
    data = [M.TemplateField(de="{{NOME COMPLETO}}", para="Dev Ops")]
    from_template = await zs.templates.create_doc_from_template(
        body=M.CreateDocFromTemplateRequest(template_id=template_id, signer_name="Dev Ops", data=data)
    )
    assert from_template.name == "Contrato de Admissão"
    queued_template = await zs.templates.create_doc_from_template_async(
        body=M.CreateDocFromTemplateRequest(template_id=template_id, signer_name="Carla")
    )
    template_detail = await zs.docs.get_doc(doc_token=from_template.token)
    assert template_detail.answers is not None
    assert template_detail.answers[0] == M.Answer(variable="NOME COMPLETO", value="Dev Ops")

    added = await zs.signers.add_signer(doc_token=doc.token, body=M.SignerRequest(name="Carla"))
    assert (await zs.signers.get_signer(signer_token=added.token)).name == "Carla"
    updated = await zs.signers.update_signer(signer_token=ana.token, body=M.SignerUpdateRequest(phone_number="999"))
    assert updated.phone_number == "999"
    assert (await zs.signers.remove_signer(signer_token=ana.token)).message == "Signer removed successfully."

    batch = M.SignBatchRequest(user_token=emu.user_token, signer_tokens=[dev.token, added.token])
    await zs.signers.sign_batch(body=batch)
    signed = await zs.docs.get_doc(doc_token=doc.token)
    assert signed.status is M.DocStatus.SIGNED
    assert signed.extra_docs is not None
    assert signed.extra_docs[0].token == extra.token
    assert signed.extra_docs[0].signed_file is not None

    refused = await zs.docs.refuse_doc(body=M.RefuseDocRequest(doc_token=queued.token, rejected_reason="No."))
    assert refused.message.startswith("Document successfully refused.")
    assert (await zs.docs.delete_doc(doc_token=queued_template.token)).deleted is True

    hook = await zs.webhooks.create_webhook(
        body=M.CreateWebhookRequest(
            url="https://hooks.example.com/zs",
            type=M.WebhookType.ALL_EVENTS,
            headers=[M.WebhookHeader(name="X-Secret", value="s3cret")],
        )
    )
    assert emu.webhooks[hook.id].type == ""
    await zs.webhooks.delete_webhook(body=M.DeleteWebhookRequest(id=hook.id))
    assert emu.webhooks == {}

    assert set(emu.counts) <= spec_operations()
    assert len(emu.counts) == 19
    assert emu.counts["POST /docs/{doc_token}/place-signatures/"] == 1
    assert emu.counts["GET /docs/{doc_token}/"] == 3


async def test_password_login_reaches_the_new_operations(emu: ZapSignEmulator) -> None:
    auth = zapsign.PasswordAuth(emu.organization_id, emu.username, emu.password)
    async with zapsign.Client(auth=auth, base_url=emu.base_url) as zs:
        hook = await zs.webhooks.create_webhook(
            body=M.CreateWebhookRequest(url="https://hooks.example.com/a", type=M.WebhookType.DOC_SIGNED)
        )
        queued = await zs.docs.create_doc_async(body=nda(M.SignerRequest(name="Dev")))
    assert emu.webhooks[hook.id].type == "doc_signed"
    assert emu.store.find(queued.token) is not None
    assert emu.logins == 1


async def test_the_unknowns_are_not_found(zs: zapsign.Client) -> None:
    with pytest.raises(errors.NotFound):
        await zs.templates.create_doc_from_template(
            body=M.CreateDocFromTemplateRequest(template_id="nope", signer_name="Ana")
        )
    with pytest.raises(errors.NotFound):
        await zs.webhooks.delete_webhook(body=M.DeleteWebhookRequest(id=404))
    with pytest.raises(errors.NotFound):
        await zs.signers.sign_batch(body=M.SignBatchRequest(user_token="someone-else", signer_tokens=[]))
    with pytest.raises(errors.NotFound):
        await zs.docs.upload_extra_doc(doc_token="nope", body=M.ExtraDocRequest(name="A", url_pdf="u"))


async def test_refusals_are_bad_requests_with_the_vendor_body(emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    doc = await zs.docs.create_doc(body=nda(M.SignerRequest(name="Ana", email="ana@x.co")))
    with pytest.raises(errors.BadRequest) as caught:
        await zs.docs.upload_extra_doc(doc_token=doc.token, body=M.ExtraDocRequest(name="No file"))
    assert caught.value.body == {"non_field_errors": ["Send url_pdf or base64_pdf."]}

    other = await zs.docs.create_doc(body=nda(M.SignerRequest(name="Bruno")))
    stranger = M.Rubrica(page=0, signer_token=other.signers[0].token)
    with pytest.raises(errors.BadRequest):
        await zs.docs.place_signatures(doc_token=doc.token, body=M.PlaceSignaturesRequest(rubricas=[stranger]))

    batch = M.SignBatchRequest(user_token=emu.user_token, signer_tokens=[doc.signers[0].token])
    with pytest.raises(errors.BadRequest, match="the signer's email is not the user's"):
        await zs.signers.sign_batch(body=batch)
    assert emu.store.signer(doc.signers[0].token).status == "new"


async def test_the_rate_limit_is_rate_limited_with_retry_after() -> None:
    clock = ManualClock()
    emu = emulator("zapsign", clock=clock, requests_per_minute=2)
    async with (
        emu,
        zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url, max_retries=0) as zs,
    ):
        await zs.docs.create_doc_async(body=nda(M.SignerRequest(name="Dev")))
        await zs.webhooks.create_webhook(
            body=M.CreateWebhookRequest(url="https://x.co", type=M.WebhookType.DOC_CREATED)
        )
        with pytest.raises(errors.RateLimited) as caught:
            await zs.docs.list_docs()
        clock.advance(40)
        assert (await zs.docs.list_docs()).count == 61
    assert caught.value.status == 429
    assert caught.value.retry_after == 40.0  # ManualClock starts 20 seconds into a minute
    assert emu.counts["GET /docs/"] == 2
