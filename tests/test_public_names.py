"""The public surface: one sorted `__all__` per public module that lists what it defines, and every type a
caller writes in an annotation of the public API importable from a public module (as httpx's
test_exported_members keeps its own `__all__`)."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest

import tessera

VENDORS = ("zapsign", "videsk", "optiwe", "biuwer")
PUBLIC_MODULES = (
    "tessera",
    "tessera.clock",
    "tessera.errors",
    "tessera.stores",
    "tessera.testing",
    "tessera.testing.pytest_plugin",
    *(f"tessera.testing.{vendor}" for vendor in VENDORS),
    *(f"tessera.{vendor}" for vendor in VENDORS),
    "tessera.optiwe.webhooks",
    "tessera.zapsign.webhooks",
)
FACADES = ("tessera", "tessera.testing")
"""Modules that gather names from private ones: whatever they import from one is theirs to export."""


CALLED_BY_TESSERA = frozenset({"flow"})
"""An auth class's `flow(context)`: the client calls it, with the runtime's own types; a caller never does."""


def module(name: str) -> ModuleType:
    return importlib.import_module(name)


def isort_key(name: str) -> tuple[int, str]:
    """ruff's (RUF022) order: CONSTANTS, then Classes, then the rest, each alphabetically."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def private(module_name: str) -> bool:
    return module_name.startswith("tessera.") and any(part.startswith("_") for part in module_name.split("."))


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_public_module_has_one_sorted_all_of_names_it_has(name: str) -> None:
    public = module(name)
    exported = public.__all__
    assert exported == sorted(exported, key=isort_key), f"{name}.__all__ is not sorted"
    assert len(set(exported)) == len(exported)
    assert [missing for missing in exported if not hasattr(public, missing)] == []


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_what_a_public_module_defines_is_in_its_all(name: str) -> None:
    public = module(name)
    defined = {
        member
        for member, value in vars(public).items()
        if not member.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    assert defined - set(public.__all__) == set()


@pytest.mark.parametrize("name", FACADES)
def test_what_a_facade_takes_from_a_private_module_is_in_its_all(name: str) -> None:
    public = module(name)
    source = Path(public.__file__ or "").read_text(encoding="utf-8")
    imported = {
        alias.asname or alias.name
        for statement in ast.parse(source).body
        if isinstance(statement, ast.ImportFrom) and (statement.level > 0 or private(statement.module or ""))
        for alias in statement.names
    }
    taken = {
        member for member in imported if not member.startswith("_") and not isinstance(vars(public)[member], ModuleType)
    }
    assert taken - set(public.__all__) == set()


def public_callables() -> Iterator[Callable[..., Any]]:
    """Every function and method a caller of the vendors' clients, auth classes, webhooks and tessera's own
    functions calls, with annotations to read."""
    for vendor in VENDORS:
        package = module(f"tessera.{vendor}")
        classes = [value for name in package.__all__ if inspect.isclass(value := getattr(package, name))]
        api = package.Client.__mro__[1]  # the generated operations: one resource class per tag
        classes += list(inspect.get_annotations(api, eval_str=True).values())
        for cls in classes:
            for member_name, member in inspect.getmembers(cls):
                if member_name in CALLED_BY_TESSERA:
                    continue
                if (member_name == "__init__" or not member_name.startswith("_")) and callable(member):
                    yield member
    for name in ("tessera.optiwe.webhooks", "tessera.zapsign.webhooks", "tessera"):
        yield from (value for value in vars(module(name)).values() if inspect.isfunction(value))


def annotation_names(function: Callable[..., Any]) -> Iterator[tuple[str, object]]:
    """(name, object) for each name an annotation of `function` refers to: by the names of a string annotation
    (a module with `from __future__ import annotations`), by the parts of an evaluated one."""
    target = inspect.unwrap(function)
    namespace = getattr(target, "__globals__", {})
    for annotation in getattr(target, "__annotations__", {}).values():
        if isinstance(annotation, str):
            for name in re.findall(r"(?<![\w.])([A-Za-z_]\w*)", annotation):
                if name in namespace:
                    yield name, namespace[name]
        else:
            yield from parts(annotation)


def parts(annotation: object) -> Iterator[tuple[str, object]]:
    """The classes of an evaluated annotation, and its aliases (`NotGiven`) by the name a module binds them to."""
    if inspect.isclass(annotation):
        yield annotation.__name__, annotation
    elif typing.get_origin(annotation) is typing.Literal:
        yield from ((name, value) for name, value in private_bindings() if value == annotation)
    origin = typing.get_origin(annotation)
    if inspect.isclass(origin):
        yield origin.__name__, origin
    for argument in typing.get_args(annotation):
        yield from parts(argument)


def private_bindings() -> Iterator[tuple[str, object]]:
    for loaded, found in list(sys.modules.items()):
        if private(loaded):
            yield from vars(found).items()


def exported_objects() -> list[object]:
    return [getattr(module(name), member) for name in PUBLIC_MODULES for member in module(name).__all__]


def tessera_private(value: object, name: str) -> bool:
    """Defined in (or, for an alias, bound by) a private module of tessera."""
    if isinstance(value, ModuleType | TypeVar):
        return False
    defined_in = getattr(value, "__module__", "") or ""
    if inspect.isclass(value) or inspect.isfunction(value):
        return private(defined_in)
    return any(bound == name and found is value for bound, found in private_bindings())


def test_every_type_in_a_public_annotation_is_importable_from_a_public_module() -> None:
    exported = exported_objects()
    written = {
        (name, value, function.__qualname__)
        for function in public_callables()
        for name, value in annotation_names(function)
        if tessera_private(value, name)
    }
    assert {"NotGiven", "Pages", "Policy", "UnknownEvent"} <= {name for name, _, _ in written}  # the scan sees them
    missing = {f"{name} ({where})" for name, value, where in written if not any(value == public for public in exported)}
    assert missing == set()


def test_the_names_the_issue_asked_for_are_on_tessera() -> None:
    assert {"Pages", "NOT_GIVEN", "ApiResponse", "NotGiven", "Page", "Model"} <= set(tessera.__all__)
