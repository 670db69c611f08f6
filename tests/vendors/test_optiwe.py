"""Optiwe's generated client against its emulator: every operation of the spec, and its refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tessera import errors, optiwe
from tessera.testing import OptiweEmulator, emulator

models = optiwe.models
ANA = "+5491112345678"


def order_shipped(**changes: object) -> models.WhatsappTemplateRequest:
    fields: dict[str, object] = {
        "key": "order_shipped",
        "name": "order_shipped",
        "text": "Hi {{1}}, your order {{2}} is on its way.",
        "example": "Hi Ana, your order 1234 is on its way.",
        "category": models.TemplateCategory.UTILITY,
        "template_type": models.TemplateType.TEXT,
        "language": models.TemplateLanguage.ENGLISH,
        **changes,
    }
    return models.WhatsappTemplateRequest(**fields)  # type: ignore[arg-type]


@pytest.fixture
async def emu() -> AsyncIterator[OptiweEmulator]:
    emu = emulator("optiwe")
    async with emu:
        yield emu


@pytest.fixture
async def ow(emu: OptiweEmulator) -> AsyncIterator[optiwe.Client]:
    async with optiwe.Client(token=emu.token, base_url=emu.base_url) as client:
        yield client


async def test_list_templates(emu: OptiweEmulator, ow: optiwe.Client) -> None:
    templates = await ow.templates.list_whatsapp_templates()

    assert [(t.key, t.status) for t in templates] == [("welcome", "APPROVED"), ("appointment_reminder", "APPROVED")]
    assert templates[0].language is models.TemplateLanguage.SPANISH
    buttons = templates[1].buttons or []
    assert [type(button) for button in buttons] == [models.UrlButton, models.PhoneNumberButton]
    assert emu.counts == {"GET /whatsapp-templates/": 1}


async def test_create_a_template_with_buttons(emu: OptiweEmulator, ow: optiwe.Client) -> None:
    buttons: list[models.TemplateButton] = [
        models.UrlButton(type="URL", text="Track", url="https://example.com/track"),
        models.PhoneNumberButton(type="PHONE_NUMBER", text="Call us", phone_number=ANA),
    ]

    created = await ow.templates.create_whatsapp_template(body=order_shipped(buttons=buttons))

    assert (created.id, created.key, created.status) == (3, "order_shipped", "PENDING")
    assert created.buttons == buttons
    assert created.template_type is models.TemplateType.TEXT
    assert [t.key for t in await ow.templates.list_whatsapp_templates()][-1] == "order_shipped"
    assert emu.counts["POST /whatsapp-templates/"] == 1


async def test_quick_replies(ow: optiwe.Client) -> None:
    replies: list[models.TemplateButton] = [
        models.QuickReplyButton(type="QUICK_REPLY", text="Yes"),
        models.QuickReplyButton(type="QUICK_REPLY", text="No"),
    ]
    created = await ow.templates.create_whatsapp_template(body=order_shipped(buttons=replies))
    assert created.buttons == replies


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"key": "Order-Shipped"}, "key: only lowercase letters, digits and _ are allowed."),
        ({"name": "order shipped"}, "name: only lowercase letters, digits and _ are allowed."),
        (
            {"buttons": [models.QuickReplyButton(type="QUICK_REPLY", text=text) for text in ("a", "b", "c")]},
            "buttons: at most 2 buttons are allowed.",
        ),
        (
            {
                "buttons": [
                    models.QuickReplyButton(type="QUICK_REPLY", text="Yes"),
                    models.UrlButton(type="URL", text="Track", url="https://example.com/track"),
                ]
            },
            "buttons: quick replies and call-to-action buttons cannot be mixed.",
        ),
    ],
)
async def test_template_rules_are_bad_requests(
    emu: OptiweEmulator, ow: optiwe.Client, changes: dict[str, object], says: str
) -> None:
    with pytest.raises(errors.BadRequest) as caught:
        await ow.templates.create_whatsapp_template(body=order_shipped(**changes))
    assert caught.value.message == says
    assert caught.value.body == {"detail": says}
    assert len(await ow.templates.list_whatsapp_templates()) == 2


async def test_send_a_template(emu: OptiweEmulator, ow: optiwe.Client) -> None:
    sent = await ow.messages.send_template(
        body=models.SendTemplateRequest(template_key="welcome", phone=ANA, variables={"1": "Ana"})
    )

    assert (sent.id, sent.status) == (1, "QUEUED")
    assert [(m.phone, m.text) for m in emu.sent] == [
        (ANA, "Hola Ana, gracias por escribirnos. ¿En qué te podemos ayudar?")
    ]
    assert emu.counts == {"POST /whatsapp-templates/send/": 1}


async def test_send_an_unknown_template_is_not_found(ow: optiwe.Client) -> None:
    with pytest.raises(errors.NotFound, match=r"Template not found\."):
        await ow.messages.send_template(body=models.SendTemplateRequest(template_key="nope", phone=ANA))


async def test_a_pending_template_is_sent_once_approved(emu: OptiweEmulator, ow: optiwe.Client) -> None:
    await ow.templates.create_whatsapp_template(body=order_shipped())
    send = models.SendTemplateRequest(template_key="order_shipped", phone=ANA, variables={"1": "Ana", "2": "1234"})

    with pytest.raises(errors.BadRequest, match="not approved"):
        await ow.messages.send_template(body=send)
    emu.approve_template("order_shipped")

    assert (await ow.messages.send_template(body=send)).status == "QUEUED"
    assert emu.sent[-1].text == "Hi Ana, your order 1234 is on its way."


async def test_send_in_bulk(emu: OptiweEmulator, ow: optiwe.Client) -> None:
    recipients = [
        models.TemplateRecipient(phone=ANA, variables={"1": "Ana", "2": "May 20"}),
        models.TemplateRecipient(phone="+56912345678", variables={"1": "Bruno", "2": "May 21"}),
    ]

    sent = await ow.messages.send_template_bulk(
        body=models.SendTemplateBulkRequest(template_key="appointment_reminder", recipients=recipients)
    )

    assert (sent.id, sent.accepted) == (1, 2)
    assert [(m.phone, m.bulk_id) for m in emu.sent] == [(ANA, 1), ("+56912345678", 1)]
    assert emu.counts == {"POST /whatsapp-templates/send-bulk/": 1}


async def test_a_bad_recipient_refuses_the_whole_bulk_send(emu: OptiweEmulator, ow: optiwe.Client) -> None:
    recipients = [
        models.TemplateRecipient(phone=ANA, variables={"1": "Ana"}),
        models.TemplateRecipient(phone="0111234", variables={"1": "Bruno"}),
    ]
    with pytest.raises(errors.BadRequest, match=r"recipients\[1\]\.phone"):
        await ow.messages.send_template_bulk(
            body=models.SendTemplateBulkRequest(template_key="welcome", recipients=recipients)
        )
    assert emu.sent == []


async def test_a_token_signed_elsewhere_is_an_authentication_error(emu: OptiweEmulator) -> None:
    foreign = emulator("optiwe").token
    async with optiwe.Client(token=foreign, base_url=emu.base_url) as ow:
        with pytest.raises(errors.AuthenticationError, match=r"Error decoding signature\.") as caught:
            await ow.templates.list_whatsapp_templates()
    assert caught.value.status == 401
    assert foreign not in str(caught.value)
    assert foreign not in repr(caught.value)


async def test_a_token_past_its_exp_fails_before_any_request(emu: OptiweEmulator) -> None:
    token = emu.issue_token(expires_in=-60)
    async with optiwe.Client(token=token, base_url=emu.base_url) as ow:
        with pytest.raises(errors.TokenExpired, match="expired"):
            await ow.templates.list_whatsapp_templates()
    assert sum(emu.counts.values()) == 0


async def test_a_token_with_exp_ahead_is_accepted(emu: OptiweEmulator) -> None:
    async with optiwe.Client(token=emu.issue_token(expires_in=3600), base_url=emu.base_url) as ow:
        assert len(await ow.templates.list_whatsapp_templates()) == 2
