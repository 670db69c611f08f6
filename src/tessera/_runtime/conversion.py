"""JSON bodies to attrs models and back, through tessera's own cattrs converters.

Two converters: a fast one (`detailed_validation=False`) for every response, and a detailed one that
runs only after the fast one has failed, to say which field was wrong (and show the body, redacted).
Both read tolerantly and never wrongly: an open enum field keeps a value the spec does not list
(enumfields.py), a member no field reads is kept on the model (model.py), while a value of the wrong
JSON type, a missing required field and a body that is not JSON are refused. A generated attribute whose
JSON name differs carries it in `metadata["json"]` (an attrs alias cannot: `$sort`, `from` and `_id`
are not parameter names), and one specialised function per class does the renaming.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import enum
import json
import os
import pathlib
import types
import typing
from collections.abc import Callable
from types import NoneType
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs import cols
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import format_exception

from tessera._runtime import jsonbody, unions
from tessera._runtime.enumfields import EnumField, enum_field, member_or_value
from tessera._runtime.fastpath import compile_structure
from tessera._runtime.localfiles import is_local_file
from tessera._runtime.model import Model, keep, unknown_fields
from tessera._runtime.redaction import shown_body
from tessera.errors import DecodeError, InvalidArgument

T = TypeVar("T")

_MESSAGE_LIMIT: Final = 200

JSON_NAME: Final = "json"
"""The attrs metadata key under which the codegen writes a field's JSON name."""


def json_name(field: attrs.Attribute[Any]) -> str:
    name: object = field.metadata.get(JSON_NAME)
    return name if isinstance(name, str) else field.name


_attributes: dict[tuple[type[Any], str], str] = {}


def attribute_for_json_name(cls: type[Any], name: str) -> str:
    """The attribute of an attrs class that holds the JSON field `name` (cached: pages ask on every call)."""
    cached = _attributes.get((cls, name))
    if cached is not None:
        return cached
    for field in attrs.fields(cls):
        if json_name(field) == name:
            attribute: str = field.name
            _attributes[cls, name] = attribute
            return attribute
    raise LookupError(f"{cls.__name__} has no field for JSON name {name!r}")


def make_converter(
    *, detailed: bool, wide_integers_read_as_floats: bool = False, resend_unknown_fields: bool = False
) -> cattrs.Converter:
    """`wide_integers_read_as_floats`: the data comes from orjson (see jsonbody); free-form values and
    `int | float` unions then refuse a float that may stand for an integer past 64 bits.
    `resend_unknown_fields`: unstructuring a decoded model writes back the members it had no field for."""
    converter = cattrs.Converter(detailed_validation=detailed, omit_if_default=True)
    # Registered first, so the narrower union hooks below (X | None, scalar unions, enum fields) win.
    converter.register_structure_hook_factory(
        unions.is_union,
        lambda union, converter: unions.union_structure_factory(
            union, converter, describe=_described_briefly, json_name=json_name, reread=wide_integers_read_as_floats
        ),
    )
    _register_strict_scalars(converter, wide_integers_read_as_floats=wide_integers_read_as_floats)
    if wide_integers_read_as_floats:
        converter.register_structure_hook_func(_is_any, _structure_free_form)
    converter.register_structure_hook_factory(_is_json_container, _strict_container_factory)
    converter.register_structure_hook_func(_is_literal, _structure_literal)
    converter.register_structure_hook_factory(_is_enum_field, _enum_field_structure_factory)
    if detailed:
        converter.register_structure_hook_factory(attrs.has, _renaming_structure_factory)
    else:
        # A model's unknown members are free-form values: read from orjson, they get the same check.
        free_form = _structure_free_form if wide_integers_read_as_floats else None
        converter.register_structure_hook_factory(
            attrs.has, lambda cls, converter: compile_structure(cls, converter, json_name, free_form=free_form)
        )
    converter.register_unstructure_hook_factory(
        attrs.has,
        lambda cls, converter: _renaming_unstructure_factory(cls, converter, resend_unknown_fields),
    )
    return converter


