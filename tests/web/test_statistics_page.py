"""The provider's statistics page: a chart served by the platform, the same figures as a table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browserless import PageClient, signed_in
from tests.web.harness import demo_site


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PageClient]:
    with demo_site(tmp_path_factory.mktemp("stats-page")) as site:
        yield signed_in(site, "staff@unibuc.example", "demo-provider")


def test_the_page_has_a_chart_and_a_table_of_the_same_figures(staff: PageClient) -> None:
    page = staff.get("/provider/statistics?measure=published&dimension=eqf")
    assert page.status_code == 200
    html = page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert '<table id="stats-table">' in html
    assert "<caption>Published opportunities by EQF level" in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", "Statistiques d&#39;utilisation"), ("ro", "Statistici de utilizare"),
     ("de", "Nutzungsstatistik"), ("en", "Uptake statistics")],
)  # fmt: skip
def test_the_page_speaks_four_languages(staff: PageClient, lang: str, words: str) -> None:
    assert words in staff.get(f"/provider/statistics?lang={lang}").text


def test_a_question_it_cannot_answer_says_so(staff: PageClient) -> None:
    page = staff.get("/provider/statistics?measure=enrolled")
    assert page.status_code == 400
    assert "measure: &#39;enrolled&#39; is not one of" in page.text


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "This question cannot be answered"),
        ("fr", "Impossible de r\u00e9pondre \u00e0 cette question"),
        ("de", "Diese Frage kann nicht beantwortet werden"),
        ("ro", "La aceast\u0103 \u00eentrebare nu se poate r\u0103spunde"),
    ],
)
def test_a_dimension_or_period_outside_its_list_is_a_form_error_in_the_page_language(
    staff: PageClient, lang: str, sentence: str
) -> None:
    for query in ("dimension=shoe_size", "granularity=week"):
        page = staff.get(f"/provider/statistics?measure=issued&{query}&lang={lang}")
        assert page.status_code == 400
        assert 'id="stats-error"' in page.text
        assert 'id="stats-table"' not in page.text  # no (empty) table
    assert sentence in page.text


def test_the_dimension_select_offers_declared_age_band_and_gender(staff: PageClient) -> None:
    page = staff.get("/provider/statistics?measure=issued&dimension=gender&lang=fr")
    assert page.status_code == 200
    assert '<option value="gender" selected>genre</option>' in page.text
    assert '<option value="age_band">tranche d&#39;âge</option>' in page.text
    assert "non déclaré" in page.text  # the demo's learners declared nothing
    sdmx = staff.get("/provider/statistics/export.sdmx.csv?measure=issued&dimension=age_band")
    assert sdmx.status_code == 200
    assert sdmx.text.splitlines()[0].startswith("DATAFLOW,AGE,")
