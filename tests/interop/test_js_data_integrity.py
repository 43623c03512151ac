"""Data Integrity interoperability with Digital Bazaar's JavaScript stack, both ways.

Issue requirement: "credentials we sign verify with an independent implementation, and theirs
with ours". ``js/di.mjs`` drives ``@digitalbazaar/vc`` + ``data-integrity`` with the
``eddsa-rdfc-2022``, ``ecdsa-rdfc-2019`` (P-256, P-384), ``eddsa-jcs-2022`` and
``ecdsa-jcs-2019`` (P-256, P-384) cryptosuites (exact versions in ``js/package.json``; results
in ``docs/interop.md``). Its document loader serves only microcred's packaged
contexts and did:key documents derived from the identifier: nothing is fetched.

Needs ``node`` (skipped without it); installs ``js/node_modules`` with ``npm ci`` when missing.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from microcred.cli.main import main
from microcred.cli.sign_cmd import SUITES
from microcred.core.formats.ob3 import to_ob3
from microcred.core.keys import KeyPair, KeyType
from microcred.core.model import MicroCredential
from microcred.core.proofs.data_integrity import sign_document
from tests.interop.jsstack import (
    CREATED,
    CURVES,
    SUITE_KEYS,
    Node,
    assert_offline,
    batch,
    example_credential,
    js_verified,
    our_key,
    ours_verify,
)
from tests.strategies import complete_credentials

pytestmark = [pytest.mark.slow, pytest.mark.interop]

CLI_SUITES = frozenset(SUITES)  # `microcred sign --suite` offers no ecdsa-jcs-2019
CLI_CASES = [pytest.param(s, k, id=f"{s}-{k.value}") for s, k in SUITE_KEYS if s in CLI_SUITES]
PASSPHRASE = "interop passphrase"
EXAMPLES = settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tamper(document: dict[str, Any], where: str) -> dict[str, Any]:
    """A copy changed after signing: in the credential body, or in the proof's options."""
    changed = copy.deepcopy(document)
    if where == "body":
        achievement = changed["credentialSubject"]["achievement"]
        achievement["name"] = achievement["name"] + " (forged)"
    else:
        changed["proof"]["created"] = "2020-01-01T00:00:00Z"
    return changed


def sign_ours(mc: MicroCredential, suite: str, key_type: KeyType) -> dict[str, Any]:
    key = our_key(key_type)
    document = to_ob3(mc, issuer_id=key.public.did_key)
    return sign_document(document, key, key.public.did_key_vm, suite, created=CREATED)


def js_keys(node: Node) -> dict[KeyType, dict[str, Any]]:
    """A fresh key of each type made by the JS multikey libraries."""
    types = list(CURVES)
    answers = batch(node, [{"action": "generate", "curve": CURVES[t]} for t in types])
    return dict(zip(types, answers, strict=True))


