"""A validated (informal learning, recognition of prior learning) micro-credential in the EDC
export: it conforms to the ELM 3.2 shapes, controlled-vocabulary checks included, and its
learning setting reads back."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.core.coding import concept
from microcred.core.formats.elm import from_elm, to_elm
from microcred.core.model import Participation
from microcred.core.vocab.loaders import INFORMAL_LEARNING, RECOGNITION_OF_PRIOR_LEARNING
from tests.vectors.test_elm_shacl import MINIMAL, SHAPES, SNB, shapes, violations

__all__ = ["shapes"]  # the fixture, shared with the main SHACL tests

VALIDATED = MINIMAL.model_copy(update={
    "assessment_types": (concept(RECOGNITION_OF_PRIOR_LEARNING),
                         concept(f"{SNB}/assessment/4f03b91c0e")),
    "participation": Participation(mode=concept(f"{SNB}/learning-assessment/9191af2ed9"),
                                   setting=concept(INFORMAL_LEARNING)),
    "further_information": {"en": "Validated by portfolio"},
})  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES)
def test_informal_learning_conforms_to_the_edc_shapes(shape: str, shapes: dict[str, Any]) -> None:
    document = to_elm(VALIDATED)
    spec = document["credentialSubject"]["hasClaim"][0]["specifiedBy"]
    assert "learningSetting" not in spec  # the EU list has no informal learning
    assert violations(document, shapes[shape]) == set()


def test_the_informal_setting_and_the_further_information_read_back() -> None:
    imported = from_elm(to_elm(VALIDATED))
    participation = imported.credential.participation
    assert participation is not None
    assert participation.setting is not None
    assert participation.setting.id == INFORMAL_LEARNING
    assert imported.credential.further_information == {"en": "Validated by portfolio"}
    assert [a.id for a in imported.credential.assessment_types] == [
        a.id for a in VALIDATED.assessment_types
    ]
