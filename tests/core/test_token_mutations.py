"""Mutated vc+jwt and SD-JWT tokens: ``verify()`` never raises and never calls them verified.

Each token verifies as made. Random byte changes (flips, insertions, deletions) and segment
changes (a segment emptied, replaced by base64url text or JSON, moved, dropped, doubled; a header
re-encoded with another ``alg``) must give a report whose failed checks each say why in one
line. The only changes that may still verify are those that keep the meaning: surrounding
whitespace or a byte-order mark, and, for an SD-JWT without Key Binding, presenting fewer of
its Disclosures or the same ones in another order (what a holder is entitled to do).
"""

from __future__ import annotations

import base64
import json
import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver
from microcred.core.formats.sdjwt_vc import annex1_disclosable_claims, to_sdjwt_claims
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.jose import sign_vc_jwt
from microcred.core.proofs.sd_jwt import issue_sd_jwt, present_sd_jwt
from microcred.core.verify import Report, verify
from tests.core.test_verify import ISSUER_KEY, NOW, example_ob3

HOLDER = KeyPair.from_seed(bytes(range(5, 37)), KeyType.P256)
P256 = KeyPair.from_seed(bytes(range(7, 39)), KeyType.P256)
AUD, NONCE = "verifier.example", "n-42"
KB_OPTIONS = {"expected_challenge": NONCE, "expected_domain": AUD}
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _sd_jwt(holder: KeyPair | None) -> str:
    claims = to_sdjwt_claims(example_ob3())
    return issue_sd_jwt(
        claims,
        issuer_key=ISSUER_KEY,
        disclosable=annex1_disclosable_claims(claims),
        random_bytes=os.urandom,
        kid=ISSUER_KEY.public.did_key_vm,
        holder_key=None if holder is None else holder.public,
        decoys=1,
    )


VC_JWT = sign_vc_jwt(example_ob3(), ISSUER_KEY, kid=ISSUER_KEY.public.did_key_vm)
VC_JWT_P256 = sign_vc_jwt(example_ob3(P256.public.did_key), P256, kid=P256.public.did_key_vm)
SD_JWT = _sd_jwt(None)
SD_JWT_KB = present_sd_jwt(
    _sd_jwt(HOLDER), reveal=[("title",), ("learner",)], holder_key=HOLDER, aud=AUD, nonce=NONCE,
    now=NOW,
)  # fmt: skip
TOKENS: dict[str, tuple[str, dict[str, str]]] = {
    "vc+jwt EdDSA": (VC_JWT, {}),
    "vc+jwt ES256": (VC_JWT_P256, {}),
    "SD-JWT": (SD_JWT, {}),
    "SD-JWT+KB": (SD_JWT_KB, KB_OPTIONS),
}


def check(token: str | bytes, options: dict[str, str]) -> Report:
    fetch = DocumentMap({})
    return verify(token, resolver=DidResolver(fetch), fetch_document=fetch, now=NOW, **options)


def same_meaning(original: str, mutated: bytes) -> bool:
    """The changes that may verify (see the module doc)."""
    try:
        text = mutated.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return False
    if text == original:
        return True
    if original is not SD_JWT:
        return False
    jwt, *disclosures, end = text.split("~")
    offered = set(SD_JWT.split("~")[1:-1])
    unique = len(set(disclosures)) == len(disclosures)
    return jwt == SD_JWT.split("~")[0] and end == "" and unique and set(disclosures) <= offered


def assert_refused_with_reasons(report: Report, original: str, mutated: bytes) -> None:
    for failed in (c for c in report.checks if c.status == "failed"):
        assert failed.detail, failed
        assert "\n" not in failed.detail, failed
    if not same_meaning(original, mutated):
        assert not report.verified, report.to_dict()


@st.composite
def byte_changes(draw: st.DrawFn, token: str) -> bytes:
    data = bytearray(token.encode("ascii"))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data) - 1) | st.sampled_from([0, len(data) - 1]))
        change = draw(st.sampled_from(["flip", "set", "insert", "delete"]))
        if change == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif change == "set":
            data[at] = draw(st.sampled_from([*B64URL.encode(), *b".~= \x00\xff"]))
        elif change == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        else:
            del data[at : at + draw(st.integers(1, 8))]
    return bytes(data)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


