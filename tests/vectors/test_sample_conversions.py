"""Conversions keep ids as well as facts (issue 8 §4).

Every official Europass sample (ELM repository, EBSI schema examples, MyNextID) and every
schema-valid OB 3.0 sample (1EdTech spec and validator, Digital Credentials Consortium)
converts to OB 3.0 that the 1EdTech JSON Schema accepts, and the ids of the source
(credential, issuer, learner, claim, specification, awarding bodies, learning outcomes)
survive ELM -> OB 3.0, OB 3.0 -> ELM and ELM -> ELM.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator  # type: ignore[import-untyped]

from microcred.core.errors import NotACredential
from microcred.core.formats.detect import read_document
from microcred.core.formats.elm import to_elm
from microcred.core.formats.elm_nodes import node, nodes, types
from microcred.core.formats.elm_read import unwrap
from microcred.core.formats.ob3 import is_ob3, to_ob3
from microcred.core.model import MicroCredential
from tests.conftest import vectors_path

SCHEMA = ("1edtech-ob3-clr2", "json-schema", "ob_v3p0", "ob_v3p0_achievementcredential_schema.json")
EDC = sorted(p for p in vectors_path("edc", "credentials").iterdir() if p.suffix != ".xml")
OB3_FOLDERS = (  # (vector set, folder, glob)
    ("1edtech-ob3-clr2", "spec-examples", "*.json"),
    ("1edtech-ob3-clr2", "validator-test-resources/ob30", "*.json"),
    ("dcc-vc-test-fixtures", "verifiableCredentials", "**/*.json"),
    ("dcc-verifier-core", "verifiableCredentials", "**/*.json"),
)


@lru_cache(maxsize=1)
def _validator() -> Draft201909Validator:
    return Draft201909Validator(json.loads(vectors_path(*SCHEMA).read_text("utf-8")))


def _schema_errors(document: Mapping[str, Any]) -> list[str]:
    wire = json.loads(json.dumps(document))
    return [f"{list(e.absolute_path)}: {e.message[:160]}" for e in _validator().iter_errors(wire)]


def _load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _ob3_samples() -> Iterator[Path]:
    """OB 3.0 samples that import and are schema-valid themselves (others cannot be asked to be)."""
    for vectors, folder, pattern in OB3_FOLDERS:
        for path in sorted(vectors_path(vectors, *folder.split("/")).glob(pattern)):
            try:
                document = _load(path)
            except ValueError:  # an empty upstream file
                continue
            if isinstance(document, dict) and is_ob3(document) and not _schema_errors(document):
                try:
                    read_document(document)
                except NotACredential:  # a context we do not ship (examples/v2): not imported
                    continue
                yield path


OB3 = list(_ob3_samples())


def _strings(value: Any) -> set[str]:
    """Every string anywhere in a document (ids are strings wherever a format puts them)."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(_strings(item) for item in items)) if items else set()


def _elm_ids(document: Mapping[str, Any]) -> dict[str, str]:
    """The ids of an EDC that name what the model carries, by what they name."""
    doc = unwrap(document)
    subject = node(doc.get("credentialSubject")) or {}
    claims = nodes(subject.get("hasClaim"))
    achievements = [c for c in claims if "LearningAchievement" in types(c)]
    claim = (achievements or claims or [{}])[0]
    spec = node(claim.get("specifiedBy")) or {}
    found = {
        "credential": doc.get("id"),
        "issuer": (node(doc.get("issuer")) or {}).get("id"),
        "learner": subject.get("id"),
        "claim": claim.get("id"),
        "specification": spec.get("id"),
    }
    process = node(claim.get("awardedBy")) or {}
    for index, body in enumerate(nodes(process.get("awardingBody"))):
        found[f"awarding body {index}"] = body.get("id")
    for index, outcome in enumerate(nodes(spec.get("learningOutcome"))):
        found[f"learning outcome {index}"] = outcome.get("id")
    return {what: value for what, value in found.items() if isinstance(value, str)}


def _lost(ids: dict[str, str], document: Mapping[str, Any]) -> list[str]:
    present = _strings(document)
    return [f"{what} {value}" for what, value in ids.items() if value not in present]


@pytest.mark.parametrize("path", EDC, ids=lambda p: p.name)
def test_every_europass_sample_converts_to_schema_valid_ob3(path: Path) -> None:
    document = _load(path)
    ob3 = to_ob3(read_document(document).credential)
    assert _schema_errors(ob3) == []
    issuer = node(unwrap(document).get("issuer")) or {}
    assert ob3["issuer"]["id"] == issuer["id"]


@pytest.mark.parametrize("path", EDC, ids=lambda p: p.name)
def test_ids_of_every_europass_sample_survive_both_ways(path: Path) -> None:
    document = _load(path)
    ids = _elm_ids(document)
    assert {"credential", "issuer", "learner", "claim"} <= set(ids)
    model = read_document(document).credential
    ob3 = json.loads(json.dumps(to_ob3(model)))
    assert _lost(ids, ob3) == []
    assert _lost(ids, to_elm(read_document(ob3).credential)) == []
    assert _lost(ids, to_elm(model)) == []
    assert _model_ids(read_document(ob3).credential) == _model_ids(model)


def _model_ids(mc: MicroCredential) -> tuple[Any, ...]:
    return (
        mc.id, mc.issuer_id, mc.achievement_id, mc.specification_id,
        mc.learner.id if mc.learner else None,
        [body.id for body in mc.awarding_bodies],
        [outcome.id for outcome in mc.learning_outcomes],
    )  # fmt: skip


@pytest.mark.parametrize("path", OB3, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_valid_ob3_sample_stays_schema_valid_with_its_ids(path: Path) -> None:
    document = _load(path)
    ob3 = to_ob3(read_document(document).credential)
    assert _schema_errors(ob3) == []
    issuer = document["issuer"]
    assert ob3["issuer"]["id"] == (issuer if isinstance(issuer, str) else issuer["id"])
    assert ob3["id"] == document["id"]
    subject = document["credentialSubject"]
    assert ob3["credentialSubject"].get("id") == subject.get("id")
    achievement = subject.get("achievement", {})
    assert ob3["credentialSubject"]["achievement"].get("id") == achievement.get("id")
    elm = to_elm(read_document(ob3).credential)
    ids = [document["id"], ob3["issuer"]["id"], subject.get("id"), achievement.get("id")]
    assert [i for i in ids if i and i not in _strings(elm)] == []


def test_the_samples_are_found() -> None:
    assert len(EDC) >= 12
    assert len(OB3) >= 60
