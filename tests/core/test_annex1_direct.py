"""Annex I completeness read straight from the JSON gives the full reading's result (issue 10).

:func:`~microcred.core.formats.ob3_annex1.direct_judgement` skips building the model; it must
answer exactly as the full reading (``from_ob3`` + ``annex1.check``) or not at all. Compared on
every JSON document of the shared vectors, on generated micro-credentials (complete, and
missing each mandatory element) and on generated damage to them: values replaced by odd ones,
keys removed, keys added.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.annex1 import MANDATORY
from microcred.core.formats.ob3 import to_ob3
from microcred.core.formats.ob3_annex1 import direct_judgement
from microcred.core.model import MicroCredential
from microcred.core.verification.checks import claims_micro_credential
from microcred.core.verification.completeness import (
    NOT_A_MICRO_CREDENTIAL,
    Completeness,
    completeness_of,
    read_completeness,
)
from tests.conftest import VECTORS
from tests.core.test_verify import example_ob3
from tests.strategies import complete_credentials, credentials_missing

ISSUER = "did:key:z6MkjZ2p6g7zpN6Q5MJM8j9cYRkCHRCJe32e9nyZm1XawacF"


def _documents(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object of a file that could be a credential (top level, or in a list)."""
    if isinstance(value, dict):
        yield value
        for key in ("verifiableCredential", "credential", "input", "document"):
            yield from _documents(value.get(key))
    elif isinstance(value, list):
        for item in value:
            yield from _documents(item)


def _vector_documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(VECTORS.rglob("*.json*")) if VECTORS.exists() else []:
        if path.stat().st_size > 200_000 or not path.is_file():
            continue
        try:
            value = json.loads(path.read_text("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        found += [(str(path.relative_to(VECTORS)), d) for d in _documents(value)]
    return found


def full_reading(document: dict[str, Any]) -> Completeness:
    """Completeness as it was read before the direct reader: the model, then Annex I."""
    if not claims_micro_credential(document):
        return NOT_A_MICRO_CREDENTIAL
    return read_completeness(document)


def _outcome(judge: Callable[[dict[str, Any]], Completeness], document: dict[str, Any]) -> Any:
    try:
        return judge(document)
    except Exception as exc:
        return type(exc), str(exc)


def same(document: dict[str, Any]) -> bool:
    """Whether the direct reader answered (it then must agree with the full reading)."""
    found = _outcome(completeness_of, document)
    assert found == _outcome(full_reading, document), json.dumps(document)[:2000]
    return isinstance(found, Completeness) and direct_judgement(document) is not None


def ob3(mc: MicroCredential) -> dict[str, Any]:
    return to_ob3(mc, credential_id="urn:uuid:0b3c6e2a-1111-4c2e-9a55-000000000002",
                  issuer_id=ISSUER)  # fmt: skip


def test_the_bundled_micro_credential_is_judged_directly_and_complete() -> None:
    document = example_ob3()
    assert same(document)
    assert completeness_of(document).state == "complete"


def test_every_vector_document_gets_the_full_readings_result() -> None:
    documents = _vector_documents()
    if not documents:
        pytest.skip(f"vectors not available: {VECTORS}")
    for _, document in documents:  # the vectors' OB 3.0 credentials do not claim Annex I:
        same(document)  # the reader must still agree (by stepping aside or not)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complete_credentials())
def test_generated_complete_credentials_are_judged_directly(mc: MicroCredential) -> None:
    document = ob3(mc)
    assert same(document)  # answered directly, and the same
    assert completeness_of(document).state == "complete"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MANDATORY).flatmap(lambda key: credentials_missing(key)))
def test_generated_incomplete_credentials_get_the_same_missing_elements(
    mc: MicroCredential,
) -> None:
    document = ob3(mc)
    same(document)
    assert completeness_of(document).state == "incomplete"


