"""tessera: an async SDK for ZapSign, Videsk, Optiwe and Biuwer, generated from hand-written OpenAPI specs."""

__version__ = "0.1.0"
