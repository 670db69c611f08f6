"""Request bodies other than JSON: form fields, multipart parts, and raw uploads.

Each is checked when the call is made (a wrong type is an InvalidArgument naming the argument, before
anything is sent) and becomes a `Payload`: what to send, opened again for each attempt and each
redirect hop, so that a retried upload sends its file from the start. A file is `bytes`, a path
(`pathlib.Path`, any `os.PathLike`) or a binary file object; a path is opened per attempt and read by
aiohttp a chunk at a time, never whole into memory.
"""

from __future__ import annotations

import io
import json
import os
import typing
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any, TypeAlias

import aiohttp
import attrs
from aiohttp import payload as aiohttp_payload

from tessera._runtime.conversion import json_name
from tessera.errors import InvalidArgument

File: TypeAlias = bytes | os.PathLike[str] | IO[bytes]
"""What a file field of a multipart body, or an `application/octet-stream` body, takes."""

_OCTET_STREAM = "application/octet-stream"


@attrs.frozen
class Payload:
    """A request body aiohttp sends as `data=`: `open()` gives it afresh for each request."""

    open: Callable[[], AbstractContextManager[object]]


def form_payload(body: object, *, unstructure: Callable[[object], object], vendor: str, operation: str) -> Payload:
    """`application/x-www-form-urlencoded`: a model or a mapping; scalars are fields, arrays repeat their
    field (the spec's default, `explode: true`), null is left out, objects are written as JSON text."""
    data = _fields_of(body, unstructure, vendor=vendor, operation=operation)
    pairs: list[tuple[str, str]] = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                pairs.append((name, _text(item)))

    @contextmanager
    def opened() -> Iterator[object]:
        yield aiohttp.FormData(pairs)

    return Payload(opened)


def multipart_payload(body: object, *, unstructure: Callable[[object], object], vendor: str, operation: str) -> Payload:
    """`multipart/form-data`: a model's (or a mapping's) fields as parts; a file as a file part (named by
    its path, else by its field), scalars as text, objects as JSON parts, an array as one part per item."""
    parts: list[tuple[str, object]] = []
    for name, value, annotation in _members(body, vendor=vendor, operation=operation):
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is None:
                continue
            if _is_file(item) or _expects_file(annotation):
                parts.append((name, _checked_file(item, f"body.{name}", vendor=vendor, operation=operation)))
            else:
                parts.append((name, unstructure(item)))

    @contextmanager
    def opened() -> Iterator[object]:
        form = aiohttp.FormData(default_to_multipart=True)
        with ExitStack() as files:
            for name, value in parts:
                if isinstance(value, _FileSource):
                    content = files.enter_context(value.opened())
                    form.add_field(name, content, filename=value.filename or name, content_type=_OCTET_STREAM)
                elif isinstance(value, dict | list):
                    form.add_field(name, json.dumps(value), content_type="application/json")
                else:
                    form.add_field(name, _text(value))
            yield form

    return Payload(opened)


def binary_payload(body: object, media_type: str, *, vendor: str, operation: str) -> Payload:
    """A raw upload (`application/octet-stream`, `image/png`, ...): the file's bytes, sent as they are."""
    source = _checked_file(body, "body", vendor=vendor, operation=operation)

    @contextmanager
    def opened() -> Iterator[object]:
        with source.opened() as content:
            if isinstance(content, bytes):
                yield aiohttp_payload.BytesPayload(content, content_type=media_type)
            else:
                yield aiohttp_payload.get_payload(content, content_type=media_type, disposition=None)

    return Payload(opened)


@attrs.define
class _FileSource:
    """A file argument, checked: its bytes, its path (opened per request) or its file object (sent from
    where it stood when the call was made, again on each attempt)."""

    content: bytes | Path | IO[bytes]
    filename: str | None
    argument: str
    """`body` or `body.<field>`: what a refusal names."""
    start: int | None = None
    """A file object's position when the call was made; None when it cannot seek."""
    sent: bool = False

    @contextmanager
    def opened(self) -> Iterator[bytes | IO[bytes] | io.RawIOBase]:
        if isinstance(self.content, bytes):
            yield self.content
        elif isinstance(self.content, Path):
            with self.content.open("rb") as file:
                yield file
        else:
            if self.start is not None:
                self.content.seek(self.start)
            elif self.sent:  # a pipe, a socket: what was read is gone; a retry or a redirect would send less
                raise InvalidArgument(
                    f"{self.argument}: the file object cannot seek back to send it again (a retry, a redirect);"
                    " pass bytes, a path or a seekable file",
                    argument=self.argument,
                )
            self.sent = True
            yield _Borrowed(self.content)


