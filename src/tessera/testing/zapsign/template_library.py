"""ZapSign's template library: templates created from a DOCX, listed, configured, deleted, and annexed to documents.

The templates documents are made from (`Template`, in `templates`) hold a name and variables; what the
library pages show besides (language, folder, the signer's settings, the form's inputs) is kept here.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import uuid
import zipfile
from typing import Final, cast

import attrs
from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import field_errors, invalid, json_object, not_found, page
from .._errors import ErrorReply
from .._json import JsonObject
from .store import MAX_EXTRA_DOCS, DocumentStore
from .templates import Template

TEMPLATES_PAGE_SIZE: Final = 20
FILES_URL: Final = "https://zapsign.s3.amazonaws.com/templates/"
_VARIABLE: Final = re.compile(r"\{\{([^{}]+)\}\}")
_XML_TAG: Final = re.compile(r"<[^>]+>")
_SETTINGS_FIELDS: Final = {
    "name": str,
    "docx_url": str,
    "base64_docx": str,
    "lang": str,
    "folder_token": str,
    "folder_path": str,
    "redirect_link": str,
}
_FIRST_SIGNER_FIELDS: Final = {
    "blank_email": bool,
    "blank_phone": bool,
    "qualification": str,
    "auth_mode": str,
    "require_selfie_photo": bool,
    "require_document_photo": bool,
    "selfie_validation_type": str,
}
_INPUT_FIELDS: Final = {
    "variable": str,
    "input_type": str,
    "label": str,
    "help_text": str,
    "options": str,
    "required": bool,
    "order": int,
}
_FORM_FIELDS: Final = {"template_id": str, "custom_intro": str, "youtube_video_code": str}


@attrs.define
class TemplateSettings:
    """What a template's detail shows besides its name: the signer it defines, its form, where it lives."""

    created_at: str
    last_update_at: str
    inputs: list[JsonObject]
    lang: str = "pt-br"
    active: bool = True
    folder_path: str = "/"
    redirect_link: str = ""
    observers: list[str] = attrs.Factory(list)
    first_signer: JsonObject = attrs.Factory(dict)
    custom_intro: str = ""
    youtube_video_code: str = ""

    def signer(self) -> JsonObject:
        """The template's one signer; name, email and phone come with each document made from it."""
        settings = self.first_signer
        return {
            "name": "Signatário 1",
            "auth_mode": settings.get("auth_mode") or "assinaturaTela",
            "email": "",
            "phone_country": "55",
            "phone_number": "",
            "lock_name": True,
            "lock_phone": False,
            "lock_email": False,
            "hide_phone": False,
            "blank_phone": settings.get("blank_phone", False),
            "hide_email": False,
            "blank_email": settings.get("blank_email", False),
            "require_selfie_photo": settings.get("require_selfie_photo", False),
            "require_document_photo": settings.get("require_document_photo", False),
            "selfie_validation_type": settings.get("selfie_validation_type") or "none",
            "qualification": settings.get("qualification", ""),
        }


def default_inputs(variables: tuple[str, ...]) -> list[JsonObject]:
    """One required text input per variable, labelled with its name, as ZapSign sets up a new template."""
    return [
        {
            "variable": f"{{{{{name}}}}}",
            "input_type": "input",
            "label": name,
            "help_text": "",
            "options": "",
            "required": True,
            "order": order,
        }
        for order, name in enumerate(variables, 1)
    ]


