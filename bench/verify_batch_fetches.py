"""Verify a batch of credentials from one did:web issuer and count the documents fetched.

Every credential carries a revocation entry in one of a few Bitstring Status Lists; the issuer
is a did:web. Verification goes through ``microcred.core.verify`` with ``fetch_document`` wrapped
in :class:`DocumentCache` (kept while each document's own validity allows, see
``core/verification/document_cache.py``). The fetcher counts its calls per URL: each status
list and the DID document should be fetched once for the whole batch. The same is printed
without the cache for the first few credentials, for comparison.

Then the platform's path (``POST /credentials/verify``, the verify page, the wallet): the same
batch verified through ``services.verification.verify_document`` in one unit of work per
credential, on a ``Platform`` whose fetcher of other hosts counts its calls. The platform keeps
one DocumentCache per process (``Platform.documents``) and a memo of status-list proof checks
(``Platform.checked``): the fetches and the proof checks of the lists are printed.

Run: ``PYTHONPATH=. .venv/bin/python bench/verify_batch_fetches.py [--count 100000]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.did import DidResolver, did_web_document, did_web_url
from microcred.core.formats.detect import read_credential
from microcred.core.formats.ob3 import to_ob3
from microcred.core.keys import KeyPair
from microcred.core.model import MicroCredential
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.status import StatusList, credential_status_entry, status_list_credential
from microcred.core.verification.document_cache import DocumentCache
from microcred.core.verify import verify
from microcred.services import verification
from microcred.services.context import SYSTEM

NOW = datetime(2026, 11, 1, tzinfo=UTC)
DID = "did:web:issuer.example"
LISTS = 4


def publish(key: KeyPair) -> dict[str, Mapping[str, Any]]:
    """The issuer's DID document and its status lists, by URL."""
    method = f"{DID}#{key.public.to_multibase()}"
    published: dict[str, Mapping[str, Any]] = {
        did_web_url(DID): did_web_document(DID, [key.public])
    }
    for number in range(LISTS):
        url = f"https://issuer.example/status/{number}"
        unsigned = status_list_credential(StatusList(), url, DID, NOW - timedelta(days=1))
        unsigned["credentialSubject"]["ttl"] = 3_600_000  # one hour, as the list itself says
        published[url] = sign_document(unsigned, key, method, created=NOW)
    return published


def example_credential() -> MicroCredential:
    text = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    return read_credential(text.read_bytes()).credential


def credentials(key: KeyPair, count: int) -> list[dict[str, Any]]:
    method = f"{DID}#{key.public.to_multibase()}"
    base = to_ob3(example_credential(), credential_id="urn:uuid:0", issuer_id=DID)
    signed = []
    for index in range(count):
        entry = credential_status_entry(f"https://issuer.example/status/{index % LISTS}", index)
        document = {**base, "id": f"urn:uuid:{index}", "credentialStatus": entry}
        signed.append(sign_document(document, key, method, created=NOW))
    return signed


def run(batch: list[dict[str, Any]], fetch: Any) -> float:
    start = time.perf_counter()
    for document in batch:
        report = verify(document, resolver=DidResolver(fetch), fetch_document=fetch, now=NOW)
        if not report.verified:
            raise SystemExit(f"{document['id']} did not verify: {report}")
    return len(batch) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10_000, help="credentials in the batch")
    args = parser.parse_args()
    key = KeyPair.from_seed(bytes(range(5, 37)))
    published = publish(key)
    fetched: Counter[str] = Counter()

    def fetch(url: str) -> Mapping[str, Any]:
        fetched[url] += 1
        return published[url]

    print(f"signing {args.count:,} credentials...")
    batch = credentials(key, args.count)
    sample = min(20, args.count)
    rate = run(batch[:sample], fetch)
    print(f"without a cache: {sum(fetched.values())} fetches for {sample} credentials "
          f"({rate:,.0f} verified/s)")  # fmt: skip
    fetched.clear()
    cache = DocumentCache(fetch, now=lambda: NOW)
    rate = run(batch, cache)
    print(f"with DocumentCache: {args.count:,} credentials verified at {rate:,.0f}/s")
    for url, times in sorted(fetched.items()):
        print(f"  {times} fetch(es) of {url}")
    fetched.clear()
    platform_path(batch, fetch, fetched)


def platform_path(batch: list[dict[str, Any]], fetch: Any, fetched: Counter[str]) -> None:
    """The batch through the platform's verifier (what the API and the pages run)."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/db.sqlite3",
                            secret_key="bench", public_url="https://verifier.example")  # fmt: skip
        platform = Platform(settings, clock=lambda: NOW, fetcher=fetch)
        platform.upgrade()
        checks = Counter[str]()
        checked = platform.checked

        def counted(name: str, document: Mapping[str, Any], check: Any) -> Any:
            return checked(name, document, lambda: (checks.update([name]), check())[1])

        platform.checked = counted  # type: ignore[assignment]
        start = time.perf_counter()
        for document in batch:
            with platform.unit_of_work(SYSTEM) as ctx:
                report = verification.verify_document(ctx, document)
            if not report.verified:
                raise SystemExit(f"{document['id']} did not verify on the platform: {report}")
        rate = len(batch) / (time.perf_counter() - start)
        platform.dispose()
    print(f"platform (API / page path): {len(batch):,} credentials verified at {rate:,.0f}/s, "
          f"{sum(checks.values())} status-list proof check(s)")  # fmt: skip
    for url, times in sorted(fetched.items()):
        print(f"  {times} fetch(es) of {url}")


if __name__ == "__main__":
    main()
