"""The base of every generated model: it holds the JSON members a decoded body had no field for.

Vendors add fields before the specs know them. The codec keeps such members, as parsed, in a slot of
the model it decoded (`keep`), outside the attrs fields: they take no part in equality, repr or
`attrs.evolve`, and a model the user builds has none. `tessera.unknown_fields(model)` reads them;
an operation sends them back only with `send_unknown_fields=True` (conversion.Codec.unstructure).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from tessera.errors import InvalidArgument

_NONE: Final[Mapping[str, object]] = MappingProxyType({})


class Model:
    """What every class of a vendor's models.py derives from."""

    __slots__ = ("_tessera_unknown_fields",)


SLOT: Final = "_tessera_unknown_fields"
"""The slot that holds them: a dict made for it alone, read through a read-only view. The fast path
stores it directly (fastpath.py): a call per decoded object would cost a tenth of a page's time."""


def keep(model: Model, members: dict[str, object]) -> None:
    """Record `members` (a new dict of the body's members without a field) on a model just decoded."""
    object.__setattr__(model, SLOT, members)


def unknown_fields(model: object) -> Mapping[str, object]:
    """The JSON members the body of a decoded model had that its class has no field for, by their JSON
    names, with their values as parsed; empty when there were none or the model was not decoded.

    Read-only; each nested model answers for its own members. InvalidArgument (also a TypeError) for
    anything but a model of a vendor's models.py.
    """
    if not isinstance(model, Model):
        raise InvalidArgument(
            f"unknown_fields() takes a model of a tessera vendor's models.py, not {type(model).__name__}",
            argument="model",
        )
    found: dict[str, object] | None = getattr(model, SLOT, None)
    return _NONE if found is None else MappingProxyType(found)
