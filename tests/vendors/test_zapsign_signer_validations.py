"""ZapSign's identity validations of a signer, end to end: the attempts listed, the block after three
failures and its reset."""

from __future__ import annotations

import pytest

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator

M = zapsign.models


async def test_three_failures_block_a_signer_until_the_reset(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    doc = await zs.docs.create_doc(
        body=M.CreateDocRequest(name="Termo", url_pdf="https://x.co/t.pdf", signers=[M.SignerRequest(name="Ana")])
    )
    signer = doc.signers[0].token
    assert (await zs.signers.get_signer_validations(signer_token=signer)).validations == []
    with pytest.raises(errors.BadRequest) as caught:
        await zs.signers.reset_signer_attempts(signer_token=signer)
    assert caught.value.message == "Signatário tem tentativas"

    for reason in ("Document not recognized", "Face does not match", "Face does not match"):
        zs_emu.fail_validation(signer, reason)
    validations = await zs.signers.get_signer_validations(signer_token=signer)
    assert validations.selfie_validation_type == "identity-verification-global"
    assert [(v.type, v.status, v.reason) for v in validations.validations][-1] == (
        "Identity verification",
        "failed",
        "Face does not match",
    )
    reset = await zs.signers.reset_signer_attempts(signer_token=signer)
    assert reset.success == "As tentativas do signatário foram resetadas com sucesso."
    with pytest.raises(errors.BadRequest):  # three new attempts now
        await zs.signers.reset_signer_attempts(signer_token=signer)


async def test_an_unknown_signer_has_no_validations(zs: zapsign.Client) -> None:
    with pytest.raises(errors.NotFound):
        await zs.signers.get_signer_validations(signer_token="nope")
    with pytest.raises(errors.NotFound):
        await zs.signers.reset_signer_attempts(signer_token="nope")
