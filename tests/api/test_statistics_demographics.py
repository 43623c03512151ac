"""Uptake by the age band and gender learners declared, on both databases.

A credential counts by the declaration of the wallet account holding it (claimed or delivered
there, ``wallet_credentials.credential_ref``); a stacking or recognition decision by the account
that asked for it from its wallet; everything else is ``undeclared``.

The world (all March 2026): RO issued 16 credentials. Ana (F, 25-34) holds 6, Bogdan (M,
35-44) 5, Cleo (other, no age declared) 2; 3 are in no wallet. FR issued 1, in no wallet.
"""

from __future__ import annotations

import csv
import io
import uuid
from itertools import combinations

import pytest
from sqlalchemy import select, update

from microcred.adapters.db.learner_models import WalletCredential
from microcred.adapters.db.tables import Credential, PathwayEvaluation, RecognitionCaseRow
from microcred.bootstrap import Platform
from microcred.core.stats import TOTAL, Status, complete, determined, lines, with_margins
from microcred.services.context import SYSTEM
from microcred.services.learner import accounts, declaration
from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.api.test_statistics import MARCH, _copies, _get, _values
from tests.api.test_statistics_decisions import decisions  # noqa: F401  (a fixture)

HELD = {"ana": ("25-34", "F", 6), "bogdan": ("35-44", "M", 5), "cleo": (None, "other", 2)}
TRUTH = {  # (country, age_band, gender): issued
    ("RO", "25-34", "F"): 6,
    ("RO", "35-44", "M"): 5,
    ("RO", "undeclared", "other"): 2,
    ("RO", "undeclared", "undeclared"): 3,
    ("FR", "undeclared", "undeclared"): 1,
}


def _hold(platform: Platform, account_id: str, refs: list[str]) -> None:
    """The credentials ``refs`` in the wallet of ``account_id``, as a claim leaves them."""
    with platform.unit_of_work(SYSTEM) as ctx:
        for ref in refs:
            row = ctx.session.get(Credential, ref)
            assert row is not None
            ctx.session.add(WalletCredential(
                id=str(uuid.uuid4()), account_id=account_id, format="ob3", raw=row.document,
                credential_ref=ref, title={"en": "Course"}, issuer_name={"en": "unibuc"},
                issued_at=row.issued_at, source="claimed", added_at=MARCH,
            ))  # fmt: skip


@pytest.fixture
def learners(platform: Platform, world: World) -> dict[str, str]:
    """The accounts by name, with their declarations and the credentials they hold."""
    _copies(platform, world.ro.credential, None, MARCH, 15)
    with platform.unit_of_work(SYSTEM) as ctx:
        refs = list(ctx.session.scalars(
            select(Credential.id).where(Credential.provider_id == world.ro.id,
                                        Credential.id != world.ro.credential)
            .order_by(Credential.id)
        ))  # fmt: skip
        made = {}
        for name, (band, gender, _) in HELD.items():
            account = accounts.create_account(ctx, f"{name}@example.org", None)
            declaration.declare(ctx, account.id, band, gender)
            made[name] = account.id
    start = 0
    for name, (_, _, number) in HELD.items():
        _hold(platform, made[name], refs[start : start + number])
        start += number
    return made


def test_issued_by_declared_gender_and_age_band(
    client: ApiClient, world: World, learners: dict[str, str]
) -> None:
    by_gender = _values(_get(client, world, "measure=issued&dimensions=gender"))
    assert by_gender == {("F",): 6, ("M",): 5, ("other",): None, ("undeclared",): None,
                         (TOTAL,): 17}  # fmt: skip
    by_age = _values(_get(client, world, "measure=issued&dimensions=age_band"))
    assert by_age == {("25-34",): 6, ("35-44",): 5, ("undeclared",): 6, (TOTAL,): 17}
    only_ro = _values(_get(client, world, "measure=issued&dimensions=gender&country=RO"))
    assert only_ro[("RO", "F")] == 6
    assert only_ro[("RO", TOTAL)] is None  # 17 - 16 would give FR's single credential


def test_a_credential_in_two_wallet_rows_counts_once_for_one_holder(
    client: ApiClient, platform: Platform, world: World, learners: dict[str, str]
) -> None:
    with platform.unit_of_work(SYSTEM) as ctx:
        anas = list(ctx.session.scalars(select(WalletCredential.credential_ref).where(
            WalletCredential.account_id == learners["ana"])))  # fmt: skip
    _hold(platform, learners["ana"], [r for r in anas if r])  # ana's again, in her own wallet
    _hold(platform, learners["bogdan"], [r for r in anas if r])  # and in bogdan's
    by_gender = _values(_get(client, world, "measure=issued&dimensions=gender"))
    # the earliest account in the database's order of ids (its collation): ana's or bogdan's
    assert (by_gender.get(("F",)), by_gender[("M",)]) in ((6, 5), (None, 11))  # no F: none
    assert by_gender[(TOTAL,)] == 17


