"""Linked-data documents the platform publishes: passed through whole, their shape named."""

from __future__ import annotations

from pydantic import ConfigDict, RootModel

from microcred.schemas.base import JsonObject, documented

_ANY_LIST: dict[str, object] = {"type": "array"}
_TEXT: dict[str, object] = {"type": "string"}


class DidDocument(JsonObject):
    """A ``did:web`` document: every key listed, revoked ones valid for no purpose."""

    model_config = ConfigDict(json_schema_extra=documented(**{
        "@context": _ANY_LIST, "id": _TEXT, "verificationMethod": _ANY_LIST,
        "assertionMethod": _ANY_LIST, "authentication": _ANY_LIST,
        "alsoKnownAs": {"type": "array", "items": _TEXT}}))  # fmt: skip


class JsonLdDocument(JsonObject):
    """A JSON-LD document (ELM, schema.org or CTDL): ``@context`` and its nodes."""

    model_config = ConfigDict(json_schema_extra=documented(**{
        "@context": {}, "@graph": _ANY_LIST, "id": _TEXT, "type": {}}))  # fmt: skip


class StatusListCredential(JsonObject):
    """A signed ``BitstringStatusListCredential`` (VC 2.0, Data Integrity proof)."""

    model_config = ConfigDict(json_schema_extra=documented(**{
        "@context": _ANY_LIST, "id": _TEXT, "type": _ANY_LIST, "issuer": {},
        "validFrom": _TEXT, "credentialSubject": {"type": "object"}, "proof": {}}))  # fmt: skip


class ClrCredential(JsonObject):
    """A signed CLR 2.0 ``ClrCredential``: its parts embedded whole, their associations."""

    model_config = ConfigDict(json_schema_extra=documented(**{
        "@context": _ANY_LIST, "id": _TEXT, "type": _ANY_LIST, "issuer": {},
        "validFrom": _TEXT, "name": _TEXT, "credentialSubject": {"type": "object"},
        "proof": {}}))  # fmt: skip


class StatusListToken(RootModel[str]):
    """A Token Status List (``statuslist+jwt``, compact JWS): the status of SD-JWT VCs."""
