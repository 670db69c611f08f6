"""Bodies of the conversation webhook Optiwe posts, for tests of a receiver.

The envelope and NEW_CONVERSATION's payload are documented; the other events' payloads are inferred
(specs/optiwe.yaml marks them so). Each event concerns a new conversation with a customer of its own.
"""

from __future__ import annotations

import itertools
from typing import Final

from .._clock import TimeFunction, drf_timestamp
from .._json import JsonObject

EVENT_KINDS: Final = ("NEW_CONVERSATION", "NEW_MESSAGE", "FAILED_OUTBOUND_MESSAGE", "CAMPAIGN_STATUS")
CHANNEL_TYPES: Final = ("WHATSAPP", "FACEBOOK", "OPTIWE_CHAT", "INSTAGRAM", "FACEBOOK_COMMENT", "INSTAGRAM_COMMENT")
ENVELOPE_VERSION: Final = 1
_CUSTOMERS: Final = (("Ana", "Pérez"), ("Bruno", "Gómez"), ("Carla", "Díaz"), ("Diego", "Fernández"))
_DAY_SECONDS: Final = 24 * 3600


class ConversationEvents:
    """Builds CONVERSATION_EVENT envelopes stamped by the emulator's clock, with ids that never repeat."""

    def __init__(self, clock: TimeFunction) -> None:
        self._clock = clock
        self._ids = itertools.count(1)

    def event(self, kind: str, *, channel: str, text: str) -> JsonObject:
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown conversation event {kind!r}; there are: {', '.join(EVENT_KINDS)}")
        if channel not in CHANNEL_TYPES:
            raise ValueError(f"unknown channel type {channel!r}; there are: {', '.join(CHANNEL_TYPES)}")
        number, now = next(self._ids), self._clock()
        payload: JsonObject
        if kind == "CAMPAIGN_STATUS":
            payload = {"campaignId": number, "status": "FINISHED"}
        elif kind == "NEW_CONVERSATION":
            payload = {"conversation": _conversation(number, channel, now)}
        else:
            message = {"id": number, "type": "TEXT", "text": text, "url": None, "createdOn": drf_timestamp(now)}
            payload = {"conversation": _conversation(number, channel, now), "message": message}
        return {
            "timestamp": int(now),
            "version": ENVELOPE_VERSION,
            "type": "CONVERSATION_EVENT",
            "payload": {"type": kind, "payload": payload},
        }


def _conversation(number: int, channel: str, now: float) -> JsonObject:
    name, surname = _CUSTOMERS[(number - 1) % len(_CUSTOMERS)]
    customer = {
        "id": number,
        "fullName": f"{name} {surname}",
        "name": name,
        "email": f"{name.lower()}.{number}@example.com",
        "phone": f"+54911{number:08d}",
        "createdOn": drf_timestamp(now - _DAY_SECONDS),
        "updatedOn": drf_timestamp(now),
        "lastActivity": drf_timestamp(now),
        "extraData": {},
        "hasWhatsappOptIn": channel == "WHATSAPP",
    }
    return {"id": number, "customer": customer, "customerChannel": {"type": channel}}
