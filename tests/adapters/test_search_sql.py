"""The SQL search (SQLite FTS5, PostgreSQL full text) agrees with the core's reference engine:
for a varied multilingual corpus and generated queries, the same result set, the same total, the
same facet counts, and the same order whenever the sort is not by relevance."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.adapters.db import search_sql
from microcred.adapters.db.tables import Opportunity, OpportunityVersion, Provider
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.search import SearchDocument, build_document, parse_search_query
from microcred.core.search import search as reference_search
from microcred.services import search
from microcred.services.context import SYSTEM, Context
from tests.platform.fixtures import PUBLIC_URL, Clock

AUTHORITY = "http://publications.europa.eu/resource/authority"
ESCO = "http://data.europa.eu/esco/skill/"
SKILLS = ("7ee4c2ea-b349-4bd2-81a3-ec31475d4833", "ccd0a1d9-afda-43d9-b901-96344886e14d")
TITLES = {
    "en": ["Data analysis for beginners", "Welding basics", "Web development with Python",
           "Public statistics", "Project management", "Green energy audits"],
    "fr": ["Analyse de données publiques", "Soudage TIG — les bases", "Développement web",
           "Gestion de projet agile", "Énergie verte"],
    "ro": ["Programare în Python", "Analiza datelor", "Sudură pentru începători",
           "Managementul proiectelor"],
    "de": ["Datenanalyse für Einsteiger", "Schweißen Grundkurs", "Webentwicklung mit Python",
           "Projektmanagement"],
}  # fmt: skip
ISCED = ("0613", "0542", "0715", "0413", "0711", "0611")
COUNTRIES = ("FRA", "ROU", "DEU", "BEL")
NUTS = ("RO321", "RO11", "FR101", "DE300", None)
PROVIDER_TYPES = ("higher-education", "vet", "company")
QUERIES = ("data", "analyse", "programare", "python", "welding", "soudage", "projet management",
           "statistics", "energie", "date", "web", "zzz", "", "informatique",
           "Datenanalyse")  # fmt: skip


def _version_data(rng: random.Random, number: int) -> dict[str, Any]:
    lang = rng.choice(sorted(TITLES))
    title = rng.choice(TITLES[lang]) + f" {number}"
    second = rng.choice([None, *sorted(TITLES)])
    titles = {lang: title}
    if second and second != lang:
        titles[second] = rng.choice(TITLES[second])
    offer: dict[str, Any] = {"price": {"amount": str(rng.choice([0, 50, 300, 800, 1500])),
                                       "currency": rng.choice(["EUR", "EUR", "RON"])}}  # fmt: skip
    if rng.random() < 0.7:
        offer["start_date"] = f"2026-{rng.randint(1, 12):02d}-01"
    if rng.random() < 0.3:
        offer["recognition_policy"] = {"en": "recognised"}
    country = rng.choice(COUNTRIES)
    place: dict[str, Any] = {"country": {"id": f"{AUTHORITY}/country/{country}"}}
    nuts = rng.choice(NUTS)
    if nuts:
        place["region"] = {"id": f"http://data.europa.eu/nuts/code/{nuts}"}
    return {
        "credential": {
            "title": titles,
            "description": {k: f"{v}. Learn {v.lower()}." for k, v in titles.items()},
            "learning_outcomes": [{"text": {lang: f"Apply {title}"},
                                   "skills": [ESCO + s for s in SKILLS if rng.random() < 0.3]}],
            "workload": {"ects": rng.choice([1, 3, 5, 6, 10, 30, 60])},
            "level": {"eqf": {"id": f"http://data.europa.eu/snb/eqf/{rng.randint(3, 7)}"}},
            "issuer_countries": [place],
            "languages": [{"id": f"{AUTHORITY}/language/{code}"}
                          for code in rng.sample(["ENG", "FRA", "RON", "DEU"], rng.randint(1, 2))],
            "field_of_study": {"id": f"http://data.europa.eu/snb/isced-f/{rng.choice(ISCED)}"},
        },
        "offer": offer,
    }  # fmt: skip


def _corpus(session: Any, count: int) -> list[SearchDocument]:
    rng = random.Random(20261206)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    providers = []
    for number, kind in enumerate(PROVIDER_TYPES):
        provider = Provider(slug=f"p{number}", legal_name={"en": f"Provider {number}"},
                            identifiers=[], country="FRA", type=kind, contact={},
                            quality_assurance=[], status_counter=0, created_at=now,
                            updated_at=now)  # fmt: skip
        session.add(provider)
        providers.append(provider)
    session.flush()
    documents = []
    for number in range(1, count + 1):
        provider = rng.choice(providers)
        data = _version_data(rng, number)
        opportunity = Opportunity(provider_id=provider.id, draft=None, latest_version=1,
                                  created_at=now, updated_at=now)  # fmt: skip
        session.add(opportunity)
        session.flush()
        session.add(OpportunityVersion(opportunity_id=opportunity.id, provider_id=provider.id,
                                       version=1, data=data, published_at=now, is_latest=True,
                                       search_text="", languages=""))  # fmt: skip
        documents.append(build_document(str(opportunity.id), data, provider_type=provider.type,
                                        published=now.date()))  # fmt: skip
    session.flush()
    return documents


class Indexed:
    """The indexed database and its documents (a short repr for hypothesis' reports)."""

    def __init__(self, ctx: Context, documents: list[SearchDocument]) -> None:
        self.ctx, self.documents = ctx, documents

    def __repr__(self) -> str:
        return f"<{len(self.documents)} indexed documents>"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def indexed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Indexed]:
    """A database holding a 120-opportunity corpus, indexed; and the same documents."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('search') / 'db.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    made = Platform(Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=url,
                             public_url=PUBLIC_URL, remote_resolution=False),
                    clock=Clock())  # fmt: skip
    made.upgrade()
    with made.context(SYSTEM) as ctx:
        documents = _corpus(ctx.session, 120)
        assert search.reindex_all(ctx) == 120
        yield Indexed(ctx, documents)
        ctx.session.rollback()
    made.dispose()


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "country": st.sampled_from(["FR", "RO", "DE", "BE", "FR,RO"]),
        "eqf": st.sampled_from(["4", "5,6", "7"]),
        "isced": st.sampled_from(["06", "061", "0613", "05,07"]),
        "nuts": st.sampled_from(["RO", "RO3", "FR1"]),
        "language": st.sampled_from(["en", "fr", "ro,de"]),
        "provider_type": st.sampled_from(PROVIDER_TYPES),
        "recognition": st.sampled_from(["yes", "no"]),
        "ects_min": st.sampled_from(["3", "5"]),
        "ects_max": st.sampled_from(["6", "30"]),
        "price_max": st.sampled_from(["0", "300", "1000"]),
        "starts_from": st.sampled_from(["2026-04-01", "2026-09-01"]),
        "sort": st.sampled_from(["relevance", "date", "ects", "price"]),
        "order": st.sampled_from(["asc", "desc"]),
        "lang": st.sampled_from(["en", "fr", "ro", "de"]),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.sampled_from(QUERIES), filters=FILTERS)
def test_sql_search_agrees_with_the_reference_engine(
    indexed: Indexed, text: str, filters: dict[str, str]
) -> None:
    ctx, documents = indexed.ctx, indexed.documents
    query = parse_search_query({"q": text, "per_page": "100", **filters})
    expected = reference_search(documents, query)
    got = search.run(ctx, query)
    assert got.total == expected.total
    assert {h.document.id for h in got.hits} == {h.document.id for h in expected.hits}
    assert got.facets == expected.facets
    if query.sort.value != "relevance":
        assert [h.document.id for h in got.hits] == [h.document.id for h in expected.hits]


def test_a_romanian_query_finds_french_courses_and_says_why(
    indexed: Indexed,
) -> None:
    ctx = indexed.ctx
    results = search.search_catalogue(ctx, {"q": "programare", "lang": "ro", "country": "FR"})
    assert results.total > 0
    french = [h for h in results.hits if "fr" in h.document.texts and "ro" not in h.document.texts]
    assert french, "no French-only course found by a Romanian word"
    assert any(m.concept.notation == "0613" for m in french[0].concepts)


def test_reindexing_replaces_and_removes_entries(
    indexed: Indexed,
) -> None:
    ctx, documents = indexed.ctx, indexed.documents
    first = int(documents[0].id)
    connection = ctx.session.connection()
    assert search_sql.index_opportunity(connection, first)  # again: no duplicate
    assert search_sql.indexed_count(connection) == len(documents)
    ctx.session.query(OpportunityVersion).filter_by(opportunity_id=first).update(
        {"is_latest": False}
    )
    assert not search.reindex(ctx, first)
    assert search_sql.indexed_count(connection) == len(documents) - 1
    assert search.run(ctx, parse_search_query({"per_page": "100"})).total == len(documents) - 1
    ctx.session.rollback()