def _renaming_structure_factory(cls: type[Any], converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    structure = make_dict_structure_fn(cls, converter, **_renames(cls))
    names = frozenset(json_name(field) for field in attrs.fields(cls))
    known = names if issubclass(cls, Model) else None

    def structure_object(value: Any, target: Any) -> Any:
        # cattrs would index a list or a string by the first field's name, and blame that field.
        if type(value) is not dict:
            raise TypeError(f"expected an object ({cls.__name__}), got {type(value).__name__}")
        model = structure(value, target)
        if known is not None and not value.keys() <= known:
            keep(model, {name: member for name, member in value.items() if name not in known})
        return model

    return structure_object


def _renaming_unstructure_factory(
    cls: type[Any], converter: cattrs.Converter, resend_unknown_fields: bool
) -> Callable[[Any], Any]:
    unstructure = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **_renames(cls))
    if not resend_unknown_fields or not issubclass(cls, Model):
        return unstructure

    def unstructure_with_unknown_fields(value: Any) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(value)
        for name, member in unknown_fields(value).items():
            data.setdefault(name, member)  # never the name of a field of the class: none is hidden
        return data

    return unstructure_with_unknown_fields


def _renames(cls: type[Any]) -> dict[str, Any]:
    """One cattrs override per attribute whose JSON name differs (typed Any: cattrs' kwargs mix flags in)."""
    attrs.resolve_types(cls)
    return {f.name: override(rename=json_name(f)) for f in attrs.fields(cls) if json_name(f) != f.name}


def _is_any(annotation: object) -> bool:
    return annotation is Any


def _structure_free_form(value: object, _: object) -> object:
    if jsonbody.holds_wide_integer(value):
        raise ValueError("a float that may have been an integer past 64 bits: to be read again")
    return value


def _register_strict_scalars(converter: cattrs.Converter, *, wide_integers_read_as_floats: bool) -> None:
    """cattrs would call `int(x)` and `str(x)`: 1.9 would become 1 and 5 would become "5", silently."""

    def structure_str(value: object, _: object) -> str:
        if type(value) is str:
            return value
        raise TypeError(f"expected a string, got {type(value).__name__}")

    def structure_int(value: object, _: object) -> int:
        if type(value) is int:
            return value
        raise TypeError(f"expected an integer, got {type(value).__name__}")

    def structure_float(value: object, _: object) -> float:
        if type(value) is float or type(value) is int:
            return float(value)
        raise TypeError(f"expected a number, got {type(value).__name__}")

    def structure_bool(value: object, _: object) -> bool:
        if type(value) is bool:
            return value
        raise TypeError(f"expected a boolean, got {type(value).__name__}")

    def structure_datetime(value: object, _: object) -> datetime.datetime:
        if type(value) is str:
            return datetime.datetime.fromisoformat(value)
        raise TypeError(f"expected an ISO 8601 date-time string, got {type(value).__name__}")

    def structure_date(value: object, _: object) -> datetime.date:
        if type(value) is str:
            return datetime.date.fromisoformat(value)
        raise TypeError(f"expected an ISO 8601 date string, got {type(value).__name__}")

    def optional_factory(optional: object) -> Callable[[object, object], object]:
        # cattrs' own hook dispatches on the inner type at every call; resolve it once per type.
        (inner,) = [member for member in typing.get_args(optional) if member is not NoneType]
        if inner is str or inner is int or inner is bool:
            # The commonest fields, checked inline: no second call per value.
            def structure_optional_scalar(value: object, _: object) -> object:
                if value is None or type(value) is inner:
                    return value
                raise TypeError(f"expected {inner.__name__} or null, got {type(value).__name__}")

            return structure_optional_scalar
        inner_hook = converter.get_structure_hook(inner)

        def structure_optional(value: object, _: object) -> object:
            return None if value is None else inner_hook(value, inner)

        return structure_optional

    def structure_scalar_union(value: object, union: object) -> object:
        members = typing.get_args(union)
        if wide_integers_read_as_floats and int in members and jsonbody.may_be_wide_integer(value):
            raise ValueError("a float that may have been an integer past 64 bits: to be read again")
        if type(value) in members:
            return value
        if type(value) is int and float in members:
            return float(value)
        names = " or ".join("null" if member is NoneType else member.__name__ for member in members)
        raise TypeError(f"expected {names}, got {type(value).__name__}")

    converter.register_structure_hook_func(_is_scalar_union, structure_scalar_union)
    converter.register_structure_hook(str, structure_str)
    converter.register_structure_hook(int, structure_int)
    converter.register_structure_hook(float, structure_float)
    converter.register_structure_hook(bool, structure_bool)
    converter.register_structure_hook(datetime.datetime, structure_datetime)
    converter.register_structure_hook(datetime.date, structure_date)
    # Hooks dispatch on the class's MRO, where StrEnum and IntEnum come before str and int.
    converter.register_structure_hook(enum.Enum, _structure_enum)
    converter.register_structure_hook(enum.StrEnum, _structure_enum)
    converter.register_structure_hook(enum.IntEnum, _structure_enum)
    converter.register_structure_hook_factory(_is_optional, optional_factory)
    _register_bytes(converter)
    converter.register_unstructure_hook(datetime.datetime, datetime.datetime.isoformat)
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)


