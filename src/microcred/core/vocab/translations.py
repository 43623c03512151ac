"""Labels in other languages than English, merged into the packaged schemes.

``data/labels.json`` and ``data/isced-f-labels.json`` map concept URI -> {language: label}. The
source of each label set is recorded in ``data/PROVENANCE.md``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from microcred.core.vocab.concepts import Scheme

LABEL_FILES = ("labels.json", "isced-f-labels.json")


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for name in LABEL_FILES:
        path = resources.files("microcred.core.vocab").joinpath("data", name)
        if path.is_file():
            data: dict[str, dict[str, str]] = json.loads(path.read_text("utf-8"))
            for uri, labels in data.items():
                merged[uri] = {**merged.get(uri, {}), **labels}
    return merged


def with_translations(scheme: Scheme) -> Scheme:
    """The scheme with every concept's labels extended by the packaged translations."""
    labels = _labels()
    concepts = {
        uri: replace(c, labels={**labels.get(uri, {}), **c.labels}) if uri in labels else c
        for uri, c in scheme.concepts.items()
    }
    return replace(scheme, concepts=concepts)
