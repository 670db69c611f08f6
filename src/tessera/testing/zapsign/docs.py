"""ZapSign's document and signer operations, answered from a DocumentStore."""

from __future__ import annotations

from typing import Final

from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import field_errors, invalid, json_object, page
from .._errors import ErrorReply
from .files import uploaded_file
from .records import Document, document_errors, signer_errors
from .store import MAX_EXTRA_DOCS, DocumentStore

PAGE_SIZE: Final = 25
REFUSED_MESSAGE: Final = (
    "Document successfully refused. Please note: this endpoint is asynchronous, "
    "so wait for the final PDFs to be ready via webhooks or check them in a few minutes."
)
_TRUE: Final = frozenset({"true", "1", "yes"})
_EXTRA_DOC_FIELDS: Final = {"name": str, "url_pdf": str, "base64_pdf": str}
_DOCUMENT_FILES: Final = ("base64_pdf", "base64_docx")


class ZapSignDocs:
    """The handlers of /docs/ (annexes included), /refuse/, /signers/ and /signer/."""

    def __init__(self, store: DocumentStore, clock: TimeFunction) -> None:
        self._store = store
        self._clock = clock

    async def create_doc(self, request: web.Request) -> web.Response:
        """A new document; a file sent in base64 is decoded (and kept: `Document.source`), or refused."""
        body = await json_object(request)
        if errors := document_errors(body):
            raise invalid(errors)
        source = uploaded_file(body, _DOCUMENT_FILES)
        return web.json_response(self._store.create(body, source=source).to_json())

    async def create_doc_async(self, request: web.Request) -> web.Response:
        """POST /docs/async/: the same checks, answered with the token alone (nothing is slow here)."""
        body = await json_object(request)
        if errors := document_errors(body):
            raise invalid(errors)
        source = uploaded_file(body, _DOCUMENT_FILES)
        return web.json_response({"token": self._store.create(body, source=source).token})

    async def list_docs(self, request: web.Request) -> web.Response:
        """A page of 25, oldest first unless sort_order=desc; filters status and deleted, others accepted."""
        query = request.query
        status, deleted = query.get("status"), query.get("deleted")
        documents = [
            document
            for document in self._store
            if (status is None or document.status == status)
            and (deleted is None or document.deleted == (deleted.lower() in _TRUE))
        ]
        if query.get("sort_order") == "desc":
            documents.reverse()
        with_signers = query.get("include_signers", "").lower() in _TRUE
        return web.json_response(
            page(request, documents, PAGE_SIZE, lambda document: document.summary(with_signers=with_signers))
        )

    async def get_doc(self, request: web.Request) -> web.Response:
        """The detail; for an annex's token, the short body ZapSign documents, naming its document."""
        token = request.match_info["doc_token"]
        extra = self._store.find_extra_doc(token)
        if extra is None:
            return web.json_response(self._store.document(token).detail())
        document = self._store.document(extra.doc_token)
        return web.json_response(
            {**extra.to_json(signed=document.status == "signed"), "parent_doc_token": document.token}
        )

    async def delete_doc(self, request: web.Request) -> web.Response:
        """A soft delete: ZapSign keeps the document, marks it deleted and answers with its detail."""
        document = self._store.document(request.match_info["doc_token"])
        if not document.deleted:
            document.deleted, document.deleted_at = True, self._touch(document)
        return web.json_response(document.detail(deleting=True))

    async def refuse_doc(self, request: web.Request) -> web.Response:
        """POST /refuse/ {doc_token, rejected_reason}; ZapSign's errors here are bare string codes."""
        body = await json_object(request)
        kinds = {"doc_token": str, "rejected_reason": str, "notify_signer": bool}
        if errors := field_errors(body, kinds, required=("doc_token", "rejected_reason")):
            raise invalid(errors)
        document = self._store.find(str(body["doc_token"]))
        if document is None:
            raise ErrorReply(404, {"message": "document_not_found"})
        if document.status == "signed":
            raise ErrorReply(403, {"message": "document_already_signed"})
        document.status, document.rejected_reason = "refused", str(body["rejected_reason"])
        self._touch(document)
        return web.json_response({"message": REFUSED_MESSAGE})

    async def upload_extra_doc(self, request: web.Request) -> web.Response:
        """An annex {name, url_pdf | base64_pdf}; it inherits everything else from its document."""
        document = self._store.document(request.match_info["doc_token"])
        body = await json_object(request)
        if errors := field_errors(body, _EXTRA_DOC_FIELDS, required=("name",)):
            raise invalid(errors)
        if not (body.get("url_pdf") or body.get("base64_pdf")):
            raise invalid({"non_field_errors": ["Send url_pdf or base64_pdf."]})
        if len(document.extra_docs) >= MAX_EXTRA_DOCS:
            raise ErrorReply(400, {"detail": f"A document can have at most {MAX_EXTRA_DOCS} extra documents."})
        source = uploaded_file(body, ("base64_pdf",))
        extra = self._store.add_extra_doc(document, str(body["name"]), source)
        self._touch(document)
        return web.json_response(extra.to_json(signed=False))

    async def add_signer(self, request: web.Request) -> web.Response:
        document = self._store.document(request.match_info["doc_token"])
        body = await json_object(request)
        if errors := signer_errors(body):
            raise invalid(errors)
        signer = self._store.add_signer(document, body)
        self._touch(document)
        return web.json_response(signer.detailed(with_sign_url=True))

    async def get_signer(self, request: web.Request) -> web.Response:
        signer = self._store.signer(request.match_info["signer_token"])
        return web.json_response(signer.detailed(with_sign_url=False))

    async def update_signer(self, request: web.Request) -> web.Response:
        signer = self._store.signer(request.match_info["signer_token"])
        body = await json_object(request)
        if errors := signer_errors(body, partial=True):
            raise invalid(errors)
        signer.update(body)
        self._touch(self._store.document(signer.doc_token))
        return web.json_response(signer.detailed(with_sign_url=True))

    async def remove_signer(self, request: web.Request) -> web.Response:
        """ZapSign refuses to remove a signer who signed, or a document's only signer (bodies inferred)."""
        signer = self._store.signer(request.match_info["signer_token"])
        document = self._store.document(signer.doc_token)
        if signer.status == "signed":
            raise ErrorReply(400, {"detail": "A signer who has already signed cannot be removed."})
        if len(document.signers) == 1:
            raise ErrorReply(400, {"detail": "The only signer of a document cannot be removed."})
        self._store.remove_signer(signer)
        self._touch(document)
        return web.json_response({"message": "Signer removed successfully."})

    def _touch(self, document: Document) -> str:
        """Stamp the document as changed now; returns the stamp."""
        document.last_update_at = drf_timestamp(self._clock())
        return document.last_update_at
