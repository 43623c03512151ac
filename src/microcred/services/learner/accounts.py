"""Web accounts: learners and provider users, passwords (argon2), login links, sessions, erasure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update

from microcred.adapters.db.learner_models import (
    LoginLink,
    WalletCredential,
    WalletShare,
    WebAccount,
    WebSession,
)
from microcred.adapters.db.tables import PathwayEvaluation
from microcred.core.i18n import SUPPORTED_LANGUAGES
from microcred.services.context import Context, token_hash
from microcred.services.errors import InvalidInput, LinkExpired, LoginFailed
from microcred.services.learner.holder import new_holder_key
from microcred.services.learner.outbox import send_mail

SESSION_TTL = timedelta(hours=12)
LOGIN_LINK_TTL = timedelta(minutes=30)
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
ROLES = ("learner", "provider", "statistics", "recognition-officer", "assessor")
LANGUAGES = SUPPORTED_LANGUAGES  # the one table: microcred.core.i18n
_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("not a password anyone has")


@dataclass(frozen=True)
class Account:
    """A signed-in person: a learner, a provider user acting for ``provider_ref``, or a
    national authority's statistics reader of ``country`` (role ``statistics``)."""

    id: str
    email: str
    role: str
    display_name: str
    language: str
    provider_ref: str | None = None
    holder_did: str | None = None
    country: str | None = None


def _account(row: Any) -> Account:
    return Account(
        row.id, row.email, row.role, row.display_name, row.language, row.provider_ref,
        row.holder_did, row.country,
    )  # fmt: skip


def normalise_email(email: str) -> str:
    """Trimmed, lower-cased e-mail; :class:`InvalidInput` if it does not look like one."""
    value = email.strip().lower()
    if not EMAIL.match(value):
        raise InvalidInput("e-mail: this is not an e-mail address")
    return value


def create_account(
    ctx: Context,
    email: str,
    password: str | None,
    *,
    role: str = "learner",
    display_name: str = "",
    language: str = "en",
    provider_ref: str | None = None,
    country: str | None = None,
) -> Account:
    """Register an account (password optional: passwordless accounts log in by e-mail link);
    a ``statistics`` account reads the uptake statistics of its ``country`` (ISO code)."""
    email = normalise_email(email)
    if password is not None and len(password) < 8:
        raise InvalidInput("password: use at least 8 characters")
    if role not in ROLES:
        raise InvalidInput(f"role: {role!r} is not one of {', '.join(ROLES)}")
    if (role == "statistics") != (country is not None) or (country and not COUNTRY.match(country)):
        raise InvalidInput("country: a statistics account, and only it, has a country (two "
                           "capital letters, e.g. RO)")  # fmt: skip
    if ctx.session.execute(select(WebAccount.id).where(WebAccount.email == email)).first():
        raise InvalidInput("e-mail: an account with this address already exists")
    account_id = ctx.new_id()
    key_file, did = new_holder_key(ctx, account_id)
    ctx.session.execute(
        insert(WebAccount).values(
            id=account_id, email=email, role=role,
            password_hash=_HASHER.hash(password) if password else None,
            display_name=display_name.strip()[:200], provider_ref=provider_ref,
            language=language if language in LANGUAGES else "en",
            holder_did=did, holder_key=key_file, created_at=ctx.clock(), country=country,
        )
    )  # fmt: skip
    return get_account(ctx, account_id)


def get_account(ctx: Context, account_id: str) -> Account:
    """The account with this id; :class:`LoginFailed` if it no longer exists."""
    row = ctx.session.scalars(select(WebAccount).where(WebAccount.id == account_id)).first()
    if row is None:
        raise LoginFailed("this account does not exist")
    return _account(row)


def find_account(ctx: Context, email: str) -> Account | None:
    """The account of this e-mail address, if any."""
    row = ctx.session.scalars(select(WebAccount).where(WebAccount.email == email)).first()
    return _account(row) if row else None


def check_password(ctx: Context, email: str, password: str) -> Account:
    """The account when the password matches; :class:`LoginFailed` otherwise."""
    row = ctx.session.scalars(
        select(WebAccount).where(WebAccount.email == email.strip().lower())
    ).first()
    try:
        if row is None or not row.password_hash:
            _HASHER.verify(_dummy_hash(), password)  # same work: no timing hint of who exists
            raise VerificationError
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise LoginFailed("wrong e-mail address or password") from None
    return _account(row)


