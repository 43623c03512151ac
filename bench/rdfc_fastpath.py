"""RDFC-1.0 cryptosuites with the fast path and with pyld alone, side by side with JS.

For a typical micro-credential (the bundled example, ~5.5 KB) and a 16 KB one (many outcomes in
four languages), prints sign/s and verify/s of ``eddsa-rdfc-2022`` and ``ecdsa-rdfc-2019``
(P-256) with the fast path ("fast") and with pyld only ("pyld", the state before the fast
path), the ratio to raw Ed25519 and to Digital Bazaar's JS stack (``tests/interop/js``, run on
the same documents in the same run; skipped, saying so, without node), and the fast path's
fallback counter. One process, one core: rates per wall-clock second and (more telling on a
shared machine) per second of the process's own CPU time.

Run: ``PYTHONPATH=. .venv/bin/python bench/rdfc_fastpath.py [--count 1000] [--no-js]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from microcred.core import fastrdf
from microcred.core.canon import use_fast_path
from microcred.core.did import DidResolver
from microcred.core.formats.detect import read_credential
from microcred.core.formats.ob3 import to_ob3
from microcred.core.keys import KeyPair, KeyType
from microcred.core.model import LearningOutcome, MicroCredential
from microcred.core.proofs.data_integrity import sign_document, verify_proofs

NOW = datetime(2026, 11, 1, tzinfo=UTC)
RESOLVE = DidResolver().key_resolver()
JS = Path(__file__).resolve().parent.parent / "tests" / "interop" / "js"
WORDS = {
    "en": "apply the method to analyse data and report results clearly",
    "fr": "appliquer la méthode pour analyser les données et présenter les résultats",
    "de": "die Methode anwenden, Daten analysieren und Ergebnisse klar berichten",
    "ro": "aplică metoda pentru a analiza datele și a raporta clar rezultatele",
}


def _example() -> MicroCredential:
    text = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    return read_credential(text.read_bytes()).credential


def _large(model: MicroCredential) -> MicroCredential:
    """About 16 KB of OB 3.0: many learning outcomes and the title in four languages."""
    outcomes = tuple(
        LearningOutcome(text={lang: f"{i}. {words}" for lang, words in WORDS.items()})
        for i in range(1, 27)
    )
    title = {lang: f"Micro-credential: {words[:40]}" for lang, words in WORDS.items()}
    return model.model_copy(update={"learning_outcomes": outcomes, "title": title})


def documents(model: MicroCredential, count: int, issuer: str) -> list[dict[str, Any]]:
    base = to_ob3(model, credential_id="urn:uuid:00000000-0000-4000-8000-000000000000",
                  issuer_id=issuer)  # fmt: skip
    return [{**base, "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}"} for i in range(count)]


CPU_RATES: list[float] = []  # the same measurements per second of this process's CPU time


def rate(items: list[Any], action: Callable[[Any], Any]) -> tuple[float, list[Any]]:
    """Items per wall-clock second (and, in ``CPU_RATES``, per CPU second of this process)."""
    start, cpu = time.perf_counter(), time.process_time()
    results = [action(item) for item in items]
    CPU_RATES.append(len(items) / max(time.process_time() - cpu, 1e-9))
    return len(items) / (time.perf_counter() - start), results


def ours(suite: str, key: KeyPair, docs: list[dict[str, Any]]) -> tuple[float, float]:
    method = key.public.did_key_vm
    sign_rate, signed = rate(docs, lambda d: sign_document(d, key, method, suite, created=NOW))
    verify_rate, verdicts = rate(signed, lambda s: all(r.ok for r in verify_proofs(s, RESOLVE)))
    if not all(verdicts):
        raise SystemExit(f"{suite}: a signed credential did not verify")
    return sign_rate, verify_rate


def _node(requests: list[dict[str, Any]]) -> float:
    """Seconds one node process takes for a batch (start-up included)."""
    start = time.perf_counter()
    done = subprocess.run(
        ["node", str(JS / "di.mjs")],
        input=json.dumps({"action": "batch", "requests": requests}),
        capture_output=True, text=True, check=True, timeout=3600,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    failed = [r for r in json.loads(done.stdout)["results"] if "error" in r]
    if failed:
        raise SystemExit(f"JS stack failed: {failed[0]['error']}")
    return elapsed


def js(suite: str, key: KeyPair, docs: list[dict[str, Any]]) -> tuple[float, float] | None:
    """JS sign/s and verify/s (node start-up removed by timing a 1-document batch too)."""
    if shutil.which("node") is None or not (JS / "node_modules").is_dir():
        return None
    secret = {"publicKeyMultibase": key.public.to_multibase(),
              "secretKeyMultibase": key.to_multibase_private()}  # fmt: skip
    created = NOW.isoformat().replace("+00:00", "Z")

    def signs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"action": "sign", "document": d, "suite": suite, "key": secret,
                 "created": created, "mode": "document"} for d in items]  # fmt: skip

    method = key.public.did_key_vm
    signed = [sign_document(d, key, method, suite, created=NOW) for d in docs]

    def verifies(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"action": "verify", "document": d, "mode": "document"} for d in items]

    n = len(docs) - 1
    sign_rate = n / (_node(signs(docs)) - _node(signs(docs[:1])))
    verify_rate = n / (_node(verifies(signed)) - _node(verifies(signed[:1])))
    return sign_rate, verify_rate


def reference(count: int) -> tuple[float, float]:
    key, message = KeyPair.from_seed(bytes(32)), bytes(64)
    signature = key.sign(message)
    sign_rate, _ = rate([message] * count, key.sign)
    verify_rate, _ = rate([message] * count, lambda m: key.public.verify(signature, m))
    return sign_rate, verify_rate


def _row(label: str, suite: str, path: str, rates: tuple[float, float], refs: Any) -> str:
    (sign_rate, verify_rate), (ref_sign, ref_verify), theirs = rates, refs[0], refs[1]
    vs_js = "n/a"
    if theirs is not None:
        vs_js = f"{sign_rate / theirs[0]:.1f}/{verify_rate / theirs[1]:.1f}"
    vs_key = f"{sign_rate / ref_sign:.3f}/{verify_rate / ref_verify:.3f}"
    return (
        f"{label:<10}{suite:<17}{path:<6}{sign_rate:>9,.0f}{verify_rate:>10,.0f}"
        f"{vs_key:>17}{vs_js:>12}"
    )


def _compare(label: str, model: MicroCredential, args: Any, ref: tuple[float, float]) -> None:
    keys = {
        "eddsa-rdfc-2022": KeyPair.from_seed(bytes(range(1, 33))),
        "ecdsa-rdfc-2019": KeyPair.from_seed(bytes(range(2, 34)), KeyType.P256),
    }
    for suite, key in keys.items():
        docs = documents(model, args.count, key.public.did_key)
        size = len(json.dumps(docs[0]).encode())
        theirs = None if args.no_js else js(suite, key, docs[: min(200, args.count)])
        for path, count in (("fast", args.count), ("pyld", args.pyld_count)):
            use_fast_path(path == "fast")
            fastrdf.stats(reset=True)
            rates = ours(suite, key, docs[:count])
            print(_row(label, suite, path, rates, (ref, theirs)))
            cpu_sign, cpu_verify = CPU_RATES[-2:]
            print(f"  per CPU second: sign {cpu_sign:,.0f}/s  verify {cpu_verify:,.0f}/s")
            if path == "fast":
                print(f"  ({size:,} bytes; fast path outcomes: {fastrdf.stats()})")
        use_fast_path(True)
        if theirs is not None:
            print(f"  JS (Digital Bazaar): sign {theirs[0]:,.0f}/s  verify {theirs[1]:,.0f}/s")
        elif args.no_js:
            print("  JS comparison skipped (--no-js)")
        else:
            print("  JS comparison skipped: node or tests/interop/js/node_modules is missing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=1000, help="credentials per measurement")
    parser.add_argument(
        "--pyld-count", type=int, default=100, help="credentials per pyld-only measurement"
    )
    parser.add_argument("--no-js", action="store_true", help="skip the JS comparison")
    args = parser.parse_args()
    ref = reference(20_000)
    print(f"reference raw Ed25519: sign {ref[0]:,.0f}/s  verify {ref[1]:,.0f}/s", end="")
    print(f"  (per CPU second: {CPU_RATES[0]:,.0f}/s, {CPU_RATES[1]:,.0f}/s)\n")
    header = f"{'document':<10}{'suite':<17}{'path':<6}{'sign/s':>9}{'verify/s':>10}"
    print(f"{header}{'vs Ed25519 s/v':>17}{'vs JS s/v':>12}")
    model = _example()
    _compare("typical", model, args, ref)
    _compare("16 KB", _large(model), args, ref)


if __name__ == "__main__":
    main()
