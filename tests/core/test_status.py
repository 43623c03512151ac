"""Bitstring Status List: the spec's examples, bits, sizes and refusals."""

from __future__ import annotations

import base64
import gzip
import json
import re
from datetime import UTC, datetime

import pytest

from microcred.core.errors import StatusListError
from microcred.core.status import (
    DEFAULT_SIZE,
    StatusList,
    check_status,
    credential_status_entry,
    read_status_list,
    status_list_credential,
)
from tests.conftest import vectors_path

SPEC_EMPTY = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _load(*parts: str) -> dict[str, object]:
    return json.loads(vectors_path(*parts).read_text("utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "name",
    ["ex003-example-bitstringstatuslistcredential.json",
     "ex005-a-status-list-verifiable-credential.json",
     "ex005-a-status-list-verifiable-credential.eddsa-rdfc-2022.json",
     "ex005-a-status-list-verifiable-credential.ecdsa-rdfc-2019.json"],
)  # fmt: skip
def test_spec_example_lists_decode_to_131072_clear_bits(name: str) -> None:
    credential = _load("w3c-vc-bitstring-status-list", "examples", name)
    status_list = read_status_list(credential)
    assert status_list.size == 131_072
    assert status_list.purpose == "revocation"
    assert status_list.set_indices() == []


def test_empty_default_list_encodes_exactly_as_the_spec_shows() -> None:
    encoded = StatusList().encode()
    assert encoded == SPEC_EMPTY
    assert DEFAULT_SIZE == 131_072
    assert len(encoded) < 100


def test_spec_entry_example_reads_as_not_revoked() -> None:
    list_credential = _load("w3c-vc-bitstring-status-list", "examples",
                            "ex005-a-status-list-verifiable-credential.json")  # fmt: skip
    credential = _load("w3c-vc-bitstring-status-list", "examples",
                       "ex004-a-revocable-verifiable-credential.json")  # fmt: skip
    result = check_status(credential["credentialStatus"], list_credential)  # type: ignore[arg-type]
    assert result.status == "ok"
    assert result.index == 94567


def test_1edtech_testlist_has_bit_23_set() -> None:
    testlist = _load("1edtech-ob3-clr2", "validator-test-resources", "ob30", "bit-string-list",
                     "testlist")  # fmt: skip
    assert read_status_list(testlist).set_indices() == [23]
    revoked = _load("1edtech-ob3-clr2", "validator-test-resources", "ob30", "bit-string-list",
                    "credential-status-revoked.json")  # fmt: skip
    result = check_status(revoked["credentialStatus"], testlist)  # type: ignore[arg-type]
    assert result.status == "revoked"
    assert "revocation entry 23" in result.detail


def test_dcc_list_of_100000_entries_reads() -> None:
    dcc = _load("dcc-vc-test-fixtures", "statusLists", "didkey-ed25519Signature2020",
                "e5WK8CbZ1GjycuPombrj")  # fmt: skip
    status_list = read_status_list(dcc)
    assert status_list.size == 100_000
    assert status_list.set_indices() == [2, 6, 8]


def test_set_clear_get_round_trip_through_a_signed_shape_credential() -> None:
    status_list = StatusList("suspension")
    for index in (0, 7, 8, 94567, DEFAULT_SIZE - 1):
        status_list.set(index)
    status_list.clear(7)
    credential = status_list_credential(status_list, "https://example.org/status/1",
                                        "did:example:issuer", NOW)  # fmt: skip
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["validFrom"] == "2026-01-01T00:00:00Z"
    again = read_status_list(credential)
    assert again.purpose == "suspension"
    assert again.set_indices() == [0, 8, 94567, DEFAULT_SIZE - 1]
    entry = credential_status_entry("https://example.org/status/1", 94567, "suspension")
    assert entry["statusListIndex"] == "94567"
    assert check_status(entry, credential).status == "suspended"
    assert (
        check_status(
            credential_status_entry("https://example.org/status/1", 7, "suspension"), credential
        ).status
        == "ok"
    )


def test_bit_order_is_most_significant_first() -> None:
    status_list = StatusList(size=16)
    status_list.set(0)
    status_list.set(9)
    assert bytes(status_list.bits) == b"\x80\x40"


def test_multi_bit_status_values() -> None:
    status_list = StatusList("message", size=8, status_size=2)
    status_list.set(3, 2)
    assert [status_list.get(i) for i in range(4)] == [0, 0, 0, 2]
    with pytest.raises(StatusListError, match="does not fit"):
        status_list.set(0, 4)


def test_statuslist2021_credentials_are_read() -> None:
    raw = base64.urlsafe_b64encode(gzip.compress(b"\x20" + bytes(16383))).decode().rstrip("=")
    credential = {
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "credentialSubject": {"type": "StatusList2021", "statusPurpose": "revocation",
                              "encodedList": raw},
    }  # fmt: skip
    entry = {"type": "StatusList2021Entry", "statusPurpose": "revocation",
             "statusListIndex": "2", "statusListCredential": "https://x.example/l"}  # fmt: skip
    assert check_status(entry, credential).status == "revoked"


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [("uH4sI-I-CHANGED-THIS", "damaged"), ("u***", "not multibase"),
     ("u" + base64.urlsafe_b64encode(b"plain text").decode(), "not GZIP"),
     (42, "non-empty string"), ("", "non-empty string")],
)  # fmt: skip
def test_garbage_encoded_lists_are_refused_clearly(encoded: object, reason: str) -> None:
    with pytest.raises(StatusListError, match=reason):
        StatusList.decode(encoded)


