"""The Optiwe emulator: WhatsApp templates and sending them, behind a workspace JWT.

`emulator.py` is the emulator class: its options, state tests read, and the route table. Then:

    auth.py        workspace JWTs, refused the way a DRF JWT authentication refuses them
    templates.py   the workspace's templates      rules.py     what a template and a recipient must be
    outbox.py      sending templates, kept for tests to read
    webhooks.py    bodies of the conversation webhook, for tests of a receiver
    errors.py      Optiwe's {"detail": ...} answers

Its paths are DRF's; the conventions it shares with ZapSign are in `.._drf`.
"""

from .emulator import OptiweEmulator

__all__ = ["OptiweEmulator"]
