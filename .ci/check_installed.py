"""Run by `nox -s package` with the interpreter of a fresh environment that has only the built wheel: what a
user of the package imports, from outside the checkout (this folder holds no `tessera`)."""

from __future__ import annotations

import importlib
import sys
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "aiotessera"
VENDORS = ("zapsign", "videsk", "optiwe", "biuwer")
CHECKOUT = Path(__file__).resolve().parents[1]


def main() -> None:
    import tessera  # noqa: PLC0415 - imported here, after the environment is known to be the fresh one

    where = Path(tessera.__file__).resolve()
    if where.is_relative_to(CHECKOUT):
        sys.exit(f"tessera was imported from the checkout ({where}), not from the installed wheel")
    for vendor in VENDORS:
        package = importlib.import_module(f"tessera.{vendor}")
        if not hasattr(package, "Client"):
            sys.exit(f"tessera.{vendor} has no Client")
    version = metadata.version(DISTRIBUTION)
    if version != tessera.__version__:
        sys.exit(f"{DISTRIBUTION} {version} is installed, but tessera.__version__ says {tessera.__version__}")
    files = {str(path) for path in metadata.files(DISTRIBUTION) or ()}
    if not any(name.endswith("licenses/LICENSE") for name in files):
        sys.exit(f"the wheel ships no LICENSE: {sorted(files)[:5]} ...")
    if not any(name.endswith("tessera/py.typed") for name in files):
        sys.exit("the wheel ships no py.typed: type checkers would ignore its annotations")
    print(f"{DISTRIBUTION} {version}: import tessera from {where.parent}; {', '.join(VENDORS)} import")


if __name__ == "__main__":
    main()
