"""Reading a response body's JSON: with orjson when it is installed (the `speedups` extra), else the standard library.

The standard library's `json.loads` is most of what decoding a page costs (10 of 18 ms for 1,000
documents; orjson reads the same bytes in 3 to 5: docs/benchmarks.md). Installing the extra must
change only that time, never a decoded value or an error, and orjson differs in two ways:
- It refuses what `json.loads` reads or refuses in its own way: NaN and Infinity, numbers past a
  double's range, lone surrogates, a byte order mark, UTF-16, nesting past 1,024 levels. A body orjson
  refuses is read by `json.loads`, whose value or error is the outcome.
- It reads an integer past 64 bits as the nearest float (`json.loads`: the exact int). A typed field
  notices (an int field refuses the float; a float field gets the same float either way); a free-form
  one (`Any`) or an `int | float` union would keep the float, so the codec's fast path refuses a float
  that may have been such an integer (`may_be_wide_integer`). Either way the codec then reads the body
  with `json.loads` and decodes that (conversion.Codec.decode): one fallback for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Loads = Callable[[bytes], Any]


def _orjson_loads() -> Loads | None:
    try:
        import orjson  # noqa: PLC0415 - optional: the `speedups` extra
    except ImportError:
        return None
    return orjson.loads


ORJSON_LOADS: Loads | None = _orjson_loads()
"""orjson's reader where the extra is installed: the codec tries it first (conversion.Codec.decode)."""

_WIDE = 2.0**63
"""orjson reads integers in [-2**63, 2**64) as ints: any wider one becomes a float at least this large."""


def may_be_wide_integer(value: object) -> bool:
    """Whether `value` is a float orjson may have made of an integer past 64 bits."""
    return type(value) is float and abs(value) >= _WIDE and value.is_integer()


def holds_wide_integer(value: object) -> bool:
    """Whether a free-form JSON value holds, at any depth, a float orjson may have made of an integer.

    Scalars are looked at in the loop, without a call each: every decoded model with members its class
    has no field for asks this of them (conversion, fastpath).
    """
    items: Iterable[object]
    if type(value) is dict:
        items = value.values()
    elif type(value) is list:
        items = value
    else:
        return may_be_wide_integer(value)
    for item in items:
        kind = type(item)
        if (kind is float and may_be_wide_integer(item)) or (
            (kind is dict or kind is list) and holds_wide_integer(item)
        ):
            return True
    return False
