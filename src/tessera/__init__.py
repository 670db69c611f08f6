"""tessera: an async SDK for ZapSign, Videsk, Optiwe and Biuwer, generated from hand-written OpenAPI specs.

The vendors are subpackages (`from tessera import zapsign`), errors are in `tessera.errors`, the
clock protocol in `tessera.clock`, emulators for tests in `tessera.testing`; `unknown_fields(model)`
reads the members of a decoded body that its model has no field for.
"""

from tessera._runtime.model import unknown_fields
from tessera._runtime.responses import ApiResponse, with_response

__all__ = ["ApiResponse", "unknown_fields", "with_response"]
__version__ = "0.1.0"
