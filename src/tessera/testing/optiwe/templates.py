"""A workspace's WhatsApp templates: two approved ones from the start, created ones pending Meta's review."""

from __future__ import annotations

import itertools
from typing import Final

import attrs
from aiohttp import web

from .._json import JsonObject
from .errors import invalid, json_object
from .rules import template_fields

_SEEDS: Final[tuple[JsonObject, ...]] = (
    {
        "key": "welcome",
        "name": "welcome",
        "text": "Hola {{1}}, gracias por escribirnos. ¿En qué te podemos ayudar?",
        "example": "Hola Ana, gracias por escribirnos. ¿En qué te podemos ayudar?",
        "category": "UTILITY",
        "templateType": "TEXT",
        "language": "SPANISH",
    },
    {
        "key": "appointment_reminder",
        "name": "appointment_reminder",
        "text": "Hi {{1}}, this is a reminder of your appointment on {{2}}.",
        "example": "Hi Ana, this is a reminder of your appointment on May 20 at 10:00.",
        "category": "UTILITY",
        "templateType": "TEXT",
        "language": "ENGLISH",
        "buttons": [
            {"type": "URL", "text": "Reschedule", "url": "https://example.com/reschedule"},
            {"type": "PHONE_NUMBER", "text": "Call us", "phoneNumber": "+5491112345678"},
        ],
    },
)


@attrs.define
class Template:
    id: int
    fields: JsonObject
    """What `template_fields` made of the create request."""
    status: str

    @property
    def key(self) -> str:
        return str(self.fields["key"])

    @property
    def text(self) -> str:
        return str(self.fields["text"])

    def to_json(self) -> JsonObject:
        return {"id": self.id, **self.fields, "status": self.status}


class TemplateBook:
    """Templates by key, in creation order, and the handlers of /whatsapp-templates/."""

    def __init__(self) -> None:
        self._templates: dict[str, Template] = {}
        self._ids = itertools.count(1)
        for seed in _SEEDS:
            self._add(template_fields(seed), status="APPROVED")

    def find(self, key: str) -> Template | None:
        return self._templates.get(key)

    def approve(self, key: str) -> None:
        """What Meta's approval does: the template may be sent from now on. KeyError for an unknown key."""
        self._templates[key].status = "APPROVED"

    async def create_template(self, request: web.Request) -> web.Response:
        """A new template, PENDING until Meta reviews it (in the emulator: until `approve` is called)."""
        fields = template_fields(await json_object(request))
        if str(fields["key"]) in self._templates:
            raise invalid("key: a template with this key already exists.")
        return web.json_response(self._add(fields, status="PENDING").to_json(), status=201)

    async def list_templates(self, request: web.Request) -> web.Response:
        return web.json_response([template.to_json() for template in self._templates.values()])

    def _add(self, fields: JsonObject, status: str) -> Template:
        template = Template(id=next(self._ids), fields=fields, status=status)
        self._templates[template.key] = template
        return template
