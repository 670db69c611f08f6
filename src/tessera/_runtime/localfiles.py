"""A JSON body's bytes fields (`format: byte`/`binary`, base64 on the wire) given as a path to a local file.

A request-only model types such a field `LocalFile` (codegen/models.py): the caller passes the file's bytes,
or its path, which is read here when the body is encoded (once per call, in a thread) and sent as the bytes
would be. The whole file goes into the JSON body, so it is bounded: a file past `MAX_LOCAL_FILE_BYTES`, a
path that is no readable file, or a value of another type (a `str`: base64 text is what tessera writes) is
InvalidArgument naming the field by its JSON path, before anything is sent.
"""

from __future__ import annotations

import asyncio
import os
import types
import typing
from collections.abc import Callable
from pathlib import Path
from types import NoneType
from typing import Any, TypeAlias

import attrs

from tessera._runtime.model import Model, keep, unknown_fields
from tessera._runtime.requestbody import without_none
from tessera.errors import InvalidArgument

LocalFile: TypeAlias = bytes | os.PathLike[str]
"""What a request-only model's bytes field takes: the bytes, or the path of a file holding them."""

MAX_LOCAL_FILE_BYTES = 64 * 1024 * 1024
"""64 MiB: base64 makes it 85 MiB of JSON, held in memory while the call lasts; vendors refuse far less."""


def is_local_file(annotation: object) -> bool:
    """`LocalFile` or `LocalFile | None`: a field that takes bytes or a path."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return False
    members = set(typing.get_args(annotation)) - {NoneType}
    return members == {bytes, os.PathLike[str]}


async def with_files_read(
    body: object, *, json_name: Callable[[Any], str], limit: int = MAX_LOCAL_FILE_BYTES, vendor: str, operation: str
) -> object:
    """`body` (a model) with each bytes field that holds a path holding the file's bytes instead; `body` itself
    when none does. `json_name`: the JSON name of an attrs field (conversion.json_name), for errors."""
    return await _Reader(json_name, limit, vendor, operation).resolved(body, type(body), "$")


@attrs.frozen
class _Reader:
    json_name: Callable[[Any], str]
    limit: int
    vendor: str
    operation: str

    async def resolved(self, value: object, annotation: Any, path: str) -> object:
        """`value` (typed `annotation`, at `path`) with its paths read; itself when it holds none."""
        if value is None:
            return None
        if _takes_bytes(annotation):
            return await self._file(value, path)
        if attrs.has(type(value)):
            return await self._model(value, path)
        inner = without_none(annotation)
        if typing.get_origin(inner) is list and isinstance(value, list | tuple):
            (item_type,) = typing.get_args(inner)
            items = [await self.resolved(item, item_type, f"{path}[{index}]") for index, item in enumerate(value)]
            return value if all(new is old for new, old in zip(items, value, strict=True)) else items
        return value

    async def _file(self, value: object, path: str) -> bytes:
        if isinstance(value, os.PathLike):
            return await asyncio.to_thread(_read, Path(value), self.limit, path, self.refusal)
        if isinstance(value, bytes | bytearray | memoryview):
            return value if isinstance(value, bytes) else bytes(value)  # the codec writes bytes as base64
        raise self.refusal(path, f"expected bytes or a path (pathlib.Path), got {type(value).__name__}")

    async def _model(self, value: Any, path: str) -> object:
        attrs.resolve_types(type(value))
        changes: dict[str, object] = {}
        for field in attrs.fields(type(value)):
            name = self.json_name(field)
            step = f"{path}.{name}" if name.isidentifier() else f"{path}[{name!r}]"
            given = getattr(value, field.name)
            read = await self.resolved(given, field.type, step)
            if read is not given:
                changes[field.alias or field.name] = read
        if not changes:
            return value
        copy = attrs.evolve(value, **changes)
        if isinstance(value, Model) and unknown_fields(value):
            keep(copy, dict(unknown_fields(value)))  # send_unknown_fields=True still sends them
        return copy

    def refusal(self, path: str, message: str) -> InvalidArgument:
        return InvalidArgument(f"body {path}: {message}", argument="body", vendor=self.vendor, operation=self.operation)


def _read(path: Path, limit: int, at: str, refusal: Callable[[str, str], InvalidArgument]) -> bytes:
    """The file's bytes, at most `limit` of them; read to one past it, so a file growing meanwhile is caught."""
    if not path.is_file():  # checked first: opening a pipe would wait for a writer
        raise refusal(at, f"{path.name!r} is not a file that can be read")
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size > limit:
                raise refusal(at, _too_large(path, limit))
            content = file.read(limit + 1)
    except OSError as error:
        raise refusal(at, f"{path.name!r} cannot be read ({error.strerror or type(error).__name__})") from None
    if len(content) > limit:
        raise refusal(at, _too_large(path, limit))
    return content


def _too_large(path: Path, limit: int) -> str:
    return f"{path.name!r} is larger than {limit:,} bytes, the most tessera reads into a JSON body"


def _takes_bytes(annotation: Any) -> bool:
    """A bytes field (`bytes`, `LocalFile`, either `| None`): base64 text on the wire."""
    inner = without_none(annotation)
    return inner is bytes or is_local_file(annotation)
