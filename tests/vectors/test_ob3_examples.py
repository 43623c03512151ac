"""The OB 3.0 spec examples and the 1EdTech validator's test resources import as expected.

Import reads facts; it does not verify. Credentials the validator rejects for their proof,
status, expiry or schema still import (``verify`` reports those); only documents that are not
OB 3.0 achievement credentials raise ``NotACredential``. A CLR 2.0 bundle is read apart and
each credential it bundles is imported.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.core.errors import NotACredential
from microcred.core.formats.base import Imported
from microcred.core.formats.clr import is_clr, part_document, read_clr
from microcred.core.formats.detect import load_document
from microcred.core.formats.ob3 import from_ob3, is_ob3
from tests.conftest import VECTORS, vectors_path

OB3 = "1edtech-ob3-clr2"
ITXT_KEYWORD = b"openbadgecredential\x00"


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _index(*parts: str) -> Any:
    path = VECTORS.joinpath(OB3, *parts)
    return _json(path) if path.exists() else {}


SPEC_EXAMPLES = [entry["file"] for entry in _index("spec-examples", "INDEX.json")]
EXPECTATIONS: dict[str, Any] = {
    name: body
    for name, body in _index("validator-test-resources", "EXPECTATIONS.json").items()
    if not name.startswith("_")
}
# Resources that are not OB 3.0 achievement credentials: the reader refuses them.
NOT_OB3 = {
    "ob30/simple-err-type.json": "type OtherCredential, not OpenBadgeCredential",
    "ob30/bit-string-list/testlist": "a BitstringStatusListCredential",
    "ob30/endorsement-valid.json": "an EndorsementCredential",
    "ob30/endorsement-err-schema-status-refresh.json": "an EndorsementCredential",
}
# What the reader itself reports for resources the validator rejects (beyond proofs and status).
READER_FINDS = {
    "ob30/simple-err-issuer.json": "awarding_bodies",
    "ob30/velocity.jwt": "awarding_bodies",
}


def _png_credential(data: bytes) -> bytes:
    """The text of the ``openbadgecredential`` iTXt chunk of a baked PNG."""
    at = 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"iTXt" and body.startswith(ITXT_KEYWORD):
            rest = body[len(ITXT_KEYWORD) :]
            compressed, rest = rest[0], rest[2:]
            rest = rest.split(b"\x00", 2)[2]  # language tag, translated keyword
            return zlib.decompress(rest) if compressed else rest
        at += 12 + length
    raise AssertionError("no openbadgecredential chunk")


def _svg_credential(data: bytes) -> bytes:
    """The credential of a baked SVG: the ``verify`` JWT or the CDATA JSON."""
    text = data.decode("utf-8")
    found = re.search(r'<openbadges:credential[^>]*verify="([^"]+)"', text) or re.search(
        r"<openbadges:credential[^>]*>\s*<!\[CDATA\[(.*?)\]\]>", text, re.DOTALL
    )
    assert found, "no openbadges:credential element"
    return found.group(1).strip().encode("utf-8")


def _load(path: Path) -> Mapping[str, Any]:
    data = path.read_bytes()
    if path.suffix == ".png":
        data = _png_credential(data)
    elif path.suffix == ".svg":
        data = _svg_credential(data)
    return load_document(data)


def _instant(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _assert_recovered(source: Mapping[str, Any], imported: Imported) -> None:
    """The achievement name, the issuer and the dates are those of the source."""
    mc = imported.credential
    subject = source.get("credentialSubject", {})
    name = subject.get("achievement", {}).get("name") if isinstance(subject, dict) else None
    name = name or source.get("name")  # the credential's name stands in for a missing one
    if isinstance(name, str):
        assert mc.title is not None
        assert name in mc.title.values()
    else:
        assert "title" in {p.element for p in imported.problems}
    issuer = source.get("issuer")
    if isinstance(issuer, str) or (isinstance(issuer, dict) and issuer.get("name")):
        issuer_id = issuer if isinstance(issuer, str) else issuer.get("id")
        assert mc.awarding_bodies[0].id == issuer_id
    else:
        assert "awarding_bodies" in {p.element for p in imported.problems}
    assert mc.issued == _instant(source.get("validFrom") or source.get("issuanceDate"))
    assert mc.valid_until == _instant(source.get("validUntil") or source.get("expirationDate"))


def _assert_bundle_read(document: Mapping[str, Any], expected: str) -> None:
    """A CLR 2.0 is not itself OB 3.0: each bundled credential is, and reads as one."""
    assert is_clr(document)
    assert not is_ob3(document)
    with pytest.raises(NotACredential):
        from_ob3(document)
    bundle = read_clr(document)
    assert bundle.parts
    for part in map(part_document, bundle.parts):  # a VC-JWT CLR bundles VC-JWTs
        imported = from_ob3(part)
        _assert_recovered(part, imported)
        if expected in ("valid", "warning"):
            assert imported.credential.title


@pytest.mark.parametrize("name", SPEC_EXAMPLES)
def test_spec_example(name: str) -> None:
    document = _json(vectors_path(OB3, "spec-examples", name))
    types = document.get("type", [])
    if "OpenBadgeCredential" not in types and "AchievementCredential" not in types:
        assert not is_ob3(document)
        with pytest.raises(NotACredential):
            from_ob3(document)
        return
    assert is_ob3(document)
    _assert_recovered(document, from_ob3(document))


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_validator_resource(name: str) -> None:
    expected = EXPECTATIONS[name]["expect"]
    document = _load(vectors_path(OB3, "validator-test-resources", name))
    if name.startswith("clr20/"):
        _assert_bundle_read(document, expected)
        return
    if name in NOT_OB3:
        assert not is_ob3(document), NOT_OB3[name]
        with pytest.raises(NotACredential):
            from_ob3(document)
        return
    imported = from_ob3(document)
    _assert_recovered(document, imported)
    if name in READER_FINDS:
        assert READER_FINDS[name] in {p.element for p in imported.problems}
    if expected in ("valid", "warning"):
        assert imported.credential.awarding_bodies
        assert imported.credential.title


def test_expected_outcomes_are_all_known() -> None:
    """Every validator outcome is one this module handles (valid, warning, invalid...)."""
    outcomes = {body["expect"].split(" ")[0] for body in EXPECTATIONS.values()}
    assert outcomes <= {"valid", "warning", "invalid", "probe", "no", "(test"}
