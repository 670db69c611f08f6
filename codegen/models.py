"""models.py of a vendor: datamodel-code-generator, driven as a library, writing attrs classes.

datamodel-code-generator has no attrs output, so this module gives it one: `AttrsModel` and
`AttrsField` subclass its dataclass model and field (the closest output to attrs: keyword-only
classes with plain annotations) and swap the template (templates/attrs_model.jinja2) and the
imports. Everything else (naming, enums, references, discriminated unions as `Literal` fields,
model order, `TypeAlias` for root schemas) stays its own.

Enum fields are open or closed by the role of their schema (roles.py): `DocStatus | str` where the
vendor's answers may bring a value the spec does not list, `DocStatus | DocStatusValue` where only the
user writes them; templates/Enum.jinja2 writes each enum's `<Enum>Value` alias, the Literal of its values.
Every class derives from the runtime's `Model`, which keeps the JSON members a body had no field for.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ClassVar

from datamodel_code_generator.config import OpenAPIParserConfig
from datamodel_code_generator.format import DateClassType, DatetimeClassType, PythonVersion
from datamodel_code_generator.imports import Import
from datamodel_code_generator.model import DataModelFieldBase, dataclass, enum, type_alias
from datamodel_code_generator.model.imports import IMPORT_FIELD
from datamodel_code_generator.parser.openapi import OpenAPIParser

from codegen.errors import SpecError
from codegen.ir import Spec
from codegen.pysource import escape_docstring
from codegen.schemas import as_datamodel_code_generator_reads_best
from codegen.usage import with_usage_descriptions

TEMPLATES = Path(__file__).parent / "templates"

_SECRET = "x_tessera_secret"
"""How `x-tessera-secret` arrives in a field's extras (datamodel-code-generator snake_cases the key)."""
_MUTABLE_FACTORIES = {list: "list", dict: "dict"}
_SCHEMA_PATH = "#/components/schemas/"
_OPEN_VALUE_TYPES = {"StrEnum": "str", "IntEnum": "int"}
"""What an open enum field takes besides its members: any value of the enum's own JSON type."""
_VALUES_ALIAS = "{}Value"
"""The name of an enum's Literal alias (templates/Enum.jinja2 writes it)."""
_REQUEST_ONLY: ContextVar[frozenset[str]] = ContextVar("request_only_schemas", default=frozenset())
"""The schemas of the spec being rendered whose enum fields are closed (set by render_models)."""
_UPLOADS: ContextVar[frozenset[str]] = ContextVar("upload_schemas", default=frozenset())
"""The schemas of the spec being rendered that multipart bodies take: their bytes fields take files."""
_LOCAL_FILE = "_localfiles.LocalFile"
"""A request-only class's bytes field: the bytes, or the path of a file tessera reads (the runtime's
localfiles.LocalFile); a class a response reaches keeps `bytes`, which is what it decodes."""
_FILE = "_uploads.File"
"""A multipart body's file field: bytes, a path or a binary file object (the runtime's uploads.File),
through a private alias of the module that no field's name can hide."""


