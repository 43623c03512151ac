"""Shared output helpers for the CLI: JSON printing, reading input files, usage errors.

Every command reads its credential through :func:`read_document_file` (or :func:`parse_input`
for bytes it already has), so the same input gets the same message from every command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.formats.detect import load_document
from microcred.core.formats.reading import MAX_BYTES
from microcred.core.verification.baked import unbake
from microcred.core.verification.jades import is_jades
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


@dataclass(frozen=True)
class Input:
    """A credential document read from a file, and whether it carries a signature.

    Reading never checks a signature: ``signed`` only says there is one to check.
    """

    name: str
    document: Mapping[str, Any]
    signed: bool


def display_name(path: str) -> str:
    return "stdin" if path == "-" else path


def parse_input(path: str, data: bytes) -> Input:
    """The document in ``data`` (JSON, YAML, a JWT's payload, a baked image's credential);
    a :class:`UsageError` naming the file and what is wrong otherwise."""
    baked = unbake(data[: MAX_BYTES + 1])
    content = baked[1] if baked is not None else data
    try:
        document = load_document(content)
    except MicrocredError as error:
        raise UsageError(f"{display_name(path)}: {error.message}") from None
    return Input(path, document, _signed(content, document))


def read_document_file(path: str) -> Input:
    """Read and parse a credential file (``-`` for stdin): the one reading of every command."""
    return parse_input(path, read_input(path))


def _signed(content: bytes, document: Mapping[str, Any]) -> bool:
    """A Data Integrity proof, a JAdES seal, or a JWS/JWT (SD-JWT) around the credential."""
    if "proof" in document or is_jades(document):
        return True
    return content.lstrip()[:3] == b"eyJ"
