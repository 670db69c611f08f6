"""A call's path, query, header and cookie arguments: checked against the spec's types and written, in one pass.

The generated `_endpoints.py` describes each parameter of an operation as data (a `Parameter` and its
`Kind`, read from the spec), so this one module checks every call of every vendor. A value the spec
does not allow (None for a required parameter, `object()`, bytes, a dict, a bool for an integer, a
string outside an enum) raises InvalidArgument naming the argument before anything is sent: sent as
its `str()`, it would reach the vendor as `None` or `<object object at 0x...>`.

A path value must also stay inside its own segment. It is percent-encoded whole (`/` included), and
`''`, `.` and `..` are refused: yarl removes dot segments (`/docs/../` is `/`), and servers decode
`%2E` before they do the same, so encoding cannot save them. The same check serves the auth routes
(login, mint), whose path values come from a credential or a call.

Arrays follow the spec's default styles, with its `explode`: `simple` in a path and a header (items joined
by `,`), `form` in a query and a cookie (one pair per item when exploded, else one pair of items joined by
`,`). A header value must not hold CR, LF or NUL (it would end the header and start another); a cookie's
items are percent-encoded, as a query's are, so that `;`, `,` or a space cannot end the cookie.
"""

from __future__ import annotations

import datetime
import enum
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import quote

import attrs

from tessera._runtime.conversion import json_name
from tessera.errors import InvalidArgument

if TYPE_CHECKING:
    from tessera._runtime.operation import Operation

DOT_SEGMENTS: Final = frozenset({"", ".", ".."})
"""Path segments a URL library or a server resolves away, moving the request to another route."""
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
"""In a str, a surrogate is always a lone one (pairs are one code point): UTF-8 cannot encode it."""


class Kind:
    """What a parameter takes, and how its value is written in a URL."""

    __slots__ = ("expected",)

    def __init__(self, expected: str) -> None:
        self.expected = expected
        """What the kind takes, for messages: `an int`."""

    def text(self, value: object) -> str | None:
        """The value as the URL carries it, or None when this kind does not take it."""
        raise NotImplementedError

    def mismatch(self, value: object) -> str:
        """What was given instead: a type, never a value (values may be personal data)."""
        return "None" if value is None else type(value).__name__


class _String(Kind):
    __slots__ = ()

    def text(self, value: object) -> str | None:
        if not isinstance(value, str) or not encodable(value):
            return None
        if type(value) is str:
            return value
        # A subclass: a str enum's member is sent as its value, not as its name.
        return str(value.value) if isinstance(value, enum.Enum) else str.__str__(value)

    def mismatch(self, value: object) -> str:
        return "a str UTF-8 cannot encode (a lone surrogate)" if isinstance(value, str) else super().mismatch(value)


class _Integer(Kind):
    __slots__ = ()

    def text(self, value: object) -> str | None:
        # bool is an int to Python, never to the spec: `True` would be sent as `1`.
        return str(int(value)) if isinstance(value, int) and not isinstance(value, bool) else None


