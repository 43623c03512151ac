"""IETF Token Status List (draft-ietf-oauth-status-list): the status of SD-JWT VCs.

A Referenced Token (here an SD-JWT VC) carries ``status: {"status_list": {"idx": i, "uri": u}}``;
the Status List Token at ``u`` is a JWT (``typ`` ``statuslist+jwt``) whose ``status_list`` claim
holds ``bits`` (1, 2, 4 or 8 bits per token) and ``lst``: the byte array, ZLIB-compressed and
base64url-encoded. Unlike the W3C Bitstring Status List, statuses are packed from the least
significant bit of each byte: index 0 is bit 0 of byte 0.

Status values (section 7): 0 VALID, 1 INVALID (revoked), 2 SUSPENDED; 3 and 0x0C-0x0F are
application-specific, the others reserved. Reading is bounded (a list that inflates beyond
:data:`MAX_BYTES` is refused). Pure: time is an argument, keys are resolved by the caller.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from microcred.core.errors import MicrocredError, ProofError, StatusListError
from microcred.core.keys import KeyPair, PublicKey
from microcred.core.proofs.jws import (
    b64url_decode,
    b64url_encode,
    check_alg,
    check_signature,
    numeric_date_text,
    parse_jws,
    sign_jws,
)

STATUS_LIST_TYP = "statuslist+jwt"
MEDIA_TYPE = "application/statuslist+jwt"
BITS = (1, 2, 4, 8)
VALID, INVALID, SUSPENDED = 0, 1, 2
DEFAULT_SIZE = 131_072  # as for Bitstring Status Lists: herd privacy
MAX_BYTES = 16 * 1024 * 1024
_WORDS = {VALID: "valid", INVALID: "revoked", SUSPENDED: "suspended"}
_APPLICATION = frozenset({3, 12, 13, 14, 15})


@dataclass
class TokenStatusList:
    """``size`` statuses of ``bits`` bits each (the ``status_list`` claim's content)."""

    bits: int = 1
    size: int = DEFAULT_SIZE
    data: bytearray = field(default_factory=bytearray, repr=False)

    def __post_init__(self) -> None:
        if self.bits not in BITS:
            raise StatusListError(f"bits must be 1, 2, 4 or 8, not {self.bits!r}")
        if self.size <= 0:
            raise StatusListError("a status list needs a positive size")
        needed = -(-self.size * self.bits // 8)
        if needed > MAX_BYTES:
            raise StatusListError(f"a list of {self.size:,} entries is too large")
        if not self.data:
            self.data = bytearray(needed)
        elif len(self.data) < needed:
            raise StatusListError("the byte array is shorter than the list size")

    def _place(self, idx: int) -> tuple[int, int]:
        if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < self.size:
            raise StatusListError(f"index {idx!r} is outside the list (0 to {self.size - 1})")
        per_byte = 8 // self.bits
        return idx // per_byte, (idx % per_byte) * self.bits

    def get(self, idx: int) -> int:
        """The status value at ``idx``."""
        byte, shift = self._place(idx)
        return (self.data[byte] >> shift) & ((1 << self.bits) - 1)

    def set(self, idx: int, value: int) -> None:
        """Set the status value at ``idx`` (``INVALID`` revokes, ``SUSPENDED`` suspends)."""
        byte, shift = self._place(idx)
        if not 0 <= value < 1 << self.bits:
            raise StatusListError(f"status {value} does not fit in {self.bits} bit(s)")
        mask = ((1 << self.bits) - 1) << shift
        self.data[byte] = (self.data[byte] & ~mask & 0xFF) | (value << shift)

    def encode(self) -> str:
        """``lst``: DEFLATE with the ZLIB format at the highest level, then base64url."""
        return b64url_encode(zlib.compress(bytes(self.data), 9))

    def to_json(self) -> dict[str, Any]:
        """The ``status_list`` claim: ``{"bits": ..., "lst": ...}``."""
        return {"bits": self.bits, "lst": self.encode()}

    @classmethod
    def from_json(cls, claim: object) -> TokenStatusList:
        """Read a ``status_list`` claim; :class:`StatusListError` names what is wrong."""
        if not isinstance(claim, Mapping):
            raise StatusListError("status_list must be a JSON object with bits and lst")
        bits = claim.get("bits")
        if isinstance(bits, bool) or bits not in BITS:
            raise StatusListError(f"status_list bits must be 1, 2, 4 or 8, not {bits!r}")
        return cls.decode(claim.get("lst"), bits)

    @classmethod
    def decode(cls, lst: object, bits: int) -> TokenStatusList:
        """The list an ``lst`` value carries, every byte of it in use."""
        data = inflate(lst)
        if not data:
            raise StatusListError("the status list is empty")
        return cls(bits, len(data) * 8 // bits, bytearray(data))


def inflate(lst: object) -> bytes:
    """The raw byte array of ``lst``; bounded, with clear errors for anything else."""
    if not isinstance(lst, str) or not lst:
        raise StatusListError("status_list lst must be a non-empty base64url string")
    try:
        compressed = b64url_decode(lst, "status_list lst")
    except ProofError as exc:
        raise StatusListError(exc.message) from None
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(compressed, MAX_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError(f"status_list lst is not ZLIB-compressed data ({exc})") from None
    if len(data) > MAX_BYTES:
        raise StatusListError(f"status_list lst inflates to more than {MAX_BYTES:,} bytes")
    if not inflater.eof:
        raise StatusListError("status_list lst is damaged: the ZLIB data is truncated")
    return data


# --- the reference in a token ----------------------------------------------------------------


@dataclass(frozen=True)
class StatusReference:
    """Where a Referenced Token's status is: entry ``idx`` of the list token at ``uri``."""

    uri: str
    idx: int


def status_claim(uri: str, idx: int) -> dict[str, Any]:
    """The ``status`` claim of a Referenced Token pointing at entry ``idx`` of ``uri``."""
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0:
        raise StatusListError("a status list index is a non-negative integer")
    return {"status_list": {"idx": idx, "uri": uri}}


def status_reference(claims: Mapping[str, Any]) -> StatusReference:
    """The ``status.status_list`` of a token's claims; StatusListError when malformed."""
    status = claims.get("status")
    if not isinstance(status, Mapping):
        raise StatusListError("the status claim is not a JSON object")
    entry = status.get("status_list")
    if not isinstance(entry, Mapping):
        kinds = ", ".join(map(repr, status)) or "nothing"
        raise StatusListError(f"the status claim has no status_list (it has {kinds})")
    idx, uri = entry.get("idx"), entry.get("uri")
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0:
        raise StatusListError(f"status_list idx {idx!r} is not a non-negative integer")
    if not isinstance(uri, str) or ":" not in uri:
        raise StatusListError(f"status_list uri {uri!r} is not a URI")
    return StatusReference(uri, idx)


# --- the Status List Token ----------------------------------------------------------------------


def _numeric(value: datetime) -> int:
    if value.tzinfo is None:
        raise StatusListError("times must be timezone-aware")
    return int(value.timestamp())


def status_list_token(
    status_list: TokenStatusList,
    *,
    uri: str,
    issuer: str,
    key: KeyPair,
    kid: str,
    now: datetime,
    lifetime: timedelta | None = timedelta(days=1),
    ttl: timedelta | None = timedelta(hours=1),
) -> str:
    """A signed Status List Token (``statuslist+jwt``) for the list published at ``uri``."""
    payload: dict[str, Any] = {"iss": issuer, "sub": uri, "iat": _numeric(now),
                               "status_list": status_list.to_json()}  # fmt: skip
    if lifetime is not None:
        payload["exp"] = _numeric(now + lifetime)
    if ttl is not None:
        payload["ttl"] = max(1, int(ttl.total_seconds()))
    return sign_jws({"typ": STATUS_LIST_TYP, "kid": kid}, payload, key)


@dataclass(frozen=True)
class StatusListToken:
    """A Status List Token whose signature, type and dates were checked."""

    key_id: str
    subject: str
    issued_at: int
    expires_at: int | None
    ttl: int | None
    status_list: TokenStatusList = field(repr=False)


def _number(payload: Mapping[str, Any], name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StatusListError(f"the status list token's {name} must be a number")
    return int(value)


def _optional_number(payload: Mapping[str, Any], name: str) -> int | None:
    return None if payload.get(name) is None else _number(payload, name)


def open_status_list_token(
    token: str,
    *,
    resolve_key: Callable[[str], PublicKey],
    now: datetime,
    leeway: timedelta = timedelta(minutes=1),
) -> StatusListToken:
    """Check a Status List Token: type, algorithm, signature (key from ``kid``, else ``iss``),
    required claims, not expired, not issued in the future. Raises StatusListError."""
    try:
        jws = parse_jws(token, "status list token")
    except ProofError as exc:
        raise StatusListError(exc.message) from None
    typ = jws.header.get("typ")
    if typ not in (STATUS_LIST_TYP, MEDIA_TYPE):
        raise StatusListError(f"the status list token's typ is {typ!r}, not {STATUS_LIST_TYP!r}")
    key_id = jws.header.get("kid") or jws.payload.get("iss")
    if not isinstance(key_id, str) or not key_id:
        raise StatusListError("the status list token names its key neither by kid nor by iss")
    try:
        key = resolve_key(key_id)
    except (MicrocredError, LookupError, ValueError) as exc:
        why = f"the status list token's key {key_id} is not resolved: {exc}"
        raise StatusListError(why) from exc
    reason = check_alg(jws.header) or check_signature(jws, key)
    if reason:
        raise StatusListError(f"the status list token's signature: {reason}")
    return _checked_claims(jws.payload, key_id, _numeric(now), int(leeway.total_seconds()))


def _checked_claims(
    payload: Mapping[str, Any], key_id: str, now: int, leeway: int
) -> StatusListToken:
    subject = payload.get("sub")
    if not isinstance(subject, str) or not subject:
        raise StatusListError("the status list token has no sub (the URI of the list)")
    issued = _number(payload, "iat")
    expires, ttl = _optional_number(payload, "exp"), _optional_number(payload, "ttl")
    if issued > now + leeway:
        when = numeric_date_text(issued)
        raise StatusListError(f"the status list token is issued in the future ({when})")
    if expires is not None and now > expires + leeway:
        raise StatusListError(f"the status list token expired at {numeric_date_text(expires)}")
    if ttl is not None and ttl <= 0:
        raise StatusListError("the status list token's ttl must be a positive number of seconds")
    status_list = TokenStatusList.from_json(payload.get("status_list"))
    return StatusListToken(key_id, subject, issued, expires, ttl, status_list)


@dataclass(frozen=True)
class TokenStatus:
    """What a Status List Token says of one Referenced Token."""

    uri: str
    idx: int
    value: int

    @property
    def status(self) -> str:
        """``valid``, ``revoked``, ``suspended``, or ``status N`` for any other value."""
        return _WORDS.get(self.value, f"status {self.value}")

    @property
    def detail(self) -> str:
        """One sentence for a report."""
        if self.value in _WORDS:
            return f"entry {self.idx} of {self.uri}: {self.status}"
        kind = "application-specific" if self.value in _APPLICATION else "reserved"
        return f"entry {self.idx} of {self.uri}: status value {self.value} ({kind}), not valid"


def token_status(reference: StatusReference, opened: StatusListToken) -> TokenStatus:
    """The status of ``reference`` in a checked list token; StatusListError when it cannot say."""
    if opened.subject != reference.uri:
        raise StatusListError(
            f"the status list token is about {opened.subject}, not {reference.uri}"
        )
    return TokenStatus(reference.uri, reference.idx, opened.status_list.get(reference.idx))
