"""Wallet, share and claim pages show the verdict and Annex I completeness apart, in words."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.core.proofs.data_integrity import sign_document
from microcred.services.learner import claims
from tests.web.browserless import PageClient, claimed, client, learner, post
from tests.web.harness import START, Harness, make_harness


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def completeness(page: str) -> list[str]:
    return re.findall(r'data-completeness="([a-z-]+)"', page)


def verdict(page: str) -> str:
    found = re.search(r'data-verdict="([a-z-]+)"', page)
    assert found, page[:300]
    return found.group(1)


def share(c: PageClient, wallet_id: str, elements: list[str]) -> str:
    form = {"credential": wallet_id, f"elements-{wallet_id}": elements, "days": "7"}
    response = post(c, "/wallet/share", form)
    assert response.status_code == 200, response.text[:300]
    link = response.text.split('id="share-link" href="', 1)[1].split('"', 1)[0]
    return str(link.removeprefix("https://wallet.test"))


def test_the_credential_page_shows_both_results(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    page = c.get(f"/wallet/{wallet_id}?lang=ro").text
    assert verdict(page) == "verified"
    assert "Verificată: autentică, emisă de " + h.issuer.did in page
    assert "nici revocată, nici suspendată" in page
    assert completeness(page) == ["complete"]
    assert "Microcertificat european complet (anexa I)" in page


def test_a_revoked_credential_is_not_verified_yet_still_complete(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, ref = claimed(h, ana)
    h.issuer.revoke(ref)
    page = c.get(f"/wallet/{wallet_id}").text
    assert verdict(page) == "not-verified"
    assert "Not verified: Status: " in page
    assert completeness(page) == ["complete"]


def test_a_whole_share_and_a_selective_share(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    whole = client(h).get(share(c, wallet_id, [])).text
    assert verdict(whole) == "verified"
    assert completeness(whole) == ["complete"]
    chosen = client(h).get(share(c, wallet_id, ["title", "workload"])).text
    assert verdict(chosen) == "verified"  # a selective share is as genuine as the whole
    assert completeness(chosen) == ["incomplete"]
    assert "shows only the elements its holder chose to disclose" in chosen


def test_a_plain_badge_offered_for_claim_is_verified_and_not_a_micro_credential(
    h: Harness,
) -> None:
    badge = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": h.issuer.did,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ana", "name": "Ana"},
    }
    signed = sign_document(badge, h.issuer.key, h.issuer.key.public.did_key_vm, created=START)
    with h.unit() as ctx:
        link = claims.create_claim(
            ctx, json.dumps(signed), learner_email="ana@example.org", credential_ref=None
        )
    page = client(h).get(f"/claim/{link.token}?lang=de").text
    assert verdict(page) == "verified"
    assert completeness(page) == ["not-a-micro-credential"]
    assert "Kein Microcredential (Anhang I gilt nicht)" in page


def test_an_answered_presentation_request_shows_both_in_the_verifiers_language(
    h: Harness,
) -> None:
    verifier = client(h)
    request_path = post(verifier, "/verify-request").headers["location"]
    challenge = request_path.rsplit("/", 1)[1]
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    sent = post(c, "/wallet/present", {"challenge": challenge, "credential": wallet_id})
    assert sent.status_code == 200
    page = verifier.get(f"{request_path}?lang=fr").text
    assert verdict(page) == "verified"
    assert "Vérifiée : authentique, délivrée par " in page
    assert completeness(page) == ["complete"]
    assert "Microcertification européenne complète (annexe I)" in page
