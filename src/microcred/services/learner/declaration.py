"""A learner's optional declaration for the uptake statistics: an age band and a gender.

Only the band is kept (15-24 ... 65-plus, Eurostat's ten-year bands), never a birth date; each
part may be left undeclared ("prefer not to say"). The statistics count the credentials a
learner holds in the wallet by it (``adapters.db.stats_sql``), as anonymous, protected counts
(k = 5). Withdrawing deletes the row, and so does erasing the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete

from microcred.adapters.db.learner_models import LearnerDeclaration
from microcred.core.stats import AGE_BANDS, GENDERS
from microcred.services.context import Context
from microcred.services.errors import InvalidInput

NOT_SAID = ("", "undeclared", "prefer-not-to-say")  # what a form or a body sends for "none"


@dataclass(frozen=True)
class Declaration:
    """What the learner declared (None: prefer not to say), and when."""

    age_band: str | None = None
    gender: str | None = None
    declared_at: datetime | None = None

    @property
    def empty(self) -> bool:
        return self.age_band is None and self.gender is None


def _choice(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    if value is None or value.strip() in NOT_SAID:
        return None
    if value.strip() not in allowed:
        raise InvalidInput(f"{name}: {value[:40]!r} is not one of {', '.join(allowed)} "
                           "(or prefer-not-to-say)")  # fmt: skip
    return value.strip()


def get(ctx: Context, account_id: str) -> Declaration:
    """The learner's declaration (empty when nothing is declared)."""
    row = ctx.session.get(LearnerDeclaration, account_id)
    if row is None:
        return Declaration()
    return Declaration(row.age_band, row.gender, row.declared_at)


def declare(ctx: Context, account_id: str, age_band: str | None, gender: str | None) -> Declaration:
    """Keep what the learner declared (:class:`InvalidInput` for a value not offered); when
    both are left undeclared, nothing is kept (as :func:`withdraw`)."""
    band = _choice(age_band, AGE_BANDS, "age_band")
    said = _choice(gender, GENDERS, "gender")
    if band is None and said is None:
        withdraw(ctx, account_id)
        return Declaration()
    row = ctx.session.get(LearnerDeclaration, account_id)
    if row is None:
        row = LearnerDeclaration(account_id=account_id)
        ctx.session.add(row)
    row.age_band, row.gender, row.declared_at = band, said, ctx.clock()
    ctx.session.flush()
    return get(ctx, account_id)


def withdraw(ctx: Context, account_id: str) -> None:
    """Delete the declaration: from now on the learner's credentials count as undeclared."""
    ctx.session.execute(
        delete(LearnerDeclaration).where(LearnerDeclaration.account_id == account_id)
    )
