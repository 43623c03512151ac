"""``microcred validation open|evidence|assess|certify|show``: validation of non-formal and
informal learning (docs/recognition.md), run as the platform operator; every change is committed
when the command ends. Bad input exits 2 with one line naming the problem."""

from __future__ import annotations

import argparse
import mimetypes
from pathlib import Path
from typing import Any

from microcred.cli.output import UsageError, print_json, record_id
from microcred.cli.runtime import operator
from microcred.core.errors import EvidenceTooLarge
from microcred.schemas.validation import ValidationOut
from microcred.services import validation
from microcred.services.context import Context
from microcred.services.validation_forms import ValidationEventIn, ValidationIn


def _case_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="VALIDATION_ID", help="id of the validation")
    p.add_argument("--json", action="store_true", help="print the validation as one JSON object")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("validation", help="validation of non-formal and informal learning")
    commands = group.add_subparsers(dest="validation_command", required=True, metavar="COMMAND")
    p = commands.add_parser("open", help="identification: the candidate's claimed outcomes")
    p.add_argument(
        "--provider",
        type=record_id,
        required=True,
        help="required: id of the organisation that validates and certifies",
    )
    p.add_argument("--candidate", required=True, help="required: the candidate's name")
    p.add_argument("--email", help="the candidate's e-mail")
    p.add_argument("--title", required=True, help="required: the micro-credential's title")
    p.add_argument("--title-language", choices=("en", "fr", "ro", "de"), default="en",
                   help="the language of --title and of --claim texts, default en")  # fmt: skip
    p.add_argument("--setting", choices=("non-formal", "informal"), required=True,
                   help="required: where the learning happened")  # fmt: skip
    p.add_argument("--opportunity", type=record_id,
                   help="id of the organisation's opportunity the claims map to")  # fmt: skip
    p.add_argument("--claim", action="append", default=[], metavar="ID=TEXT",
                   help="a claimed outcome in the candidate's words (repeat)")  # fmt: skip
    p.add_argument(
        "--claim-outcome",
        action="append",
        default=[],
        metavar="ID=REF",
        help="a claim that is the opportunity's outcome REF (its id or position)",
    )
    p.add_argument("--json", action="store_true", help="print the validation as one JSON object")
    p.set_defaults(handler=run_open)
    p = commands.add_parser("evidence", help="documentation: keep an evidence file with the case")
    _case_arg(p)
    p.add_argument("file", metavar="FILE", help="the evidence file (20 MB at most)")
    p.add_argument("--type", dest="media_type",
                   help="its media type (default: guessed from the file name)")  # fmt: skip
    p.add_argument("--supports", action="append", default=[], metavar="ID",
                   help="a claimed outcome the file supports (repeat)")  # fmt: skip
    p.add_argument("--description", default="", help="what the file shows")
    p.set_defaults(handler=run_evidence)
    p = commands.add_parser("assess", help="assessment: the method and a result per claim")
    _case_arg(p)
    p.add_argument("--method", required=True,
                   help="required: a concept URI of the assessment vocabulary")  # fmt: skip
    p.add_argument("--met", action="append", default=[], metavar="ID",
                   help="a claimed outcome assessed as met (repeat)")  # fmt: skip
    p.add_argument("--not-met", action="append", default=[], metavar="ID",
                   help="a claimed outcome assessed as not met (repeat)")  # fmt: skip
    p.set_defaults(handler=run_assess)
    p = commands.add_parser("certify", help="issue the micro-credential (the outcomes met only)")
    _case_arg(p)
    p.set_defaults(handler=run_certify)
    p = commands.add_parser("show", help="a validation: stage, claims, evidence, assessment")
    _case_arg(p)
    p.set_defaults(handler=run_show)


def _show(ctx: Context, case_id: str) -> dict[str, Any]:
    row = validation.get(ctx, case_id)
    made: dict[str, Any] = ValidationOut.of(row, validation.case_of(row)).model_dump(mode="json")
    return made


def _print(made: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(made)
        return
    print(f"validation {made['id']}: {made['stage']} ({made['candidate']})")
    for claim in made["claims"]:
        mark = "met" if claim["id"] in made["met"] else "-"
        print(f"  {claim['id']}: {next(iter(claim['text'].values()), '')} [{mark}]")
    for item in made["evidence"]:
        print(f"  evidence {item['name']} ({item['media_type']}, {item['size']} bytes)")
    if made["credential_id"]:
        print(f"  micro-credential: {made['credential_id']}")


def _pairs(items: list[str], option: str) -> list[tuple[str, str]]:
    found = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UsageError(f"{option} {item!r}: expected ID=...")
        found.append((name.strip(), value.strip()))
    return found


def run_open(args: argparse.Namespace) -> int:
    lang = args.title_language
    claims: list[dict[str, Any]] = [{"id": i, "text": {lang: text}}
                                    for i, text in _pairs(args.claim, "--claim")]  # fmt: skip
    claims += [{"id": i, "opportunity_outcome": ref}
                for i, ref in _pairs(args.claim_outcome, "--claim-outcome")]  # fmt: skip
    if not claims:
        raise UsageError("open: give at least one --claim or --claim-outcome")
    data = ValidationIn.model_validate({
        "provider_id": args.provider, "candidate": args.candidate, "email": args.email,
        "title": {lang: args.title}, "setting": args.setting,
        "opportunity_id": args.opportunity, "claims": claims})  # fmt: skip
    with operator() as ctx:
        made = _show(ctx, validation.create(ctx, data).id)
    _print(made, args.json)
    return 0


def run_evidence(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{args.file}: no such file")
    limit = validation.POLICY.max_bytes
    if path.stat().st_size > limit:
        raise EvidenceTooLarge(f"{path.name}: {path.stat().st_size} bytes, more than the "
                               f"{limit} accepted per file")  # fmt: skip
    media = args.media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    with operator() as ctx:
        validation.add_evidence(ctx, args.case, name=path.name, media_type=media,
                                content=path.read_bytes(), outcomes=args.supports,
                                description=args.description)  # fmt: skip
        made = _show(ctx, args.case)
    _print(made, args.json)
    return 0


def _step(args: argparse.Namespace, body: dict[str, Any]) -> int:
    with operator() as ctx:
        validation.record(ctx, args.case, ValidationEventIn.model_validate(body))
        made = _show(ctx, args.case)
    _print(made, args.json)
    return 0


def run_assess(args: argparse.Namespace) -> int:
    results = [{"outcome": o, "met": True} for o in args.met]
    results += [{"outcome": o, "met": False} for o in args.not_met]
    return _step(args, {"type": "assessed", "method": args.method, "results": results})


def run_certify(args: argparse.Namespace) -> int:
    return _step(args, {"type": "certified"})


def run_show(args: argparse.Namespace) -> int:
    with operator() as ctx:
        made = _show(ctx, args.case)
    _print(made, args.json)
    return 0
