"""A model to and from plain JSON data, outside any call: what `Model.to_dict()` and `Model.from_dict()` run.

The same codec as a response's body (conversion.py), on data already parsed: `from_dict` decodes as a call
decodes (its checks, its DecodeError with the path of the field), and `to_dict` encodes as a request body
is encoded, with the unknown members of a decoded model written back.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from tessera._runtime.conversion import Codec

T = TypeVar("T")

_codec: Codec | None = None


def _shared() -> Codec:
    # Data from the caller, not read by orjson: the plain install's reading, never a second pass for it.
    global _codec  # noqa: PLW0603 - a lazily built process-wide cache, as the clients' one
    if _codec is None:
        _codec = Codec(speedups=False)
    return _codec


def to_data(model: object) -> dict[str, Any]:
    data: dict[str, Any] = _plain(_shared().unstructure(model, unknown_fields=True))
    return data


def _plain(value: Any) -> Any:
    """JSON's own types all through: an enum member (left as it is for a request body, whose json.dumps
    writes its value) as its value, so the data compares, and serialises anywhere, as the wire's would."""
    if isinstance(value, dict):
        return {name: _plain(member) for name, member in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def from_data(data: object, model_type: type[T]) -> T:
    module = model_type.__module__.split(".")
    vendor = module[1] if len(module) > 2 and module[0] == "tessera" else model_type.__module__
    return _shared().structure(data, model_type, vendor=vendor, operation=f"{model_type.__name__}.from_dict")
