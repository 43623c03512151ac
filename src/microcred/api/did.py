"""DID documents: the platform's ``did:web`` and one per provider."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from microcred.api.deps import Public
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.services import signing_keys

router = APIRouter(tags=["did"], responses=PROBLEM_RESPONSES)
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
DID_JSON = "application/did+json"


def _did(document: dict[str, Any]) -> JSONResponse:
    return JSONResponse(document, media_type=DID_JSON)


@router.get("/.well-known/did.json", summary="The platform's did:web document",
            response_class=JSONResponse)  # fmt: skip
def platform_did(ctx: Public) -> JSONResponse:
    return _did(signing_keys.platform_did_document(ctx))


@router.get("/providers/{slug}/did.json", summary="A provider's did:web document",
            response_class=JSONResponse)  # fmt: skip
def provider_did(ctx: Public, slug: Slug) -> JSONResponse:
    return _did(signing_keys.provider_did_document(ctx, slug))
