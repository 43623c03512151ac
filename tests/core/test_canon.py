"""The canonicalizer as the proofs use it: exact escaping, hash choice, the Protocol."""

from __future__ import annotations

import hashlib

from microcred.core.canon import Canonicalizer, PyldCanonicalizer


def test_control_characters_are_escaped_as_rdfc_1_0_requires() -> None:
    document = {"@id": "urn:x", "urn:p": 'a\bb\fc\x00d\x7fe"\\\n\r\t'}
    canonical = PyldCanonicalizer().canonize(document)
    assert canonical == '<urn:x> <urn:p> "a\\bb\\fc\\u0000d\\u007Fe\\"\\\\\\n\\r\\t" .\n'


def test_hash_choice() -> None:
    assert PyldCanonicalizer().hash(b"x") == hashlib.sha256(b"x").digest()
    assert PyldCanonicalizer("sha384").hash(b"x") == hashlib.sha384(b"x").digest()


def test_blank_nodes_get_canonical_labels_whatever_the_input_order() -> None:
    one = {"@id": "urn:a", "urn:p": [{"urn:q": "1"}, {"urn:q": "2"}]}
    two = {"@id": "urn:a", "urn:p": [{"urn:q": "2"}, {"urn:q": "1"}]}
    canonicalizer: Canonicalizer = PyldCanonicalizer()
    assert canonicalizer.canonize(one) == canonicalizer.canonize(two)
    assert "_:c14n0" in canonicalizer.canonize(one)
