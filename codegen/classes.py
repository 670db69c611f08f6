"""Class names for the schemas of `components/schemas`: any name a spec gives becomes a class of models.py.

The spec's names are kept where they already are free class names (`Pet`, `DocStatus`), so a spec written
for tessera keeps its classes; any other name becomes one in a fixed way, independent of the schemas' order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from codegen.names import class_name, free_name

SCHEMA_REF = "#/components/schemas/"

MODELS_MODULE_NAMES = frozenset(
    {"Annotated", "Any", "Decimal", "Enum", "IntEnum", "Literal", "Optional", "StrEnum", "TypeAlias", "UUID", "Union"}
    | {"Model"}
)
"""Names models.py imports: datamodel-code-generator renames a class that would take one (`Any` → `AnyModel`),
and tessera's own base of every model (`tessera._runtime.model.Model`), which it does not know of."""


def schema_classes(names: Iterable[str]) -> dict[str, str]:
    """Each schema's name → its class: the name itself when it is a free class name, else a derived one.

    Derived names (`pet` → `Pet`, `import` → `Import`, `true` → `TrueModel`) come after the kept ones, so a
    schema named `pet` beside one named `Pet` becomes `PetModel`, whichever the spec lists first.
    """
    names = list(names)
    taken = set(MODELS_MODULE_NAMES)
    classes: dict[str, str] = {}
    for name in names:
        if name == class_name(name) and name.isidentifier() and free_name(name, taken) == name:
            classes[name] = name
            taken.add(name)
    for name in names:
        if name not in classes:
            classes[name] = free_name(class_name(name), taken, suffix="Model")
            taken.add(classes[name])
    return {name: classes[name] for name in names}


def with_class_references(value: object, classes: Mapping[str, str]) -> object:
    """A schema with each `$ref` to `components/schemas` naming the class instead of the spec's name."""
    if isinstance(value, list):
        return [with_class_references(item, classes) for item in value]
    if not isinstance(value, dict):
        return value
    renamed = {key: with_class_references(item, classes) for key, item in value.items()}
    reference = value.get("$ref")
    if isinstance(reference, str) and reference.startswith(SCHEMA_REF):
        renamed["$ref"] = SCHEMA_REF + _class(reference.removeprefix(SCHEMA_REF), classes)
    discriminator = renamed.get("discriminator")
    if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
        # A mapping's values are references too, written in full or as the bare schema name.
        renamed["discriminator"] = {**discriminator, "mapping": _mapping(discriminator["mapping"], classes)}
    return renamed


def _mapping(mapping: dict[object, object], classes: Mapping[str, str]) -> dict[object, object]:
    renamed: dict[object, object] = {}
    for key, target in mapping.items():
        renamed[key] = target
        if isinstance(target, str) and target.startswith(SCHEMA_REF):
            renamed[key] = SCHEMA_REF + _class(target.removeprefix(SCHEMA_REF), classes)
        elif isinstance(target, str) and not target.startswith("#"):
            renamed[key] = _class(target, classes)
    return renamed


def _class(name: str, classes: Mapping[str, str]) -> str:
    return classes.get(name, name)
