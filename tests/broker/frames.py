"""Where an error's frames hold a secret: the check for errors that callers keep."""

from __future__ import annotations

import types

import tessera
from tessera._auth.secrets import Secret

TESSERA = tessera.__path__[0]


def frame_secrets(error: BaseException, secret: str) -> list[str]:
    """Where tessera's frames in `error`'s traceback (and its causes') hold `secret`.

    In clear, in a container (a login body, headers), or as a Secret; objects are not followed.
    """
    found: list[str] = []

    def holds(value: object) -> bool | None:
        """Whether a str, bytes or Secret carries the secret; None for anything else."""
        if isinstance(value, Secret):
            value = value.reveal()
        if isinstance(value, bytes):
            value = value.decode(errors="replace")
        return secret in value if isinstance(value, str) else None

    def look(value: object, where: str, depth: int = 0) -> None:
        held = holds(value)
        if held is not None:
            if held:
                found.append(where)
        elif isinstance(value, dict) and depth < 4:
            for key, item in value.items():
                look(key, where, depth + 1)
                look(item, f"{where}[{key!r}]", depth + 1)
        elif isinstance(value, list | tuple | set | frozenset) and depth < 4:
            for item in value:
                look(item, where, depth + 1)

    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None:
            continue
        tb: types.TracebackType | None = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if frame.f_code.co_filename.startswith(TESSERA):  # the caller's own frames are its business
                for name, value in frame.f_locals.items():
                    look(value, f"{frame.f_code.co_qualname}: {name}")
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__]
    return found
