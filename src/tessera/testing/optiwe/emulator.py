"""The Optiwe emulator: WhatsApp templates and sending them, behind a workspace JWT."""

from __future__ import annotations

import time
from collections.abc import Iterable

from aiohttp import web

from .._clock import TimeFunction
from .._json import JsonObject
from .._server import Emulator, Route
from .auth import WorkspaceTokens
from .outbox import Outbox, SentMessage
from .templates import TemplateBook
from .webhooks import ConversationEvents


class OptiweEmulator(Emulator):
    """Optiwe's WhatsApp templates as specs/optiwe.yaml describes them, and its conversation webhooks.

    `token` is the workspace JWT, valid for `token_seconds` (None, the default: no exp, like the one the
    dashboard shows); `issue_token` makes more. Two approved templates, `welcome` and
    `appointment_reminder`, are there from the start; created ones stay PENDING until `approve_template`.
    """

    vendor = "optiwe"

    def __init__(self, *, clock: TimeFunction = time.time, port: int = 0, token_seconds: float | None = None) -> None:
        super().__init__(clock=clock, port=port)
        self._tokens = WorkspaceTokens(clock)
        self.token = self._tokens.issue(token_seconds)
        self.templates = TemplateBook()
        self._outbox = Outbox(self.templates)
        self._events = ConversationEvents(clock)

    @property
    def sent(self) -> list[SentMessage]:
        """Every message accepted for delivery, single and bulk sends alike, in order."""
        return self._outbox.messages

    def issue_token(self, *, expires_in: float | None) -> str:
        """Another token of the workspace, e.g. one that expires in a minute for tests of expiry."""
        return self._tokens.issue(expires_in)

    def approve_template(self, key: str) -> None:
        """Approve a created template, as Meta would after its review; KeyError for an unknown key."""
        self.templates.approve(key)

    def conversation_event(
        self, kind: str = "NEW_CONVERSATION", *, channel: str = "WHATSAPP", text: str = "Hola, ¿me pueden ayudar?"
    ) -> JsonObject:
        """A body of the conversation webhook: {timestamp, version, type: CONVERSATION_EVENT, payload}.

        `kind` is NEW_CONVERSATION, NEW_MESSAGE, FAILED_OUTBOUND_MESSAGE or CAMPAIGN_STATUS; `channel` a
        customer channel type; `text` the message of the two message events. ValueError for anything else.
        """
        return self._events.event(kind, channel=channel, text=text)

    def credentials(self) -> dict[str, str]:
        return {"token": self.token}

    def authenticate(self, request: web.Request) -> None:
        self._tokens.authenticate(request)

    def routes(self) -> Iterable[Route]:
        templates, outbox = self.templates, self._outbox
        return [
            Route("POST", "/whatsapp-templates/", templates.create_template),
            Route("GET", "/whatsapp-templates/", templates.list_templates),
            Route("POST", "/whatsapp-templates/send/", outbox.send),
            Route("POST", "/whatsapp-templates/send-bulk/", outbox.send_bulk),
        ]
