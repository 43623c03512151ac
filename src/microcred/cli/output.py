"""Shared output helpers for the CLI: JSON printing, reading input files, usage errors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from microcred.core.formats.reading import MAX_BYTES
from microcred.services.bounds import row_id


class UsageError(Exception):
    """Bad arguments or an unreadable file: exit 2 with one line."""


def record_id(text: str) -> int:
    """``type=`` of an argparse option naming a record by number: bounded like its column."""
    try:
        return row_id(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def read_input(path: str) -> bytes:
    """Read a file given on the command line (``-`` for stdin), bounded in size."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        with file.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None


def write_output(text: str, path: str | None) -> None:
    """Write to ``path`` or stdout."""
    if path is None or path == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(path).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None


def warn(message: str) -> None:
    print(f"microcred: warning: {message}", file=sys.stderr)
