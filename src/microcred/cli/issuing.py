"""``microcred issue``, ``issue-batch`` (resumable, progress on stderr), revoke and the like."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from microcred.bootstrap import Platform
from microcred.cli.operate import parse_model
from microcred.cli.output import UsageError, print_json, record_id
from microcred.cli.runtime import OPERATOR, operator, platform
from microcred.core.proofs.jades import JADES
from microcred.core.proofs.registry import DEFAULT_SUITE, signing_suites
from microcred.schemas.credentials import BatchOut, CredentialOut, CredentialSummary
from microcred.services import batches, issuance, statuses
from microcred.services.batch_input import read_rows
from microcred.services.documents import FORMATS, JWT
from microcred.services.issuance import IssueIn
from microcred.workers import workers_alive


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("issue", help="issue one credential to one learner")
    p.add_argument("--opportunity", type=record_id, required=True,
                   help="required: id of the published learning opportunity")  # fmt: skip
    for name, text in LEARNER_OPTIONS.items():
        p.add_argument(f"--{name}", help=text)
    _signing_options(p)
    p.add_argument("-o", "--output", help="write the signed credential to this file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_issue)
    p = sub.add_parser("issue-batch", help="issue to every learner of a CSV or JSON file")
    p.add_argument("file", nargs="?", help="CSV (name,email,id,grade,date) or JSON array")
    p.add_argument(
        "--opportunity",
        type=record_id,
        help="id of the published learning opportunity (required without --resume)",
    )
    _signing_options(p)
    p.add_argument("--resume", metavar="BATCH_ID", help="continue a batch after a crash")
    p.add_argument("--takeover", action="store_true", help="resume even if a lease is held")
    p.add_argument(
        "--workers", type=int, help="signing processes of an in-process run (0 = one per core)"
    )
    p.add_argument("--detach", action="store_true",
                   help="with workers (PostgreSQL): queue the batch and return at once "
                   "(`microcred batch-status` shows its progress)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_batch)
    p = sub.add_parser("batch-status", help="a batch's progress and row errors, from the database")
    p.add_argument("batch", metavar="BATCH_ID", help="the batch's id (issue-batch prints it)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_batch_status)
    for action in statuses.ACTIONS:
        p = sub.add_parser(action, help=f"{action} a credential (audited)")
        p.add_argument("credential", help="credential id")
        p.add_argument("--reason", help="why (kept in the audit log)")
        p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(handler=run_status, action=action)


LEARNER_OPTIONS = {
    "name": "the learner's full name",
    "email": "the learner's e-mail address",
    "id": "the learner's DID or URI",
    "grade": "the grade achieved",
    "date": "date of issuing, YYYY-MM-DD (default today)",
    "idempotency-key": "issue at most once per key (default: once per learner and opportunity)",
}


def _signing_options(p: argparse.ArgumentParser) -> None:
    """``--suite`` and ``--format``, with the values the issuer accepts."""
    p.add_argument("--suite", default=DEFAULT_SUITE, choices=issuing_suites(),
                   help=f"proof suite (default {DEFAULT_SUITE}); jades = sealed EDC "
                   "(JAdES, with --format elm and an imported seal certificate)")  # fmt: skip
    p.add_argument("--format", default="ob3", choices=list(FORMATS),
                   help="ob3 = Open Badges 3.0, elm = Europass EDC (default ob3)")  # fmt: skip


def issuing_suites() -> list[str]:
    """The suites the platform signs with: Data Integrity suites that sign, ``vc+jwt``, and
    ``jades`` (an EDC sealed with the provider's eSeal certificate; ``--format elm``)."""
    return [*signing_suites(), JWT, JADES]


def run_issue(args: argparse.Namespace) -> int:
    learner = {k: v for k, v in (("name", args.name), ("email", args.email), ("id", args.id)) if v}
    body = parse_model(IssueIn, {"opportunity_id": args.opportunity, "learner": learner,
                                 "grade": args.grade, "date": args.date, "suite": args.suite,
                                 "format": args.format,
                                 "idempotency_key": args.idempotency_key})  # fmt: skip
    with operator() as ctx:
        row, created = issuance.issue(ctx, body)
        made = CredentialOut.of(row).model_dump(mode="json")
    if args.output:
        Path(args.output).write_text(row.document + "\n", encoding="utf-8")
    if args.json:
        print_json({**made, "created": created})
    else:
        print(f"credential {row.id} {'issued' if created else 'already issued'}")
    return 0


class Bar:
    """A progress bar on stderr."""

    def __call__(self, done: int, total: int) -> None:
        width = 40
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()


def run_batch(args: argparse.Namespace) -> int:
    with platform() as made:
        with made.unit_of_work(OPERATOR) as ctx:  # committed: the run reads it from its own
            batch_id = args.resume or _create(ctx, args)
        print(f"batch {batch_id}", file=sys.stderr)
        if made.batches_queued:
            made.start_batch(OPERATOR, batch_id)  # the workers' jobs from now on
            if not args.detach:
                _follow(made, batch_id, Bar())
        else:
            batches.run(made, OPERATOR, batch_id, Bar(), takeover=args.takeover,
                        workers=args.workers)  # fmt: skip
        body = _batch_body(made, batch_id)
    sys.stderr.write("\n")
    return _print_batch(args, body)


def run_batch_status(args: argparse.Namespace) -> int:
    with platform() as made:
        body = _batch_body(made, args.batch)
    _print_batch(args, body)
    return 0


def _batch_body(made: Platform, batch_id: str) -> dict[str, Any]:
    with made.unit_of_work(OPERATOR) as ctx:
        batch = batches.get(ctx, batch_id)
        return BatchOut.of(batch, batches.errors(ctx, batch_id)).model_dump(mode="json")


POLL_SECONDS = 1.0


def _follow(made: Platform, batch_id: str, progress: Bar) -> None:
    """Show the workers' progress, read from the database, until the batch is finished."""
    if not workers_alive(made):
        print(
            "\nno worker is running: start `microcred worker` (one per core, any machine "
            "on this database), or set MICROCRED_BATCH_RUNNER=inline",
            file=sys.stderr,
        )
    while True:
        with made.unit_of_work(OPERATOR) as ctx:
            batch = batches.get(ctx, batch_id)
            done, total, state = batch.issued + batch.failed, batch.total, batch.state
        progress(done, total)
        if state not in ("pending", "running"):
            return
        time.sleep(POLL_SECONDS)


def _print_batch(args: argparse.Namespace, body: dict[str, Any]) -> int:
    batch_id = body["id"]
    if args.json:
        print_json(body)
    else:
        print(f"batch {batch_id} {body['state']}: {body['issued']} issued, "
              f"{body['failed']} not issued, of {body['total']}")  # fmt: skip
        for error in body["errors"]:
            print(f"  line {error['line']}: {error['error']}")
    if getattr(args, "detach", False) and body["state"] == "running":
        return 0  # queued: the workers go on with it
    return 0 if body["state"] == "done" else 1


def _create(ctx: Any, args: argparse.Namespace) -> str:
    if not args.file or not args.opportunity:
        raise UsageError("give a FILE and --opportunity (or --resume BATCH_ID)")
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{args.file}: no such file")
    rows = read_rows(path.read_text("utf-8"), "json" if path.suffix == ".json" else "csv")
    batch = batches.create(ctx, args.opportunity, rows, args.suite, args.format)
    return batch.id


def run_status(args: argparse.Namespace) -> int:
    with operator() as ctx:
        row = statuses.change(ctx, args.credential, args.action, args.reason)
        made = CredentialSummary.of(row).model_dump(mode="json")
    if args.json:
        print_json(made)
    else:
        print(f"credential {row.id} is now {row.state}")
    return 0