JSON_TEXTS = st.sampled_from(
    [b"{}", b"[]", b"null", b'"x"', b'{"a":1,"a":2}', b"[1,2,3]", b'["s","n",1]', b"{" * 200]
) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
).map(lambda value: json.dumps(value).encode())


def _reheader(jwt: str, alg: str, extra: dict[str, Any]) -> str:
    header, rest = jwt.split(".", 1)
    fields = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    return f"{_b64(json.dumps({**fields, 'alg': alg, **extra}).encode())}.{rest}"


@st.composite
def segment_changes(draw: st.DrawFn, token: str) -> bytes:
    pieces = re.split(r"([.~])", token)
    segments = [i for i, piece in enumerate(pieces) if piece not in (".", "~")]
    at = draw(st.sampled_from(segments))
    change = draw(st.sampled_from(["empty", "text", "json", "move", "drop", "double", "alg"]))
    if change == "empty":
        pieces[at] = ""
    elif change == "text":
        pieces[at] = draw(st.text(B64URL, max_size=80))
    elif change == "json":
        pieces[at] = _b64(draw(JSON_TEXTS))
    elif change == "move":
        pieces[at] = pieces[draw(st.sampled_from(segments))]
    elif change == "drop":
        del pieces[at : at + 2]
    elif change == "double":
        pieces[at:at] = [pieces[at], pieces[at + 1] if at + 1 < len(pieces) else "~"]
    else:
        jwt = "".join(pieces[:5])  # the (issuer-signed) JWT: header . payload . signature
        alg = draw(st.sampled_from(["none", "HS256", "RS256", "ES512", "Ed25519", "ES384"]))
        extra = draw(st.sampled_from([{}, {"crit": ["b64"], "b64": False}, {"jwk": {}}]))
        pieces[:5] = [_reheader(jwt, alg, extra)]
    return "".join(pieces).encode("utf-8")


def _transplanted_signature() -> str:
    """VC_JWT's signature under the header and payload of another token by the same key."""
    other = sign_vc_jwt(
        {**example_ob3(), "name": "Other"}, ISSUER_KEY, ISSUER_KEY.public.did_key_vm
    )
    return other.rsplit(".", 1)[0] + "." + VC_JWT.rsplit(".", 1)[1]


EDGES = {
    "a Disclosure where the KB-JWT goes": ("SD-JWT", SD_JWT[:-1]),
    "junk where the KB-JWT goes": ("SD-JWT", SD_JWT + "junk"),
    "an empty Disclosure": ("SD-JWT", SD_JWT + "~"),
    "a Disclosure twice": ("SD-JWT", SD_JWT + SD_JWT.split("~")[1] + "~"),
    "the KB-JWT removed": ("SD-JWT+KB", SD_JWT_KB.rsplit("~", 1)[0] + "~"),
    "a fourth JWS part": ("vc+jwt EdDSA", VC_JWT + "."),
    "a signature moved to another payload": ("vc+jwt EdDSA", _transplanted_signature()),
}


@pytest.mark.parametrize("edge", sorted(EDGES))
def test_edge_changes_are_refused(edge: str) -> None:
    name, mutated = EDGES[edge]
    token, options = TOKENS[name]
    report = check(mutated, options)
    assert not report.verified, report.to_dict()
    assert_refused_with_reasons(report, token, mutated.encode())


def test_every_token_verifies_as_made() -> None:
    for name, (token, options) in TOKENS.items():
        report = check(token, options)
        assert report.verified, (name, report.to_dict())


@EXAMPLES
@given(data=st.data(), name=st.sampled_from(sorted(TOKENS)))
def test_byte_changes_never_raise_and_never_verify(data: st.DataObject, name: str) -> None:
    token, options = TOKENS[name]
    mutated = data.draw(byte_changes(token))
    assert_refused_with_reasons(check(mutated, options), token, mutated)


@EXAMPLES
@given(data=st.data(), name=st.sampled_from(sorted(TOKENS)))
def test_segment_changes_never_raise_and_never_verify(data: st.DataObject, name: str) -> None:
    token, options = TOKENS[name]
    mutated = data.draw(segment_changes(token))
    assert_refused_with_reasons(check(mutated, options), token, mutated)
