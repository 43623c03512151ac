"""The ``status`` check of an SD-JWT VC: its Token Status List, by the rules of Bitstring lists.

The list token is fetched through the injected ``fetch_status_token``, must be signed by a key
of the credential's issuer (``iss``), must not be expired, and must be about the ``uri`` the
credential names; then the entry at ``idx`` decides. A list that cannot be read gives no
statement about the status: the check fails, as the draft asks ("SHOULD be rejected").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.status_token import (
    VALID,
    open_status_list_token,
    status_reference,
    token_status,
)
from microcred.core.verification.controllers import FetchToken, KeyLookup, controller_of
from microcred.core.verification.report import Check, failed, ok, skipped


def token_status_check(
    payload: Mapping[str, Any],
    issuer: str | None,
    lookup: KeyLookup,
    fetch: FetchToken | None,
    now: datetime,
) -> Check:
    """The ``status`` check of a token whose issuer-signed payload is ``payload``."""
    if "status" not in payload:
        return skipped("status", "the credential has no status: it cannot be revoked")
    try:
        reference = status_reference(payload)
    except MicrocredError as exc:
        return failed("status", exc.message)
    if fetch is None:
        why = f"no way to fetch the Token Status List {reference.uri} was given: status unknown"
        return skipped("status", why, blocking=True)
    try:
        token = fetch(reference.uri)
    except MicrocredError as exc:
        return failed("status", f"status list unreachable, status unknown: {exc.message}")
    except (LookupError, OSError, ValueError, TypeError) as exc:  # from the injected fetcher
        return failed("status", f"status list unreachable, status unknown: {exc}")
    try:
        opened = open_status_list_token(token, resolve_key=lookup, now=now)
        owner = controller_of(opened.key_id)
        if owner != issuer:
            why = f"it is signed by {opened.key_id}, not by the credential's issuer {issuer}"
            return failed("status", f"status list {reference.uri} cannot be trusted: {why}")
        status = token_status(reference, opened)
    except MicrocredError as exc:
        return failed("status", f"status list {reference.uri}: {exc.message}")
    if status.value == VALID:
        return ok("status", f"Token Status List {status.detail}")
    return failed("status", f"Token Status List {status.detail}")
