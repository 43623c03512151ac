"""The ``microcred`` command: one sub-command module per concern, errors turned into exit codes.

Exit codes: 0 success; 1 the command ran and the answer is negative (a credential read but
incomplete, invalid or not verified); 2 usage errors and input that cannot be used (not a
credential, refused by a rule, an unknown record, a conflict). An error's class says which
(``exit_code``, 2 unless it says otherwise); one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from microcred import __version__
from microcred.cli import commands
from microcred.cli.output import UsageError
from microcred.core.errors import MicrocredError


def build_parser(modules: Sequence[ModuleType]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microcred",
        description="European micro-credentials: describe, convert, sign, verify, issue, share.",
    )
    parser.add_argument("--version", action="version", version=f"microcred {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in modules:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser(commands.modules())
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"microcred: error: {error}", file=sys.stderr)
        return 2
    except MicrocredError as error:
        print(f"microcred: error: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("microcred: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
