"""Bearer API keys with roles; only a SHA-256 of the secret part is stored."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from sqlalchemy import select

from microcred.adapters.db.tables import ApiKey, Provider
from microcred.services import audit
from microcred.services.context import Actor, Context, Role
from microcred.services.errors import InvalidInput, NotFound, Unauthenticated
from microcred.services.vocabulary import concept_uri

COUNTRY = re.compile(r"^[A-Z]{2}$")
TOKEN_PREFIX = "mc"  # noqa: S105 (a public marker)


@dataclass(frozen=True)
class NewApiKey:
    """A key just created: the token is shown once and never stored."""

    row: ApiKey
    token: str


# keys that act for one organisation (a provider, an authority, an assessment centre)
ORGANISATION_ROLES = (Role.PROVIDER_ADMIN, Role.PROVIDER_ISSUER, Role.PATHWAY_OFFICER,
                      Role.RECOGNITION_OFFICER, Role.ASSESSOR)  # fmt: skip


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(
    ctx: Context, role: str, provider_id: int | None, label: str, country: str | None = None
) -> NewApiKey:
    """Platform admins create any key; provider admins create keys for their own provider.
    A statistics-reader key is a platform key for one ``country`` (ISO code, e.g. RO)."""
    try:
        kind = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(f"role {role!r} is not one of {roles}", field="role") from None
    if kind is Role.PLATFORM_ADMIN or provider_id is None:
        ctx.actor.require_admin()
    else:
        ctx.actor.require("manage", provider_id)
    if kind in ORGANISATION_ROLES and provider_id is None:
        raise InvalidInput(f"a {kind.value} key belongs to a provider", field="provider_id")
    if provider_id is not None and ctx.session.get(Provider, provider_id) is None:
        raise NotFound(f"no provider {provider_id}")
    _check_country(kind, provider_id, country)
    if kind is Role.PLATFORM_ADMIN and provider_id is not None:
        raise InvalidInput("a platform-admin key belongs to no provider", field="provider_id")
    prefix = ctx.new_token()[:12].replace("-", "x").replace("_", "y")
    secret = ctx.new_token()
    row = ApiKey(prefix=prefix, secret_hash=_hash(secret), role=kind.value,
                 provider_id=provider_id, label=label, created_at=ctx.now(),
                 country=country)  # fmt: skip
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(ctx, "apikey.create", "api-key", row.id, provider_id=provider_id,
                 detail={"role": kind.value, "label": label})  # fmt: skip
    ctx.session.flush()
    return NewApiKey(row, f"{TOKEN_PREFIX}_{prefix}_{secret}")


def authenticate(ctx: Context, token: str) -> Actor:
    """The actor a bearer token stands for; Unauthenticated for anything else."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise Unauthenticated("not a microcred API key")
    row = ctx.session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("unknown or revoked API key")
    if not hmac.compare_digest(row.secret_hash, _hash(parts[2])):
        raise Unauthenticated("unknown or revoked API key")
    return Actor(f"apikey:{row.prefix}", Role(row.role), row.provider_id, row.country)


def _check_country(kind: Role, provider_id: int | None, country: str | None) -> None:
    if kind is not Role.STATISTICS_READER:
        if country is not None:
            raise InvalidInput("only a statistics-reader key has a country", field="country")
        return
    if provider_id is not None:
        raise InvalidInput("a statistics-reader key belongs to no provider", field="provider_id")
    if country is None or not COUNTRY.match(country):
        raise InvalidInput(
            "a statistics-reader key needs its country (two capital letters, e.g. RO)",
            field="country",
        )
    concept_uri("country", country, "country")  # a country the vocabulary knows


def revoke(ctx: Context, key_id: int) -> ApiKey:
    """Withdraw a key at once."""
    row = ctx.session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"no API key {key_id}")
    if row.provider_id is None:
        ctx.actor.require_admin()
    else:
        ctx.actor.require("manage", row.provider_id)
    row.revoked_at = row.revoked_at or ctx.now()
    audit.record(ctx, "apikey.revoke", "api-key", row.id, provider_id=row.provider_id)
    ctx.session.flush()
    return row


def list_keys(ctx: Context, provider_id: int | None) -> list[ApiKey]:
    """Keys of a provider (or the platform-level ones)."""
    if provider_id is None:
        ctx.actor.require_admin()
        query = select(ApiKey).where(ApiKey.provider_id.is_(None))
    else:
        ctx.actor.require("manage", provider_id)
        query = select(ApiKey).where(ApiKey.provider_id == provider_id)
    return list(ctx.session.scalars(query.order_by(ApiKey.id)))
