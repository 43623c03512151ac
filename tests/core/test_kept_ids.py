"""What conversions must keep beside the Annex I facts: ids, salts, other parties' countries."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.cli.describe import example_text
from microcred.core import annex1
from microcred.core.did import DidResolver
from microcred.core.formats.detect import load_document, read_document
from microcred.core.formats.elm import from_elm, to_elm
from microcred.core.formats.ob3 import from_ob3, to_ob3
from microcred.core.formats.ob3_write import EXTENSION_CONTEXT, IDS_CONTEXT
from microcred.core.jsonld import context_index, expand, load_context_file
from microcred.core.keys import KeyPair
from microcred.core.model import (
    ConceptRef,
    Identifier,
    Learner,
    MicroCredential,
    Organisation,
    Place,
)
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.verify import verify

COUNTRY = "http://publications.europa.eu/resource/authority/country/"
VOCAB = "https://w3id.org/microcred/vocab#"
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _example() -> MicroCredential:
    return read_document(load_document(example_text().encode())).credential


def _wire(document: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(document))
    return loaded


def _through_ob3(mc: MicroCredential) -> MicroCredential:
    return from_ob3(_wire(to_ob3(mc))).credential


def _through_elm(mc: MicroCredential) -> MicroCredential:
    return from_elm(_wire(to_elm(mc))).credential


def _kept(mc: MicroCredential) -> MicroCredential:
    """The example with every id, a salted hash, an agency abroad and a co-awarding body."""
    learner = mc.learner or Learner()
    hashed = Identifier(scheme="hashed-emailAddress", value="sha256$abc", salt="pepper")
    partner = Organisation(
        id="urn:epass:org:2",
        name={"en": "Université Partenaire"},
        places=(Place(country=ConceptRef(id=f"{COUNTRY}FRA")),),
    )
    qa = mc.quality_assurance[0].model_copy(
        update={"agency_country": ConceptRef(id=f"{COUNTRY}BEL")}
    )
    outcomes = tuple(
        o.model_copy(update={"id": f"urn:epass:learningOutcome:{i}"})
        for i, o in enumerate(mc.learning_outcomes)
    )
    return mc.model_copy(
        update={
            "issuer_id": "urn:epass:org:issuer",
            "achievement_id": "urn:epass:learningAchievement:1",
            "specification_id": "urn:epass:qualification:1",
            "learner": learner.model_copy(update={"identifiers": (*learner.identifiers, hashed)}),
            "awarding_bodies": (*mc.awarding_bodies, partner),
            "quality_assurance": (qa, *mc.quality_assurance[1:]),
            "learning_outcomes": outcomes,
        }
    )


@pytest.mark.parametrize("through", [_through_ob3, _through_elm], ids=["ob3", "elm"])
def test_ids_salts_and_other_countries_survive(through: Any) -> None:
    mc = _kept(_example())
    back = through(mc)
    assert back.issuer_id == "urn:epass:org:issuer"
    assert back.achievement_id == "urn:epass:learningAchievement:1"
    assert back.specification_id == "urn:epass:qualification:1"
    assert [o.id for o in back.learning_outcomes] == [o.id for o in mc.learning_outcomes]
    assert [b.id for b in back.awarding_bodies] == [b.id for b in mc.awarding_bodies]
    assert back.learner is not None
    assert back.learner.identifiers[-1] == Identifier(
        scheme="hashed-emailAddress", value="sha256$abc", salt="pepper"
    )
    assert [p.country.id for p in back.awarding_bodies[-1].places] == [f"{COUNTRY}FRA"]
    assert back.awarding_bodies[0].places == ()  # the first awarding body is at the issuer's
    agency = back.quality_assurance[0].agency_country
    assert agency is not None
    assert agency.id == f"{COUNTRY}BEL"


def test_the_ob3_document_says_where_each_party_is() -> None:
    document = _wire(to_ob3(_kept(_example())))
    co_awarding = document["coAwardingBody"][-1]
    assert co_awarding["address"]["countryConcept"] == f"{COUNTRY}FRA"
    assert document["issuer"]["id"] == "urn:epass:org:issuer"
    assert document["issuer"]["awardingBodyId"] == "did:web:credentials.univ-example.ro"
    identity = document["credentialSubject"]["identifier"][-1]
    assert (identity["hashed"], identity["salt"]) == (True, "pepper")


def test_the_elm_document_puts_each_party_at_its_own_place() -> None:
    document = _wire(to_elm(_kept(_example())))
    claim = document["credentialSubject"]["hasClaim"][0]
    partner = claim["awardedBy"]["awardingBody"][-1]
    assert partner["id"] == "urn:epass:org:2"
    assert partner["location"][0]["address"][0]["countryCode"]["id"] == f"{COUNTRY}FRA"
    agent = claim["specifiedBy"]["accreditation"][0]["accreditingAgent"]
    assert agent["location"][0]["address"][0]["countryCode"]["id"] == f"{COUNTRY}BEL"
    assert document["issuer"]["id"] == "urn:epass:org:issuer"


def test_new_terms_come_in_their_own_context_only_when_used() -> None:
    plain = to_ob3(_example())
    assert plain["@context"][-1] == EXTENSION_CONTEXT  # documents as before: v1 unchanged
    kept = _wire(to_ob3(_kept(_example())))
    assert kept["@context"][-2:] == [EXTENSION_CONTEXT, IDS_CONTEXT]
    expanded = json.dumps(expand(kept))
    assert f"{VOCAB}claimId" in expanded
    assert f"{VOCAB}qaAgencyCountry" in expanded


def test_the_ids_context_only_adds_terms() -> None:
    v1 = load_context_file(context_index()[EXTENSION_CONTEXT])["@context"]
    ids = load_context_file(context_index()[IDS_CONTEXT])["@context"]
    assert ids["@protected"] is True
    added = {term for term in ids if not term.startswith("@")}
    assert added == {"claimId", "qaAgencyCountry"}
    assert not added & set(v1)
    assert all(ids[term]["@id"] == VOCAB + term for term in added)


def test_an_ob3_issuer_without_a_name_keeps_its_id() -> None:
    document = _wire(to_ob3(_example()))
    document["issuer"] = {"id": "https://example.com/issuers/1", "type": ["Profile"]}
    mc = from_ob3(document).credential
    assert mc.issuer_id == "https://example.com/issuers/1"
    assert to_ob3(mc)["issuer"]["id"] == "https://example.com/issuers/1"


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_document_with_the_ids_context_signs_and_verifies(suite: str) -> None:
    key = KeyPair.from_seed(bytes(range(32)))
    document = to_ob3(_kept(_example()), issuer_id=key.public.did_key)
    assert IDS_CONTEXT in document["@context"]
    signed = sign_document(document, key, key.public.did_key_vm, suite, created=NOW)
    report = verify(signed, resolver=DidResolver(), fetch_document=_no_fetch, now=NOW)
    assert report.verified, [c for c in report.checks if c.status == "failed"]


def _no_fetch(url: str) -> Any:
    raise AssertionError(f"nothing is fetched: {url}")


def test_a_local_edc_id_is_kept_but_identifies_no_learner() -> None:
    mc = _example().model_copy(update={"learner": Learner(id="urn:epass:person:1")})
    back = _through_elm(mc)
    assert back.learner is not None
    assert back.learner.id == "urn:epass:person:1"
    assert "learner" in annex1.check(back).missing
    assert "learner" not in annex1.check(_example()).missing
