"""A held credential as a file: as received, converted to the other format, or as a PDF."""

from __future__ import annotations

import json
from dataclasses import dataclass

from microcred.adapters.pdf.render import render_credential_pdf
from microcred.core.errors import MicrocredError
from microcred.core.formats.detect import read_document
from microcred.core.formats.elm_write import to_elm
from microcred.core.formats.ob3 import to_ob3
from microcred.core.i18n import translate
from microcred.core.model import MicroCredential
from microcred.services.context import Context
from microcred.services.errors import InvalidInput
from microcred.services.learner import records, verifying, wallet


@dataclass(frozen=True)
class Download:
    """File content, media type and a file name."""

    content: bytes
    media_type: str
    filename: str


def model_of(held: wallet.Held) -> MicroCredential | None:
    """The Annex I model of a JSON credential (None for tokens or unreadable documents)."""
    if not held.raw.startswith("{"):
        return None
    try:
        return read_document(json.loads(held.raw)).credential
    except (MicrocredError, ValueError):
        return None


def other_format(held: wallet.Held) -> str | None:
    """The format a credential can be converted to: ``elm`` for OB 3.0, ``ob3`` for ELM."""
    return {"ob3": "elm", "elm": "ob3"}.get(held.format)


def download(
    ctx: Context, account_id: str, credential_id: str, kind: str, language: str
) -> Download:
    """``original``, ``sd-jwt``, ``clr`` (signed CLR 2.0 with the held parts), ``elm``/``ob3``
    (unsigned conversion) or ``pdf``."""
    held = wallet.get(ctx, account_id, credential_id)
    stem = f"micro-credential-{held.id[:8]}"
    if kind == "original":
        is_json = held.raw.startswith("{")
        return Download(held.raw.encode(), "application/json" if is_json else "application/jwt",
                        f"{stem}.{'json' if is_json else 'jwt'}")  # fmt: skip
    if kind == "clr":
        text = json.dumps(records.record_of(ctx, account_id, credential_id), indent=2,
                          ensure_ascii=False)  # fmt: skip
        return Download(text.encode(), "application/json", f"{stem}-clr.json")
    if kind == "sd-jwt" and held.disclosable:
        return Download(held.disclosable.encode(), "application/dc+sd-jwt", f"{stem}.sd-jwt")
    mc = model_of(held)
    if mc is None:
        raise InvalidInput("format: this credential cannot be converted")
    if kind == "pdf":
        url = _verify_url(ctx, held)
        word = verifying.status_word(verifying.check(ctx, held.raw))
        note = translate(f"status.{word}", language) if word != "ok" else None
        pdf = render_credential_pdf(mc, language=language, verify_url=url, status_note=note)
        return Download(pdf, "application/pdf", f"{stem}-{language}.pdf")
    if kind == other_format(held):
        document = to_elm(mc) if kind == "elm" else to_ob3(mc)
        text = json.dumps(document, indent=2, ensure_ascii=False)
        return Download(text.encode(), "application/json", f"{stem}-{kind}-unsigned.json")
    raise InvalidInput(f"format: {kind!r} is not offered for this credential")


def _verify_url(ctx: Context, held: wallet.Held) -> str:
    if held.credential_ref:
        return f"{ctx.public_url}/verify/{held.credential_ref}"
    return f"{ctx.public_url}/verify"
