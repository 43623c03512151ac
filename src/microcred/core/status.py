"""W3C Bitstring Status List v1.0: revocation and suspension bits, and their credentials.

A list is a bitstring, index 0 being the most significant bit of the first byte. It travels
GZIP-compressed and multibase-encoded (``u`` + base64url without padding) in the
``encodedList`` of a ``BitstringStatusListCredential``. StatusList2021 lists and entries (the
draft that the Digital Credentials Consortium and 1EdTech fixtures still use) are read too.

Reading is lenient about size (deployed lists of 100,000 entries exist) but bounded: a list
that inflates beyond :data:`MAX_BYTES` is refused, as is anything that is not a list.
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from microcred.core.errors import StatusListError

DEFAULT_SIZE = 131_072  # the spec's minimum: 16 KB of bits, for herd privacy
MAX_BYTES = 16 * 1024 * 1024  # 134 million entries; beyond that we call it a bomb
PURPOSES = ("revocation", "suspension", "refresh", "message")
_LIST_TYPES = {"BitstringStatusListCredential": "BitstringStatusList",
               "StatusList2021Credential": "StatusList2021"}  # fmt: skip
_ENTRY_TYPES = ("BitstringStatusListEntry", "StatusList2021Entry")
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"  # no name, mtime 0, OS Unix
V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"


@dataclass
class StatusList:
    """A mutable bitstring of ``size`` entries of ``status_size`` bits each, for one purpose."""

    purpose: str = "revocation"
    size: int = DEFAULT_SIZE
    status_size: int = 1
    bits: bytearray = field(default_factory=bytearray, repr=False)

    def __post_init__(self) -> None:
        if self.purpose not in PURPOSES:
            raise StatusListError(f"status purpose {self.purpose!r} is not one of {PURPOSES}")
        if self.size <= 0 or self.status_size <= 0:
            raise StatusListError("a status list needs a positive size and status size")
        needed = -(-self.size * self.status_size // 8)
        if needed > MAX_BYTES:
            raise StatusListError(f"a list of {self.size:,} entries is too large")
        if not self.bits:
            self.bits = bytearray(needed)
        elif len(self.bits) < needed:
            raise StatusListError("the bitstring is shorter than the list size")

    def _check_index(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise StatusListError(f"index {index} is outside the list (0 to {self.size - 1})")

    def get(self, index: int) -> int:
        """The status value at ``index`` (0 or 1 for a one-bit list)."""
        self._check_index(index)
        value = 0
        for bit in range(index * self.status_size, (index + 1) * self.status_size):
            value = (value << 1) | (self.bits[bit // 8] >> (7 - bit % 8)) & 1
        return value

    def set(self, index: int, value: int = 1) -> None:
        """Set the status value at ``index`` (1 = revoked or suspended)."""
        self._check_index(index)
        if not 0 <= value < 1 << self.status_size:
            raise StatusListError(f"value {value} does not fit in {self.status_size} bit(s)")
        start = index * self.status_size
        for offset in range(self.status_size):
            bit = start + offset
            shift = self.status_size - 1 - offset
            mask = 1 << (7 - bit % 8)
            if (value >> shift) & 1:
                self.bits[bit // 8] |= mask
            else:
                self.bits[bit // 8] &= ~mask & 0xFF

    def clear(self, index: int) -> None:
        """Reset the status at ``index`` to 0."""
        self.set(index, 0)

    def set_indices(self) -> list[int]:
        """Every index whose status is not 0."""
        if self.status_size == 1:
            return [i for i in range(self.size) if self.bits[i // 8] and self.get(i)]
        return [i for i in range(self.size) if self.get(i)]

    def encode(self) -> str:
        """``encodedList``: GZIP, then multibase base64url (``u`` prefix, no padding)."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = compressor.compress(bytes(self.bits)) + compressor.flush()
        trailer = struct.pack("<II", zlib.crc32(self.bits), len(self.bits) & 0xFFFFFFFF)
        data = _GZIP_HEADER + body + trailer
        return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(
        cls, encoded: object, purpose: str = "revocation", status_size: int = 1
    ) -> StatusList:
        """Read an ``encodedList`` (multibase ``u`` or bare base64url for StatusList2021)."""
        bits = decode_bits(encoded)
        if len(bits) * 8 < status_size:
            raise StatusListError("the status list is empty")
        return cls(purpose, len(bits) * 8 // status_size, status_size, bytearray(bits))


def decode_bits(encoded: object) -> bytes:
    """The raw bitstring of an ``encodedList``; clear errors for anything else."""
    if not isinstance(encoded, str) or not encoded:
        raise StatusListError("encodedList must be a non-empty string")
    text = (encoded[1:] if encoded.startswith("u") else encoded).rstrip("=")
    if not text.replace("-", "").replace("_", "").isalnum() or not text.isascii():
        raise StatusListError(
            "encodedList is not multibase base64url ('u' followed by A-Z a-z 0-9 - _)"
        )
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise StatusListError("encodedList is not valid base64url") from exc
    if not data.startswith(b"\x1f\x8b"):
        raise StatusListError("encodedList is not GZIP-compressed")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        bits = inflater.decompress(data, MAX_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError(
            f"encodedList is damaged: GZIP data does not inflate ({exc})"
        ) from exc
    if len(bits) > MAX_BYTES:
        raise StatusListError(f"encodedList inflates to more than {MAX_BYTES:,} bytes")
    if not inflater.eof:
        raise StatusListError("encodedList is damaged: GZIP data is truncated")
    return bits


@lru_cache(maxsize=1024)  # a pure function of the URL; a batch names two lists per credential
def list_url_problem(url: str) -> str | None:
    """Why verifiers could not fetch a status list published at ``url`` (None: they can)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"is not a URL ({exc})"
    if parts.scheme not in ("https", "http"):
        return "must be an https (or http) URL verifiers can fetch"
    if not parts.hostname or any(c.isspace() for c in url):
        return "has no host name" if not parts.hostname else "contains white space"
    return None


def require_fetchable_list_url(url: str) -> None:
    """Raise :class:`StatusListError` naming why verifiers could not fetch a list at ``url``."""
    problem = list_url_problem(url)
    if problem:
        raise StatusListError(f"the status list URL {url!r} {problem}")


def status_list_credential(
    status_list: StatusList, id: str, issuer: str, valid_from: datetime
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` (VC 2.0) carrying ``status_list``."""
    if valid_from.tzinfo is None:
        raise StatusListError("validFrom needs a time zone")
    require_fetchable_list_url(id)
    subject: dict[str, Any] = {
        "id": f"{id}#list",
        "type": "BitstringStatusList",
        "statusPurpose": status_list.purpose,
        "encodedList": status_list.encode(),
    }
    if status_list.status_size != 1:
        subject["statusSize"] = status_list.status_size
    return {
        "@context": [V2_CONTEXT],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from.isoformat().replace("+00:00", "Z"),
        "credentialSubject": subject,
    }


def credential_status_entry(
    list_url: str, index: int, purpose: str = "revocation"
) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` pointing at bit ``index`` of the list at ``list_url``."""
    if purpose not in PURPOSES:
        raise StatusListError(f"status purpose {purpose!r} is not one of {PURPOSES}")
    if index < 0:
        raise StatusListError("a status list index cannot be negative")
    require_fetchable_list_url(list_url)
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


@dataclass(frozen=True)
class StatusResult:
    """What one status entry says: ``status`` is ``ok``, ``revoked``, ``suspended`` or ``set``."""

    purpose: str
    index: int
    value: int
    list_url: str

    @property
    def status(self) -> str:
        if self.value == 0:
            return "ok"
        return {"revocation": "revoked", "suspension": "suspended"}.get(self.purpose, "set")

    @property
    def detail(self) -> str:
        state = {"ok": f"not {self._word()}", "set": f"value {self.value}"}.get(
            self.status, self.status)  # fmt: skip
        return f"{self.purpose} entry {self.index} of {self.list_url}: {state}"

    def _word(self) -> str:
        return {"revocation": "revoked", "suspension": "suspended"}.get(self.purpose, "set")


def status_entries(credential: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The ``credentialStatus`` entries of a credential (one object or a list)."""
    value = credential.get("credentialStatus")
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, Mapping)]


def is_list_entry(entry: Mapping[str, Any]) -> bool:
    """True for Bitstring / StatusList2021 entries (other status methods are not ours)."""
    types = entry.get("type")
    names = types if isinstance(types, list) else [types]
    return any(name in _ENTRY_TYPES for name in names)


def entry_index(entry: Mapping[str, Any]) -> int:
    """``statusListIndex`` as an integer (the spec writes it as a string of digits)."""
    raw = entry.get("statusListIndex")
    text = str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not text.isdigit():
        raise StatusListError(f"statusListIndex {raw!r} is not a non-negative integer")
    return int(text)


def entry_list_url(entry: Mapping[str, Any]) -> str:
    """``statusListCredential``: where the list credential lives."""
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not url:
        raise StatusListError("the status entry has no statusListCredential URL")
    return url


def _list_subject(credential: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(credential, Mapping):
        raise StatusListError("the status list credential is not a JSON object")
    types = credential.get("type")
    names = set(types if isinstance(types, list) else [types])
    kinds = [name for name in _LIST_TYPES if name in names]
    if not kinds:
        raise StatusListError(
            "not a status list: its type is not BitstringStatusListCredential "
            "(or StatusList2021Credential)"
        )
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping) or subject.get("type") != _LIST_TYPES[kinds[0]]:
        raise StatusListError(
            f"not a status list: credentialSubject is not a {_LIST_TYPES[kinds[0]]}"
        )
    return subject


def read_status_list(credential: Mapping[str, Any]) -> StatusList:
    """The list a status list credential carries; raises :class:`StatusListError`."""
    subject = _list_subject(credential)
    purposes = subject.get("statusPurpose")
    purpose = purposes[0] if isinstance(purposes, list) and purposes else purposes
    if purpose not in PURPOSES:
        raise StatusListError(f"status list purpose {purpose!r} is not one of {PURPOSES}")
    size = subject.get("statusSize", 1)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 64:
        raise StatusListError(f"statusSize {size!r} is not a small positive integer")
    return StatusList.decode(subject.get("encodedList"), str(purpose), size)


def _list_purposes(credential: Mapping[str, Any]) -> list[str]:
    value = _list_subject(credential).get("statusPurpose")
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _check_dates(credential: Mapping[str, Any], now: datetime | None) -> None:
    if now is None:
        return
    for name, late in (("validFrom", False), ("validUntil", True), ("expirationDate", True)):
        value = credential.get(name)
        if not isinstance(value, str):
            continue
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise StatusListError(f"the status list's {name} {value!r} is not a date") from exc
        if moment.tzinfo is None:
            continue
        if (now > moment) if late else (now < moment):
            word = "expired on" if late else "is not valid before"
            raise StatusListError(f"the status list credential {word} {value}")


def check_status(
    entry: Mapping[str, Any],
    status_list_credential: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> StatusResult:
    """Read the status ``entry`` points at; raises :class:`StatusListError` when it cannot.

    The list credential's proof is not checked here (see :mod:`microcred.core.verify`).
    With ``now``, a list credential outside its validity period is refused.
    """
    if not is_list_entry(entry):
        raise StatusListError(f"status entry type {entry.get('type')!r} is not supported")
    index, url = entry_index(entry), entry_list_url(entry)
    purpose = str(entry.get("statusPurpose", ""))
    purposes = _list_purposes(status_list_credential)
    if purpose not in purposes:
        raise StatusListError(
            f"the entry's purpose {purpose!r} does not match the list's {purposes}"
        )
    _check_dates(status_list_credential, now)
    size = entry.get("statusSize", 1)
    status_list = read_status_list(status_list_credential)
    if size != status_list.status_size:
        raise StatusListError(f"the entry's statusSize {size!r} does not match the list's")
    status_list.purpose = purpose
    return StatusResult(purpose, index, status_list.get(index), url)
