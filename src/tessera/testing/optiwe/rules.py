"""The rules of Optiwe's request bodies: a new WhatsApp template, and a recipient of one.

Documented: key and name take only lowercase letters, digits and _; variables are {{1}}, {{2}}, ...;
at most two buttons, call-to-action (one URL, one PHONE_NUMBER) or quick replies. The messages are inferred.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from .._json import JsonObject
from .errors import invalid

TEMPLATE_FIELDS: Final = ("key", "name", "text", "category", "templateType", "language")
"""The required fields of a new template, all strings."""
MAX_BUTTONS: Final = 2
_CHOICES: Final = {
    "category": ("UTILITY", "MARKETING", "AUTHENTICATION"),
    "templateType": ("TEXT",),
    "language": ("ENGLISH", "SPANISH"),
}
_BUTTON_FIELDS: Final = {"URL": ("text", "url"), "PHONE_NUMBER": ("text", "phoneNumber"), "QUICK_REPLY": ("text",)}
_IDENTIFIER: Final = re.compile(r"[a-z0-9_]+")
_VARIABLE: Final = re.compile(r"\{\{(\d+)\}\}")
# A plus, a country code that does not start with 0, and 8 to 15 digits in all: WhatsApp's E.164 numbers.
_E164: Final = re.compile(r"\+[1-9][0-9]{7,14}")


def template_fields(body: JsonObject) -> JsonObject:
    """The template a create request describes, buttons normalised; refused at the first rule it breaks."""
    for name in TEMPLATE_FIELDS:
        value = body.get(name)
        if value is None:
            raise invalid(f"{name}: This field is required.")
        if not isinstance(value, str) or not value:
            raise invalid(f"{name}: must be a non-empty string.")
    for name in ("key", "name"):
        if not _IDENTIFIER.fullmatch(str(body[name])):
            raise invalid(f"{name}: only lowercase letters, digits and _ are allowed.")
    for name, allowed in _CHOICES.items():
        if body[name] not in allowed:
            raise invalid(f"{name}: must be one of {', '.join(allowed)}.")
    numbers = variables(str(body["text"]))
    if numbers != list(range(1, len(numbers) + 1)):
        raise invalid("text: variables must be numbered {{1}}, {{2}}, ... without gaps.")
    example = body.get("example")
    if example is not None and not isinstance(example, str):
        raise invalid("example: must be a string.")
    return {**{name: body[name] for name in TEMPLATE_FIELDS}, "example": example, "buttons": _buttons(body)}


def variables(text: str) -> list[int]:
    """The distinct variable numbers of a template's text, in order."""
    return sorted({int(number) for number in _VARIABLE.findall(text)})


def render(text: str, values: Mapping[str, str]) -> str:
    """The text with each {{n}} replaced by values["n"]; `values` has passed `recipient_values`."""
    return _VARIABLE.sub(lambda match: values[match.group(1)], text)


def recipient_values(recipient: object, text: str, where: str = "") -> tuple[str, dict[str, str]]:
    """A recipient's phone and variable values, refused unless every variable of `text` has one.

    `where` prefixes the field names in messages, e.g. "recipients[2]." for one of a bulk send.
    """
    if not isinstance(recipient, dict):
        raise invalid(f"{where.rstrip('.')}: must be an object.")
    phone = recipient.get("phone")
    if not isinstance(phone, str) or not _E164.fullmatch(phone):
        raise invalid(f"{where}phone: must be an E.164 number such as +5491112345678.")
    values = recipient.get("variables") or {}
    if not isinstance(values, dict) or not all(isinstance(value, str) for value in values.values()):
        raise invalid(f"{where}variables: must be an object of strings.")
    for number in variables(text):
        if str(number) not in values:
            raise invalid(f"{where}variables: a value for {{{{{number}}}}} is required.")
    return phone, values


def _buttons(body: JsonObject) -> list[JsonObject]:
    buttons = body.get("buttons") or []
    if not isinstance(buttons, list):
        raise invalid("buttons: must be a list.")
    if len(buttons) > MAX_BUTTONS:
        raise invalid(f"buttons: at most {MAX_BUTTONS} buttons are allowed.")
    checked = [_button(button, f"buttons[{index}]") for index, button in enumerate(buttons)]
    kinds = [str(button["type"]) for button in checked]
    if "QUICK_REPLY" in kinds and len(set(kinds)) > 1:
        raise invalid("buttons: quick replies and call-to-action buttons cannot be mixed.")
    if "QUICK_REPLY" not in kinds and len(set(kinds)) < len(kinds):
        raise invalid("buttons: at most one URL button and one PHONE_NUMBER button.")
    return checked


def _button(button: object, where: str) -> JsonObject:
    kind = button.get("type") if isinstance(button, dict) else None
    if not isinstance(button, dict) or kind not in _BUTTON_FIELDS:
        raise invalid(f"{where}.type: must be one of {', '.join(_BUTTON_FIELDS)}.")
    fields = _BUTTON_FIELDS[kind]
    for name in fields:
        value = button.get(name)
        if not isinstance(value, str) or not value:
            raise invalid(f"{where}.{name}: This field is required.")
    if kind == "URL" and not str(button["url"]).startswith(("https://", "http://")):
        raise invalid(f"{where}.url: must be an http or https URL.")
    if kind == "PHONE_NUMBER" and not _E164.fullmatch(str(button["phoneNumber"])):
        raise invalid(f"{where}.phoneNumber: must be an E.164 number such as +5491112345678.")
    return {"type": kind, **{name: button[name] for name in fields}}