def test_a_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(bytes(17 * 1024 * 1024), mtime=0)
    encoded = "u" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    with pytest.raises(StatusListError, match="inflates to more than"):
        StatusList.decode(encoded)


def test_a_credential_that_is_not_a_status_list_is_refused() -> None:
    missing = _load("dcc-vc-test-fixtures", "statusLists", "didkey-ed25519Signature2020",
                    "missingBitStringType")  # fmt: skip
    with pytest.raises(StatusListError, match="not a status list"):
        read_status_list(missing)
    with pytest.raises(StatusListError, match="not a status list"):
        read_status_list({"type": ["VerifiableCredential"], "credentialSubject": {}})


def test_wrong_purpose_index_and_dates_are_refused() -> None:
    credential = status_list_credential(StatusList(), "https://e.org/s", "did:example:i", NOW)
    entry = credential_status_entry("https://e.org/s", 5, "suspension")
    with pytest.raises(StatusListError, match="does not match the list"):
        check_status(entry, credential)
    with pytest.raises(StatusListError, match="outside the list"):
        check_status(credential_status_entry("https://e.org/s", DEFAULT_SIZE), credential)
    early = datetime(2020, 1, 1, tzinfo=UTC)
    with pytest.raises(StatusListError, match="not valid before"):
        check_status(credential_status_entry("https://e.org/s", 1), credential, now=early)
    with pytest.raises(StatusListError, match="not a non-negative integer"):
        check_status({**entry, "statusPurpose": "revocation", "statusListIndex": "-1"}, credential)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://[::1/x", "is not a URL"),
        ("https://h:99999/x", "is not a URL"),
        ("ftp://issuer.example/s", "https (or http)"),
        ("did:example:123", "https (or http)"),
        ("https:///status/1", "no host name"),
        ("https://issuer.example/status 1", "white space"),
    ],
)
def test_a_list_url_verifiers_could_not_fetch_is_refused_when_issuing(
    url: str, problem: str
) -> None:
    with pytest.raises(StatusListError, match=re.escape(problem)):
        status_list_credential(StatusList(), url, "did:example:i", NOW)
    with pytest.raises(StatusListError, match=re.escape(problem)):
        credential_status_entry(url, 1)
