"""Signed Bitstring status list credentials, served publicly."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from microcred.api.deps import Public
from microcred.api.did import Slug
from microcred.api.media import VcLdJson
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.schemas.documents import StatusListCredential
from microcred.services import statuses
from microcred.services.bounds import MAX_ROW_ID

router = APIRouter(tags=["status lists"], responses=PROBLEM_RESPONSES)
Purpose = Annotated[str, Path(pattern=r"^(revocation|suspension)$")]


@router.get("/status-lists/{slug}/{purpose}/{number}", response_class=VcLdJson,
            response_model=StatusListCredential,
            summary="A BitstringStatusListCredential (public)")  # fmt: skip
def status_list(ctx: Public, slug: Slug, purpose: Purpose,
                number: Annotated[int, Path(ge=0, le=MAX_ROW_ID)]) -> VcLdJson:  # fmt: skip
    document = statuses.list_credential(ctx, slug, purpose, number)
    return VcLdJson(document, headers={"Cache-Control": "no-cache"})
