"""ZapSign's signer groups: set with a new document (signature_groups, each signer's order_group), removed apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, cast

from aiohttp import web

from .._clock import TimeFunction, drf_timestamp
from .._drf import field_errors
from .._json import JsonObject

if TYPE_CHECKING:  # the store's records check new documents with signature_group_errors
    from .store import DocumentStore

_GROUP_FIELDS: Final = {"order_group": int, "title": str, "minimum_signatures_required": int}


def signature_group_errors(fields: JsonObject) -> JsonObject:
    """The refusals of a new document's signature_groups, as the page words them; empty when they are valid.

    Its signers have passed `signer_errors`. The page also says the numbering starts at 0, yet its own
    example starts at 1: that rule is left out.
    """
    groups = fields.get("signature_groups")
    if groups is None:
        return {}
    if not isinstance(groups, list):
        return {"signature_groups": [f'Expected a list of items but got type "{type(groups).__name__}".']}
    if any(per_item := [field_errors(group, _GROUP_FIELDS, required=("order_group",)) for group in groups]):
        return {"signature_groups": per_item}
    message = _rule_broken(cast(list[JsonObject], groups), cast(list[JsonObject], fields["signers"]))
    return {} if message is None else {"message": message}


def _rule_broken(groups: list[JsonObject], signers: list[JsonObject]) -> str | None:
    numbers = sorted(cast(int, group["order_group"]) for group in groups)
    expected = list(range(numbers[0], numbers[0] + len(numbers))) if numbers else []
    if numbers != expected:
        return f"A numeração dos grupos deve ser contínua. Valores esperados: {expected}, valores fornecidos: {numbers}"
    members = [signer.get("order_group") for signer in signers]
    if any(member not in numbers for member in members):
        return "Há signatários neste documento que não foram incluídos em nenhum grupo."
    for group in groups:
        minimum = group.get("minimum_signatures_required")
        if minimum is not None and not 1 <= cast(int, minimum) <= members.count(group["order_group"]):
            # Documented rule (not zero, at most the group's signers); the wording is inferred.
            return f"Invalid minimum_signatures_required for group {group['order_group']}."
    return None


class ZapSignSignatureGroups:
    """The handler of DELETE /signature-group/{doc_token}/."""

    def __init__(self, store: DocumentStore, clock: TimeFunction) -> None:
        self._store = store
        self._clock = clock

    async def delete_signature_groups(self, request: web.Request) -> web.Response:
        """Back to the document as it was before its groups; the page shows no answer body (a bare 200 here)."""
        document = self._store.document(request.match_info["doc_token"])
        document.signature_groups = []
        document.last_update_at = drf_timestamp(self._clock())
        return web.Response()
