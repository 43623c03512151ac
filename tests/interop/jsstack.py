"""Digital Bazaar's JavaScript Data Integrity stack (``js/di.mjs``), driven from the tests.

``node_stack()`` returns a function running one request through ``di.mjs`` (or skips the test
when ``node`` is absent); ``js/node_modules`` is installed with ``npm ci`` first when it is
missing or older than ``package-lock.json``. Keys and times are fixed so runs repeat.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from microcred.core.did import DidResolver
from microcred.core.formats.detect import load_document, read_document
from microcred.core.jsonld import known_contexts
from microcred.core.keys import KeyPair, KeyType
from microcred.core.model import MicroCredential
from microcred.core.proofs.data_integrity import verify_proofs

JS_DIR = Path(__file__).parent / "js"
SCRIPT = JS_DIR / "di.mjs"
CURVES = {KeyType.ED25519: "Ed25519", KeyType.P256: "P-256", KeyType.P384: "P-384"}
SUITE_KEYS: list[tuple[str, KeyType]] = [
    ("eddsa-rdfc-2022", KeyType.ED25519),
    ("ecdsa-rdfc-2019", KeyType.P256),
    ("ecdsa-rdfc-2019", KeyType.P384),
    ("eddsa-jcs-2022", KeyType.ED25519),
    ("ecdsa-jcs-2019", KeyType.P256),
    ("ecdsa-jcs-2019", KeyType.P384),
]
# fixed private keys (valid Ed25519 seeds and P-256 / P-384 scalars): deterministic runs
SEEDS = {
    KeyType.ED25519: bytes(range(1, 33)),
    KeyType.P256: bytes(range(2, 34)),
    KeyType.P384: bytes(range(3, 51)),
}
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

Node = Callable[[dict[str, Any]], dict[str, Any]]


def _installed() -> bool:
    """node_modules exists and is not older than package-lock.json."""
    marker = JS_DIR / "node_modules" / ".package-lock.json"
    lockfile = JS_DIR / "package-lock.json"
    return marker.is_file() and marker.stat().st_mtime >= lockfile.stat().st_mtime


def _npm_ci() -> None:
    """``npm ci`` in ``js/`` (registry only), once even with several xdist workers."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("node is installed but npm is not: cannot install tests/interop/js")
    lock_path = Path(tempfile.gettempdir()) / "microcred-interop-npm-ci.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed():
            command = [npm, "ci", "--no-audit", "--no-fund"]
            done = subprocess.run(command, cwd=JS_DIR, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                pytest.fail(f"npm ci failed in {JS_DIR}:\n{done.stderr[-3000:]}")


def node_stack() -> Node:
    """Run one request (or a ``batch``) through ``di.mjs``; returns its JSON answer."""
    executable = shutil.which("node")
    if executable is None:
        pytest.skip("node is not installed: Digital Bazaar interop tests need Node.js >= 18")
    if not _installed():
        _npm_ci()

    def call(request: dict[str, Any]) -> dict[str, Any]:
        done = subprocess.run(
            [executable, str(SCRIPT)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer

    return call


def batch(node: Node, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Answers to several requests from one node process; fails on any error."""
    results: list[dict[str, Any]] = node({"action": "batch", "requests": requests})["results"]
    failed = [r["error"] for r in results if "error" in r]
    assert not failed, failed
    return results


def js_verified(answer: dict[str, Any]) -> bool:
    """Every proof verified (jsonld-signatures' own ``verified`` means "any proof")."""
    proofs = answer["proofs"]
    return bool(answer["verified"] and proofs and all(p["verified"] for p in proofs))


def assert_offline(answer: dict[str, Any]) -> None:
    """The JS loader was asked only for packaged contexts and did:key documents."""
    others = {url for url in answer["loaded"] if not url.startswith("did:key:")}
    assert others <= known_contexts(), others - known_contexts()


def ours_verify(document: dict[str, Any]) -> list[bool]:
    """microcred's verdict on each proof of ``document`` (did:key issuers)."""
    return [r.ok for r in verify_proofs(document, DidResolver().key_resolver("assertionMethod"))]


def our_key(key_type: KeyType) -> KeyPair:
    return KeyPair.from_seed(SEEDS[key_type], key_type)


def key_for_js(key: KeyPair) -> dict[str, str]:
    """Our key as the JS multikey libraries import it."""
    return {
        "publicKeyMultibase": key.public.to_multibase(),
        "secretKeyMultibase": key.to_multibase_private(),
    }


def example_credential() -> MicroCredential:
    """The packaged example micro-credential (``templates/example.yaml``)."""
    source = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    return read_document(load_document(source.read_bytes())).credential
