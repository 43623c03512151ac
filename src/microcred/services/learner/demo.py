"""Demo web accounts: a provider user per demo provider and a learner with a filled wallet."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from microcred.services.context import Context
from microcred.services.learner import accounts, claims

PROVIDER_PASSWORD = "demo-provider"  # noqa: S105 - documented demo credentials
LEARNER_PASSWORD = "demo-learner"  # noqa: S105
STATISTICS_PASSWORD = "demo-statistics"  # noqa: S105
STATISTICS_USER = "statistics@authority.example"  # a national authority's reader of RO
LEARNER = "ana.popescu@example.org"
PROVIDER_USERS = {"unibuc": "staff@unibuc.example",
                  "lycee-jean-moulin": "staff@lycee-jean-moulin.example"}  # fmt: skip
# the university's recognition office decides recognition cases; the lycée validates prior learning
OFFICE_USERS = {
    "recognition@unibuc.example": ("recognition-officer", "unibuc"),
    "assessor@lycee-jean-moulin.example": ("assessor", "lycee-jean-moulin"),
}


def seed(ctx: Context, issued: Sequence[tuple[str, str]]) -> None:
    """Create the demo web accounts once; Ana's credentials (``issued``: id and document) go in
    her wallet but one, which waits behind a claim link in the outbox."""
    if accounts.find_account(ctx, LEARNER) is not None:
        return
    for slug, email in PROVIDER_USERS.items():
        accounts.create_account(ctx, email, PROVIDER_PASSWORD, role="provider",
                                display_name=slug, provider_ref=slug)  # fmt: skip
    for email, (role, slug) in OFFICE_USERS.items():
        accounts.create_account(ctx, email, PROVIDER_PASSWORD, role=role,
                                display_name=slug, provider_ref=slug)  # fmt: skip
    accounts.create_account(ctx, STATISTICS_USER, STATISTICS_PASSWORD, role="statistics",
                            display_name="National authority (RO)", country="RO")  # fmt: skip
    ana = accounts.create_account(ctx, LEARNER, LEARNER_PASSWORD, display_name="Ana Popescu")
    for number, (ref, document) in enumerate(issued):
        link = claims.offer_issued(ctx, ref, document, LEARNER)
        if link is not None and number < len(issued) - 1:
            claims.claim_into_wallet(ctx, link.token, ana.id)
    staff = ", ".join([*PROVIDER_USERS.values(), *OFFICE_USERS])
    print(f"web demo: learner {LEARNER} / {LEARNER_PASSWORD}; provider staff {staff} / "
          f"{PROVIDER_PASSWORD}; national statistics (RO) {STATISTICS_USER} / "
          f"{STATISTICS_PASSWORD}", file=sys.stderr)  # fmt: skip
