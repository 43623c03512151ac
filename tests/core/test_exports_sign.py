"""Every OB 3.0 and ELM export is JSON-LD with every term defined, so a proof covers all of it.

The canonicaliser runs in safe mode: a term the context does not define would be dropped from
the signed data without it, so an export that fails here would carry unsigned facts.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from microcred.core.canon import PyldCanonicalizer
from microcred.core.formats.elm import to_elm
from microcred.core.formats.ob3 import to_ob3
from microcred.core.model import MicroCredential
from tests.strategies import complete_credentials

CANON = PyldCanonicalizer()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complete_credentials())
def test_ob3_exports_canonicalise_in_safe_mode(mc: MicroCredential) -> None:
    nquads = CANON.canonize(to_ob3(mc))
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement>" in nquads


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complete_credentials())
def test_elm_exports_canonicalise_in_safe_mode(mc: MicroCredential) -> None:
    nquads = CANON.canonize(to_elm(mc))
    if mc.quality_assurance and mc.quality_assurance[0].valid_from:
        assert "<http://purl.org/dc/terms/issued>" in nquads
