"""Roles on the full platform app: provider users act only for their provider; learners and
providers do not see each other's pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from microcred.adapters.db.tables import Credential, Provider
from microcred.bootstrap import Platform
from microcred.services.context import SYSTEM
from microcred.services.learner.outbox import recent_mail
from tests.web.browserless import PageClient, post, signed_in
from tests.web.harness import Harness, demo_site


@pytest.fixture(scope="module")
def platform_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with demo_site(tmp_path_factory.mktemp("roles")) as harness:
        yield harness


def _credential_of(h: Harness, slug: str) -> str:
    platform: Platform = h.app.state.platform
    with platform.context(SYSTEM) as ctx:
        provider = ctx.session.scalar(select(Provider).where(Provider.slug == slug))
        assert provider is not None
        found = ctx.session.scalar(select(Credential.id).where(
            Credential.provider_id == provider.id, Credential.state == "active"))  # fmt: skip
    assert found is not None
    return found


def test_provider_cannot_touch_another_providers_credentials(platform_app: Harness) -> None:
    unibuc = signed_in(platform_app, "staff@unibuc.example", "demo-provider")
    foreign = _credential_of(platform_app, "lycee-jean-moulin")
    response = post(unibuc, f"/provider/credentials/{foreign}/revoke")
    assert response.status_code == 400
    assert "no such record" in response.text
    own = _credential_of(platform_app, "unibuc")
    assert post(unibuc, f"/provider/credentials/{own}/suspend").status_code == 303
    assert foreign not in unibuc.get("/provider").text


def test_learners_and_providers_keep_to_their_pages(platform_app: Harness) -> None:
    ana = signed_in(platform_app, "ana.popescu@example.org", "demo-learner")
    assert ana.get("/provider").headers["location"] == "/login?next=/provider"
    assert post(ana, "/provider/opportunities", {"title": "x"}).status_code == 303
    staff = signed_in(platform_app, "staff@unibuc.example", "demo-provider")
    assert staff.get("/wallet").headers["location"] == "/login?next=/wallet"
    assert staff.get("/outbox").status_code == 404
    assert ana.get("/courses?q=data").status_code == 200
    assert "Data literacy" in ana.get("/courses?q=data").text


def test_claim_link_by_api_for_own_credentials_only(platform_app: Harness) -> None:
    platform: Platform = platform_app.app.state.platform
    keys = json.loads((platform.settings.data_dir / "keys.json").read_text("utf-8"))
    api = PageClient(platform_app.app, base_url="https://mc.test")
    platform_app.closers.append(api.close)
    own = _credential_of(platform_app, "unibuc")
    foreign = _credential_of(platform_app, "lycee-jean-moulin")
    headers = {"Authorization": f"Bearer {keys['unibuc']}"}
    made = api.post(f"/credentials/{own}/claim-link", json={"tx_code": True}, headers=headers)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["url"].startswith("https://mc.test/claim/")
    assert body["credential_offer_uri"].startswith("openid-credential-offer://")
    assert "credential_offer_uri=https" in body["credential_offer_reference"]
    assert len(body["tx_code"]) == 6
    with platform.unit_of_work(SYSTEM) as ctx:
        (mail,) = recent_mail(ctx, 1)
    assert body["credential_offer_reference"] in mail.body  # the offer by e-mail, for an app
    assert body["tx_code"] not in mail.body  # the transaction code goes by another channel
    assert api.get(body["url"].removeprefix("https://mc.test")).status_code == 200
    refused = api.post(f"/credentials/{foreign}/claim-link", headers=headers)
    assert refused.status_code == 404
    assert api.post(f"/credentials/{own}/claim-link").status_code == 401


SCRIPT = '<script>alert("x")</script>'


def test_provider_text_fields_are_escaped_everywhere(platform_app: Harness) -> None:
    staff = signed_in(platform_app, "staff@unibuc.example", "demo-provider")
    form = {"title": f"Evil {SCRIPT}", "outcomes": SCRIPT, "ects": "1", "hours": "25",
            "eqf": "5", "language": "en", "publish": "1",
            "assessment": "http://data.europa.eu/snb/assessment/6e6cb2cc78",
            "mode": "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"}  # fmt: skip
    assert post(staff, "/provider/opportunities", form).status_code == 303
    learner = {"opportunity": "1", "name": SCRIPT, "email": "x@example.org", "grade": SCRIPT}
    issued = post(staff, "/provider/issue", learner)
    assert issued.status_code == 200, issued.text[:300]
    assert 'id="offer-qr"' in issued.text  # the OpenID4VCI offer for a wallet app, by QR
    offer = re.search(r'id="offer-link" href="([^"]+)"', issued.text)
    assert offer
    assert offer.group(1).startswith("openid-credential-offer://?credential_offer=")
    for path in ("/provider", "/courses?q=evil", "/provider?q=x@example.org"):
        page = staff.get(path).text
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;" in page, path
    course = re.search(r'href="(/courses/\d+)">Evil', staff.get("/courses?q=evil").text)
    assert course
    assert "<script>alert" not in staff.get(course.group(1)).text


def test_linkedin_link_carries_name_org_date_and_share_url() -> None:
    from datetime import UTC, datetime
    from urllib.parse import parse_qs, urlsplit

    from microcred.services.learner.sharing import linkedin_url

    url = linkedin_url("Data & AI", "Univ <B>", datetime(2026, 6, 30, tzinfo=UTC),
                       "https://mc.test/s/abc")  # fmt: skip
    parts = urlsplit(url)
    assert parts.netloc == "www.linkedin.com"
    assert parts.path == "/profile/add"
    query = parse_qs(parts.query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["Data & AI"]
    assert query["organizationName"] == ["Univ <B>"]
    assert query["issueYear"] == ["2026"]
    assert query["issueMonth"] == ["6"]
    assert query["certUrl"] == ["https://mc.test/s/abc"]
