"""OpenID4VP in headless Chromium: a verifier creates a request on the verifier page (QR code,
same-device link); the demo learner answers it with the platform wallet, disclosing two claims;
the verifier's page turns into the report by itself, with only those claims."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from microcred.services.learner import demo as learner_demo
from tests.web.live import Live, live_platform
from tests.web.test_e2e_browser import browser as browser  # the module's Chromium fixture
from tests.web.test_e2e_browser import shot, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("oid4vp-browser")) as running:
        yield running


def test_a_verifier_asks_and_the_platform_wallet_answers(live: Live, browser: Browser) -> None:
    verifier = browser.new_context().new_page()
    verifier.goto(f"{live.base}/verify")
    verifier.locator("#oid4vp-new").click()
    verifier.check("#kind-sd-jwt")
    verifier.uncheck("#claim-issued")
    verifier.check("#claim-title")
    verifier.check("#claim-workload")
    verifier.locator("form[action='/verify/oid4vp'] button").click()
    verifier.wait_for_load_state()
    expect(verifier.locator("#oid4vp-qr")).to_be_visible()
    link = verifier.locator("#oid4vp-link").get_attribute("href") or ""
    assert link.startswith("openid4vp://?client_id=decentralized_identifier")
    own = verifier.locator("#oid4vp-own-wallet").get_attribute("href") or ""
    shot(verifier, "40-oid4vp-request")

    learner = browser.new_context().new_page()
    sign_in(learner, live.base, learner_demo.LEARNER, learner_demo.LEARNER_PASSWORD)
    learner.goto(own)
    expect(learner.locator("#oid4vp-verifier")).to_contain_text("did:web:127.0.0.1")
    expect(learner.locator("#disclose-title")).to_be_checked()
    shot(learner, "41-oid4vp-wallet")
    learner.locator("#oid4vp-send").click()
    learner.wait_for_load_state()
    assert "/verify/oid4vp/" in learner.url

    outcome = verifier.locator("#oid4vp-outcome")  # the page reloads when the answer is in
    expect(outcome).to_have_attribute("data-accepted", "true", timeout=20_000)
    expect(verifier.locator('[data-element="title"]')).to_be_visible()
    expect(verifier.locator('[data-element="workload"]')).to_be_visible()
    for withheld in ("learner", "grade", "learning_outcomes"):
        expect(verifier.locator(f'[data-element="{withheld}"]')).to_have_count(0)
    shot(verifier, "42-oid4vp-report")
