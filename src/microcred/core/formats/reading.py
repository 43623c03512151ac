"""Turn bytes into a JSON document safely: bounded size and depth, clear reasons for refusals."""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from microcred.core.errors import InputTooLarge, NotACredential

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 100


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`InputTooLarge` when ``value`` nests deeper than ``limit`` (the document is
    at level 1, what it holds at level 2...). Only containers are stacked: a verifier runs this
    on every request."""
    if limit < 1:
        raise InputTooLarge(f"nested more than {limit} levels deep")
    containers = (dict, list)  # a tuple: isinstance is quicker with it than with dict | list
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, containers) else []
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        if not item:
            continue
        if depth >= limit:
            raise InputTooLarge(f"nested more than {limit} levels deep")
        below = depth + 1
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, containers):
                push((child, below))


def parse_text(data: bytes) -> str:
    """Decode bytes as UTF-8 text, refusing binary and oversized input."""
    if len(data) > MAX_BYTES:
        raise InputTooLarge(
            f"{len(data):,} bytes is more than the {MAX_BYTES:,} bytes a credential may have"
        )
    if b"\x00" in data[:4096]:
        raise NotACredential("binary data, not a JSON, JSON-LD or JWT credential")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotACredential(f"not UTF-8 text (byte {error.start})") from None


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a key written twice in one object makes the JSON malformed.

    Readers disagree on which of two values wins (first, last, error), so a document with a
    repeated key could mean one thing to its signer and another to us: it is refused.
    """
    value: dict[str, Any] = {}
    for key, item in pairs:
        if key in value:
            raise DuplicateKey(key)
        value[key] = item
    return value


class DuplicateKey(ValueError):
    """A JSON object repeats a key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def loads_strict(text: str | bytes) -> Any:
    """``json.loads`` that refuses repeated keys (:class:`DuplicateKey`), NaN and Infinity,
    written (``NaN``) or reached by overflow (``1e400``)."""
    return json.loads(text, object_pairs_hook=_refuse_duplicates, parse_constant=_no_constant,
                      parse_float=_finite_float)  # fmt: skip


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large for a 64-bit float")
    return value


def parse_json(text: str) -> Any:
    """Parse JSON, with a one-line reason when it is broken, repeats a key or is too deep."""
    try:
        value = loads_strict(text)
    except DuplicateKey as error:
        raise NotACredential(
            f"malformed JSON: the key {error.key[:80]!r} appears twice in one object"
        ) from None
    except RecursionError:
        raise InputTooLarge(f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as error:
        raise NotACredential(
            f"broken JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except ValueError as error:
        raise NotACredential(f"broken JSON: {error}") from None
    check_depth(value)
    return value


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases (no billion-laughs expansion)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise NotACredential("YAML aliases are not accepted")
        return super().compose_node(parent, index)


def parse_yaml(text: str) -> Any:
    """Parse a YAML native description (no aliases)."""
    try:
        value = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - safe loader without aliases
    except yaml.YAMLError as error:
        raise NotACredential(f"neither JSON nor YAML: {str(error).splitlines()[0]}") from None
    check_depth(value)
    return value
