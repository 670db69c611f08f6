"""A spec document as nodes that know where they are, so that every problem can name its place."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs
import yaml  # type: ignore[import-untyped, unused-ignore]  # no stubs unless types-PyYAML is installed

from codegen.errors import SpecError

JSON_MEDIA_TYPE = re.compile(r"application/([\w.+-]+\+)?json")


@attrs.frozen
class Node:
    """A value of the spec document and where it is, so that every error can say where."""

    value: object
    source: str
    path: tuple[str | int, ...] = ()

    def error(self, message: str) -> SpecError:
        return SpecError(self.source, self.path, message)

    def notice(self, message: str) -> str:
        """A note for whoever generates (`python -m codegen` prints it), naming where it comes from as an
        error does: what the generated code does differently from what the spec describes."""
        return str(self.error(message))

    def mapping(self) -> Mapping[str, object]:
        if not isinstance(self.value, Mapping):
            raise self.error(f"expected a mapping, found {type(self.value).__name__}")
        return self.value

    def get(self, key: str) -> Node | None:
        """The member `key`, or None when it is absent."""
        mapping = self.mapping()
        return Node(mapping[key], self.source, (*self.path, key)) if key in mapping else None

    def require(self, key: str) -> Node:
        found = self.get(key)
        if found is None:
            raise self.error(f"missing required key {key!r}")
        return found

    def items(self) -> Iterator[tuple[str, Node]]:
        for key, value in self.mapping().items():
            yield str(key), Node(value, self.source, (*self.path, str(key)))

    def elements(self) -> Iterator[Node]:
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, found {type(self.value).__name__}")
        for index, value in enumerate(self.value):
            yield Node(value, self.source, (*self.path, index))

    def string(self) -> str:
        if not isinstance(self.value, str):
            raise self.error(f"expected a string, found {type(self.value).__name__}")
        return self.value

    def optional_string(self, key: str) -> str | None:
        found = self.get(key)
        return None if found is None else found.string()

    def flag(self, key: str) -> bool | None:
        found = self.get(key)
        if found is None:
            return None
        if not isinstance(found.value, bool):
            raise found.error("expected true or false")
        return found.value


def resolve(root: Node, node: Node) -> Node:
    """Follow local `$ref`s from `node` to the object they name in the document `root`."""
    seen: set[str] = set()
    while isinstance(node.value, Mapping) and "$ref" in node.value:
        reference = node.require("$ref")
        target = reference.string()
        if not target.startswith("#/"):
            raise reference.error(f"only local references (#/...) are supported, found {target!r}")
        if target in seen:
            raise reference.error(f"circular reference {target!r}")
        seen.add(target)
        node = root
        for part in target[2:].split("/"):
            found = node.get(part.replace("~1", "/").replace("~0", "~"))
            if found is None:
                raise reference.error(f"{target!r} names nothing in this document")
            node = found
    return node


def json_schema(content: Node) -> Node | None:
    """The schema of the JSON media type of a `content` map, if it has one."""
    for media_type, media in content.items():
        if JSON_MEDIA_TYPE.fullmatch(media_type):
            return media.require("schema")
    return None


def load_spec(path: Path, source: str) -> Node:
    """Read one YAML spec; `source` is how errors and generated headers name it (`specs/x.yaml`)."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SpecError(source, (), f"not valid YAML: {error}") from error
    root = Node(document, source)
    root.mapping()
    return root
