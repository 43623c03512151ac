"""Keys: signatures, Multikey, JWK, did:key and encrypted key files for all three key types."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.errors import InvalidKey
from microcred.core.keys import KeyPair, KeyType, PublicKey

TYPES = list(KeyType)
# Multikey prefixes from the W3C vectors: ed25519 z6Mk, P-256 zDna, P-384 z82L
PREFIX = {KeyType.ED25519: "z6Mk", KeyType.P256: "zDna", KeyType.P384: "z82L"}
ALG = {KeyType.ED25519: "EdDSA", KeyType.P256: "ES256", KeyType.P384: "ES384"}
SIG_SIZE = {KeyType.ED25519: 64, KeyType.P256: 64, KeyType.P384: 96}
KEYS = {kt: KeyPair.generate(kt) for kt in KeyType}


@pytest.mark.parametrize("kt", TYPES)
def test_sign_verify_and_raw_signature_size(kt: KeyType) -> None:
    key = KEYS[kt]
    signature = key.sign(b"hello")
    assert len(signature) == SIG_SIZE[kt]
    assert key.public.verify(signature, b"hello")
    assert not key.public.verify(signature, b"hellO")
    assert not KeyPair.generate(kt).public.verify(signature, b"hello")


@pytest.mark.parametrize("kt", TYPES)
@settings(max_examples=25, deadline=None)
@given(junk=st.binary(max_size=200))
def test_verify_never_raises_for_garbage(kt: KeyType, junk: bytes) -> None:
    assert KEYS[kt].public.verify(junk, b"data") is False


@pytest.mark.parametrize("kt", TYPES)
def test_multibase_did_key_and_jwk_round_trips(kt: KeyType) -> None:
    public = KEYS[kt].public
    assert public.to_multibase().startswith(PREFIX[kt])
    assert PublicKey.from_multibase(public.to_multibase()) == public
    assert public.did_key == "did:key:" + public.to_multibase()
    assert public.jws_alg == ALG[kt]
    jwk = public.to_jwk()
    assert PublicKey.from_jwk(jwk) == public
    assert "d" not in jwk
    private = KEYS[kt].private_jwk()
    restored = KeyPair.from_private_jwk(private)
    assert restored.public == public
    assert public.verify(restored.sign(b"x"), b"x")


def test_jwk_shapes_follow_rfc_8037_and_7518() -> None:
    assert KEYS[KeyType.ED25519].public.to_jwk().keys() == {"kty", "crv", "x"}
    assert KEYS[KeyType.ED25519].public.to_jwk()["kty"] == "OKP"
    p384 = KEYS[KeyType.P384].public.to_jwk()
    assert (p384["kty"], p384["crv"]) == ("EC", "P-384")


@pytest.mark.parametrize("kt", TYPES)
def test_encrypted_key_file_round_trip_and_wrong_passphrase(kt: KeyType) -> None:
    data = KEYS[kt].to_encrypted(b"correct horse")
    document = json.loads(data)
    assert document["type"] == kt.value
    assert document["did"] == KEYS[kt].public.did_key
    assert "ENCRYPTED PRIVATE KEY" in document["pkcs8"]
    assert KeyPair.from_encrypted(data, b"correct horse").public == KEYS[kt].public
    with pytest.raises(InvalidKey, match="wrong passphrase"):
        KeyPair.from_encrypted(data, b"battery staple")


def test_encrypted_key_file_never_contains_the_secret() -> None:
    key = KEYS[KeyType.ED25519]
    assert key.private_jwk()["d"].encode() not in key.to_encrypted(b"pw")


def test_not_a_key_file() -> None:
    with pytest.raises(InvalidKey, match="not a microcred key file"):
        KeyPair.from_encrypted(b"hello", b"pw")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "starting with 'z'"),
        ("z0OIl", "not valid base58btc"),
        ("zQmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", "unsupported multicodec"),
        ("z6Mkr", "public key"),
    ],
)
def test_bad_multibase_is_a_clear_invalid_key(value: str, message: str) -> None:
    with pytest.raises(InvalidKey, match=message):
        PublicKey.from_multibase(value)


def test_bad_jwks_are_invalid_keys() -> None:
    with pytest.raises(InvalidKey, match="unsupported JWK curve"):
        PublicKey.from_jwk({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"})
    with pytest.raises(InvalidKey, match="must have kty OKP"):
        PublicKey.from_jwk({"kty": "EC", "crv": "Ed25519", "x": "AA"})
    other = KeyPair.generate(KeyType.P256).private_jwk()
    mixed = {**KEYS[KeyType.P256].public.to_jwk(), "d": other["d"]}
    with pytest.raises(InvalidKey, match="does not match"):
        KeyPair.from_private_jwk(mixed)


def test_w3c_vector_keys() -> None:
    ed = KeyPair.from_multibase_private("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    assert ed.public.to_multibase() == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    p256 = KeyPair.from_multibase_private("z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN")
    assert p256.public.to_multibase() == "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
    assert p256.to_multibase_private() == "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"
    assert KeyPair.from_seed(bytes(32)).public.did_key.startswith("did:key:z6Mk")


@given(st.binary(max_size=80), st.integers(min_value=0, max_value=3))
@settings(max_examples=300, deadline=None)
def test_multibase_is_the_base58_package_s_encoding(data: bytes, zeros: int) -> None:
    import base58

    from microcred.core.keys import multibase_decode, multibase_encode

    data = bytes(zeros) + data
    if not data:
        return  # "z" alone is refused (no digits)
    encoded = multibase_encode(data)
    assert encoded == "z" + base58.b58encode(data).decode("ascii")
    assert multibase_decode(encoded) == data
    assert multibase_decode(encoded + " \n") == data


@pytest.mark.parametrize("value", ["z0abc", "zabcl", "zabcé", "zI", "abc", "z"])
def test_a_multibase_value_that_is_not_base58btc_is_refused(value: str) -> None:
    from microcred.core.keys import multibase_decode

    with pytest.raises(InvalidKey):
        multibase_decode(value)
