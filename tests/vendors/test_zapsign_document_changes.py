"""ZapSign's changes to documents after creation, end to end: update, envelope order, bulk notification,
reprocessing; and the headers of a webhook subscription."""

from __future__ import annotations

import datetime

import pytest

from tessera import errors, zapsign
from tessera.testing import ManualClock, ZapSignEmulator

M = zapsign.models


async def envelope(zs: zapsign.Client, *signers: M.SignerRequest) -> tuple[M.Doc, M.ExtraDoc]:
    doc = await zs.docs.create_doc(
        body=M.CreateDocRequest(name="Contrato", url_pdf="https://x.co/c.pdf", signers=list(signers))
    )
    extra = await zs.docs.upload_extra_doc(doc_token=doc.token, body=M.ExtraDocRequest(name="Anexo", url_pdf="u"))
    return doc, extra


async def test_a_pending_document_is_renamed_moved_and_given_a_deadline(
    zs_emu: ZapSignEmulator, zs: zapsign.Client
) -> None:
    doc, extra = await envelope(zs, M.SignerRequest(name="Ana"))
    updated = await zs.docs.update_doc(
        doc_token=doc.token,
        body=M.UpdateDocRequest(
            name="Contrato 2026",
            date_limit_to_sign=datetime.date(2026, 6, 26),
            folder_path="/Contratos/2026/",
            extra_docs=[M.ExtraDocRename(token=extra.token, name="Anexo I")],
        ),
    )
    assert updated.message == "Documento atualizado corretamente"
    detail = await zs.docs.get_doc(doc_token=doc.token)
    assert (detail.name, detail.folder_path) == ("Contrato 2026", "/Contratos/2026/")
    assert [e.name for e in detail.extra_docs or ()] == ["Anexo I"]
    assert detail.date_limit_to_sign == datetime.datetime(2026, 6, 26, tzinfo=datetime.UTC)
    assert zs_emu.counts["PUT /docs/{doc_token}/"] == 1


async def test_a_signed_document_is_not_changed(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    signed = next(d for d in zs_emu.store if d.status == "signed")
    with pytest.raises(errors.BadRequest, match="Only a document in progress"):
        await zs.docs.update_doc(doc_token=signed.token, body=M.UpdateDocRequest(name="Outro"))
    assert zs_emu.store.document(signed.token).name != "Outro"


async def test_an_envelope_takes_every_token_in_its_new_order(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    doc, extra = await envelope(zs, M.SignerRequest(name="Ana"))
    reordered = await zs.docs.reorder_envelope(
        doc_token=doc.token, body=M.ReorderEnvelopeRequest(document_display_order=[extra.token, doc.token])
    )
    assert reordered.message == "Documento atualizado corretamente"
    assert zs_emu.store.document(doc.token).display_order == [extra.token, doc.token]
    with pytest.raises(errors.BadRequest):
        await zs.docs.reorder_envelope(
            doc_token=doc.token, body=M.ReorderEnvelopeRequest(document_display_order=[doc.token])
        )


async def test_the_pending_signers_are_notified_then_a_cooldown(
    zs_emu: ZapSignEmulator, zs: zapsign.Client, clock: ManualClock
) -> None:
    doc, _ = await envelope(zs, M.SignerRequest(name="Ana", email="ana@x.co"), M.SignerRequest(name="Fulano de Tal"))
    result = await zs.docs.resend_notifications(doc_token=doc.token)
    assert (result.success, result.total_signers, result.sent_count, result.failed_count) == (True, 2, 1, 1)
    assert result.failed_signers == [M.FailedNotification(name="Fulano de Tal", reason="Sem email ou telefone")]
    assert zs_emu.notified == [doc.signers[0].token]

    async with zapsign.Client(
        auth=zapsign.ApiTokenAuth(zs_emu.api_token), base_url=zs_emu.base_url, max_retries=0
    ) as impatient:
        with pytest.raises(errors.RateLimited) as caught:
            await impatient.docs.resend_notifications(doc_token=doc.token)
    assert caught.value.retry_after == 600.0
    clock.advance(600)
    assert (await zs.docs.resend_notifications(doc_token=doc.token)).sent_count == 1


async def test_a_finished_document_has_nobody_to_notify(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    refused = next(d for d in zs_emu.store if d.status == "refused")
    with pytest.raises(errors.BadRequest) as caught:
        await zs.docs.resend_notifications(doc_token=refused.token)
    assert caught.value.body == {"message": "document_not_in_progress"}


async def test_a_document_is_reprocessed(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    signed = next(d for d in zs_emu.store if d.status == "signed")
    answer = await zs.docs.reprocess_doc(doc_token=signed.token, body=M.ReprocessDocRequest(send_webhook=True))
    assert answer.startswith("Documento reprocessado com sucesso.")
    assert zs_emu.reprocessed == [(signed.token, True, False)]
    with pytest.raises(errors.NotFound):
        await zs.docs.reprocess_doc(doc_token="nope", body=M.ReprocessDocRequest(resign_doc=True))


async def test_a_webhook_gets_its_headers(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    hook = await zs.webhooks.create_webhook(
        body=M.CreateWebhookRequest(url="https://hooks.example.com/zs", type=M.WebhookType.DOC_SIGNED)
    )
    await zs.webhooks.add_webhook_headers(
        body=M.WebhookHeadersRequest(id=hook.id, headers=[M.WebhookHeader(name="Authorization", value="Bearer t0k3n")])
    )
    assert zs_emu.webhooks[hook.id].headers == (("Authorization", "Bearer t0k3n"),)
    with pytest.raises(errors.NotFound):
        await zs.webhooks.add_webhook_headers(body=M.WebhookHeadersRequest(id=404, headers=[]))
