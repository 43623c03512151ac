"""Open Badges baked images: the credential inside a PNG (``iTXt openbadgecredential``) or an
SVG (``<openbadges:credential>`` with a CDATA JSON credential or a ``verify`` JWT attribute).

Reading is bounded (chunk count, sizes, inflation) and never parses the SVG as XML: the one
element is located by pattern, so entities and external DTDs are never expanded.
"""

from __future__ import annotations

import re
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
MAX_CHUNKS = 10_000
MAX_TEXT = 8 * 1024 * 1024
_SVG_JWT = re.compile(rb"<openbadges:credential\b[^>]*?\bverify\s*=\s*\"([A-Za-z0-9_.~-]+)\"")
_SVG_JSON = re.compile(
    rb"<openbadges:credential\b[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</openbadges:credential>", re.S
)


def unbake(data: bytes) -> tuple[str, bytes] | None:
    """(``"PNG"`` or ``"SVG"``, the embedded credential) for a baked image, else None."""
    if data.startswith(PNG_SIGNATURE):
        text = _from_png(data)
        return ("PNG", text) if text is not None else None
    head = data[:4096].lstrip()
    if head.startswith(b"<") and b"openbadges" in data:
        match = _SVG_JWT.search(data) or _SVG_JSON.search(data)
        return ("SVG", match.group(1).strip()) if match else None
    return None


def _from_png(data: bytes) -> bytes | None:
    offset = len(PNG_SIGNATURE)
    for _ in range(MAX_CHUNKS):
        if offset + 8 > len(data):
            return None
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"iTXt" and body.startswith(KEYWORD + b"\x00"):
            return _itxt_text(body[len(KEYWORD) + 1 :])
        if kind == b"IEND":
            return None
        offset += 12 + length
    return None


def _itxt_text(rest: bytes) -> bytes | None:
    """iTXt after the keyword: compression flag and method, language, translated keyword, text."""
    if len(rest) < 2:
        return None
    compressed, fields = rest[0], rest[2:]
    parts = fields.split(b"\x00", 2)
    if len(parts) != 3:
        return None
    text = parts[2]
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_TEXT + 1)
        except zlib.error:
            return None
    return text if len(text) <= MAX_TEXT else None
