from decimal import Decimal

from microcred.core.search import (
    build_document,
    explain,
    highlight,
    packaged_concept_index,
    parse_search_query,
    search,
)

STATISTICS = "http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833"
AUTHORITY = "http://publications.europa.eu/resource/authority"


def _data(
    title,
    lang,
    isced,
    eqf,
    country,
    *,
    skills=(),
    ects=5,
    price="0",
    start=None,
    languages=("FRA",),
    policy=None,
):
    offer = {"price": {"amount": price, "currency": "EUR"}}
    if start:
        offer["start_date"] = start
    if policy:
        offer["recognition_policy"] = {"en": policy}
    return {
        "credential": {
            "title": {lang: title},
            "description": {lang: f"{title}."},
            "learning_outcomes": [{"text": {lang: f"Apply {title}"}, "skills": list(skills)}],
            "workload": {"ects": ects},
            "level": {"eqf": {"id": f"http://data.europa.eu/snb/eqf/{eqf}"}},
            "issuer_countries": [{"country": {"id": f"{AUTHORITY}/country/{country}"}}],
            "languages": [{"id": f"{AUTHORITY}/language/{code}"} for code in languages],
            "field_of_study": {"id": f"http://data.europa.eu/snb/isced-f/{isced}"},
        },
        "offer": offer,
    }


DOCS = [
    build_document(
        "web",
        _data(
            "Développement web avec Python", "fr", "0613", 5, "FRA", start="2026-09-01", price="300"
        ),
    ),
    build_document(
        "tig",
        _data(
            "Soudage TIG — les bases",
            "fr",
            "0715",
            4,
            "FRA",
            ects=3,
            start="2026-10-01",
            policy="recognised by the region",
        ),
    ),
    build_document(
        "stat",
        _data(
            "Analyse de données publiques",
            "fr",
            "0542",
            6,
            "FRA",
            skills=[STATISTICS],
            price="1200",
        ),
    ),
    build_document(
        "law", _data("Introducere în dreptul european", "ro", "0421", 6, "ROU", languages=("RON",))
    ),
]


def _ids(**params):
    return {hit.document.id for hit in search(DOCS, parse_search_query(params)).hits}


def test_a_romanian_query_finds_a_french_course_through_isced_f_and_says_why():
    results = search(DOCS, parse_search_query({"q": "programare", "lang": "ro"}))
    assert [h.document.id for h in results.hits] == ["web"]
    reasons = [r.text("en") for r in explain(results.hits[0])]
    assert reasons == [
        "matches ISCED-F 0613 “Software and applications development and analysis” "
        "through the word “programare” (Română)"
    ]
    assert "Développement et analyse de logiciels" in explain(results.hits[0], "fr")[0].text("fr")


def test_a_german_query_finds_a_french_course_through_its_esco_skill():
    assert _ids(q="Statistik", lang="de") == {"stat"}


def test_text_matches_in_the_documents_own_language_and_every_word_must_be_covered():
    assert _ids(q="soudage") == {"tig"}
    assert _ids(q="soudage python") == set()
    assert _ids(q="python programare") == {"web"}  # one word by text, one by concept


def test_empty_query_lists_everything_and_filters_narrow_it():
    assert _ids() == {"web", "tig", "stat", "law"}
    assert _ids(country="RO") == {"law"}
    assert _ids(eqf="6") == {"stat", "law"}
    assert _ids(isced="07") == {"tig"}
    assert _ids(language="ro") == {"law"}
    assert _ids(price_max="500") == {"web", "tig", "law"}
    assert _ids(ects_max="4") == {"tig"}
    assert _ids(recognition="yes") == {"tig"}
    assert _ids(starts_from="2026-09-15") == {"tig"}


def test_facet_counts_are_disjunctive():
    results = search(DOCS, parse_search_query({"eqf": "6"}))
    facets = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert facets["eqf"] == {"4": 1, "5": 1, "6": 2}  # its own filter is ignored
    assert facets["country"] == {"FR": 1, "RO": 1}  # the other filters apply
    assert facets["isced"]["04"] == 1
    assert "07" not in facets["isced"]
    assert facets["price"] == {"0-0.01": 1, "1000+": 1}


def test_sorting_and_paging():
    by_price = search(DOCS, parse_search_query({"sort": "price", "order": "asc", "per_page": "2"}))
    assert by_price.total == 4
    assert [h.document.price for h in by_price.hits] == [Decimal("0"), Decimal("0")]
    second = search(
        DOCS, parse_search_query({"sort": "price", "order": "asc", "per_page": "2", "page": "2"})
    )
    assert [h.document.id for h in second.hits] == ["web", "stat"]


def test_bm25_ranks_title_matches_above_description_only_ones():
    docs = [
        build_document("a", _data("Python", "en", "0613", 5, "FRA")),
        build_document("b", _data("Cooking for everyone", "en", "1013", 5, "FRA")),
    ]
    docs[1] = docs[1].model_copy(
        update={
            "texts": {
                "en": docs[1]
                .texts["en"]
                .model_copy(
                    update={
                        "description": "Cooking with a little Python scripting and a lot of food."
                    }
                )
            }
        }
    )
    hits = search(docs, parse_search_query({"q": "python"})).hits
    assert [h.document.id for h in hits] == ["a", "b"]
    assert hits[0].score > hits[1].score > 0


def test_highlight_marks_inflected_forms_and_escapes():
    snippet = highlight("Les données <ouvertes> et la donnée publique", "donnée", "fr")
    assert (
        snippet.html()
        == "Les <mark>données</mark> &lt;ouvertes&gt; et la <mark>donnée</mark> publique"
    )


def test_concept_index_covers_the_vocabularies_in_four_languages():
    index = packaged_concept_index()
    for text in ("Softwareentwicklung", "dezvoltare software", "développement logiciel"):
        assert "0613" in [m.concept.notation for m in index.match(text)]
    level = index.match("Nivelul 5")
    assert level
    assert level[0].concept.uri == "http://data.europa.eu/snb/eqf/5"
