"""tessera: an async SDK for ZapSign, Videsk, Optiwe and Biuwer, generated from hand-written OpenAPI specs.

The vendors are subpackages (`from tessera import zapsign`), errors are in `tessera.errors`, the
clock protocol in `tessera.clock`, token stores in `tessera.stores`, emulators for tests in
`tessera.testing`. Here: the types a caller writes in annotations (`Pages`, `Page`, `Model`,
`ApiResponse`, `NotGiven`, `Secret`, `UnknownEvent`), `NOT_GIVEN`, `with_response(call)` for a call's
raw answer and `unknown_fields(model)` for the members of a decoded body its model has no field for.
"""

from tessera._auth.secrets import Secret
from tessera._runtime.model import Model, unknown_fields
from tessera._runtime.options import NOT_GIVEN, NotGiven
from tessera._runtime.page import Page
from tessera._runtime.pagination import Pages
from tessera._runtime.responses import ApiResponse, with_response
from tessera._runtime.webhooks import UnknownEvent

__all__ = [
    "NOT_GIVEN",
    "ApiResponse",
    "Model",
    "NotGiven",
    "Page",
    "Pages",
    "Secret",
    "UnknownEvent",
    "unknown_fields",
    "with_response",
]
__version__ = "0.1.0"