def set_language(ctx: Context, account_id: str, language: str) -> None:
    """Remember the language the person reads the platform in."""
    if language in LANGUAGES:
        ctx.session.execute(
            update(WebAccount).where(WebAccount.id == account_id).values(language=language)
        )


def send_login_link(ctx: Context, email: str, next_path: str = "/wallet") -> None:
    """E-mail a single-use sign-in link (creating a passwordless learner account if needed)."""
    email = normalise_email(email)
    if find_account(ctx, email) is None:
        create_account(ctx, email, None)
    token = ctx.token()
    ctx.session.execute(
        insert(LoginLink).values(
            token_hash=token_hash(token), email=email, expires_at=ctx.clock() + LOGIN_LINK_TTL
        )
    )
    link = f"{ctx.public_url}/login/link/{token}?next={next_path}"
    send_mail(ctx, email, "Your microcred sign-in link", f"Sign in (valid 30 minutes):\n{link}\n")


def use_login_link(ctx: Context, token: str) -> Account:
    """Consume a sign-in link once; :class:`LinkExpired` if expired or already used."""
    now = ctx.clock()
    done = ctx.session.execute(
        update(LoginLink)
        .where(LoginLink.token_hash == token_hash(token))
        .where(LoginLink.used_at.is_(None))
        .where(LoginLink.expires_at > now)
        .values(used_at=now)
        .returning(LoginLink.email)
    ).first()
    account = find_account(ctx, done.email) if done else None
    if account is None:
        raise LinkExpired("this sign-in link has expired or was already used")
    return account


def open_session(ctx: Context, account_id: str | None) -> str:
    """A new session token (anonymous when ``account_id`` is None)."""
    token = ctx.token()
    now = ctx.clock()
    ctx.session.execute(
        insert(WebSession).values(
            token_hash=token_hash(token), account_id=account_id, created_at=now,
            expires_at=now + SESSION_TTL,
        )
    )  # fmt: skip
    return token


def sign_in(ctx: Context, account_id: str) -> str:
    """A new session token signed in to ``account_id`` (never the visitor's old one)."""
    return open_session(ctx, account_id)


def session_account(ctx: Context, token: str) -> tuple[bool, Account | None]:
    """``(session is valid, its account)`` for a session token."""
    row = ctx.session.execute(
        select(WebSession.account_id, WebSession.expires_at).where(
            WebSession.token_hash == token_hash(token)
        )
    ).first()
    if row is None or row.expires_at <= ctx.clock():
        return False, None
    if row.account_id is None:
        return True, None
    try:
        return True, get_account(ctx, row.account_id)
    except LoginFailed:
        return False, None


def close_session(ctx: Context, token: str) -> None:
    """Forget a session (logout)."""
    ctx.session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def erase_account(ctx: Context, account_id: str) -> None:
    """GDPR erasure: the account, its wallet, shares, sessions, holder key and its declaration
    for the statistics (age band, gender) are deleted.

    Credentials stay issued: the provider's status lists are not touched, so anything the
    learner downloaded keeps verifying.
    """
    from microcred.adapters.db.learner_models import (
        LearnerDeclaration,
        OutboxMail,
        WalletClaim,
        WalletShareItem,
    )

    share_ids = select(WalletShare.id).where(WalletShare.account_id == account_id)
    ctx.session.execute(delete(WalletShareItem).where(WalletShareItem.share_id.in_(share_ids)))
    ctx.session.execute(delete(WalletShare).where(WalletShare.account_id == account_id))
    ctx.session.execute(delete(WalletCredential).where(WalletCredential.account_id == account_id))
    ctx.session.execute(delete(WebSession).where(WebSession.account_id == account_id))
    ctx.session.execute(
        delete(LearnerDeclaration).where(LearnerDeclaration.account_id == account_id)
    )
    row = ctx.session.execute(select(WebAccount.email).where(WebAccount.id == account_id)).first()
    if row is not None:
        ctx.session.execute(delete(LoginLink).where(LoginLink.email == row.email))
        ctx.session.execute(delete(WalletClaim).where(WalletClaim.learner_email == row.email))
        ctx.session.execute(delete(OutboxMail).where(OutboxMail.recipient == row.email))
    ctx.session.execute(update(PathwayEvaluation).where(PathwayEvaluation.account_id == account_id)
                        .values(account_id=None))  # the organisation's record stays  # fmt: skip
    ctx.session.execute(delete(WebAccount).where(WebAccount.id == account_id))
