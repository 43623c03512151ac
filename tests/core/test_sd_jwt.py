"""SD-JWT VC: issue, present and verify round trips; each Annex I element alone; refusals."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from microcred.core.errors import NotACredential, ProofError, ResolutionError
from microcred.core.formats.ob3 import to_ob3
from microcred.core.formats.sdjwt_vc import (
    ANNEX1_CLAIMS,
    VCT,
    annex1_disclosable_claims,
    issue_annex1_sd_jwt_vc,
    to_sdjwt_claims,
)
from microcred.core.keys import KeyPair, KeyType, PublicKey
from microcred.core.model import MicroCredential
from microcred.core.proofs.jws import b64url_encode, dump_json, sign_jws
from microcred.core.proofs.sd_jwt import (
    Disclosure,
    KeyBindingPolicy,
    SdJwtResult,
    disclosure_paths,
    issue_sd_jwt,
    present_sd_jwt,
    verify_sd_jwt,
)
from tests.strategies import complete_credentials

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
KID = "did:web:uni.example#key-1"
AUD = "https://employer.example"
NONCE = "n-4f1c2a"
POLICY = KeyBindingPolicy(aud=AUD, nonce=NONCE)
SEEDS = {KeyType.ED25519: b"\x11" * 32, KeyType.P256: b"\x12" * 32, KeyType.P384: b"\x13" * 48}
CLAIMS: dict[str, Any] = {
    "vct": VCT,
    "iss": "did:web:uni.example",
    "iat": int(NOW.timestamp()) - 3600,
    "title": {"en": "Data literacy", "ro": "Alfabetizarea datelor"},
    "address": {"street": "Strada Mare 1", "city": "Cluj-Napoca", "country": "RO"},
    "skills": ["analyse data", "visualise data", "communicate findings"],
}
PATHS = [("title",), ("address",), ("address", "street"), ("address", "city"), ("skills", 1)]


def _pair(kt: KeyType, salt: int = 0) -> KeyPair:
    seed = bytes([SEEDS[kt][0] + salt]) * len(SEEDS[kt])
    return KeyPair.from_seed(seed, kt)


def _random() -> Callable[[int], bytes]:
    counter = itertools.count()
    return lambda n: hashlib.sha256(f"salt-{next(counter)}".encode()).digest()[:n]


def _resolver(key: PublicKey) -> Callable[[str], PublicKey]:
    def resolve(kid: str) -> PublicKey:
        if kid != KID:
            raise ResolutionError(f"unknown {kid}")
        return key

    return resolve


def _issue(
    kt: KeyType = KeyType.ED25519, claims: dict[str, Any] = CLAIMS, paths: Any = PATHS, **kw: Any
) -> str:
    return issue_sd_jwt(
        claims,
        issuer_key=_pair(kt),
        kid=KID,
        disclosable=paths,
        random_bytes=_random(),
        holder_key=_pair(kt, 1).public,
        **kw,
    )


def _present(token: str, reveal: Any, kt: KeyType = KeyType.ED25519, **kw: Any) -> str:
    args = {"aud": AUD, "nonce": NONCE, "now": NOW, **kw}
    return present_sd_jwt(token, reveal=reveal, holder_key=_pair(kt, 1), **args)


def _verify(token: str, kt: KeyType = KeyType.ED25519, **kw: Any) -> SdJwtResult:
    args: dict[str, Any] = {"now": NOW, "key_binding": POLICY, **kw}
    return verify_sd_jwt(token, resolve_key=_resolver(_pair(kt).public), **args)


@pytest.mark.parametrize("kt", list(KeyType))
def test_round_trip_for_every_key_type(kt: KeyType) -> None:
    token = _issue(kt, decoys=3)
    shown = _present(token, [("address", "city"), ("skills", 1)], kt)
    result = _verify(shown, kt)
    assert result.ok, result.reason
    assert result.claims["address"] == {"country": "RO", "city": "Cluj-Napoca"}
    assert result.claims["skills"] == CLAIMS["skills"]
    assert "title" not in result.claims
    assert set(result.disclosed) == {("address",), ("address", "city"), ("skills", 1)}
    assert result.key_binding is not None
    assert result.key_binding["aud"] == AUD
    assert result.header == {"alg": _pair(kt).public.jws_alg, "typ": "dc+sd-jwt", "kid": KID}


def test_issued_payload_hides_the_values_and_sorts_digests() -> None:
    token = _issue(decoys=2)
    result = verify_sd_jwt(
        token, resolve_key=_resolver(_pair(KeyType.ED25519).public), now=NOW, key_binding=None
    )
    assert result.ok, result.reason
    assert result.claims["skills"] == CLAIMS["skills"]
    assert result.payload["_sd_alg"] == "sha-256"
    assert "Data literacy" not in str(result.payload)
    assert result.payload["_sd"] == sorted(result.payload["_sd"])
    assert len(result.payload["_sd"]) == 2 + 2  # title, address + two decoys
    assert set(disclosure_paths(token)) == set(PATHS)


def test_unrevealed_array_element_is_removed() -> None:
    result = _verify(_present(_issue(), [("title",)]))
    assert result.ok, result.reason
    assert result.claims["skills"] == ["analyse data", "communicate findings"]
    assert "address" not in result.claims


def test_holder_sees_everything_when_revealing_the_root_claims() -> None:
    shown = _present(_issue(), [("title",), ("address",), ("skills",)])
    result = _verify(shown)
    assert result.ok, result.reason
    assert {k: result.claims[k] for k in CLAIMS} == CLAIMS


# --- Annex I micro-credential -----------------------------------------------------------------

SNB = "http://data.europa.eu/snb"
OB3: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:0f6d7f5e-2d4b-4e0e-9a1c-6c3b1f1d2e11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {
        "id": "did:web:uni.example",
        "type": ["Profile"],
        "name": {"en": "University of Example", "ro": "Universitatea Exemplu"},
        "url": "https://uni.example",
        "address": {"type": ["Address"], "addressCountryCode": "RO", "addressRegion": "RO113"},
    },
    "validFrom": "2026-01-15T10:00:00Z",
    "validUntil": "2031-01-15T10:00:00Z",
    "credentialSubject": {
        "id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                        "identityHash": "ana.pop@example.org", "hashed": False}],
        "result": [{"type": ["Result"], "resultDescription": "urn:uuid:rd-1", "value": "A"}],
        "achievement": {
            "id": "https://uni.example/achievements/data-literacy",
            "type": ["Achievement"],
            "name": {"en": "Data literacy", "ro": "Alfabetizarea datelor"},
            "criteria": {"narrative": "Pass the final project."},
            "creator": {"id": "did:web:partner.example", "name": "Institut Partenaire",
                        "address": {"addressCountryCode": "FR"}},
            "alignment": [
                {"type": ["Alignment"], "targetName": "analyse data",
                 "targetUrl": "http://data.europa.eu/esco/skill/0b4e3fde-2ab3-4d89-9e63-5f6bd7f6b5a1"},
                {"type": ["Alignment"], "targetName": "EQF 6", "targetUrl": f"{SNB}/eqf/6"},
            ],
            "creditsAvailable": 5,
            "workloadHours": 125,
            "qfEheaCycle": "first cycle",
            "assessmentType": {"id": f"{SNB}/assessment/4f03b91c0e", "name": "portfolio"},
            "participationForm": {"id": f"{SNB}/learning-assessment/920fbb3cbe", "name": "Online"},
            "qualityAssurance": [{"type": f"{SNB}/accreditation/820101cba6",
                                  "report": "https://backend.deqar.eu/reports/1234"}],
            "prerequisites": {"en": "Basic statistics"},
            "supervision": {"id": f"{SNB}/supervision-verification/70be69aaf9"},
            "stackability": {"kind": "stackable", "towards": [{"title": {"en": "MSc Data"}}]},
            "furtherInformation": {"en": "Taught in English and Romanian."},
            "resultDescription": [{"id": "urn:uuid:rd-1", "type": ["ResultDescription"],
                                   "name": "ECTS grading scale", "resultType": "LetterGrade"}],
        },
    },
}  # fmt: skip


def test_ob3_micro_credential_flattens_to_every_annex1_claim() -> None:
    claims = to_sdjwt_claims(OB3)
    assert set(ANNEX1_CLAIMS) <= set(claims)
    assert (claims["vct"], claims["iss"]) == (VCT, "did:web:uni.example")
    assert claims["exp"] == int(datetime(2031, 1, 15, 10, tzinfo=UTC).timestamp())
    assert "sub" not in claims  # the learner stays hidden unless 'learner' is disclosed
    assert claims["issuer_countries"] == [{"country": "RO", "region": "RO113"}, {"country": "FR"}]
    assert [b["id"] for b in claims["awarding_bodies"]] == [
        "did:web:uni.example",
        "did:web:partner.example",
    ]
    skill = OB3["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"]
    assert claims["learning_outcomes"] == [{"text": "analyse data", "skills": [skill]}]
    assert claims["workload"] == {"ects": 5, "hours": 125}
    assert claims["eqf_level"] == f"{SNB}/eqf/6"
    assert claims["grade"] == {"value": "A", "scheme": "ECTS grading scale"}
    assert claims["issued"] == "2026-01-15T10:00:00Z"


def test_mapping_is_tolerant_of_absent_elements() -> None:
    minimal = {"issuer": "did:web:uni.example", "credentialSubject": {"achievement": {"name": "X"}}}
    assert to_sdjwt_claims(minimal) == {"vct": VCT, "iss": "did:web:uni.example", "title": "X",
                                        "awarding_bodies": ["did:web:uni.example"]}  # fmt: skip
    narrative = {"credentialSubject": {"achievement": {"criteria": {"narrative": "Do Y"}}}}
    assert to_sdjwt_claims(narrative)["learning_outcomes"] == [{"text": "Do Y"}]
    with pytest.raises(NotACredential):
        to_sdjwt_claims({"type": "VerifiableCredential"})


ANNEX1_TOKEN = issue_annex1_sd_jwt_vc(
    OB3, issuer_key=_pair(KeyType.ED25519), kid=KID, holder_key=_pair(KeyType.ED25519, 1).public,
    random_bytes=_random(), now=NOW,
)  # fmt: skip


def test_annex1_sd_jwt_vc_hides_every_element_until_disclosed() -> None:
    claims = to_sdjwt_claims(OB3)
    assert set(disclosure_paths(ANNEX1_TOKEN)) == set(annex1_disclosable_claims(claims))
    result = _verify(_present(ANNEX1_TOKEN, []))
    assert result.ok, result.reason
    assert set(result.claims) == {"vct", "iss", "iat", "exp", "cnf"}
    assert "Data literacy" not in json.dumps(result.payload)


@pytest.mark.parametrize("element", ANNEX1_CLAIMS)
def test_each_annex1_element_disclosed_alone_reveals_only_itself(element: str) -> None:
    claims = to_sdjwt_claims(OB3)
    result = _verify(_present(ANNEX1_TOKEN, [(element,)]))
    assert result.ok, result.reason
    assert result.disclosed == ((element,),)
    visible = set(result.claims) - {"vct", "iss", "iat", "exp", "cnf"}
    assert visible == {element}
    assert result.claims[element] == claims[element]


@pytest.mark.parametrize("path", [("vct",), ("iss",), ("status", "idx")])
def test_sd_jwt_vc_clear_claims_cannot_be_made_disclosable(path: tuple[str, ...]) -> None:
    claims = {**CLAIMS, "status": {"idx": 3}}
    with pytest.raises(ProofError, match=f"must stay in clear: {path[0]}"):
        _issue(claims=claims, paths=[path])


# --- refusals ---------------------------------------------------------------------------------


def _tamper_disclosure(shown: str) -> str:
    parts = shown.split("~")
    original = Disclosure.parse(parts[1])
    forged = Disclosure.make(original.salt, original.name, "forged")
    return "~".join([parts[0], forged.encoded, *parts[2:]])


@pytest.mark.parametrize(
    ("mutate", "kw", "reason"),
    [
        (lambda t: t, {"key_binding": KeyBindingPolicy(AUD, "other-nonce")}, "nonce"),
        (lambda t: t, {"key_binding": KeyBindingPolicy("https://x.example", NONCE)}, "aud"),
        (lambda t: t, {"now": NOW + timedelta(minutes=6)}, "iat"),
        (lambda t: t, {"now": NOW - timedelta(minutes=2)}, "iat"),
        (_tamper_disclosure, {}, "not referenced"),
        (lambda t: t[: t.rindex("~") + 1], {}, "Key Binding JWT is required"),
        (lambda t: t.replace("~", "~" + t.split("~")[1] + "~", 1), {}, "more than once"),
        (lambda t: t[:20] + ("A" if t[20] != "A" else "B") + t[21:], {}, "issuer-signed JWT"),
        (lambda t: t + "x", {}, "KB-JWT"),
        (lambda t: "x" * 1_000_001, {}, "larger than"),
        (lambda t: t, {"now": datetime(2026, 5, 4, 9, 30)}, "timezone-aware"),
    ],
)
def test_invalid_presentations_fail_with_a_reason(
    mutate: Callable[[str], str], kw: dict[str, Any], reason: str
) -> None:
    shown = _present(_issue(), [("title",), ("address",)])
    result = _verify(mutate(shown), **kw)
    assert not result.ok
    assert reason in result.reason


@pytest.mark.parametrize(
    ("claim", "offset", "words"),
    [
        ("exp", -3600, "the token expired at 2026-05-04T08:30:00Z (exp)"),
        ("nbf", 3600, "the token is not valid yet: not before 2026-05-04T10:30:00Z (nbf)"),
        ("exp", 10**30, None),  # far beyond any calendar: still a NumericDate, still valid
        ("nbf", -(10**30), None),
    ],
)
def test_signature_and_validity_are_judged_apart(
    claim: str, offset: int, words: str | None
) -> None:
    """An expired (or not yet valid) SD-JWT is still authentic: the two verdicts are separate."""
    token = _issue(claims={**CLAIMS, claim: int(NOW.timestamp()) + offset})
    result = _verify(_present(token, [("title",)]))
    assert result.authentic
    assert result.claims["title"] == CLAIMS["title"]
    assert result.key_binding is not None  # key binding judged at 'now' too
    assert result.validity_problem == (words or "")
    assert result.ok is (words is None)
    assert result.reason == (words or "")


def test_a_forged_expired_token_reports_the_signature_first() -> None:
    token = _issue(claims={**CLAIMS, "exp": int(NOW.timestamp()) - 3600})
    jwt, rest = token.split("~", 1)
    header, payload, signature = jwt.split(".")
    forged = f"{header}.{payload}.{signature[:-2]}AA~{rest}"
    result = _verify(forged, key_binding=None)
    assert not result.authentic
    assert "signature does not verify" in result.reason
    assert "expired" in result.validity_problem


def test_a_huge_not_before_is_named_without_a_calendar_date() -> None:
    result = _verify(_issue(claims={**CLAIMS, "nbf": 10**30}), key_binding=None)
    assert result.authentic
    assert result.validity_problem == (
        f"the token is not valid yet: not before {10**30} seconds after 1970 (nbf)"
    )


def test_kb_jwt_replayed_with_another_nonce_or_other_disclosures_fails() -> None:
    token = _issue()
    first = _present(token, [("title",)], nonce="nonce-1")
    replay = _verify(first, key_binding=KeyBindingPolicy(AUD, "nonce-2"))
    assert not replay.ok
    assert "nonce" in replay.reason
    second = _present(token, [("address",)], nonce="nonce-2")
    spliced = second[: second.rindex("~") + 1] + first[first.rindex("~") + 1 :]
    result = _verify(spliced, key_binding=KeyBindingPolicy(AUD, "nonce-1"))
    assert not result.ok
    assert "sd_hash" in result.reason


def test_kb_jwt_signed_by_another_key_or_unsigned_fails() -> None:
    presented = _present(_issue(), [("title",)])
    body = presented[: presented.rindex("~") + 1]
    kb = {"iat": int(NOW.timestamp()), "aud": AUD, "nonce": NONCE, "sd_hash": "x"}
    other = sign_jws({"typ": "kb+jwt"}, kb, _pair(KeyType.ED25519, 7))
    assert "KB-JWT: signature does not verify" in _verify(body + other).reason
    none_header = b64url_encode(dump_json({"alg": "none", "typ": "kb+jwt"}))
    none = f"{none_header}.{b64url_encode(dump_json(kb))}."
    assert "'none'" in _verify(body + none).reason
    wrong_typ = sign_jws({"typ": "jwt"}, kb, _pair(KeyType.ED25519, 1))
    assert "typ must be 'kb+jwt'" in _verify(body + wrong_typ).reason


def _signed(payload: dict[str, Any], disclosures: list[Disclosure], typ: str = "dc+sd-jwt") -> str:
    jwt = sign_jws({"typ": typ, "kid": KID}, {"vct": VCT, **payload}, _pair(KeyType.ED25519))
    return "~".join([jwt, *(d.encoded for d in disclosures)]) + "~"


def _no_kb(token: str) -> SdJwtResult:
    return _verify(token, key_binding=None)


def test_malformed_issuer_payloads_are_refused() -> None:
    item = Disclosure.make("c2FsdA", None, "x")
    prop = Disclosure.make("c2FsdA", "name", "x")
    cnf = Disclosure.make("c2FsdA", "cnf", {"jwk": _pair(KeyType.ED25519).public.to_jwk()})
    cases = [
        (_signed({"_sd": [prop.digest, prop.digest]}, [prop]), "more than once"),
        (_signed({"_sd": [item.digest]}, [item]), "array-element disclosure"),
        (_signed({"a": [{"...": prop.digest}]}, [prop]), "object-property disclosure"),
        (_signed({"name": 1, "_sd": [prop.digest]}, [prop]), "already exists"),
        (_signed({"_sd_alg": "sha-512", "_sd": [prop.digest]}, [prop]), "unsupported _sd_alg"),
        (_signed({"_sd": "abc"}, []), "'_sd' must be an array"),
        (_signed({"exp": int(NOW.timestamp()) - 3600}, []), "expired"),
        (_signed({"nbf": int(NOW.timestamp()) + 3600}, []), "not valid yet"),
        (_signed({"exp": "tomorrow"}, []), "NumericDate"),
        (_signed({}, [], typ="jwt"), "unsupported typ"),
        (_signed({"vct": 7}, []), "needs a 'vct' string"),
        (_signed({"_sd": [cnf.digest]}, [cnf]), "must not be selectively disclosed: cnf"),
        ("no-separator", "no '~'"),
    ]
    for token, reason in cases:
        result = _no_kb(token)
        assert not result.ok, reason
        assert reason in result.reason
    bad_name = b64url_encode(dump_json(["c2FsdA", "_sd", 1]))
    assert "not allowed" in _no_kb(_signed({"_sd": []}, []) + bad_name + "~").reason


def test_vc_sd_jwt_typ_is_read_too() -> None:
    result = _no_kb(_signed({"vct": VCT}, [], typ="vc+sd-jwt"))
    assert result.ok, result.reason


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (lambda: _issue(paths=[("nowhere",)]), "no claim at disclosable path"),
        (lambda: _issue(claims={"_sd": []}, paths=[]), "reserved"),
        (
            lambda: issue_sd_jwt(
                CLAIMS,
                issuer_key=_pair(KeyType.P256),
                disclosable=PATHS,
                random_bytes=lambda n: b"\0" * n,
            ),
            "fresh 16-byte values",
        ),
        (lambda: _present(_issue(), [("missing",)]), "no claim at"),
        (lambda: _present(_issue(), [("title",)], aud=""), "needs aud, nonce and now"),
        (lambda: _present(_issue(), [("title",)], KeyType.P256), "not the key"),
        (lambda: _present(_present(_issue(), [("title",)]), [("title",)]), "not an SD-JWT+KB"),
    ],
)
def test_issuer_and_holder_errors_raise_proof_error(call: Callable[[], Any], reason: str) -> None:
    with pytest.raises(ProofError, match=re.escape(reason)):
        call()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mc=complete_credentials())
def test_every_annex1_element_written_by_ob3_becomes_a_claim(mc: MicroCredential) -> None:
    claims = to_sdjwt_claims(to_ob3(mc, credential_id="urn:uuid:1", issuer_id="did:web:x.example"))
    has_cycle = bool(mc.level and mc.level.qf_ehea)
    assert set(ANNEX1_CLAIMS) - {"qf_ehea_cycle"} <= set(claims)
    assert ("qf_ehea_cycle" in claims) is has_cycle
    assert claims["title"] == mc.title
