"""ZapSign's documents, their annexes and signers: what the emulator keeps of them and the JSON ZapSign answers with."""

from __future__ import annotations

import re
from typing import Final

import attrs

from .._drf import REQUIRED, field_errors
from .._json import JsonObject
from .signature_groups import signature_group_errors

SIGN_URL: Final = "https://app.zapsign.com.br/verificar/"
ONE_CLICK_SIGN_URL: Final = SIGN_URL + "oneclick/"
FILES_URL: Final = "https://zapsign.s3.amazonaws.com/pdf/"
"""Where ZapSign's file links point (a timestamp's, a check's report); a document's point at the emulator
while it serves (FileLinks)."""
# A listed signer's status: the list's own enum (nao_abriu, abriu, assinou, recusou, expirou, cancelado).
_LISTED_STATUS: Final = {"new": "nao_abriu", "link-opened": "abriu", "signed": "assinou"}
# ZapSign publishes two detail bodies (tests/fixtures/zapsign/get_doc.pt.old and .new): the older carries
# only these, its signers only those.
_OLDER_DOC_FIELDS: Final = (
    "open_id",
    "token",
    "status",
    "name",
    "original_file",
    "signed_file",
    "created_at",
    "last_update_at",
)
_OLDER_SIGNER_FIELDS: Final = (
    "token",
    "status",
    "name",
    "email",
    "phone_country",
    "phone_number",
    "times_viewed",
    "last_view_at",
    "signed_at",
)
# What the newer answers (signer detail, add, update, the newer document detail) add to a signer; the
# emulator sets none of it, so it shows ZapSign's defaults.
_NEWER_SIGNER_DEFAULTS: Final[JsonObject] = {
    "lock_name": False,
    "lock_email": False,
    "lock_phone": False,
    "hide_email": False,
    "blank_email": False,
    "hide_phone": False,
    "blank_phone": False,
    "require_selfie_photo": False,
    "require_document_photo": False,
    "geo_latitude": None,
    "geo_longitude": None,
    "signature_image": None,
    "visto_image": None,
    "document_photo_url": "",
    "document_verse_photo_url": "",
    "selfie_photo_url": "",
    "selfie_photo_url2": "",
    "resend_attempts": {"whatsapp": 0, "email": 0, "sms": 0},
    "send_automatic_whatsapp_signed_file": None,
}

# The signer fields a request may set, each with the Python type its JSON value must have. The rest of what
# ZapSign accepts (send_automatic_email, lock_*, require_cpf, ...) changes nothing an API answer shows.
SIGNER_FIELDS: Final[dict[str, type]] = {
    "name": str,
    "email": str,
    "phone_country": str,
    "phone_number": str,
    "auth_mode": str,
    "external_id": str,
    "qualification": str,
    "redirect_link": str,
    "order_group": int,
}

_DOCUMENT_FIELDS: Final = {
    "name": str,
    "one_click_active": bool,
    "require_signature": bool,
    "allow_refuse_signature": bool,
}


