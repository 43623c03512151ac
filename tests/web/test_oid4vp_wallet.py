"""The platform wallet answers the platform's OpenID4VP verifier, through the pages and the
wallet's JSON routes: the learner sees who asks for what, chooses, and the verifier's page shows
the report with only what was disclosed. Replays, expired requests, declines and bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from microcred.adapters.db.learner_models import WebAccount
from microcred.core.formats.ob3 import to_ob3
from microcred.core.proofs.data_integrity import sign_document
from microcred.services.learner import wallet
from microcred.services.learner.accounts import Account
from tests.web.browserless import PageClient, claimed, client, learner, post
from tests.web.harness import START, Harness, example_credential, make_harness
from tests.web.test_postgres import postgres_harness

ANA = "ana@example.org"


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def _ask(h: Harness, kind: str = "sd-jwt", claims: tuple[str, ...] = ("title", "workload")
         ) -> tuple[PageClient, str]:  # fmt: skip
    """A verifier (not signed in) creates a request: its page's path."""
    verifier = client(h)
    made = post(verifier, "/verify/oid4vp", {"kind": kind, "claims": list(claims)})
    assert made.status_code == 303, made.text[:500]
    return verifier, str(made.headers["location"])


def _wallet_url(verifier: PageClient, path: str) -> tuple[str, str]:
    """The QR code's openid4vp:// link and the platform wallet's same-device link."""
    html = verifier.get(path).text
    link = re.search(r'id="oid4vp-link" href="([^"]+)"', html)
    own = re.search(r'id="oid4vp-own-wallet" href="([^"]+)"', html)
    assert link, html[:2000]
    assert own, html[:2000]
    return link.group(1).replace("&amp;", "&"), own.group(1).replace("&amp;", "&")


def _signed_in_with_credential(h: Harness) -> tuple[PageClient, Account, str]:
    c, account = learner(h, ANA)
    held, _ = claimed(h, account)
    return c, account, held


def test_the_learner_discloses_only_what_is_asked_and_the_verifier_sees_only_that(
    h: Harness,
) -> None:
    c, _, held = _signed_in_with_credential(h)
    verifier, path = _ask(h, claims=("title", "workload"))
    link, own = _wallet_url(verifier, path)
    assert link.startswith("openid4vp://?client_id=decentralized_identifier%3Adid%3Aweb%3A")
    assert "data:image/svg+xml" in verifier.get(path).text  # the QR code
    shown = c.get(urlsplit(own).path + "?" + urlsplit(own).query)
    assert shown.status_code == 200, shown.text[:1000]
    assert "did:web:wallet.test" in shown.text
    assert f'value="{held}"' in shown.text
    form = {"link": link, "credential": held, "claims": ["title", "workload"], "action": "send"}
    sent = post(c, "/wallet/oid4vp", form)
    assert sent.status_code == 303, sent.text[:1000]
    assert sent.headers["location"] == f"https://wallet.test{path}"
    report = verifier.get(path).text
    assert 'data-accepted="true"' in report
    elements = set(re.findall(r'data-element="([a-z_]+)"', report))
    assert {"title", "workload"} <= elements
    assert not {"learner", "grade", "learning_outcomes"} & elements
    again = post(c, "/wallet/oid4vp", {"link": link, "credential": held, "action": "send"})
    assert again.status_code in (409, 410)


@pytest.mark.postgres
def test_on_postgresql_an_answer_counts_once(tmp_path: Path) -> None:
    with postgres_harness(tmp_path) as pg:
        c, _, held = _signed_in_with_credential(pg)
        verifier, path = _ask(pg, claims=("title",))
        link, _ = _wallet_url(verifier, path)
        sent = c.post("/wallet/oid4vp/answer", json={"link": link, "credential_id": held})
        assert sent.status_code == 200, sent.text
        assert 'data-accepted="true"' in verifier.get(path).text
        replay = c.post("/wallet/oid4vp/answer", json={"link": link, "credential_id": held})
        assert replay.status_code in (409, 410)


def test_a_claim_the_learner_keeps_back_makes_the_verifier_refuse(h: Harness) -> None:
    c, _, held = _signed_in_with_credential(h)
    verifier, path = _ask(h, claims=("title", "grade"))
    link, _ = _wallet_url(verifier, path)
    sent = post(c, "/wallet/oid4vp", {"link": link, "credential": held, "claims": ["title"]})
    assert sent.status_code == 400
    assert "not all disclosed" in sent.text
    report = verifier.get(path).text
    assert 'data-accepted="false"' in report
    assert 'data-element="grade"' not in report


