"""Security of the learner pages: links, ownership, replay, CSRF, cookies, hostile input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.services.context import learner_actor
from microcred.services.errors import NotFound, ReplayRejected
from microcred.services.learner import claims, presentations, sharing, wallet
from tests.web.browserless import PageClient, claimed, client, csrf, learner, post
from tests.web.harness import Harness, make_harness


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def _share(h: Harness, c: PageClient, wallet_id: str, elements: list[str], days: int = 7) -> str:
    form = {"credential": wallet_id, f"elements-{wallet_id}": elements, "days": str(days)}
    response = post(c, "/wallet/share", form)
    assert response.status_code == 200, response.text
    return str(response.text.split('id="share-link" href="', 1)[1].split('"', 1)[0])


def test_share_shows_only_chosen_elements(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ref = claimed(h, ana)
    url = _share(h, c, wallet_id, ["title", "workload"])
    page = client(h).get(url.removeprefix("https://wallet.test")).text
    assert 'data-verdict="verified"' in page
    assert page.count('class="fact"') == 2
    assert "5 ECTS" in page
    assert "Ana Popescu" not in page
    assert "9.50" not in page


def test_expired_share_shows_nothing(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    path = _share(h, c, wallet_id, ["title"], days=1).removeprefix("https://wallet.test")
    h.clock.advance(days=1, seconds=1)
    response = client(h).get(path)
    assert response.status_code == 410
    assert "Data literacy" not in response.text
    assert 'class="fact"' not in response.text


def test_withdrawn_share_shows_nothing(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    path = _share(h, c, wallet_id, []).removeprefix("https://wallet.test")
    assert client(h).get(path).status_code == 200
    with h.unit() as ctx:
        share_id = sharing.list_shares(ctx, ana.id)[0].id
    assert post(c, f"/wallet/shares/{share_id}/revoke").status_code == 303
    response = client(h).get(path)
    assert response.status_code == 410
    assert "Data literacy" not in response.text


def test_revoked_credential_shows_revoked_on_share(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, ref = claimed(h, ana)
    path = _share(h, c, wallet_id, ["title"]).removeprefix("https://wallet.test")
    h.issuer.revoke(ref)
    page = client(h).get(path).text
    assert 'data-verdict="not-verified"' in page
    assert 'data-status="revoked"' in page


def test_learner_cannot_reach_another_wallet(h: Harness) -> None:
    _, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    mallory, _m = learner(h, "mallory@example.org")
    assert mallory.get(f"/wallet/{wallet_id}").status_code == 404
    for kind in ("original", "pdf", "sd-jwt", "elm"):
        assert mallory.get(f"/wallet/{wallet_id}/download/{kind}").status_code == 404
    assert post(mallory, f"/wallet/{wallet_id}/delete").status_code == 404
    assert post(mallory, "/wallet/share", {"credential": wallet_id, "days": "3"}).status_code == 400
    with h.unit() as ctx:
        share = sharing.create_share(ctx, ana.id, {wallet_id: []}, 3)
    assert post(mallory, f"/wallet/shares/{share.id}/revoke").status_code == 404
    assert "Data literacy" not in mallory.get("/wallet").text


def test_anonymous_is_sent_to_sign_in(h: Harness) -> None:
    response = client(h).get("/wallet")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/wallet"


def test_claim_link_works_once(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    _ref, document = h.issuer.issue()
    with h.unit() as ctx:
        link = claims.create_claim(ctx, document, learner_email=ana.email, credential_ref="x")
    path = f"/claim/{link.token}"
    assert c.get(path).status_code == 200
    assert post(c, f"{path}/store").status_code == 303
    assert c.get(path).status_code == 410
    assert post(c, f"{path}/store").status_code == 410
    assert post(client(h), f"{path}/download").status_code == 410


def test_claim_link_expires(h: Harness) -> None:
    _ref, document = h.issuer.issue()
    with h.unit() as ctx:
        link = claims.create_claim(ctx, document, learner_email=None, credential_ref=None)
    h.clock.advance(days=31)
    assert client(h).get(f"/claim/{link.token}").status_code == 410


def test_presentation_replay_fails(h: Harness) -> None:
    _, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    with h.unit() as ctx:
        first = presentations.new_request(ctx)
        answer = presentations.build_presentation(ctx, ana.id, wallet_id, first.challenge,
                                                  first.domain)  # fmt: skip
    with h.unit() as ctx:
        report = presentations.submit(ctx, first.challenge, answer)
    assert report.verified, report.to_dict()
    with pytest.raises(ReplayRejected), h.unit() as ctx:
        presentations.submit(ctx, first.challenge, answer)
    with h.unit() as ctx:
        second = presentations.new_request(ctx)
    with h.unit() as ctx:
        replayed = presentations.submit(ctx, second.challenge, answer)
    assert not replayed.authentic


def test_data_integrity_presentation_bound_to_challenge(h: Harness) -> None:
    _, ana = learner(h, "ana@example.org")
    _ref, document = h.issuer.issue()
    from microcred.services.learner import wallet

    with h.unit() as ctx:
        held = wallet.add(ctx, ana.id, document, source="imported")
        first, second = presentations.new_request(ctx), presentations.new_request(ctx)
        vp = presentations.build_presentation(ctx, ana.id, held.id, first.challenge, first.domain)
    assert json.loads(vp)["proof"]["challenge"] == first.challenge
    with h.unit() as ctx:
        assert presentations.submit(ctx, first.challenge, vp).verified
    with h.unit() as ctx:
        assert not presentations.submit(ctx, second.challenge, vp).authentic


def _post_routes() -> list[str]:
    from microcred.web import (
        auth_pages,
        claim_pages,
        provider_pages,
        share_pages,
        verify_pages,
        wallet_pages,
    )

    paths = []
    routers = (auth_pages, claim_pages, provider_pages, share_pages, verify_pages, wallet_pages)
    for route in [r for module in routers for r in module.router.routes]:
        methods: set[str] = getattr(route, "methods", set()) or set()
        path = getattr(route, "path", "")
        if "POST" in methods and not path.startswith("/oid4vci"):
            paths.append(path.replace("{", "").replace("}", ""))
    return paths


def test_csrf_enforced_on_every_post_form(h: Harness) -> None:
    c, _ = learner(h, "ana@example.org")
    routes = _post_routes()
    assert len(routes) >= 20
    for path in routes:
        assert c.post(path, data={"email": "a@b.c"}).status_code == 403, path
        assert c.post(path, data={"csrf": "0" * 64}).status_code == 403, path
    other = client(h)
    stolen = csrf(other)
    assert c.post("/logout", data={"csrf": stolen}).status_code == 403


def test_session_cookie_flags(h: Harness) -> None:
    c = client(h)
    header = c.get("/login").headers["set-cookie"].lower()
    assert "mc_session=" in header
    assert "httponly" in header
    assert "secure" in header
    assert "samesite=lax" in header


def test_plain_http_localhost_demo_drops_only_secure(tmp_path: Path) -> None:
    demo = make_harness(tmp_path, public_url="http://127.0.0.1:8000")
    header = client(demo).get("/login").headers["set-cookie"].lower()
    demo.close()
    assert "secure" not in header
    assert "httponly" in header
    assert "samesite=lax" in header


def test_login_rotates_the_session(h: Harness) -> None:
    c = client(h)
    c.get("/login")
    before = c.cookies["mc_session"]
    learner_client, _ = learner(h, "ana@example.org")
    assert learner_client.cookies["mc_session"] != before


def test_non_credential_uploads_are_refused_clearly(h: Harness) -> None:
    c, _ = learner(h, "ana@example.org")
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    cases = [("pic.png", png), ("e.json", b""), ("x.json", b'{"hello": "world"}'),
             ("b.json", b"{broken"), ("deep.json", b"[" * 5000 + b"]" * 5000)]  # fmt: skip
    for name, data in cases:
        response = post(c, "/wallet/import", files={"file": (name, data)})
        assert response.status_code == 400, (name, response.text[:300])
        assert 'role="alert"' in response.text
    huge = b'{"a": "' + b"x" * (4 * 1024 * 1024) + b'"}'
    assert post(c, "/wallet/import", files={"file": ("huge.json", huge)}).status_code in (400, 413)
    assert post(c, "/verify", files={"file": ("pic.png", png)}).status_code == 200


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_injection_is_escaped(h: Harness) -> None:
    c, _ana = learner(h, "ana@example.org")
    _ref, document = h.issuer.issue(name=SCRIPT, title=SCRIPT)
    imported = post(c, "/wallet/import", {"pasted": document})
    assert imported.status_code == 303
    for path in ("/wallet", imported.headers["location"], f"/wallet?q={SCRIPT}"):
        page = c.get(path).text
        assert "<script>alert" not in page
        assert "onerror=alert(1)>" not in page
        assert "&lt;script&gt;" in page
    report = post(client(h), "/verify", {"pasted": document}).text
    assert "<script>alert" not in report
    assert "&lt;script&gt;" in report
    bad = post(client(h), "/register", {"email": SCRIPT, "password": "long enough"})
    assert bad.status_code == 400
    assert "<script>alert" not in bad.text
    assert "<script>alert" not in post(client(h), "/verify", {"pasted": SCRIPT}).text


def test_erasure_removes_personal_data_but_not_status(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, ref = claimed(h, ana)
    path = _share(h, c, wallet_id, ["title"]).removeprefix("https://wallet.test")
    assert post(c, "/account/erase", {"confirm": "ERASE"}).status_code == 200
    from sqlalchemy import text

    with h.unit() as ctx:
        for table in ("web_accounts", "wallet_credentials", "wallet_shares", "web_sessions"):
            assert ctx.session.execute(text(f"select count(*) from {table}")).scalar() == 0, table
        mails = ctx.session.execute(text("select count(*) from web_outbox")).scalar()
    assert mails == 0
    assert client(h).get(path).status_code == 410
    assert c.get("/wallet").status_code == 303
    report = post(client(h), "/verify", {"pasted": h.issuer.issued[ref]}).text
    assert 'data-verdict="verified"' in report


def test_sessions_expire(h: Harness) -> None:
    c, _ = learner(h, "ana@example.org")
    assert c.get("/wallet").status_code == 200
    h.clock.advance(hours=12, seconds=1)
    assert c.get("/wallet").status_code == 303


def test_share_expiry_is_bounded(h: Harness) -> None:
    c, ana = learner(h, "ana@example.org")
    wallet_id, _ = claimed(h, ana)
    for days in ("0", "366", "-1", "x"):
        response = post(c, "/wallet/share", {"credential": wallet_id, "days": days})
        assert response.status_code == 400, days
    bad = post(c, "/wallet/share", {"credential": wallet_id, f"elements-{wallet_id}": ["nope"],
                                    "days": "3"})  # fmt: skip
    assert bad.status_code == 400
    with h.unit() as ctx:
        assert sharing.list_shares(ctx, ana.id) == []


def test_a_learners_unit_of_work_reaches_only_their_own_wallet(h: Harness) -> None:
    _a, ana = learner(h, "ana@example.org")
    wallet_id, _ref = claimed(h, ana)
    _m, mallory = learner(h, "mallory@example.org")
    with h.platform.unit_of_work(learner_actor(mallory.id)) as ctx:
        with pytest.raises(NotFound):
            wallet.get(ctx, ana.id, wallet_id)
        with pytest.raises(NotFound):
            wallet.list_held(ctx, ana.id)
        assert wallet.list_held(ctx, mallory.id) == []
    with h.platform.unit_of_work(learner_actor(ana.id)) as ctx:
        assert [held.id for held in wallet.list_held(ctx, ana.id)] == [wallet_id]


def test_another_signed_in_learner_opens_a_share_link(h: Harness) -> None:
    _a, ana = learner(h, "ana@example.org")
    wallet_id, _ref = claimed(h, ana)
    with h.unit() as ctx:
        link = sharing.create_share(ctx, ana.id, {wallet_id: ["title"]}, 3)
    bob, _b = learner(h, "bob@example.org")
    page = bob.get(link.url.replace("https://wallet.test", ""))
    assert page.status_code == 200
    assert "Data literacy" in page.text
