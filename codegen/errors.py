"""Generator problems, reported with the spec file and the JSON pointer they come from."""

from __future__ import annotations

from collections.abc import Sequence


def json_pointer(path: Sequence[str | int]) -> str:
    """RFC 6901: `/paths/~1docs~1/get` for ("paths", "/docs/", "get")."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


class SpecError(Exception):
    """A spec the generator cannot turn into code; the message names the file and the place in it."""

    def __init__(self, source: str, path: Sequence[str | int], message: str) -> None:
        self.source = source
        self.pointer = json_pointer(path)
        self.message = message
        super().__init__(f"{source}#{self.pointer}: {message}")
