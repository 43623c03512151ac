"""Which key a verification method names, and who controls it.

DID verification methods are resolved through the DID document, which must list the method for
the proof's purpose (so a key removed from a did:web document stops verifying). A non-DID
method such as ``https://issuer.example/profile#z6Mk...`` (the 1EdTech validator's convention)
is looked up in the controller document at that URL when one can be fetched; otherwise (and
for other URIs such as ``urn:uuid:...#z6Mk...``) its key is read from the fragment, which
proves integrity only: the issuer check then says the controller was not confirmed. A bare
``did:key`` names its only key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred.core.did import (
    DidDocumentResolver,
    DidResolver,
    find_verification_method,
    split_did_url,
)
from microcred.core.errors import MicrocredError, ResolutionError
from microcred.core.keys import PublicKey

FetchDocument = Callable[[str], Mapping[str, Any]]
FetchToken = Callable[[str], str]  # a compact token at a URL (a Token Status List)


@dataclass
class KeyLookup:
    """A ``resolve_key`` callable remembering which methods' controllers are unconfirmed."""

    resolver: DidDocumentResolver
    fetch_document: FetchDocument
    purpose: str = "assertionMethod"
    unconfirmed: dict[str, str] = field(default_factory=dict)

    def __call__(self, method: str) -> PublicKey:
        try:
            return self._resolve(method)
        except (LookupError, OSError, ValueError, TypeError) as exc:  # from injected callables
            raise ResolutionError(f"cannot resolve {method[:80]}: {exc}") from exc

    def _resolve(self, method: str) -> PublicKey:
        did, fragment = split_did_url(method)
        if did.startswith("did:key:") and fragment is None:  # one key: the DID names it
            method = f"{did}#{did.removeprefix('did:key:')}"
        if did.startswith("did:key:") and type(self.resolver) is DidResolver and len(method) <= 512:
            # the same document and the same checks, remembered per method (did:key is a pure
            # function of its identifier; a verifier meets the same few issuers' keys again)
            return self.resolver.resolve_key(method, self.purpose)
        if did.startswith("did:"):
            return find_verification_method(self.resolver.resolve(did), method, self.purpose)
        reason = f"{did[:80]} is not a DID or an https URL whose document lists keys"
        if did.startswith("https://"):
            try:
                document = self.fetch_document(did)
                return find_verification_method(_as_controller(document, did), method, self.purpose)
            except MicrocredError as exc:
                reason = exc.message
        if fragment is None or ":" not in did:
            raise ResolutionError(f"cannot find the key of {method}: {reason}")
        try:
            key = PublicKey.from_multibase(fragment)
        except MicrocredError as exc:
            raise ResolutionError(f"{method}: the fragment is not a public key ({exc})") from exc
        self.unconfirmed[method] = reason
        return key


def _as_controller(document: Mapping[str, Any], url: str) -> Mapping[str, Any]:
    if document.get("id") != url or "verificationMethod" not in document:
        raise ResolutionError(f"{url} is not a controller document listing keys")
    return document


def controller_of(method: str) -> str:
    """The DID or URL a verification method belongs to (the part before ``#``)."""
    return split_did_url(method)[0]
