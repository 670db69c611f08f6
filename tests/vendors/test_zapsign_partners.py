"""ZapSign's partnerships (associated accounts and their payment status), end to end."""

from __future__ import annotations

import pytest

from tessera import errors, zapsign
from tessera.testing import ZapSignEmulator, emulator

M = zapsign.models
NEW_ACCOUNT = M.CreatePartnerAccountRequest(
    email="cliente@example.com", country=M.PartnerCountry.BR, lang="pt-br", company_name="Nome do cliente"
)


async def test_an_associated_account_comes_with_its_own_token(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    account = await zs.partners.create_partner_account(body=NEW_ACCOUNT)
    assert (account.name, account.timezone, account.credits_balance) == ("Nome do cliente", "America/Brasilia", 0)
    assert zs_emu.partner_accounts[account.api_token].member_email == "cliente@example.com"
    assert account.api_token not in repr(account)


async def test_an_account_is_refused_with_the_fields_under_data(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        await zs.partners.create_partner_account(
            body=M.CreatePartnerAccountRequest(country=M.PartnerCountry.MX, lang="es", company_name="")
        )
    assert caught.value.message == "Invalid Input"
    assert caught.value.body == {"message": "Invalid Input", "data": {"company_name": ["This field is required."]}}
    assert zs_emu.partner_accounts == {}


async def test_without_the_feature_accounts_are_refused() -> None:
    emu = emulator("zapsign", documents=0, partners=False)
    async with emu, zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as zs:
        with pytest.raises(errors.PermissionDenied, match="Plan necesario para crear empresa parceira"):
            await zs.partners.create_partner_account(body=NEW_ACCOUNT)


async def test_a_clients_payment_status_blocks_and_unblocks_it(zs_emu: ZapSignEmulator, zs: zapsign.Client) -> None:
    account = await zs.partners.create_partner_account(body=NEW_ACCOUNT)
    answer = await zs.partners.update_payment_status(
        body=M.PaymentStatusRequest(client_api_token=account.api_token, payment_status=M.PaymentStatus.INADIMPLENTE)
    )
    assert answer == "Status atualizado com sucesso."  # a bare JSON string, as documented
    assert zs_emu.partner_accounts[account.api_token].payment_status == "inadimplente"

    with pytest.raises(errors.NotFound) as missing:
        await zs.partners.update_payment_status(
            body=M.PaymentStatusRequest(client_api_token="no-such-token", payment_status=M.PaymentStatus.ADIMPLENTE)
        )
    assert missing.value.body == "A organização especificada não foi encontrada."
    with pytest.raises(errors.PermissionDenied):
        await zs.partners.update_payment_status(
            body=M.PaymentStatusRequest(client_api_token=zs_emu.api_token, payment_status=M.PaymentStatus.ADIMPLENTE)
        )
