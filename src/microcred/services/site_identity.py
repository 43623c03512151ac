"""The site's identity: the public address recorded in the database, and the check against it.

A did:web names the host it lives on, so the address a site was started with is part of every
DID and status list URL it has published. Every entry point derives the address the same way
(:meth:`microcred.config.Settings.site_url`); the first start records it, and a later start that
derives another one is refused instead of treating the site's own DIDs as foreign.
"""

from __future__ import annotations

from microcred.adapters.db.tables import SiteIdentity
from microcred.services.context import Context
from microcred.services.errors import SiteMismatch

ROW_ID = 1


def recorded(ctx: Context) -> str | None:
    """The address recorded for this database, or None before the first start."""
    row = ctx.session.get(SiteIdentity, ROW_ID)
    return row.public_url if row is not None else None


def confirm(ctx: Context, derived: str) -> None:
    """Record ``derived`` as the site's address on first use; refuse another one later."""
    stored = recorded(ctx)
    if stored is None:
        ctx.session.add(SiteIdentity(id=ROW_ID, public_url=derived, recorded_at=ctx.now()))
        ctx.session.flush()
    elif stored != derived:
        raise SiteMismatch(
            f"this database belongs to the site at {stored}, but this start derives {derived}: "
            f"set MICROCRED_PUBLIC_URL={stored} (or use another database)"
        )
