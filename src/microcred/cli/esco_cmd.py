"""``microcred esco import FILE...``: load the official ESCO CSV release (any language)."""

from __future__ import annotations

import argparse
from pathlib import Path

from microcred.cli.output import UsageError
from microcred.cli.runtime import operator
from microcred.services import esco, search


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("esco", help="ESCO skills and occupations").add_subparsers(
        dest="esco_command", required=True)  # fmt: skip
    p = group.add_parser("import", help="import files of the official ESCO CSV release")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="required: CSV files named as in the release (skills_fr.csv, "
                   "occupations_en.csv, occupationSkillRelations_en.csv, "
                   "broaderRelationsSkillPillar_en.csv...); other files are skipped")  # fmt: skip
    p.add_argument("--no-reindex", action="store_true",
                   help="do not rebuild the catalogue's search index afterwards")  # fmt: skip
    p.set_defaults(handler=run_import)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8-sig").splitlines(keepends=True)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text (ESCO's CSV files are UTF-8)") from None
    except OSError as exc:
        reason = exc.strerror or "input/output error"
        raise UsageError(f"{path}: cannot be read ({reason})") from None


def run_import(args: argparse.Namespace) -> int:
    files = [(Path(name).name, _lines(Path(name))) for name in args.files]
    with operator() as ctx:
        found = esco.import_release(ctx, files)
        indexed = None if args.no_reindex else search.reindex_all(ctx)
    languages = ", ".join(found.languages)
    print(f"ESCO now holds {found.skills} skills and {found.occupations} occupations with "
          f"{found.relations} skill relations (languages: {languages})")  # fmt: skip
    if indexed is not None:
        print(f"{indexed} published opportunities re-indexed")
    return 0
