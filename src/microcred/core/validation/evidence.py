"""Evidence files of a validation case: their metadata, size and type limits, and a check that a
file's first bytes are what its declared type says (the adapter keeps the file itself)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from microcred.core.errors import EvidenceRejected, EvidenceTooLarge, EvidenceTypeNotAccepted

MB = 1024 * 1024
DEFAULT_TYPES = (
    "application/pdf", "image/png", "image/jpeg", "video/mp4", "audio/mpeg", "text/plain",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)  # fmt: skip
# First bytes of the types we can recognise (zip-based documents and plain text are not sniffed).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class EvidencePolicy:
    """What a validation case accepts: at most ``max_files`` files of ``max_bytes`` each."""

    max_bytes: int = 20 * MB
    max_files: int = 50
    media_types: tuple[str, ...] = DEFAULT_TYPES


@dataclass(frozen=True)
class Evidence:
    """One evidence file as the case records it; ``outcomes`` are the claimed outcomes it
    supports (by id)."""

    name: str
    media_type: str
    size: int
    sha256: str
    outcomes: tuple[str, ...] = ()
    description: str = ""


def _looks_like(media_type: str, head: bytes) -> bool:
    if media_type == "video/mp4":
        return head[4:8] == b"ftyp"
    signatures = SIGNATURES.get(media_type)
    return signatures is None or head.startswith(signatures)


def check_evidence(item: Evidence, policy: EvidencePolicy, head: bytes | None = None) -> None:
    """Refuse a file that is too large, of a type not accepted, or whose first bytes (``head``,
    when given) belie its declared type; :class:`EvidenceRejected` names the file."""
    name = item.name or "(unnamed file)"
    if item.size > policy.max_bytes:
        raise EvidenceTooLarge(f"{name}: {item.size} bytes, more than the {policy.max_bytes} "
                               "accepted per file")  # fmt: skip
    if item.size <= 0:
        raise EvidenceRejected(f"{name}: the file is empty")
    if item.media_type not in policy.media_types:
        accepted = ", ".join(policy.media_types)
        raise EvidenceTypeNotAccepted(f"{name}: type {item.media_type!r} is not accepted; "
                                      f"accepted: {accepted}")  # fmt: skip
    if not SHA256.match(item.sha256):
        raise EvidenceRejected(f"{name}: the SHA-256 digest is not 64 lowercase hex digits")
    if head is not None and not _looks_like(item.media_type, head):
        raise EvidenceRejected(f"{name}: the content is not {item.media_type}")
