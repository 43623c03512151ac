"""Sign and verify N small OB 3.0 micro-credentials with each suite; credentials per second.

Prints, for every suite, signatures and verifications per second, and the ratio to raw
Ed25519 sign / verify measured in the same run (the reference: what the key alone costs).
Run: ``.venv/bin/python bench/sign_verify.py [--count 1000]``. Single process, one core.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from microcred.core.did import DidResolver
from microcred.core.formats.detect import read_credential
from microcred.core.formats.ob3 import to_ob3
from microcred.core.formats.sdjwt_vc import annex1_disclosable_claims, to_sdjwt_claims
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.data_integrity import sign_document, verify_proofs
from microcred.core.proofs.jose import sign_vc_jwt, verify_vc_jwt
from microcred.core.proofs.sd_jwt import issue_sd_jwt, verify_sd_jwt

NOW = datetime(2026, 11, 1, tzinfo=UTC)
RESOLVE = DidResolver().key_resolver()


def credentials(count: int, issuer: str) -> list[dict[str, Any]]:
    """``count`` distinct unsigned OB 3.0 micro-credentials from the bundled example."""
    text = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    model = read_credential(text.read_bytes()).credential
    base = to_ob3(
        model, credential_id="urn:uuid:00000000-0000-4000-8000-000000000000", issuer_id=issuer
    )
    made = []
    for index in range(count):
        document = {**base, "id": f"urn:uuid:00000000-0000-4000-8000-{index:012d}"}
        made.append(document)
    return made


def _di(suite: str, key: KeyPair) -> tuple[Callable[[dict[str, Any]], Any], Callable[[Any], bool]]:
    method = key.public.did_key_vm

    def sign(doc: dict[str, Any]) -> Any:
        return sign_document(doc, key, method, suite, created=NOW)

    def verify(signed: Any) -> bool:
        return all(result.ok for result in verify_proofs(signed, RESOLVE))

    return sign, verify


def _jose(key: KeyPair) -> tuple[Callable[[dict[str, Any]], Any], Callable[[Any], bool]]:
    def sign(doc: dict[str, Any]) -> Any:
        return sign_vc_jwt(doc, key, kid=key.public.did_key_vm)

    return sign, lambda token: verify_vc_jwt(token, RESOLVE).ok


def _sd_jwt(key: KeyPair) -> tuple[Callable[[dict[str, Any]], Any], Callable[[Any], bool]]:
    def sign(doc: dict[str, Any]) -> Any:
        claims = to_sdjwt_claims(doc)
        return issue_sd_jwt(
            claims,
            issuer_key=key,
            disclosable=annex1_disclosable_claims(claims),
            random_bytes=os.urandom,
            kid=key.public.did_key_vm,
        )

    def verify(token: Any) -> bool:
        return verify_sd_jwt(token, resolve_key=RESOLVE, now=NOW, key_binding=None).ok

    return sign, verify


def suites() -> dict[str, tuple[KeyPair, Any]]:
    ed = KeyPair.from_seed(bytes(range(32)))
    p256 = KeyPair.from_seed(bytes(range(32)), KeyType.P256)
    return {
        "eddsa-rdfc-2022": (ed, _di("eddsa-rdfc-2022", ed)),
        "ecdsa-rdfc-2019 (P-256)": (p256, _di("ecdsa-rdfc-2019", p256)),
        "eddsa-jcs-2022": (ed, _di("eddsa-jcs-2022", ed)),
        "jose ES256": (p256, _jose(p256)),
        "jose EdDSA": (ed, _jose(ed)),
        "sd-jwt (EdDSA)": (ed, _sd_jwt(ed)),
    }


def rate(count: int, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(count):
        action()
    return count / (time.perf_counter() - start)


def reference(count: int) -> tuple[float, float]:
    """Raw Ed25519 signatures and verifications per second over 64 bytes."""
    key, message = KeyPair.from_seed(bytes(32)), bytes(64)
    signature = key.sign(message)
    return rate(count, lambda: key.sign(message)), rate(
        count, lambda: key.public.verify(signature, message)
    )


def measure(name: str, key: KeyPair, pair: Any, count: int) -> tuple[float, float]:
    sign, verify = pair
    docs = credentials(count, key.public.did_key)
    start = time.perf_counter()
    signed = [sign(doc) for doc in docs]
    sign_rate = count / (time.perf_counter() - start)
    start = time.perf_counter()
    ok = all(verify(item) for item in signed)
    verify_rate = count / (time.perf_counter() - start)
    if not ok:
        raise SystemExit(f"{name}: a signed credential did not verify")
    return sign_rate, verify_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    ref_sign, ref_verify = reference(max(args.count, 5000))
    print(f"reference raw Ed25519: sign {ref_sign:,.0f}/s  verify {ref_verify:,.0f}/s\n")
    print(f"{'suite':<26}{'sign/s':>10}{'verify/s':>10}{'sign ratio':>12}{'verify ratio':>14}")
    for name, (key, pair) in suites().items():
        sign_rate, verify_rate = measure(name, key, pair, args.count)
        print(
            f"{name:<26}{sign_rate:>10,.0f}{verify_rate:>10,.0f}"
            f"{sign_rate / ref_sign:>12.4f}{verify_rate / ref_verify:>14.4f}"
        )


if __name__ == "__main__":
    main()