class _Number(Kind):
    __slots__ = ()

    def text(self, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if isinstance(value, int):
            return str(int(value))
        return repr(float(value)) if math.isfinite(value) else None

    def mismatch(self, value: object) -> str:
        return repr(value) if isinstance(value, float) else super().mismatch(value)


class _Boolean(Kind):
    __slots__ = ()

    def text(self, value: object) -> str | None:
        if value is True:
            return "true"
        return "false" if value is False else None


class _Date(Kind):
    __slots__ = ()

    def text(self, value: object) -> str | None:
        # A datetime is a date to Python; sent as one, its time and offset would change the day asked for.
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat()
        return None


class _DateTime(Kind):
    __slots__ = ()

    def text(self, value: object) -> str | None:
        return value.isoformat() if isinstance(value, datetime.datetime) else None


class EnumOf(Kind):
    """An enum of models.py: its members, or the text of one of their values."""

    __slots__ = ("_values", "cls")

    def __init__(self, cls: type[enum.Enum]) -> None:
        self.cls = cls
        self._values = frozenset(str(member.value) for member in cls)
        listed = ", ".join(repr(str(member.value)) for member in cls)
        super().__init__(f"a {cls.__name__} or one of its values ({listed})")

    def text(self, value: object) -> str | None:
        if isinstance(value, self.cls):
            return str(value.value)
        if isinstance(value, str) and value in self._values:
            return str(value.value) if isinstance(value, enum.Enum) else value
        return None

    def mismatch(self, value: object) -> str:
        return "another string" if isinstance(value, str) else super().mismatch(value)


class AnyOf(Kind):
    """A parameter's `oneOf`/`anyOf`: a value one of the members takes, written as the first that takes it does."""

    __slots__ = ("members",)

    def __init__(self, *members: Kind) -> None:
        self.members = members
        super().__init__(" or ".join(member.expected for member in members))

    def text(self, value: object) -> str | None:
        for member in self.members:
            text = member.text(value)
            if text is not None:
                return text
        return None


class ListOf(Kind):
    """An array parameter: a list or a tuple, each item of `item`'s kind."""

    __slots__ = ("item",)

    def __init__(self, item: Kind) -> None:
        self.item = item
        super().__init__(f"a list or tuple, each item {item.expected}")

    def text(self, value: object) -> str | None:
        return None  # never one text: how its items are written depends on the parameter's style (items())

    def items(self, value: object) -> list[str] | None:
        if not isinstance(value, list | tuple):
            return None
        texts: list[str] = []
        for item in value:
            text = self.item.text(item)
            if text is None:
                return None
            texts.append(text)
        return texts

    def mismatch(self, value: object) -> str:
        if isinstance(value, list | tuple):
            refused = next(item for item in value if self.item.text(item) is None)
            return f"an item that is {self.item.mismatch(refused)}"
        return super().mismatch(value)


class ObjectOf(Kind):
    """A query's object (form style): a model of models.py whose fields each hold a value their property's kind
    takes, written as `(JSON name, text)` pairs; a field that is None is left out."""

    __slots__ = ("cls", "properties")

    def __init__(self, cls: type[Any], properties: Mapping[str, Kind]) -> None:
        self.cls = cls
        self.properties = dict(properties)
        super().__init__(f"a {cls.__name__}")

    def text(self, value: object) -> str | None:
        return None  # never one text: its properties are pairs of their own (pairs())

    def pairs(self, value: object) -> list[tuple[str, str]] | None:
        if not isinstance(value, self.cls):
            return None
        pairs: list[tuple[str, str]] = []
        for name, item in self._fields(value):
            kind = self.properties.get(name)
            text = None if kind is None else kind.text(item)
            if text is None:
                return None
            pairs.append((name, text))
        return pairs

    def mismatch(self, value: object) -> str:
        if isinstance(value, self.cls):
            for name, item in self._fields(value):
                kind = self.properties.get(name)
                if kind is None:
                    return f"a {self.cls.__name__} with {name!r}, which the spec does not list"
                if kind.text(item) is None:
                    return f"a {self.cls.__name__} whose {name!r} is {kind.mismatch(item)}, not {kind.expected}"
        return super().mismatch(value)

    def _fields(self, value: object) -> list[tuple[str, object]]:
        """The model's fields that hold a value, by JSON name."""
        found = [(json_name(field), getattr(value, field.name)) for field in attrs.fields(self.cls)]
        return [(name, item) for name, item in found if item is not None]


STRING: Final[Kind] = _String("a str")
INTEGER: Final[Kind] = _Integer("an int (not a bool)")
NUMBER: Final[Kind] = _Number("a finite int or float (not a bool)")
BOOLEAN: Final[Kind] = _Boolean("a bool")
DATE: Final[Kind] = _Date("a datetime.date (not a datetime)")
DATE_TIME: Final[Kind] = _DateTime("a datetime.datetime")


def encodable(text: str) -> bool:
    """Whether UTF-8 can write `text`: not with a lone surrogate (what a bad decode leaves in a str)."""
    return text.isascii() or _SURROGATE.search(text) is None  # isascii: nearly every value, a scan, no copy


Location = Literal["path", "query", "header", "cookie"]
_HEADER_BREAKS: Final = re.compile("[\r\n\0]")
"""What would end a header line (CR, LF) or that servers refuse in one (NUL)."""


@attrs.frozen
class Parameter:
    """One parameter of an operation, as its spec declares it."""

    name: str
    """The spec's name: the placeholder of the path template, the query's key, the header's or cookie's name."""
    argument: str
    """The method's keyword for it, which errors name."""
    location: Location
    kind: Kind
    required: bool
    """None is refused: the spec requires a value. A parameter that is optional, or nullable (a request
    cannot carry a null), is left out when None."""
    explode: bool = attrs.field()
    """An array's items as one pair each (form style: query, cookie), or joined by `,`. The spec's default:
    true for form, false for simple (path, header), where it changes nothing for an array."""

    @explode.default
    def _default_explode(self) -> bool:
        return self.location in ("query", "cookie")


def path_segments(operation: Operation, values: Mapping[str, object], vendor: str) -> dict[str, str]:
    """Each path parameter's value, checked and encoded as one segment, by its placeholder's name."""
    segments: dict[str, str] = {}
    for name, value in values.items():
        parameter = operation.path_parameters.get(name) or _undeclared(operation, name, "path", vendor)
        texts = _texts(operation, parameter, value, vendor)
        if isinstance(parameter.kind, ListOf):
            # simple style: the items joined by `,`; an empty array would leave an empty segment, refused.
            texts = _commaless(operation, parameter, texts, vendor) or [""]
        segments[name] = ",".join(
            path_segment(text, argument=parameter.argument, vendor=vendor, operation=operation.operation_id)
            for text in texts
        )
    return segments


def query_params(operation: Operation, values: Mapping[str, object], vendor: str) -> list[tuple[str, str]]:
    """The query's `(name, value)` pairs, an array's items one pair each; None values left out."""
    params: list[tuple[str, str]] = []
    for name, value in values.items():
        parameter = operation.query_parameters.get(name) or _undeclared(operation, name, "query", vendor)
        if value is None and not parameter.required:
            continue
        if isinstance(parameter.kind, ObjectOf):
            pairs = parameter.kind.pairs(value)
            if pairs is None:
                raise _refused(operation, parameter, value, vendor)
            if parameter.explode:
                params.extend(pairs)
            else:
                texts = [text for pair in pairs for text in pair]
                params.append((name, ",".join(_commaless(operation, parameter, texts, vendor))))
            continue
        texts = _texts(operation, parameter, value, vendor)
        if parameter.explode:
            params.extend((name, text) for text in texts)
        else:
            params.append((name, ",".join(_commaless(operation, parameter, texts, vendor))))
    return params


def header_values(operation: Operation, values: Mapping[str, object], vendor: str) -> dict[str, str]:
    """Each header parameter's value (an array's items joined by `,`); None values left out."""
    headers: dict[str, str] = {}
    for name, value in values.items():
        parameter = operation.header_parameters.get(name) or _undeclared(operation, name, "header", vendor)
        if value is None and not parameter.required:
            continue
        texts = _texts(operation, parameter, value, vendor)
        if isinstance(parameter.kind, ListOf):
            texts = _commaless(operation, parameter, texts, vendor)
        text = ",".join(texts)
        if _HEADER_BREAKS.search(text):
            raise InvalidArgument(
                f"{parameter.argument} must not contain CR, LF or NUL: in a header it would end the line",
                argument=parameter.argument,
                vendor=vendor,
                operation=operation.operation_id,
            )
        headers[name] = text
    return headers


def cookie_header(operation: Operation, values: Mapping[str, object], vendor: str) -> str | None:
    """The `Cookie` header of the cookie parameters (`a=1; b=x%20y`), or None when every value is None."""
    pairs: list[str] = []
    for name, value in values.items():
        parameter = operation.cookie_parameters.get(name) or _undeclared(operation, name, "cookie", vendor)
        if value is None and not parameter.required:
            continue
        texts = [quote(text, safe="") for text in _texts(operation, parameter, value, vendor)]
        if parameter.explode:
            pairs.extend(f"{name}={text}" for text in texts)
        else:
            pairs.append(f"{name}={','.join(texts)}")
    return "; ".join(pairs) if pairs else None


def _commaless(operation: Operation, parameter: Parameter, texts: list[str], vendor: str) -> list[str]:
    """The items of an array written joined by `,`, none holding a `,`: the server could not tell it from two.

    (yarl writes a path's `%2C` back as `,`, and a query's `,` as is, so encoding cannot save them.)
    """
    if any("," in text for text in texts):
        raise InvalidArgument(
            f"{parameter.argument} must not have an item holding ',': its items are sent joined by ','",
            argument=parameter.argument,
            vendor=vendor,
            operation=operation.operation_id,
        )
    return texts


def _texts(operation: Operation, parameter: Parameter, value: object, vendor: str) -> list[str]:
    """The value's text, or an array's items' texts; InvalidArgument for a value the kind does not take."""
    kind = parameter.kind
    texts = kind.items(value) if isinstance(kind, ListOf) else None
    if texts is None:
        text = None if isinstance(kind, ListOf) else kind.text(value)
        if text is None:
            raise _refused(operation, parameter, value, vendor)
        texts = [text]
    return texts


def path_segment(text: str, *, argument: str, vendor: str, operation: str) -> str:
    """`text` percent-encoded as one path segment; InvalidArgument for a dot segment or an empty one."""
    if text in DOT_SEGMENTS:
        problem = "must not be '', '.' or '..': in a URL's path it would send the call to another route"
    elif not encodable(text):
        problem = "must be text UTF-8 can encode, not a str with a lone surrogate"
    else:
        return quote(text, safe="")
    raise InvalidArgument(f"{argument} {problem}", argument=argument, vendor=vendor, operation=operation)


def _refused(operation: Operation, parameter: Parameter, value: object, vendor: str) -> InvalidArgument:
    return InvalidArgument(
        f"{parameter.argument} must be {parameter.kind.expected}, not {parameter.kind.mismatch(value)}",
        argument=parameter.argument,
        vendor=vendor,
        operation=operation.operation_id,
    )


def _undeclared(operation: Operation, name: str, location: str, vendor: str) -> Parameter:
    raise InvalidArgument(
        f"the spec declares no {location} parameter {name!r} for this operation",
        argument=name,
        vendor=vendor,
        operation=operation.operation_id,
    )
