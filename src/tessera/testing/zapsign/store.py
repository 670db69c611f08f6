"""The documents a ZapSign emulator holds: seeded at start, created, found by token, annexed to and signed."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Final, cast

from .._clock import TimeFunction, drf_timestamp
from .._drf import not_found
from .._json import JsonObject
from .records import Document, ExtraDoc, FileLinks, Signer

# Seeded documents cycle through these, so every status shows up on the first page.
_SEED_STATUSES: Final = ("pending", "signed", "refused")
_SEED_PEOPLE: Final = (
    ("Ana Souza", "ana.souza@example.com"),
    ("Bruno Lima", "bruno.lima@example.com"),
    ("Carla Díaz", "carla.diaz@example.com"),
    ("Diego Rojas", "diego.rojas@example.com"),
    ("Elena Castro", "elena.castro@example.com"),
)
_SEED_SPACING_SECONDS: Final = 3600
MAX_EXTRA_DOCS: Final = 14
"""ZapSign's documented limit: a document and up to 14 annexes, 15 files signed at once."""


class DocumentStore:
    """Documents by token and signers by token, in creation order."""

    def __init__(self, clock: TimeFunction, owner_email: str) -> None:
        self._clock = clock
        self._owner_email = owner_email
        self._documents: dict[str, Document] = {}
        self._signers: dict[str, Signer] = {}
        self._extra_docs: dict[str, ExtraDoc] = {}
        # Annexes take their open_id from the organization's sequence too, as ZapSign numbers them.
        self._open_ids = itertools.count(1)
        self.links = FileLinks()
        """Where every document's file links point: the emulator sets its own base while it serves."""

    def __iter__(self) -> Iterator[Document]:
        return iter(self._documents.values())

    def find(self, token: str) -> Document | None:
        return self._documents.get(token)

    def document(self, token: str) -> Document:
        """The document with that token; DRF's 404 when there is none."""
        document = self.find(token)
        if document is None:
            raise not_found()
        return document

    def find_extra_doc(self, token: str) -> ExtraDoc | None:
        return self._extra_docs.get(token)

    def signer(self, token: str) -> Signer:
        """The signer with that token; DRF's 404 when there is none."""
        try:
            return self._signers[token]
        except KeyError:
            raise not_found() from None

    def create(self, fields: JsonObject, *, created_at: float | None = None, source: bytes | None = None) -> Document:
        """A new pending document from a create request that has passed `document_errors`; `source`: the
        file it sent in base64, decoded."""
        token = str(uuid.uuid4())
        stamp = drf_timestamp(self._clock() if created_at is None else created_at)
        signers = cast(list[JsonObject], fields["signers"])  # document_errors checked it
        document = Document(
            open_id=next(self._open_ids),
            token=token,
            name=str(fields["name"]),
            created_at=stamp,
            last_update_at=stamp,
            created_by=self._owner_email,
            signers=[],
            external_id=str(fields.get("external_id") or ""),
            folder_path=str(fields.get("folder_path") or "/"),
            lang=str(fields.get("lang") or "pt-br"),
            one_click_active=fields.get("one_click_active") is True,
            require_signature=fields.get("require_signature") is True,
            allow_refuse_signature=fields.get("allow_refuse_signature") is True,
            signature_groups=cast(list[JsonObject], fields.get("signature_groups", [])),
            source=source,
            links=self.links,
        )
        self._documents[token] = document
        for signer_fields in signers:
            self.add_signer(document, signer_fields)
        return document

    def add_signer(self, document: Document, fields: JsonObject) -> Signer:
        """A new signer of `document` from fields that have passed `signer_errors`."""
        signer = Signer(token=str(uuid.uuid4()), doc_token=document.token, name="", one_click=document.one_click_active)
        signer.update(fields)
        document.signers.append(signer)
        self._signers[signer.token] = signer
        return signer

    def add_extra_doc(self, document: Document, name: str, source: bytes | None = None) -> ExtraDoc:
        """A new annex of `document`; the caller has checked MAX_EXTRA_DOCS. `source`: its PDF, sent in base64."""
        extra = ExtraDoc(
            open_id=next(self._open_ids),
            token=str(uuid.uuid4()),
            doc_token=document.token,
            name=name,
            source=source,
            links=self.links,
        )
        document.extra_docs.append(extra)
        self._extra_docs[extra.token] = extra
        return extra

    def sign(self, signer: Signer, stamp: str) -> None:
        """Record `signer`'s signature; the document is signed once all of its signers are."""
        signer.status, signer.signed_at = "signed", stamp
        document = self._documents[signer.doc_token]
        document.last_update_at = stamp
        if all(other.status == "signed" for other in document.signers):
            document.status = "signed"

    def remove_signer(self, signer: Signer) -> None:
        document = self._documents[signer.doc_token]
        document.signers.remove(signer)
        del self._signers[signer.token]

    def seed(self, count: int) -> None:
        """`count` documents an hour apart, ending now, with one or two signers each."""
        start = self._clock() - count * _SEED_SPACING_SECONDS
        for number in range(1, count + 1):
            people = [_SEED_PEOPLE[(number + offset) % len(_SEED_PEOPLE)] for offset in range(1 + number % 2)]
            fields: JsonObject = {
                "name": f"Contrato {number:03d}",
                "signers": [{"name": name, "email": email} for name, email in people],
            }
            created_at = start + number * _SEED_SPACING_SECONDS
            document = self.create(fields, created_at=created_at)
            _settle(document, _SEED_STATUSES[(number - 1) % len(_SEED_STATUSES)], drf_timestamp(created_at))


def _settle(document: Document, status: str, stamp: str) -> None:
    """Give a seeded document a status and its signers the matching history."""
    document.status = status
    if status == "pending":
        return
    for signer in document.signers:
        signer.status, signer.times_viewed, signer.last_view_at = "link-opened", 1, stamp
        if status == "signed":
            signer.status, signer.signed_at = "signed", stamp
    if status == "refused":
        document.rejected_reason = "Los términos no corresponden."
