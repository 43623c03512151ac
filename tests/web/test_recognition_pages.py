"""Recognition pages over HTTP (no browser): in the four languages; a learner sees only their
own cases, an officer only their authority's; the forms work without JavaScript and a step the
case cannot take is refused on the page, naming why."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from microcred.adapters.db.tables import Provider
from microcred.core.recognition import CRITERIA
from microcred.services.context import SYSTEM
from microcred.services.learner import accounts
from microcred.services.learner import demo as learner_demo
from tests.web.browserless import PageClient, post, signed_in
from tests.web.harness import Harness, demo_site

CASE = re.compile(r"/wallet/recognition/([0-9a-f-]{36})")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with demo_site(tmp_path_factory.mktemp("recognition-pages")) as harness:
        with harness.platform.unit_of_work(SYSTEM) as ctx:
            for slug in ("unibuc", "lycee-jean-moulin"):
                accounts.create_account(ctx, f"officer@{slug}.example", "officer-password",
                                        role="recognition-officer", provider_ref=slug)  # fmt: skip
            accounts.create_account(ctx, "bob@example.org", "bob-password")
        yield harness


def _submitted(h: Harness, ana: PageClient) -> str:
    page = ana.get("/wallet/recognition").text
    held = re.search(r'name="credential" value="([^"]+)"', page)
    assert held is not None
    with h.platform.context(SYSTEM) as ctx:
        authority = ctx.session.scalar(select(Provider.id).where(Provider.slug == "unibuc"))
    form = {"credential": held.group(1), "purpose": "admission", "authority": str(authority),
            "language": "ro"}  # fmt: skip
    made = post(ana, "/wallet/recognition", form)
    assert made.status_code == 303, made.text
    found = CASE.search(made.headers["location"])
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "My recognition requests"), ("fr", "Mes demandes de reconnaissance"),
    ("de", "Meine Anerkennungsanträge"), ("ro", "Cererile mele de recunoaștere")])  # fmt: skip
def test_the_learners_pages_speak_four_languages(site: Harness, lang: str, title: str) -> None:
    ana = signed_in(site, learner_demo.LEARNER, learner_demo.LEARNER_PASSWORD)
    page = ana.get(f"/wallet/recognition?lang={lang}")
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in page.text


def test_each_sees_only_their_own_and_a_closed_case_refuses_a_decision(site: Harness) -> None:
    ana = signed_in(site, learner_demo.LEARNER, learner_demo.LEARNER_PASSWORD)
    case_id = _submitted(site, ana)
    assert 'data-state="submitted"' in ana.get(f"/wallet/recognition/{case_id}").text
    bob = signed_in(site, "bob@example.org", "bob-password")
    assert bob.get(f"/wallet/recognition/{case_id}").status_code == 404
    assert bob.get(f"/wallet/recognition/{case_id}/letter.pdf").status_code == 404
    assert bob.get("/recognition").status_code == 303  # not an officer: the sign-in page
    elsewhere = signed_in(site, "officer@lycee-jean-moulin.example", "officer-password")
    assert case_id not in elsewhere.get("/recognition").text
    assert elsewhere.get(f"/recognition/{case_id}").status_code == 404
    officer = signed_in(site, "officer@unibuc.example", "officer-password")
    assert case_id in officer.get("/recognition").text
    url = f"/recognition/{case_id}/step"
    for step in ("authenticity-checked", "facts-gathered"):
        assert post(officer, url, {"type": step}).status_code == 303
    scores = {f"score-{c}": "strong" for c in CRITERIA} | {f"comment-{c}": "ok" for c in CRITERIA}
    assert post(officer, url, {"type": "criteria-assessed", **scores}).status_code == 303
    full = {"type": "decided", "outcome": "full", "reasons": "Accredited."}
    assert post(officer, url, full).status_code == 303
    assert post(officer, url, {"type": "decision-issued"}).status_code == 303
    again = post(officer, url, full)
    assert again.status_code == 409
    assert "closed (decision-issued)" in again.text
    letter = ana.get(f"/wallet/recognition/{case_id}/letter.pdf")
    assert letter.content.startswith(b"%PDF-")
    assert "Recunoaștere integrală" in ana.get(f"/wallet/recognition/{case_id}?lang=ro").text
