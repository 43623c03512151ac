"""A larger credential's parts in the EDC export: they conform to the ELM 3.2 shapes and are
read back (id, title, date)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.core.coding import concept
from microcred.core.formats.elm import from_elm, to_elm
from microcred.core.model import CredentialPart, Organisation, Place
from tests.vectors.test_elm_shacl import AUTH, MINIMAL, SHAPES, UNI, shapes, violations

__all__ = ["shapes"]  # the fixture, shared with the main SHACL tests

MOOC = Organisation(id="did:web:mooc.example", name={"fr": "MOOC Exemple"})
LARGER = MINIMAL.model_copy(update={"parts": (
    CredentialPart(id="urn:uuid:part-1", title={"en": "Statistics"}, awarding_body=UNI,
                   country=Place(country=concept(f"{AUTH}/country/BEL")),
                   issued=datetime(2025, 1, 10, tzinfo=UTC)),
    CredentialPart(id="urn:uuid:part-2", title={"en": "Python", "fr": "Python"},
                   awarding_body=MOOC, country=Place(country=concept(f"{AUTH}/country/FRA")),
                   issued=datetime(2025, 3, 5, tzinfo=UTC)),
)})  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
def test_parts_conform_to_the_edc_shapes(shape: str, shapes: dict[str, Any]) -> None:
    document = to_elm(LARGER)
    claim = document["credentialSubject"]["hasClaim"][0]
    assert [p["title"]["en"] for p in claim["hasPart"]] == ["Statistics", "Python"]
    assert violations(document, shapes[shape]) == set()


def test_parts_are_read_back_from_the_edc() -> None:
    imported = from_elm(to_elm(LARGER))
    assert [(p.id, p.title, p.issued) for p in imported.credential.parts] == [
        (p.id, p.title, p.issued) for p in LARGER.parts
    ]
