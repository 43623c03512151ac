"""DIDs: did:key documents, did:web documents and URLs, resolution and verification methods.

The core never does network I/O: did:web documents come from an injected ``fetch_json``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import quote, unquote

import base58

from microcred.core.errors import InvalidKey, MicrocredError, ResolutionError
from microcred.core.keys import KeyType, PublicKey, multibase_decode

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1"
PURPOSES = ("authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(%3[Aa][0-9]{1,5})?$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~%!$&'()*+,;=@-]+$")

FetchJson = Callable[[str], Mapping[str, Any]]


class DidDocumentResolver(Protocol):
    """Anything that turns a DID into its DID document."""

    def resolve(self, did: str) -> dict[str, Any]:
        """The DID document for ``did``; raises ResolutionError."""
        ...


def split_did_url(did_url: str) -> tuple[str, str | None]:
    """``did:x:y#frag`` -> (``did:x:y``, ``frag``)."""
    did, _, fragment = did_url.partition("#")
    return did, fragment or None


def did_key_document(did: str, *, legacy_ed25519: bool = False) -> dict[str, Any]:
    """The DID document of a did:key (Multikey; Ed25519VerificationKey2020 if ``legacy``)."""
    did, _ = split_did_url(did)
    if not did.startswith("did:key:"):
        raise ResolutionError(f"{did} is not a did:key")
    try:
        key = PublicKey.from_multibase(did.removeprefix("did:key:"))
    except InvalidKey as exc:
        raise ResolutionError(f"{did} is not a valid did:key: {exc.message}") from exc
    legacy = legacy_ed25519 and key.type is KeyType.ED25519
    method = _method(did, key, "Ed25519VerificationKey2020" if legacy else "Multikey")
    return _document(did, [method], [method["id"]], legacy)


def _method(did: str, key: PublicKey, kind: str = "Multikey") -> dict[str, Any]:
    return {
        "id": f"{did}#{key.to_multibase()}",
        "type": kind,
        "controller": did,
        "publicKeyMultibase": key.to_multibase(),
    }


