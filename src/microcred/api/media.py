"""JSON responses under the media types of the documents they carry (named in /openapi.json)."""

from __future__ import annotations

from fastapi.responses import JSONResponse


class LdJson(JSONResponse):
    media_type = "application/ld+json"


class DidJson(JSONResponse):
    media_type = "application/did+json"


class VcLdJson(JSONResponse):
    media_type = "application/vc+ld+json"
