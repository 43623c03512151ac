"""The public verify page on a sealed EDC: the seal's named checks and its certificate chain
(subject, issuer, validity), in the visitor's language, without JavaScript."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509

from microcred.core.proofs.jades import unsigned_certificates
from tests.conftest import vectors_path
from tests.trust_list_xml import GRANTED, signed_list
from tests.web.browserless import client, post
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