def sign_js(
    node: Node, mc: MicroCredential, keys: dict[KeyType, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The credential signed by the JS stack with each suite (issuer: the JS key's did:key)."""
    requests = []
    for suite, key_type in SUITE_KEYS:
        key = keys[key_type]
        document = to_ob3(mc, issuer_id=key["did"])
        requests.append({"action": "sign", "suite": suite, "document": document, "key": key})
    return [answer["document"] for answer in batch(node, requests)]


# --- microcred signs, the JS stack verifies ----------------------------------------------


@EXAMPLES
@given(complete_credentials())
def test_js_verifies_credentials_we_sign(node: Node, mc: MicroCredential) -> None:
    signed = [sign_ours(mc, suite, key_type) for suite, key_type in SUITE_KEYS]
    tampered = [tamper(d, where) for where in ("body", "proof") for d in signed]
    documents = [*signed, *tampered]
    requests = [{"action": "verify", "document": d, "now": d["validFrom"]} for d in documents]
    answers = batch(node, requests)
    n = len(signed)
    for (suite, key_type), answer in zip(SUITE_KEYS, answers[:n], strict=True):
        assert js_verified(answer), (suite, key_type, answer["errors"])
        assert_offline(answer)
    for answer in answers[n:]:
        assert not answer["verified"]
        assert answer["errors"]


@pytest.mark.parametrize(("suite", "key_type"), CLI_CASES)
def test_js_verifies_what_the_cli_signs(
    node: Node,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    suite: str,
    key_type: KeyType,
) -> None:
    monkeypatch.setenv("MICROCRED_KEY_PASSPHRASE", PASSPHRASE)
    source = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    example = tmp_path / "example.yaml"
    example.write_bytes(source.read_bytes())
    key, signed = tmp_path / "issuer.key", tmp_path / "signed.json"
    assert main(["keys", "new", "--type", key_type.value, "-o", str(key)]) == 0
    argv = ["sign", str(example), "--key", str(key), "--suite", suite, "-o", str(signed)]
    assert main(argv) == 0, capsys.readouterr().err
    document = json.loads(signed.read_text("utf-8"))
    answers = batch(
        node,
        [
            {"action": "verify", "document": d, "now": document["validFrom"]}
            for d in (document, tamper(document, "body"))
        ],
    )
    assert js_verified(answers[0]), answers[0]["errors"]
    assert not answers[1]["verified"]


def test_js_signs_a_plain_document_and_verifies_ours_outside_a_credential(node: Node) -> None:
    """jsonld-signatures on its own (no VC checks): a proof is a proof on any document."""
    key = our_key(KeyType.ED25519)
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:0b1e4a9e-6f59-4f3a-9d53-8c1d3c1e2a11",
        "type": ["VerifiableCredential"],
        "issuer": key.public.did_key,
        "credentialSubject": {"id": "did:example:learner", "name": "Ana Popescu"},
    }
    ours = sign_document(document, key, key.public.did_key_vm, created=CREATED)
    [answer] = batch(node, [{"action": "verify", "document": ours, "mode": "document"}])
    assert js_verified(answer), answer["errors"]


# --- the JS stack signs, microcred verifies ------------------------------------------------


def test_we_read_the_keys_the_js_libraries_make(node: Node) -> None:
    for key_type, key in js_keys(node).items():
        ours = KeyPair.from_multibase_private(key["secretKeyMultibase"])
        assert ours.type is key_type
        assert ours.public.to_multibase() == key["publicKeyMultibase"]
        assert ours.public.did_key_vm == key["verificationMethod"]


@EXAMPLES
@given(complete_credentials())
def test_we_verify_credentials_the_js_stack_signs(node: Node, mc: MicroCredential) -> None:
    signed = sign_js(node, mc, js_keys(node))
    for (suite, _), document in zip(SUITE_KEYS, signed, strict=True):
        assert document["proof"]["type"] == "DataIntegrityProof"
        assert document["proof"]["cryptosuite"] == suite
        assert ours_verify(document) == [True], suite
        assert ours_verify(tamper(document, "body")) == [False], suite
        assert ours_verify(tamper(document, "proof")) == [False], suite


@pytest.fixture(scope="module")
def js_signed_files(node: Node, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("js-signed")
    paths = []
    for (suite, key_type), document in zip(
        SUITE_KEYS, sign_js(node, example_credential(), js_keys(node)), strict=True
    ):
        path = folder / f"{suite}-{key_type.value}.json"
        path.write_text(json.dumps(document), "utf-8")
        paths.append(path)
    return paths


def cli_verify(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[Any]]:
    now = example_credential().issued
    assert now is not None
    code = main(["verify", "--json", "--now", now.isoformat(), *map(str, paths)])
    return code, json.loads(capsys.readouterr().out)


def test_the_cli_verifies_what_the_js_stack_signs(
    capsys: pytest.CaptureFixture[str], js_signed_files: list[Path]
) -> None:
    code, reports = cli_verify(capsys, *js_signed_files)
    assert code == 0, reports
    for report in reports:
        assert report["verified"] is True, report
        proof = next(c for c in report["checks"] if c["name"] == "proof")
        assert proof["status"] == "ok", proof


def test_the_cli_refuses_js_signed_credentials_changed_after_signing(
    capsys: pytest.CaptureFixture[str], js_signed_files: list[Path], tmp_path: Path
) -> None:
    tampered = []
    for path in js_signed_files:
        changed = tmp_path / path.name
        changed.write_text(json.dumps(tamper(json.loads(path.read_text("utf-8")), "body")))
        tampered.append(changed)
    code, reports = cli_verify(capsys, *tampered)
    assert code == 1
    for report in reports:
        assert report["verified"] is False
        proof = next(c for c in report["checks"] if c["name"] == "proof")
        assert proof["status"] != "ok", proof
