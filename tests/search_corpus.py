"""A generated multilingual catalogue for search tests and ``bench/search.py``: opportunities in
four languages with varied countries, regions, levels, fields, skills, prices and dates, inserted
in bulk (providers, opportunities, published versions) with a fixed seed."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from microcred.adapters.db.tables import Opportunity, OpportunityVersion, Provider

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


def version_data(rng: random.Random, number: int) -> dict[str, Any]:
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


def insert_corpus(session: Session, count: int, seed: int = 20261206) -> list[dict[str, Any]]:
    """Providers (one per type) and ``count`` published opportunities, ids 1..count; the data
    of each version, in id order."""
    rng = random.Random(seed)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    session.execute(insert(Provider), [
        {"id": n, "slug": f"p{n}", "legal_name": {"en": f"Provider {n}"}, "identifiers": [],
         "country": "FRA", "type": kind, "contact": {}, "quality_assurance": [],
         "status_counter": 0, "created_at": now, "updated_at": now}
        for n, kind in enumerate(PROVIDER_TYPES, start=1)])  # fmt: skip
    datas: list[dict[str, Any]] = []
    for start in range(1, count + 1, 2000):
        numbers = range(start, min(count, start + 1999) + 1)
        chunk = [(n, rng.randint(1, len(PROVIDER_TYPES)), version_data(rng, n)) for n in numbers]
        session.execute(insert(Opportunity), [
            {"id": n, "provider_id": p, "draft": None, "latest_version": 1, "created_at": now,
             "updated_at": now} for n, p, _ in chunk])  # fmt: skip
        session.execute(insert(OpportunityVersion), [
            {"opportunity_id": n, "provider_id": p, "version": 1, "data": data,
             "published_at": now, "is_latest": True, "search_text": "", "languages": ""}
            for n, p, data in chunk])  # fmt: skip
        datas.extend(data for _, _, data in chunk)
    session.flush()
    return datas
