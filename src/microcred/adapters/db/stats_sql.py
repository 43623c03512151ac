"""Uptake counts in SQL (SQLite and PostgreSQL): GROUP BY over the platform's tables.

The facts are pre-aggregated first (one row per opportunity, provider and month, with a count),
so a million credentials become a few thousand rows before the joins that classify them. An
opportunity is classified by its search index entry (its latest published version): country,
NUTS region, EQF, ISCED-F, mode and QA type (the smallest code when it has several, so each
fact counts once and margins add up); the provider type comes from the provider.

Age band and gender are the learner's own declaration (``learner_declarations``), found through
the wallet: a credential counts by the declaration of the account that holds it in its wallet
(``wallet_credentials.credential_ref``: claimed by its single-use link, or delivered there), a
stacking or recognition decision by the account that asked for it from its wallet. Anything else
is ``undeclared``. Both are grouped on before the joins, like the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    null,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from microcred.adapters.db.learner_models import LearnerDeclaration, WalletCredential
from microcred.adapters.db.tables import (
    Credential,
    OpportunityVersion,
    PathwayEvaluation,
    Provider,
    RecognitionCaseRow,
    SearchEntry,
    SearchValue,
)
from microcred.core.stats import UNDECLARED, UNKNOWN

LEARNER = ("age_band", "gender")  # declared by the learner, not stated by the opportunity
FACT_MEASURES = ("published", "issued", "revoked", "stacked", "recognised")
STACKED = ("accept", "accept-with-conditions")  # pathway decisions that issue the larger one
RECOGNISED = ("full", "partial")  # issued recognition decisions that recognise
PIVOTED = {"country": "max", "mode": "max", "qa_type": "min"}  # from search_values
FALLBACK: dict[str, Any] = {"country": Provider.country, "nuts": Provider.region}
INDEXED: dict[str, Any] = {
    "nuts": SearchEntry.nuts,
    "eqf": SearchEntry.eqf,
    "isced": SearchEntry.isced,
}


@dataclass(frozen=True)
class Scope:
    """Whose facts count: one provider's, one country's providers', or all (both None)."""

    provider_id: int | None = None
    country: str | None = None


def _month(column: Any, dialect: str) -> ColumnElement[Any]:
    """``YYYY-MM`` of a UTC moment, cheaply (SQLite stores it as text in that order)."""
    if dialect == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM")


def _declared(learner: bool) -> list[Any]:
    """The learner's age band and gender columns (NULL, and not grouped on, unless asked)."""
    if learner:
        return [LearnerDeclaration.age_band.label("age_band"),
                LearnerDeclaration.gender.label("gender")]  # fmt: skip
    return [cast(null(), String).label(name) for name in LEARNER]


def _decisions(measure: str, scope: Scope, dialect: str, learner: bool) -> Select[Any]:
    """(NULL opportunity, provider_id, month, age_band, gender, n): larger credentials issued by
    accepted pathway decisions (stacked), or recognition cases whose issued decision is full or
    partial (recognised), in the month of the decision. They belong to no opportunity; the
    learner is the wallet account that asked."""
    if measure == "stacked":
        owner, at = PathwayEvaluation.provider_id, PathwayEvaluation.decided_at
        chosen, account = PathwayEvaluation.decision.in_(STACKED), PathwayEvaluation.account_id
    else:
        owner, at = RecognitionCaseRow.provider_id, RecognitionCaseRow.decided_at
        chosen = RecognitionCaseRow.outcome.in_(RECOGNISED)
        account = RecognitionCaseRow.learner_account
    month = _month(at, dialect).label("month")
    query = select(cast(null(), Integer).label("opportunity_id"), owner.label("provider_id"),
                   month, *_declared(learner), func.count().label("n"))  # fmt: skip
    query = query.where(chosen, at.is_not(None))
    keys: list[Any] = [owner, month]
    if learner:
        query = query.outerjoin(LearnerDeclaration, LearnerDeclaration.account_id == account)
        keys += [LearnerDeclaration.age_band, LearnerDeclaration.gender]
    return _scoped(query, owner, scope).group_by(*keys)


def _declared_credentials(measure: str, scope: Scope, dialect: str) -> Any:
    """(version_id, provider_id, month, age_band, gender, n): the credentials whose holder
    declared something, walked from the declarations (a third of the credentials at most in
    practice) through the wallets' ``(account_id, credential_ref)`` index. A credential counts
    for one holder: the wallet row with the smallest (account, id) holding it (the NOT EXISTS
    reads ``ix_wallet_credentials_holder`` only)."""
    wallet, other = WalletCredential, aliased(WalletCredential)
    month = _month(Credential.issued_at, dialect).label("month")
    earlier = exists().where(
        other.credential_ref == wallet.credential_ref,
        tuple_(other.account_id, other.id) < tuple_(wallet.account_id, wallet.id),
    )
    query = (
        select(Credential.opportunity_version_id.label("version_id"),
               Credential.provider_id.label("provider_id"), month, *_declared(True),
               func.count().label("n"))
        .select_from(LearnerDeclaration)
        .join(wallet, wallet.account_id == LearnerDeclaration.account_id)
        .join(Credential, Credential.id == wallet.credential_ref)
        .where(~earlier)
    )  # fmt: skip
    if measure == "revoked":
        query = query.where(Credential.state == "revoked")
    keys = [Credential.provider_id, Credential.opportunity_version_id, month,
            LearnerDeclaration.age_band, LearnerDeclaration.gender]  # fmt: skip
    return _scoped(query, Credential.provider_id, scope).group_by(*keys).cte("declared")


