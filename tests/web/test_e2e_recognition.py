"""A recognition case end to end in headless Chromium (issue 11 §3): the learner submits a
credential of her wallet to an authority; its recognition officer checks it, gathers the facts,
scores the criteria and decides; the learner downloads the decision letter (PDF) and finds the
signed decision credential in her wallet. Forms only: the pages need no JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from microcred.core.recognition import CRITERIA
from microcred.services import providers
from microcred.services.context import SYSTEM
from microcred.services.learner import accounts
from microcred.services.learner import demo as learner_demo
from tests.web.live import Live, live_platform
from tests.web.test_e2e_browser import browser as browser  # the module's Chromium fixture
from tests.web.test_e2e_browser import shot, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]
OFFICER, OFFICER_PASSWORD = "officer@unibuc.example", "officer-password"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("e2e-recognition")) as running:
        with running.platform.unit_of_work(SYSTEM) as ctx:
            accounts.create_account(ctx, OFFICER, OFFICER_PASSWORD, role="recognition-officer",
                                    display_name="Officer", provider_ref="unibuc")  # fmt: skip
        yield running


def _authority(live: Live) -> str:
    with live.platform.context(SYSTEM) as ctx:
        return str(providers.by_slug(ctx, "unibuc").id)


def test_a_case_from_the_wallet_to_the_letter_and_the_decision_credential(
    live: Live,
    browser: Browser,
    tmp_path: Path,
) -> None:
    learner = browser.new_context(locale="en-GB", accept_downloads=True).new_page()
    sign_in(learner, live.base, learner_demo.LEARNER, learner_demo.LEARNER_PASSWORD)
    learner.goto(f"{live.base}/wallet")
    held_before = learner.locator("ul.cards > li").count()
    learner.locator("#recognition-link").click()
    learner.locator("input[name=credential]").first.check()
    learner.select_option("#rec-authority", _authority(live))
    learner.fill("#rec-purpose", "admission to the MSc in Data Science")
    learner.select_option("#rec-language", "fr")
    shot(learner, "30-recognition-submit")
    learner.locator("form[action='/wallet/recognition'] button").click()
    learner.wait_for_load_state()
    assert "/wallet/recognition/" in learner.url
    assert learner.locator("#case-state").get_attribute("data-state") == "submitted"
    case_url = learner.url

    officer = browser.new_context(locale="en-GB").new_page()
    sign_in(officer, live.base, OFFICER, OFFICER_PASSWORD)
    assert officer.url.endswith("/recognition")
    shot(officer, "31-recognition-officer-list")
    officer.locator("table a").first.click()
    for step in ("authenticity-checked", "facts-gathered"):
        officer.locator(f"#step-{step}").click()
        officer.wait_for_load_state()
    for criterion in CRITERIA:
        officer.fill(f"#comment-{criterion}", f"{criterion}: checked against the programme")
    officer.locator("#step-criteria-assessed").click()
    officer.wait_for_load_state()
    officer.select_option("#outcome", "partial")
    officer.fill("#reasons", "Only the statistics module matches the programme.")
    officer.fill("#ects", "5")
    shot(officer, "32-recognition-decision")
    officer.locator("#step-decided").click()
    officer.wait_for_load_state()
    officer.locator("#step-decision-issued").click()
    officer.wait_for_load_state()
    assert officer.locator("#case-state").get_attribute("data-state") == "decision-issued"

    learner.goto(case_url)
    assert learner.locator("#case-state").get_attribute("data-state") == "decision-issued"
    assert learner.locator("[data-outcome=partial]").count() == 1
    shot(learner, "33-recognition-decided")
    with learner.expect_download() as download:
        learner.locator("#letter").click()
    letter = tmp_path / "letter.pdf"
    download.value.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF-")
    learner.goto(f"{live.base}/wallet")
    assert learner.locator("ul.cards > li").count() == held_before + 1
    newest = learner.locator("ul.cards > li").first
    assert newest.locator("[data-state=active]").count() == 1  # it verifies
