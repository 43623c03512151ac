"""``microcred account create``: web accounts an operator makes for staff (a provider's users, its
recognition officers and assessors, a national authority's statistics readers); they sign in
with an e-mailed link (no password)."""

from __future__ import annotations

import argparse

from microcred.cli.output import UsageError, print_json
from microcred.cli.runtime import operator
from microcred.core.i18n import SUPPORTED_LANGUAGES
from microcred.services import providers
from microcred.services.learner import accounts

STAFF_ROLES = {"provider": "/provider", "recognition-officer": "/recognition",
               "assessor": "/assessor", "statistics": "/authority/statistics"}  # fmt: skip


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("account", help="web accounts of staff").add_subparsers(
        dest="account_command", required=True
    )
    p = group.add_parser("create", help="a web account that signs in by e-mailed link")
    p.add_argument("--email", required=True, help="required: the person's e-mail address")
    p.add_argument("--role", required=True, choices=list(STAFF_ROLES),
                   help="required: provider (a provider's staff), recognition-officer (decides "
                   "the recognition cases of an authority or institution), assessor (validates "
                   "prior learning for an organisation), each with --provider; or statistics (a "
                   "national authority's reader of uptake statistics, with --country)")  # fmt: skip
    p.add_argument("--provider", help="required for provider, recognition-officer and assessor: "
                   "the organisation's provider slug")  # fmt: skip
    p.add_argument("--country", help="required for statistics: its country (ISO code, e.g. RO)")
    p.add_argument("--name", default="", help="the name shown on the pages")
    p.add_argument("--language", choices=list(SUPPORTED_LANGUAGES), default="en",
                   help="the pages' language (default en)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_create)


def run_create(args: argparse.Namespace) -> int:
    national = args.role == "statistics"
    if not national and not args.provider:
        raise UsageError(f"account create --role {args.role} needs --provider")
    if national and not args.country:
        raise UsageError("account create --role statistics needs --country")
    if (not national and args.country) or (national and args.provider):
        raise UsageError(f"account create --role {args.role}: --country goes with statistics, "
                         "--provider with the other roles")  # fmt: skip
    country = args.country.upper() if args.country else None
    with operator() as ctx:
        ref = providers.by_slug(ctx, args.provider).slug if args.provider else None
        made = accounts.create_account(ctx, args.email, None, role=args.role,
                                       display_name=args.name, language=args.language,
                                       provider_ref=ref, country=country)  # fmt: skip
    body = {"id": made.id, "email": made.email, "role": made.role,
            "provider": made.provider_ref, "country": made.country}  # fmt: skip
    if args.json:
        print_json(body)
    else:
        home = STAFF_ROLES[made.role]
        print(f"account {made.email} ({made.role}) created: signs in at /login by e-mailed "
              f"link, then {home}")  # fmt: skip
    return 0