def _document(
    did: str, methods: list[dict[str, Any]], valid: list[str], legacy: bool = False
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [DID_CONTEXT, ED25519_2020_CONTEXT if legacy else MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
    }
    for purpose in PURPOSES:
        doc[purpose] = list(valid)
    return doc


@lru_cache(maxsize=1024)
def did_web_from(domain_or_did: str) -> str:
    """``example.com``, ``example.com:8443/users/alice`` or a did:web -> the did:web.

    Remembered (a pure function of its text): a batch names its provider's DID per credential.
    """
    if domain_or_did.startswith("did:web:"):
        did_web_url(domain_or_did)  # validates
        return domain_or_did
    value = domain_or_did.removeprefix("https://").strip("/")
    host, _, path = value.partition("/")
    host = host.replace(":", "%3A")
    segments = [quote(s, safe="") for s in path.split("/") if s]
    did = ":".join(["did:web", host, *segments])
    did_web_url(did)
    return did


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web document (``/.well-known/did.json`` or ``/<path>/did.json``)."""
    did, _ = split_did_url(did)
    if not did.startswith("did:web:"):
        raise ResolutionError(f"{did} is not a did:web")
    host, *segments = did.removeprefix("did:web:").split(":")
    if not host or not _HOST.match(host) or ".." in host or host.startswith((".", "-")):
        raise ResolutionError(f"{did} does not name a valid host")
    for segment in segments:
        if (
            not _SEGMENT.match(segment)
            or unquote(segment) in (".", "..")
            or "/" in unquote(segment)
        ):
            raise ResolutionError(f"{did} has an invalid path segment {segment!r}")
    base = "https://" + unquote(host).lower()
    if not segments:
        return base + "/.well-known/did.json"
    return base + "/" + "/".join(segments) + "/did.json"


def did_web_document(
    domain_or_did: str, keys: Sequence[PublicKey], valid: Collection[PublicKey] | None = None
) -> dict[str, Any]:
    """A did:web document listing every key; the purposes list only the ``valid`` ones.

    Keep a rotated-out key valid so credentials it signed still verify; leave a compromised key
    out of ``valid`` (it stays listed, so its id still resolves, but it no longer verifies).
    """
    did = did_web_from(domain_or_did)
    if not keys:
        raise InvalidKey("a did:web document needs at least one key")
    methods = [_method(did, key) for key in keys]
    allowed = set(keys) if valid is None else set(valid)
    ids = [m["id"] for m, key in zip(methods, keys, strict=True) if key in allowed]
    return _document(did, methods, ids)


class DidResolver:
    """Resolves did:key locally and did:web through an injected ``fetch_json(url)``."""

    def __init__(self, fetch_json: FetchJson | None = None) -> None:
        self._fetch_json = fetch_json

    def resolve(self, did: str) -> dict[str, Any]:
        """The DID document; raises ResolutionError for unknown methods or bad documents."""
        did, _ = split_did_url(did)
        if did.startswith("did:key:"):
            return did_key_document(did)
        if did.startswith("did:web:"):
            return self._resolve_web(did)
        method = ":".join(did.split(":")[:2])
        raise ResolutionError(f"cannot resolve {method} DIDs (supported: did:key, did:web)")

    def _resolve_web(self, did: str) -> dict[str, Any]:
        url = did_web_url(did)
        if self._fetch_json is None:
            raise ResolutionError(f"cannot resolve {did}: no way to fetch {url} was configured")
        document = self._fetch_json(url)
        if not isinstance(document, Mapping) or document.get("id") != did:
            raise ResolutionError(f"the document at {url} is not the DID document of {did}")
        return dict(document)

    def resolve_key(self, vm_id: str, purpose: str = "assertionMethod") -> PublicKey:
        """The public key of a verification method the DID lists for ``purpose``."""
        if vm_id.startswith("did:key:"):
            return _did_key_method(vm_id, purpose)
        return find_verification_method(self.resolve(vm_id), vm_id, purpose)

    def key_resolver(self, purpose: str = "assertionMethod") -> Callable[[str], PublicKey]:
        """A ``resolve_key`` callable for :func:`verify_proofs`, checking ``purpose``."""
        return lambda vm_id: self.resolve_key(vm_id, purpose)


@lru_cache(maxsize=4096)
def _did_key_method(vm_id: str, purpose: str) -> PublicKey:
    """did:key resolution is a pure function of the identifier: done once per method."""
    did, _ = split_did_url(vm_id)
    return find_verification_method(did_key_document(did), vm_id, purpose)


def _absolute(did: str, ref: str) -> str:
    return did + ref if ref.startswith("#") else ref


def find_verification_method(
    did_doc: Mapping[str, Any], vm_id: str, purpose: str = "assertionMethod"
) -> PublicKey:
    """The key of ``vm_id``: controlled by the document's DID and listed for ``purpose``."""
    did = did_doc.get("id")
    if not isinstance(did, str):
        raise ResolutionError("the DID document has no id")
    vm_id = _absolute(did, vm_id)
    if "#" not in vm_id:
        raise ResolutionError(f"{vm_id} names a DID, not one of its verification methods")
    if split_did_url(vm_id)[0] != did:
        raise ResolutionError(f"{vm_id} does not belong to {did}")
    listed = did_doc.get(purpose)
    refs = listed if isinstance(listed, list) else []
    if not any(_ref_id(did, ref) == vm_id for ref in refs):
        raise ResolutionError(f"{vm_id} is not listed for {purpose} in the DID document of {did}")
    method = _find_method(did_doc, did, vm_id)
    controller = method.get("controller")
    if controller is not None and controller != did:
        raise ResolutionError(f"{vm_id} is controlled by {controller}, not by {did}")
    return method_public_key(method)


def _ref_id(did: str, ref: Any) -> str | None:
    if isinstance(ref, str):
        return _absolute(did, ref)
    if isinstance(ref, Mapping) and isinstance(ref.get("id"), str):
        return _absolute(did, ref["id"])
    return None


def _find_method(did_doc: Mapping[str, Any], did: str, vm_id: str) -> Mapping[str, Any]:
    for key in ("verificationMethod", *PURPOSES):
        entries = did_doc.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping) and _ref_id(did, entry) == vm_id:
                return entry
    raise ResolutionError(f"the DID document of {did} has no verification method {vm_id}")


def method_public_key(method: Mapping[str, Any]) -> PublicKey:
    """Public key of a Multikey, JsonWebKey(2020) or Ed25519VerificationKey2018/2020 method."""
    kind = str(method.get("type"))
    try:
        key = _method_key(method, kind)
    except MicrocredError as exc:
        raise ResolutionError(f"verification method {method.get('id')}: {exc.message}") from exc
    if kind.startswith("Ed25519") and key.type is not KeyType.ED25519:
        raise ResolutionError(f"{kind} method {method.get('id')} holds a {key.type.value} key")
    return key


def _method_key(method: Mapping[str, Any], kind: str) -> PublicKey:
    if isinstance(method.get("publicKeyJwk"), Mapping):
        return PublicKey.from_jwk(method["publicKeyJwk"])
    multibase = method.get("publicKeyMultibase")
    if isinstance(multibase, str):
        data = multibase_decode(multibase)
        if kind.startswith("Ed25519") and len(data) == 32:  # raw key, no multicodec prefix
            return PublicKey.from_raw(KeyType.ED25519, data)
        return PublicKey.from_multibase(multibase)
    raw58 = method.get("publicKeyBase58")
    if isinstance(raw58, str) and kind.startswith("Ed25519"):
        try:
            return PublicKey.from_raw(KeyType.ED25519, base58.b58decode(raw58))
        except ValueError as exc:
            raise InvalidKey("publicKeyBase58 is not valid base58") from exc
    raise InvalidKey(f"no usable public key in a {kind} verification method")
