"""Demo data: two providers in two countries, published opportunities, learners, one revocation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from microcred.adapters.db.tables import Credential, Provider
from microcred.services import apikeys, issuance, opportunities, providers, statuses
from microcred.services.context import Context
from microcred.services.issuance import IssueIn
from microcred.services.opportunities import OpportunityIn
from microcred.services.providers import ProviderIn

ENG = "http://publications.europa.eu/resource/authority/language/ENG"
PROVIDERS: list[dict[str, Any]] = [
    {"slug": "unibuc", "country": "RO", "region": "RO321", "type": "higher-education",
     "sector": "public",
     "legal_name": {"ro": "Universitatea din București", "en": "University of Bucharest"},
     "identifiers": [{"scheme": "erasmus", "value": "RO BUCURES09"}],
     "homepage": "https://unibuc.example", "contact": {"email": "microcred@unibuc.example"},
     "quality_assurance": [{"type": "http://data.europa.eu/snb/accreditation/bb4618238e",
                            "agency": {"en": "ARACIS"}, "agency_id": "https://www.aracis.ro",
                            "valid_from": "2024-01-01"}]},
    {"slug": "lycee-jean-moulin", "country": "FR", "region": "FR101", "type": "vet",
     "sector": "public",
     "legal_name": {"fr": "Lycée professionnel Jean Moulin", "en": "Jean Moulin VET school"},
     "identifiers": [{"scheme": "national", "value": "0750001A"}],
     "homepage": "https://lycee-jean-moulin.example",
     "contact": {"email": "formation@lycee-jean-moulin.example"},
     "quality_assurance": [{"type": "http://data.europa.eu/snb/accreditation/003293d2ce",
                            "agency": {"fr": "France compétences"},
                            "agency_id": "https://www.francecompetences.fr"}]},
]  # fmt: skip
COURSES = {
    "unibuc": [("Data literacy for public administration", 6, 5, "0613"),
               ("Introduction to European law", 6, 3, "0421")],
    "lycee-jean-moulin": [("Soudage TIG — les bases", 4, 4, "0715"),
                          ("Sécurité électrique (habilitation B1)", 3, 2, "0713")],
}  # fmt: skip
LEARNERS = [("Ana Popescu", "ana.popescu@example.org", "9.50"),
            ("Jean Dupont", "jean.dupont@example.org", "14/20"),
            ("Maria Rossi", "maria.rossi@example.org", "8")]  # fmt: skip


ESCO_SKILL = "http://data.europa.eu/esco/skill/"
SKILLS = {  # ESCO skills the outcomes name (so guidance has something to suggest)
    "Data literacy for public administration": (
        ESCO_SKILL + "7ee4c2ea-b349-4bd2-81a3-ec31475d4833",  # statistics
        ESCO_SKILL + "50b100ea-74fd-4706-99db-3e4ca55e51b8",  # perform data cleansing
    ),
}


def _opportunity(title: str, eqf: int, ects: int, isced: str) -> OpportunityIn:
    return OpportunityIn.model_validate({
        "credential": {
            "title": {"en": title}, "description": {"en": f"{title}: a short course."},
            "learning_outcomes": [{"text": {"en": f"Apply the essentials of {title.lower()}"},
                                   "skills": list(SKILLS.get(title, ()))}],
            "workload": {"ects": ects, "hours": ects * 25},
            "level": {"eqf": {"id": f"http://data.europa.eu/snb/eqf/{eqf}"}},
            "assessment_types": [{"id": "http://data.europa.eu/snb/assessment/6e6cb2cc78"}],
            "participation": {"mode": {
                "id": "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"}},
            "languages": [{"id": ENG}],
            "field_of_study": {"id": f"http://data.europa.eu/snb/isced-f/{isced}"},
        },
        "offer": {"start_date": "2026-09-01", "location": "Online",
                  "price": {"amount": "0.00", "currency": "EUR"}},
    })  # fmt: skip


def seeded(ctx: Context) -> bool:
    return ctx.session.scalar(select(Provider.id).where(Provider.slug == "unibuc")) is not None


def seed(ctx: Context) -> dict[str, str]:
    """Create the demo data once; returns the API keys made (shown once)."""
    tokens = {"platform-admin": apikeys.create(ctx, "platform-admin", None, "demo admin").token}
    first: str | None = None
    for spec in PROVIDERS:
        provider = providers.register(ctx, ProviderIn.model_validate(spec))
        label = f"{spec['slug']} admin"
        tokens[spec["slug"]] = apikeys.create(ctx, "provider-admin", provider.id, label).token
        for title, eqf, ects, isced in COURSES[spec["slug"]]:
            row = opportunities.create(ctx, provider.id, _opportunity(title, eqf, ects, isced))
            opportunities.publish(ctx, row.id)
            for name, email, grade in LEARNERS:
                data = IssueIn.model_validate(
                    {
                        "opportunity_id": row.id,
                        "grade": grade,
                        "learner": {"name": name, "email": email},
                    }
                )
                credential, _ = issuance.issue(ctx, data)
                first = first or credential.id
    if first:
        statuses.change(ctx, first, "revoke", "demo: issued by mistake")
    return tokens


def issued_to(ctx: Context, email: str) -> list[tuple[str, str]]:
    """``(credential id, signed document)`` of every credential issued to ``email``, in order."""
    query = select(Credential).where(Credential.learner_email == email).order_by(Credential.id)
    return [(row.id, row.document) for row in ctx.session.scalars(query)]


def verify_request(ctx: Context) -> dict[str, Any] | None:
    """A VC-API verify request body holding an active demo credential (None before seeding)."""
    query = select(Credential).where(Credential.state == "active").order_by(Credential.id)
    row = ctx.session.scalars(query.limit(1)).first()
    return {"verifiableCredential": issuance.parsed_document(row)} if row is not None else None
