"""The parties of the OpenID4VP tests: an issuer, a learner's wallet keys, a verifier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from microcred.core.did import DidResolver
from microcred.core.formats.sdjwt_vc import VCT, issue_annex1_sd_jwt_vc
from microcred.core.keys import KeyPair, KeyType
from microcred.core.oid4vp.dcql import DcqlQuery, parse_dcql
from microcred.core.oid4vp.request import AuthorizationRequest, new_request
from microcred.core.oid4vp.response import VerifyPresentation
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.verify import Report, verify
from tests.core.test_verify import example_ob3

NOW = datetime(2026, 9, 1, 10, tzinfo=UTC)  # after the example's validFrom
ISSUER = KeyPair.from_seed(b"\x11" * 32)
HOLDER = KeyPair.from_seed(b"\x12" * 32)
HOLDER_P256 = KeyPair.from_seed(b"\x13" * 32, KeyType.P256)
VERIFIER = KeyPair.from_seed(b"\x14" * 32)
VERIFIER_DID = VERIFIER.public.did_key
CLIENT_ID = f"decentralized_identifier:{VERIFIER_DID}"
RESPONSE_URI = "https://verifier.example/oid4vp/response"


def counter(start: int = 1) -> Any:
    """Deterministic fresh bytes: 1, 2, 3... (``random_bytes`` for salts, nonces, states)."""
    state = {"n": start}

    def random_bytes(size: int) -> bytes:
        state["n"] += 1
        return state["n"].to_bytes(size, "big")

    return random_bytes


def sd_jwt_credential(holder: KeyPair = HOLDER, **kwargs: Any) -> str:
    """The bundled example micro-credential as an SD-JWT VC bound to ``holder``."""
    return issue_annex1_sd_jwt_vc(
        example_ob3(ISSUER.public.did_key),
        issuer_key=ISSUER,
        kid=ISSUER.public.did_key_vm,
        holder_key=holder.public,
        random_bytes=counter(),
        now=NOW - timedelta(days=2),
        **kwargs,
    )


def ldp_credential(subject: str | None = HOLDER.public.did_key) -> dict[str, Any]:
    """The example micro-credential in OB 3.0 with Data Integrity, about ``subject``."""
    document = example_ob3(ISSUER.public.did_key)
    if subject is not None:
        document["credentialSubject"]["id"] = subject
    created = NOW - timedelta(days=2)
    return sign_document(document, ISSUER, ISSUER.public.did_key_vm, created=created)


def micro_query(*claims: list[Any], **more: Any) -> DcqlQuery:
    """A DCQL query for the micro-credential SD-JWT VC with ``claims``."""
    query: dict[str, Any] = {"id": "micro", "format": "dc+sd-jwt", "meta": {"vct_values": [VCT]}}
    if claims:
        query["claims"] = [{"path": path} for path in claims]
    return parse_dcql({"credentials": [{**query, **more}]})


def ob3_query(*claims: list[Any], **more: Any) -> DcqlQuery:
    """A DCQL query for an Open Badges 3.0 credential with Data Integrity (``ldp_vc``)."""
    query: dict[str, Any] = {
        "id": "badge",
        "format": "ldp_vc",
        "meta": {
            "type_values": [
                ["https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]
            ]
        },
    }
    if claims:
        query["claims"] = [{"path": path} for path in claims]
    return parse_dcql({"credentials": [{**query, **more}]})


def request_for(query: DcqlQuery, seed: int = 100) -> AuthorizationRequest:
    return new_request(
        client_id=CLIENT_ID, response_uri=RESPONSE_URI, dcql_query=query, random_bytes=counter(seed)
    )


def _offline(url: str) -> dict[str, Any]:
    raise LookupError(f"offline test: {url} is not fetched")


def verifier_verify(now: datetime = NOW) -> VerifyPresentation:
    """The platform's verifier, offline (did:key only), judging at ``now``."""

    def check(item: Any, challenge: str | None, domain: str | None) -> Report:
        return verify(
            item,
            resolver=DidResolver(_offline),
            fetch_document=_offline,
            now=now,
            expected_challenge=challenge,
            expected_domain=domain,
        )

    return check
