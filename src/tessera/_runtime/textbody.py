"""A `text/*` answer as a str, decoded by the charset its Content-Type names (UTF-8 when it names none)."""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from email.message import Message

from tessera.errors import DecodeError


def decode_text(raw: bytes, headers: Mapping[str, str], *, vendor: str, operation: str) -> str:
    message = Message()
    message["Content-Type"] = headers.get("Content-Type", "text/plain")
    charset = message.get_content_charset() or "utf-8"
    try:
        codecs.lookup(charset)
        return raw.decode(charset)
    except LookupError:
        problem = f"the answer's charset {charset[:40]!r} is not one Python knows"
    except UnicodeDecodeError as error:
        problem = f"the answer is not {charset} text (byte {error.start} of {len(raw)})"
    raise DecodeError(problem, vendor=vendor, operation=operation)
