"""What every check needs (:class:`Context`), and how a checker verifies what it embeds.

A presentation holds credentials, a CLR bundles them: the checker of the outer document hands
each part to :meth:`Context.verify_part`, which goes back through the engine's dispatch (given
to the context by :func:`~microcred.core.verification.engine.verify`). So the format checkers
never import the engine or one another.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcred.core.did import DidDocumentResolver
from microcred.core.verification.controllers import FetchDocument, FetchToken, KeyLookup
from microcred.core.verification.document_cache import CheckMemo
from microcred.core.verification.report import Report
from microcred.core.verification.seal_chain import SealTrust

Part = Mapping[str, Any] | str  # a JSON credential or presentation, or a compact token
Dispatch = Callable[[Part, "Context"], Report]


@dataclass(frozen=True)
class Context:
    """How to resolve keys and documents, the time, the trust list, and the engine's dispatch."""

    resolver: DidDocumentResolver
    fetch_document: FetchDocument
    now: datetime
    trust_list: Collection[str] | None = None
    expected_challenge: str | None = None
    expected_domain: str | None = None
    fetch_status_token: FetchToken | None = None
    seal_trust: SealTrust | None = None  # trust anchors for JAdES seals (an EU Trusted List)
    checked: CheckMemo | None = None  # outcomes of status-list proof checks, kept by their JSON
    dispatch: Dispatch = field(kw_only=True, repr=False, compare=False)

    def lookup(self, purpose: str = "assertionMethod") -> KeyLookup:
        return KeyLookup(self.resolver, self.fetch_document, purpose)

    def verify_part(self, part: Part) -> Report:
        """Verify an embedded or bundled credential with this context, as the engine would."""
        return self.dispatch(part, self)