def test_revoked_by_gender_counts_the_holders_declaration(
    client: ApiClient, platform: Platform, world: World, learners: dict[str, str]
) -> None:
    with platform.unit_of_work(SYSTEM) as ctx:
        anas = select(WalletCredential.credential_ref).where(
            WalletCredential.account_id == learners["ana"]
        )
        ctx.session.execute(update(Credential).where(Credential.id.in_(anas))
                            .values(state="revoked"))  # fmt: skip
    values = _values(_get(client, world, "measure=revoked&dimensions=gender"))
    assert values == {("F",): 6, (TOTAL,): 6}


def test_withdrawing_or_erasing_moves_the_credentials_to_undeclared(
    client: ApiClient, platform: Platform, world: World, learners: dict[str, str]
) -> None:
    with platform.unit_of_work(SYSTEM) as ctx:
        declaration.withdraw(ctx, learners["bogdan"])
        accounts.erase_account(ctx, learners["ana"])
    values = _values(_get(client, world, "measure=issued&dimensions=gender"))
    # 15 would give the 2 of "other" by difference from the total: withheld too
    assert values == {("other",): None, ("undeclared",): None, (TOTAL,): 17}
    with platform.unit_of_work(SYSTEM) as ctx:
        assert declaration.get(ctx, learners["ana"]).empty  # the row went with the account


def test_exports_use_sdmx_sex_codes(
    client: ApiClient, world: World, learners: dict[str, str]
) -> None:
    response = client.get("/statistics.csv?measure=issued&dimensions=gender", headers=world.admin)
    assert response.status_code == 200
    rows = {r["SEX"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert set(rows) == {"F", "M", "_O", "_U", "_T"}
    assert (rows["F"]["OBS_VALUE"], rows["_O"]["OBS_VALUE"], rows["_O"]["OBS_STATUS"]) == (
        "6", "", "C")  # fmt: skip


def test_stacked_and_recognised_count_the_asking_learners_declaration(
    client: ApiClient,
    platform: Platform,
    decisions: World,  # noqa: F811
    learners: dict[str, str],
) -> None:
    with platform.unit_of_work(SYSTEM) as ctx:
        ctx.session.execute(update(PathwayEvaluation)
                            .where(PathwayEvaluation.provider_id == decisions.fr.id)
                            .values(account_id=learners["ana"]))  # fmt: skip
        ctx.session.execute(update(RecognitionCaseRow)
                            .where(RecognitionCaseRow.provider_id == decisions.fr.id)
                            .values(learner_account=learners["bogdan"]))  # fmt: skip
    stacked = _values(_get(client, decisions, "measure=stacked&dimensions=gender"))
    assert stacked == {("F",): 7, ("undeclared",): 8, (TOTAL,): 15}
    recognised = _values(_get(client, decisions, "measure=recognised&dimensions=age_band"))
    assert recognised == {("35-44",): 6, ("undeclared",): 6, (TOTAL,): 12}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_questions_about_learners_need_a_credential_measure(
    client: ApiClient, world: World
) -> None:
    response = client.get("/statistics?measure=published&dimensions=gender", headers=world.admin)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


QUERIES = [
    f"measure=issued&dimensions={','.join(dims)}{extra}"
    for size in (1, 2, 3)
    for dims in combinations(("country", "age_band", "gender"), size)
    for extra in ("", "&country=RO", "&gender=F", "&gender=other", "&age_band=undeclared")
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_query_nor_any_difference_of_queries_reveals_a_small_declared_cell(
    client: ApiClient, world: World, learners: dict[str, str]
) -> None:
    names = ("country", "age_band", "gender")
    known: dict[tuple[str, ...], int] = {}
    for query in QUERIES:
        for row in _get(client, world, query)["rows"]:
            if row["value"] is not None:
                assert not 1 <= row["value"] <= 4, query
                key = tuple(row["key"].get(d, TOTAL) for d in names)
                assert known.setdefault(key, row["value"]) == row["value"], (query, key)
    truth = with_margins(3, complete(TRUTH, 3))
    status = {key: Status.SHOWN if key in known else Status.PRIMARY for key in truth}
    recovered = [key for key in determined(lines(truth, 3), status) if 1 <= truth[key] <= 4]
    assert recovered == []  # every answer together: no small cell solves out
