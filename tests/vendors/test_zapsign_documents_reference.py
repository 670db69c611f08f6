"""ZapSign's document and signer pages beyond the core, end to end: OneClick, signer groups, the activity
history and the refusal by a user."""

from __future__ import annotations

import datetime

import pytest

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator

M = zapsign.models


def document(*signers: M.SignerRequest, **fields: object) -> M.CreateDocRequest:
    return M.CreateDocRequest(name="Termos", url_pdf="https://x.co/t.pdf", signers=list(signers), **fields)  # type: ignore[arg-type]


async def test_a_oneclick_document_has_oneclick_signing_links(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    doc = await zs.docs.create_doc(
        body=document(M.SignerRequest(name="Maria", email="maria@x.co"), one_click_active=True, require_signature=True)
    )
    assert (doc.one_click_active, doc.require_signature) == (True, True)
    assert doc.signers[0].sign_url == f"https://app.zapsign.com.br/verificar/oneclick/{doc.signers[0].token}"
    assert zs_emu.store.document(doc.token).one_click_active
    plain = await zs.docs.create_doc(body=document(M.SignerRequest(name="Ana")))
    assert plain.one_click_active is None
    assert plain.signers[0].sign_url == f"https://app.zapsign.com.br/verificar/{plain.signers[0].token}"


async def test_signer_groups_are_set_with_the_document_and_removed_apart(
    zs_emu: ZapSignEmulator, zs: zapsign.Client
) -> None:
    signers = [M.SignerRequest(name=n, order_group=g) for n, g in (("Ana", 1), ("Bruno", 1), ("Carla", 2))]
    groups = [
        M.SignatureGroup(order_group=1, title="Primeiro", minimum_signatures_required=1),
        M.SignatureGroup(order_group=2),
    ]
    doc = await zs.docs.create_doc(body=document(*signers, signature_order_active=True, signature_groups=groups))
    assert zs_emu.store.document(doc.token).signature_groups == [
        {"order_group": 1, "title": "Primeiro", "minimum_signatures_required": 1},
        {"order_group": 2},
    ]

    await zs.signers.delete_signature_groups(doc_token=doc.token)
    assert zs_emu.store.document(doc.token).signature_groups == []
    with pytest.raises(errors.NotFound):
        await zs.signers.delete_signature_groups(doc_token="nope")


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([1, 3], "A numeração dos grupos deve ser contínua. Valores esperados: [1, 2], valores fornecidos: [1, 3]"),
        ([1], "Há signatários neste documento que não foram incluídos em nenhum grupo."),
    ],
)
async def test_signer_groups_are_refused_as_the_page_says(
    zs_emu: ZapSignEmulator, zs: zapsign.Client, groups: list[int], message: str
) -> None:
    signers = [M.SignerRequest(name="Ana", order_group=1), M.SignerRequest(name="Bruno", order_group=3)]
    with pytest.raises(errors.BadRequest) as caught:
        await zs.docs.create_doc(
            body=document(*signers, signature_groups=[M.SignatureGroup(order_group=n) for n in groups])
        )
    assert caught.value.body == {"message": message}
    assert zs_emu.counts["POST /docs/"] == 1


async def test_the_activity_history_tells_creation_views_and_signatures(
    zs_emu: ZapSignEmulator, zs: zapsign.Client
) -> None:
    signed = next(d for d in zs_emu.store if d.status == "signed")
    history = await zs.docs.get_activity_history(doc_token=signed.token)
    assert [e.event for e in history] == [
        "Documento criado",
        *["Documento visualizado", "Documento assinado"] * len(signed.signers),
    ]
    assert history[0].user == zs_emu.username
    assert history[0].time == datetime.datetime.fromisoformat(signed.created_at)
    with pytest.raises(errors.NotFound):
        await zs.docs.get_activity_history(doc_token="nope")


async def test_a_user_refuses_a_document_they_sign(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    me = M.SignerRequest(name="Dev", email=zs_emu.username)
    doc = await zs.docs.create_doc(
        body=document(me, M.SignerRequest(name="Ana", email="ana@x.co"), allow_refuse_signature=True)
    )
    mine, theirs = doc.signers

    with pytest.raises(errors.BadRequest) as other:
        await zs.signers.refuse_doc_by_user(
            body=M.RefuseDocByUserRequest(doc_token=doc.token, user_token=zs_emu.user_token, signer_token=theirs.token)
        )
    assert other.value.message == "O e-mail do signatário e do usuário são diferentes"
    refused = await zs.signers.refuse_doc_by_user(
        body=M.RefuseDocByUserRequest(
            doc_token=doc.token, user_token=zs_emu.user_token, signer_token=mine.token, rejected_reason="Não."
        )
    )
    assert refused.message.startswith("Documento recusado com sucesso.")
    assert (zs_emu.store.document(doc.token).status, zs_emu.store.document(doc.token).rejected_reason) == (
        "refused",
        "Não.",
    )
    with pytest.raises(errors.PermissionDenied, match="A reprovação deste documento não é permitida"):
        await zs.signers.refuse_doc_by_user(
            body=M.RefuseDocByUserRequest(doc_token=doc.token, user_token=zs_emu.user_token, signer_token=mine.token)
        )


async def test_a_document_that_allows_no_refusal_is_not_refused(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    doc = await zs.docs.create_doc(body=document(M.SignerRequest(name="Dev", email=zs_emu.username)))
    with pytest.raises(errors.PermissionDenied):
        await zs.signers.refuse_doc_by_user(
            body=M.RefuseDocByUserRequest(
                doc_token=doc.token, user_token=zs_emu.user_token, signer_token=doc.signers[0].token
            )
        )
    with pytest.raises(errors.NotFound):
        await zs.signers.refuse_doc_by_user(
            body=M.RefuseDocByUserRequest(
                doc_token=doc.token, user_token="someone-else", signer_token=doc.signers[0].token
            )
        )
    assert zs_emu.store.document(doc.token).status == "pending"
