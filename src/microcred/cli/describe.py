"""``microcred inspect``, ``convert`` and ``new``: read, check, convert and start descriptions."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any

from microcred.cli.output import print_json, read_input, warn, write_output
from microcred.core.annex1 import Annex1Report, check
from microcred.core.formats.base import Imported
from microcred.core.formats.clr import is_clr
from microcred.core.formats.detect import load_document, read_credential, read_document
from microcred.core.formats.elm import to_elm
from microcred.core.formats.native import to_native
from microcred.core.formats.ob3 import to_ob3
from microcred.core.summary import SUMMARY_KEYS, Localiser, summarise

ELEMENT_TITLES = {
    "format": "Format",
    "learner": "Learner",
    "title": "Title",
    "issuer_countries": "Country/region of the issuer",
    "awarding_bodies": "Awarding body",
    "issued": "Date of issuing",
    "learning_outcomes": "Learning outcomes",
    "workload": "Notional workload",
    "eqf_level": "EQF level",
    "qf_ehea_cycle": "QF-EHEA cycle",
    "assessment_type": "Type of assessment",
    "participation_form": "Form of participation",
    "quality_assurance": "Quality assurance",
    "prerequisites": "Prerequisites",
    "supervision": "Supervision and ID verification",
    "grade": "Grade",
    "stackability": "Integration/stackability",
    "further_information": "Further information",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "inspect", help="show the Annex I elements of a credential (OB 3.0, ELM/EDC, native)"
    )
    p.add_argument("file", help="credential file, or - for standard input")
    p.add_argument(
        "--lang",
        default="en",
        help="language of texts and labels: en, fr, ro or de for labels, any tag for texts "
        "(default en)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_inspect)

    p = sub.add_parser("convert", help="convert a credential between formats")
    p.add_argument("file", help="credential or description file, or - for standard input")
    p.add_argument(
        "--to",
        required=True,
        choices=["ob3", "elm", "native"],
        help="required: target format (ob3 = Open Badges 3.0, elm = Europass EDC, "
        "native = microcred description)",
    )
    p.add_argument("-o", "--output", help="output file (default standard output)")
    p.set_defaults(handler=run_convert)

    p = sub.add_parser(
        "new", help="write a complete example micro-credential description to start from"
    )
    p.add_argument("-o", "--output", help="output file (default standard output)")
    p.add_argument("--json", action="store_true", help="JSON instead of commented YAML")
    p.set_defaults(handler=run_new)


def _check(imported: Imported) -> Annex1Report:
    report = check(imported.credential)
    return Annex1Report(report.missing, imported.problems + report.problems)


def run_inspect(args: argparse.Namespace) -> int:
    document = load_document(read_input(args.file))
    if is_clr(document):
        from microcred.cli.clr_cmd import inspect_clr

        return inspect_clr(document, args.lang, args.json)
    imported = read_document(document)
    report = _check(imported)
    loc = Localiser(args.lang)
    summary = summarise(imported.credential, imported.format, report, loc)
    if args.json:
        print_json(summary)
    else:
        print_table(summary)
    if loc.fallbacks:
        shown = ", ".join(sorted(loc.fallbacks))
        print(
            f"microcred: notice: some texts have no '{args.lang}' version; shown in {shown}",
            file=sys.stderr,
        )
    return 0 if report.complete else 1


def _cell(value: Any) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return "\n".join(f"• {v}" for v in value)
    if isinstance(value, dict):
        parts = [
            f"{v} {k.upper() if k == 'ects' else k}" for k, v in value.items() if v is not None
        ]
        return ", ".join(parts) or "—"
    return str(value)


def print_table(summary: dict[str, Any]) -> None:
    width = max(len(t) for t in ELEMENT_TITLES.values())
    for key in SUMMARY_KEYS:
        if key not in ELEMENT_TITLES:
            continue
        lines = _cell(summary[key]).splitlines() or ["—"]
        print(f"{ELEMENT_TITLES[key]:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {line}")
    if summary["missing_mandatory"]:
        print(f"\nMissing mandatory elements: {', '.join(summary['missing_mandatory'])}")
    for problem in summary["problems"]:
        print(f"Problem: {problem}")
    if not summary["missing_mandatory"] and not summary["problems"]:
        print("\nAll Annex I mandatory elements are present and valid.")


def run_convert(args: argparse.Namespace) -> int:
    imported = read_credential(read_input(args.file))
    report = _check(imported)
    for key in report.missing:
        warn(f"the credential lacks the mandatory element '{key}'")
    for problem in report.problems:
        warn(str(problem))
    if imported.format != "native" and args.to != imported.format:
        warn("any proof of the original is not carried over: sign the converted document")
    write_output(json.dumps(_convert(imported, args.to), ensure_ascii=False, indent=2), args.output)
    return 0


def _convert(imported: Imported, target: str) -> dict[str, Any]:
    writers = {"ob3": to_ob3, "elm": to_elm, "native": to_native}
    document: dict[str, Any] = writers[target](imported.credential)
    return document


def example_text(as_json: bool = False) -> str:
    """The bundled complete example description (commented YAML, or JSON)."""
    text = (
        resources.files("microcred.core.formats")
        .joinpath("templates", "example.yaml")
        .read_text("utf-8")
    )
    if not as_json:
        return text
    return json.dumps(load_document(text.encode()), ensure_ascii=False, indent=2)


def run_new(args: argparse.Namespace) -> int:
    write_output(example_text(args.json), args.output)
    if args.output:
        print(
            f"wrote {args.output}: edit it, then run `microcred inspect {args.output}`",
            file=sys.stderr,
        )
    return 0
