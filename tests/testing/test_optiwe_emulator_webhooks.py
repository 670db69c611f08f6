"""Conversation webhook bodies from the Optiwe emulator: the spec's envelope, for every event kind."""

from __future__ import annotations

import pytest

from tessera import optiwe
from tessera._runtime.conversion import Codec
from tessera.testing import ManualClock, emulator

# The Customer schema's required fields in specs/optiwe.yaml.
CUSTOMER_FIELDS = {
    "id",
    "fullName",
    "name",
    "email",
    "phone",
    "createdOn",
    "updatedOn",
    "lastActivity",
    "extraData",
    "hasWhatsappOptIn",
}
EVENT_MODELS = {
    "NEW_CONVERSATION": optiwe.models.NewConversationEvent,
    "NEW_MESSAGE": optiwe.models.NewMessageEvent,
    "FAILED_OUTBOUND_MESSAGE": optiwe.models.FailedOutboundMessageEvent,
    "CAMPAIGN_STATUS": optiwe.models.CampaignStatusEvent,
}


def decode(body: object) -> optiwe.models.ConversationEventEnvelope:
    """The body as the generated client's models read it, so it fits the spec or fails here."""
    return Codec().structure(body, optiwe.models.ConversationEventEnvelope, vendor="optiwe", operation="webhook")


def test_a_new_conversation_by_default(clock: ManualClock) -> None:
    emu = emulator("optiwe", clock=clock)

    body = emu.conversation_event()

    assert (body["timestamp"], body["version"], body["type"]) == (1_700_000_000, 1, "CONVERSATION_EVENT")
    event = body["payload"]
    assert isinstance(event, dict)
    assert event["type"] == "NEW_CONVERSATION"
    conversation = event["payload"]["conversation"]
    assert set(event["payload"]) == {"conversation"}
    assert conversation["customerChannel"] == {"type": "WHATSAPP"}
    assert set(conversation["customer"]) == CUSTOMER_FIELDS
    assert conversation["customer"]["hasWhatsappOptIn"] is True
    assert conversation["customer"]["updatedOn"] == "2023-11-14T22:13:20.000000Z"


@pytest.mark.parametrize(
    "kind",
    [
        "NEW_CONVERSATION",
        "NEW_MESSAGE",
        "FAILED_OUTBOUND_MESSAGE",
        "CAMPAIGN_STATUS",
    ],
)
def test_every_kind_fits_the_spec(kind: str) -> None:
    envelope = decode(emulator("optiwe").conversation_event(kind))

    assert isinstance(envelope.payload, EVENT_MODELS[kind])
    assert envelope.payload.type == kind


@pytest.mark.parametrize("kind", ["NEW_MESSAGE", "FAILED_OUTBOUND_MESSAGE"])
def test_message_events_carry_the_message(clock: ManualClock, kind: str) -> None:
    body = emulator("optiwe", clock=clock).conversation_event(kind, channel="INSTAGRAM", text="¿Tienen talla M?")

    event = body["payload"]
    assert isinstance(event, dict)
    assert event["type"] == kind
    assert set(event["payload"]) == {"conversation", "message"}
    assert event["payload"]["message"] == {
        "id": 1,
        "type": "TEXT",
        "text": "¿Tienen talla M?",
        "url": None,
        "createdOn": "2023-11-14T22:13:20.000000Z",
    }
    conversation = event["payload"]["conversation"]
    assert conversation["customerChannel"] == {"type": "INSTAGRAM"}
    assert conversation["customer"]["hasWhatsappOptIn"] is False


def test_a_campaign_status_names_its_campaign() -> None:
    event = emulator("optiwe").conversation_event("CAMPAIGN_STATUS")["payload"]
    assert event == {"type": "CAMPAIGN_STATUS", "payload": {"campaignId": 1, "status": "FINISHED"}}


def test_ids_never_repeat_and_time_follows_the_clock(clock: ManualClock) -> None:
    emu = emulator("optiwe", clock=clock)
    first = decode(emu.conversation_event())
    clock.advance(30)
    second = decode(emu.conversation_event(channel="OPTIWE_CHAT"))

    assert second.timestamp - first.timestamp == 30
    assert isinstance(first.payload, optiwe.models.NewConversationEvent)
    assert isinstance(second.payload, optiwe.models.NewConversationEvent)
    one, other = first.payload.payload.conversation, second.payload.payload.conversation
    assert one.id != other.id
    assert one.customer.id != other.customer.id
    assert one.customer.phone != other.customer.phone
    assert other.customer_channel.type is optiwe.models.ChannelType.OPTIWE_CHAT


@pytest.mark.parametrize(
    ("kind", "channel", "says"),
    [("NEW_CALL", "WHATSAPP", "unknown conversation event 'NEW_CALL'"), ("NEW_MESSAGE", "SMS", "unknown channel")],
)
def test_unknown_kinds_and_channels_are_refused(kind: str, channel: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        emulator("optiwe").conversation_event(kind, channel=channel)
