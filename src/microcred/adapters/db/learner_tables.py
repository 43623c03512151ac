"""Tables of the learner side: web accounts, sessions, wallet, claims, shares, challenges, outbox.

They live in their own ``MetaData`` and Alembic branch (``learner``); they refer to the
platform's credentials by their public id (a string), never by a foreign key, so the two
schemas migrate independently. Secrets (claim, share, session, access tokens) are stored as
SHA-256 hashes only.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from microcred.adapters.db.types import UTCDateTime

learner_metadata = MetaData()

accounts = Table(
    "web_accounts",
    learner_metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(200)),
    Column("role", String(20), nullable=False),  # learner | provider
    Column("provider_ref", String(200)),  # the provider a provider user acts for
    Column("display_name", String(200), nullable=False, default=""),
    Column("language", String(8), nullable=False, default="en"),
    Column("holder_did", String(200)),
    Column("holder_key", LargeBinary),  # encrypted PKCS#8 key file
    Column("created_at", UTCDateTime(), nullable=False),
)

sessions = Table(
    "web_sessions",
    learner_metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", String(36), ForeignKey("web_accounts.id", ondelete="CASCADE")),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

login_links = Table(
    "web_login_links",
    learner_metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

wallet_credentials = Table(
    "wallet_credentials",
    learner_metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("web_accounts.id", ondelete="CASCADE")),
    Column("format", String(20), nullable=False),  # ob3 | elm | vc-jwt | sd-jwt-vc | native
    Column("raw", Text, nullable=False),  # the document exactly as received
    Column("sd_jwt", Text),  # an SD-JWT VC of the same credential, bound to the holder key
    Column("credential_ref", String(200)),  # platform id of a credential issued here
    Column("title", JSON, nullable=False),
    Column("issuer_name", JSON, nullable=False),
    Column("issued_at", UTCDateTime()),
    Column("source", String(20), nullable=False),  # claimed | imported | oid4vci
    Column("added_at", UTCDateTime(), nullable=False),
)

claims = Table(
    "wallet_claims",
    learner_metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("pre_auth_hash", String(64), nullable=False, unique=True),
    Column("tx_code_hash", String(64)),
    Column("credential_ref", String(200)),
    Column("learner_email", String(320)),
    Column("issuer_id", String(300), nullable=False),
    Column("document", Text, nullable=False),  # the signed credential (verbatim)
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

access_tokens = Table(
    "oid4vci_access_tokens",
    learner_metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("claim_id", String(36), ForeignKey("wallet_claims.id", ondelete="CASCADE")),
    Column("c_nonce", String(64), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

shares = Table(
    "wallet_shares",
    learner_metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("account_id", String(36), ForeignKey("web_accounts.id", ondelete="CASCADE")),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

share_items = Table(
    "wallet_share_items",
    learner_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("share_id", String(36), ForeignKey("wallet_shares.id", ondelete="CASCADE")),
    Column("credential_id", String(36), ForeignKey("wallet_credentials.id", ondelete="CASCADE")),
    Column("format", String(20), nullable=False),
    Column("presented", Text, nullable=False),  # SD-JWT with chosen disclosures, or whole doc
    Column("elements", JSON, nullable=False),
    UniqueConstraint("share_id", "credential_id"),
)

challenges = Table(
    "verifier_challenges",
    learner_metadata,
    Column("challenge", String(64), primary_key=True),
    Column("domain", String(300), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    Column("result", JSON),  # the verification report of the presentation received
)

outbox = Table(
    "web_outbox",
    learner_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipient", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)