# values a credential may hold where another is expected: empty, wrong types, bad dates,
# concepts of the wrong scheme or none, codes, language maps, value objects
ODD_VALUES: list[Any] = [
    None, "", " ", "x", 0, -1, 5, 61, 2.5, "5", "abc", True, False, [], {}, [None], ["x"],
    {"id": ""}, {"en": ""}, {"en": "Text"}, {"xx-!": "Text"}, {"@value": "Text", "@language": "fr"},
    "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00:00Z", "2020-01-01T00:00:00+02:00",
    "2999-01-01T00:00:00Z", "not a date", "PT60H", "P2M", "P1Y", "RO", "ro", "XX", "France",
    "RO32", "FR10", "Bucuresti", "0613", "0613 Software", "9999 Nothing", "en-GB", "fr",
    "stand-alone", "stackable", "hashed", "ext:", "ext:hashed-", "ext:birthDate", "name",
    "emailAddress", "urn:epass:x", "did:example:learner", "https://example.org/x",
    "http://data.europa.eu/snb/eqf/6", "http://data.europa.eu/snb/eqf/9",
    "http://data.europa.eu/snb/qf-ehea/1", "http://publications.europa.eu/resource/authority/country/ROU",
    "http://publications.europa.eu/resource/authority/country/FRA",
    "http://data.europa.eu/nuts/code/RO32", "http://data.europa.eu/nuts/code/FR10",
    "http://data.europa.eu/snb/supervision-verification/1", "http://data.europa.eu/esco/skill/x",
    "EQF", "European Qualifications Framework", "Alignment", "CFItem", "ceterms:Credential",
    {"id": "http://data.europa.eu/snb/eqf/5"}, {"targetUrl": "http://data.europa.eu/snb/eqf/4"},
    {"targetType": ["x"]}, {"qaType": None}, {"identityHash": "", "identityType": "name"},
    {"identityHash": "x", "identityType": "ext:birthDate"}, {"value": ""}, {"value": "9"},
    {"addressCountry": "Romania"}, {"addressCountryCode": "RO", "addressRegion": "RO32"},
    {"addressCountryCode": "FR", "addressRegion": "RO32"}, {"targetTitle": {"en": "Next"}},
]  # fmt: skip
KEYS = [
    "coAwardingBody", "learningOutcome", "creditsAvailable", "workloadHours", "workloadDuration",
    "qfEheaCycle", "nqfLevel", "supervisionVerification", "iscedField", "fieldOfStudy",
    "instructionLanguage", "inLanguage", "stackability", "stackableTowards", "result", "identifier",
    "address", "additionalAddress", "regionConcept", "addressRegion", "addressCountry",
    "addressCountryCode", "countryConcept", "qaType", "qaValidFrom", "qaValidUntil", "validFrom",
    "validUntil", "issuanceDate", "expirationDate", "awardedDate", "alignment", "targetType",
    "targetUrl", "targetCode", "targetFramework", "targetName", "microcred", "name", "nameMap",
    "assessmentType", "participationMode", "learningSetting", "learningActivity",
    "qualityAssurance", "achievementType", "id", "@context", "type", "outcomeText", "hashed",
    "identityHash", "identityType", "value",
]  # fmt: skip


def _places(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of ``value``."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in pairs:
            found.append((item, key))
            if isinstance(child, dict | list):
                stack.append(child)
    return found


@cache
def _example() -> dict[str, Any]:
    return example_ob3()


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A generated micro-credential (or the bundled one) with one to three changes."""
    base = draw(st.one_of(st.just(None), complete_credentials()))
    document = copy.deepcopy(_example() if base is None else ob3(base))
    for _ in range(draw(st.integers(1, 3))):
        places = _places(document)
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        value = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        if action == "replace" or (action == "remove" and isinstance(container, list)):
            container[key] = value
        elif action == "remove":
            del container[key]
        else:
            target = container[key] if isinstance(container[key], dict) else container
            if isinstance(target, dict):
                target[draw(st.sampled_from(KEYS))] = value
            else:
                target.append(value)
    return document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_credentials_get_the_full_readings_result(document: dict[str, Any]) -> None:
    same(document)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_many_damaged_credentials_get_the_full_readings_result(document: dict[str, Any]) -> None:
    same(document)


def test_the_direct_reader_steps_aside_for_what_it_cannot_judge() -> None:
    document = example_ob3()
    document["issuer"]["address"]["addressCountry"] = "Romania"  # a country by name
    document["issuer"]["address"].pop("addressCountryCode", None)
    document["issuer"]["address"].pop("countryConcept", None)
    assert direct_judgement(document) is None
    assert completeness_of(document) == full_reading(document)
