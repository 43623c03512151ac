"""Token Status List: the draft's own vectors, our list tokens, and SD-JWT VC revocation."""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred.core.did import DidResolver
from microcred.core.errors import StatusListError
from microcred.core.formats.sdjwt_vc import issue_annex1_sd_jwt_vc
from microcred.core.keys import KeyPair, KeyType, PublicKey
from microcred.core.proofs.jws import b64url_encode
from microcred.core.status_token import (
    INVALID,
    SUSPENDED,
    StatusReference,
    TokenStatusList,
    open_status_list_token,
    status_claim,
    status_list_token,
    status_reference,
    token_status,
)
from microcred.core.verify import Report, verify
from tests.core.test_verify import example_ob3

DATA = Path(__file__).parents[1] / "data" / "token-status-list"
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ISSUER = KeyPair.from_seed(b"\x07" * 32)
HOLDER = KeyPair.from_seed(b"\x08" * 32, KeyType.P256)
STRANGER = KeyPair.from_seed(b"\x09" * 32)
LIST_URI = "https://issuer.example/status-tokens/1"


def _json_block(name: str) -> dict[str, Any]:
    text = (DATA / f"{name}.md").read_text()
    body = text[text.index("{") : text.rindex("}") + 1]
    value: dict[str, Any] = json.loads(re.sub(r"\s+", "", body))
    return value


def test_the_drafts_small_examples_byte_for_byte() -> None:
    one = TokenStatusList(1, 16)
    for idx, value in enumerate([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]):
        one.set(idx, value)
    assert one.data == bytes([0xB9, 0xA3])
    assert one.to_json() == _json_block("status_list_encoding_json")
    two = TokenStatusList(2, 12)
    for idx, value in enumerate([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]):
        two.set(idx, value)
    assert two.data == bytes([0xC9, 0x44, 0xF9])
    assert two.to_json() == _json_block("status_list_encoding2_json")


def _listed_statuses() -> dict[int, dict[int, int]]:
    """``{bits: {index: value}}`` from the draft's "Test vectors" section."""
    section = (DATA / "test-vectors-section.md").read_text()
    found: dict[int, dict[int, int]] = {}
    for part in re.split(r"^## (\d)-bit Status List$", section, flags=re.M)[1:]:
        if part.isdigit():
            bits = int(part)
            continue
        listed = re.findall(r"status\[(\d+)\]\s*=\s*0b([01]+)", part)
        found[bits] = {int(i): int(v, 2) for i, v in listed}  # the last setting of an index wins
    return found


VECTOR_FILES = {1: "status_list_encoding1_long_json", 2: "status_list_encoding2_long_json",
                4: "status_list_encoding4_json", 8: "status_list_encoding8_json"}  # fmt: skip


@pytest.mark.parametrize("bits", [1, 2, 4, 8])
def test_the_drafts_test_vectors_decode_to_the_listed_statuses(bits: int) -> None:
    claim = _json_block(VECTOR_FILES[bits])
    listed = _listed_statuses()[bits]
    decoded = TokenStatusList.from_json(claim)
    assert decoded.size == 2**20
    assert {i: decoded.get(i) for i in listed} == listed
    others = [i for i in range(0, 2**20, 997) if i not in listed]
    assert all(decoded.get(i) == 0 for i in others)
    rebuilt = TokenStatusList(bits, 2**20)
    for idx, value in listed.items():
        rebuilt.set(idx, value)
    assert rebuilt.encode() == claim["lst"]


def _spec_key(kid: str) -> PublicKey:
    assert kid == "12"
    return PublicKey.from_jwk(json.loads((DATA / "example-key.public.jwk.json").read_text()))


