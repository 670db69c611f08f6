"""Names and literals as the generated modules write them."""

from __future__ import annotations

import ast
import io
import tokenize

import pytest

from codegen.names import constant_case, pascal_case, snake_case
from codegen.pysource import escape_docstring, python_literal


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("itemId", "item_id"),
        ("$limit", "limit"),
        ("page[size]", "page_size"),
        ("X-Request-ID", "x_request_id"),
        ("userID", "user_id"),
        ("from", "from_"),
        ("2fa", "_2fa"),
        ("already_snake", "already_snake"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def test_pascal_and_constant_case() -> None:
    assert pascal_case("list_docs") + pascal_case("sort_order") == "ListDocsSortOrder"
    assert pascal_case("OrganizationId") == "OrganizationId"
    assert constant_case("create_doc_async") == "CREATE_DOC_ASYNC"


def test_a_literal_sorts_mapping_keys_and_keeps_lists_in_order() -> None:
    value = {"b": [3, 1, 2], "a": {"z": None, "y": True}, "c": ("one",)}
    source = python_literal(value)
    assert source == "{'a': {'y': True, 'z': None}, 'b': [3, 1, 2], 'c': ('one',)}"
    assert ast.literal_eval(source) == value


@pytest.mark.parametrize("text", ["word " * 40, "x\ty\nz " * 30, 'It\'s "quoted" ' * 10])
def test_a_long_string_is_written_in_pieces_that_read_back_the_same(text: str) -> None:
    # Pieces let ruff keep the profile's lines within the project's line length.
    source = python_literal(text)
    assert ast.literal_eval(source) == text
    pieces = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.STRING
    ]
    assert len(pieces) > 1
    assert max(len(ast.literal_eval(piece)) for piece in pieces) <= 72


def test_a_long_string_without_spaces_stays_whole() -> None:
    assert python_literal("a" * 200) == repr("a" * 200)


def test_docstring_text_escapes_backslashes_and_triple_quotes() -> None:
    escaped = escape_docstring('  a \\ b """c"""  ')
    assert escaped == 'a \\\\ b \\"\\"\\"c\\"\\"\\"'
    assert ast.literal_eval(f'"""{escaped}"""') == 'a \\ b """c"""'
