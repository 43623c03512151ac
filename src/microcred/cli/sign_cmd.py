"""``microcred sign``: refuse an incomplete micro-credential, else sign it with a did:key."""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from microcred.cli.keys_cmd import load_key
from microcred.cli.output import UsageError, read_document_file, write_output
from microcred.core.annex1 import check
from microcred.core.formats.base import Imported
from microcred.core.formats.detect import read_document
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.registry import DEFAULT_SUITE, preferred_signing_suites, suite_for_key
from microcred.core.verification.wellformed import require_well_formed

VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
DI_CONTEXT = "https://w3id.org/security/data-integrity/v2"
SUITES = (*preferred_signing_suites(), "jose", "sd-jwt")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sign", help="sign a micro-credential (refused when incomplete)")
    p.add_argument("file", help="native description, OB 3.0 or ELM credential (- for stdin)")
    p.add_argument("--key", required=True, help="required: key file from 'microcred keys new'")
    p.add_argument(
        "--suite",
        choices=SUITES,
        help=f"proof suite (default {DEFAULT_SUITE}; "
        f"{suite_for_key(KeyType.P256)} for P-256/P-384 keys)",
    )
    p.add_argument(
        "--format",
        choices=["ob3", "elm"],
        default=None,
        help="format of the signed credential (default ob3)",
    )
    p.add_argument("--status-list", help="URL of the status list credential to point at")
    p.add_argument("--status-index", type=int, help="this credential's index in the status list")
    p.add_argument(
        "--status-purpose",
        choices=["revocation", "suspension"],
        default="revocation",
        help="what setting the status entry means (default revocation)",
    )
    p.add_argument("-o", "--output", help="output file (default standard output)")
    p.set_defaults(handler=run)


def _refuse_incomplete(imported: Imported) -> bool:
    report = check(imported.credential)
    problems = [*imported.problems, *report.problems]
    for key in report.missing:
        print(f"microcred: missing mandatory element '{key}'", file=sys.stderr)
    for problem in problems:
        print(f"microcred: {problem}", file=sys.stderr)
    if report.missing or problems:
        print(
            "microcred: not signed: the micro-credential is incomplete or invalid", file=sys.stderr
        )
        return True
    return False


def _document(imported: Imported, raw: dict[str, Any], fmt: str, issuer: str) -> dict[str, Any]:
    from microcred.core.formats.elm_write import to_elm
    from microcred.core.formats.ob3 import to_ob3

    if imported.format == "native" or (fmt != imported.format):
        writer = to_elm if fmt == "elm" else to_ob3
        cred_id = imported.credential.id or f"urn:uuid:{uuid.uuid4()}"
        return writer(imported.credential, credential_id=cred_id, issuer_id=issuer)
    if "proof" in raw:
        raise UsageError("the document already carries a proof")
    document = dict(raw)
    current = document.get("issuer")
    document["issuer"] = {**current, "id": issuer} if isinstance(current, dict) else issuer
    return document


def _secure(document: dict[str, Any], key: KeyPair, suite: str) -> str:
    from microcred.core.proofs.data_integrity import sign_document

    method = key.public.did_key_vm
    if suite == "jose":
        from microcred.core.proofs.jose import sign_vc_jwt

        return sign_vc_jwt(document, key, kid=method)
    if suite == "sd-jwt":
        from microcred.core.formats.sdjwt_vc import annex1_disclosable_claims, to_sdjwt_claims
        from microcred.core.proofs.sd_jwt import issue_sd_jwt

        claims = to_sdjwt_claims(document)
        paths = annex1_disclosable_claims(claims)
        return issue_sd_jwt(claims, issuer_key=key, disclosable=paths, random_bytes=os.urandom,
                            kid=method)  # fmt: skip
    contexts = document.get("@context")
    if isinstance(contexts, list) and VC1_CONTEXT in contexts and DI_CONTEXT not in contexts:
        document = {**document, "@context": [*contexts, DI_CONTEXT]}  # VC 1.1 lacks the terms
    signed = sign_document(document, key, method, suite, created=datetime.now(UTC))
    return json.dumps(signed, ensure_ascii=False, indent=2)


def run(args: argparse.Namespace) -> int:
    raw = read_document_file(args.file).document
    imported = read_document(raw)
    if _refuse_incomplete(imported):
        return 1
    key = load_key(args.key)
    document = _document(imported, dict(raw), args.format or "ob3", key.public.did_key)
    if (args.status_list is None) != (args.status_index is None):
        raise UsageError("--status-list and --status-index go together")
    if args.status_list is not None:
        from microcred.core.status import credential_status_entry

        entry = credential_status_entry(args.status_list, args.status_index, args.status_purpose)
        document["credentialStatus"] = entry
    require_well_formed(document)  # the verifier's own rules: never sign what it would refuse
    suite = args.suite or suite_for_key(key.type)
    write_output(_secure(document, key, suite), args.output)
    if args.output and args.output != "-":
        print(
            f"wrote {args.output}: {args.format or 'ob3'} credential signed with {suite} by "
            f"{key.public.did_key}; check it with `microcred verify {args.output}`",
            file=sys.stderr,
        )
    return 0