def docx_variables(docx: bytes) -> tuple[str, ...] | None:
    """The {{variables}} of a DOCX's text in order of appearance, each once; None when it is not a DOCX."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            xml = archive.read("word/document.xml").decode()
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return None
    # Word splits a paragraph into runs anywhere, a variable included: read the text without the tags.
    names = (match.strip() for match in _VARIABLE.findall(_XML_TAG.sub("", xml)))
    return tuple(dict.fromkeys(names))


class ZapSignTemplateLibrary:
    """The handlers of /templates/ and /models/{doc_token}/upload-extra-doc/.

    `templates` is the emulator's dict of templates by token, shared with the handlers that create documents
    from them; `settings` holds what else the library shows of each.
    """

    def __init__(self, store: DocumentStore, templates: dict[str, Template], clock: TimeFunction) -> None:
        self._store = store
        self._templates = templates
        self._clock = clock
        stamp = drf_timestamp(clock())
        self.settings: dict[str, TemplateSettings] = {
            token: TemplateSettings(created_at=stamp, last_update_at=stamp, inputs=default_inputs(t.variables))
            for token, t in templates.items()
        }

    async def list_templates(self, request: web.Request) -> web.Response:
        tokens = list(self._templates)
        return web.json_response(page(request, tokens, TEMPLATES_PAGE_SIZE, self._summary))

    async def create_template(self, request: web.Request) -> web.Response:
        """A template from base64_docx (its variables read from the file) or docx_url (not fetched: none)."""
        body = await json_object(request)
        if errors := _settings_errors(body):
            raise invalid(errors)
        variables: tuple[str, ...] = ()
        if "base64_docx" in body:
            try:
                docx = base64.b64decode(str(body["base64_docx"]), validate=True)
            except binascii.Error:
                docx = b""
            found = docx_variables(docx)
            if found is None:
                raise invalid({"base64_docx": ["The file is not a valid DOCX."]})  # inferred
            variables = found
        elif "docx_url" not in body:
            raise invalid({"non_field_errors": ["Send docx_url or base64_docx."]})  # inferred
        token = str(uuid.uuid4())
        self._templates[token] = Template(token=token, name=str(body.get("name") or "Modelo"), variables=variables)
        stamp = drf_timestamp(self._clock())
        settings = TemplateSettings(created_at=stamp, last_update_at=stamp, inputs=default_inputs(variables))
        self.settings[token] = settings
        _apply(settings, body)
        return web.json_response(self._detail(token, with_form=True))

    async def get_template(self, request: web.Request) -> web.Response:
        """The documented detail has no form fields (custom_intro, ...), unlike the answers of changes."""
        return web.json_response(self._detail(self._token(request), with_form=False))

    async def update_template(self, request: web.Request) -> web.Response:
        token = self._token(request)
        body = await json_object(request)
        errors = _settings_errors(body)
        if "active" in body and not isinstance(body["active"], bool):
            errors["active"] = ["Must be a valid boolean."]
        for name in ("docx_url", "base64_docx"):
            if name in body:
                # Documented: a template's file never changes; a new one takes a new template.
                errors[name] = ["The file of a template cannot be changed: create a new template."]
        if errors:
            raise invalid(errors)
        if isinstance(body.get("name"), str) and body["name"]:
            self._templates[token] = attrs.evolve(self._templates[token], name=str(body["name"]))
        settings = self.settings[token]
        _apply(settings, body)
        if "active" in body:
            settings.active = bool(body["active"])
        settings.last_update_at = drf_timestamp(self._clock())
        return web.json_response(self._detail(token, with_form=True))

    async def update_template_form(self, request: web.Request) -> web.Response:
        body = await json_object(request)
        errors = field_errors(body, _FORM_FIELDS, required=("template_id",))
        inputs = body.get("inputs", [])
        if not isinstance(inputs, list):
            errors["inputs"] = [f'Expected a list of items but got type "{type(inputs).__name__}".']
        elif any(per_item := [field_errors(item, _INPUT_FIELDS, required=("variable",)) for item in inputs]):
            errors["inputs"] = per_item
        if errors:
            raise invalid(errors)
        token = str(body["template_id"])
        if token not in self._templates:
            raise not_found()
        settings = self.settings[token]
        by_variable = {str(entry["variable"]): entry for entry in settings.inputs}
        sent = cast(list[JsonObject], inputs)  # checked above
        if unknown := [str(item["variable"]) for item in sent if item["variable"] not in by_variable]:
            raise invalid({"inputs": [f"The template has no variable {name}." for name in unknown]})  # inferred
        for item in sent:
            by_variable[str(item["variable"])].update(item)
        settings.inputs.sort(key=lambda entry: cast(int, entry["order"]))
        for name in ("custom_intro", "youtube_video_code"):
            if name in body:
                setattr(settings, name, str(body[name]))
        settings.last_update_at = drf_timestamp(self._clock())
        return web.json_response(self._detail(token, with_form=True))

    async def delete_template(self, request: web.Request) -> web.Response:
        token = self._token(request)
        del self._templates[token], self.settings[token]
        return web.json_response({"message": "Modelo excluído com sucesso."})

    async def upload_extra_doc_from_template(self, request: web.Request) -> web.Response:
        """An annex made from a template; its documented refusals carry no body on the page (bodies inferred)."""
        document = self._store.document(request.match_info["doc_token"])
        body = await json_object(request)
        if errors := field_errors(body, {"template_id": str}, required=("template_id",)):
            raise invalid(errors)
        template = self._templates.get(str(body["template_id"]))
        if template is None:
            raise not_found()
        if not self.settings[template.token].active:
            raise ErrorReply(403, {"detail": "The template is inactive."})
        if document.status == "signed" or document.deleted:
            raise ErrorReply(400, {"detail": "The document is signed or deleted."})
        if len(document.extra_docs) >= MAX_EXTRA_DOCS:
            raise ErrorReply(400, {"detail": f"A document can have at most {MAX_EXTRA_DOCS} extra documents."})
        extra = self._store.add_extra_doc(document, f"{template.name} ({document.name})")
        document.last_update_at = drf_timestamp(self._clock())
        return web.json_response(extra.to_json(signed=False))

    def _token(self, request: web.Request) -> str:
        token = request.match_info["template_token"]
        if token not in self._templates:
            raise not_found()
        return token

    def _summary(self, token: str) -> JsonObject:
        template, settings = self._templates[token], self.settings[token]
        return {
            "token": token,
            "template_type": "docx",
            "name": template.name,
            "active": settings.active,
            "template_file": f"{FILES_URL}{token}.docx",
            "created_at": settings.created_at,
            "last_update_at": settings.last_update_at,
            "redirect_link": settings.redirect_link,
            "folder_path": settings.folder_path,
            "lang": settings.lang,
        }

    def _detail(self, token: str, *, with_form: bool) -> JsonObject:
        settings = self.settings[token]
        body = {**self._summary(token), "signers": [settings.signer()], "inputs": list(settings.inputs)}
        if with_form:
            body |= {
                "extra_templates": [],
                "notify_extra_emails": ", ".join(settings.observers),
                "custom_intro": settings.custom_intro,
                "youtube_video_code": settings.youtube_video_code,
            }
        return body


def _settings_errors(body: JsonObject) -> JsonObject:
    errors = field_errors(body, _SETTINGS_FIELDS, required=())
    observers = body.get("observers", [])
    if not isinstance(observers, list) or not all(isinstance(email, str) for email in observers):
        errors["observers"] = ["Expected a list of emails."]
    if "first_signer" in body and (signer_errors := field_errors(body["first_signer"], _FIRST_SIGNER_FIELDS, ())):
        errors["first_signer"] = signer_errors
    return errors


def _apply(settings: TemplateSettings, body: JsonObject) -> None:
    """Set the settings a create or update request sent; `body` has passed `_settings_errors`."""
    for name in ("lang", "folder_path", "redirect_link"):
        if name in body:
            setattr(settings, name, str(body[name]))
    if "observers" in body:
        settings.observers = [str(email) for email in cast(list[object], body["observers"])]
    if "first_signer" in body:
        settings.first_signer = dict(cast(JsonObject, body["first_signer"]))
