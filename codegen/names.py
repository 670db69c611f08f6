"""Python names for the spec's names: snake_case arguments, PascalCase classes, CONSTANT_CASE constants."""

from __future__ import annotations

import keyword
import re
from collections.abc import Collection

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


def words(name: str) -> list[str]:
    """`phoneNumber` → [phone, Number]; `$limit` → [limit]; `page[size]` → [page, size]."""
    return [word for part in _NOT_WORD.split(name) for word in _WORD_BOUNDARY.split(part) if word]


def snake_case(name: str) -> str:
    """A keyword-safe snake_case identifier: `from` → `from_`, `2fa` → `_2fa`, `$skip` → `skip`."""
    identifier = "_".join(word.lower() for word in words(name)) or "_"
    if identifier[0].isdigit():
        identifier = "_" + identifier
    return identifier + "_" if keyword.iskeyword(identifier) else identifier


def pascal_case(name: str) -> str:
    """`list_docs` + `sort_order` → `ListDocs`, `SortOrder` (each word capitalised, the rest kept)."""
    return "".join(word[0].upper() + word[1:] for word in words(name))


def constant_case(name: str) -> str:
    """`list_docs` → `LIST_DOCS`."""
    return "_".join(word.upper() for word in words(name))


def free_name(candidate: str, taken: Collection[str], suffix: str = "_") -> str:
    """`candidate`, with `suffix` added until it is not a keyword and not taken: `import` → `import_`."""
    name = candidate
    while keyword.iskeyword(name) or name in taken:
        name += suffix
    return name


def class_name(name: str) -> str:
    """A PascalCase class name for any spec name: `pet` → `Pet`, `API Keys` → `APIKeys`, `3d` → `Model3d`."""
    pascal = pascal_case(name)
    return pascal if pascal[:1].isalpha() else "Model" + pascal
