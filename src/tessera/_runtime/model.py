"""The base of every generated model: it holds the JSON members a decoded body had no field for.

Vendors add fields before the specs know them. The codec keeps such members, as parsed, in a slot of
the model it decoded (`keep`), outside the attrs fields: they take no part in equality, repr or
`attrs.evolve`, and a model the user builds has none. `tessera.unknown_fields(model)` reads them;
an operation sends them back only with `send_unknown_fields=True` (conversion.Codec.unstructure).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Self

from tessera.errors import InvalidArgument

_NONE: Final[Mapping[str, object]] = MappingProxyType({})


class Model:
    """What every class of a vendor's models.py derives from."""

    __slots__ = ("_tessera_unknown_fields",)

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON data, as a request body would send it: the vendor's JSON names, enum members as
        their values, dates and date-times as ISO 8601 text (`isoformat()`), an optional field left out when
        it is None, and the members a decoded body had without a field (`tessera.unknown_fields`) as they came.
        """
        from tessera._runtime.modeldata import to_data  # noqa: PLC0415 - it imports the codec, which imports this

        return to_data(self)

    def to_json(self, *, indent: int | None = None) -> str:
        """`to_dict()` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Self:
        """`data` (parsed JSON, in the vendor's names) decoded as a response body is: the same checks, and the
        same `DecodeError` naming the field (`$.results[3].status`); members without a field are kept."""
        from tessera._runtime.modeldata import from_data  # noqa: PLC0415 - it imports the codec, which imports this

        return from_data(data, cls)


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