class AttrsField(dataclass.DataModelField):
    """A field of an attrs class: its annotation and the `= ...` that follows it."""

    @property
    def imports(self) -> tuple[Import, ...]:
        # The dataclass field asks for `dataclasses.field`; attrs.field comes with `import attrs`.
        return tuple(import_ for import_ in super().imports if import_ != IMPORT_FIELD)

    @property
    def _use_union_operator(self) -> bool:
        # The dataclass field falls back to Optional[...] around quoted names; `annotation` quotes the
        # whole annotation instead, so `X | None` can stay.
        return True

    @property
    def annotation(self) -> str:
        """The type hint; one string when it names a model defined later (recursion), else real."""
        hint: str = self.type_hint
        quoted = [
            data_type.reference.short_name
            for data_type in self.data_type.all_data_types
            if data_type.reference is not None and data_type._is_quoted_reference  # its own forward-reference test
        ]
        if quoted:
            for name in quoted:
                hint = hint.replace(f'"{name}"', name)
            hint = f'"{hint}"'
        return self._files_for_requests(self._enums_opened_or_closed(hint))

    def _files_for_requests(self, hint: str) -> str:
        """`bytes` as `_uploads.File` in a multipart body's class (a file part takes a path or a file too),
        as `_localfiles.LocalFile` in another request-only class (a path is read into the JSON body)."""
        schema = self._schema_name()
        if schema in _UPLOADS.get():
            return re.sub(r"\bbytes\b", _FILE, hint)
        if schema in _REQUEST_ONLY.get():
            return re.sub(r"\bbytes\b", _LOCAL_FILE, hint)
        return hint

    def _schema_name(self) -> str:
        """The name under components/schemas of the class this field belongs to."""
        schema = str(self.parent.reference.path if self.parent is not None else "").partition(_SCHEMA_PATH)[2]
        return schema.partition("/")[0]

    @property
    def alias_annotation(self) -> str:
        """The type of a root schema's alias (`Grade: TypeAlias = Color | str | Level | int`), its enums opened
        or closed like a field's: a oneOf of enums is read, or written, as their fields are."""
        return self._enums_opened_or_closed(str(self.type_hint))

    def _enums_opened_or_closed(self, hint: str) -> str:
        """`DocStatus` as `DocStatus | str` (open) or `DocStatus | DocStatusValue` (closed), wherever it is
        in the hint (`list[DocStatus] | None`)."""
        closed = self._schema_name() in _REQUEST_ONLY.get()
        enums = {
            source.class_name: source.base_class
            for data_type in self.data_type.all_data_types
            if data_type.reference is not None
            and isinstance(source := data_type.reference.source, enum.Enum)
            and source.base_class in _OPEN_VALUE_TYPES
        }
        for name, base in enums.items():
            other = _VALUES_ALIAS.format(name) if closed else _OPEN_VALUE_TYPES[base]
            hint = re.sub(rf"\b{re.escape(name)}\b", f"{name} | {other}", hint)
        return hint

    @property
    def json_name(self) -> str:
        """The property's name in the spec (the attribute's name is its snake_case form)."""
        return str(self.original_name or self.name)

    @property
    def assignment(self) -> str:
        """` = None`, ` = attrs.field(...)` or nothing (a required field)."""
        arguments: list[str] = []
        default = self._default()
        if self.extras.get(_SECRET) is True:
            arguments.append("repr=False")
        if self.json_name != self.name:
            # cattrs reads the JSON name from the metadata: an attrs alias is an __init__ argument
            # name, which cannot be `$sort` or `from`.
            arguments.append(f"metadata={{'json': {self.json_name!r}}}")
        if not arguments:
            return "" if default is None else f" = {default}"
        if default is not None:
            arguments.insert(0, f"default={default}")
        return f" = attrs.field({', '.join(arguments)})"

    def _default(self) -> str | None:
        """The default's source, or None for a field without one."""
        if self.has_default:
            value: Any = self.default
            if isinstance(value, list | dict):
                if not value:
                    return f"attrs.Factory({_MUTABLE_FACTORIES[type(value)]})"
                return f"attrs.Factory(lambda: {value!r})"
            return str(self.represented_default)
        if self.required:
            return None
        return "None"

    @property
    def docstring_text(self) -> str | None:
        """The property's description, escaped for a docstring."""
        description = self.extras.get("description")
        return escape_docstring(description) if isinstance(description, str) and description.strip() else None


class AttrsModel(dataclass.DataClass):
    """An `@attrs.define(kw_only=True)` class (slots, keyword-only, fields in the spec's order)."""

    TEMPLATE_FILE_PATH: ClassVar[str] = str(TEMPLATES / "attrs_model.jinja2")
    DEFAULT_IMPORTS: ClassVar[tuple[Import, ...]] = (Import(import_="attrs"),)

    @classmethod
    def order_fields_for_construction(cls, fields: Iterable[DataModelFieldBase]) -> list[DataModelFieldBase]:
        # A dataclass puts fields with defaults last; keyword-only attrs classes keep the spec's order.
        return list(fields)


_CONFIG = OpenAPIParserConfig(
    data_model_type=AttrsModel,
    data_model_root_type=type_alias.TypeAlias,
    data_model_field_type=AttrsField,
    data_type_manager_type=dataclass.DataTypeManager,
    target_python_version=PythonVersion.PY_311,
    use_standard_collections=True,
    use_union_operator=True,
    strict_nullable=True,
    snake_case_field=True,
    remove_special_field_name_prefix=True,
    capitalise_enum_members=True,
    set_default_enum_member=True,
    use_schema_description=True,
    parent_scoped_naming=True,
    keyword_only=True,
    target_datetime_class=DatetimeClassType.Datetime,
    target_date_class=DateClassType.Date,
    field_extra_keys={"x-tessera-secret", "description"},
    aliases={
        "self": "self_",  # attrs' __init__ takes `self` first: no field can have that name
        "attrs": "attrs_",  # would hide the attrs module from the fields after it
    },
    custom_template_dir=TEMPLATES,  # for Enum.jinja2 and TypeAliasAnnotation.jinja2
)


