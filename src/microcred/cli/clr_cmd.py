"""``microcred clr build``: signed credentials into one signed CLR 2.0; ``inspect`` of a CLR."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from microcred.cli.keys_cmd import load_key
from microcred.cli.output import UsageError, print_json, read_document_file, write_output
from microcred.core.annex1 import Annex1Report, check
from microcred.core.errors import MicrocredError
from microcred.core.formats.clr import (
    ASSOCIATION_TYPES,
    Association,
    ClrBundle,
    build_clr,
    part_achievement,
    part_document,
    read_clr,
)
from microcred.core.formats.detect import read_document
from microcred.core.keys import KeyType
from microcred.core.proofs.registry import DEFAULT_SUITE, preferred_signing_suites, suite_for_key
from microcred.core.summary import Localiser, summarise

SUITES = preferred_signing_suites()
DEFAULT_NAME = "Comprehensive Learner Record"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    clr = sub.add_parser("clr", help="Comprehensive Learner Records (CLR 2.0 bundles)")
    actions = clr.add_subparsers(dest="clr_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "build", help="bundle signed OB 3.0 credentials into one signed CLR 2.0 credential"
    )
    p.add_argument("files", nargs="+", metavar="CRED",
                   help="signed Open Badges 3.0 credential files, bundled as given")  # fmt: skip
    p.add_argument("--issuer-key", required=True, metavar="KEY",
                   help="required: key file from 'microcred keys new'; signs the CLR and "
                        "its did:key is the CLR's issuer")  # fmt: skip
    p.add_argument("--issuer-name", help="name of the CLR's issuer (default none)")
    p.add_argument("--learner", help="DID or URI of the learner (default: the subject id "
                                     "the credentials share)")  # fmt: skip
    p.add_argument("--name", default=DEFAULT_NAME,
                   help=f"name of the CLR (default {DEFAULT_NAME!r})")  # fmt: skip
    p.add_argument("--id", dest="clr_id", help="id of the CLR (default a new urn:uuid)")
    p.add_argument(
        "--association", action="append", nargs=3, default=[],
        metavar=("SOURCE", "TYPE", "TARGET"),
        help="relate two achievements (repeatable); SOURCE/TARGET are achievement ids or the "
             "number of a CRED (1 = the first); TYPE is one of " + ", ".join(ASSOCIATION_TYPES),
    )  # fmt: skip
    p.add_argument(
        "--suite", choices=SUITES,
        help=f"cryptosuite (default {DEFAULT_SUITE}; {suite_for_key(KeyType.P256)} for P-keys)",
    )  # fmt: skip
    p.add_argument("-o", "--output", help="output file (default standard output)")
    p.set_defaults(handler=run_build)


def _parts(files: Sequence[str]) -> list[Mapping[str, Any]]:
    return [read_document_file(name).document for name in files]


def _end(value: str, parts: Sequence[Mapping[str, Any]]) -> str:
    """An achievement id, or the achievement of the CRED numbered ``value``."""
    if not value.isdigit():
        return value
    number = int(value)
    if not 1 <= number <= len(parts):
        raise UsageError(f"--association: there is no credential number {number}")
    achievement = part_achievement(parts[number - 1])
    found = achievement.get("id") if achievement else None
    if not isinstance(found, str):
        raise UsageError(f"--association: credential {number} names no achievement id")
    return found


def _associations(
    triples: list[list[str]], parts: Sequence[Mapping[str, Any]]
) -> list[Association]:
    links = []
    for source, kind, target in triples:
        if kind not in ASSOCIATION_TYPES:
            known = ", ".join(ASSOCIATION_TYPES)
            raise UsageError(f"--association type {kind!r} is not one of {known}")
        links.append(Association(kind, _end(source, parts), _end(target, parts)))
    return links


def _learner(given: str | None, parts: Sequence[Mapping[str, Any]]) -> str:
    if given:
        return given
    subjects = {_subject_id(part) for part in parts}
    if len(subjects) != 1 or None in subjects:
        raise UsageError("the credentials do not share one subject id: give --learner")
    return str(subjects.pop())


def _subject_id(part: Mapping[str, Any]) -> str | None:
    subject = part.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    value = subject.get("id") if isinstance(subject, Mapping) else None
    return value if isinstance(value, str) else None


def run_build(args: argparse.Namespace) -> int:
    from microcred.core.proofs.data_integrity import sign_document
    from microcred.core.verification.wellformed import require_well_formed

    parts = _parts(args.files)
    links = _associations(args.association, parts)
    learner = _learner(args.learner, parts)
    key = load_key(args.issuer_key)
    issuer: dict[str, Any] = {"id": key.public.did_key, "type": ["Profile"]}
    if args.issuer_name:
        issuer["name"] = args.issuer_name
    clr_id = args.clr_id or f"urn:uuid:{uuid.uuid4()}"
    document = build_clr(parts, links, issuer, learner, clr_id=clr_id, name=args.name,
                         valid_from=datetime.now(UTC))  # fmt: skip
    suite = args.suite or suite_for_key(key.type)
    require_well_formed(document)  # the verifier's own rules: never sign what it would refuse
    signed = sign_document(document, key, key.public.did_key_vm, suite, created=datetime.now(UTC))
    write_output(json.dumps(signed, ensure_ascii=False, indent=2), args.output)
    return 0


def inspect_clr(document: Mapping[str, Any], language: str, as_json: bool) -> int:
    """``microcred inspect`` of a CLR: its header, each part's Annex I elements, associations."""
    bundle = read_clr(document)
    loc = Localiser(language)
    parts = [_part_summary(part, loc) for part in bundle.parts]
    summary = {"format": "CLR 2.0", "id": bundle.id, "name": bundle.name,
               "issuer": bundle.issuer, "learner": bundle.learner, "parts": parts,
               "associations": _association_rows(bundle)}  # fmt: skip
    if as_json:
        print_json(summary)
    else:
        _print_bundle(summary, language)
    complete = all(not p.get("missing_mandatory") and not p.get("problems") for p in parts)
    return 0 if complete else 1


def _part_summary(part: Any, loc: Localiser) -> dict[str, Any]:
    try:
        imported = read_document(part_document(part))
    except MicrocredError as exc:
        return {"format": "unknown", "problems": [exc.message]}
    report = check(imported.credential)
    full = Annex1Report(report.missing, imported.problems + report.problems)
    return summarise(imported.credential, imported.format, full, loc)


def _association_rows(bundle: ClrBundle) -> list[dict[str, Any]]:
    return [{"source": link.source_id, "type": link.association_type, "target": link.target_id,
             "source_name": bundle.achievement_name(link.source_id),
             "target_name": bundle.achievement_name(link.target_id)}
            for link in bundle.associations]  # fmt: skip


def _print_bundle(summary: dict[str, Any], language: str) -> None:
    from microcred.cli.describe import print_table

    print(f"CLR 2.0: {summary['name'] or '—'} ({summary['id'] or 'no id'})")
    print(f"Issuer: {summary['issuer'] or '—'}\nLearner: {summary['learner'] or '—'}")
    for number, part in enumerate(summary["parts"], 1):
        print(f"\n— Credential {number} —")
        if part["format"] == "unknown":
            print("\n".join(f"Problem: {problem}" for problem in part["problems"]))
        else:
            print_table(part, language)
    if summary["associations"]:
        print("\nAssociations:")
    for row in summary["associations"]:
        print(f"  {row['source_name'] or row['source']} {row['type']} "
              f"{row['target_name'] or row['target']}")  # fmt: skip
    sys.stdout.flush()
