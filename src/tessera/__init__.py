"""tessera: an async SDK for ZapSign, Videsk, Optiwe and Biuwer, generated from hand-written OpenAPI specs.

The vendors are subpackages (`from tessera import zapsign`), errors are in `tessera.errors`, the
clock protocol in `tessera.clock`, emulators for tests in `tessera.testing`.
"""

from tessera._runtime.responses import ApiResponse, with_response

__all__ = ["ApiResponse", "with_response"]
__version__ = "0.1.0"
