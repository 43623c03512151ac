"""A learner's own recognition cases (issue 11 §3, from the wallet): submit credentials they
hold to an authority, follow the case, read the decision, download the letter, appeal. The
learner sees their own cases only (another's is not found); the decision credential comes back
into their wallet when it is issued (``recognition.store_event``)."""

from __future__ import annotations

from sqlalchemy import select

from microcred.adapters.db.tables import RecognitionCaseRow
from microcred.services import recognition
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, NotFound
from microcred.services.learner import accounts, wallet
from microcred.services.recognition_forms import CaseIn

MAX_PICKED = 20


def submit(
    ctx: Context, account_id: str, provider_id: int, held_ids: list[str], purpose: str,
    language: str,
) -> RecognitionCaseRow:  # fmt: skip
    """Open a case at ``provider_id`` for credentials of the learner's wallet."""
    ctx.actor.require_account(account_id)
    if not held_ids:
        raise InvalidInput("credentials: pick at least one credential", field="credentials")
    if len(held_ids) > MAX_PICKED:
        raise InvalidInput(f"credentials: at most {MAX_PICKED} at once", field="credentials")
    held = [wallet.get(ctx, account_id, held_id) for held_id in dict.fromkeys(held_ids)]
    account = accounts.get_account(ctx, account_id)
    data = CaseIn.model_validate({
        "provider_id": provider_id, "credentials": [h.raw for h in held],
        "applicant": account.display_name or account.email, "purpose": purpose,
        "language": language if language in ("en", "fr", "ro", "de") else "en",
    })  # fmt: skip
    return recognition.open_row(ctx, data, list(data.credentials), account_id)


def mine(ctx: Context, account_id: str) -> list[RecognitionCaseRow]:
    """The learner's cases, newest first."""
    ctx.actor.require_account(account_id)
    query = select(RecognitionCaseRow).where(RecognitionCaseRow.learner_account == account_id)
    return list(ctx.session.scalars(query.order_by(RecognitionCaseRow.created_at.desc(),
                                                   RecognitionCaseRow.id)))  # fmt: skip


def get(ctx: Context, account_id: str, case_id: str) -> RecognitionCaseRow:
    """One of the learner's cases (NotFound for anyone else's)."""
    ctx.actor.require_account(account_id)
    row = ctx.session.get(RecognitionCaseRow, case_id)
    if row is None or row.learner_account != account_id:
        raise NotFound(f"no recognition case {case_id}")
    return row


def appeal(ctx: Context, account_id: str, case_id: str, grounds: str) -> RecognitionCaseRow:
    """Appeal an issued decision (the case reopens for a new decision)."""
    row = get(ctx, account_id, case_id)
    stored = {"type": "appealed", "actor": ctx.actor.name, "at": ctx.now().isoformat(),
              "grounds": grounds}  # fmt: skip
    return recognition.store_event(ctx, row, stored)
