"""``microcred status new|set|clear|show``: a signed Bitstring Status List credential on disk.

The file is the signed ``BitstringStatusListCredential`` itself; ``set`` and ``clear`` read the
list from it, change one entry and sign it again with the issuer's key.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from microcred.cli.keys_cmd import load_key
from microcred.cli.output import UsageError, print_json, read_document_file, write_output
from microcred.core.errors import MicrocredError
from microcred.core.keys import KeyPair
from microcred.core.proofs.registry import suite_for_key
from microcred.core.status import DEFAULT_SIZE, StatusList, read_status_list, status_list_credential


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = sub.add_parser("status", help="manage a Bitstring Status List (revoke, suspend)")
    actions = status.add_subparsers(dest="status_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="create and sign an empty status list")
    new.add_argument("file", help="status list credential file to create")
    new.add_argument("--url", required=True, help="required: URL the list will be published at")
    new.add_argument("--key", required=True, help="required: issuer key file")
    new.add_argument(
        "--purpose",
        choices=["revocation", "suspension"],
        default="revocation",
        help="what a set entry means (default revocation)",
    )
    new.add_argument("--size", type=int, default=DEFAULT_SIZE, help=f"entries (>= {DEFAULT_SIZE})")
    new.set_defaults(handler=run_new)
    for name, verb in (("set", "revoke or suspend"), ("clear", "reinstate")):
        action = actions.add_parser(name, help=f"{verb} the entry at INDEX and sign again")
        action.add_argument("file", help="status list credential file (signed again in place)")
        action.add_argument("index", type=int, help="the entry's index in the list")
        action.add_argument("--key", required=True, help="required: issuer key file")
        action.set_defaults(handler=run_change, value=1 if name == "set" else 0)
    show = actions.add_parser("show", help="purpose, size and the entries that are set")
    show.add_argument("file", help="status list credential file")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(handler=run_show)


def _read(path: str) -> dict[str, Any]:
    return dict(read_document_file(path).document)


def _sign(credential: dict[str, Any], key: KeyPair) -> str:
    from microcred.core.proofs.data_integrity import sign_document

    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    signed = sign_document(
        unsigned, key, key.public.did_key_vm, suite_for_key(key.type), created=datetime.now(UTC)
    )
    return json.dumps(signed, indent=2)


def run_new(args: argparse.Namespace) -> int:
    if args.size < DEFAULT_SIZE:
        raise UsageError(f"a status list needs at least {DEFAULT_SIZE} entries (herd privacy)")
    key = load_key(args.key)
    status_list = StatusList(args.purpose, args.size)
    credential = status_list_credential(
        status_list, args.url, key.public.did_key, datetime.now(UTC)
    )
    write_output(_sign(credential, key), args.file)
    return 0


def run_change(args: argparse.Namespace) -> int:
    credential = _read(args.file)
    status_list = read_status_list(credential)
    key = load_key(args.key)
    if credential.get("issuer") != key.public.did_key:
        raise UsageError(f"{args.file} was issued by {credential.get('issuer')}, not by this key")
    status_list.set(args.index, args.value)
    subject = dict(credential["credentialSubject"])
    subject["encodedList"] = status_list.encode()
    write_output(_sign({**credential, "credentialSubject": subject}, key), args.file)
    return 0


def run_show(args: argparse.Namespace) -> int:
    credential = _read(args.file)
    try:
        status_list = read_status_list(credential)
    except MicrocredError as error:
        raise UsageError(f"{args.file}: {error.message}") from None
    summary = {"id": credential.get("id"), "issuer": credential.get("issuer"),
               "purpose": status_list.purpose, "size": status_list.size,
               "set": status_list.set_indices()}  # fmt: skip
    if args.json:
        print_json(summary)
    else:
        for key, value in summary.items():
            print(f"{key}: {value}")
    return 0
