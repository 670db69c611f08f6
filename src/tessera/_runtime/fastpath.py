"""The fast decoding path: one compiled structuring function per model, with the checks inline.

cattrs' generated functions call a hook per field (a Python call per string, per number); on a page
of documents that doubles the cost of reading it. Here each model gets Python source written for its
own fields: scalars are checked in place (`type(v) is str`), enums read their value map, nested
models and lists call the nested model's compiled function directly. Any other annotation (a union
of models, a free dict, a Literal) falls back to the cattrs hook for that field. Members no field reads
are noticed by counting: the body has more keys than the fields found in it (one `len` per object,
plus one addition per optional field absent); only then are they collected, read as a free-form
value (`Any`), and kept on the model.

The fast path only has to be right for bodies that fit and to raise for bodies that do not: when it
raises, the codec runs the detailed cattrs converter, which names the field (see conversion.Codec).
"""

from __future__ import annotations

import datetime
import enum
import itertools
import types
import typing
from collections.abc import Callable
from types import NoneType
from typing import Any

import attrs
import cattrs

from tessera._runtime.enumfields import enum_field
from tessera._runtime.model import SLOT, Model, keep

Structure = Callable[[Any, Any], Any]

_SCALARS = (str, int, bool)
_counter = itertools.count()
_ABSENT = object()
"""A key missing from the body (None is a value: JSON null)."""
_compiling: set[type[Any]] = set()
"""Models being compiled: a reference back to one (a recursive model) is looked up when first called."""


def compile_structure(
    cls: type[Any], converter: cattrs.Converter, json_name: Callable[[Any], str], *, free_form: Structure | None = None
) -> Structure:
    """A structuring function for the attrs class `cls` (the hook signature cattrs uses). `free_form`: the
    hook that checks a free-form value, which a model's unknown members get too (None: taken as they are)."""
    attrs.resolve_types(cls)
    _compiling.add(cls)
    try:
        return _compile(cls, converter, json_name, free_form)
    finally:
        _compiling.discard(cls)


def _compile(
    cls: type[Any], converter: cattrs.Converter, json_name: Callable[[Any], str], free_form: Structure | None
) -> Structure:
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_datetime": datetime.datetime,
        "_date": datetime.date,
        "_absent": _ABSENT,
        "_new": object.__new__,
        "_keep": keep,
    }
    lines = ["def structure(o, _):", "    if type(o) is not dict:", "        raise TypeError('expected an object')"]
    keeps_unknown = issubclass(cls, Model)
    if keeps_unknown:
        lines.append("    absent = 0")
    arguments = []
    known = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        key = json_name(field)
        known.append(key)
        variable = f"v_{field.name}"
        value_lines = _value_lines(field.type, variable, namespace, converter)
        if field.default is attrs.NOTHING:
            lines.append(f"    {variable} = o[{key!r}]")
            lines += [f"    {line}" for line in value_lines]
        else:
            default = f"_default_{field.name}"
            factory = getattr(field.default, "factory", None)
            if isinstance(field.default, type(attrs.Factory(list))) and callable(factory):
                namespace[default] = factory
                missing = f"{default}()"
            else:
                namespace[default] = field.default
                missing = default
            # One dict lookup, not `in` then `[]`: most optional fields are present.
            lines.append(f"    {variable} = o.get({key!r}, _absent)")
            lines.append(f"    if {variable} is _absent:")
            lines.append(f"        {variable} = {missing}")
            if keeps_unknown:
                lines.append("        absent += 1")
            lines.append("    else:")
            lines += [f"        {line}" for line in value_lines]
        arguments.append(f"{field.alias}={variable}")
    if _plain(cls):
        # Slots stored directly: calling __init__ with a dozen keyword arguments costs more than the stores.
        lines.append("    self = _new(_cls)")
        lines += [f"    self.{argument.replace('=v_', ' = v_', 1)}" for argument in arguments]
    else:
        lines.append(f"    self = _cls({', '.join(arguments)})")
    if keeps_unknown:
        lines += _keeping_unknown_members(cls, known, namespace, free_form)
    lines.append("    return self")
    source = "\n".join(lines)
    filename = f"<tessera fast structure {cls.__qualname__} {next(_counter)}>"
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - source built above from the model's own fields
    structure: Structure = namespace["structure"]
    return structure


def _keeping_unknown_members(
    cls: type[Any], known: list[str], namespace: dict[str, Any], free_form: Structure | None
) -> list[str]:
    """Lines that keep on `self` the members of `o` none of the fields in `known` reads, if it has any."""
    # A JSON object's keys are unique: the fields found are all its keys unless it has others.
    namespace["_known"] = frozenset(known)
    members = "{k: v for k, v in o.items() if k not in _known}"
    if free_form is not None:
        # From orjson, members holding a float that may have been a wide integer raise: the codec
        # then reads the body again with json.loads (see jsonbody).
        namespace["_free"] = free_form
        members = f"_free({members}, None)"
    keep_them = f"self.{SLOT} = {members}" if _plain(cls) else f"_keep(self, {members})"
    return [f"    if len(o) + absent != {len(known)}:", f"        {keep_them}"]


