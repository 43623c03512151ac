"""``microcred verify``: one report of named checks per file; exit 0 only if all verified.

Annex I completeness is printed apart (``Annex I: ...``, and ``completeness`` in ``--json``) and
never changes the exit code: a genuine Open Badge that is not a micro-credential verifies.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcred.cli.output import UsageError, display_name, parse_input, print_json, read_input
from microcred.core.did import DidResolver
from microcred.core.errors import MicrocredError
from microcred.core.formats.native import is_native
from microcred.core.formats.reading import DuplicateKey, loads_strict
from microcred.core.verification.document_cache import DocumentCache
from microcred.core.verification.report import unreadable
from microcred.core.verification.wording import completeness_line, verdict_line
from microcred.core.verify import Report, verify

MARK = {"ok": "✓", "failed": "✗", "skipped": "-"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("verify", help="verify credentials or presentations")
    p.add_argument("files", nargs="+", metavar="FILE", help="credential files (- for stdin)")
    p.add_argument("--json", action="store_true", help="print a JSON array of reports")
    p.add_argument("--documents", help="JSON map URL -> local file; nothing is fetched")
    p.add_argument("--trust", help="JSON list of trusted issuer DIDs/URLs")
    p.add_argument("--trust-list", metavar="XML",
                   help="EU Trusted List (ETSI TS 119 612 XML) to check sealed EDCs' certificate "
                   "chains against (default: MICROCRED_TRUST_LIST)")  # fmt: skip
    p.add_argument("--trust-list-signer", metavar="PEM",
                   help="certificate the trust list must be signed with "
                   "(default: MICROCRED_TRUST_LIST_SIGNER)")  # fmt: skip
    p.add_argument("--now", help="judge validity at this ISO 8601 time (default: now)")
    p.add_argument("--challenge", help="challenge a presentation must carry")
    p.add_argument("--domain", help="domain a presentation must be bound to")
    p.set_defaults(handler=run)


def _fetcher(map_file: str | None) -> Callable[[str], Mapping[str, Any]]:
    from microcred.adapters.resolver import DocumentMap
    from microcred.bootstrap import document_fetcher
    from microcred.config import Settings

    if map_file is None:  # other hosts' documents with the configured limits, if allowed
        return document_fetcher(Settings.from_env(os.environ))
    try:
        return DocumentMap.from_file(map_file)
    except MicrocredError as error:
        raise UsageError(error.message) from None


def _trust(path: str | None) -> list[str] | None:
    if path is None:
        return None
    try:
        value = loads_strict(read_input(path))
    except DuplicateKey as error:
        raise UsageError(f"{path}: the key {error.key[:80]!r} appears twice") from None
    except ValueError:
        raise UsageError(f"{path}: not JSON") from None
    if isinstance(value, Mapping):
        value = value.get("issuers")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise UsageError(f"{path}: expected a JSON list of issuer ids (or {{'issuers': [...]}})")
    return value


def _seal_trust(args: argparse.Namespace) -> Any:
    """The trust anchors of sealed EDCs: --trust-list, else the configured list, else None."""
    from microcred.adapters.trust_list import load_trust_list

    path = args.trust_list or os.environ.get("MICROCRED_TRUST_LIST", "").strip()
    if not path:
        return None
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    signer = args.trust_list_signer or os.environ.get("MICROCRED_TRUST_LIST_SIGNER", "").strip()
    return load_trust_list(path, signer)


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise UsageError("--now needs a time zone, e.g. 2026-01-01T00:00:00Z")
    return moment


def _print_human(name: str, report: Report, indent: str = "") -> None:
    """The verdict, its reason in a sentence, every check, then Annex I completeness apart."""
    verdict = "VERIFIED" if report.verified else "NOT VERIFIED"
    print(f"{indent}{name}: {verdict} ({report.format})")
    if report.readable:
        print(f"{indent}  {verdict_line(report.to_dict(), 'en')}")
    for check in report.checks:
        print(f"{indent}  {MARK[check.status]} {check.name}: {check.detail}")
    for number, cert in enumerate((report.seal or {}).get("chain", []), 1):
        print(f"{indent}  certificate {number}: {cert['subject']}")
        print(f"{indent}    issuer {cert['issuer']}, valid {cert['not_before']} to "
              f"{cert['not_after']}")  # fmt: skip
    if report.completeness is not None:
        completeness = report.completeness.to_dict()
        print(f"{indent}  {completeness_line(completeness, 'en', with_problems=False)}")
        for problem in report.completeness.problems:
            print(f"{indent}    {MARK['failed']} {problem}")
        for note in report.completeness.notes:
            print(f"{indent}    note: {note}")
    for index, inner in enumerate(report.credentials):
        _print_human(f"credential {index + 1}", inner, indent + "  ")


def run(args: argparse.Namespace) -> int:
    # many files from one issuer: each status list and DID document is fetched once while valid
    fetch = DocumentCache(_fetcher(args.documents), now=lambda: datetime.now(UTC))
    options = {
        "resolver": DidResolver(fetch), "fetch_document": fetch, "now": _now(args.now),
        "trust_list": _trust(args.trust), "expected_challenge": args.challenge,
        "expected_domain": args.domain, "seal_trust": _seal_trust(args),
    }  # fmt: skip
    results = [(name, _verify_file(name, options)) for name in args.files]
    if args.json:
        print_json([{"file": name, **report.to_dict()} for name, report in results])
    for name, report in results:
        if not report.readable:  # exit 2: one line on stderr, as for every command
            print(f"microcred: error: {_unreadable_line(name, report)}", file=sys.stderr)
        elif not args.json:
            _print_human(Path(name).name if name != "-" else "stdin", report)
    if any(not report.readable for _, report in results):
        return 2
    return 0 if all(report.verified for _, report in results) else 1


def _verify_file(name: str, options: dict[str, Any]) -> Report:
    """Read the file as every command does (same messages), then verify what it holds."""
    try:
        data = read_input(name)
        if data.lstrip()[:2] == b"ey":  # a JWS/JWT/SD-JWT: its parts are named checks of verify
            return verify(data, **options)
        found = parse_input(name, data)
    except UsageError as error:
        return unreadable(str(error))
    if is_native(found.document):
        return unreadable(
            f"{display_name(name)}: a microcred description, not a signed credential: "
            "sign it with `microcred sign`"
        )
    return verify(data, **options)


def _unreadable_line(name: str, report: Report) -> str:
    """Why a file is not a credential, in one line naming the file."""
    detail = next((c.detail for c in report.checks if c.status == "failed"), "not a credential")
    prefix = f"{display_name(name)}: "
    return " ".join((detail if detail.startswith(prefix) else prefix + detail).split())
