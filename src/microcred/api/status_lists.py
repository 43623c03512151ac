"""Signed Bitstring status list credentials, served publicly."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from microcred.api.deps import Public
from microcred.api.did import Slug
from microcred.api.media import VcLdJson
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.core.status_token import MEDIA_TYPE
from microcred.schemas.documents import StatusListCredential, StatusListToken
from microcred.services import status_tokens, statuses
from microcred.services.bounds import MAX_ROW_ID

router = APIRouter(tags=["status lists"], responses=PROBLEM_RESPONSES)
Purpose = Annotated[str, Path(pattern=r"^(revocation|suspension)$")]
ListNumber = Annotated[int, Path(ge=0, le=MAX_ROW_ID)]


class StatusListJwt(Response):
    media_type = MEDIA_TYPE


@router.get("/status-lists/{slug}/token/{number}", response_class=StatusListJwt,
            responses={200: {"model": StatusListToken}},
            summary="A Token Status List for SD-JWT VCs (public)")  # fmt: skip
def status_list_token(ctx: Public, slug: Slug, number: ListNumber) -> Response:
    """The revocation and suspension of this provider's SD-JWT VCs, as a ``statuslist+jwt``
    (2 bits an entry: 0 valid, 1 revoked, 2 suspended), drawn from the same lists."""
    token = status_tokens.list_token(ctx, slug, number)
    return StatusListJwt(token, headers={"Cache-Control": "no-cache"})


@router.get("/status-lists/{slug}/{purpose}/{number}", response_class=VcLdJson,
            response_model=StatusListCredential,
            summary="A BitstringStatusListCredential (public)")  # fmt: skip
def status_list(ctx: Public, slug: Slug, purpose: Purpose,
                number: ListNumber) -> VcLdJson:  # fmt: skip
    document = statuses.list_credential(ctx, slug, purpose, number)
    return VcLdJson(document, headers={"Cache-Control": "no-cache"})
