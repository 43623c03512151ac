"""Pathway pages without JavaScript, on the demo platform: a provider publishes a pathway by form,
the learner submits wallet credentials and sees the trace in their terms, the officer decides,
the larger credential lands in the wallet. Each side sees only its own; bad input is a 4xx
naming the problem; every page speaks the four languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from markupsafe import escape

from microcred.services.learner import demo as learner_demo
from microcred.web.rendering import _own_messages
from tests.web.browserless import PageClient, post, signed_in
from tests.web.harness import Harness, demo_site

ANA, STAFF = learner_demo.LEARNER, "staff@unibuc.example"
LYCEE = "staff@lycee-jean-moulin.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with demo_site(tmp_path_factory.mktemp("pathway-pages")) as harness:
        yield harness


def _published(staff: PageClient, version: str, ects: str = "5") -> str:
    """An open pathway of ``ects``: Ana's wallet holds three of her four demo credentials (which
    three varies), one of them perhaps revoked; any three that verify hold 5 ECTS or more."""
    answer = post(
        staff,
        "/provider/pathways",
        {
            "preset": "open",
            "rules_id": "https://unibuc.example/rules/open",
            "version": version,
            "title": "Certificate in public administration",
            "language": "en",
            "ects": ects,
        },
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).rsplit("/", 1)[-1]


def _ask(ana: PageClient, rules_row: str) -> str:
    page = ana.get("/wallet/pathways").text
    chosen = re.findall(r'name="credential" value="([0-9a-f-]{36})"', page)
    answer = post(ana, "/wallet/pathways", {"pathway": rules_row, "credential": chosen})
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).rsplit("/", 1)[-1]


def test_publish_ask_decide_and_the_larger_credential_reaches_the_wallet(site: Harness) -> None:
    staff = signed_in(site, STAFF, learner_demo.PROVIDER_PASSWORD)
    ana = signed_in(site, ANA, learner_demo.LEARNER_PASSWORD)
    rules_row = _published(staff, "1")
    assert "Certificate in public administration" in ana.get("/wallet/pathways").text
    evaluation = _ask(ana, rules_row)
    mine = ana.get(f"/wallet/evaluations/{evaluation}").text
    assert 'data-outcome="satisfied"' in mine
    assert mine.count("badge-ok") >= 2  # each credential's verification is shown
    listed = staff.get(f"/provider/pathways/{rules_row}").text
    assert f"/provider/evaluations/{evaluation}" in listed
    assert "Ana Popescu" in listed
    officer = staff.get(f"/provider/evaluations/{evaluation}").text
    assert 'class="trace-node" data-path="root"' in officer
    titles = ("Introduction to European law", "Soudage TIG", "Sécurité électrique")
    assert any(escape(title) in officer for title in titles)  # credentials by title, not id
    assert "ceterms" not in officer
    decided = post(staff, f"/provider/evaluations/{evaluation}/decision",
                   {"decision": "accept", "reasons": "5 ECTS of verified credit"})  # fmt: skip
    assert decided.status_code == 303
    assert 'data-decision="accept"' in staff.get(f"/provider/evaluations/{evaluation}").text
    again = post(staff, f"/provider/evaluations/{evaluation}/decision",
                 {"decision": "refuse", "reasons": "second thoughts"})  # fmt: skip
    assert again.status_code == 409
    assert "already decided" in again.text
    mine = ana.get(f"/wallet/evaluations/{evaluation}").text
    larger = re.search(r'id="larger" href="/wallet/([0-9a-f-]{36})"', mine)
    assert larger, mine
    card = ana.get(f"/wallet/{larger.group(1)}").text
    assert "Certificate in public administration" in card
    assert 'data-verdict="verified"' in card or "badge-ok" in card


def test_each_side_sees_only_its_own(site: Harness) -> None:
    staff = signed_in(site, STAFF, learner_demo.PROVIDER_PASSWORD)
    ana = signed_in(site, ANA, learner_demo.LEARNER_PASSWORD)
    evaluation = _ask(ana, _published(staff, "2"))
    lycee = signed_in(site, LYCEE, learner_demo.PROVIDER_PASSWORD)
    assert lycee.get(f"/provider/evaluations/{evaluation}").status_code == 404
    assert post(lycee, f"/provider/evaluations/{evaluation}/decision",
                {"decision": "refuse", "reasons": "x"}).status_code == 404  # fmt: skip
    assert ana.get(f"/provider/evaluations/{evaluation}").headers["location"].startswith("/login")
    other = PageClient(site.app, base_url="https://mc.test")
    site.closers.append(other.close)
    assert post(other, "/register", {"email": "ion@example.org", "password": "long-password"}
                ).status_code == 303  # fmt: skip
    assert other.get(f"/wallet/evaluations/{evaluation}").status_code == 404


def test_bad_rules_and_bad_decisions_are_named(site: Harness) -> None:
    staff = signed_in(site, STAFF, learner_demo.PROVIDER_PASSWORD)
    unknown = {"id": "https://unibuc.example/rules/bad", "version": "1", "title": {"en": "Bad"},
               "root": {"type": "component", "where": {"isced": ["77"]}}}  # fmt: skip
    answer = post(staff, "/provider/pathways", {"preset": "json", "rules": json.dumps(unknown)})
    assert answer.status_code == 422
    assert "rules.root.where.isced[0]" in answer.text
    assert "unknown-concept" in answer.text
    never = {**unknown, "options": {"home_providers": ["did:web:elsewhere.example"],
                                    "external_credit_cap": 5},
             "root": {"type": "aggregate", "function": "sum", "measure": "ects",
                      "comparison": ">=", "value": 30,
                      "where": {"providers": ["did:web:other.example"]}}}  # fmt: skip
    answer = post(staff, "/provider/pathways", {"preset": "json", "rules": json.dumps(never)})
    assert answer.status_code == 422
    assert "infeasible-aggregate" in answer.text
    answer = post(staff, "/provider/pathways", {"preset": "json", "rules": "{not json"})
    assert answer.status_code == 422
    assert "not JSON" in answer.text
    ana = signed_in(site, ANA, learner_demo.LEARNER_PASSWORD)
    evaluation = _ask(ana, _published(staff, "3"))
    answer = post(staff, f"/provider/evaluations/{evaluation}/decision",
                  {"decision": "accept-with-conditions", "reasons": "fine"})  # fmt: skip
    assert answer.status_code == 422
    assert "conditions" in answer.text
    answer = post(ana, "/wallet/pathways", {"pathway": evaluation, "credential": []})
    assert answer.status_code in (404, 422)


def test_every_pathway_text_is_in_the_four_languages() -> None:
    texts = {k: v for k, v in _own_messages().items() if k.startswith("pathway.")}
    assert texts
    for key, value in texts.items():
        assert set(value) >= {"en", "fr", "de", "ro"}, key
        assert all(value[lang].strip() for lang in ("en", "fr", "de", "ro")), key


@pytest.mark.parametrize("lang", ["fr", "de", "ro"])
def test_the_pages_speak_the_visitors_language(site: Harness, lang: str) -> None:
    staff = signed_in(site, STAFF, learner_demo.PROVIDER_PASSWORD)
    page = staff.get(f"/provider/pathways?lang={lang}").text
    assert escape(_own_messages()["pathway.publish"][lang]) in page
    ana = signed_in(site, ANA, learner_demo.LEARNER_PASSWORD)
    intro = escape(_own_messages()["pathway.intro"][lang])
    assert intro in ana.get(f"/wallet/pathways?lang={lang}").text
