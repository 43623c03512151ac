"""``microcred provider``, ``apikey``, ``opportunity``: operator commands (--json for scripts)."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import BaseModel, ValidationError

from microcred.cli import certificate_cmd
from microcred.cli.output import UsageError, print_json, read_document_file, record_id
from microcred.cli.runtime import operator
from microcred.schemas.keys import NewApiKeyOut
from microcred.schemas.opportunities import OpportunityOut, VersionOut
from microcred.schemas.providers import ProviderOut, ProviderSummary
from microcred.services import apikeys, opportunities, providers
from microcred.services.bounds import row_id
from microcred.services.context import Role
from microcred.services.opportunities import OpportunityIn
from microcred.services.providers import ProviderIn, ProviderType

PROVIDER_OPTIONS = {
    "slug": "required without --file: URL name (lowercase letters, digits, -); "
    "the provider's DID is did:web:HOST:providers:SLUG",
    "name": "required without --file: legal name (English)",
    "country": "required without --file: country, ISO code (RO, FR...) or EU authority URI",
    "region": "NUTS region code (RO32...) or URI",
    "homepage": "homepage URL (https://...)",
    "email": "contact e-mail address",
}


def _json_flag(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The ``--json`` switch every operator command has."""
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prov = sub.add_parser("provider", help="the provider register").add_subparsers(
        dest="provider_command", required=True)  # fmt: skip
    p = _json_flag(prov.add_parser("create", help="register a provider"))
    p.add_argument("--file", help="JSON/YAML provider description (fields as in the API)")
    for name, text in PROVIDER_OPTIONS.items():
        p.add_argument(f"--{name}", help=text)
    p.add_argument("--type", choices=[t.value for t in ProviderType],
                   help="required without --file: kind of provider")  # fmt: skip
    p.set_defaults(handler=run_provider_create)
    _json_flag(prov.add_parser("list", help="list providers")).set_defaults(handler=run_list)
    p = _json_flag(prov.add_parser("show", help="show a provider"))
    p.add_argument("provider", help="id or slug")
    p.set_defaults(handler=run_show)
    certificate_cmd.register(prov)
    key = sub.add_parser("apikey", help="API keys").add_subparsers(dest="k", required=True)
    p = _json_flag(key.add_parser("create", help="create an API key (printed once)"))
    p.add_argument("--role", required=True, choices=[r.value for r in Role],
                   help="required: what the key may do")  # fmt: skip
    p.add_argument("--provider", help="provider id or slug (none for platform keys)")
    p.add_argument("--label", default="cli", help="a name to recognise the key by (default cli)")
    p.add_argument("--country", help="required for statistics-reader: its country (e.g. RO)")
    p.set_defaults(handler=run_apikey)
    opp = sub.add_parser("opportunity", help="learning opportunities").add_subparsers(
        dest="o", required=True)  # fmt: skip
    p = _json_flag(opp.add_parser("create", help="create a draft from a JSON/YAML file"))
    p.add_argument("--provider", required=True, help="required: provider id or slug")
    p.add_argument("file", help="JSON/YAML opportunity description (fields as in the API)")
    p.set_defaults(handler=run_opp_create)
    p = _json_flag(opp.add_parser("publish", help="publish the draft as a new version"))
    p.add_argument("opportunity", type=record_id, help="opportunity id")
    p.set_defaults(handler=run_publish)
    p = _json_flag(opp.add_parser("list", help="a provider's opportunities"))
    p.add_argument("--provider", required=True, help="required: provider id or slug")
    p.set_defaults(handler=run_opp_list)


def parse_model(model: type[BaseModel], data: Any) -> Any:
    """Validate ``data``; a ValidationError becomes a one-line usage error naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def provider_id(ctx: Any, value: str) -> int:
    """The provider named by id or slug."""
    if not value.isdigit():
        return providers.by_slug(ctx, value).id
    try:
        return row_id(value)
    except ValueError as error:
        raise UsageError(f"--provider: {error}") from None


def _show(args: argparse.Namespace, body: dict[str, Any], line: str) -> int:
    if args.json:
        print_json(body)
    else:
        print(line)
    return 0


def run_provider_create(args: argparse.Namespace) -> int:
    if args.file:
        data = dict(read_document_file(args.file).document)
    else:
        lacking = [f"--{n}" for n in ("slug", "name", "country", "type") if not getattr(args, n)]
        if lacking:
            raise UsageError(f"provider create needs {', '.join(lacking)} (or --file)")
        data = {
            "slug": args.slug,
            "legal_name": {"en": args.name} if args.name else None,
            "country": args.country,
            "region": args.region,
            "type": args.type,
            "homepage": args.homepage,
            "contact": {"email": args.email} if args.email else {},
        }
        data = {k: v for k, v in data.items() if v is not None}
    body = parse_model(ProviderIn, data)
    with operator() as ctx:
        made = ProviderOut.of(ctx, providers.register(ctx, body)).model_dump(mode="json")
    return _show(args, made, f"provider {made['id']} {made['slug']}: {made['did']}")


def run_list(args: argparse.Namespace) -> int:
    with operator() as ctx:
        rows, _ = providers.list_providers(ctx, 100, 0)
        items = [ProviderSummary.of(ctx, r).model_dump(mode="json") for r in rows]
    lines = "\n".join(f"{i['id']:>4} {i['slug']:<24} {i['did']}" for i in items)
    return _show(args, {"items": items}, lines or "no providers")


def run_show(args: argparse.Namespace) -> int:
    with operator() as ctx:
        provider = providers.get(ctx, provider_id(ctx, args.provider))
        body = ProviderOut.of(ctx, provider).model_dump(mode="json")
    return _show(args, body, "\n".join(f"{k}: {v}" for k, v in body.items()))


def run_apikey(args: argparse.Namespace) -> int:
    with operator() as ctx:
        owner = provider_id(ctx, args.provider) if args.provider else None
        made = apikeys.create(ctx, args.role, owner, args.label, args.country)
    body = NewApiKeyOut.made(made.row, made.token).model_dump(mode="json")
    return _show(args, body, made.token)


def run_opp_create(args: argparse.Namespace) -> int:
    body = parse_model(OpportunityIn, dict(read_document_file(args.file).document))
    with operator() as ctx:
        row = opportunities.create(ctx, provider_id(ctx, args.provider), body)
        made = OpportunityOut.of(row).model_dump(mode="json")
    return _show(args, made, f"opportunity {made['id']} created as a draft")


def run_publish(args: argparse.Namespace) -> int:
    with operator() as ctx:
        version = opportunities.publish(ctx, args.opportunity)
        made = VersionOut.of(version).model_dump(mode="json")
    return _show(args, made, f"opportunity {args.opportunity} version {made['version']} published")


def run_opp_list(args: argparse.Namespace) -> int:
    with operator() as ctx:
        rows = opportunities.list_for_provider(ctx, provider_id(ctx, args.provider))
        items = [OpportunityOut.of(r).model_dump(mode="json") for r in rows]
    lines = "\n".join(f"{i['id']:>5} latest version {i['latest_version']}" for i in items)
    return _show(args, {"items": items}, lines or "no opportunities")
