"""A learner declares an age band and gender for the statistics, or not: the wallet's page and
the same as JSON, withdrawal and erasure delete it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.services.learner import declaration
from tests.web.browserless import PageClient, client, csrf, learner, post
from tests.web.harness import Harness, make_harness


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def _declared(h: Harness, account_id: str) -> declaration.Declaration:
    with h.unit() as ctx:
        return declaration.get(ctx, account_id)


def test_declaring_through_the_page_and_withdrawing_it(h: Harness) -> None:
    c, account = learner(h, "lena@example.org")
    assert 'href="/wallet/profile"' in c.get("/wallet").text
    page = c.get("/wallet/profile")
    assert page.status_code == 200
    assert "k = 5" in page.text
    assert "never your date of birth" in page.text
    assert "Prefer not to say" in page.text
    saved = post(c, "/wallet/profile", {"age_band": "25-34", "gender": "prefer-not-to-say"})
    assert saved.status_code == 303
    found = _declared(h, account.id)
    assert (found.age_band, found.gender) == ("25-34", None)
    shown = c.get(saved.headers["location"]).text
    assert "Saved." in shown
    assert '<option value="25-34" selected>' in shown
    assert post(c, "/wallet/profile/withdraw").status_code == 303
    assert _declared(h, account.id).empty


def test_a_value_not_offered_is_refused_with_a_message(h: Harness) -> None:
    c, account = learner(h, "lena@example.org")
    refused = post(c, "/wallet/profile", {"age_band": "1987-05-02", "gender": "F"})
    assert refused.status_code == 400
    assert "age_band" in refused.text
    assert _declared(h, account.id).empty


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "comptages anonymes"), ("de", "anonyme Zählungen"), ("ro", "numărări anonime"),
     ("en", "anonymous counts")],
)  # fmt: skip
def test_the_page_says_what_it_is_for_in_four_languages(h: Harness, lang: str, words: str) -> None:
    c, _ = learner(h, "lena@example.org")
    assert words in c.get(f"/wallet/profile?lang={lang}").text


def test_the_declaration_as_json(h: Harness) -> None:
    c, account = learner(h, "lena@example.org")
    assert c.get("/wallet/declaration").json()["gender"] is None
    put = c.put("/wallet/declaration", json={"age_band": "65-plus", "gender": "other"})
    assert put.status_code == 200, put.text
    assert (put.json()["age_band"], put.json()["gender"]) == ("65-plus", "other")
    assert c.get("/wallet/declaration").json()["age_band"] == "65-plus"
    wrong = c.put("/wallet/declaration", json={"age_band": "40", "gender": None})
    assert wrong.status_code == 422
    assert wrong.headers["content-type"] == "application/problem+json"
    as_form = c.put("/wallet/declaration", data={"age_band": "15-24"})
    assert as_form.status_code == 415  # a cross-site form cannot change it
    problems = "https://w3id.org/microcred/problems/"  # the API's types and codes
    assert (wrong.json()["type"], wrong.json()["code"]) == (problems + "invalid-input",
                                                            "invalid-input")  # fmt: skip
    assert as_form.headers["content-type"] == "application/problem+json"
    assert as_form.json()["type"] == problems + "unsupported-media-type"
    assert (as_form.json()["code"], as_form.json()["status"]) == ("unsupported-media-type", 415)
    gone = c.delete("/wallet/declaration")
    assert gone.status_code == 204
    assert _declared(h, account.id).empty


def test_a_visitor_is_sent_to_sign_in(h: Harness) -> None:
    visitor: PageClient = client(h)
    assert visitor.get("/wallet/profile").status_code == 303
    assert visitor.get("/wallet/declaration").status_code == 303


def test_erasing_the_account_deletes_the_declaration(h: Harness) -> None:
    c, account = learner(h, "lena@example.org")
    assert post(c, "/wallet/profile", {"age_band": "45-54", "gender": "M"}).status_code == 303
    assert not _declared(h, account.id).empty
    erased = c.post("/account/erase", data={"csrf": csrf(c, "/wallet"), "confirm": "erase"})
    assert erased.status_code == 200
    assert _declared(h, account.id).empty
