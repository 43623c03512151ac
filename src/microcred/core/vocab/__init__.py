"""Controlled vocabularies (EU Vocabularies, EQF, QF-EHEA, ISCED-F, NUTS...) from packaged data.

Every coded Annex I element is a concept URI from one of these schemes; labels are language maps.
Provenance of each file is in ``data/PROVENANCE.md``.
"""

from __future__ import annotations

from functools import lru_cache

from microcred.core.vocab.concepts import Concept, Label, Scheme, Vocabularies
from microcred.core.vocab.loaders import load_all_schemes

__all__ = ["Concept", "Label", "Scheme", "Vocabularies", "vocabularies"]


@lru_cache(maxsize=1)
def vocabularies() -> Vocabularies:
    """The packaged vocabularies, read once from the distribution's data files."""
    return Vocabularies({scheme.key: scheme for scheme in load_all_schemes()})
