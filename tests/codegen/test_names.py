"""Names are the codegen's job: any operationId, tag or schema name a valid spec has becomes a valid,
deterministic Python name, and a spec needs neither `servers` nor `x-tessera`."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from codegen.build import build
from tessera.errors import ConfigurationError
from tests.codegen.generated import assert_mypy_strict, generate, importable

NAMES = """\
paths:
  /pets:
    get:
      operationId: findPetsByStatus
      tags: [pets]
      responses:
        '200':
          description: Pets.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/pet'}}
    post:
      tags: [pets]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/import'}
      responses:
        '201': {description: Created.}
  /pets/{petId}:
    get:
      operationId: get_pet
      tags: [pets]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
    delete:
      operationId: delete-pet
      tags: [pets]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Deleted.}
    put:
      operationId: getPet
      tags: [API Keys]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Replaced.}
  /keys:
    get:
      operationId: import
      tags: ['true']
      responses:
        '200':
          description: True.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/true'}
    post:
      operationId: createKey
      tags: [import, Api]
      responses:
        '200':
          description: Any.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Any'}
    delete:
      tags: [Api]
      responses:
        '204': {description: Gone.}
  /health:
    get:
      responses:
        '204': {description: Up.}
  /keys/old:
    get:
      tags: [api-keys]
      responses:
        '204': {description: Old keys.}
  /operations:
    get:
      tags: [OPERATIONS]
      responses:
        '204': {description: The module's dict of operations has this name.}
components:
  schemas:
    pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        friend: {$ref: '#/components/schemas/Pet'}
    Pet:
      type: object
      properties:
        id: {type: integer}
    import:
      type: object
      properties:
        pets: {type: array, items: {$ref: '#/components/schemas/pet'}}
    'true':
      type: string
      enum: ['yes', 'no']
    Any:
      type: object
      properties:
        extra: {type: object}
"""


@pytest.fixture(scope="module")
def names_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("names"), "names", NAMES)


def methods(endpoints: Path) -> list[tuple[str, list[str]]]:
    """Each class of `_endpoints.py`, in order, with the names of its methods, as the source defines them."""
    tree = ast.parse(endpoints.read_text(encoding="utf-8"))
    return [
        (node.name, [item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)])
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    ]


def test_operations_tags_and_schemas_of_any_spelling_become_python_names(names_package: Path) -> None:
    assert methods(names_package / "names" / "_endpoints.py") == [
        # One class per tag, however many operations use it (there is no top-level `tags` list).
        ("Pets", ["find_pets_by_status", "post_pets", "get_pet", "delete_pet"]),
        # `getPet` is `get_pet` in snake_case, which the operation written so already has.
        ("APIKeys", ["get_pet_"]),
        ("True_", ["import_"]),
        ("Import", ["create_key"]),
        # `Api` is the client's class in _endpoints.py: the tag's class takes a `_`.
        ("Api_", ["delete_keys"]),
        # Operations without a tag.
        ("Default", ["get_health"]),
        # `api-keys` is `api_keys` too, which `API Keys` took first.
        ("ApiKeys", ["get_keys_old"]),
        ("OPERATIONS_", ["get_operations"]),
        ("Api", ["_bind_resources"]),
    ]
    with importable(names_package):
        from names import _endpoints, models  # type: ignore[import-not-found]  # noqa: PLC0415

        groups = {attribute: group.__name__ for attribute, group in _endpoints.Api.__annotations__.items()}
        assert groups == {
            "pets": "Pets",
            "api_keys": "APIKeys",
            "true": "True_",
            "import_": "Import",
            "api": "Api_",
            "default": "Default",
            "api_keys_": "ApiKeys",
            "operations": "OPERATIONS_",
        }
        # `Pet` keeps its name; `pet` beside it takes a suffix; keywords and models.py's imports do too.
        assert [field.name for field in models.PetModel.__attrs_attrs__] == ["name", "friend"]
        assert [field.name for field in models.Pet.__attrs_attrs__] == ["id"]
        assert [field.name for field in models.Import.__attrs_attrs__] == ["pets"]
        assert [member.value for member in models.TrueModel] == ["yes", "no"]
        assert [field.name for field in models.AnyModel.__attrs_attrs__] == ["extra"]


def test_the_generated_names_package_passes_mypy_strict(names_package: Path, tmp_path: Path) -> None:
    assert_mypy_strict([names_package / "names"], cache=tmp_path / "mypy-cache", cwd=tmp_path)


def test_generating_the_names_twice_gives_the_same_code(names_package: Path, tmp_path: Path) -> None:
    again = generate(tmp_path, "names", NAMES)
    for module in ("models.py", "_endpoints.py", "_profile.py"):
        assert (again / "names" / module).read_bytes() == (names_package / "names" / module).read_bytes()


BARE = """\
openapi: 3.0.0
info: {title: Bare, version: "1"}
paths:
  /things/{thing-id}:
    get:
      parameters:
        - {name: thing-id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/thing'}
components:
  schemas:
    thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
"""


async def test_a_spec_without_servers_or_x_tessera_is_named_after_its_file_and_takes_a_base_url(
    tmp_path: Path,
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "bare-api.yaml").write_text(BARE, encoding="utf-8")
    assert build(["--specs", str(specs), "--out", str(tmp_path / "out")]) == 0

    seen: list[str] = []

    async def thing(request: web.Request) -> web.Response:
        seen.append(request.match_info["thing_id"])
        return web.json_response({"id": request.match_info["thing_id"]})

    app = web.Application()
    app.router.add_get("/v1/things/{thing_id}", thing)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    common: dict[str, Any] = {
        "credentials": [],
        "timeout": 10.0,
        "max_retries": 0,
        "session": None,
        "allow_insecure_http": False,
    }
    try:
        with importable(tmp_path / "out"):
            from bare_api import _endpoints, _profile, models  # type: ignore[import-not-found]  # noqa: PLC0415

            with pytest.raises(
                ConfigurationError, match="bare_api's spec names no absolute server URL: give the client its base_url"
            ):
                _endpoints.Api(_profile.PROFILE, base_url=None, **common)
            async with _endpoints.Api(_profile.PROFILE, base_url=f"http://127.0.0.1:{port}/v1", **common) as client:
                found = await client.default.get_things_thing_id(thing_id="t-1")
    finally:
        await runner.cleanup()
    assert found == models.Thing(id="t-1")
    assert seen == ["t-1"]


@pytest.mark.parametrize(
    ("servers", "base_url"),
    [
        (
            '[{url: "https://api.example.com/v1"}, {url: "https://sandbox.example.com/v1"}]',
            "https://api.example.com/v1",
        ),
        (
            '[{url: "{scheme}://api.example.com/{version}", variables: {scheme: {default: https, enum: [https, http]},'
            " version: {default: v2}}}]",
            "https://api.example.com/v2",
        ),
        ('[{url: "/api/v3"}]', None),
        ("[]", None),
    ],
)
def test_the_default_base_url_is_the_first_server_with_its_variables_at_their_defaults(
    tmp_path: Path, servers: str, base_url: str | None
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "served.yaml").write_text(BARE.replace("paths:", f"servers: {servers}\npaths:", 1), encoding="utf-8")
    assert build(["--specs", str(specs), "--out", str(tmp_path / "out")]) == 0
    with importable(tmp_path / "out"):
        from served import _profile  # type: ignore[import-not-found]  # noqa: PLC0415

        assert _profile.PROFILE.base_url == base_url
