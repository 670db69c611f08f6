"""The body a DecodeError shows (`.body`): its text, cut to a few kB, with every secret member redacted.

Secret members are named by the spec (`x-tessera-secret: true`, a `repr=False` field): every such JSON
name of the vendor's models is redacted wherever it appears, at any depth and also in a member no
field reads, whatever its value (a string, a number, an object). The text is scanned, not parsed, so a
body that is not JSON (cut short, nested past what json reads) is redacted the same way.
"""

from __future__ import annotations

import enum
import json
import re
import sys
import typing
from collections.abc import Callable, Iterator
from typing import Any, Final

import attrs

SHOWN_LIMIT: Final = 4096
"""Characters of a body a DecodeError keeps; longer ones end with `...`."""
REDACTED: Final = '"<redacted>"'

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_KEY = re.compile(r'"(?:[^"\\]|\\.)*"\s*:\s*')
_SCALAR_END = re.compile(r"[,}\]\s]")
_secret_names: dict[object, frozenset[str]] = {}


def shown_body(body: object, target: object, json_name: Callable[[Any], str]) -> str:
    """`body` (the bytes or text read, or a value already parsed) as a DecodeError shows it, for a
    body decoded into `target` (a model, `list[Model]`, ...): cut, then redacted. `json_name`: the
    JSON name of an attrs field (conversion.json_name)."""
    if isinstance(body, bytes | bytearray):
        # At most 4 bytes a character: enough bytes for the characters kept.
        text = bytes(body[: SHOWN_LIMIT * 4]).decode("utf-8", errors="replace")
        longer = len(text) > SHOWN_LIMIT or len(body) > SHOWN_LIMIT * 4
    else:
        text = body if isinstance(body, str) else _written(body)
        longer = len(text) > SHOWN_LIMIT
    redacted = redact(text[:SHOWN_LIMIT], secret_names(target, json_name))
    return redacted + "..." if longer else redacted


def _written(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=lambda item: f"<{type(item).__name__}>")
    except (ValueError, RecursionError):  # a value nested past what json writes, or holding itself
        return "<a value json cannot write>"


def redact(text: str, names: frozenset[str]) -> str:
    """`text` with the value of every member named in `names` replaced by `"<redacted>"`."""
    if not names:
        return text
    parts: list[str] = []
    position = 0
    for start, end in _secret_values(text, names):
        parts += [text[position:start], REDACTED]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _secret_values(text: str, names: frozenset[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of the value of each member named in `names`, left to right; a value cut short
    runs to the end of the text."""
    position = 0
    while (quote := text.find('"', position)) != -1:
        key = _KEY.match(text, quote)
        if key is None:  # a string that is not a key (a value), or one cut short
            string = _STRING.match(text, quote)
            if string is None:
                return
            position = string.end()
            continue
        value_start = key.end()
        if _decoded_key(key.group()) in names:
            value_end = _value_end(text, value_start)
            yield value_start, value_end
            position = value_end
        else:
            position = value_start


def _decoded_key(token: str) -> str | None:
    try:
        name: object = json.loads(token[: token.rindex('"') + 1])
    except ValueError:
        return None
    return name if isinstance(name, str) else None


def _value_end(text: str, start: int) -> int:
    """The end of the JSON value at `start`: a string, an object or array (brackets matched, strings
    skipped), or a scalar; the end of the text where it is cut short."""
    if start >= len(text):
        return start
    opening = text[start]
    if opening == '"':
        string = _STRING.match(text, start)
        return string.end() if string is not None else len(text)
    if opening not in "[{":
        end = _SCALAR_END.search(text, start)
        return end.start() if end is not None else len(text)
    depth = 0
    position = start
    while position < len(text):
        character = text[position]
        if character == '"':
            string = _STRING.match(text, position)
            if string is None:
                return len(text)
            position = string.end()
            continue
        if character in "[{":
            depth += 1
        elif character in "]}":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return len(text)


def secret_names(target: object, json_name: Callable[[Any], str]) -> frozenset[str]:
    """The JSON names of every secret field of the vendor's models that `target` is built from."""
    found = _secret_names.get(target)
    if found is None:
        modules = {sys.modules[cls.__module__] for cls in _models(target)}
        found = frozenset(
            json_name(field)
            for module in modules
            for cls in vars(module).values()
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__
            for field in attrs.fields(cls)
            if field.repr is False
        )
        _secret_names[target] = found
    return found


def _models(annotation: object) -> Iterator[type[Any]]:
    """The attrs classes an annotation names (`list[Doc] | None` names Doc)."""
    if isinstance(annotation, type) and attrs.has(annotation):
        yield annotation
    elif not isinstance(annotation, type) or not issubclass(annotation, enum.Enum):
        for argument in typing.get_args(annotation):
            yield from _models(argument)