def test_the_drafts_status_list_token_verifies_with_its_key() -> None:
    raw = re.sub(r"\s+", "", (DATA / "status_list_jwt_raw.md").read_text())
    opened = open_status_list_token(raw, resolve_key=_spec_key, now=NOW)
    assert opened.subject == "https://example.com/statuslists/1"
    assert (opened.ttl, opened.issued_at, opened.expires_at) == (43200, 1686920170, 2291720170)
    uri = "https://example.com/statuslists/1"
    reference = status_reference({"status": status_claim(uri, 0)})
    assert reference == StatusReference(uri, 0)
    assert token_status(reference, opened).status == "revoked"  # 0xB9: bit 0 is set
    assert token_status(StatusReference(uri, 1), opened).status == "valid"
    after = datetime.fromtimestamp(2291720170 + 3600, UTC)
    with pytest.raises(StatusListError, match="expired"):
        open_status_list_token(raw, resolve_key=_spec_key, now=after)
    tampered = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    with pytest.raises(StatusListError, match="signature"):
        open_status_list_token(tampered, resolve_key=_spec_key, now=NOW)


@given(
    st.sampled_from([1, 2, 4, 8]).flatmap(
        lambda bits: st.tuples(
            st.just(bits),
            st.dictionaries(st.integers(0, 999), st.integers(0, 2**bits - 1), max_size=40),
        )
    )
)
def test_statuses_survive_encoding(case: tuple[int, dict[int, int]]) -> None:
    bits, statuses = case
    status_list = TokenStatusList(bits, 1000)
    for idx, value in statuses.items():
        status_list.set(idx, value)
    decoded = TokenStatusList.decode(status_list.encode(), bits)
    assert all(decoded.get(i) == statuses.get(i, 0) for i in range(1000))


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        ({"bits": 3, "lst": "eNrbuRgAAhcBXQ"}, "bits must be 1, 2, 4 or 8"),
        ({"bits": True, "lst": "eNrbuRgAAhcBXQ"}, "bits must be"),
        ({"bits": 1, "lst": "not base64!"}, "base64url"),
        ({"bits": 1, "lst": b64url_encode(b"plain bytes")}, "not ZLIB-compressed"),
        ({"bits": 1, "lst": b64url_encode(zlib.compress(b"\x00" * 100)[:-3])}, "truncated"),
        ({"bits": 1, "lst": b64url_encode(zlib.compress(b"\x00" * (17 * 2**20)))}, "more than"),
        ({"bits": 1, "lst": b64url_encode(zlib.compress(b""))}, "empty"),
        ("a string", "JSON object"),
    ],
)
def test_malformed_lists_are_named(claim: Any, words: str) -> None:
    with pytest.raises(StatusListError, match=words):
        TokenStatusList.from_json(claim)


@pytest.mark.parametrize(
    ("claims", "words"),
    [
        ({"status": "revoked"}, "not a JSON object"),
        ({"status": {"status_list_2021": {}}}, "has no status_list"),
        ({"status": {"status_list": {"idx": -1, "uri": LIST_URI}}}, "idx -1"),
        ({"status": {"status_list": {"idx": "3", "uri": LIST_URI}}}, "idx '3'"),
        ({"status": {"status_list": {"idx": 3, "uri": 5}}}, "not a URI"),
    ],
)
def test_malformed_status_references_are_named(claims: dict[str, Any], words: str) -> None:
    with pytest.raises(StatusListError, match=words):
        status_reference(claims)


# --- through the verifier -----------------------------------------------------------------------


def _credential(idx: int | None = 5, valid_until: str | None = None) -> str:
    document = example_ob3(ISSUER.public.did_key)
    if valid_until:
        document["validUntil"] = valid_until
    salts = iter(range(1, 1000))
    return issue_annex1_sd_jwt_vc(
        document, issuer_key=ISSUER, kid=ISSUER.public.did_key_vm, holder_key=HOLDER.public,
        random_bytes=lambda n: next(salts).to_bytes(n, "big"), now=NOW - timedelta(days=1),
        status=None if idx is None else status_claim(LIST_URI, idx),
    )  # fmt: skip


def _list_token(
    revoked: dict[int, int] | None = None,
    *,
    signer: KeyPair = ISSUER,
    uri: str = LIST_URI,
    issued: datetime = NOW - timedelta(minutes=5),
    bits: int = 1,
) -> str:
    status_list = TokenStatusList(bits, 1024)
    for idx, value in (revoked or {}).items():
        status_list.set(idx, value)
    return status_list_token(status_list, uri=uri, issuer=signer.public.did_key, key=signer,
                             kid=signer.public.did_key_vm, now=issued)  # fmt: skip