def test_declining_is_shown_to_the_verifier(h: Harness) -> None:
    c, _, _ = _signed_in_with_credential(h)
    verifier, path = _ask(h)
    link, _ = _wallet_url(verifier, path)
    assert post(c, "/wallet/oid4vp", {"link": link, "action": "decline"}).status_code == 303
    assert "access_denied" in verifier.get(path).text


def test_an_expired_request_is_refused_on_both_sides(h: Harness) -> None:
    c, _, held = _signed_in_with_credential(h)
    verifier, path = _ask(h)
    link, _ = _wallet_url(verifier, path)
    h.clock.advance(minutes=11)
    assert c.get("/wallet/oid4vp", params={"link": link}).status_code == 410
    assert post(c, "/wallet/oid4vp", {"link": link, "credential": held}).status_code == 410
    assert "oid4vp-qr" not in verifier.get(path).text


def test_the_wallet_json_routes(h: Harness) -> None:
    c, _, held = _signed_in_with_credential(h)
    verifier, path = _ask(h, claims=("title",))
    link, _ = _wallet_url(verifier, path)
    asked = c.get("/wallet/oid4vp/request", params={"link": link}).json()
    assert asked["verifier"] == "did:web:wallet.test"
    assert asked["claims"] == ["title"]
    assert asked["credentials"] == [{"id": held, "whole": False, "claims": ["title"]}]
    form = c.post("/wallet/oid4vp/answer", data={"link": link})
    assert form.status_code == 415
    assert form.headers["content-type"] == "application/problem+json"
    refused = form.json()  # problem+json with the API's type URI, and the OAuth members
    assert refused["type"] == "https://w3id.org/microcred/problems/oauth-error"
    assert (refused["code"], refused["status"]) == ("oauth-error", 415)
    assert (refused["error"], refused["error_description"]) == (
        "invalid_request", "send application/json")  # fmt: skip
    bad = c.post("/wallet/oid4vp/answer", json={"link": link, "claims": ["shoe_size"]})
    assert bad.status_code == 422
    assert "shoe_size" in bad.json()["detail"]
    sent = c.post("/wallet/oid4vp/answer", json={"link": link, "credential_id": held})
    assert sent.status_code == 200
    assert sent.json()["redirect_uri"] == f"https://wallet.test{path}"
    replay = c.post("/wallet/oid4vp/answer", json={"link": link, "credential_id": held})
    assert replay.status_code in (409, 410)
    assert replay.json()["error"]


def test_a_data_integrity_credential_about_the_holder_goes_whole_in_a_signed_vp(
    h: Harness,
) -> None:
    c, account, _ = _signed_in_with_credential(h)
    with h.unit() as ctx:
        found = select(WebAccount.holder_did).where(WebAccount.id == account.id)
        holder = ctx.session.scalar(found)
        assert holder is not None
        document = _ob3_about(h, holder)
        wallet.add(ctx, account.id, json.dumps(document), source="import")
    verifier, path = _ask(h, kind="di", claims=())
    link, _ = _wallet_url(verifier, path)
    asked = c.get("/wallet/oid4vp/request", params={"link": link}).json()
    (offered,) = asked["credentials"]
    assert offered["whole"] is True
    sent = c.post("/wallet/oid4vp/answer", json={"link": link, "credential_id": offered["id"]})
    assert sent.status_code == 200, sent.text
    report = verifier.get(path).text
    assert 'data-accepted="true"' in report, report[:3000]


def _ob3_about(h: Harness, subject: str) -> dict[str, Any]:
    mc = example_credential(h.issuer.did, "Ana Popescu", None)
    doc = to_ob3(mc, credential_id="urn:uuid:00000000-0000-4000-8000-00000000abcd",
                 issuer_id=h.issuer.did)  # fmt: skip
    doc["credentialSubject"]["id"] = subject
    key = h.issuer.key
    return sign_document(doc, key, key.public.did_key_vm, created=START)


def test_bad_links_are_named(h: Harness) -> None:
    c, _, _ = _signed_in_with_credential(h)
    page = c.get("/wallet/oid4vp", params={"link": "openid4vp://?request_uri=x"})
    assert page.status_code == 400
    assert "client_id" in page.text
    elsewhere = "openid4vp://?client_id=x%3Ay&request_uri=https%3A%2F%2Fevil.example%2Fr"
    assert "elsewhere" in c.get("/wallet/oid4vp", params={"link": elsewhere}).text
    assert c.get("/wallet/oid4vp").status_code == 200  # the paste form
