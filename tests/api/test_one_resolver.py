"""``POST /credentials/verify`` and the public verify page reach the same verdict and the same
Annex I completeness on the same credentials, through the platform's one resolver; with
``MICROCRED_REMOTE_RESOLUTION=0`` neither of them fetches anything from another host.

The other host (``did:web:other.example``) is a DocumentMap of local files behind a fetcher that
records every URL asked for; the platform's own DIDs and status lists come from its database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.adapters.resolver import DocumentMap
from microcred.app import create_app
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.did import did_web_document, did_web_url
from microcred.core.keys import KeyPair
from tests.api.client import ApiClient
from tests.api.conftest import Tenant, _tenant
from tests.core.test_verify import example_ob3, sign
from tests.platform.fixtures import Clock

OTHER = "did:web:other.example"
OTHER_KEY = KeyPair.from_seed(bytes(range(3, 35)))
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@dataclass
class Recorder:
    """The other hosts' documents (a DocumentMap), remembering every URL asked for."""

    documents: DocumentMap
    calls: list[str] = field(default_factory=list)

    def __call__(self, url: str) -> dict[str, Any]:
        self.calls.append(url)
        return self.documents(url)


@dataclass
class Site:
    client: ApiClient
    fetcher: Recorder
    ours: Tenant
    revoked: Tenant

    def document(self, tenant: Tenant) -> dict[str, Any]:
        response = self.client.get(f"/credentials/{tenant.credential}",
                                   headers=tenant.auth("read-only"))  # fmt: skip
        document: dict[str, Any] = response.json()["document"]
        return document

    def api(self, document: Any) -> tuple[bool, str | None, str]:
        response = self.client.post("/credentials/verify", json={"verifiableCredential": document})
        assert response.status_code == 200, response.text
        body = response.json()
        assert not [e for e in body["errors"] if e.startswith("annex1")]
        state = body["completeness"]["state"] if body["completeness"] else None
        return body["verified"], state, " | ".join(body["errors"] + body["warnings"])

    def page(self, document: Any, lang: str = "en") -> tuple[bool, str | None, str]:
        form = self.client.get(f"/verify?lang={lang}").text
        token = CSRF.search(form)
        assert token, form[:300]
        response = self.client.post(f"/verify?lang={lang}", data={
            "csrf": token.group(1), "pasted": json.dumps(document)})  # fmt: skip
        assert response.status_code == 200, response.text[:500]
        html = response.text
        verdict = re.search(r'data-verdict="([a-z-]+)"', html)
        assert verdict, html[:500]
        states = re.findall(r'data-completeness="([a-z-]+)"', html)
        return verdict.group(1) == "verified", states[0] if states else None, html


def foreign_credential() -> dict[str, Any]:
    method = f"{OTHER}#{OTHER_KEY.public.to_multibase()}"
    return sign(example_ob3(OTHER), OTHER_KEY, method)


def build(settings: Settings, tmp_path: Path, *, remote: bool) -> Iterator[Site]:
    did_doc = tmp_path / "other-did.json"
    did_doc.write_text(json.dumps(did_web_document(OTHER, [OTHER_KEY.public])), "utf-8")
    fetcher = Recorder(DocumentMap({did_web_url(OTHER): did_doc}))
    clock = Clock()
    clock.moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    platform = Platform(replace(settings, remote_resolution=remote), clock=clock, fetcher=fetcher)
    platform.upgrade()
    ours = _tenant(platform, "unibuc", "RO", "RO32")
    revoked = _tenant(platform, "lycee-pro", "FR", "FR10")
    client = ApiClient(create_app(platform.settings, platform=platform))
    answer = client.post(
        f"/credentials/{revoked.credential}/revoke",
        headers=revoked.auth("provider-issuer"),
        json={"reason": "test"},
    )
    assert answer.status_code == 200, answer.text
    yield Site(client, fetcher, ours, revoked)
    client.close()
    platform.dispose()


@pytest.fixture
def site(settings: Settings, tmp_path: Path) -> Iterator[Site]:
    yield from build(settings, tmp_path, remote=True)


@pytest.fixture
def offline(settings: Settings, tmp_path: Path) -> Iterator[Site]:
    yield from build(settings, tmp_path, remote=False)


def plain_did_key_credential() -> dict[str, Any]:
    key = KeyPair.from_seed(bytes(range(5, 37)))
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": key.public.did_key,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Ana"},
    }
    return sign(document, key)


