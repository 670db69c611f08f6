"""No input makes the codegen fail with a traceback: every spec it cannot use is a SpecError naming the place.

Each value of two specs (one with every `x-tessera` extension, one third-party spec as published) is swapped
in turn for a value of each other JSON type; every such document parses or raises a SpecError (~2 s).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from codegen.document import Node
from codegen.errors import SpecError
from codegen.parse import parse_spec
from tests.codegen.test_extension_errors import valid_spec

WRONG_VALUES: tuple[object, ...] = (7, None, [], {}, "x", True)
Pointer = tuple[str | int, ...]


def pointers(value: object, prefix: Pointer = ()) -> Iterator[Pointer]:
    """Every place in a document: the root, then each member and element, depth first."""
    yield prefix
    if isinstance(value, dict):
        for key, member in value.items():
            yield from pointers(member, (*prefix, key))
    elif isinstance(value, list):
        for index, element in enumerate(value):
            yield from pointers(element, (*prefix, index))


def swapped(document: object, pointer: Pointer, value: object) -> object:
    if not pointer:
        return value
    copied = copy.deepcopy(document)
    parent: object = copied
    for part in pointer[:-1]:
        parent = parent[part]  # type: ignore[index]
    parent[pointer[-1]] = value  # type: ignore[index]
    return copied


@pytest.mark.parametrize(
    "document",
    [valid_spec(), yaml.safe_load((Path(__file__).parent / "corpus" / "oai-petstore-expanded.yaml").read_text())],
    ids=["every-extension", "oai-petstore-expanded"],
)
def test_every_value_swapped_for_a_wrong_one_parses_or_is_a_spec_error(document: object) -> None:
    crashes: list[str] = []
    for pointer in pointers(document):
        for value in WRONG_VALUES:
            try:
                parse_spec(Node(swapped(document, pointer, value), "specs/fuzzed.yaml"))
            except SpecError:
                pass
            except Exception as error:  # noqa: BLE001 - each traceback is collected for the report
                crashes.append(f"{pointer} = {value!r}: {type(error).__name__}: {error}")
    assert not crashes, "\n".join(crashes[:20])