class _Borrowed(io.RawIOBase):
    """A caller's binary file as aiohttp reads it, minus the closing: aiohttp closes a file it has sent,
    and this one is the caller's (and a retry sends it again)."""

    def __init__(self, file: IO[bytes]) -> None:
        super().__init__()
        self._file = file

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._file.read(-1 if size is None else size)

    def seekable(self) -> bool:
        return self._file.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def fileno(self) -> int:
        return self._file.fileno()  # aiohttp sizes a real file by it: a Content-Length, not chunks

    def close(self) -> None:
        """Leaves the caller's file open."""


def _checked_file(value: object, argument: str, *, vendor: str, operation: str) -> _FileSource:
    if isinstance(value, bytes | bytearray | memoryview):
        return _FileSource(bytes(value), None, argument)
    if isinstance(value, os.PathLike):
        path = Path(value)
        if not path.is_file():
            raise InvalidArgument(
                f"{argument}: {path.name!r} is not a file that can be read",
                argument=argument,
                vendor=vendor,
                operation=operation,
            )
        return _FileSource(path, path.name, argument)
    if isinstance(value, io.IOBase) and not isinstance(value, io.TextIOBase) and value.readable():
        name = getattr(value, "name", None)
        start = value.tell() if value.seekable() else None
        filename = os.path.basename(name) if isinstance(name, str) else None
        return _FileSource(typing.cast("IO[bytes]", value), filename, argument, start)
    raise InvalidArgument(
        f"{argument}: expected bytes, a pathlib.Path or a binary file object (opened 'rb'), got {type(value).__name__}",
        argument=argument,
        vendor=vendor,
        operation=operation,
    )


def _fields_of(body: object, unstructure: Callable[[object], object], *, vendor: str, operation: str) -> dict[str, Any]:
    """A form body as JSON-ready members: a model as its converter writes it, or a mapping's items."""
    if not (attrs.has(type(body)) or isinstance(body, Mapping)):
        raise InvalidArgument(
            f"body: expected a model or a mapping of form fields, got {type(body).__name__}",
            argument="body",
            vendor=vendor,
            operation=operation,
        )
    data = unstructure(body)
    assert isinstance(data, dict)  # a model or a mapping unstructures into one
    for name in data:
        if not isinstance(name, str):
            raise InvalidArgument(
                f"body: a form field's name must be a string, got {type(name).__name__}",
                argument="body",
                vendor=vendor,
                operation=operation,
            )
    return data


def _members(body: object, *, vendor: str, operation: str) -> Iterator[tuple[str, object, object]]:
    """(JSON name, value, annotation) of each member of a multipart body: a model or a mapping."""
    model: Any = type(body)
    if attrs.has(model):
        attrs.resolve_types(model)
        for field in attrs.fields(model):
            yield json_name(field), getattr(body, field.name), field.type
    elif isinstance(body, Mapping):
        for name, value in body.items():
            yield str(name), value, None
    else:
        raise InvalidArgument(
            f"body: expected a model or a mapping of parts, got {type(body).__name__}",
            argument="body",
            vendor=vendor,
            operation=operation,
        )


def _is_file(value: object) -> bool:
    return isinstance(value, bytes | bytearray | memoryview | os.PathLike | io.IOBase)


def _expects_file(annotation: object) -> bool:
    """A model's field typed as a file (`File`, `File | None`, `list[File]`): a str there is refused."""
    if annotation is bytes:
        return True
    return any(_expects_file(argument) for argument in typing.get_args(annotation))


def _text(value: object) -> str:
    """A JSON-ready scalar as a form field writes it: `true`/`false` as JSON spells them, objects as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)
