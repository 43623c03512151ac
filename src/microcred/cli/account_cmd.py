"""``microcred account create``: web accounts an operator makes for staff (a provider's users, a
national authority's statistics readers); they sign in with an e-mailed link (no password)."""

from __future__ import annotations

import argparse

from microcred.cli.output import UsageError, print_json
from microcred.cli.runtime import operator
from microcred.core.i18n import SUPPORTED_LANGUAGES
from microcred.services import providers
from microcred.services.learner import accounts


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("account", help="web accounts of staff").add_subparsers(
        dest="account_command", required=True
    )
    p = group.add_parser("create", help="a web account that signs in by e-mailed link")
    p.add_argument("--email", required=True, help="required: the person's e-mail address")
    p.add_argument("--role", required=True, choices=["provider", "statistics"],
                   help="required: provider (a provider's staff, with --provider) or "
                   "statistics (a national authority's reader of uptake statistics, with "
                   "--country)")  # fmt: skip
    p.add_argument("--provider", help="required for provider: the provider's slug")
    p.add_argument("--country", help="required for statistics: its country (ISO code, e.g. RO)")
    p.add_argument("--name", default="", help="the name shown on the pages")
    p.add_argument("--language", choices=list(SUPPORTED_LANGUAGES), default="en",
                   help="the pages' language (default en)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_create)


def run_create(args: argparse.Namespace) -> int:
    if args.role == "provider" and not args.provider:
        raise UsageError("account create --role provider needs --provider")
    if args.role == "statistics" and not args.country:
        raise UsageError("account create --role statistics needs --country")
    if (args.role == "provider" and args.country) or (args.role == "statistics" and args.provider):
        raise UsageError(f"account create --role {args.role}: --provider goes with provider, "
                         "--country with statistics")  # fmt: skip
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
        home = "/provider" if made.role == "provider" else "/authority/statistics"
        print(f"account {made.email} ({made.role}) created: signs in at /login by e-mailed "
              f"link, then {home}")  # fmt: skip
    return 0
