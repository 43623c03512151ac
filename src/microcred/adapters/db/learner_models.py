"""The learner side's tables as models of the platform's metadata: web accounts and sessions,
sign-in links, the wallet, claims, OpenID4VCI tokens, shares, verifier challenges, the outbox.

They refer to the platform's credentials by their public id (a string, ``credential_ref``),
not by a foreign key. Secrets (claim, share, session, access tokens) are stored as SHA-256
hashes only. Created by the ``learner_0001`` migration, joined to the platform's history by
``0005``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from microcred.adapters.db.tables import Base


class WebAccount(Base):
    """A person who signs in to the pages: a learner (with a wallet) or a provider's staff."""

    __tablename__ = "web_accounts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # learner | provider | statistics
    provider_ref: Mapped[str | None] = mapped_column(String(200))  # slug a provider user acts for
    display_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    holder_did: Mapped[str | None] = mapped_column(String(200))
    holder_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted PKCS#8 key file
    created_at: Mapped[datetime]
    country: Mapped[str | None] = mapped_column(String(2))  # statistics: the country it reads


class WebSession(Base):
    """A browser session (the hash of its cookie), signed in to an account or not."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("web_accounts.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginLink(Base):
    """A single-use sign-in link sent by e-mail."""

    __tablename__ = "web_login_links"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WalletCredential(Base):
    """A credential a learner holds, exactly as received."""

    __tablename__ = "wallet_credentials"
    __table_args__ = (  # the statistics' walk from a declaration to its credentials (0023)
        Index("ix_wallet_credentials_holder", "credential_ref", "account_id", "id"),
        Index("ix_wallet_credentials_account", "account_id", "credential_ref"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("web_accounts.id", ondelete="CASCADE")
    )
    format: Mapped[str] = mapped_column(String(20))  # ob3 | elm | vc-jwt | sd-jwt-vc | native
    raw: Mapped[str] = mapped_column(Text)  # the document exactly as received
    sd_jwt: Mapped[str | None] = mapped_column(Text)  # an SD-JWT VC of it, bound to the holder
    # id of one issued here; the statistics find a credential's holder by it (0023's indexes)
    credential_ref: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[Any] = mapped_column(JSON)
    issuer_name: Mapped[Any] = mapped_column(JSON)
    issued_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(20))  # claimed | imported | oid4vci
    added_at: Mapped[datetime]


class WalletClaim(Base):
    """A claim link (and OpenID4VCI pre-authorized code) for one signed credential."""

    __tablename__ = "wallet_claims"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pre_auth_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tx_code_hash: Mapped[str | None] = mapped_column(String(64))
    credential_ref: Mapped[str | None] = mapped_column(String(200))
    learner_email: Mapped[str | None] = mapped_column(String(320))
    issuer_id: Mapped[str] = mapped_column(String(300))
    document: Mapped[str] = mapped_column(Text)  # the signed credential (verbatim)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    issuer_state_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    tx_code_failures: Mapped[int] = mapped_column(Integer, server_default="0")


class AuthorizationCode(Base):
    """An OpenID4VCI authorization code: one claim a signed-in learner agreed to give to one
    client, bound to its redirect URI and PKCE challenge; short-lived, single use (0016)."""

    __tablename__ = "oid4vci_authorization_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    claim_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("wallet_claims.id", ondelete="CASCADE")
    )
    account_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("web_accounts.id", ondelete="CASCADE")
    )
    client_id: Mapped[str] = mapped_column(String(300))
    redirect_uri: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(64))
    configuration_ids: Mapped[Any] = mapped_column(JSON)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class AccessToken(Base):
    """An OpenID4VCI access token for one claim, with its c_nonce."""

    __tablename__ = "oid4vci_access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    claim_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("wallet_claims.id", ondelete="CASCADE")
    )
    c_nonce: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WalletShare(Base):
    """A share link a learner made; it expires and can be withdrawn."""

    __tablename__ = "wallet_shares"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("web_accounts.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WalletShareItem(Base):
    """One credential in a share, as presented (chosen disclosures, or the whole document)."""

    __tablename__ = "wallet_share_items"
    __table_args__ = (UniqueConstraint("share_id", "credential_id"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    share_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("wallet_shares.id", ondelete="CASCADE")
    )
    credential_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("wallet_credentials.id", ondelete="CASCADE")
    )
    format: Mapped[str] = mapped_column(String(20))
    presented: Mapped[str] = mapped_column(Text)
    elements: Mapped[Any] = mapped_column(JSON)


class VerifierChallenge(Base):
    """A challenge the verifier asked a presentation for (or an OpenID4VCI nonce), single use."""

    __tablename__ = "verifier_challenges"
    challenge: Mapped[str] = mapped_column(String(64), primary_key=True)
    domain: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    result: Mapped[Any] = mapped_column(JSON, nullable=True)  # report of the answer received


class OutboxMail(Base):
    """An e-mail the platform would send (the demo has no SMTP: the outbox page shows them)."""

    __tablename__ = "web_outbox"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class PresentationTransaction(Base):
    """An OpenID4VP request the verifier waits on (``id`` is in its request_uri and page URL):
    the wallet's answer finds it by ``state``, spends it once (``answered_at``) and leaves the
    verifier's judgement in ``result``. Created by the ``0017`` migration."""

    __tablename__ = "oid4vp_transactions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(300))
    response_uri: Mapped[str] = mapped_column(String(500))
    dcql_query: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    result: Mapped[Any] = mapped_column(JSON, nullable=True)


class LearnerDeclaration(Base):
    """What a learner chose to declare for the uptake statistics (migration 0019): an age band
    and a gender, each optional (None: prefer not to say). No birth date is kept. Withdrawing
    deletes the row; erasing the account deletes it too (and the foreign key cascades)."""

    __tablename__ = "learner_declarations"
    account_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("web_accounts.id", ondelete="CASCADE"), primary_key=True
    )
    age_band: Mapped[str | None] = mapped_column(String(16))  # 15-24 ... 65-plus
    gender: Mapped[str | None] = mapped_column(String(16))  # F, M, other
    declared_at: Mapped[datetime]