def _plain(cls: type[Any]) -> bool:
    """Whether an instance is its fields' values and nothing more: what __init__ does, storing them does too."""
    return (
        "__slots__" in cls.__dict__
        and _setattr(cls) is object.__setattr__  # no on_setattr hooks
        and not hasattr(cls, "__attrs_pre_init__")
        and not hasattr(cls, "__attrs_post_init__")
        and all(f.init and f.alias == f.name and f.validator is None and f.converter is None for f in attrs.fields(cls))
    )


def _setattr(cls: type[Any]) -> object:
    """`cls.__setattr__` as a plain object: compared inline, mypy calls the check unreachable (it types
    the class's and object's as different callables)."""
    return cls.__setattr__


def _value_lines(  # noqa: PLR0911 - one return per kind of annotation
    annotation: Any, variable: str, namespace: dict[str, Any], converter: cattrs.Converter
) -> list[str]:
    """Lines that check and convert `variable` (already bound to the raw value) in place."""
    if annotation in _SCALARS:
        name = annotation.__name__
        return [f"if type({variable}) is not {name}:", f"    raise TypeError('expected {name}')"]
    if annotation is float:
        return [
            f"if type({variable}) is int:",
            f"    {variable} = float({variable})",
            f"elif type({variable}) is not float:",
            "    raise TypeError('expected a number')",
        ]
    if annotation is datetime.datetime or annotation is datetime.date:
        parser = "_datetime" if annotation is datetime.datetime else "_date"
        return [
            f"if type({variable}) is not str:",
            "    raise TypeError('expected an ISO 8601 string')",
            f"{variable} = {parser}.fromisoformat({variable})",
        ]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        members = _name(namespace, "_members", annotation._value2member_map_)
        lookup = [f"{variable} = {members}[{variable}]"]
        value_types = {type(member.value) for member in annotation}
        if value_types == {str}:  # only a string finds a string key
            return lookup
        # True would find the member 1, and 1.0 too: the JSON type must be the member's own.
        kinds = _name(namespace, "_kinds", frozenset(value_types))
        return [f"if type({variable}) not in {kinds}:", "    raise TypeError('not a member')", *lookup]
    field = enum_field(annotation)
    if field is not None:
        value_map = _name(namespace, "_members", field.enum._value2member_map_)
        value_type = _name(namespace, "_type", field.value_type)
        # The JSON type first: True would find the member 1. A closed field's other values fail the lookup.
        member = (
            f"{variable} = {value_map}.get({variable}, {variable})"
            if field.open
            else f"{variable} = {value_map}[{variable}]"
        )
        checked = [f"if type({variable}) is not {value_type}:", "    raise TypeError('expected a member')", member]
        if not field.nullable:
            return checked
        return [f"if {variable} is not None:", *[f"    {line}" for line in checked]]
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and NoneType in arguments and len(arguments) == 2:
        (inner,) = [argument for argument in arguments if argument is not NoneType]
        inner_lines = _value_lines(inner, variable, namespace, converter)
        return [f"if {variable} is not None:", *[f"    {line}" for line in inner_lines]]
    if origin is list and len(arguments) == 1:
        item = arguments[0]
        if attrs.has(item):
            hook = _name(namespace, "_structure", _hook(converter, item))
            item_type = _name(namespace, "_type", item)
            return [
                f"if type({variable}) is not list:",
                "    raise TypeError('expected an array')",
                f"{variable} = [{hook}(item, {item_type}) for item in {variable}]",
            ]
        if item in _SCALARS:
            name = item.__name__
            return [
                f"if type({variable}) is not list:",
                "    raise TypeError('expected an array')",
                f"for item in {variable}:",
                f"    if type(item) is not {name}:",
                f"        raise TypeError('expected {name}')",
                f"{variable} = list({variable})",
            ]
    hook = _name(namespace, "_structure", _hook(converter, annotation))
    hook_type = _name(namespace, "_type", annotation)
    return [f"{variable} = {hook}({variable}, {hook_type})"]


def _hook(converter: cattrs.Converter, annotation: Any) -> Structure:
    if annotation in _compiling:

        def later(value: Any, target: Any) -> Any:
            return converter.get_structure_hook(annotation)(value, target)

        return later
    hook: Structure = converter.get_structure_hook(annotation)
    return hook


def _name(namespace: dict[str, Any], prefix: str, value: Any) -> str:
    name = f"{prefix}_{len(namespace)}"
    namespace[name] = value
    return name