def render_models(spec: Spec, package: str = "tessera") -> str:
    """The body of models.py (imports and classes, not yet formatted) for the spec's schemas.

    `package`: the import root of the runtime, whose `Model` every class derives from.
    """
    if not spec.schemas:
        return ""  # a spec whose bodies and answers are all scalars (or none): no class to write
    document = {
        "openapi": "3.1.0",
        "info": {"title": spec.vendor, "version": "0"},
        "paths": {},
        "components": {"schemas": as_datamodel_code_generator_reads_best(with_usage_descriptions(spec))},
    }
    # YAML reads unquoted dates as dates; they only ever appear in examples, where text is as good.
    source = json.dumps(document, default=str)
    try:
        with warnings.catch_warnings():
            # Its warnings are advice for its command line (e.g. which options to prefer), not about the spec.
            warnings.simplefilter("ignore")
            pages = dict.fromkeys(spec.page_models, f"{package}._runtime.page.Page")
            config = _CONFIG.model_copy(
                update={"base_class": f"{package}._runtime.model.Model", "base_class_map": pages}
            )
            token = _REQUEST_ONLY.set(spec.request_only_schemas)
            uploads_token = _UPLOADS.set(spec.upload_schemas)
            try:
                rendered = OpenAPIParser(source, config=config).parse(format_=False, disable_future_imports=True)
            finally:
                _UPLOADS.reset(uploads_token)
                _REQUEST_ONLY.reset(token)
    except Exception as error:  # whatever it raises, the report names the spec
        raise SpecError(
            spec.source,
            ("components", "schemas"),
            f"datamodel-code-generator: {type(error).__name__}: {error}",
        ) from error
    if not isinstance(rendered, str):
        raise SpecError(spec.source, ("components", "schemas"), "datamodel-code-generator split the models")
    rendered = _with_value_alias_imports(rendered)
    if _FILE in rendered:
        rendered = f"from {package}._runtime import uploads as _uploads\n" + rendered
    if _LOCAL_FILE in rendered:
        rendered = f"from {package}._runtime import localfiles as _localfiles\n" + rendered
    if decorates_classes(rendered) and not imports_attrs_unaliased(rendered):
        # The class decorators name `attrs`; datamodel-code-generator aliases the import when a field
        # would hide it, which only the aliases above avoid.
        raise SpecError(spec.source, ("components", "schemas"), "a property's attribute name would be `attrs`")
    missing = spec.model_names - defined_names(rendered)
    if missing:
        # It renames a schema whose name clashes (with an import, a builtin, another schema):
        # the operations would then name a class that is not there.
        raise SpecError(
            spec.source,
            ("components", "schemas"),
            f"models.py defines no {', '.join(sorted(missing))}; rename the schema(s)",
        )
    return rendered


def _with_value_alias_imports(module: str) -> str:
    """The module with the imports its enums' `<Enum>Value` aliases need (ruff merges and sorts them)."""
    if not re.search(r"^\w+: TypeAlias = Literal\[", module, flags=re.MULTILINE):
        return module
    return "from typing import Literal, TypeAlias\n" + module


def decorates_classes(module: str) -> bool:
    """Some class of the module has a decorator: an attrs class (enums have none), which names `attrs`."""
    return any(isinstance(statement, ast.ClassDef) and statement.decorator_list for statement in ast.parse(module).body)


def imports_attrs_unaliased(module: str) -> bool:
    return any(
        isinstance(statement, ast.Import)
        and any(alias.name == "attrs" and alias.asname is None for alias in statement.names)
        for statement in ast.parse(module).body
    )


def defined_names(module: str) -> set[str]:
    """The names a module's top level binds with a class or an assignment."""
    names: set[str] = set()
    for statement in ast.parse(module).body:
        if isinstance(statement, ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.AnnAssign | ast.Assign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names
