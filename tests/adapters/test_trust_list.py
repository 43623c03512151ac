"""Reading an EU Trusted List (ETSI TS 119 612) with signxml: the anchors of granted services,
and every list that cannot be trusted refused with the reason."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization

from microcred.adapters.trust_list import load_trust_list, read_trust_list
from microcred.core.errors import InvalidTrustList
from tests.seal_pki import pki
from tests.trust_list_xml import GRANTED, WITHDRAWN, operator, signed_list, unsigned_list


def test_granted_services_are_the_anchors() -> None:
    good, gone = pki("good"), pki("gone")
    trust = read_trust_list(signed_list([(good.root, GRANTED), (gone.root, WITHDRAWN)]), "ro.xml")
    assert [a.certificate for a in trust.anchors] == [good.root]
    anchor = trust.anchors[0]
    assert (anchor.service, anchor.provider, anchor.territory) == (
        "Qualified eSeal CA 1", "Test Trust Services SRL", "RO")  # fmt: skip
    assert "ro.xml (RO, signed by" in trust.source
    assert "not pinned" in trust.source
    pinned = read_trust_list(signed_list([(good.root, GRANTED)]), "ro.xml", operator()[0])
    assert "not pinned" not in pinned.source


def test_lists_that_cannot_be_trusted_are_refused() -> None:
    good, other = pki("good"), pki("other")
    signed = signed_list([(good.root, GRANTED)])
    with pytest.raises(InvalidTrustList, match="not signed"):
        read_trust_list(unsigned_list([(good.root, GRANTED)]), "x.xml")
    der = good.root.public_bytes(serialization.Encoding.DER)
    other_der = other.root.public_bytes(serialization.Encoding.DER)
    swapped = signed.replace(base64.b64encode(der), base64.b64encode(other_der))
    with pytest.raises(InvalidTrustList, match="signature does not hold"):
        read_trust_list(swapped, "x.xml")
    with pytest.raises(InvalidTrustList, match="signature does not hold"):
        read_trust_list(signed, "x.xml", other.root)  # pinned to another signer
    with pytest.raises(InvalidTrustList, match="not XML"):
        read_trust_list(b"<nope", "x.xml")


def test_an_unusable_file_gives_no_anchors_and_says_why() -> None:
    trust = load_trust_list("/nonexistent/tl.xml")
    assert trust.anchors == ()
    assert "tl.xml, which cannot be read" in trust.source
