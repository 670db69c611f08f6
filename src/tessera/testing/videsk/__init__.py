"""The Videsk emulator: feathers.js behaviour under /public/video-contact-center.

`emulator.py` is the emulator class: its options, state tests read, and the route table (each route with
the bearers it lets in). The handlers and state live by resource:

    auth.py       API keys and appointment tokens (Grant, Bearer)
    catalog.py    segments, services and their agents, free slots
    schedule.py   appointments: booking, rescheduling, cancelling
    forms.py      forms and submissions           surveys.py   satisfaction surveys
    qms.py        queue management: branches, queues, tickets
    reports.py    the private export API behind its X-API-Token
    fields.py     request bodies: dates, zones, answers to form fields
    errors.py     Videsk's misnumbered 428 (its other errors: .._feathers.feathers_error)
    ratelimit.py  the one-second rate limit and its RateLimit headers

feathers' conventions (error bodies, $limit/$skip pagination) are in `.._feathers`.
"""

from .emulator import VideskEmulator

__all__ = ["VideskEmulator"]
