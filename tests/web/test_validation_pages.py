"""Assessor pages over HTTP (no browser): open a validation, upload evidence, assess, certify,
in plain forms; a wrong file type is refused on the page naming it; another organisation's
assessor and other roles do not reach the case."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from microcred.services.context import SYSTEM
from microcred.services.learner import accounts
from tests.web.browserless import PageClient, csrf, post, signed_in
from tests.web.harness import Harness, demo_site

PORTFOLIO = "http://data.europa.eu/snb/assessment/4f03b91c0e"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with demo_site(tmp_path_factory.mktemp("validation-pages"), wallet=False) as harness:
        with harness.platform.unit_of_work(SYSTEM) as ctx:
            for slug in ("unibuc", "lycee-jean-moulin"):
                accounts.create_account(ctx, f"assessor@{slug}.example", "assessor-password",
                                        role="assessor", provider_ref=slug)  # fmt: skip
            accounts.create_account(ctx, "officer@unibuc.example", "officer-password",
                                    role="recognition-officer", provider_ref="unibuc")  # fmt: skip
        yield harness


def _upload(c: PageClient, case_id: str, name: str, content: bytes, kind: str) -> object:
    token = csrf(c, f"/assessor/{case_id}")
    return c.post(f"/assessor/{case_id}/evidence", data={"csrf": token, "supports": "lo-1"},
                  files={"file": (name, content, kind)})  # fmt: skip


def test_an_assessor_validates_and_certifies_with_plain_forms(site: Harness) -> None:
    assessor = signed_in(site, "assessor@unibuc.example", "assessor-password")
    assert "<h1>Validierungen</h1>" in assessor.get("/assessor?lang=de").text
    made = post(
        assessor,
        "/assessor",
        {
            "candidate": "Ana Pop",
            "title": "Data cleaning",
            "setting": "informal",
            "claims": "Clean open data sets\nAdminister a database",
        },
    )
    assert made.status_code == 303, made.text
    found = re.search(r"/assessor/([0-9a-f-]{36})", made.headers["location"])
    assert found is not None
    case_id = found.group(1)
    wrong = _upload(assessor, case_id, "tool.exe", b"MZ\x90", "application/x-msdownload")
    assert wrong.status_code == 415  # type: ignore[attr-defined]
    assert "tool.exe" in wrong.text  # type: ignore[attr-defined]
    kept = _upload(assessor, case_id, "portfolio.pdf", b"%PDF-1.7\n%x\n", "application/pdf")
    assert kept.status_code == 303  # type: ignore[attr-defined]
    url = f"/assessor/{case_id}/step"
    assessed = post(
        assessor,
        url,
        {
            "type": "assessed",
            "method": PORTFOLIO,
            "met-lo-1": "yes",
            "met-lo-2": "no",
            "comment-lo-1": "three data sets",
        },
    )
    assert assessed.status_code == 303, assessed.text
    assert post(assessor, url, {"type": "certified"}).status_code == 303
    page = assessor.get(f"/assessor/{case_id}").text
    assert 'data-stage="certified"' in page
    assert 'id="certified"' in page
    elsewhere = signed_in(site, "assessor@lycee-jean-moulin.example", "assessor-password")
    assert elsewhere.get(f"/assessor/{case_id}").status_code == 404
    assert case_id not in elsewhere.get("/assessor").text
    officer = signed_in(site, "officer@unibuc.example", "officer-password")
    assert officer.get(f"/assessor/{case_id}").status_code == 303  # not an assessor: sign in
