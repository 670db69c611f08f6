"""ZapSign's document files: the base64 ones a request sends, and the temporary links it answers with.

ZapSign answers `original_file` and `signed_file` as pre-signed S3 links valid for 60 minutes, fetched
without the API's credentials. The emulator serves them itself, under its own base URL with S3's path
shape (`.../files/pdf/<token>/original.pdf`), so a client downloads them from 127.0.0.1: a document sent
in base64 is served as it arrived, any other as a small made-up PDF; the signed file is the original
with an incremental update appended, as a signature adds one.
"""

from __future__ import annotations

import base64
import binascii
from typing import Final

from aiohttp import web

from .._drf import invalid
from .._json import JsonObject
from .store import DocumentStore

FILES_PATH: Final = "/files/pdf/"
"""The emulator's files route, after its base URL."""
# Inferred: ZapSign documents a 400 for malformed base64, not its body; this is DRF's Base64FileField message.
_INVALID_FILE: Final = ["Please upload a valid file."]
_SIGNATURE: Final = b"\n% signed by the ZapSign emulator\n%%EOF\n"
_SLICE: Final = 1 << 18


def uploaded_file(body: JsonObject, names: tuple[str, ...]) -> bytes | None:
    """The file a create request sent in base64 in one of the `names` fields (None: it sent a URL or text);
    DRF's 400 for a value that is not base64 text, as ZapSign refuses malformed base64."""
    for name in names:
        value = body.get(name)
        if value is None:
            continue
        try:
            if not isinstance(value, str):
                raise ValueError(name)
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise invalid({name: _INVALID_FILE}) from None
    return None


def made_up_pdf(name: str) -> bytes:
    """A small body that looks like a PDF (its header, one page, its trailer): what a URL's file stands for."""
    title = name.encode("utf-8", "replace").replace(b"(", b"[").replace(b")", b"]")
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"4 0 obj << /Title (" + title + b") >> endobj\n"
        b"trailer << /Root 1 0 R /Info 4 0 R >>\n%%EOF\n"
    )


class ZapSignFiles:
    """The handler of the file links: public, as a pre-signed link is; it records the requests it served."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    async def get_file(self, request: web.Request) -> web.StreamResponse:
        token, name = request.match_info["doc_token"], request.match_info["file"]
        document = self._store.find(token)
        extra = self._store.find_extra_doc(token)
        if document is None and extra is not None:
            document = self._store.find(extra.doc_token)
        if document is None or name not in ("original.pdf", "signed.pdf"):
            raise web.HTTPNotFound
        source = extra.source if extra is not None else document.source
        original = source if source is not None else made_up_pdf(extra.name if extra is not None else document.name)
        signed = name == "signed.pdf"
        if signed and document.status != "signed":
            raise web.HTTPNotFound
        response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
        response.content_length = len(original) + (len(_SIGNATURE) if signed else 0)
        await response.prepare(request)
        # In slices of a view: a large file is sent without a copy of it (the client's memory is what tests measure).
        view = memoryview(original)
        for start in range(0, len(view), _SLICE):
            await response.write(view[start : start + _SLICE])
        if signed:
            await response.write(_SIGNATURE)
        await response.write_eof()
        return response