def _facts(measure: str, scope: Scope, dialect: str, learner: bool = False) -> Select[Any]:
    """(opportunity_id, provider_id, month, age_band, gender, n) for the measure, within the
    scope: credentials are grouped on their own columns first (the covering index
    ``ix_credentials_uptake``), then joined to their versions (few rows).

    When ``learner``, the declared credentials are counted from the declarations' side and
    subtracted from the totals: ``undeclared`` is what is left (rows of n < 0 cancel them;
    the sums add up). Grouping every credential on its holder's declaration instead read each
    credential's row for its id and joined a million of them (6-10 s at 1,000,000)."""
    if measure in ("stacked", "recognised"):
        return _decisions(measure, scope, dialect, learner)
    if measure == "published":
        version = OpportunityVersion
        month = _month(version.published_at, dialect).label("month")
        query = select(version.opportunity_id.label("opportunity_id"),
                       version.provider_id.label("provider_id"), month, *_declared(False),
                       func.count().label("n")).where(version.is_latest)  # fmt: skip
        return _scoped(query, version.provider_id, scope).group_by(
            version.opportunity_id, version.provider_id, month)  # fmt: skip
    month = _month(Credential.issued_at, dialect).label("month")
    grouped = select(Credential.opportunity_version_id.label("version_id"),
                     Credential.provider_id.label("provider_id"), month, *_declared(False),
                     func.count().label("n"))  # fmt: skip
    if measure == "revoked":
        grouped = grouped.where(Credential.state == "revoked")
    keys: list[Any] = [Credential.provider_id, Credential.opportunity_version_id, month]
    totals = _scoped(grouped, Credential.provider_id, scope).group_by(*keys)
    if learner:
        declared = _declared_credentials(measure, scope, dialect)
        taken = select(declared.c.version_id, declared.c.provider_id, declared.c.month,
                       *_declared(False), (-declared.c.n).label("n"))  # fmt: skip
        inner = union_all(totals, select(declared), taken).subquery("grouped")
    else:
        inner = totals.subquery("grouped")
    query = select(
        OpportunityVersion.opportunity_id.label("opportunity_id"),
        inner.c.provider_id,
        inner.c.month,
        inner.c.age_band,
        inner.c.gender,
        inner.c.n,
    ).select_from(inner)
    return query.outerjoin(OpportunityVersion, OpportunityVersion.id == inner.c.version_id)


def _scoped(query: Select[Any], owner: Any, scope: Scope) -> Select[Any]:
    if scope.provider_id is not None:
        query = query.where(owner == scope.provider_id)
    if scope.country is not None:
        query = query.where(owner.in_(select(Provider.id).where(Provider.country == scope.country)))
    return query


def _pivot(names: Sequence[str]) -> Select[Any]:
    columns = [
        getattr(func, PIVOTED[name])(
            case((SearchValue.facet == name, SearchValue.value), else_=None)
        ).label(name)
        for name in names
    ]
    return select(SearchValue.opportunity_id, *columns).group_by(SearchValue.opportunity_id)


def count(
    connection: Connection, measure: str, dimensions: Sequence[str], scope: Scope
) -> list[tuple[tuple[Any, ...], int, str | None]]:
    """(values of ``dimensions`` but period, count, month ``YYYY-MM``) groups; the month is None
    unless ``period`` is among the dimensions. Missing values are None."""
    if measure not in FACT_MEASURES:
        raise ValueError(f"no facts for {measure!r}")
    plain = [d for d in dimensions if d != "period"]
    learner = any(d in LEARNER for d in plain)
    facts = _facts(measure, scope, connection.dialect.name, learner).subquery("facts")
    pivoted = [d for d in plain if d in PIVOTED]
    pivot = _pivot(pivoted).subquery("pivot") if pivoted else None
    columns: list[Any] = []
    for name in plain:
        if name in LEARNER:
            columns.append(
                func.coalesce(facts.c[name], literal_column(f"'{UNDECLARED}'"))
            )  # no bind: PG groups on it
            continue
        if name in PIVOTED:
            assert pivot is not None
            columns.append(pivot.c[name])
        elif name in INDEXED:
            columns.append(INDEXED[name])
        else:  # provider_type
            columns.append(Provider.type)
        if name in FALLBACK:  # what no opportunity states: the provider's place (a URI)
            columns[-1] = func.coalesce(columns[-1], FALLBACK[name])
    timed = "period" in dimensions
    when = facts.c.month if timed else literal(None)
    query = select(*columns, when, func.sum(facts.c.n)).select_from(facts)
    query = query.join(Provider, Provider.id == facts.c.provider_id)
    query = query.outerjoin(SearchEntry, SearchEntry.opportunity_id == facts.c.opportunity_id)
    if pivot is not None:
        query = query.outerjoin(pivot, pivot.c.opportunity_id == facts.c.opportunity_id)
    groups = [*columns, *([when] if timed else [])]
    if groups:
        query = query.group_by(*groups)
    if learner:  # a cell whose declared credentials were all subtracted again is no cell
        query = query.having(func.sum(facts.c.n) != 0)
    return [
        (tuple(row[: len(plain)]), int(row[-1] or 0), row[-2]) for row in connection.execute(query)
    ]


def label(value: object) -> str:
    """A dimension value as the code the tables carry (``unknown`` when not stated)."""
    if value is None or value == "":
        return UNKNOWN
    return str(value)
