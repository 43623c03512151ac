"""Property: a re-spelling that keeps the RDF is refused or changes nothing (issue 8 §1).

For generated credentials (VC 2.0, OB 3.0 and ELM, with or without a status; VC 1.1) and
every suite that signs (eddsa-rdfc-2022, ecdsa-rdfc-2019, eddsa-jcs-2022, ecdsa-jcs-2019,
vc+jwt), one checked property (``validUntil``, ``validFrom``, ``credentialStatus``, ``issuer``,
``expirationDate``, ``issuanceDate``) is written another way with the same meaning: its full
IRI, a compact IRI, an alias in an inline context, a value object, an array around it, ``@nest``,
a second description of the credential node (``@included``), or only its keys reordered. The
re-spelled credential is signed as it is (a JCS or JOSE issuer signs that JSON, so its meaning
counts) and verified: either a check refuses it (``spelling`` or ``format``) or the verdict is
the original's. For the RDFC suites the original's signature must also still hold on the
re-spelled document, which shows that the re-spelling kept the RDF (else the test would prove
nothing). Ed25519Signature2020, which we only verify, is covered with the Digital Credentials
Consortium's signed fixtures.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver
from microcred.core.formats.detect import read_credential
from microcred.core.formats.elm_write import to_elm
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.jose import sign_vc_jwt
from microcred.core.status import StatusList, credential_status_entry, status_list_credential
from microcred.core.verify import Report, verify
from tests.core.test_verify import example_ob3
from tests.vectors.test_dcc_fixtures import FIXTURES
from tests.vectors.test_dcc_fixtures import check as check_dcc

NOW = datetime(2026, 11, 1, tzinfo=UTC)
CRED = "https://www.w3.org/2018/credentials#"
DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
V1, V2 = "https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2"
ED = KeyPair.from_seed(bytes(range(32)))
P256 = KeyPair.from_seed(bytes(range(32)), KeyType.P256)
LIST_URL = "https://issuer.example/status/1"
REVOKED, KEPT = 5, 6
DATES = ("validFrom", "validUntil", "issuanceDate", "expirationDate")
CHECKED = (*DATES, "credentialStatus", "issuer")
SUITES: dict[str, KeyPair] = {
    "eddsa-rdfc-2022": ED,
    "ecdsa-rdfc-2019": P256,
    "eddsa-jcs-2022": ED,
    "ecdsa-jcs-2019": P256,
    "vc+jwt": P256,
}
RDFC = ("eddsa-rdfc-2022", "ecdsa-rdfc-2019")
STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"


# --- the re-spellings: each keeps the meaning of ``key`` (the same RDF) -----------------------


def _typed(key: str, value: Any) -> Any:
    """``value`` as the expanded form gives it under ``key`` (the context's coercion)."""
    if key in DATES:
        return {"@value": value, "@type": DATETIME}
    if isinstance(value, str):  # issuer: an IRI (the context says "@type": "@id")
        return {"@id": value}
    return value


def _add_context(document: dict[str, Any], entry: dict[str, Any]) -> None:
    contexts = document["@context"]
    document["@context"] = [*(contexts if isinstance(contexts, list) else [contexts]), entry]


def full_iri(document: dict[str, Any], key: str) -> None:
    document[CRED + key] = _typed(key, document.pop(key))


def compact_iri(document: dict[str, Any], key: str) -> None:
    _add_context(document, {"vcx": CRED})
    document["vcx:" + key] = _typed(key, document.pop(key))


def inline_alias(document: dict[str, Any], key: str) -> None:
    coercion = DATETIME if key in DATES else "@id"
    _add_context(document, {"my" + key: {"@id": CRED + key, "@type": coercion}})
    document["my" + key] = document.pop(key)


def value_object(document: dict[str, Any], key: str) -> None:
    """A value object for a literal or an IRI; an object's ``id`` and ``type`` as keywords."""
    value = document[key]
    if isinstance(value, dict):
        document[key] = {{"id": "@id", "type": "@type"}.get(k, k): v for k, v in value.items()}
    elif isinstance(value, list):
        document[key] = [{"@id": v["id"], **v} if isinstance(v, dict) else v for v in value]
        for item in document[key]:
            item.pop("id", None)
    else:
        document[key] = _typed(key, value)


def array_wrapped(document: dict[str, Any], key: str) -> None:
    if not isinstance(document[key], list):
        document[key] = [document[key]]


def nested(document: dict[str, Any], key: str) -> None:
    document["@nest"] = {key: document.pop(key)}


def described_twice(document: dict[str, Any], key: str) -> None:
    """(Only for a credential with an id: a blank node cannot be described twice.)"""
    document["@included"] = [{"id": document["id"], CRED + key: _typed(key, document.pop(key))}]


def reordered(document: dict[str, Any], key: str) -> None:
    items = list(document.items())
    random.Random(len(items)).shuffle(items)
    document.clear()
    document.update(items)


RESPELLINGS: dict[str, Callable[[dict[str, Any], str], None]] = {
    "full IRI": full_iri,
    "compact IRI": compact_iri,
    "inline alias": inline_alias,
    "value object": value_object,
    "array": array_wrapped,
    "@nest": nested,
    "described twice": described_twice,
    "reordered": reordered,
}


def respell(document: dict[str, Any], key: str, how: str) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    RESPELLINGS[how](copied, key)
    return copied


# --- generated credentials ------------------------------------------------------------------


def _moment(days: int) -> str:
    return datetime.fromtimestamp(NOW.timestamp() + days * 86_400, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


@st.composite
def credentials(draw: st.DrawFn, issuer: str) -> dict[str, Any]:
    """A VC 2.0 / OB 3.0 / VC 1.1 credential: dates before or after NOW, maybe a status."""
    version = draw(st.sampled_from(["2.0", "ob3", "elm", "1.1"]))
    start, end = draw(st.sampled_from([(-30, None), (-30, 30), (-30, -1), (5, 40)]))
    named_issuer = draw(st.booleans())
    if version == "ob3":
        document = example_ob3(issuer)
        document.pop("validUntil", None)
    elif version == "elm":
        document = example_elm(issuer)
    else:
        document = {
            "@context": [V2 if version == "2.0" else V1],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"id": "did:example:learner", "name": "Ana"},
        }
        if version == "1.1":
            document["@context"].append({"name": "https://schema.org/name"})
    if draw(st.booleans()):
        document["id"] = "urn:uuid:0b3c6e2a-1111-4c2e-9a55-" + f"{draw(st.integers(0, 999)):012d}"
    if version != "elm":  # ELM keeps its Organisation issuer
        document["issuer"] = {"id": issuer, "name": "The issuer"} if named_issuer else issuer
    first, last = ("issuanceDate", "expirationDate") if version in ("1.1", "elm") else DATES[:2]
    document[first] = _moment(start)
    if end is not None:
        document[last] = _moment(end)
    if version != "1.1":
        indexes = draw(st.sampled_from([(), (REVOKED,), (KEPT,), (KEPT, REVOKED)]))
        entries = [credential_status_entry(LIST_URL, index) for index in indexes]
        if entries:
            document["credentialStatus"] = entries[0] if len(entries) == 1 else entries
    return document


def example_elm(issuer: str) -> dict[str, Any]:
    """The bundled example as an unsigned ELM European Digital Credential."""
    text = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    model = read_credential(text.read_bytes()).credential
    document = to_elm(model, credential_id="urn:uuid:0b3c6e2a-2222-4c2e-9a55-000000000001",
                      issuer_id=issuer)  # fmt: skip
    for name in DATES:
        document.pop(name, None)
    if STATUS_CONTEXT not in document["@context"]:
        document["@context"] = [*document["@context"], STATUS_CONTEXT]
    return document


def _sign(document: dict[str, Any], suite: str) -> Any:
    key = SUITES[suite]
    method = key.public.did_key_vm
    if suite == "vc+jwt":
        return sign_vc_jwt(document, key, kid=method)
    return sign_document(document, key, method, suite, created=NOW)


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> tuple[DocumentMap, DocumentMap]:
    """The status list: entry 5 revoked, entry 6 not, signed by each issuer key in turn."""
    folder = tmp_path_factory.mktemp("lists")
    status_list = StatusList()
    status_list.set(REVOKED)
    paths = {}
    for name, key in (("ed", ED), ("p256", P256)):
        listed = status_list_credential(status_list, LIST_URL, key.public.did_key, NOW)
        signed = sign_document(listed, key, key.public.did_key_vm, "eddsa-rdfc-2022"
                               if key is ED else "ecdsa-rdfc-2019", created=NOW)  # fmt: skip
        path = folder / f"{name}.json"
        path.write_text(json.dumps(signed), "utf-8")
        paths[name] = path
    return DocumentMap({LIST_URL: paths["ed"]}), DocumentMap({LIST_URL: paths["p256"]})


def _check(secured: Any, fetch: DocumentMap) -> Report:
    return verify(secured, resolver=DidResolver(fetch), fetch_document=fetch, now=NOW)


def verdict(report: Report) -> tuple[Any, ...]:
    """What a person reads: verified or not, and the status and validity results."""
    return (
        report.verified,
        tuple(check.status for check in report.named("status")),
        tuple(check.status for check in report.named("validity")),
        report.issuer,
    )


def refused(report: Report) -> bool:
    return any(c.status == "failed" for c in report.checks if c.name in ("spelling", "format"))


def applies(document: dict[str, Any], key: str, how: str) -> bool:
    return key in document and (how != "described twice" or "id" in document)


KEYS_AND_WAYS = st.tuples(st.sampled_from(CHECKED), st.sampled_from(sorted(RESPELLINGS)))


@pytest.mark.parametrize("suite", sorted(SUITES))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_respelling_is_refused_or_changes_nothing(
    suite: str, data: st.DataObject, lists: tuple[DocumentMap, DocumentMap]
) -> None:
    key_pair = SUITES[suite]
    fetch = lists[0] if key_pair is ED else lists[1]
    document = data.draw(credentials(key_pair.public.did_key))
    key, how = data.draw(KEYS_AND_WAYS.filter(lambda pair: applies(document, *pair)))
    original = _check(_sign(document, suite), fetch)
    changed = respell(document, key, how)
    report = _check(_sign(changed, suite), fetch)
    assert refused(report) or verdict(report) == verdict(original), (key, how, report.to_dict())
    if how != "reordered" and suite in RDFC:
        signed = _sign(document, suite)
        moved = respell({k: v for k, v in signed.items() if k != "proof"}, key, how)
        resigned = _check({**moved, "proof": signed["proof"]}, fetch)
        assert {c.status for c in resigned.named("proof")} == {"ok"}, (key, how)  # same RDF
        assert refused(resigned) or verdict(resigned) == verdict(original), (key, how)


def test_a_revoked_credential_is_never_verified_however_it_is_spelled(
    lists: tuple[DocumentMap, DocumentMap],
) -> None:
    document = example_ob3(ED.public.did_key)
    document["credentialStatus"] = credential_status_entry(LIST_URL, REVOKED)
    signed = sign_document(document, ED, ED.public.did_key_vm, created=NOW)
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    for how in RESPELLINGS:
        report = _check({**respell(unsecured, "credentialStatus", how), "proof": signed["proof"]},
                        lists[0])  # fmt: skip
        assert not report.verified, how
        if how not in ("reordered", "array"):
            assert [c.status for c in report.named("spelling")] == ["failed"], how


DCC_SIGNED = sorted(
    path
    for folder in ("v1/ed25519", "v2/ed25519", "v1/bothSignatureTypes", "v2/bothSignatureTypes")
    for path in (FIXTURES / "verifiableCredentials" / folder).rglob("*.json")
    if "didWeb" not in str(path) and "didweb" not in str(path) and path.stat().st_size
)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_dcc_ed25519signature2020_fixtures_respelled_are_refused_or_unchanged(
    data: st.DataObject,
) -> None:
    if not DCC_SIGNED:
        pytest.skip("the DCC fixtures are not beside the repository")
    path: Path = data.draw(st.sampled_from(DCC_SIGNED))
    fixture = json.loads(path.read_text("utf-8"))
    key, how = data.draw(
        KEYS_AND_WAYS.filter(lambda pair: applies(fixture, *pair) and pair[1] != "reordered")
    )
    original = check_dcc(fixture)
    unsecured = {k: v for k, v in fixture.items() if k != "proof"}
    report = check_dcc({**respell(unsecured, key, how), "proof": fixture["proof"]})
    legacy = [c for c in report.named("proof") if c.detail.startswith("Ed25519Signature2020")]
    assert legacy, path.name
    assert {c.status for c in report.named("proof")} == {
        c.status for c in original.named("proof")
    }, (path.name, key, how)  # the re-spelling kept the RDF: the signature still holds
    assert refused(report) or verdict(report) == verdict(original), (path.name, key, how)
