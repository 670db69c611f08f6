"""Python source fragments: docstring text and literals of plain data."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import attrs

_STRING_PIECE = 72
"""Longer strings are written in pieces, so that ruff can fit their lines into the project's line length."""


def escape_docstring(text: str) -> str:
    """Text that can sit between triple quotes: backslashes and triple quotes escaped."""
    return text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


@attrs.frozen
class Name:
    """A name the generated module defines or imports, written as is where plain data would be."""

    source: str


def python_literal(value: object) -> str:
    """The source of plain data; mapping keys sorted, so the output does not follow the spec's order."""
    if isinstance(value, Name):
        return value.source
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda item: str(item[0]))
        return "{" + ", ".join(f"{python_literal(key)}: {python_literal(item)}" for key, item in items) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(python_literal(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, str) and len(value) > _STRING_PIECE:
        pieces = textwrap.wrap(
            value,
            _STRING_PIECE,
            expand_tabs=False,
            replace_whitespace=False,
            drop_whitespace=False,
            break_long_words=False,
            break_on_hyphens=False,
        )
        if len(pieces) > 1:
            return "(" + " ".join(repr(piece) for piece in pieces) + ")"
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")