def _refuse(url: str) -> dict[str, Any]:
    raise LookupError(f"no document at {url}")


def _verify(token: str, fetch: Callable[[str], str] | None, now: datetime = NOW) -> Report:
    return verify(token, resolver=DidResolver(_refuse), fetch_document=_refuse, now=now,
                  fetch_status_token=fetch)  # fmt: skip


def _status(report: Report) -> tuple[str, str]:
    check = report.named("status")[0]
    return check.status, check.detail


def _serving(token: str) -> Callable[[str], str]:
    def fetch(url: str) -> str:
        assert url == LIST_URI
        return token

    return fetch


def test_a_valid_sd_jwt_vc_with_a_status_list_is_verified() -> None:
    report = _verify(_credential(), _serving(_list_token({4: 1, 6: 1})))
    assert _status(report) == ("ok", f"Token Status List entry 5 of {LIST_URI}: valid")
    assert report.verified, report.to_dict()


def test_a_revoked_sd_jwt_vc_fails_through_its_token_status_list() -> None:
    report = _verify(_credential(), _serving(_list_token({5: INVALID})))
    assert _status(report) == ("failed", f"Token Status List entry 5 of {LIST_URI}: revoked")
    assert report.authentic
    assert not report.verified


def test_suspension_and_other_values_are_not_valid() -> None:
    suspended = _verify(_credential(), _serving(_list_token({5: SUSPENDED}, bits=2)))
    assert _status(suspended)[1].endswith("suspended")
    other = _verify(_credential(), _serving(_list_token({5: 3}, bits=2)))
    words = f"Token Status List entry 5 of {LIST_URI}: status value 3 (application-specific)"
    assert _status(other) == ("failed", f"{words}, not valid")
    assert not other.verified


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (_list_token(signer=STRANGER), "not by the credential's issuer"),
        (_list_token(uri="https://issuer.example/status-tokens/2"), "is about"),
        (_list_token(issued=NOW - timedelta(days=3)), "expired at"),
        (_list_token(issued=NOW + timedelta(hours=1)), "issued in the future"),
        (_list_token()[:-6] + "AAAAAA", "signature"),
        ("not a token", "compact JWS"),
    ],
)
def test_a_list_token_that_cannot_be_trusted_fails(token: str, words: str) -> None:
    report = _verify(_credential(), _serving(token))
    status, detail = _status(report)
    assert status == "failed"
    assert words in detail
    assert not report.verified


def test_an_index_beyond_the_list_gives_no_statement() -> None:
    report = _verify(_credential(idx=5000), _serving(_list_token()))
    assert _status(report)[0] == "failed"
    assert "outside the list" in _status(report)[1]


def test_an_unreachable_list_or_no_fetcher_is_never_verified() -> None:
    def down(url: str) -> str:
        raise OSError("connection refused")

    unreachable = _verify(_credential(), down)
    assert _status(unreachable) == ("failed", "status list unreachable, status unknown: "
                                              "connection refused")  # fmt: skip
    unknown = _verify(_credential(), None)
    check = unknown.named("status")[0]
    assert (check.status, check.blocking) == ("skipped", True)
    assert unknown.authentic
    assert not unknown.verified


def test_no_status_claim_is_skipped_without_blocking() -> None:
    report = _verify(_credential(idx=None), None)
    assert _status(report) == ("skipped", "the credential has no status: it cannot be revoked")
    assert report.verified


def test_an_expired_credential_does_not_fetch_its_list() -> None:
    def never(url: str) -> str:
        raise AssertionError("the list must not be fetched for a token that does not hold")

    report = _verify(_credential(valid_until="2026-02-01T00:00:00Z"), never)
    assert _status(report) == ("skipped", "not looked up: the token itself does not hold")
    assert not report.verified