@attrs.define
class Signer:
    token: str
    doc_token: str
    name: str
    email: str = ""
    phone_country: str = "55"
    phone_number: str = ""
    auth_mode: str = "assinaturaTela"
    external_id: str = ""
    qualification: str = ""
    redirect_link: str = ""
    order_group: int | None = None
    status: str = "new"
    times_viewed: int = 0
    last_view_at: str | None = None
    signed_at: str | None = None
    one_click: bool = False
    """Of a OneClick document: signs through a checkbox page of its own."""

    def listed(self, *, document_status: str) -> JsonObject:
        """The signer as list_docs(include_signers=true) shows it: a shape and a status enum of its own, and
        null for an empty string. The page's one example spells assinaturaTela as assinatura_tela; the other
        modes' spelling is inferred the same way."""
        refused = document_status == "refused" and self.status != "signed"  # the document's status prevails
        listed: JsonObject = {
            "name": self.name,
            "email": self.email or None,
            "status": "recusou" if refused else _LISTED_STATUS[self.status],
            "auth_mode": re.sub(r"(?<=[a-z])([A-Z])", r"_\1", self.auth_mode).lower(),
            "signing_url": SIGN_URL + self.token,
            "has_certificate": self.auth_mode == "certificadoDigital",
        }
        return listed if self.order_group is None else {**listed, "order": self.order_group}

    def older(self) -> JsonObject:
        """The signer as the older detail body shows it: no sign_url, none of the newer fields."""
        shown = self.to_json()
        return {name: shown[name] for name in _OLDER_SIGNER_FIELDS}

    def detailed(self, *, with_sign_url: bool) -> JsonObject:
        """The signer as the newer answers show it; the signer and document details leave sign_url out, as
        their published bodies do (add, update and delete keep it)."""
        detailed = {**self.to_json(), **_NEWER_SIGNER_DEFAULTS, "send_via": "email" if self.email else ""}
        if not with_sign_url:
            del detailed["sign_url"]
        return detailed

    def update(self, fields: JsonObject) -> None:
        """Set the fields a request sent; `fields` has passed `signer_errors`."""
        for name in SIGNER_FIELDS.keys() & fields.keys():
            setattr(self, name, fields[name])

    def to_json(self) -> JsonObject:
        return {
            "token": self.token,
            "sign_url": (ONE_CLICK_SIGN_URL if self.one_click else SIGN_URL) + self.token,
            "status": self.status,
            "name": self.name,
            "email": self.email,
            "phone_country": self.phone_country,
            "phone_number": self.phone_number,
            "times_viewed": self.times_viewed,
            "last_view_at": self.last_view_at,
            "signed_at": self.signed_at,
            "resend_attempts": None,
            "auth_mode": self.auth_mode,
            "external_id": self.external_id,
            "order_group": self.order_group,
            "qualification": self.qualification,
            "redirect_link": self.redirect_link,
        }


@attrs.define
class FileLinks:
    """The base of the links a store's documents answer with: S3's, or the serving emulator's (files.py)."""

    base: str = FILES_URL

    def original(self, token: str) -> str:
        return f"{self.base}{token}/original.pdf"

    def signed(self, token: str) -> str:
        return f"{self.base}{token}/signed.pdf"


@attrs.define
class ExtraDoc:
    """An annex of a document, signed together with it by the same signers."""

    open_id: int
    token: str
    doc_token: str
    name: str
    rubricas: list[JsonObject] = attrs.Factory(list)
    """The signature fields placed on it, as the last place-signatures request sent them."""
    source: bytes | None = attrs.field(default=None, repr=False)
    """The PDF the request sent in base64, decoded; None for a URL's."""
    links: FileLinks = attrs.field(factory=FileLinks, eq=False, repr=False)

    def to_json(self, *, signed: bool) -> JsonObject:
        return {
            "open_id": self.open_id,
            "token": self.token,
            "name": self.name,
            "original_file": self.links.original(self.token),
            "signed_file": self.links.signed(self.token) if signed else None,
        }


