"""Claims path pointers (OpenID4VP 1.0 section 7, OpenID4VCI 1.0 appendix C).

A pointer is a non-empty array: a string selects a key of an object, a non-negative integer an
element of an array, ``null`` every element of an array. Processing (section 7.1.1) starts at
the credential's root and fails when a step meets the wrong kind of value or nothing is left
selected. :func:`select_claims` returns each selected claim with the concrete path that reaches
it (``null`` replaced by the index), which is what a holder discloses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from microcred.core.errors import OAuthError

PathStep = str | int | None
ClaimsPath = tuple[PathStep, ...]
ConcretePath = tuple[str | int, ...]
MAX_STEPS = 32


def parse_claims_path(value: object, where: str) -> ClaimsPath:
    """A claims path pointer from JSON; ``invalid_request`` naming ``where`` otherwise."""
    if not isinstance(value, list) or not value:
        raise OAuthError("invalid_request", f"{where} must be a non-empty array")
    if len(value) > MAX_STEPS:
        raise OAuthError("invalid_request", f"{where} is longer than {MAX_STEPS} steps")
    for step in value:
        if isinstance(step, bool) or not (
            step is None or isinstance(step, str) or (isinstance(step, int) and step >= 0)
        ):
            why = "a string, null or a non-negative integer"
            raise OAuthError("invalid_request", f"{where}: each step is {why}, not {step!r}")
    return tuple(value)


Selection = list[tuple[ConcretePath, Any]]


def _step(selection: Iterable[tuple[ConcretePath, Any]], step: PathStep) -> Selection | None:
    """One processing step; None when processing must abort with an error."""
    out: Selection = []
    for path, value in selection:
        if isinstance(step, str):
            if not isinstance(value, Mapping):
                return None
            if step in value:
                out.append(((*path, step), value[step]))
        elif not isinstance(value, list):
            return None
        elif step is None:
            out += [((*path, i), item) for i, item in enumerate(value)]
        elif step < len(value):
            out.append(((*path, step), value[step]))
    return out


def select_claims(root: Mapping[str, Any], path: Sequence[PathStep]) -> Selection:
    """The claims ``path`` selects in ``root``, with their concrete paths; [] when none."""
    selection: Selection | None = [((), root)]
    for step in path:
        selection = _step(selection or [], step)
        if not selection:
            return []
    return selection or []


def path_text(path: Sequence[PathStep]) -> str:
    """A path as people read it: ``address.street_address``, ``degrees[*].type``."""
    text = ""
    for step in path:
        if step is None:
            text += "[*]"
        elif isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text
