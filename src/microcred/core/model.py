"""The Annex I micro-credential: typed, immutable, multilingual.

Every element of Annex I of Council Recommendation 2022/C 243/02 is a field here. The types
accept an incomplete credential (an import may lack elements); :mod:`microcred.core.annex1`
says what is missing or wrong, by element, before anything is signed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from microcred.core.vocab import vocabularies

LOCAL_ID_PREFIX = "urn:epass:"  # EDC ids that name a node inside one document, nothing outside
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _check_lang_map(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("a text needs at least one language")
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(tag):
            raise ValueError(f"{tag!r} is not a language tag such as 'en' or 'fr'")
        if not text.strip():
            raise ValueError(f"the {tag!r} text is empty")
    return value


LangMap = Annotated[dict[str, str], AfterValidator(_check_lang_map)]
"""A text in several languages: ``{"en": "Data literacy", "fr": "Littératie des données"}``."""


class Frozen(BaseModel):
    """Base of every model: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ConceptRef(Frozen):
    """A concept of a controlled vocabulary, by its official URI, with the labels it carries.

    Labels default to the packaged vocabularies' labels for a known concept, so that every
    coded element carries its labels wherever it was built.
    """

    id: str = Field(min_length=1, description="Official concept URI")
    label: dict[str, str] = Field(default_factory=dict, description="Labels by language")

    @model_validator(mode="before")
    @classmethod
    def _known_labels(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("label") and isinstance(data.get("id"), str):
            known = vocabularies().find(data["id"])
            if known is not None:
                return {**data, "label": dict(known.labels)}
        return data


class Place(Frozen):
    """A country of the issuer (or of another organisation), with an optional NUTS region."""

    country: ConceptRef
    region: ConceptRef | None = None


class Identifier(Frozen):
    """An identifier in a named scheme: ``vat``, ``eidas``, ``erasmus``, ``deqar``..."""

    scheme: str = Field(min_length=1)
    value: str = Field(min_length=1)
    salt: str | None = Field(
        None, description="Salt of a hashed value (``hashed-...`` schemes, OB 3.0 identity hashing)"
    )


class Learner(Frozen):
    """Identification of the learner (Annex I, mandatory)."""

    id: str | None = Field(None, description="DID or URI of the learner")
    full_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    birth_date: date | None = None
    identifiers: tuple[Identifier, ...] = ()

    @property
    def is_identified(self) -> bool:
        """Some identification: a document-local EDC id (``urn:epass:...``) alone is none."""
        named = self.id if self.id and not self.id.startswith(LOCAL_ID_PREFIX) else None
        return bool(named or self.full_name or self.email or self.identifiers)

    @property
    def display_name(self) -> str | None:
        if self.full_name:
            return self.full_name
        names = " ".join(n for n in (self.given_name, self.family_name) if n)
        return (
            names
            or self.email
            or self.id
            or (self.identifiers[0].value if self.identifiers else None)
        )


class Organisation(Frozen):
    """An awarding body (Annex I, mandatory): legal name, identifiers, contact."""

    id: str | None = Field(None, description="DID or URL of the organisation")
    name: LangMap
    identifiers: tuple[Identifier, ...] = ()
    homepage: str | None = None
    email: str | None = None
    logo: str | None = Field(None, description="URL or data: URL of the logo")
    places: tuple[Place, ...] = Field(
        (), description="Its own countries, when not the issuer's (a co-awarding body abroad)"
    )


class LearningOutcome(Frozen):
    """One learning outcome, optionally aligned to ESCO skills (or skills of another framework)."""

    text: LangMap
    skills: tuple[str, ...] = Field((), description="ESCO skill URIs")
    id: str | None = Field(None, description="The outcome's id in the source document")


class Workload(Frozen):
    """Notional workload: ECTS credits where possible, and/or hours."""

    ects: Decimal | None = None
    hours: Decimal | None = None
    duration: str | None = Field(None, description="The ISO 8601 duration as written in the source")


class Level(Frozen):
    """Level of the learning experience: EQF, QF-EHEA cycle, national framework level."""

    eqf: ConceptRef | None = None
    qf_ehea: ConceptRef | None = None
    nqf: ConceptRef | None = None


class Participation(Frozen):
    """Form of participation: online / on site / blended, setting, kind of activity."""

    mode: ConceptRef
    setting: ConceptRef | None = None
    activity: ConceptRef | None = None


class QualityAssurance(Frozen):
    """Type of quality assurance underpinning the micro-credential, with its evidence."""

    type: ConceptRef
    id: str | None = Field(
        None, description="Identifier of the QA decision, e.g. a DEQAR report URL"
    )
    agency: LangMap | None = None
    agency_id: str | None = None
    agency_country: ConceptRef | None = Field(None, description="The QA agency's own country")
    decision: LangMap | None = None
    report: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class Grade(Frozen):
    """The grade achieved, and the grading scheme it belongs to."""

    value: str = Field(min_length=1)
    scheme: LangMap | None = None


class StackTarget(Frozen):
    """A credential this micro-credential can be stacked towards."""

    title: LangMap
    id: str | None = None


class Stackability(Frozen):
    """Integration/stackability: stand-alone, or stackable towards named credentials."""

    kind: Literal["stand-alone", "stackable"]
    towards: tuple[StackTarget, ...] = ()


class CredentialPart(Frozen):
    """A credential a larger credential is made of, by its id (the part's credential URI), with
    who awarded it, where and when (ELM's part achievements need an awarding body)."""

    id: str = Field(min_length=1, description="URI of the part credential")
    title: LangMap
    awarding_body: Organisation | None = None
    country: Place | None = None
    issued: datetime | None = None


class MicroCredential(Frozen):
    """A micro-credential described by the Annex I standard elements."""

    id: str | None = None
    issuer_id: str | None = Field(
        None, description="The issuer's id, when the issuer is not the first awarding body"
    )
    achievement_id: str | None = Field(
        None, description="Id of the claim: the learning achievement (ELM LearningAchievement)"
    )
    specification_id: str | None = Field(
        None, description="Id of what was achieved (ELM Qualification, OB 3.0 Achievement)"
    )
    learner: Learner | None = None
    title: LangMap | None = None
    description: LangMap | None = None
    issuer_countries: tuple[Place, ...] = ()
    awarding_bodies: tuple[Organisation, ...] = ()
    issued: datetime | None = None
    valid_until: datetime | None = None
    learning_outcomes: tuple[LearningOutcome, ...] = ()
    workload: Workload | None = None
    level: Level | None = None
    assessment_types: tuple[ConceptRef, ...] = ()
    participation: Participation | None = None
    quality_assurance: tuple[QualityAssurance, ...] = ()
    prerequisites: LangMap | None = None
    supervision: ConceptRef | None = None
    grade: Grade | None = None
    stackability: Stackability | None = None
    further_information: LangMap | None = None
    field_of_study: ConceptRef | None = Field(None, description="ISCED-F 2013 field")
    languages: tuple[ConceptRef, ...] = Field((), description="Languages of instruction/assessment")
    parts: tuple[CredentialPart, ...] = Field(
        (), description="Credentials this one is made of (a stacked, larger credential)"
    )
