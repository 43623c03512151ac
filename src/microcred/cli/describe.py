"""``microcred inspect``, ``convert`` and ``new``: read, check, convert and start descriptions."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any

from microcred.cli.output import Input, print_json, read_document_file, warn, write_output
from microcred.core.annex1 import Annex1Report, check
from microcred.core.formats.base import Imported
from microcred.core.formats.clr import is_clr
from microcred.core.formats.detect import load_document, read_document
from microcred.core.formats.elm import to_elm
from microcred.core.formats.native import to_native
from microcred.core.formats.ob3 import to_ob3
from microcred.core.i18n import translate
from microcred.core.summary import SUMMARY_KEYS, Localiser, summarise

FORMAT_NAMES = {
    "ob3": "an Open Badges 3.0 credential",
    "elm": "a Europass (ELM/EDC) credential",
    "native": "a microcred description",
}

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
    found = read_document_file(args.file)
    if is_clr(found.document):
        from microcred.cli.clr_cmd import inspect_clr

        code = inspect_clr(found.document, args.lang, args.json)
        _signature_notice(found, args)
        return code
    imported = read_document(found.document)
    report = _check(imported)
    loc = Localiser(args.lang)
    summary = summarise(imported.credential, imported.format, report, loc)
    if args.json:
        print_json(summary)
    else:
        print_table(summary, args.lang)
    _signature_notice(found, args)
    if loc.fallbacks:
        shown = ", ".join(sorted(loc.fallbacks))
        print(
            f"microcred: notice: some texts have no '{args.lang}' version; shown in {shown}",
            file=sys.stderr,
        )
    return 0 if report.complete else 1


def _signature_notice(found: Input, args: argparse.Namespace) -> None:
    """Reading is not verifying: say so for a signed input (on stderr after ``--json``)."""
    if not found.signed:
        return
    unchecked = translate("inspect.signature_not_checked", args.lang, file=args.file)
    if args.json:
        print(f"microcred: notice: {unchecked}", file=sys.stderr)
    else:
        print(f"\n{unchecked}")


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


def print_table(summary: dict[str, Any], lang: str = "en") -> None:
    """The elements with their titles in ``lang`` (en, fr, ro, de; English otherwise)."""
    titles = {key: translate(key, lang) for key in ELEMENT_TITLES}
    width = max(len(t) for t in titles.values())
    for key in SUMMARY_KEYS:
        if key not in titles:
            continue
        lines = _cell(summary[key]).splitlines() or ["—"]
        print(f"{titles[key]:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':<{width}}  {line}")
    if summary["missing_mandatory"]:
        missing = ", ".join(summary["missing_mandatory"])
        print("\n" + translate("inspect.missing", lang, elements=missing))
    for problem in summary["problems"]:
        print(translate("inspect.problem", lang, problem=problem))
    if not summary["missing_mandatory"] and not summary["problems"]:
        print("\n" + translate("inspect.complete", lang))


def run_convert(args: argparse.Namespace) -> int:
    found = read_document_file(args.file)
    imported = read_document(found.document)
    report = _check(imported)
    for key in report.missing:
        warn(f"the credential lacks the mandatory element '{key}'")
    for problem in report.problems:
        warn(str(problem))
    if found.signed:
        warn("the signature of the original is not carried over: sign the converted document")
    write_output(json.dumps(_convert(imported, args.to), ensure_ascii=False, indent=2), args.output)
    if args.output and args.output != "-":
        print(
            f"wrote {args.output}: {FORMAT_NAMES[args.to]}, unsigned; "
            f"sign it with `microcred sign {args.output} --key KEY`",
            file=sys.stderr,
        )
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
