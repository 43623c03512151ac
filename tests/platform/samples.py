"""Sample providers and opportunities for platform tests."""

from __future__ import annotations

from typing import Any

from microcred.services.opportunities import OpportunityIn
from microcred.services.providers import ProviderIn

EQF = "http://data.europa.eu/snb/eqf/"


def provider_in(
    slug: str = "unibuc", country: str = "RO", region: str | None = "RO32"
) -> ProviderIn:
    return ProviderIn.model_validate({
        "slug": slug,
        "legal_name": {"en": f"Provider {slug}", "ro": f"Furnizor {slug}"},
        "identifiers": [{"scheme": "erasmus", "value": f"RO {slug.upper()}01"}],
        "country": country,
        "region": region,
        "type": "higher-education",
        "homepage": f"https://{slug}.example",
        "contact": {"email": f"contact@{slug}.example"},
        "quality_assurance": [{
            "type": "http://data.europa.eu/snb/accreditation/bb4618238e",
            "agency": {"en": "National QA agency"},
            "valid_from": "2024-01-01",
            "valid_until": "2029-12-31",
        }],
    })  # fmt: skip


def credential_description(
    title: str = "Data literacy", eqf: int = 6, ects: int = 5
) -> dict[str, Any]:
    return {
        "title": {"en": title, "fr": f"{title} (fr)"},
        "description": {"en": f"A short course on {title.lower()}"},
        "learning_outcomes": [{"text": {"en": "Clean open data sets"}}],
        "workload": {"ects": ects, "hours": ects * 25},
        "level": {"eqf": {"id": f"{EQF}{eqf}"}},
        "assessment_types": [{"id": "http://data.europa.eu/snb/assessment/6e6cb2cc78"}],
        "participation": {
            "mode": {"id": "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"}
        },
        "languages": [{"id": "http://publications.europa.eu/resource/authority/language/ENG"}],
        "field_of_study": {"id": "http://data.europa.eu/snb/isced-f/0613"},
    }


def opportunity_in(title: str = "Data literacy", eqf: int = 6, ects: int = 5) -> OpportunityIn:
    return OpportunityIn.model_validate({
        "credential": credential_description(title, eqf, ects),
        "offer": {"start_date": "2026-09-01", "end_date": "2026-12-15", "location": "Online",
                  "price": {"amount": "120.00", "currency": "EUR"},
                  "recognition_policy": {"en": "Recognised towards the MSc in Data Science"}},
    })  # fmt: skip
