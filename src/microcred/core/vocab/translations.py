"""Labels in other languages than English, merged into the packaged schemes.

``data/labels.json`` maps concept URI -> {language: label}. The source of each label set is
recorded in ``data/PROVENANCE.md``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from microcred.core.vocab.concepts import Scheme


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    path = resources.files("microcred.core.vocab").joinpath("data", "labels.json")
    if not path.is_file():
        return {}
    data: dict[str, dict[str, str]] = json.loads(path.read_text("utf-8"))
    return data


def with_translations(scheme: Scheme) -> Scheme:
    """The scheme with every concept's labels extended by the packaged translations."""
    labels = _labels()
    concepts = {
        uri: replace(c, labels={**labels.get(uri, {}), **c.labels}) if uri in labels else c
        for uri, c in scheme.concepts.items()
    }
    return replace(scheme, concepts=concepts)
