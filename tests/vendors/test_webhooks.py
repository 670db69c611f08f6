"""The generated webhooks of Optiwe and ZapSign on real bodies: the emulators' and VENDORS.md's shapes."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from tessera import errors, optiwe, zapsign
from tessera.testing import OptiweEmulator, ZapSignEmulator, emulator

OPTIWE_EVENTS: dict[str, type[Any]] = {
    "NEW_CONVERSATION": optiwe.webhooks.NewConversationEvent,
    "NEW_MESSAGE": optiwe.webhooks.NewMessageEvent,
    "FAILED_OUTBOUND_MESSAGE": optiwe.webhooks.FailedOutboundMessageEvent,
    "CAMPAIGN_STATUS": optiwe.webhooks.CampaignStatusEvent,
}


@pytest.fixture
def optiwe_emu() -> OptiweEmulator:
    return emulator("optiwe")


@pytest.fixture
def zapsign_emu() -> ZapSignEmulator:
    return emulator("zapsign", documents=3)


def as_sent(body: object) -> bytes:
    """The body as a receiver reads it off the request."""
    return json.dumps(body).encode()


# --------------------------------------------------------------------------- Optiwe


def test_the_vendor_packages_expose_their_webhooks() -> None:
    assert "webhooks" in optiwe.__all__
    assert "webhooks" in zapsign.__all__
    assert optiwe.webhooks.parse.__module__ == "tessera.optiwe.webhooks"
    assert zapsign.webhooks.parse.__module__ == "tessera.zapsign.webhooks"


def test_the_emulator_sends_exactly_the_event_kinds_the_spec_knows(optiwe_emu: OptiweEmulator) -> None:
    from tessera.testing.optiwe.webhooks import EVENT_KINDS  # noqa: PLC0415 - the emulator's own list

    assert set(EVENT_KINDS) == set(OPTIWE_EVENTS)
    # It refuses other kinds: the tests of unknown events edit a known one.
    with pytest.raises(ValueError, match="unknown conversation event"):
        optiwe_emu.conversation_event("CONVERSATION_CLOSED")


@pytest.mark.parametrize("kind", list(OPTIWE_EVENTS))
def test_a_known_conversation_event_decodes_into_its_model(optiwe_emu: OptiweEmulator, kind: str) -> None:
    body: dict[str, Any] = optiwe_emu.conversation_event(kind, channel="INSTAGRAM", text="¿Tienen stock?")
    sent = body["payload"]["payload"]

    event = optiwe.webhooks.parse(as_sent(body))

    assert isinstance(event, optiwe.webhooks.ConversationEventEnvelope)
    assert (event.timestamp, event.version, event.type) == (body["timestamp"], 1, "CONVERSATION_EVENT")
    assert type(event.payload) is OPTIWE_EVENTS[kind]
    assert event.payload.type == kind
    match event.payload:
        case optiwe.webhooks.CampaignStatusEvent(payload=status):
            assert status == sent  # its fields are not documented: kept as a mapping
            return
        case optiwe.webhooks.NewConversationEvent(payload=optiwe.models.ConversationPayload(conversation=conversation)):
            pass
        case (
            optiwe.webhooks.NewMessageEvent(payload=payload)
            | optiwe.webhooks.FailedOutboundMessageEvent(payload=payload)
        ):
            assert payload.message is not None
            assert payload.message.text == "¿Tienen stock?"
            assert payload.conversation is not None
            conversation = payload.conversation
    assert conversation.id == sent["conversation"]["id"]
    assert conversation.customer_channel.type is optiwe.models.ChannelType.INSTAGRAM
    assert conversation.customer.full_name == sent["conversation"]["customer"]["fullName"]
    assert conversation.customer.updated_on.tzinfo is not None


@pytest.mark.parametrize("kind", list(OPTIWE_EVENTS))
def test_bytes_text_and_a_decoded_body_parse_alike(optiwe_emu: OptiweEmulator, kind: str) -> None:
    body = optiwe_emu.conversation_event(kind)
    text = json.dumps(body)
    assert optiwe.webhooks.parse(text.encode()) == optiwe.webhooks.parse(text) == optiwe.webhooks.parse(body)
    assert optiwe.webhooks.parse(body) == optiwe.webhooks.parse_conversation_event(body)


@pytest.mark.parametrize("base_kind", list(OPTIWE_EVENTS))
def test_an_unknown_conversation_event_is_kept_whole(optiwe_emu: OptiweEmulator, base_kind: str) -> None:
    body: dict[str, Any] = optiwe_emu.conversation_event(base_kind)
    body["payload"]["type"] = "CONVERSATION_CLOSED"
    body["payload"]["payload"]["closedBy"] = {"agent": 12}

    event = optiwe.webhooks.parse(as_sent(body))

    assert isinstance(event, optiwe.webhooks.UnknownEvent)
    assert event.event_type == "CONVERSATION_CLOSED"
    assert event.body == body
    assert json.dumps(event.body).count('"closedBy": {"agent": 12}') == 1


# VENDORS.md: envelope {timestamp, version, type: "CONVERSATION_EVENT", payload: {type: "NEW_CONVERSATION",
# payload: {conversation: {id, customer: {id, fullName, name, email, phone, createdOn, updatedOn, lastActivity,
# extraData, hasWhatsappOptIn}, customerChannel: {type}}}}}.
DOCUMENTED_NEW_CONVERSATION = b"""{
  "timestamp": 1717171717,
  "version": 1,
  "type": "CONVERSATION_EVENT",
  "payload": {
    "type": "NEW_CONVERSATION",
    "payload": {
      "conversation": {
        "id": 4242,
        "customer": {
          "id": 77,
          "fullName": "Ana P\\u00e9rez",
          "name": "Ana",
          "email": null,
          "phone": "+5491112345678",
          "createdOn": "2024-05-30T10:00:00.000000Z",
          "updatedOn": "2024-05-31T16:08:37.000000Z",
          "lastActivity": "2024-05-31T16:08:37.000000Z",
          "extraData": {"plan": "gold"},
          "hasWhatsappOptIn": true
        },
        "customerChannel": {"type": "WHATSAPP"}
      }
    }
  }
}"""


def test_the_documented_new_conversation_body() -> None:
    event = optiwe.webhooks.parse(DOCUMENTED_NEW_CONVERSATION)

    assert isinstance(event, optiwe.webhooks.ConversationEventEnvelope)
    assert isinstance(event.payload, optiwe.webhooks.NewConversationEvent)
    customer = event.payload.payload.conversation.customer
    assert (event.payload.payload.conversation.id, customer.id, customer.full_name) == (4242, 77, "Ana Pérez")
    assert customer.email is None
    assert customer.extra_data == {"plan": "gold"}
    assert customer.last_activity == datetime.datetime(2024, 5, 31, 16, 8, 37, tzinfo=datetime.UTC)


@pytest.mark.parametrize("channel", [channel.value for channel in optiwe.models.ChannelType])
def test_every_documented_channel_type(channel: str) -> None:
    body = DOCUMENTED_NEW_CONVERSATION.replace(b'"WHATSAPP"', json.dumps(channel).encode())
    event = optiwe.webhooks.parse(body)
    assert isinstance(event, optiwe.webhooks.ConversationEventEnvelope)
    assert isinstance(event.payload, optiwe.webhooks.NewConversationEvent)
    assert event.payload.payload.conversation.customer_channel.type == channel


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda body: body["payload"]["payload"]["conversation"].update(id="4242"),
            "$.payload.payload.conversation.id",
        ),
        (
            lambda body: body["payload"]["payload"]["conversation"].pop("customer"),
            "$.payload.payload.conversation.customer",
        ),
        (lambda body: body.update(timestamp="yesterday"), "$.timestamp"),
        (lambda body: body.update(type="USER_EVENT"), "$.type"),
        (lambda body: body["payload"].pop("type"), "$.payload.type"),
        (lambda body: body["payload"].update(type=None), "$.payload.type"),
    ],
)
def test_a_conversation_event_that_does_not_fit_is_a_decode_error_naming_the_field(change: Any, path: str) -> None:
    body = json.loads(DOCUMENTED_NEW_CONVERSATION)
    change(body)
    with pytest.raises(errors.DecodeError) as caught:
        optiwe.webhooks.parse(as_sent(body))
    assert caught.value.path == path
    assert (caught.value.vendor, caught.value.operation) == ("optiwe", "webhooks.conversation_event")


@pytest.mark.parametrize("body", [b"", b"OK", b"<html><body>Bad Gateway</body></html>", b"\xff\xfe", b'"text"', b"[]"])
def test_a_body_that_is_not_a_json_object_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(errors.DecodeError) as caught:
        optiwe.webhooks.parse(body)
    assert caught.value.path == "$"
    with pytest.raises(errors.DecodeError):
        zapsign.webhooks.parse(body)


# VENDORS.md: the external-system webhook posts {id, customer{...}, customerChannel{type}, ownedByAgentType, ownedBy,
# agents[], createdOn, updatedOn}.
def external_system_body(optiwe_emu: OptiweEmulator) -> dict[str, Any]:
    event: dict[str, Any] = optiwe_emu.conversation_event()
    conversation: dict[str, Any] = event["payload"]["payload"]["conversation"]
    return {
        **conversation,
        "ownedByAgentType": "BOT",
        "ownedBy": {"id": 3, "name": "Optibot"},
        "agents": [{"id": 3}, {"id": 9}],
        "createdOn": "2024-05-31T16:00:00.000000Z",
        "updatedOn": "2024-05-31T16:08:37.000000Z",
    }


def test_the_external_system_webhook_decodes_into_its_model(optiwe_emu: OptiweEmulator) -> None:
    body = external_system_body(optiwe_emu)

    conversation = optiwe.webhooks.parse_external_system_event(as_sent(body))

    assert isinstance(conversation, optiwe.webhooks.ExternalSystemConversation)
    assert conversation.id == body["id"]
    assert conversation.owned_by_agent_type == "BOT"
    assert conversation.owned_by == {"id": 3, "name": "Optibot"}
    assert conversation.agents == [{"id": 3}, {"id": 9}]
    assert conversation.customer_channel.type is optiwe.models.ChannelType.WHATSAPP
    assert conversation.created_on < conversation.updated_on


def test_an_external_system_body_that_does_not_fit_is_a_decode_error(optiwe_emu: OptiweEmulator) -> None:
    body = external_system_body(optiwe_emu)
    del body["updatedOn"]
    with pytest.raises(errors.DecodeError) as caught:
        optiwe.webhooks.parse_external_system_event(as_sent(body))
    assert caught.value.path == "$.updatedOn"  # the JSON name, not the attribute
    assert caught.value.operation == "webhooks.external_system_event"
    # A conversation event is not what this webhook posts.
    with pytest.raises(errors.DecodeError):
        optiwe.webhooks.parse_external_system_event(optiwe_emu.conversation_event())


# --------------------------------------------------------------------------- ZapSign


def document_event(emu: ZapSignEmulator, event_type: str, *, detail: bool = False) -> dict[str, Any]:
    """The document JSON plus event_type, as ZapSign posts it (VENDORS.md)."""
    document = next(iter(emu.store))
    return {**(document.detail() if detail else document.to_json()), "event_type": event_type}


@pytest.mark.parametrize("detail", [False, True], ids=["created-shape", "detail-shape"])
@pytest.mark.parametrize("event_type", ["doc_signed", "doc_archived"], ids=["known", "unknown"])
def test_a_document_event_decodes_with_its_event_type_kept(
    zapsign_emu: ZapSignEmulator, event_type: str, detail: bool
) -> None:
    body = document_event(zapsign_emu, event_type, detail=detail)

    event = zapsign.webhooks.parse(as_sent(body))

    assert isinstance(event, zapsign.webhooks.DocWebhookEvent)
    assert event.event_type == event_type
    assert (event.token, event.open_id, event.name) == (body["token"], body["open_id"], body["name"])
    assert event.status == body["status"]
    assert event.signers is not None
    assert event.created_at is not None
    assert [signer.token for signer in event.signers] == [signer["token"] for signer in body["signers"]]
    assert event.created_at.isoformat().startswith(body["created_at"][:19])


def test_every_webhook_type_a_subscription_names_decodes(zapsign_emu: ZapSignEmulator) -> None:
    from tessera.testing.zapsign.webhooks import WEBHOOK_TYPES  # noqa: PLC0415 - the emulator's own list

    for event_type in [kind for kind in WEBHOOK_TYPES if kind] + ["doc_expired", "doc_viewed", "created_signer"]:
        assert zapsign.webhooks.parse(document_event(zapsign_emu, event_type)).event_type == event_type


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda body: body.pop("event_type"), "$.event_type"),
        (lambda body: body.update(event_type=3), "$.event_type"),
        (lambda body: body.update(signers="none"), "$.signers"),
        (lambda body: body["signers"][0].pop("token"), "$.signers[0].token"),
        (lambda body: body.pop("status"), "$.status"),
        (lambda body: body.update(status=5), "$.status"),  # a status the spec does not list is kept: a number is not
    ],
)
def test_a_document_event_that_does_not_fit_is_a_decode_error_naming_the_field(
    zapsign_emu: ZapSignEmulator, change: Any, path: str
) -> None:
    body = document_event(zapsign_emu, "doc_signed")
    change(body)
    with pytest.raises(errors.DecodeError) as caught:
        zapsign.webhooks.parse(as_sent(body))
    assert caught.value.path == path
    assert (caught.value.vendor, caught.value.operation) == ("zapsign", "webhooks.doc_event")
