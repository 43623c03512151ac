"""``microcred pathway publish|evaluate|decide``: stacking rules, evaluations of submitted
credentials, and the officer's decision that issues the larger credential (docs/pathways.md).
Run as the platform operator; every change is committed when the command ends."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from microcred.cli.output import UsageError, display_name, print_json, read_input, record_id
from microcred.cli.runtime import operator
from microcred.core.errors import MicrocredError
from microcred.core.formats.reading import loads_strict, parse_text
from microcred.schemas.credentials import CredentialOut
from microcred.schemas.pathways import EvaluationOut, RulesOut
from microcred.services import issuance, pathways
from microcred.services.pathways import DecisionIn


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("pathway", help="stacking rules, evaluations and decisions")
    commands = group.add_subparsers(dest="pathway_command", required=True, metavar="COMMAND")
    p = commands.add_parser("publish", help="publish a version of stacking rules (JSON)")
    p.add_argument("--provider", type=record_id, required=True,
                   help="required: id of the provider (the receiving organisation)")  # fmt: skip
    p.add_argument("file", help="the rules as JSON (docs/pathways.md); - for stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_publish)
    p = commands.add_parser("evaluate", help="verify credentials and evaluate them against rules")
    p.add_argument("rules", metavar="RULES_ID", help="id of the published rules (from publish)")
    p.add_argument("files", metavar="FILE", nargs="+",
                   help="signed credentials: JSON documents or compact JWTs")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object (with the trace)")
    p.set_defaults(handler=run_evaluate)
    p = commands.add_parser("decide", help="record the decision; accepting issues the credential")
    p.add_argument("evaluation", metavar="EVALUATION_ID", help="id of the evaluation")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--accept", action="store_true",
                         help="accept and issue the larger credential (one of the three is "
                         "required)")  # fmt: skip
    verdict.add_argument("--accept-with-conditions", metavar="CONDITIONS",
                         help="accept, stating what remains to be done, and issue")  # fmt: skip
    verdict.add_argument("--refuse", action="store_true", help="refuse (nothing is issued)")
    p.add_argument("--reason", required=True, help="required: why (kept with the decision)")
    p.add_argument("-o", "--output", help="write the larger credential to this file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_decide)


def _json_file(path: str) -> Any:
    try:
        return loads_strict(parse_text(read_input(path)))
    except (MicrocredError, ValueError) as error:
        message = error.message if isinstance(error, MicrocredError) else str(error)
        raise UsageError(f"{display_name(path)}: not JSON: {message}") from None


def _credential_file(path: str) -> Any:
    text = parse_text(read_input(path)).strip()
    return text if text.startswith("eyJ") else _json_file(path)


def run_publish(args: argparse.Namespace) -> int:
    data = _json_file(args.file)
    with operator() as ctx:
        made = RulesOut.of(pathways.publish(ctx, args.provider, data)).model_dump(mode="json")
    if args.json:
        print_json(made)
    else:
        print(f"rules {made['rules_id']} version {made['version']} published as {made['id']}")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    documents = [_credential_file(path) for path in args.files]
    with operator() as ctx:
        row = pathways.evaluate_submitted(ctx, args.rules, documents)
        made = EvaluationOut.of(row, pathways.get_rules(ctx, args.rules)).model_dump(mode="json")
    if args.json:
        print_json(made)
        return 0
    print(f"evaluation {made['id']}: {made['outcome']}")
    for item in made["credentials"]:
        counted = "counted" if item["key"] in made["consumed"] else "not counted"
        print(f"  {item['key']}: {'verified' if item['verified'] else 'NOT verified'}, {counted}")
    _missing(made["trace"])
    return 0


def _missing(node: dict[str, Any]) -> None:
    if node["missing"] and not node["children"]:
        print(f"  missing at {node['path']}: {node['missing']}")
    for child in node["children"]:
        _missing(child)


def run_decide(args: argparse.Namespace) -> int:
    decision = "refuse" if args.refuse else "accept" if args.accept else "accept-with-conditions"
    body = DecisionIn(decision=decision, reasons=args.reason,
                      conditions=args.accept_with_conditions)  # fmt: skip
    with operator() as ctx:
        row = pathways.decide(ctx, args.evaluation, body)
        made = EvaluationOut.of(row, pathways.get_rules(ctx, row.rules_row_id)).model_dump(
            mode="json"
        )
        issued = issuance.get(ctx, row.credential_id) if row.credential_id else None
        credential = CredentialOut.of(issued).model_dump(mode="json") if issued else None
    if issued is not None and args.output:
        Path(args.output).write_text(issued.document + "\n", encoding="utf-8")
    if args.json:
        print_json({**made, "credential": credential})
    elif issued is not None:
        print(f"evaluation {row.id}: {decision}; larger credential {issued.id} issued")
    else:
        print(f"evaluation {row.id}: {decision}")
    return 0
