"""Across formats: OB 3.0 -> model -> ELM -> model -> OB 3.0 keeps every Annex I element."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from microcred.core import annex1
from microcred.core.formats import ob3
from microcred.core.formats.elm import from_elm, to_elm
from microcred.core.model import MicroCredential
from tests.strategies import canonical, complete_credentials, credentials_missing

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def via_json(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(document))
    return result


def ob3_elm_ob3(mc: MicroCredential) -> tuple[MicroCredential, MicroCredential]:
    """(model read from OB 3.0, model read from the OB 3.0 written after the ELM leg)."""
    start = ob3.from_ob3(via_json(ob3.to_ob3(mc))).credential
    middle = from_elm(via_json(to_elm(start))).credential
    end = ob3.from_ob3(via_json(ob3.to_ob3(middle))).credential
    return start, end


@SETTINGS
@given(complete_credentials())
def test_ob3_elm_ob3_keeps_every_annex1_element(mc: MicroCredential) -> None:
    start, end = ob3_elm_ob3(mc)
    assert canonical(end) == canonical(start)
    assert annex1.missing_mandatory(end) == ()
    for element in ("prerequisites", "supervision", "grade", "stackability", "further_information"):
        assert getattr(end, element) == getattr(start, element) is not None


@pytest.mark.parametrize("key", annex1.MANDATORY)
def test_a_missing_element_stays_missing_across_formats(key: str) -> None:
    @settings(max_examples=5, deadline=None)
    @given(credentials_missing(key))
    def check(mc: MicroCredential) -> None:
        start, end = ob3_elm_ob3(mc)
        assert annex1.missing_mandatory(end) == annex1.missing_mandatory(start) == (key,)

    check()
