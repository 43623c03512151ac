"""A pathway end to end in headless Chromium against the running platform (uvicorn, SQLite):
the receiving organisation publishes a pathway; the demo learner submits the credentials of her
wallet; the officer reads the per-part trace and accepts; the larger credential appears in the
wallet, and the platform's verifier accepts it, naming each part. Screenshots go to
``test-artifacts/screenshots/`` (``20-`` onwards); every page passes the accessibility checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from microcred.services.learner import demo as learner_demo
from tests.web.live import Live, live_platform
from tests.web.test_e2e_browser import browser, shot, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]
__all__ = ["browser"]  # the Chromium fixture, shared with the main journey
STAFF = "staff@unibuc.example"
TITLE = "Certificate in public administration"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("e2e-pathway")) as running:
        yield running


def officer_publishes(page: Page, base: str) -> None:
    sign_in(page, base, STAFF, learner_demo.PROVIDER_PASSWORD)
    page.locator("#pathways-link").click()
    page.wait_for_url(re.compile("/provider/pathways$"))
    page.check("#preset-open")
    page.fill("#pw-id", "https://unibuc.example/rules/public-administration")
    page.fill("#pw-title", TITLE)
    page.fill("#pw-ects", "5")  # any three of Ana's four demo credentials that verify reach it
    shot(page, "20-provider-pathways")
    page.locator("#publish-pathway button").click()
    page.wait_for_url(re.compile(r"/provider/pathways/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text() == TITLE


def learner_asks(page: Page, base: str) -> str:
    sign_in(page, base, learner_demo.LEARNER, learner_demo.LEARNER_PASSWORD)
    page.locator("#pathways-link").click()
    page.wait_for_url(re.compile("/wallet/pathways$"))
    chosen = page.locator("#pathway option", has_text=TITLE).get_attribute("value")
    page.select_option("#pathway", value=chosen)
    shot(page, "21-wallet-pathways")
    page.locator("#ask-evaluation button").click()
    page.wait_for_url(re.compile(r"/wallet/evaluations/[0-9a-f-]{36}$"))
    assert page.locator("#outcome").get_attribute("data-outcome") == "satisfied"
    assert page.locator("#decision").get_attribute("data-decision") == "pending"
    shot(page, "22-wallet-evaluation")
    return page.url.rsplit("/", 1)[-1]


def officer_accepts(page: Page, base: str, evaluation: str) -> None:
    page.goto(f"{base}/provider/pathways")
    page.get_by_role("link", name=TITLE).click()
    page.locator(f"a[href='/provider/evaluations/{evaluation}']").click()
    page.wait_for_url(re.compile(f"/provider/evaluations/{evaluation}$"))
    assert page.locator(".trace-node[data-path='root']").get_attribute("data-outcome") == \
        "satisfied"  # fmt: skip
    page.check("#decision-accept")
    page.fill("#reasons", "5 ECTS of verified credit; the interview was held.")
    shot(page, "23-officer-decides")
    page.locator("#decide button").click()
    page.wait_for_selector("#decision[data-decision='accept']")
    assert page.locator("#larger").count() == 1
    shot(page, "24-officer-decided")


def larger_in_the_wallet(page: Page, base: str, evaluation: str) -> str:
    page.goto(f"{base}/wallet/evaluations/{evaluation}")
    assert page.locator("#decision").get_attribute("data-decision") == "accept"
    page.locator("#larger").click()
    page.wait_for_url(re.compile(r"/wallet/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text() == TITLE
    shot(page, "25-wallet-larger-credential")
    held = page.url.rsplit("/", 1)[-1]
    download = page.request.get(f"{base}/wallet/{held}/download/original")
    assert download.ok
    return download.text()


def test_wallet_to_evaluation_to_decision_to_larger_credential(
    live: Live, browser: Browser, tmp_path: Path
) -> None:
    officer = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    officer_publishes(officer, live.base)
    learner = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    evaluation = learner_asks(learner, live.base)
    officer_accepts(officer, live.base, evaluation)
    document = json.loads(larger_in_the_wallet(learner, live.base, evaluation))
    report = learner.request.post(f"{live.base}/credentials/verify",
                                  data={"verifiableCredential": document}).json()  # fmt: skip
    assert report["verified"] is True, report
    parts = [a for a in document["credentialSubject"]["achievement"]["alignment"]
             if a.get("targetType") == "ceterms:Credential"]  # fmt: skip
    assert len(parts) >= 2  # the larger credential names the credentials it stacks
