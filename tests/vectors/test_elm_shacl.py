"""Our EDC exports against the ELM 3.2 SHACL shapes, offline (pyld with packaged contexts ->
N-Quads -> rdflib -> pyshacl); the official samples are validated too, to check the harness."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from microcred.core.coding import concept
from microcred.core.errors import NotACredential
from microcred.core.formats.elm import to_elm, unwrap
from microcred.core.jsonld import to_nquads
from microcred.core.model import (
    Grade,
    Identifier,
    Learner,
    LearningOutcome,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    Place,
    QualityAssurance,
    Stackability,
    StackTarget,
    Workload,
)
from tests.conftest import vectors_path
from tests.strategies import complete_credentials

rdflib = pytest.importorskip("rdflib")
pyshacl = pytest.importorskip("pyshacl")

SHAPES = ("generic-no-cv", "generic-full")
SH = "http://www.w3.org/ns/shacl#"
SNB = "http://data.europa.eu/snb"
AUTH = "http://publications.europa.eu/resource/authority"


@pytest.fixture(scope="module")
def shapes() -> dict[str, Any]:
    """The shapes graphs, parsed once; generic-full imports generic-no-cv (merged here)."""
    no_cv = rdflib.Graph().parse(vectors_path("edc", "shacl", "elm-3.2-EDC-generic-no-cv.ttl"))
    full = rdflib.Graph().parse(vectors_path("edc", "shacl", "elm-3.2-EDC-generic-full.ttl"))
    return {"generic-no-cv": no_cv, "generic-full": full + no_cv}


def violations(document: dict[str, Any], shapes_graph: Any) -> set[str]:
    """The local names of the paths whose constraints the document violates (empty: conforms)."""
    data = rdflib.Graph().parse(data=to_nquads(document), format="nquads")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none")
    paths = {
        str(path).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        for path in report.objects(None, rdflib.URIRef(SH + "resultPath"))
    }
    assert conforms == (not paths)
    return paths


UNI = Organisation(
    id="https://www.uni.example/",
    name={"en": "University of Example", "fr": "Université d'Exemple"},
    identifiers=(Identifier(scheme="eidas", value="BE-0123456789"),),
)
MINIMAL = MicroCredential(
    learner=Learner(full_name="Ana Andromeda"),
    title={"en": "Data literacy"},
    issuer_countries=(Place(country=concept(f"{AUTH}/country/BEL")),),
    awarding_bodies=(UNI,),
    issued=datetime(2025, 6, 30, 12, 0, tzinfo=UTC),
    learning_outcomes=(LearningOutcome(text={"en": "Reads a chart critically"}),),
    workload=Workload(ects=Decimal(2)),
    level=Level(eqf=concept(f"{SNB}/eqf/6")),
    assessment_types=(concept(f"{SNB}/assessment/6e6cb2cc78"),),
    participation=Participation(mode=concept(f"{SNB}/learning-assessment/920fbb3cbe")),
    quality_assurance=(
        QualityAssurance(type=concept(f"{SNB}/accreditation/c_64666c29"), agency={"en": "AEQES"}),
    ),
)
PARTNER = Organisation(
    id="did:web:partner.example",
    name={"ro": "Universitatea Parteneră"},
    identifiers=(
        Identifier(scheme="vat", value="RO123"),
        Identifier(scheme="erasmus", value="RO X"),
    ),
    homepage="https://partner.example",
    email="info@partner.example",
    logo="https://cdn.example/logo.png",
)
MAXIMAL = MINIMAL.model_copy(
    update={
        "id": "urn:uuid:6f1c7c3e-0000-4000-8000-000000000001",
        "learner": Learner(
            id="did:example:ana",
            full_name="Ana Andromeda",
            given_name="Ana",
            family_name="Andromeda",
            email="ana@example.org",
            birth_date=date(1999, 10, 1),
            identifiers=(Identifier(scheme="national-id", value="LA-234218"),),
        ),
        "description": {"en": "Short course", "ro": "Curs scurt"},
        "issuer_countries": (
            Place(
                country=concept(f"{AUTH}/country/BEL"),
                region=concept("http://data.europa.eu/nuts/code/BE1"),
            ),
            Place(country=concept(f"{AUTH}/country/ROU")),
        ),
        "awarding_bodies": (
            UNI.model_copy(update={"logo": "data:image/png;base64,iVBORw0K"}),
            PARTNER,
        ),
        "valid_until": datetime(2030, 6, 30, tzinfo=UTC),
        "learning_outcomes": (
            LearningOutcome(
                text={"en": "Reads a chart", "fr": "Lit un graphique"},
                skills=("http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a",),
            ),
            LearningOutcome(text={"en": "Explains a model"}),
        ),
        "workload": Workload(ects=Decimal("2.5"), hours=Decimal(70)),
        "level": Level(
            eqf=concept(f"{SNB}/eqf/6"),
            qf_ehea=concept("https://w3id.org/microcred/vocab/qf-ehea/first-cycle"),
            nqf=concept(f"{SNB}/qdr/c_c392e7a2"),
        ),
        "assessment_types": (
            concept(f"{SNB}/assessment/6e6cb2cc78"),
            concept(f"{SNB}/assessment/4f03b91c0e"),
        ),
        "participation": Participation(
            mode=concept(f"{SNB}/learning-assessment/e92d221e4d"),
            setting=concept(f"{SNB}/learning-setting/e207a81fc7"),
            activity=concept(f"{SNB}/learning-activity/59eaf34fab"),
        ),
        "quality_assurance": (
            QualityAssurance(
                type=concept(f"{SNB}/accreditation/c_1f1a469a"),
                id="https://data.deqar.eu/report/1",
                agency={"en": "ARACIS"},
                agency_id="https://data.deqar.eu/agency/10",
                decision={"en": "positive"},
                report="https://reports.example/1.pdf",
                valid_from=date(2020, 1, 1),
                valid_until=date(2026, 1, 1),
            ),
        ),
        "prerequisites": {"en": "None"},
        "supervision": concept(
            "https://w3id.org/microcred/vocab/supervision/supervised-online-id-verification"
        ),
        "grade": Grade(value="9/10", scheme={"en": "Romanian 1-10 scale"}),
        "stackability": Stackability(
            kind="stackable",
            towards=(
                StackTarget(title={"en": "MSc Data Science"}, id="https://programmes.example/msc"),
                StackTarget(title={"en": "Certificate"}),
            ),
        ),
        "further_information": {"en": "See the course page"},
        "field_of_study": concept(f"{SNB}/isced-f/0688"),
        "languages": (concept(f"{AUTH}/language/ENG"), concept(f"{AUTH}/language/RON")),
    }
)
EXPORTS = {
    "minimal": MINIMAL,
    "maximal": MAXIMAL,
    "stand-alone, ungraded, hours only": MINIMAL.model_copy(
        update={
            "workload": Workload(hours=Decimal(60)),
            "stackability": Stackability(kind="stand-alone"),
            "supervision": concept(
                "https://w3id.org/microcred/vocab/supervision/supervised-no-id-verification"
            ),
        }
    ),
    "graded without assessment type": MINIMAL.model_copy(
        update={
            "grade": Grade(value="A"),
            "assessment_types": (),
        }
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", list(EXPORTS))
def test_export_conforms(name: str, shape: str, shapes: dict[str, Any]) -> None:
    assert violations(to_elm(EXPORTS[name]), shapes[shape]) == set()


def _sealable(mc: MicroCredential) -> MicroCredential:
    """What EDC needs beyond Annex I: an agency name per QA, a legal identifier for the issuer."""
    qas = tuple(
        qa if qa.agency else qa.model_copy(update={"agency": {"en": "Agency"}})
        for qa in mc.quality_assurance
    )
    issuer = mc.awarding_bodies[0]
    issuer = issuer.model_copy(
        update={"identifiers": (*issuer.identifiers, Identifier(scheme="eidas", value="EIDAS-1"))}
    )
    return mc.model_copy(
        update={"quality_assurance": qas, "awarding_bodies": (issuer, *mc.awarding_bodies[1:])}
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_generated_exports_conform(shape: str, shapes: dict[str, Any]) -> None:
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(complete_credentials().map(_sealable))
    def check(mc: MicroCredential) -> None:
        assert violations(to_elm(mc), shapes[shape]) == set()

    check()


@pytest.mark.parametrize("shape", SHAPES)
def test_what_annex1_lacks_for_edc_is_all_that_fails(shape: str, shapes: dict[str, Any]) -> None:
    """Without a legal identifier of the issuer or a QA agency, only those constraints fail."""
    bare = MINIMAL.model_copy(
        update={
            "awarding_bodies": (UNI.model_copy(update={"identifiers": ()}),),
            "quality_assurance": (
                QualityAssurance(type=concept(f"{SNB}/accreditation/c_64666c29")),
            ),
        }
    )
    assert violations(to_elm(bare), shapes[shape]) == {
        "eidasLegalIdentifier",
        "issuer",
        "accreditingAgent",
    }


# Official samples: (violated paths with generic-no-cv, with generic-full); None = no RDF.
SAMPLES: dict[str, tuple[set[str], set[str]] | None] = {
    "elm-Sample-MC-Annex1-signed.jsonld": (set(), set()),
    "elm-Sample-CertOfPart-signed.jsonld": (set(), set()),
    "elm-3.2-rdf-samples-credential-sample.jsonld": (set(), set()),
    # unsigned: no `issued`, no eIDAS identifier of the issuer (both come with the seal)
    "elm-Sample-MC-Annex1-unsigned.jsonld": ({"issued", "issuer", "eidasLegalIdentifier"},) * 2,
    "elm-Sample-MC-Annex1-unsigned-uploadable.json": ({"issued", "issuer", "eidasLegalIdentifier"},)
    * 2,
    "elm-Sample-CertOfPart-unsigned.jsonld": ({"issued", "issuer", "eidasLegalIdentifier"},) * 2,
    # ELM 3.1 sample: no individualDisplay, no eIDAS identifier
    "elm-3.1-rdf-samples-credential-sample.jsonld": (
        {"issuer", "eidasLegalIdentifier", "individualDisplay"},
    )
    * 2,
    # negative fixture: empty content, conflicting labels, wrong class, urn: ESCO skills
    "mynextid-edc-mc-example.json": (
        {"content", "prefLabel", "specifiedBy"},
        {"content", "prefLabel", "specifiedBy", "inScheme", "relatedESCOSkill"},
    ),
    "mynextid-edc-mc-signed.jsonld": (
        {"content", "prefLabel", "specifiedBy"},
        {"content", "prefLabel", "specifiedBy", "inScheme", "relatedESCOSkill"},
    ),
    # VC 2.0 context + EDC context: the EDC context redefines protected VC 2.0 terms
    "ebsi-vcdm2-edc-example-Microcredential-Data-and-software-business.json": None,
    "ebsi-vcdm2-edc-example-DigiComp-Generic.json": None,
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", list(SAMPLES))
def test_official_samples(name: str, shape: str, shapes: dict[str, Any]) -> None:
    document = unwrap(json.loads(vectors_path("edc", "credentials", name).read_text("utf-8")))
    expected = SAMPLES[name]
    if expected is None:
        with pytest.raises(NotACredential, match="JSON-LD"):
            to_nquads(document)
        return
    assert violations(dict(document), shapes[shape]) == expected[SHAPES.index(shape)]
