"""Sending approved templates, to one customer or many: what was sent is kept for tests to read."""

from __future__ import annotations

import itertools

import attrs
from aiohttp import web

from .._json import JsonObject
from .errors import invalid, json_object, optiwe_error
from .rules import recipient_values, render
from .templates import Template, TemplateBook


@attrs.frozen
class SentMessage:
    """One WhatsApp message accepted for delivery, its variables filled in."""

    id: int
    template_key: str
    phone: str
    text: str
    bulk_id: int | None = None
    """The bulk send it was part of; None for a single send."""


class Outbox:
    """The handlers of /whatsapp-templates/send/ and /whatsapp-templates/send-bulk/."""

    def __init__(self, templates: TemplateBook) -> None:
        self._templates = templates
        self._message_ids = itertools.count(1)
        self._bulk_ids = itertools.count(1)
        self.messages: list[SentMessage] = []

    async def send(self, request: web.Request) -> web.Response:
        body = await json_object(request)
        template = self._template(body)
        phone, values = recipient_values(body, template.text)
        message = self._queue(template, phone, render(template.text, values), bulk_id=None)
        return web.json_response({"id": message.id, "status": "QUEUED"})

    async def send_bulk(self, request: web.Request) -> web.Response:
        """All or nothing: one recipient refused refuses the send, before any message is queued."""
        body = await json_object(request)
        template = self._template(body)
        recipients = body.get("recipients")
        if not isinstance(recipients, list) or not recipients:
            raise invalid("recipients: a non-empty list of recipients is required.")
        checked = [
            recipient_values(recipient, template.text, f"recipients[{index}].")
            for index, recipient in enumerate(recipients)
        ]
        bulk_id = next(self._bulk_ids)
        for phone, values in checked:
            self._queue(template, phone, render(template.text, values), bulk_id=bulk_id)
        return web.json_response({"id": bulk_id, "accepted": len(checked)})

    def _template(self, body: JsonObject) -> Template:
        """The approved template `templateKey` names; 404 for an unknown one."""
        key = body.get("templateKey")
        if not isinstance(key, str) or not key:
            raise invalid("templateKey: This field is required.")
        template = self._templates.find(key)
        if template is None:
            raise optiwe_error(404, "Template not found.")
        if template.status != "APPROVED":
            raise invalid(f"templateKey: the template is not approved ({template.status}).")
        return template

    def _queue(self, template: Template, phone: str, text: str, bulk_id: int | None) -> SentMessage:
        message = SentMessage(next(self._message_ids), template.key, phone, text, bulk_id)
        self.messages.append(message)
        return message
