"""The compiled fast path decodes exactly what cattrs' detailed converter does, and refuses what it refuses."""

from __future__ import annotations

import datetime
import enum
from typing import Literal

import attrs
import pytest

from tessera._runtime.conversion import Codec, make_converter
from tessera.errors import DecodeError


class Kind(enum.StrEnum):
    A = "a"
    B = "b"


@attrs.define(kw_only=True)
class Leaf:
    name: str
    ratio: float
    at: datetime.datetime | None = None


@attrs.define(kw_only=True)
class Node:
    kind: Kind
    tag: Literal["node"]
    leaves: list[Leaf] = attrs.Factory(list)
    labels: list[str] = attrs.Factory(list)
    extra: dict[str, int] | None = None
    parent: Node | None = None
    sort: int | None = attrs.field(default=None, metadata={"json": "$sort"})
    when: datetime.date | None = None


BODIES = [
    {"kind": "a", "tag": "node"},
    {"kind": "b", "tag": "node", "leaves": [{"name": "x", "ratio": 1}, {"name": "y", "ratio": 0.5, "at": None}]},
    {
        "kind": "a",
        "tag": "node",
        "labels": ["p", "q"],
        "extra": {"k": 1},
        "$sort": 3,
        "when": "2026-11-22",
        "parent": {"kind": "b", "tag": "node", "leaves": [{"name": "z", "ratio": 2.5, "at": "2026-11-22T10:00:00Z"}]},
        "unknown": "ignored",
    },
]


@pytest.mark.parametrize("body", BODIES)
def test_the_fast_path_gives_what_the_detailed_converter_gives(body: dict[str, object]) -> None:
    fast = make_converter(detailed=False).structure(body, Node)
    assert fast == make_converter(detailed=True).structure(body, Node)
    assert all(type(leaf.ratio) is float for leaf in fast.leaves)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"kind": "c", "tag": "node"}, "$.kind"),
        ({"kind": "a", "tag": "leaf"}, "$.tag"),
        ({"kind": "a", "tag": "node", "labels": ["p", 1]}, "$.labels[1]"),
        ({"kind": "a", "tag": "node", "leaves": [{"name": "x", "ratio": "1"}]}, "$.leaves[0].ratio"),
        ({"kind": "a", "tag": "node", "leaves": [{"name": "x", "ratio": True}]}, "$.leaves[0].ratio"),
        ({"kind": "a", "tag": "node", "leaves": None}, "$.leaves"),
        ({"kind": "a", "tag": "node", "parent": {"kind": "a"}}, "$.parent.tag"),
    ],
)
def test_a_misfit_raises_on_the_fast_path_and_is_named_by_the_detailed_one(body: dict[str, object], path: str) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - any exception: the codec then asks the detailed converter
        make_converter(detailed=False).structure(body, Node)
    with pytest.raises(DecodeError) as caught:
        Codec().structure(body, Node, vendor="v", operation="o")
    assert caught.value.path == path


@attrs.define(kw_only=True)
class Checked:
    """A model whose __init__ does more than store: the fast path must call it."""

    count: int = attrs.field(validator=attrs.validators.ge(0))
    doubled: int = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.doubled = self.count * 2


def test_a_model_with_validators_or_post_init_still_goes_through_init() -> None:
    codec = Codec()
    assert codec.structure({"count": 2}, Checked, vendor="v", operation="o").doubled == 4
    with pytest.raises(DecodeError):
        codec.structure({"count": -1}, Checked, vendor="v", operation="o")


def test_a_plain_model_is_built_without_init_and_equals_one_built_with_it() -> None:
    node = Codec().structure(
        {"kind": "a", "tag": "node", "leaves": [{"name": "x", "ratio": 1}]}, Node, vendor="v", operation="o"
    )
    assert node == Node(kind=Kind.A, tag="node", leaves=[Leaf(name="x", ratio=1.0)])
    assert type(node.leaves[0].ratio) is float