_SCALARS = frozenset({str, int, float, bool, NoneType})


def _register_bytes(converter: cattrs.Converter) -> None:
    converter.register_structure_hook(bytes, _structure_bytes)
    # After the union and optional hooks: a request-only model's bytes field (localfiles.LocalFile) reads bytes.
    converter.register_structure_hook_func(is_local_file, _structure_local_file)
    converter.register_unstructure_hook(bytes, _base64_text)
    # cattrs writes a PurePath as its text; here it stands for a file's bytes, never for its name.
    for path_type in (pathlib.Path, pathlib.PurePath, os.PathLike):
        converter.register_unstructure_hook(path_type, _unread_path)


def _structure_bytes(value: object, _: object) -> bytes:
    """`format: binary`/`byte`, `contentEncoding: base64`: base64 text in JSON, bytes in the model."""
    if type(value) is not str:
        raise TypeError(f"expected a base64 string, got {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("expected a base64 string: not valid base64") from None


def _structure_local_file(value: object, annotation: object) -> bytes | None:
    """A bytes field that a request may also fill from a path: read, it is bytes (or null where it may be)."""
    if value is None and NoneType in typing.get_args(annotation):
        return None
    return _structure_bytes(value, bytes)


def _unread_path(value: os.PathLike[str]) -> object:
    """A path in a bytes field (localfiles.LocalFile) no call has read: to_dict(), which writes data, not files."""
    raise InvalidArgument(
        f"a path ({os.path.basename(value)!r}) stands for a file's bytes, which a call reads when it sends the body;"
        " to_dict() writes no file: give the field the bytes (path.read_bytes())",
        argument="model",
    )


def _base64_text(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _is_optional(annotation: object) -> bool:
    """`X | None` with one X (scalar unions with None have their own hook)."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return False
    members = typing.get_args(annotation)
    return NoneType in members and len(members) == 2


def _strict_container_factory(annotation: Any, converter: cattrs.Converter) -> Callable[[object, object], object]:
    """cattrs iterates whatever it is given: a string would become a list of characters and a list
    of pairs a dict. JSON has one type for each; anything else is the wrong type."""
    expected: type[object]
    if typing.get_origin(annotation) is list:
        expected, name, structure = list, "an array", cols.list_structure_factory(annotation, converter)
    else:
        expected, name, structure = dict, "an object", cols.mapping_structure_factory(annotation, converter)

    def structure_container(value: Any, target: object) -> object:
        if type(value) is not expected:
            raise TypeError(f"expected {name}, got {type(value).__name__}")
        return structure(value, target)

    return structure_container


def _structure_enum(value: object, enum_type: type[enum.Enum]) -> enum.Enum:
    # The value-to-member map, looked up directly: calling the enum class costs five times more.
    try:
        member = enum_type._value2member_map_[value]
    except (KeyError, TypeError):
        raise ValueError(f"not a {enum_type.__name__} value") from None
    if type(member.value) is not type(value):  # True finds the member 1, and 1.0 too
        raise ValueError(f"not a {enum_type.__name__} value: a {type(value).__name__}")
    return member


def _is_enum_field(annotation: object) -> bool:
    return enum_field(annotation) is not None


def _enum_field_structure_factory(annotation: object, _: cattrs.Converter) -> Callable[[object, object], object]:
    field = enum_field(annotation)
    assert field is not None  # the predicate above chose it
    return _structure_enum_field(field)


def _structure_enum_field(field: EnumField) -> Callable[[object, object], object]:
    def structure_enum_field(value: object, _: object) -> object:
        return None if value is None and field.nullable else member_or_value(value, field)

    return structure_enum_field


def _is_literal(annotation: object) -> bool:
    return typing.get_origin(annotation) is typing.Literal


def _structure_literal(value: object, literal: object) -> object:
    """cattrs' own check says `<the value> not in literal`: a huge or secret value would be in the message."""
    for allowed in typing.get_args(literal):
        if value == allowed and type(value) is type(allowed):
            return value
    raise ValueError("expected one of " + ", ".join(repr(allowed) for allowed in typing.get_args(literal)))


def _is_json_container(annotation: object) -> bool:
    """`list[X]` and `dict[str, X]`: the containers the codegen emits for arrays and free objects."""
    return typing.get_origin(annotation) in (list, dict)


def _is_scalar_union(annotation: object) -> bool:
    """`int | str` and the like (a spec's `type: [integer, string]`): cattrs has no hook of its own for them."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return False
    members = typing.get_args(annotation)
    return all(member in _SCALARS for member in members) and len(set(members) - {NoneType}) > 1


class Codec:
    """Decodes bodies into models (fast path first) and encodes request models into JSON-ready data."""

    def __init__(self, *, speedups: bool = jsonbody.ORJSON_LOADS is not None) -> None:
        """`speedups`: read bodies with orjson first; tests and benchmarks pass False for a plain install's codec."""
        self._orjson_loads = jsonbody.ORJSON_LOADS if speedups else None
        self._fast = make_converter(detailed=False, wide_integers_read_as_floats=speedups)
        self._detailed = make_converter(detailed=True)
        self._resending = make_converter(detailed=False, resend_unknown_fields=True)
        self._hooks: dict[Any, Callable[[Any, Any], Any]] = {}

    def decode(self, raw: bytes, target: type[T], *, vendor: str, operation: str) -> T:
        if self._orjson_loads is not None:
            try:
                value: T = self._fast_hook(target)(self._orjson_loads(raw), target)
            except Exception:  # noqa: BLE001, S110 - orjson refused the body, or the fast path what orjson read
                pass  # the standard library's reading decides (see jsonbody)
            else:
                return value
        data = _read(raw, target, vendor=vendor, operation=operation)
        return self.structure(data, target, vendor=vendor, operation=operation, body=raw)

    def structure(
        self, data: object, target: type[T], *, vendor: str, operation: str, body: bytes | str | None = None
    ) -> T:
        """`data` (parsed JSON) as `target`; `body`: the bytes or text it was read from, which a DecodeError
        shows (without them, `data` written again)."""
        try:
            value: T = self._fast_hook(target)(data, target)
        except Exception:  # noqa: BLE001 - any failure of the fast path is re-run to name the field
            return self._structure_detailed(data, target, vendor=vendor, operation=operation, body=body)
        return value

    def _fast_hook(self, target: Any) -> Callable[[Any, Any], Any]:
        hook = self._hooks.get(target)
        if hook is None:
            hook = self._hooks[target] = self._fast.get_structure_hook(target)
        return hook

    def _structure_detailed(
        self, data: object, target: type[T], *, vendor: str, operation: str, body: bytes | str | None
    ) -> T:
        try:
            value: T = self._detailed.structure(data, target)
        except Exception as exc:  # noqa: BLE001 - cattrs raises exception groups and plain errors alike
            message, path = _first_problem(exc)
            shown = shown_body(data if body is None else body, target, json_name)
            raise DecodeError(message, path=path, vendor=vendor, operation=operation, body=shown) from None
        return value

    def unstructure(self, value: object, *, unknown_fields: bool = False) -> object:
        """`value` as JSON-ready data; `unknown_fields`: with the members each decoded model had no field for."""
        return (self._resending if unknown_fields else self._fast).unstructure(value)


def _read(raw: bytes, target: object, *, vendor: str, operation: str) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        problem = f"the body is not JSON ({len(raw)} bytes)"
    except RecursionError:  # not a ValueError: json gives up on arrays or objects nested too deeply
        problem = f"the body is JSON nested too deeply to read ({len(raw)} bytes)"
    raise DecodeError(problem, vendor=vendor, operation=operation, body=shown_body(raw, target, json_name))


def _first_problem(exc: Exception) -> tuple[str, str]:
    """cattrs' error group as one message and the `$.a.b[0]` path of its first leaf, in JSON names."""
    problems = _problems(exc, "$") if isinstance(exc, cattrs.BaseValidationError) else []
    if not problems:
        return (f"{type(exc).__name__}: {exc}", "$")
    return problems[0]


def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """(message, path) of every leaf of a cattrs error group, as `cattrs.transform_error` walks it.

    cattrs names an attribute by its Python name (`sent_at`); the path names the field of the body
    (`sentAt`), read from the attribute's metadata on the class the error group carries.
    """
    if isinstance(exc, cattrs.IterableValidationError):
        with_index, without = exc.group_exceptions()
        steps = [(inner, f"{path}[{note.index!r}]", note.type) for inner, note in with_index]
    elif isinstance(exc, cattrs.ClassValidationError):
        with_name, without = exc.group_exceptions()
        names = _json_names(exc.cl)
        steps = [(inner, _member(path, names.get(note.name, note.name)), note.type) for inner, note in with_name]
    else:
        return [(_described(exc, None), path)]
    problems: list[tuple[str, str]] = []
    for inner, inner_path, inner_type in steps:
        if isinstance(inner, cattrs.BaseValidationError):
            problems += _problems(inner, inner_path)
        else:
            problems.append((_described(inner, inner_type), inner_path))
    problems += [(_described(inner, None), path) for inner in without]
    return problems


def _described_briefly(exc: Exception) -> str:
    """Why a union's member did not fit: the first problem, at its path inside the member (`$.meows`)."""
    message, path = _first_problem(exc)
    return message if path == "$" else f"{path}: {message}"


def _described(exc: BaseException, target: Any) -> str:
    """Our hooks' own words ("expected an array, got str"); cattrs' for its errors ("required field missing").

    Cut short: a library's message may quote the whole value it refused.
    """
    own = isinstance(exc, TypeError | ValueError) and str(exc)
    message = str(exc) if own else format_exception(exc, target)
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 3] + "..."


def _json_names(cls: type[Any]) -> dict[str, str]:
    if not attrs.has(cls):
        return {}
    return {field.name: json_name(field) for field in attrs.fields(cls)}


def _member(path: str, name: str) -> str:
    """`$.name`, or `$['$sort']` for a JSON name that is not an identifier."""
    return f"{path}.{name}" if name.isidentifier() else f"{path}[{name!r}]"
