"""Wallet flows through the pages: passwordless sign-in, imports of every format, downloads,
export, presentation requests, languages, redirects."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.core.formats.sdjwt_vc import annex1_disclosable_claims, to_sdjwt_claims
from microcred.core.proofs.jose import sign_vc_jwt
from microcred.core.proofs.sd_jwt import issue_sd_jwt
from microcred.services.learner import wallet
from microcred.services.learner.outbox import recent_mail
from tests.web.browserless import PageClient, claimed, client, learner, post
from tests.web.harness import Harness, make_harness


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def test_passwordless_sign_in_link_works_once(h: Harness) -> None:
    c = client(h)
    assert post(c, "/login/link", {"email": "Lena@Example.org"}).status_code == 200
    with h.unit() as ctx:
        mail, outbox_dir = recent_mail(ctx)[0], ctx.outbox_dir
    assert mail.recipient == "lena@example.org"
    found = re.search(r"https://wallet\.test(/login/link/\S+)", mail.body)
    assert found
    signed_in = c.get(found.group(1))
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/wallet"
    assert c.get("/wallet").status_code == 200
    assert client(h).get(found.group(1)).status_code == 410
    assert outbox_dir is not None
    assert (outbox_dir / "outbox.txt").read_text("utf-8").count("sign-in link") == 1


def test_next_parameter_never_leaves_the_site(h: Harness) -> None:
    learner(h, "ana@example.org")
    c = client(h)
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
        response = post(c, "/login", {"email": "ana@example.org", "password": "correct horse",
                                      "next": target})  # fmt: skip
        assert response.headers["location"] == "/wallet", target


def _import(h: Harness, c: PageClient, name: str, text: str) -> str:
    response = post(c, "/wallet/import", files={"file": (name, text.encode())})
    assert response.status_code == 303, response.text[:500]
    return str(response.headers["location"])


def test_imports_every_format_and_verifies_it(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    _ref, document = h.issuer.issue()
    credential = json.loads(document)
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    key, vm = h.issuer.key, h.issuer.key.public.did_key_vm
    vc_jwt = sign_vc_jwt(unsigned, key, vm)
    claims = to_sdjwt_claims(unsigned)
    sd_jwt = issue_sd_jwt(claims, issuer_key=key, kid=vm, random_bytes=h.platform.random_bytes,
                          disclosable=annex1_disclosable_claims(claims))  # fmt: skip
    for name, text in (("a.json", document), ("b.jwt", vc_jwt), ("c.sd-jwt", sd_jwt)):
        page = c.get(_import(h, c, name, text)).text
        assert 'data-verdict="verified"' in page, name
        assert "Data literacy for public administration" in page
    with h.unit() as ctx:
        held = {item.format for item in wallet.list_held(ctx, ana.id)}
    assert held == {"ob3", "vc-jwt", "sd-jwt-vc"}


def test_downloads_and_export(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    original = c.get(f"/wallet/{wallet_id}/download/original")
    assert json.loads(original.text)["proof"]
    assert "attachment" in original.headers["content-disposition"]
    elm = json.loads(c.get(f"/wallet/{wallet_id}/download/elm").text)
    assert "EuropeanDigitalCredential" in elm["type"]
    assert c.get(f"/wallet/{wallet_id}/download/sd-jwt").text.count("~") > 5
    pdf = c.get(f"/wallet/{wallet_id}/download/pdf?lang=fr")
    assert pdf.content.startswith(b"%PDF")
    assert c.get(f"/wallet/{wallet_id}/download/nonsense").status_code == 400
    assert f"/wallet/{wallet_id}/download/clr" in c.get(f"/wallet/{wallet_id}").text
    record = json.loads(c.get(f"/wallet/{wallet_id}/download/clr").text)
    assert record["credentialSubject"]["verifiableCredential"] == [json.loads(original.text)]
    assert record["proof"]["verificationMethod"].startswith(record["issuer"]["id"])
    archive = zipfile.ZipFile(io.BytesIO(c.get("/wallet-export.zip").content))
    index = json.loads(archive.read("index.json"))
    assert index[0]["format"] == "ob3"
    assert {f"{wallet_id}.json", f"{wallet_id}.sd-jwt"} <= set(archive.namelist())


def test_delete_a_credential(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    assert post(c, f"/wallet/{wallet_id}/delete").status_code == 303
    assert c.get(f"/wallet/{wallet_id}").status_code == 404
    with h.unit() as ctx:
        assert wallet.list_held(ctx, ana.id) == []


def test_presentation_request_answered_from_the_wallet(h: Harness) -> None:
    verifier = client(h)
    created = post(verifier, "/verify-request")
    request_path = created.headers["location"]
    challenge = request_path.rsplit("/", 1)[1]
    assert "/wallet/present?challenge=" in verifier.get(request_path).text
    assert verifier.get(f"{request_path}/state").json() == {"answered": False, "verdict": None}
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    assert c.get(f"/wallet/present?challenge={challenge}").status_code == 200
    sent = post(c, "/wallet/present", {"challenge": challenge, "credential": wallet_id})
    assert sent.status_code == 200
    assert verifier.get(f"{request_path}/state").json() == {"answered": True,
                                                            "verdict": "verified"}  # fmt: skip
    result = verifier.get(request_path).text
    assert 'data-verdict="verified"' in result
    assert "Data literacy for public administration" in result
    again = post(c, "/wallet/present", {"challenge": challenge, "credential": wallet_id})
    assert again.status_code == 409
    assert post(verifier, request_path, {"presentation": "eyJ.x.y~"}).status_code == 409


def test_language_picker_and_negotiation(h: Harness) -> None:
    c = client(h)
    french = c.get("/verify?lang=fr")
    assert '<html lang="fr">' in french.text
    assert "mc_lang=fr" in french.headers["set-cookie"]
    assert '<html lang="fr">' in c.get("/verify").text
    german = client(h).get("/verify", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert '<html lang="de">' in german.text
    assert '<html lang="en">' in client(h).get("/verify?lang=xx").text


def test_claim_page_sends_strangers_to_sign_in_and_back(h: Harness) -> None:
    _ref, document = h.issuer.issue()
    from microcred.services.learner import claims

    with h.unit() as ctx:
        link = claims.create_claim(ctx, document, learner_email=None, credential_ref=None)
    path = f"/claim/{link.token}"
    c = client(h)
    page = c.get(path).text
    assert f"/login?next={path}" in page
    assert "openid-credential-offer://" in page
    stored = post(c, f"{path}/store")
    assert stored.headers["location"] == f"/login?next={path}"
    registered = post(c, "/register", {"email": "new@example.org", "password": "long enough",
                                       "next": path})  # fmt: skip
    assert registered.headers["location"] == path
    assert post(c, f"{path}/store").status_code == 303


def test_one_link_for_several_credentials(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    first, _ = claimed(h, ana)
    second, _ = claimed(h, ana, name="Ana P.")
    response = post(c, "/wallet/share", {"credential": [first, second], "days": "3",
                                         f"elements-{first}": ["title", "grade"]})  # fmt: skip
    link = response.text.split('id="share-link" href="', 1)[1].split('"', 1)[0]
    page = client(h).get(link.removeprefix("https://wallet.test")).text
    assert page.count('class="card shared-item"') == 2
    assert page.count('data-verdict="verified"') == 2
    assert "9.50" in page
    assert page.count("Ana P.") == 1
    assert page.count("Ana Popescu") == 0


def test_imports_a_sealed_europass_credential(h: Harness) -> None:
    from tests.conftest import vectors_path

    sample = vectors_path("edc", "credentials", "elm-Sample-MC-Annex1-signed.jsonld")
    c, _ana = learner(h, "ana@example.org")
    response = post(c, "/wallet/import", files={"file": (sample.name, sample.read_bytes())})
    assert response.status_code == 303, response.text[:300]
    page = c.get(f"{response.headers['location']}?lang=fr").text
    assert 'data-verdict="partially"' in page
    assert "Digital micro-credential creation" in page
    assert "Ana Andromeda" in page
    assert "2 ECTS, 60 h" in page
    assert "/download/ob3" in page
