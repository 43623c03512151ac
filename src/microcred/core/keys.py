"""Signing keys: Ed25519, P-256 and P-384 in Multikey, JWK, did:key and encrypted-file forms."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from microcred.core.errors import InvalidKey

_KEY_FILE_FORMAT = "microcred-key-v1"


class KeyType(StrEnum):
    """The key types microcred signs and verifies with."""

    ED25519 = "ed25519"
    P256 = "p256"
    P384 = "p384"


@dataclass(frozen=True)
class _Spec:
    pub_prefix: bytes  # multicodec varint for the public key
    priv_prefix: bytes  # multicodec varint for the private key
    crv: str  # JWK crv
    alg: str  # JWS alg
    size: int  # coordinate / scalar size in bytes


_SPECS: dict[KeyType, _Spec] = {
    KeyType.ED25519: _Spec(b"\xed\x01", b"\x80\x26", "Ed25519", "EdDSA", 32),
    KeyType.P256: _Spec(b"\x80\x24", b"\x86\x26", "P-256", "ES256", 32),
    KeyType.P384: _Spec(b"\x81\x24", b"\x87\x26", "P-384", "ES384", 48),
}
_CURVES: dict[KeyType, ec.EllipticCurve] = {
    KeyType.P256: ec.SECP256R1(),
    KeyType.P384: ec.SECP384R1(),
}
_HASHES: dict[KeyType, hashes.HashAlgorithm] = {
    KeyType.P256: hashes.SHA256(),
    KeyType.P384: hashes.SHA384(),
}
_BY_CRV = {spec.crv: kt for kt, spec in _SPECS.items()}

_PublicRaw = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
_PrivateRaw = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64u(value: object, name: str) -> bytes:
    if not isinstance(value, str):
        raise InvalidKey(f"JWK member {name!r} must be a base64url string")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError) as exc:
        raise InvalidKey(f"JWK member {name!r} is not valid base64url") from exc


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_DIGIT = {char: index for index, char in enumerate(_B58)}
# two base58 digits at a time: half the big-integer steps of the base58 package (a proof's
# 64-byte signature is 88 digits, decoded at every verification)
_B58_PAIR = {a + b: 58 * i + j for a, i in _B58_DIGIT.items() for b, j in _B58_DIGIT.items()}
_B58_PAIRS = [a + b for a in _B58 for b in _B58]


def _b58decode(text: str) -> bytes:
    """base58btc digits to bytes, as ``base58.b58decode`` (trailing whitespace ignored)."""
    text = text.rstrip()
    digits = text.lstrip("1")
    zeros = len(text) - len(digits)
    try:
        start = len(digits) % 2
        number = _B58_DIGIT[digits[0]] if start else 0
        pair = _B58_PAIR
        for index in range(start, len(digits), 2):
            number = number * 3364 + pair[digits[index : index + 2]]
    except KeyError:
        raise ValueError("not a base58btc digit") from None
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def _b58encode(data: bytes) -> str:
    """Bytes to base58btc digits, as ``base58.b58encode``."""
    stripped = data.lstrip(b"\0")
    number = int.from_bytes(stripped, "big")
    pairs: list[str] = []
    while number >= 3364:
        number, rest = divmod(number, 3364)
        pairs.append(_B58_PAIRS[rest])
    head = _B58_PAIRS[number].lstrip("1") if number else ""
    return "1" * (len(data) - len(stripped)) + head + "".join(reversed(pairs))


def multibase_decode(value: str) -> bytes:
    """Decode a base58btc multibase string ('z...'); raises InvalidKey otherwise."""
    if not isinstance(value, str) or not value.startswith("z") or len(value) < 2:
        raise InvalidKey("multibase value must be a base58btc string starting with 'z'")
    try:
        return _b58decode(value[1:])
    except ValueError as exc:
        raise InvalidKey("multibase value is not valid base58btc") from exc


def multibase_encode(data: bytes) -> str:
    """Encode bytes as base58btc multibase ('z...')."""
    return "z" + _b58encode(data)


def _key_type_for_curve(curve: ec.EllipticCurve) -> KeyType:
    for kt, known in _CURVES.items():
        if known.name == curve.name:
            return kt
    raise InvalidKey(f"unsupported elliptic curve {curve.name}")


@dataclass(frozen=True)
class PublicKey:
    """A public key that verifies signatures (EdDSA raw, or ECDSA raw r||s)."""

    type: KeyType
    _raw: _PublicRaw = field(repr=False, compare=False)
    _bytes: bytes = field(repr=False)  # raw Ed25519 or compressed SEC1 point

    @classmethod
    def from_cryptography(cls, raw: _PublicRaw) -> PublicKey:
        """Wrap a ``cryptography`` public key object."""
        if isinstance(raw, ed25519.Ed25519PublicKey):
            data = raw.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            return cls(KeyType.ED25519, raw, data)
        if isinstance(raw, ec.EllipticCurvePublicKey):
            kt = _key_type_for_curve(raw.curve)
            fmt = serialization.PublicFormat.CompressedPoint
            return cls(kt, raw, raw.public_bytes(serialization.Encoding.X962, fmt))
        raise InvalidKey(f"unsupported key object {type(raw).__name__}")

    @classmethod
    def from_raw(cls, type: KeyType, data: bytes) -> PublicKey:
        """Build from raw Ed25519 bytes or a SEC1 (compressed or uncompressed) EC point."""
        try:
            if type is KeyType.ED25519:
                if len(data) != 32:
                    raise InvalidKey(f"Ed25519 public key must be 32 bytes, got {len(data)}")
                return cls.from_cryptography(ed25519.Ed25519PublicKey.from_public_bytes(data))
            point = ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[type], data)
        except ValueError as exc:
            raise InvalidKey(f"not a valid {type.value} public key: {exc}") from exc
        return cls.from_cryptography(point)

    @property
    def raw_bytes(self) -> bytes:
        """Raw Ed25519 key or compressed SEC1 point."""
        return self._bytes

    def to_cryptography(self) -> _PublicRaw:
        """The ``cryptography`` key object (for libraries such as joserfc)."""
        return self._raw

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` is valid for ``data``; never raises for a bad signature."""
        try:
            if isinstance(self._raw, ed25519.Ed25519PublicKey):
                self._raw.verify(signature, data)
                return True
            size = _SPECS[self.type].size
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            der = encode_dss_signature(r, s)
            self._raw.verify(der, data, ec.ECDSA(_HASHES[self.type]))
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_multibase(self) -> str:
        """Multikey ``publicKeyMultibase`` value."""
        return multibase_encode(_SPECS[self.type].pub_prefix + self._bytes)

    @classmethod
    def from_multibase(cls, value: str) -> PublicKey:
        """Parse a Multikey ``publicKeyMultibase`` value."""
        data = multibase_decode(value)
        for kt, spec in _SPECS.items():
            if data.startswith(spec.pub_prefix):
                return cls.from_raw(kt, data[len(spec.pub_prefix) :])
        raise InvalidKey(
            f"unsupported multicodec prefix 0x{data[:2].hex()} "
            "(expected Ed25519, P-256 or P-384 public key)"
        )

    def to_jwk(self) -> dict[str, str]:
        """Public JWK (OKP for Ed25519, EC for P-256/P-384)."""
        spec = _SPECS[self.type]
        if isinstance(self._raw, ed25519.Ed25519PublicKey):
            return {"kty": "OKP", "crv": spec.crv, "x": _b64u(self._bytes)}
        nums = self._raw.public_numbers()
        return {
            "kty": "EC",
            "crv": spec.crv,
            "x": _b64u(nums.x.to_bytes(spec.size, "big")),
            "y": _b64u(nums.y.to_bytes(spec.size, "big")),
        }

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, object]) -> PublicKey:
        """Parse a public JWK (private members are ignored)."""
        crv = jwk.get("crv")
        kt = _BY_CRV.get(crv) if isinstance(crv, str) else None
        if kt is None:
            raise InvalidKey(f"unsupported JWK curve {crv!r} (expected Ed25519, P-256 or P-384)")
        kty = jwk.get("kty")
        if kt is KeyType.ED25519:
            if kty != "OKP":
                raise InvalidKey(f"JWK with crv Ed25519 must have kty OKP, got {kty!r}")
            return cls.from_raw(kt, _unb64u(jwk.get("x"), "x"))
        if kty != "EC":
            raise InvalidKey(f"JWK with crv {crv} must have kty EC, got {kty!r}")
        size = _SPECS[kt].size
        x, y = _unb64u(jwk.get("x"), "x"), _unb64u(jwk.get("y"), "y")
        if len(x) != size or len(y) != size:
            raise InvalidKey(f"JWK coordinates for {crv} must be {size} bytes each")
        return cls.from_raw(kt, b"\x04" + x + y)

    @property
    def did_key(self) -> str:
        """The ``did:key`` identifier of this key."""
        return "did:key:" + self.to_multibase()

    @property
    def did_key_vm(self) -> str:
        """The verification method id of this key inside its did:key document."""
        mb = self.to_multibase()
        return f"did:key:{mb}#{mb}"

    @property
    def jws_alg(self) -> str:
        """JWS ``alg`` for this key: EdDSA, ES256 or ES384."""
        return _SPECS[self.type].alg


