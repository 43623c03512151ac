"""DID documents: the platform's ``did:web`` and one per provider."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from microcred.api.deps import Public
from microcred.api.media import DidJson
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.schemas.documents import DidDocument
from microcred.services import signing_keys

router = APIRouter(tags=["did"], responses=PROBLEM_RESPONSES)
Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]


@router.get("/.well-known/did.json", summary="The platform's did:web document",
            response_class=DidJson, response_model=DidDocument)  # fmt: skip
def platform_did(ctx: Public) -> DidJson:
    return DidJson(signing_keys.platform_did_document(ctx))


@router.get("/providers/{slug}/did.json", summary="A provider's did:web document",
            response_class=DidJson, response_model=DidDocument)  # fmt: skip
def provider_did(ctx: Public, slug: Slug) -> DidJson:
    return DidJson(signing_keys.provider_did_document(ctx, slug))