@attrs.define
class Document:
    open_id: int
    token: str
    name: str
    created_at: str
    last_update_at: str
    created_by: str
    signers: list[Signer]
    status: str = "pending"
    external_id: str = ""
    folder_path: str = "/"
    lang: str = "pt-br"
    created_through: str = "api"
    deleted: bool = False
    deleted_at: str | None = None
    rejected_reason: str | None = None
    extra_docs: list[ExtraDoc] = attrs.Factory(list)
    answers: list[JsonObject] = attrs.Factory(list)
    """The template variables and their values, for a document created from a template."""
    rubricas: list[JsonObject] = attrs.Factory(list)
    """The signature fields placed on it, as the last place-signatures request sent them."""
    one_click_active: bool = False
    require_signature: bool = False
    allow_refuse_signature: bool = False
    signature_groups: list[JsonObject] = attrs.Factory(list)
    date_limit_to_sign: str | None = None
    display_order: list[str] = attrs.Factory(list)
    """The tokens of an envelope's files in the order set for them; empty until one is set."""
    source: bytes | None = attrs.field(default=None, repr=False)
    """The PDF or DOCX the create request sent in base64, decoded; None for a URL's, a text's or a seed's."""
    links: FileLinks = attrs.field(factory=FileLinks, eq=False, repr=False)

    def summary(self, *, with_signers: bool) -> JsonObject:
        """A document in a list page (null for an empty string); ZapSign adds the signers, in their listed
        shape, only when asked (include_signers)."""
        body = {name: value if value != "" else None for name, value in self._fields().items()}
        if with_signers:
            body["signers"] = [signer.listed(document_status=self.status) for signer in self.signers]
        return body

    def to_json(self) -> JsonObject:
        """The document as creating it answers; a OneClick one says so (documented), others do not."""
        signers = [signer.to_json() for signer in self.signers]
        body = {**self._fields(), "signers": signers, "lang": self.lang, "date_limit_to_sign": self.date_limit_to_sign}
        if self.one_click_active:
            body |= {"one_click_active": True, "require_signature": self.require_signature}
        return body

    def _fields(self) -> JsonObject:
        return {
            "open_id": self.open_id,
            "token": self.token,
            "status": self.status,
            "name": self.name,
            "original_file": self.links.original(self.token),
            "signed_file": self.links.signed(self.token) if self.status == "signed" else None,
            "created_at": self.created_at,
            "last_update_at": self.last_update_at,
            "folder_path": self.folder_path,
            "external_id": self.external_id,
        }

    def detail(self, *, deleting: bool = False) -> JsonObject:
        """The document as its detail answers, in one of the two published shapes: the older one (only the
        create fields) for an even open_id with nothing that only the newer one shows (annexes, template
        answers, a deletion or a refusal), so that both come every run; the newer one otherwise, and as
        deleting answers (with the signers' sign_url, as that page shows)."""
        if not deleting and self.open_id % 2 == 0 and not self._has_newer_fields():
            shown = self._fields()
            return {
                **{name: shown[name] for name in _OLDER_DOC_FIELDS},
                "signers": [signer.older() for signer in self.signers],
            }
        return {
            "sandbox": False,
            **self._fields(),
            "lang": self.lang,
            "date_limit_to_sign": self.date_limit_to_sign,
            "extra_docs": [extra.to_json(signed=self.status == "signed") for extra in self.extra_docs],
            "created_through": self.created_through,
            "deleted": self.deleted,
            "deleted_at": self.deleted_at,
            "rejected_reason": self.rejected_reason,
            "signed_file_only_finished": False,
            "disable_signer_emails": False,
            "brand_logo": "",
            "brand_primary_color": "",
            "created_by": {"email": self.created_by},
            "template": None,
            "signers": [signer.detailed(with_sign_url=deleting) for signer in self.signers],
            "answers": list(self.answers),
            "auto_reminder": 0,
        }

    def _has_newer_fields(self) -> bool:
        return bool(self.extra_docs or self.answers or self.deleted or self.rejected_reason is not None)


def signer_errors(fields: object, *, partial: bool = False) -> JsonObject:
    """DRF's field errors for a signer in a request, empty when it is valid; `partial` for an update."""
    return field_errors(fields, SIGNER_FIELDS, required=() if partial else ("name",))


def document_errors(fields: JsonObject) -> JsonObject:
    """DRF's field errors for a new document; empty when it is valid."""
    errors = field_errors(fields, _DOCUMENT_FIELDS, required=("name",))
    signers = fields.get("signers")
    if signers is None:
        errors["signers"] = REQUIRED
    elif not isinstance(signers, list):
        errors["signers"] = [f'Expected a list of items but got type "{type(signers).__name__}".']
    elif not signers:
        errors["signers"] = ["This list may not be empty."]
    elif any(per_signer := [signer_errors(signer) for signer in signers]):
        # DRF lists one error object per item, empty for the valid ones, so each error finds its signer.
        errors["signers"] = per_signer
    else:
        errors |= signature_group_errors(fields)
    return errors
