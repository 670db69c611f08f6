"""ZapSign's templates ("modelos"): DOCX documents with {{VARIABLES}}, filled in to create a document."""

from __future__ import annotations

import uuid
from typing import Final, cast

import attrs
from aiohttp import web

from .._drf import field_errors, invalid, json_object, not_found
from .._json import JsonObject
from .records import Document
from .store import DocumentStore

_SEEDED: Final = (
    ("Contrato de Admissão", ("NOME COMPLETO", "NÚMERO DO CPF", "ENDEREÇO COMPLETO")),
    ("Acuerdo de Confidencialidad", ("EMPRESA", "REPRESENTANTE", "FECHA")),
)
_REQUEST_FIELDS: Final = {"template_id": str, "signer_name": str, "signer_email": str, "lang": str}
_DATA_FIELDS: Final = {"de": str, "para": str}


@attrs.frozen
class Template:
    token: str
    name: str
    variables: tuple[str, ...]
    """The variable names, without the braces the template writes around them."""


def seeded_templates() -> dict[str, Template]:
    """The account's templates by token; tokens are the same on every run so they can be typed from a shell."""
    templates = (
        Template(token=str(uuid.uuid5(uuid.NAMESPACE_URL, f"zapsign-template:{n}")), name=name, variables=variables)
        for n, (name, variables) in enumerate(_SEEDED)
    )
    return {template.token: template for template in templates}


class ZapSignTemplates:
    """The handlers of /models/create-doc/ and its async variant."""

    def __init__(self, store: DocumentStore, templates: dict[str, Template]) -> None:
        self._store = store
        self._templates = templates

    async def create_doc_from_template(self, request: web.Request) -> web.Response:
        """The new document, with the template's variables and their values in `answers` (documented)."""
        document = self._create(await json_object(request))
        return web.json_response({**document.to_json(), "answers": document.answers})

    async def create_doc_from_template_async(self, request: web.Request) -> web.Response:
        return web.json_response({"token": self._create(await json_object(request)).token})

    def _create(self, body: JsonObject) -> Document:
        errors = field_errors(body, _REQUEST_FIELDS, required=("template_id", "signer_name"))
        data = body.get("data", [])
        if not isinstance(data, list):
            errors["data"] = [f'Expected a list of items but got type "{type(data).__name__}".']
        elif any(per_item := [field_errors(item, _DATA_FIELDS, required=_DATA_FIELDS.keys()) for item in data]):
            errors["data"] = per_item
        if errors:
            raise invalid(errors)
        template = self._templates.get(str(body["template_id"]))
        if template is None:
            raise not_found()
        # ZapSign's one signer of a template document has no phone unless one is sent.
        signer = {"name": body["signer_name"], "email": body.get("signer_email", ""), "phone_country": ""}
        fields: JsonObject = {
            "name": template.name,
            "signers": [signer],
            "lang": body.get("lang"),
            "external_id": body.get("external_id"),
        }
        document = self._store.create(fields)
        # `de` is the placeholder as the template writes it, "{{NOME COMPLETO}}"; unknown ones fill nothing.
        filled = cast(list[JsonObject], data)  # checked above
        values = {str(item["de"]).strip("{} "): str(item["para"]) for item in filled}
        document.answers = [{"variable": name, "value": values.get(name, "")} for name in template.variables]
        return document
