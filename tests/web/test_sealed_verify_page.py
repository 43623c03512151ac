"""The public verify page on a sealed EDC: the seal's named checks and its certificate chain
(subject, issuer, validity), in the visitor's language, without JavaScript."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509

from microcred.app import create_app
from microcred.config import Settings
from microcred.core.proofs.jades import unsigned_certificates
from microcred.services import demo, providers, seal_certificates
from microcred.services.context import SYSTEM
from microcred.services.learner import demo as learner_demo
from microcred.services.seal_certificates import CertificateFiles
from tests.conftest import vectors_path
from tests.seal_pki import pki
from tests.trust_list_xml import GRANTED, signed_list
from tests.web.browserless import PageClient, client, learner, post
from tests.web.harness import Harness, make_harness

SAMPLE = vectors_path("edc", "credentials", "elm-Sample-MC-Annex1-signed.jsonld")


def _anf_list(folder: Path) -> Path:
    signature = json.loads(SAMPLE.read_text("utf-8"))["signatures"][0]
    carried = [x509.load_der_x509_certificate(d) for d in unsigned_certificates(signature)]
    (anf,) = [c for c in carried if c.subject.rfc4514_string().startswith(
        "CN=ANF AC Qualified Certificates for eSeal,")]  # fmt: skip
    path = folder / "tl-es.xml"
    path.write_bytes(signed_list([(anf, GRANTED)], "ES"))
    return path


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path, trust_list=str(_anf_list(tmp_path)))
    yield harness
    harness.close()


def test_the_verify_page_shows_the_seal_chain(h: Harness) -> None:
    visitor = client(h)
    page = post(visitor, "/verify", files={"file": (SAMPLE.name, SAMPLE.read_bytes())}).text
    assert "data-seal" in page
    assert page.count("data-certificate") == 2
    assert "CN=TEST SEAL" in page
    assert "CN=ANF AC Qualified Certificates for eSeal" in page
    assert "2023-05-11T14:31:15+00:00 to 2025-05-10T14:31:15+00:00" in page
    assert 'data-check="seal-trust"' in page
    assert 'class="check ok" data-check="seal-chain"' in page
    assert "tl-es.xml (ES" in page
    german = client(h)
    german_page = post(german, "/verify", files={"file": (SAMPLE.name, SAMPLE.read_bytes())},
                       headers={"Accept-Language": "de"}).text  # fmt: skip
    assert "Zertifikatskette" in german_page
    assert "Ausgestellt von" in german_page


def test_a_provider_with_an_eseal_issues_a_sealed_edc_from_its_page(tmp_path: Path) -> None:
    made = pki(use_rsa=True)
    listed = tmp_path / "tl.xml"
    listed.write_bytes(signed_list([(made.root, GRANTED)]))
    settings = Settings(data_dir=tmp_path, secret_key="s", public_url="https://mc.test",
                        batch_workers=1, trust_list=str(listed))  # fmt: skip
    app = create_app(settings)
    platform = app.state.platform
    platform.upgrade()
    with platform.unit_of_work(SYSTEM) as ctx:
        demo.seed(ctx)
        unibuc = providers.by_slug(ctx, "unibuc").id
        files = CertificateFiles(pkcs12=made.pkcs12(), password="p12-secret")
        seal_certificates.import_certificate(ctx, unibuc, files)
    with platform.unit_of_work(SYSTEM) as ctx:
        learner_demo.seed(ctx, demo.issued_to(ctx, learner_demo.LEARNER))
    staff = PageClient(app, base_url="https://mc.test")
    try:
        assert post(staff, "/login", {"email": "staff@unibuc.example",
                                      "password": "demo-provider"}).status_code == 303  # fmt: skip
        assert 'name="sealed"' in staff.get("/provider").text
        form = {"opportunity": "1", "name": "Ion", "email": "ion@example.org", "sealed": "1"}
        issued = post(staff, "/provider/issue", form)
        assert issued.status_code == 200, issued.text[:300]
        ref = issued.text.split("/verify/")[1].split('"')[0]
        report = staff.get(f"/verify/{ref}").text
        assert "data-seal" in report
        assert "University of Bucharest eSeal" in report
        assert 'class="check ok" data-check="seal-trust"' in report
        assert 'data-verdict="verified"' in report
    finally:
        staff.close()
        platform.dispose()


def test_the_wallet_page_of_a_sealed_edc_shows_its_chain(h: Harness) -> None:
    c, _ana = learner(h, "ana@example.org")
    response = post(c, "/wallet/import", files={"file": (SAMPLE.name, SAMPLE.read_bytes())})
    assert response.status_code == 303, response.text[:300]
    page = c.get(response.headers["location"]).text
    assert "data-seal" in page
    assert "CN=TEST SEAL" in page
    assert 'data-verdict="verified"' in page
