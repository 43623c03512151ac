"""IETF SD-JWT and SD-JWT VC examples, generator inputs and sd-jwt-python test cases.

- every Disclosure table entry of both drafts: digest and decoded contents;
- every extracted example: issuer signature (example issuer key), digests, KB-JWT;
- generator inputs paired with their rendered examples: same disclosable paths, same claims, and
  our holder reproduces the draft's presentation from ``holder_disclosed_claims``;
- sd-jwt-python test cases: issue, present and verify give ``expect_verified_user_claims``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml

from microcred.core.keys import KeyPair, PublicKey
from microcred.core.proofs.jws import check_signature, parse_jws
from microcred.core.proofs.sd_jwt import (
    ClaimPath,
    Disclosure,
    KeyBindingPolicy,
    disclosure_paths,
    issue_sd_jwt,
    present_sd_jwt,
    verify_sd_jwt,
)
from microcred.core.proofs.sd_jwt_disclosures import digest, process_disclosures, split_sd_jwt
from tests.conftest import VECTORS, vectors_path

ROOT = VECTORS / "ietf-sd-jwt"
TYPS = ("dc+sd-jwt", "vc+sd-jwt", "example+sd-jwt")
NONCE = "1234567890"
AUD = {"sdjwt": "https://verifier.example.org", "sdjwtvc": "https://example.com/verifier"}
KB_IAT = {"sdjwt": 1748536865, "sdjwtvc": 1787325881}
_PAGE = re.compile(r"^(\f|\S.*\[Page \d+\]$|Internet-Draft\s)")


def _key(name: str) -> KeyPair:
    jwk = json.loads(
        vectors_path("ietf-sd-jwt", "keys", f"{name}-key.private.jwk.json").read_text()
    )
    return KeyPair.from_private_jwk(jwk)


def _issuer_key(_kid: str) -> PublicKey:
    return _key("issuer").public


# --- Disclosure tables of the rendered drafts ---------------------------------------------------


def _table(text: str) -> list[tuple[str, str, str]]:
    """(digest, disclosure, contents) triples; page headers and wrapped lines are joined."""
    lines = [line for line in text.splitlines() if not _PAGE.match(line)]
    found, i = [], 0
    while i < len(lines):
        match = re.match(r"^\s*\*\s+SHA-256 Hash:\s*(\S+)\s*$", lines[i])
        i += 1
        if not match:
            continue
        disclosure = lines[i].split("Disclosure:")[1].strip()
        i += 1
        while "Contents:" not in lines[i]:
            disclosure, i = disclosure + lines[i].strip(), i + 1
        contents = lines[i].split("Contents:")[1].strip()
        i += 1
        while i < len(lines) and lines[i].strip() and not lines[i].lstrip().startswith("*"):
            contents, i = contents + lines[i].strip(), i + 1
        found.append((match.group(1), disclosure, contents))
    return found


def _draft_entries() -> list[tuple[str, str, str]]:
    folder = ROOT / "rendered-drafts"
    if not folder.exists():
        return []
    return [entry for path in sorted(folder.glob("*.txt")) for entry in _table(path.read_text())]


DRAFT_ENTRIES = _draft_entries()
TABLE = {d: re.sub(r"\s", "", c) for _, d, c in DRAFT_ENTRIES}  # wrapped lines lose spaces


def _compact(disclosure: Disclosure) -> str:
    items = [disclosure.salt, disclosure.value]
    if disclosure.name is not None:
        items.insert(1, disclosure.name)
    return re.sub(r"\s", "", json.dumps(items))


def _random_bytes() -> Callable[[int], bytes]:
    """Deterministic, distinct salts: SHA-256 of a counter."""
    counter = itertools.count()
    return lambda n: hashlib.sha256(str(next(counter)).encode()).digest()[:n]


def test_both_drafts_have_disclosure_tables() -> None:
    if not DRAFT_ENTRIES:
        pytest.skip("vectors not available")
    assert len(DRAFT_ENTRIES) >= 120


@pytest.mark.parametrize(("expected", "encoded", "contents"), DRAFT_ENTRIES)
def test_draft_disclosure_digest_and_contents(expected: str, encoded: str, contents: str) -> None:
    disclosure = Disclosure.parse(encoded)
    assert digest(encoded) == expected == disclosure.digest
    assert _compact(disclosure) == re.sub(r"\s", "", contents)


# --- extracted examples ----------------------------------------------------------------------


def _examples() -> list[str]:
    folder = ROOT / "extracted"
    return sorted(p.name for p in folder.glob("*.txt")) if folder.exists() else []


def _example(name: str) -> str:
    return vectors_path("ietf-sd-jwt", "extracted", name).read_text().strip()


@pytest.mark.parametrize("name", _examples())
def test_example_issuer_signature_and_digests(name: str) -> None:
    token = _example(name)
    if name.endswith(".jwt.txt"):
        assert check_signature(parse_jws(token), _key("issuer").public) is None
        return
    parts = split_sd_jwt(token)
    jws = parse_jws(parts.jwt)
    assert check_signature(jws, _key("issuer").public) is None
    _claims, revealed = process_disclosures(jws.payload, parts.disclosures)
    assert len(revealed) == len(parts.disclosures)
    for disclosure in parts.disclosures:  # each one decodes to the value the draft lists
        assert _compact(disclosure) == TABLE[disclosure.encoded]


def _policy(name: str) -> tuple[KeyBindingPolicy | None, datetime]:
    family = name.split("-")[0]
    if "+kb" not in name:
        return None, datetime(2025, 6, 1, tzinfo=UTC)
    return KeyBindingPolicy(aud=AUD[family], nonce=NONCE), datetime.fromtimestamp(
        KB_IAT[family], UTC
    )


@pytest.mark.parametrize("name", [n for n in _examples() if not n.endswith(".jwt.txt")])
def test_example_verifies(name: str) -> None:
    policy, now = _policy(name)
    result = verify_sd_jwt(
        _example(name), resolve_key=_issuer_key, now=now, key_binding=policy, accepted_typs=TYPS
    )
    assert result.ok, result.reason
    assert "_sd" not in json.dumps(result.claims)
    if policy is not None:
        assert result.key_binding is not None
        assert result.key_binding["nonce"] == NONCE


KB_EXAMPLES = [n for n in _examples() if "+kb" in n]


@pytest.mark.parametrize("name", KB_EXAMPLES)
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"nonce": "0987654321"}, "nonce"),
        ({"aud": "https://attacker.example"}, "aud"),
        ({"late": timedelta(minutes=10)}, "iat"),
        ({"early": timedelta(minutes=10)}, "iat"),
        ({"drop": True}, "sd_hash"),
        ({"no_kb": True}, "Key Binding JWT is required"),
    ],
)
def test_example_key_binding_checks(name: str, change: dict[str, Any], reason: str) -> None:
    policy, now = _policy(name)
    assert policy is not None
    token = _example(name)
    if "nonce" in change or "aud" in change:
        policy = KeyBindingPolicy(change.get("aud", policy.aud), change.get("nonce", policy.nonce))
    now += change.get("late", timedelta()) - change.get("early", timedelta())
    if "drop" in change:  # remove a leaf disclosure: the KB-JWT no longer covers what is sent
        paths = verify_sd_jwt(
            token, resolve_key=_issuer_key, now=now, key_binding=policy, accepted_typs=TYPS
        ).disclosed
        leaf = next(i for i, p in enumerate(paths) if not any(q[: len(p)] == p != q for q in paths))
        parts = token.split("~")
        token = "~".join(parts[: leaf + 1] + parts[leaf + 2 :])
    if "no_kb" in change:
        token = token[: token.rindex("~") + 1]
    result = verify_sd_jwt(
        token, resolve_key=_issuer_key, now=now, key_binding=policy, accepted_typs=TYPS
    )
    assert not result.ok
    assert reason in result.reason


# --- generator inputs: disclosable paths and presentations ------------------------------------


@dataclass(frozen=True)
class SD:
    """A value (or claim name) tagged ``!sd`` in a specification.yml."""

    value: Any


class _Loader(yaml.SafeLoader):
    pass


def _construct_sd(loader: _Loader, node: yaml.Node) -> SD:
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("'", '"'):
            return SD(node.value)
        tag = loader.resolve(yaml.ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
        return SD(loader.construct_object(yaml.ScalarNode(tag, node.value), deep=True))
    if isinstance(node, yaml.SequenceNode):
        return SD(loader.construct_sequence(node, deep=True))
    assert isinstance(node, yaml.MappingNode)
    return SD(loader.construct_mapping(node, deep=True))


_Loader.add_constructor("!sd", _construct_sd)


def _spec(*parts: str) -> dict[str, Any]:
    text = vectors_path("ietf-sd-jwt", *parts, "specification.yml").read_text()
    return yaml.load(text, _Loader)  # type: ignore[no-any-return]


def _split_sd(value: Any, path: ClaimPath = ()) -> tuple[Any, list[ClaimPath]]:
    """Plain claims and the paths tagged ``!sd``."""
    if isinstance(value, SD):
        inner, paths = _split_sd(value.value, path)
        return inner, [*paths, path]
    if isinstance(value, dict):
        out, paths = {}, []
        for key, item in value.items():
            name = str(key.value) if isinstance(key, SD) else str(key)
            out[name], sub = _split_sd(item, (*path, name))
            paths += [*sub, (*path, name)] if isinstance(key, SD) else sub
        return out, paths
    if isinstance(value, list):
        pairs = [_split_sd(item, (*path, i)) for i, item in enumerate(value)]
        return [p[0] for p in pairs], [q for p in pairs for q in p[1]]
    return value, []


def _reveal(spec: Any, path: ClaimPath = ()) -> list[ClaimPath]:
    """Paths marked True in a ``holder_disclosed_claims`` tree."""
    if spec is True:
        return [path]
    if isinstance(spec, dict):
        return [p for key, item in spec.items() for p in _reveal(item, (*path, str(key)))]
    if isinstance(spec, list):
        return [p for i, item in enumerate(spec) for p in _reveal(item, (*path, i))]
    return []


PAIRS = [
    ("sd-jwt/simple", "sdjwt-02.sd-jwt.txt", "sdjwt-03.sd-jwt+kb.txt"),
    ("sd-jwt/arf-pid", "sdjwt-07.sd-jwt.txt", "sdjwt-09.sd-jwt+kb.txt"),
    ("sd-jwt-vc/01", "sdjwtvc-01.sd-jwt.txt", "sdjwtvc-02.sd-jwt+kb.txt"),
    ("sd-jwt-vc/03-pid", "sdjwtvc-04.sd-jwt.txt", "sdjwtvc-06.sd-jwt+kb.txt"),
]


@pytest.mark.parametrize(("generator", "issued", "presented"), PAIRS)
def test_generator_input_matches_its_example(generator: str, issued: str, presented: str) -> None:
    spec = _spec("generator-inputs", *generator.split("/"))
    claims, paths = _split_sd(spec["user_claims"])
    token = _example(issued)
    assert set(disclosure_paths(token)) == set(paths)
    parts = split_sd_jwt(token)
    processed, _ = process_disclosures(parse_jws(parts.jwt).payload, parts.disclosures)
    assert {k: processed[k] for k in claims} == claims
    ours = present_sd_jwt(token, reveal=_reveal(spec["holder_disclosed_claims"]))
    assert set(ours.split("~")[1:-1]) == set(_example(presented).split("~")[1:-1])


@pytest.mark.parametrize(
    ("generator", "presented"),
    [
        ("sd-jwt/simple_structured", "sdjwt-04.sd-jwt.txt"),
        ("sd-jwt/complex_ekyc", "sdjwt-06.sd-jwt.txt"),
        ("sd-jwt-vc/02", "sdjwtvc-03.sd-jwt.txt"),
    ],
)
def test_presentation_reveals_what_the_holder_chose(generator: str, presented: str) -> None:
    spec = _spec("generator-inputs", *generator.split("/"))
    chosen = _reveal(spec["holder_disclosed_claims"])
    parts = split_sd_jwt(_example(presented))
    _claims, revealed = process_disclosures(parse_jws(parts.jwt).payload, parts.disclosures)
    for path in revealed.values():  # each revealed path was chosen or is a parent of one
        assert any(path == c[: len(path)] for c in chosen)


# --- sd-jwt-python test cases: issue -> present -> verify -------------------------------------


def _testcases() -> list[str]:
    folder = ROOT / "sd-jwt-python-testcases"
    return (
        sorted(p.parent.name for p in folder.glob("*/specification.yml")) if folder.exists() else []
    )


@pytest.mark.parametrize("case", _testcases())
def test_sd_jwt_python_case(case: str) -> None:
    spec = _spec("sd-jwt-python-testcases", case)
    if spec.get("serialization_format", "compact") == "json":
        pytest.skip("JWS JSON serialization is optional in RFC 9901; microcred uses compact")
    claims, paths = _split_sd(spec["user_claims"])
    bound = bool(spec.get("key_binding"))
    holder = _key("holder")
    kid = spec.get("extra_header_parameters", {}).get("kid")
    token = issue_sd_jwt(
        {"iss": "https://example.com/issuer", **claims},
        issuer_key=_key("issuer"),
        disclosable=paths,
        random_bytes=_random_bytes(),
        kid=None if kid is None else str(kid),
        holder_key=holder.public if bound else None,
        decoys=2 if spec.get("add_decoy_claims") else 0,
        typ="example+sd-jwt",  # plain SD-JWT: these claims are not an SD-JWT VC (no vct)
    )
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    policy = KeyBindingPolicy(aud="https://example.com/verifier", nonce=NONCE) if bound else None
    shown = present_sd_jwt(
        token, reveal=_reveal(spec["holder_disclosed_claims"]),
        holder_key=holder if bound else None, aud=policy.aud if policy else None,
        nonce=policy.nonce if policy else None, now=now,
    )  # fmt: skip
    result = verify_sd_jwt(
        shown, resolve_key=_issuer_key, now=now, key_binding=policy, accepted_typs=TYPS
    )
    assert result.ok, result.reason
    assert result.claims.pop("iss") == "https://example.com/issuer"
    assert ("cnf" in result.claims) is bound
    result.claims.pop("cnf", None)
    assert result.claims == spec["expect_verified_user_claims"]
