"""A national authority's statistics dashboard: the figures of every provider of its country,
a chart served by the platform, the same figures as a table, and CSV / JSON / SDMX-like exports
(k = 5 applies to all of them); the demo's reader reads RO."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from tests.web.browserless import PageClient, post, signed_in
from tests.web.harness import Harness, demo_site

READER = ("statistics@authority.example", "demo-statistics")
STAFF = ("staff@unibuc.example", "demo-provider")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with demo_site(tmp_path_factory.mktemp("authority")) as harness:
        yield harness


@pytest.fixture(scope="module")
def demo_app(site: Harness) -> FastAPI:
    return site.app


@pytest.fixture(scope="module")
def reader(site: Harness) -> PageClient:
    return signed_in(site, *READER)


@pytest.fixture(scope="module")
def provider_staff(site: Harness) -> PageClient:
    return signed_in(site, *STAFF)


def test_the_dashboard_counts_the_providers_of_its_country_with_a_chart_and_a_table(
    reader: PageClient,
) -> None:
    page = reader.get("/authority/statistics?measure=issued&dimension=country")
    assert page.status_code == 200
    html = page.text
    assert 'National uptake statistics <span class="scope">(RO)</span>' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert '<table id="stats-table">' in html
    assert '<th scope="row">FR</th>' not in html  # another country's provider
    for link in ("chart.svg", "export.csv", "export.json", "export.sdmx.csv"):
        assert f'href="/authority/statistics/{link}?measure=issued&amp;dimension=country' in html


@pytest.mark.parametrize(
    ("lang", "words", "title"),
    [("en", "National uptake statistics", "Credentials issued by period"),
     ("fr", "Statistiques nationales d&#39;utilisation", "Certificats délivrés par"),
     ("ro", "Statistici naționale de utilizare", "Credențiale emise după"),
     ("de", "Nationale Nutzungsstatistik", "Ausgestellte Nachweise nach")],
)  # fmt: skip
def test_the_dashboard_and_its_chart_speak_four_languages(
    reader: PageClient, lang: str, words: str, title: str
) -> None:
    assert words in reader.get(f"/authority/statistics?lang={lang}").text
    chart = reader.get(f"/authority/statistics/chart.svg?dimension=period&lang={lang}")
    assert chart.status_code == 200
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert f'<title id="chart-title">{title}' in chart.text


def test_exports_are_the_same_protected_table(reader: PageClient) -> None:
    query = "measure=published&dimension=eqf"
    body = reader.get(f"/authority/statistics/export.json?{query}").json()
    assert body["scope"] == "country:RO"
    assert all(r["value"] is None or r["value"] >= 5 or r["value"] == 0 for r in body["rows"])
    sdmx = reader.get(f"/authority/statistics/export.sdmx.csv?{query}")
    assert sdmx.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(sdmx.text)))
    assert {r["MEASURE"] for r in rows} == {"PUBLISHED"}
    assert len(rows) == len(body["rows"])
    tidy = reader.get(f"/authority/statistics/export.csv?{query}").text
    assert tidy.splitlines()[0] == "eqf,measure,value,status"


def test_a_question_it_cannot_answer_says_so(reader: PageClient) -> None:
    page = reader.get("/authority/statistics?measure=enrolled")
    assert page.status_code == 400
    assert "measure: &#39;enrolled&#39; is not one of" in page.text


def test_the_reader_sees_no_provider_page_and_a_provider_no_national_page(
    reader: PageClient, provider_staff: PageClient
) -> None:
    assert reader.get("/provider").status_code == 303
    answer = provider_staff.get("/authority/statistics")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    ("email", "home"),
    [("recognition@unibuc.example", "/recognition"),
     ("assessor@lycee-jean-moulin.example", "/assessor")],
)  # fmt: skip
def test_the_demo_has_a_recognition_officer_and_an_assessor(
    demo_app: FastAPI, email: str, home: str
) -> None:
    client = PageClient(demo_app, base_url="https://mc.test")
    answer = post(client, "/login", {"email": email, "password": "demo-provider"})
    assert answer.headers["location"] == home
    assert client.get(home).status_code == 200
    client.close()


def test_the_dashboard_counts_by_declared_gender(reader: PageClient) -> None:
    page = reader.get("/authority/statistics?measure=issued&dimension=gender&lang=en")
    assert page.status_code == 200
    assert '<option value="gender" selected>gender</option>' in page.text
    assert "undeclared" in page.text


@pytest.mark.parametrize(("lang", "undeclared"), [("en", "undeclared"), ("fr", "non déclaré")])
def test_the_gender_chart_names_its_bars_in_the_readers_language(
    reader: PageClient, lang: str, undeclared: str
) -> None:
    chart = reader.get(f"/authority/statistics/chart.svg?dimension=gender&lang={lang}")
    assert chart.status_code == 200
    assert f">{undeclared}</text>" in chart.text