def test_api_and_page_agree_on_every_kind_of_credential(site: Site) -> None:
    incomplete = example_ob3()
    del incomplete["credentialSubject"]["achievement"]["alignment"]
    cases = {
        "ours": (site.document(site.ours), True, "complete"),
        "did:key, not a micro-credential": (plain_did_key_credential(), True,
                                            "not-a-micro-credential"),
        "did:key, incomplete": (sign(incomplete), True, "incomplete"),
        "foreign did:web": (foreign_credential(), True, "complete"),
        "revoked": (site.document(site.revoked), False, "complete"),
    }  # fmt: skip
    for name, (document, verified, state) in cases.items():
        api_verified, api_state, why = site.api(document)
        page_verified, page_state, _html = site.page(document)
        assert (api_verified, api_state) == (verified, state), (name, why)
        assert (page_verified, page_state) == (verified, state), name
    # the foreign DID, once for both verifiers: the process keeps it (its own DocumentCache)
    assert site.fetcher.calls == [did_web_url(OTHER)]


def test_the_page_words_both_results_in_four_languages(site: Site) -> None:
    incomplete = example_ob3()
    del incomplete["credentialSubject"]["achievement"]["alignment"]
    words = {
        "en": ("Verified: genuine, issued by", "Not a complete EU micro-credential", "EQF level"),
        "fr": ("Vérifiée : authentique, délivrée par", "Microcertification européenne incomplète",
               "Niveau CEC"),
        "ro": ("Verificată: autentică, emisă de", "Microcertificat european incomplet",
               "Nivel CEC"),
        "de": ("Verifiziert: echt, ausgestellt von", "Kein vollständiges EU-Microcredential",
               "EQR-Niveau"),
    }  # fmt: skip
    document = sign(incomplete)
    for lang, expected in words.items():
        verified, state, html = site.page(document, lang)
        assert verified
        assert state == "incomplete"
        for text in expected:
            assert text in html, (lang, text)
    _, _, revoked = site.page(site.document(site.revoked), "de")
    assert "Nicht verifiziert: Status: " in revoked
    assert "Vollständiges EU-Microcredential (Anhang I)" in revoked


def test_remote_resolution_off_refuses_other_hosts_on_api_and_page(offline: Site) -> None:
    document = foreign_credential()
    verified, state, why = offline.api(document)
    assert not verified
    assert state == "complete"  # what it says is still read; whether it is genuine is not known
    assert "remote resolution is off" in why
    verified, _, html = offline.page(document)
    assert not verified
    assert "remote resolution is off" in html
    assert offline.fetcher.calls == []  # nothing was asked of another host
    ours, _, _ = offline.api(offline.document(offline.ours))
    assert ours  # our own documents still come from the database
    assert offline.page(offline.document(offline.ours))[0]


def test_settings_switch_remote_fetching_off() -> None:
    off = Settings.from_env({"MICROCRED_REMOTE_RESOLUTION": "0", "MICROCRED_DATA_DIR": "/x"})
    platform = Platform(replace(off, database_url="sqlite://"))
    assert platform.remote_fetch is None
    on = Platform(replace(off, database_url="sqlite://", remote_resolution=True))
    assert on.remote_fetch is on.documents  # the fetcher, behind the process's cache


def test_the_api_keeps_the_vc_api_shape_and_puts_annex_i_apart(site: Site) -> None:
    incomplete = example_ob3()
    del incomplete["credentialSubject"]["achievement"]["alignment"]
    response = site.client.post("/credentials/verify",
                                json={"verifiableCredential": sign(incomplete)})  # fmt: skip
    body = response.json()
    assert set(body) == {"verified", "checks", "warnings", "errors", "completeness", "report"}
    assert body["verified"] is True
    assert body["errors"] == []
    assert body["warnings"] == []
    assert body["checks"] == ["format", "issuer", "proof", "spelling", "validity"]
    assert body["completeness"]["state"] == "incomplete"
    assert body["completeness"]["missing"] == ["eqf_level"]
    assert body["completeness"]["summary"].startswith("Not a complete EU micro-credential")
    assert body["report"]["completeness"] == body["completeness"]
    schema = site.client.get("/openapi.json").json()["components"]["schemas"]
    assert schema["CompletenessResult"]["properties"]["state"]["enum"] == [
        "complete", "incomplete", "not-a-micro-credential", "unreadable"]  # fmt: skip