class Signer(Protocol):
    """Anything that signs like :class:`KeyPair` (an in-memory key, a keystore, an HSM)."""

    @property
    def public(self) -> PublicKey:
        """The public key that verifies this signer's signatures."""
        ...

    def sign(self, data: bytes) -> bytes:
        """Raw EdDSA, or raw r||s ECDSA (SHA-256 for P-256, SHA-384 for P-384)."""
        ...


@dataclass(frozen=True)
class KeyPair:
    """A private key with its public key; signs with raw signature encodings."""

    public: PublicKey
    _private: _PrivateRaw = field(repr=False, compare=False)

    @classmethod
    def from_cryptography(cls, private: _PrivateRaw) -> KeyPair:
        """Wrap a ``cryptography`` private key object."""
        if not isinstance(private, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
            raise InvalidKey(f"unsupported private key {type(private).__name__}")
        return cls(PublicKey.from_cryptography(private.public_key()), private)

    @property
    def type(self) -> KeyType:
        """The key type."""
        return self.public.type

    def to_cryptography(self) -> _PrivateRaw:
        """The ``cryptography`` private key object (for libraries such as joserfc)."""
        return self._private

    @classmethod
    def generate(cls, type: KeyType = KeyType.ED25519) -> KeyPair:
        """Generate a fresh key pair."""
        if type is KeyType.ED25519:
            return cls.from_cryptography(ed25519.Ed25519PrivateKey.generate())
        return cls.from_cryptography(ec.generate_private_key(_CURVES[type]))

    @classmethod
    def from_seed(cls, seed: bytes, type: KeyType = KeyType.ED25519) -> KeyPair:
        """Ed25519 from its 32-byte seed; P-256/P-384 from the big-endian private scalar."""
        size = _SPECS[type].size
        if len(seed) != size:
            raise InvalidKey(f"{type.value} private key must be {size} bytes, got {len(seed)}")
        try:
            if type is KeyType.ED25519:
                return cls.from_cryptography(ed25519.Ed25519PrivateKey.from_private_bytes(seed))
            value = int.from_bytes(seed, "big")
            return cls.from_cryptography(ec.derive_private_key(value, _CURVES[type]))
        except ValueError as exc:
            raise InvalidKey(f"not a valid {type.value} private key: {exc}") from exc

    @classmethod
    def from_multibase_private(cls, value: str) -> KeyPair:
        """Parse a Multikey ``secretKeyMultibase`` (ed25519-priv, p256-priv, p384-priv)."""
        data = multibase_decode(value)
        for kt, spec in _SPECS.items():
            if data.startswith(spec.priv_prefix):
                secret = data[len(spec.priv_prefix) :]
                if kt is KeyType.ED25519 and len(secret) == 64:  # older seed || public form
                    pair = cls.from_seed(secret[:32], kt)
                    if pair.public.raw_bytes != secret[32:]:
                        raise InvalidKey("Ed25519 secret key does not match its public half")
                    return pair
                return cls.from_seed(secret, kt)
        raise InvalidKey(f"unsupported private multicodec prefix 0x{data[:2].hex()}")

    def to_multibase_private(self) -> str:
        """Multikey ``secretKeyMultibase`` value."""
        return multibase_encode(_SPECS[self.type].priv_prefix + self._secret_bytes())

    def _secret_bytes(self) -> bytes:
        if isinstance(self._private, ed25519.Ed25519PrivateKey):
            return self._private.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        size = _SPECS[self.type].size
        return self._private.private_numbers().private_value.to_bytes(size, "big")

    def sign(self, data: bytes) -> bytes:
        """Sign: raw 64-byte EdDSA, or raw r||s ECDSA (SHA-256 for P-256, SHA-384 for P-384)."""
        if isinstance(self._private, ed25519.Ed25519PrivateKey):
            return self._private.sign(data)
        der = self._private.sign(data, ec.ECDSA(_HASHES[self.type]))
        r, s = decode_dss_signature(der)
        size = _SPECS[self.type].size
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    def private_jwk(self) -> dict[str, str]:
        """Private JWK (public members plus ``d``)."""
        return {**self.public.to_jwk(), "d": _b64u(self._secret_bytes())}

    @classmethod
    def from_private_jwk(cls, jwk: Mapping[str, object]) -> KeyPair:
        """Parse a private JWK; checks that ``d`` matches the public members."""
        public = PublicKey.from_jwk(jwk)
        pair = cls.from_seed(_unb64u(jwk.get("d"), "d"), public.type)
        if pair.public != public:
            raise InvalidKey("JWK private member 'd' does not match its public key")
        return pair

    def to_encrypted(self, passphrase: bytes) -> bytes:
        """Key file: JSON with the type, did:key and a passphrase-encrypted PKCS#8 PEM."""
        if not passphrase:
            raise InvalidKey("a non-empty passphrase is required to encrypt a key")
        pem = self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
        doc = {
            "format": _KEY_FILE_FORMAT,
            "type": self.type.value,
            "did": self.public.did_key,
            "pkcs8": pem.decode("ascii"),
        }
        return json.dumps(doc, indent=2).encode("utf-8") + b"\n"

    @classmethod
    def from_encrypted(cls, data: bytes, passphrase: bytes) -> KeyPair:
        """Read a key file written by :meth:`to_encrypted`."""
        try:
            doc = json.loads(data)
            pem = doc["pkcs8"].encode("ascii")
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidKey("not a microcred key file") from exc
        try:
            private = serialization.load_pem_private_key(pem, password=passphrase)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            msg = "cannot decrypt the key file: wrong passphrase or damaged file"
            raise InvalidKey(msg) from exc
        if not isinstance(private, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
            raise InvalidKey(f"unsupported private key {type(private).__name__} in key file")
        pair = cls.from_cryptography(private)
        if doc.get("did") not in (None, pair.public.did_key):
            raise InvalidKey("key file's did does not match its private key")
        return pair
