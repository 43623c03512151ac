"""Share links: chosen credentials, chosen elements (SD-JWT VC), an expiry, revocable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import insert, select, update

from microcred.adapters.db.learner_models import WalletCredential, WalletShare, WalletShareItem
from microcred.core.errors import MicrocredError
from microcred.core.formats.sdjwt_vc import ANNEX1_CLAIMS
from microcred.core.proofs.sd_jwt import disclosure_paths, present_sd_jwt
from microcred.services.context import Context, token_hash
from microcred.services.errors import InvalidInput, LinkExpired, NotFound
from microcred.services.learner import wallet

MAX_SHARE_DAYS = 365
WHOLE = "*"


@dataclass(frozen=True)
class ShareLink:
    """A new share: the URL to give (shown once: only its hash is stored)."""

    id: str
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class ShareSummary:
    """A share as its owner lists it."""

    id: str
    created_at: datetime
    expires_at: datetime
    revoked: bool
    titles: tuple[dict[str, str], ...]
    elements: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SharedItem:
    """What a recipient gets for one credential: the presented token or document."""

    credential_id: str
    format: str
    presented: str
    elements: tuple[str, ...]
    credential_ref: str | None


def disclosable_elements(held: wallet.Held) -> list[str]:
    """The Annex I elements that can be disclosed one by one (empty: whole credential only)."""
    token = held.disclosable
    if not token:
        return []
    try:
        paths = disclosure_paths(token)
    except MicrocredError:
        return []
    names = {str(p[0]) for p in paths if len(p) == 1}
    return [name for name in ANNEX1_CLAIMS if name in names]


def _presented(held: wallet.Held, elements: Sequence[str]) -> tuple[str, str, tuple[str, ...]]:
    chosen = [e for e in elements if e != WHOLE]
    token = held.disclosable
    if token and chosen:
        allowed = set(disclosable_elements(held))
        unknown = [e for e in chosen if e not in allowed]
        if unknown:
            raise InvalidInput(f"elements: {', '.join(unknown)} cannot be disclosed")
        return "sd-jwt-vc", present_sd_jwt(token, reveal=[(e,) for e in chosen]), tuple(chosen)
    if chosen and not token:
        raise InvalidInput("elements: this credential can only be shared whole")
    return held.format, held.raw, (WHOLE,)


def create_share(
    ctx: Context,
    account_id: str,
    selection: Mapping[str, Sequence[str]],
    expires_in_days: int,
) -> ShareLink:
    """Share each chosen credential (``{id: elements}``; ``["*"]`` or ``[]`` = whole)."""
    if not selection:
        raise InvalidInput("credentials: choose at least one credential to share")
    if not 1 <= expires_in_days <= MAX_SHARE_DAYS:
        raise InvalidInput(f"expiry: between 1 and {MAX_SHARE_DAYS} days")
    items = []
    for credential_id, elements in selection.items():
        held = wallet.get(ctx, account_id, credential_id)
        fmt, presented, chosen = _presented(held, elements)
        items.append({"credential_id": held.id, "format": fmt, "presented": presented,
                      "elements": list(chosen)})  # fmt: skip
    token, share_id, now = ctx.token(), ctx.new_id(), ctx.clock()
    expires = now + timedelta(days=expires_in_days)
    ctx.session.execute(insert(WalletShare).values(
        id=share_id, token_hash=token_hash(token), account_id=account_id,
        created_at=now, expires_at=expires))  # fmt: skip
    ctx.session.execute(insert(WalletShareItem), [{"share_id": share_id, **item} for item in items])
    return ShareLink(share_id, f"{ctx.public_url}/s/{token}", expires)


def open_share(ctx: Context, token: str) -> list[SharedItem]:
    """What a share link shows; :class:`LinkExpired` when expired, revoked or unknown."""
    share = ctx.session.scalars(
        select(WalletShare).where(WalletShare.token_hash == token_hash(token))
    ).first()
    if share is None or share.account_id is None or share.revoked_at is not None:
        raise LinkExpired("this share link has expired or was withdrawn")
    if share.expires_at <= ctx.clock():
        raise LinkExpired("this share link has expired or was withdrawn")
    rows = ctx.session.scalars(
        select(WalletShareItem).where(WalletShareItem.share_id == share.id)
        .order_by(WalletShareItem.id)
    ).all()  # fmt: skip
    return [_item(ctx, share.account_id, row) for row in rows]


def _item(ctx: Context, account_id: str, row: Any) -> SharedItem:
    try:
        ref = wallet.shared(ctx, account_id, row.credential_id).credential_ref
    except NotFound:
        ref = None
    return SharedItem(row.credential_id, row.format, row.presented, tuple(row.elements), ref)


def list_shares(ctx: Context, account_id: str) -> list[ShareSummary]:
    """A learner's shares, newest first."""
    rows = ctx.session.scalars(
        select(WalletShare).where(WalletShare.account_id == account_id)
        .order_by(WalletShare.created_at.desc())
    ).all()  # fmt: skip
    items = ctx.session.execute(
        select(WalletShareItem.share_id, WalletShareItem.credential_id, WalletShareItem.elements)
        .where(WalletShareItem.share_id.in_([row.id for row in rows]))
        .order_by(WalletShareItem.id)
    ).all()  # fmt: skip
    found = []
    for row in rows:
        mine = [i for i in items if i.share_id == row.id]
        titles = tuple(_title(ctx, account_id, i.credential_id) for i in mine)
        elements = tuple(tuple(i.elements) for i in mine)
        found.append(ShareSummary(row.id, row.created_at, row.expires_at,
                                  row.revoked_at is not None, titles, elements))  # fmt: skip
    return found


def _title(ctx: Context, account_id: str, credential_id: str) -> dict[str, str]:
    try:
        return wallet.get(ctx, account_id, credential_id).title
    except NotFound:
        return {"en": "(deleted)"}


def shared_document(ctx: Context, item: SharedItem) -> str | None:
    """The held credential a shared item shows, as the wallet keeps it (None once deleted)."""
    query = select(WalletCredential.raw).where(WalletCredential.id == item.credential_id)
    row = ctx.session.execute(query).first()
    return str(row.raw) if row else None


def revoke_share(ctx: Context, account_id: str, share_id: str) -> None:
    """Withdraw a share: the link shows nothing from now on."""
    done = ctx.session.execute(
        update(WalletShare).where(WalletShare.id == share_id)
        .where(WalletShare.account_id == account_id).values(revoked_at=ctx.clock())
        .returning(WalletShare.id)
    ).first()  # fmt: skip
    if done is None:
        raise NotFound("no such share")


def linkedin_url(name: str, organisation: str, issued: datetime | None, cert_url: str) -> str:
    """LinkedIn's add-to-profile link for a certification, pointing at the share link."""
    params = {"startTask": "CERTIFICATION_NAME", "name": name, "organizationName": organisation,
              "certUrl": cert_url}  # fmt: skip
    if issued is not None:
        params.update(issueYear=str(issued.year), issueMonth=str(issued.month))
    return "https://www.linkedin.com/profile/add?" + urlencode(params)
