"""End to end in headless Chromium against the running platform (uvicorn, temporary SQLite).

A provider publishes an opportunity and issues a batch; a learner claims a credential, reads it
in French, downloads the PDF and shares two elements with an expiry; a verifier opens the link
and sees only those two, verified; the provider revokes it and the verifier sees it revoked; the
learner erases the account. Screenshots of every page go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.web.live import Live, live_platform

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LEARNER = "lena.fischer@example.org"
CSV = f"name,email,grade\nLena Fischer,{LEARNER},9\nTomas Novak,tomas.novak@example.org,8\n"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (./dev installs it)")
    with sync_playwright() as p:
        made = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield made
        made.close()


DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FOR_DOCS = {"01-provider-dashboard": "provider-dashboard", "10-catalogue": "catalogue",
            "12-wallet-demo": "wallet", "07-verifier-share": "verifier-share"}  # fmt: skip


UNLABELLED = """() => Array.from(document.querySelectorAll(
  'input:not([type=hidden]), select, textarea, button')).filter(el =>
  !(el.labels && el.labels.length) && !el.getAttribute('aria-label') &&
  !(el.tagName === 'BUTTON' && el.textContent.trim())).map(el => el.outerHTML)"""


def check_accessible(page: Page) -> None:
    """Landmarks, a language, one h1, and a name for every control."""
    assert page.locator("html").get_attribute("lang") in ("en", "fr", "ro", "de")
    for landmark in ("header", "nav", "main#main", "footer", "a.skip-link"):
        assert page.locator(landmark).count() >= 1, landmark
    assert page.locator("h1").count() == 1
    assert page.evaluate(UNLABELLED) == []


def shot(page: Page, name: str) -> None:
    """A full-page screenshot; with MICROCRED_DOC_SCREENSHOTS=1, small copies for the README."""
    check_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("MICROCRED_DOC_SCREENSHOTS") == "1" and name in FOR_DOCS:
        from PIL import Image

        DOCS.mkdir(parents=True, exist_ok=True)
        with Image.open(path) as image:
            small = image.convert("RGB").crop((0, 0, image.width, min(image.height, 1200)))
            small.thumbnail((800, 1100))
            small.quantize(colors=64).save(DOCS / f"{FOR_DOCS[name]}.png", optimize=True)


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    page.locator("form[action='/login'] button").click()
    page.wait_for_load_state()


def provider_publishes_and_issues_a_batch(page: Page, live: Live, tmp: Path) -> None:
    sign_in(page, live.base, "staff@unibuc.example", "demo-provider")
    assert page.url.endswith("/provider")
    shot(page, "01-provider-dashboard")
    page.locator("#opportunities summary").click()
    page.fill("#op-title", "Open data for city councils")
    page.fill("#op-outcomes", "Publish a council data set as open data\nExplain a data licence")
    page.fill("#op-ects", "2")
    page.fill("#op-hours", "50")
    page.locator("#new-opportunity button").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Open data for city councils")
    assert "v1" in row.inner_text()
    value = page.locator("#ba-op option", has_text="Open data for city").get_attribute("value")
    page.select_option("#ba-op", value=value)
    csv = tmp / "learners.csv"
    csv.write_text(CSV, encoding="utf-8")
    page.set_input_files("#ba-file", str(csv))
    page.locator("#batch-upload button").click()
    page.wait_for_selector("#batch-done", timeout=60_000)
    assert "2" in page.locator("#batch-done").inner_text()
    shot(page, "02-batch-done")


def claim_link_from_outbox(page: Page, base: str) -> str:
    page.goto(f"{base}/outbox")
    shot(page, "03-outbox")
    mail = page.locator("article.mail", has_text=LEARNER).first
    found = re.search(r"https?://\S+/claim/\S+", mail.inner_text())
    assert found, mail.inner_text()
    return found.group(0)


def learner_claims_reads_downloads_shares(page: Page, link: str) -> str:
    page.goto(link)
    shot(page, "04-claim")
    page.locator("main a.button", has_text="Sign in").click()
    page.fill("#reg-name", "Lena Fischer")
    page.fill("#reg-email", LEARNER)
    page.fill("#reg-password", "lena-secret-1")
    page.locator("form[action='/register'] button").click()
    page.wait_for_url(re.compile("/claim/"))
    page.locator("#store").click()
    page.wait_for_url(re.compile(r"/wallet/[0-9a-f-]{36}$"))
    page.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("dt", has_text="Acquis d'apprentissage").is_visible()
    assert page.get_by_text("Open data for city councils").first.is_visible()
    shot(page, "05-credential-fr")
    with page.expect_download() as download:
        page.locator("#download-pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_label("Intitulé").check()
    page.get_by_label("Charge de travail théorique").check()
    page.fill("#days", "7")
    page.get_by_role("button", name="Créer un lien de partage").click()
    page.wait_for_selector("#share-link")
    shot(page, "06-share-created")
    assert "linkedin.com/profile/add" in (page.locator("#linkedin").get_attribute("href") or "")
    return page.locator("#share-link").get_attribute("href") or ""


def verifier_sees(page: Page, url: str, verdict: str) -> None:
    page.goto(url)
    page.wait_for_selector(f'[data-verdict="{verdict}"]')


def test_provider_learner_verifier_journey(live: Live, browser: Browser, tmp_path: Path) -> None:
    provider = browser.new_page(viewport={"width": 1100, "height": 900})
    provider_publishes_and_issues_a_batch(provider, live, tmp_path)
    learner = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    share = learner_claims_reads_downloads_shares(
        learner, claim_link_from_outbox(learner, live.base)
    )
    verifier = browser.new_context(locale="de-DE").new_page()
    verifier_sees(verifier, share, "verified")
    assert verifier.locator(".fact").count() == 2
    assert verifier.get_by_text("Lena Fischer").count() == 0
    shot(verifier, "07-verifier-share")
    provider.goto(f"{live.base}/provider?q={LEARNER}")
    row = provider.locator("tr[data-credential]", has_text=LEARNER).first
    credential_id = row.get_attribute("data-credential")
    row.get_by_role("button", name=re.compile("Revoke")).click()
    provider.wait_for_load_state()
    verifier_sees(verifier, share, "not-verified")
    assert verifier.locator('[data-status="revoked"]').count() == 1
    verifier_sees(verifier, f"{live.base}/verify/{credential_id}", "not-verified")
    shot(verifier, "08-verifier-revoked")
    learner.goto(f"{live.base}/wallet")
    shot(learner, "09-wallet-phone")
    learner.fill("#confirm", "EFFACER")
    learner.locator("form[action='/account/erase'] button").click()
    learner.wait_for_load_state()
    assert learner.locator("h1").inner_text().startswith("Votre compte")
    verifier.goto(share)
    assert verifier.locator(".fact").count() == 0


def test_public_pages(live: Live, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    page.goto(f"{live.base}/courses?q=data")
    assert page.locator(".cards .card").count() >= 1
    shot(page, "10-catalogue")
    page.goto(f"{live.base}/verify?lang=ro")
    shot(page, "11-verifier-ro")
    sign_in(page, live.base, "ana.popescu@example.org", "demo-learner")
    assert page.locator(".cards .card").count() >= 2
    shot(page, "12-wallet-demo")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"


def test_catalogue_search_across_languages_with_facets(live: Live, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(f"{live.base}/courses?lang=ro")
    everything = page.locator(".cards .card").count()
    assert everything >= 4
    page.fill("#cq", "programare")  # Romanian: finds the English course in ISCED-F 0613
    page.locator("form[role=search] button").first.click()
    page.wait_for_load_state()
    titles = page.locator(".cards .card h2").all_inner_texts()
    assert titles == ["Data literacy for public administration"]
    page.locator(".cards .card details.why summary").click()
    assert "0613" in page.locator(".cards .card details.why").inner_text()
    shot(page, "13-catalogue-search-ro")
    page.goto(f"{live.base}/courses?lang=ro")
    page.locator("fieldset[data-facet=country] input[value=FR]").check()
    page.locator("form[role=search] button").last.click()
    page.wait_for_load_state()
    assert page.locator(".cards .card").count() == 2
    assert "FR" in page.url
    country = page.locator("fieldset[data-facet=country]").inner_text()
    assert "România (" in country  # the other countries stay offered, with their counts


def test_guidance_from_an_occupation_to_the_course_that_fills_the_gap(
    live: Live, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(f"{live.base}/guide?lang=de")
    page.select_option("#g-occupation", label="Datenanalyst/Datenanalystin")
    page.locator("#guidance-form button").click()
    page.wait_for_load_state()
    assert page.locator("h2").first.inner_text().startswith("11 fehlende Fähigkeiten")
    first = page.locator(".suggestions .card").first
    assert first.locator("h3").inner_text() == "Data literacy for public administration"
    assert "Statistik" in first.inner_text()  # the reason names the skill it covers, in German
    page.locator("#g-skills input[value$='7ee4c2ea-b349-4bd2-81a3-ec31475d4833']").check()
    page.locator("#guidance-form button").click()
    page.wait_for_load_state()
    assert page.locator("h2").first.inner_text().startswith("10 fehlende Fähigkeiten")
    assert page.locator("#g-skills input:checked").count() == 1  # what I have stays ticked
    shot(page, "14-guidance-de")


def test_provider_statistics_dashboard_with_a_plot_and_its_table(
    live: Live, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    sign_in(page, live.base, "staff@unibuc.example", "demo-provider")
    page.goto(f"{live.base}/provider/statistics?lang=ro")
    page.select_option("#stats-measure", "published")
    page.select_option("#stats-dimension", "eqf")
    page.locator("#stats-form button").click()
    page.wait_for_load_state()
    chart = page.locator("#stats-chart svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("title").text_content() == "Oferte publicate după nivel EQF"
    table = page.locator("#stats-table")
    assert table.locator("caption").inner_text().startswith("Oferte publicate după nivel EQF")
    assert table.locator("tbody tr").count() >= 2  # each level and the total
    shot(page, "15-provider-statistics-ro")


def test_national_authority_dashboard_with_a_plot_its_table_and_exports(
    live: Live, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    sign_in(page, live.base, "statistics@authority.example", "demo-statistics")
    page.goto(f"{live.base}/authority/statistics?lang=fr")
    page.select_option("#stats-measure", "issued")
    page.select_option("#stats-dimension", "period")
    page.select_option("#stats-granularity", "year")
    page.locator("#stats-form button").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Statistiques nationales d'utilisation (RO)"
    chart = page.locator("#stats-chart svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("title").first.text_content() == "Certificats délivrés par période"
    table = page.locator("#stats-table")
    assert table.locator("caption").inner_text().startswith("Certificats délivrés par période")
    assert table.locator("tbody tr").count() >= 2  # each year and the total
    served = page.locator("#stats-exports a").first.get_attribute("href")
    assert served is not None
    assert served.startswith("/authority/statistics/chart.svg?")
    svg = page.request.get(f"{live.base}{served}")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "Certificats délivrés par période" in svg.text()
    shot(page, "16-authority-statistics-fr")


def test_guidance_counts_the_learners_valid_wallet_credentials(
    live: Live, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    sign_in(page, live.base, "ana.popescu@example.org", "demo-learner")
    page.goto(f"{live.base}/guide?lang=en")
    page.select_option("#g-occupation", label="data analyst")
    page.locator("#guidance-form button").click()
    page.wait_for_load_state()
    assert (
        "valid credentials in your wallet count as held" in page.locator("#g-wallet").inner_text()
    )
    heading = page.locator("h2").first.inner_text()
    assert heading.startswith("11 skills missing"), heading  # her data course is revoked
