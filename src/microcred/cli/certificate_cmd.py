"""``microcred provider certificate import|list``: a provider's eSeal certificate for sealed EDCs.

The password is never an argument (it would be in the shell history and the process list): it
is read from an environment variable (``--password-env``) or a file (``--password-file``).
"""

from __future__ import annotations

import argparse
import os

from microcred.cli.output import UsageError, print_json, read_input
from microcred.cli.runtime import operator
from microcred.schemas.keys import SealCertificateOut
from microcred.services import seal_certificates
from microcred.services.seal_certificates import CertificateFiles


def register(prov: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Under ``microcred provider``."""
    cert = prov.add_parser("certificate", help="eSeal certificates that seal EDCs (JAdES)")
    actions = cert.add_subparsers(dest="certificate_command", required=True)
    p = actions.add_parser("import", help="import a PKCS#12 file, or a PEM key and chain")
    p.add_argument("--provider", required=True, help="required: provider id or slug")
    p.add_argument("--pkcs12", metavar="FILE", help="the .p12/.pfx file (or --key and --chain)")
    p.add_argument("--key", metavar="FILE", help="PEM private key (with --chain)")
    p.add_argument("--chain", metavar="FILE", help="PEM certificates, leaf first (with --key)")
    p.add_argument("--password-env", metavar="VAR",
                   help="name of the environment variable holding the password")  # fmt: skip
    p.add_argument("--password-file", metavar="FILE",
                   help="file whose first line is the password")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_import)
    p = actions.add_parser("list", help="a provider's seal certificates")
    p.add_argument("--provider", required=True, help="required: provider id or slug")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_list)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_env and args.password_file:
        raise UsageError("give --password-env or --password-file, not both")
    if args.password_env:
        value = os.environ.get(args.password_env)
        if value is None:
            raise UsageError(f"--password-env: the variable {args.password_env} is not set")
        return value
    if args.password_file:
        text = read_input(args.password_file).decode("utf-8", errors="replace")
        return text.splitlines()[0] if text else ""
    return None


def _files(args: argparse.Namespace) -> CertificateFiles:
    if args.pkcs12 and (args.key or args.chain):
        raise UsageError("give --pkcs12, or --key and --chain: not both")
    if not args.pkcs12 and not (args.key and args.chain):
        raise UsageError("provider certificate import needs --pkcs12, or --key and --chain")
    password = _password(args)
    if args.pkcs12:
        return CertificateFiles(pkcs12=read_input(args.pkcs12), password=password)
    return CertificateFiles(key_pem=read_input(args.key), chain_pem=read_input(args.chain),
                            password=password)  # fmt: skip


def _line(body: dict[str, object]) -> str:
    return (f"seal certificate {body['id']}: {body['subject']} (issued by {body['issuer']}, "
            f"valid {body['not_before']} to {body['not_after']})")  # fmt: skip


def run_import(args: argparse.Namespace) -> int:
    from microcred.cli.operate import provider_id

    files = _files(args)
    with operator() as ctx:
        row = seal_certificates.import_certificate(ctx, provider_id(ctx, args.provider), files)
        body = SealCertificateOut.of(row).model_dump(mode="json")
    if args.json:
        print_json(body)
    else:
        print(_line(body))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from microcred.cli.operate import provider_id

    with operator() as ctx:
        rows = seal_certificates.certificates_of(ctx, provider_id(ctx, args.provider))
        items = [SealCertificateOut.of(r).model_dump(mode="json") for r in rows]
    if args.json:
        print_json({"items": items})
    else:
        print("\n".join(_line(i) for i in items) or "no seal certificates")
    return 0
