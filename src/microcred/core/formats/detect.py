"""Read any supported credential document: detect its format and map it to the Annex I model."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from microcred.core.errors import NotACredential
from microcred.core.formats.base import Imported
from microcred.core.formats.elm import from_elm, is_elm
from microcred.core.formats.native import from_native, is_native
from microcred.core.formats.ob3 import from_ob3, is_ob3
from microcred.core.formats.reading import parse_json, parse_text, parse_yaml
from microcred.core.jsonld import unknown_context


def load_document(data: bytes) -> Mapping[str, Any]:
    """Parse bytes into a JSON object (native descriptions may also be YAML)."""
    text = parse_text(data)
    stripped = text.lstrip()
    if not stripped:
        raise NotACredential("the file is empty")
    if stripped[0] in "{[":
        value = parse_json(text)
    elif stripped.startswith("eyJ"):
        value = _decode_jwt_payload(stripped)
    else:
        value = parse_yaml(text)
    if not isinstance(value, Mapping):
        raise NotACredential(f"a credential is a JSON object {{...}}, not {json_kind(value)}")
    return value


def json_kind(value: Any) -> str:
    """What a parsed value is, in JSON's words (never a Python type name)."""
    if isinstance(value, list):
        return "an array [...]"
    if isinstance(value, str):
        return "a string" if value.strip() else "an empty string"
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return "an object"


def _decode_jwt_payload(token: str) -> Any:
    """The payload of a compact JWS (unverified: for reading the facts, not trusting them)."""
    compact = token.split("~", 1)[0].strip()
    parts = compact.split(".")
    if len(parts) != 3:
        raise NotACredential("not a compact JWT (expected three dot-separated parts)")
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
    except ValueError:
        raise NotACredential("the JWT payload is not base64url") from None
    payload = parse_json(raw.decode("utf-8", errors="strict"))
    if isinstance(payload, Mapping) and isinstance(payload.get("vc"), Mapping):
        return payload["vc"]  # VC 1.1 JWT: the credential is the "vc" claim
    return payload


def detect_format(document: Mapping[str, Any]) -> str:
    """``native``, ``ob3`` or ``elm``; :class:`NotACredential` for anything else."""
    if is_native(document):
        return "native"
    if is_ob3(document):
        return "ob3"
    if is_elm(document):
        return "elm"
    if "@context" in document or "type" in document:
        raise NotACredential(
            "a JSON(-LD) document, but neither an Open Badges 3.0 nor an ELM/EDC credential"
        )
    raise NotACredential("not a credential: no @context, no type, no microcred marker")


def read_document(document: Mapping[str, Any]) -> Imported:
    """Map a parsed document of any supported format to the model."""
    if is_native(document):
        return from_native(document)
    _check_contexts(document)
    fmt = detect_format(document)
    return from_ob3(document) if fmt == "ob3" else from_elm(document)


def read_credential(data: bytes) -> Imported:
    """Bytes in, model out: the one entry point for files and uploads."""
    return read_document(load_document(data))


def _check_contexts(document: Mapping[str, Any]) -> None:
    """Refuse JSON-LD contexts we do not ship (never fetched); inline contexts are fine."""
    context = unknown_context(document)
    if context is not None:
        raise NotACredential(
            f"unknown JSON-LD context {context!r} (microcred never fetches contexts)"
        )
