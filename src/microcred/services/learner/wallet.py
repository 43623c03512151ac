"""The wallet: credentials a learner holds, from any provider; import, read, delete, export."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from microcred.adapters.db.learner_models import WalletCredential, WalletShareItem
from microcred.core.errors import MicrocredError
from microcred.core.formats.reading import MAX_BYTES
from microcred.core.verify import Report
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, NotFound
from microcred.services.learner import verifying
from microcred.services.learner.facts import annex1_claims

MAX_IMPORT_BYTES = 2 * 1024 * 1024
assert MAX_IMPORT_BYTES <= MAX_BYTES


@dataclass(frozen=True)
class Held:
    """One credential in a wallet."""

    id: str
    format: str
    raw: str
    sd_jwt: str | None
    credential_ref: str | None
    title: dict[str, str]
    issuer_name: dict[str, str]
    issued_at: datetime | None
    source: str
    added_at: datetime

    @property
    def selective(self) -> bool:
        """Elements can be disclosed one by one (an SD-JWT VC is held)."""
        return bool(self.sd_jwt) or self.format == "sd-jwt-vc"

    @property
    def disclosable(self) -> str | None:
        """The SD-JWT to present from, if any."""
        return self.sd_jwt or (self.raw if self.format == "sd-jwt-vc" else None)


def _held(row: Any) -> Held:
    return Held(
        row.id, row.format, row.raw, row.sd_jwt, row.credential_ref, row.title or {},
        row.issuer_name or {}, row.issued_at, row.source, row.added_at,
    )  # fmt: skip


def storage_format(report: Report, text: str) -> str:
    """How the credential is secured/encoded: ob3, elm, vc-jwt, sd-jwt-vc or json."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return "sd-jwt-vc" if "~" in stripped else "vc-jwt"
    label = report.format.lower()
    if "elm" in label or "europass" in label or "edc" in label:
        return "elm"
    return "ob3" if "open badges" in label or "ob" in label.split() else "json"


def _as_lang_map(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
    return {"en": str(value)} if value else {}


def _issuer_name(claims: Mapping[str, Any]) -> dict[str, str]:
    bodies = claims.get("awarding_bodies") or []
    first = bodies[0] if isinstance(bodies, list) and bodies else None
    if isinstance(first, Mapping):
        return _as_lang_map(first.get("name") or first.get("id"))
    return _as_lang_map(first)


def describe(report: Report) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    """``(title, issuer name, Annex I claims)`` of a verified document."""
    claims = annex1_claims(report.document or {})
    return _as_lang_map(claims.get("title")), _issuer_name(claims), claims


def add(
    ctx: Context,
    account_id: str,
    raw: str,
    *,
    source: str,
    sd_jwt: str | None = None,
    credential_ref: str | None = None,
) -> Held:
    """Verify and store a credential; :class:`InvalidInput` when it is not a credential at all."""
    report = verifying.check(ctx, raw)
    if not report.readable or report.kind != "credential":
        reason = report.checks[0].detail if report.checks else "unreadable"
        raise InvalidInput(f"file: not a credential ({reason})")
    title, issuer, _claims = describe(report)
    issued = _issued(report.document or {})
    row_id = ctx.new_id()
    ctx.session.execute(
        insert(WalletCredential).values(
            id=row_id, account_id=account_id, format=storage_format(report, raw),
            raw=raw.strip(), sd_jwt=sd_jwt, credential_ref=credential_ref,
            title=title or {"en": "Untitled credential"}, issuer_name=issuer,
            issued_at=issued, source=source, added_at=ctx.clock(),
        )
    )  # fmt: skip
    return get(ctx, account_id, row_id)


def _issued(document: Mapping[str, Any]) -> datetime | None:
    for key in ("validFrom", "issuanceDate", "issued", "awardedDate"):
        value = document.get(key)
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            if moment.tzinfo is not None:
                return moment
    return None


def import_file(ctx: Context, account_id: str, data: bytes) -> Held:
    """Import an uploaded file (OB 3.0, ELM/EDC, VC-JWT, SD-JWT VC), verified on the way in."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(f"file: larger than {MAX_IMPORT_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file: not a text file (a credential is JSON or a JWT)") from None
    if not text.strip():
        raise InvalidInput("file: the file is empty")
    try:
        return add(ctx, account_id, text, source="imported")
    except MicrocredError as exc:
        raise InvalidInput(f"file: {exc.message}") from exc


def list_held(ctx: Context, account_id: str, query: str = "") -> list[Held]:
    """A learner's credentials, newest first, optionally filtered by words of the title."""
    ctx.actor.require_account(account_id)
    rows = ctx.session.scalars(
        select(WalletCredential)
        .where(WalletCredential.account_id == account_id)
        .order_by(WalletCredential.added_at.desc())
    ).all()
    held = [_held(r) for r in rows]
    words = query.lower().split()
    return [h for h in held if all(w in json.dumps(h.title, ensure_ascii=False).lower()
                                   for w in words)]  # fmt: skip


def get(ctx: Context, account_id: str, credential_id: str) -> Held:
    """One of *this* learner's credentials; :class:`NotFound` for anyone else's."""
    ctx.actor.require_account(account_id)
    return shared(ctx, account_id, credential_id)


def shared(ctx: Context, account_id: str, credential_id: str) -> Held:
    """A credential of ``account_id``'s wallet for whoever holds a share of it (the share is the
    permission: no actor check); :class:`NotFound` if it is not in that wallet."""
    row = ctx.session.scalars(
        select(WalletCredential)
        .where(WalletCredential.id == credential_id)
        .where(WalletCredential.account_id == account_id)
    ).first()
    if row is None:
        raise NotFound("no such credential in your wallet")
    return _held(row)


def remove(ctx: Context, account_id: str, credential_id: str) -> None:
    """Delete a credential from the wallet (and the shares of it)."""
    get(ctx, account_id, credential_id)
    ctx.session.execute(
        delete(WalletShareItem).where(WalletShareItem.credential_id == credential_id)
    )
    ctx.session.execute(delete(WalletCredential).where(WalletCredential.id == credential_id))


def export_zip(ctx: Context, account_id: str) -> bytes:
    """Everything in the wallet: each credential as received, plus an index (GDPR portability)."""
    ctx.actor.require_account(account_id)
    buffer = io.BytesIO()
    index = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for held in list_held(ctx, account_id):
            name = f"{held.id}.{'json' if held.raw.startswith('{') else 'jwt'}"
            archive.writestr(name, held.raw)
            if held.sd_jwt:
                archive.writestr(f"{held.id}.sd-jwt", held.sd_jwt)
            index.append({"file": name, "format": held.format, "title": held.title,
                          "source": held.source, "added": held.added_at.isoformat()})  # fmt: skip
        archive.writestr("index.json", json.dumps(index, indent=2, ensure_ascii=False))
    return buffer.getvalue()
