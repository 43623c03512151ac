"""``microcred recognition submit|show|assess|decide|appeal|letter``: recognition cases of an
authority (docs/recognition.md), run as the platform operator; every change is committed when
the command ends. Bad input exits 2 with one line naming the problem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from microcred.cli.output import UsageError, display_name, print_json, read_input, record_id
from microcred.cli.runtime import operator
from microcred.core.errors import MicrocredError
from microcred.core.formats.reading import loads_strict, parse_text
from microcred.core.recognition import CRITERIA
from microcred.schemas.recognition import CaseOut
from microcred.services import recognition
from microcred.services.context import Context
from microcred.services.recognition_forms import CaseIn, EventIn

OUTCOMES = ("full", "partial", "alternative", "conditional", "refused")
SCORES = ("strong", "substantial", "weak", "none")


def _case_arg(
    p: argparse.ArgumentParser, json_help: str = "print the case as one JSON object"
) -> None:
    p.add_argument("case", metavar="CASE_ID", help="id of the recognition case")
    p.add_argument("--json", action="store_true", help=json_help)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("recognition", help="recognition cases: submit, assess, decide")
    commands = group.add_subparsers(dest="recognition_command", required=True, metavar="COMMAND")
    p = commands.add_parser("submit", help="open a case; every credential is verified first")
    p.add_argument("--authority", type=record_id, required=True,
                   help="required: id of the provider acting as the authority")  # fmt: skip
    p.add_argument("--applicant", required=True, help="required: who asks (name)")
    p.add_argument(
        "--purpose", required=True, dest="asked_for", help="required: e.g. admission to the MSc ..."
    )
    p.add_argument("--language", choices=("en", "fr", "ro", "de"), default="en",
                   help="the case's language (the letter's), default en")  # fmt: skip
    p.add_argument("files", metavar="FILE", nargs="+",
                   help="signed credentials: JSON documents or compact JWTs")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the case as one JSON object")
    p.set_defaults(handler=run_submit)
    p = commands.add_parser("show", help="a case: state, credentials, decision, audit trail")
    _case_arg(p)
    p.set_defaults(handler=run_show)
    _register_assess(commands)
    _register_decide(commands)
    p = commands.add_parser("appeal", help="appeal an issued decision (reopens the case)")
    _case_arg(p)
    p.add_argument("--grounds", required=True, help="required: the grounds of the appeal")
    p.set_defaults(handler=run_appeal)
    p = commands.add_parser("letter", help="write the decision letter (PDF, case's language)")
    _case_arg(p, "print {case, file, bytes} as one JSON object")
    p.add_argument("-o", "--output", required=True, help="required: the PDF file to write")
    p.set_defaults(handler=run_letter)


def _register_assess(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("assess", help="check authenticity, gather facts, score criteria")
    _case_arg(p)
    p.add_argument(
        "--score",
        action="append",
        default=[],
        metavar="CRITERION=SCORE",
        help=f"a criterion's score, once per criterion ({', '.join(CRITERIA)}; "
        f"scores: {', '.join(SCORES)}); none given: only the checks and facts",
    )
    p.add_argument(
        "--comment",
        action="append",
        default=[],
        metavar="CRITERION=TEXT",
        help="a criterion's comment (default: the score stated, no comment)",
    )
    p.set_defaults(handler=run_assess)


def _register_decide(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("decide", help="record the decision; --issue sends it to the learner")
    _case_arg(p)
    p.add_argument("--outcome", choices=OUTCOMES,
                   help="the decision (required unless --confirms names a proposal)")  # fmt: skip
    p.add_argument("--reason", help="why (required unless --confirms names a proposal)")
    p.add_argument("--ects", type=float, help="partial: the ECTS credits granted")
    p.add_argument("--recognised", action="append", default=[], metavar="OUTCOME",
                   help="partial: a learning outcome recognised (repeat)")  # fmt: skip
    p.add_argument("--alternative", help="alternative: what it is recognised as")
    p.add_argument("--remaining", help="conditional: what remains to be done")
    p.add_argument("--difference", action="append", default=[], metavar="TEXT",
                   help="refused: a substantial difference (repeat, at least one)")  # fmt: skip
    p.add_argument("--confirms", metavar="RULE_ID",
                   help="confirm the proposal of this automatic recognition rule")  # fmt: skip
    p.add_argument(
        "--issue",
        action="store_true",
        help="also issue it: the signed decision credential goes to the learner",
    )
    p.set_defaults(handler=run_decide)


def _credential_file(path: str) -> Any:
    """A credential file: a compact JWT as text, anything else as JSON."""
    text = parse_text(read_input(path)).strip()
    if text.startswith("eyJ"):
        return text
    try:
        return loads_strict(text)
    except (MicrocredError, ValueError) as error:
        message = error.message if isinstance(error, MicrocredError) else str(error)
        raise UsageError(f"{display_name(path)}: not JSON: {message}") from None


def _show(ctx: Context, case_id: str) -> dict[str, Any]:
    row = recognition.get(ctx, case_id)
    made: dict[str, Any] = CaseOut.of(row, recognition.case_of(row)).model_dump(mode="json")
    return made


def _print(made: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(made)
        return
    print(f"case {made['id']}: {made['state']} ({made['applicant']}: {made['purpose']})")
    for item in made["credentials"]:
        print(f"  {item['key']}: {'verified' if item['verified'] else 'NOT verified'}")
    if made["proposal"]:
        proposal = made["proposal"]
        print(f"  proposed by rule {proposal['rule']}: {proposal['decision']['outcome']}")
    decision = made["decision"] or made["decision_in_force"]
    if decision:
        print(f"  decision: {decision['outcome']}: {decision['reasons']}")
    if made["credential_id"]:
        print(f"  decision credential: {made['credential_id']}")


def _step(ctx: Context, case_id: str, body: dict[str, Any]) -> None:
    recognition.record(ctx, case_id, EventIn.model_validate(body))


def run_submit(args: argparse.Namespace) -> int:
    documents = [_credential_file(path) for path in args.files]
    data = CaseIn.model_validate({"provider_id": args.authority, "credentials": documents,
                                  "applicant": args.applicant, "purpose": args.asked_for,
                                  "language": args.language})  # fmt: skip
    with operator() as ctx:
        made = _show(ctx, recognition.create(ctx, data).id)
    _print(made, args.json)
    return 0


def run_show(args: argparse.Namespace) -> int:
    with operator() as ctx:
        made = _show(ctx, args.case)
    _print(made, args.json)
    return 0


def _pairs(items: list[str], option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name.strip() not in CRITERIA:
            raise UsageError(f"{option} {item!r}: expected CRITERION=..., criteria: "
                             f"{', '.join(CRITERIA)}")  # fmt: skip
        found[name.strip()] = value.strip()
    return found


def run_assess(args: argparse.Namespace) -> int:
    scores, comments = _pairs(args.score, "--score"), _pairs(args.comment, "--comment")
    bad = sorted(s for s in scores.values() if s not in SCORES)
    if bad:
        raise UsageError(f"--score: {bad[0]!r} is not one of {', '.join(SCORES)}")
    with operator() as ctx:
        state = recognition.get(ctx, args.case).state
        if state == "submitted":
            _step(ctx, args.case, {"type": "authenticity-checked"})
            state = "authenticity-checked"
        if state == "authenticity-checked":
            _step(ctx, args.case, {"type": "facts-gathered"})
        if scores:
            body = [{"criterion": c, "score": s, "comment": comments.get(c, s)}
                    for c, s in scores.items()]  # fmt: skip
            _step(ctx, args.case, {"type": "criteria-assessed", "scores": body})
        made = _show(ctx, args.case)
    _print(made, args.json)
    return 0


def _decision(args: argparse.Namespace) -> dict[str, Any] | None:
    if args.outcome is None and args.confirms is None:
        raise UsageError("decide: give --outcome and --reason, or --confirms RULE_ID")
    if args.outcome is None:
        return None
    if not args.reason:
        raise UsageError("decide: --reason is required with --outcome")
    return {"outcome": args.outcome, "reasons": args.reason, "ects_granted": args.ects,
            "outcomes_recognised": args.recognised, "alternative": args.alternative,
            "remaining": args.remaining, "substantial_differences": args.difference}  # fmt: skip


def run_decide(args: argparse.Namespace) -> int:
    body = {"type": "decided", "decision": _decision(args), "confirms": args.confirms}
    with operator() as ctx:
        _step(ctx, args.case, body)
        if args.issue:
            _step(ctx, args.case, {"type": "decision-issued"})
        made = _show(ctx, args.case)
    _print(made, args.json)
    return 0


def run_appeal(args: argparse.Namespace) -> int:
    with operator() as ctx:
        _step(ctx, args.case, {"type": "appealed", "grounds": args.grounds})
        made = _show(ctx, args.case)
    _print(made, args.json)
    return 0


def run_letter(args: argparse.Namespace) -> int:
    with operator() as ctx:
        pdf = recognition.decision_letter_pdf(ctx, args.case)
    Path(args.output).write_bytes(pdf)
    if args.json:
        print_json({"case": args.case, "file": args.output, "bytes": len(pdf)})
    else:
        print(f"decision letter of case {args.case} written to {args.output} ({len(pdf)} bytes)")
    return 0
