"""With orjson installed (the `speedups` extra), decoding gives what the standard library alone gives.

The test session installs the extra, so every other decoding test reads with orjson; these compare
each outcome (the model, or the DecodeError's message and path) with a codec reading with `json.loads`,
the plain install, on the bodies where the two parsers differ.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera._runtime import jsonbody
from tessera._runtime.conversion import Codec
from tessera.errors import DecodeError

FAST: Final = Codec()
PLAIN: Final = Codec(speedups=False)
WIDE: Final = 2**64
"""Past what orjson reads as an integer: it makes 1.8446744073709552e+19 of it."""


@attrs.define(kw_only=True)
class Reading:
    count: int | None = None
    ratio: float | None = None
    either: int | float | None = None
    free: Any = None
    tags: dict[str, Any] | None = None
    ids: list[int] | None = None


def outcome(codec: Codec, raw: bytes) -> object:
    """The decoded model's repr (it tells 1 from 1.0, and shows NaN), or the DecodeError's text and path."""
    try:
        return repr(codec.decode(raw, Reading, vendor="zapsign", operation="read"))
    except DecodeError as error:
        return ("DecodeError", str(error), error.path)


def test_the_test_session_reads_with_orjson() -> None:
    # The tests install tessera[speedups]: without it the comparisons below would compare json with json.
    assert jsonbody.ORJSON_LOADS is not None


BODIES: Final = {
    "integer past 64 bits, int field": b'{"count": 18446744073709551616}',
    "integer past 64 bits, negative": b'{"count": -9223372036854775809}',
    "integer past 64 bits, float field": b'{"ratio": 18446744073709551616}',
    "integer past 64 bits, int | float": b'{"either": 18446744073709551616}',
    "integer past 64 bits, free-form": b'{"free": {"a": [1, 18446744073709551616]}}',
    "integer past 64 bits, free object": b'{"tags": {"n": 18446744073709551616}}',
    "integer past 64 bits, list of int": b'{"ids": [1, 18446744073709551616]}',
    "float as large, free-form": b'{"free": 1.8446744073709552e19}',
    "widest 64-bit integers": b'{"count": 18446744073709551615, "free": -9223372036854775808}',
    "huge integer": b'{"count": ' + b"9" * 5000 + b"}",
    "NaN, float field": b'{"ratio": NaN}',
    "Infinity, free-form": b'{"free": Infinity}',
    "number past a double": b'{"ratio": 1e400}',
    "lone surrogate": b'{"free": "\\ud800"}',
    "byte order mark": b'\xef\xbb\xbf{"count": 1}',
    "UTF-16": '{"count": 1}'.encode("utf-16"),
    "invalid UTF-8": b'{"free": "\xff"}',
    "nested past 1,024": b'{"free": ' + b"[" * 1030 + b"]" * 1030 + b"}",
    "nested past the recursion limit": b'{"free": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "duplicate keys": b'{"count": 1, "count": 2}',
    "trailing comma": b'{"count": 1,}',
    "not JSON": b"<html>proxy error</html>",
    "empty": b"",
    "wrong type": b'{"count": "1"}',
}


@pytest.mark.parametrize("raw", BODIES.values(), ids=BODIES.keys())
def test_orjson_and_the_standard_library_give_the_same_outcome(raw: bytes) -> None:
    assert outcome(FAST, raw) == outcome(PLAIN, raw)


def test_an_integer_past_64_bits_stays_an_exact_int_wherever_it_lands() -> None:
    read = FAST.decode(
        b'{"count": %d, "either": %d, "free": [%d], "tags": {"n": %d}, "ids": [%d]}' % ((WIDE,) * 5),
        Reading,
        vendor="zapsign",
        operation="read",
    )
    assert (read.count, read.either, read.free, read.tags, read.ids) == (WIDE, WIDE, [WIDE], {"n": WIDE}, [WIDE])
    assert all(type(value) is int for value in (read.count, read.either, read.free[0], read.tags["n"], read.ids[0]))  # type: ignore[index]


def test_a_float_field_gets_the_same_float_from_either_reading() -> None:
    read = FAST.decode(b'{"ratio": %d}' % WIDE, Reading, vendor="zapsign", operation="read")
    assert read.ratio == float(WIDE)
    assert type(read.ratio) is float


def test_nan_reads_as_the_standard_library_reads_it() -> None:
    read = FAST.decode(b'{"ratio": NaN}', Reading, vendor="zapsign", operation="read")
    assert read.ratio is not None
    assert math.isnan(read.ratio)


def integers() -> st.SearchStrategy[int]:
    """Integers around and past orjson's 64-bit range, and ordinary ones."""
    edges = st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1])
    return edges | st.integers() | st.integers(min_value=-(2**80), max_value=2**80)


JSON_VALUES: Final = st.recursive(
    st.none() | st.booleans() | integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@given(
    count=st.none() | integers() | st.floats() | st.text(max_size=4),
    ratio=st.none() | integers() | st.floats(),
    either=st.none() | integers() | st.floats() | st.booleans(),
    free=JSON_VALUES,
    ids=st.none() | st.lists(integers() | st.floats(), max_size=4),
)
def test_any_body_decodes_alike_with_either_reader(
    count: object, ratio: object, either: object, free: object, ids: object
) -> None:
    raw = json.dumps({"count": count, "ratio": ratio, "either": either, "free": free, "ids": ids}).encode()
    assert outcome(FAST, raw) == outcome(PLAIN, raw)
