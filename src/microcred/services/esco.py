"""The ESCO data the platform uses: the packaged subset with every imported release laid over it
(``microcred esco import``), reloaded when an import changes it."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from microcred.adapters.db import esco_store
from microcred.core.esco import EscoData, packaged_esco
from microcred.core.esco.csv_import import parse_esco
from microcred.core.search import ConceptIndex, build_concept_index, packaged_concept_index
from microcred.services.context import Context

_lock = threading.Lock()
_cache: dict[str, tuple[int, EscoData, ConceptIndex]] = {}


@dataclass(frozen=True)
class Imported:
    """What an import brought: counts of the whole stored release after it."""

    skills: int
    occupations: int
    relations: int
    languages: tuple[str, ...]


def current(ctx: Context) -> EscoData:
    """The packaged subset with the imported data over it (cached per database and import)."""
    return _loaded(ctx)[0]


def concept_index(ctx: Context) -> ConceptIndex:
    """The search's concept index over the vocabularies and :func:`current` ESCO data."""
    return _loaded(ctx)[1]


def _loaded(ctx: Context) -> tuple[EscoData, ConceptIndex]:
    connection = ctx.session.connection()
    key = connection.engine.url.render_as_string(hide_password=True)
    number = esco_store.generation(connection)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == number:
            return cached[1], cached[2]
    if number == 0:
        data, index = packaged_esco(), packaged_concept_index()
    else:
        data = packaged_esco().merged(esco_store.load(connection))
        index = build_concept_index(esco=data)
    with _lock:
        _cache[key] = (number, data, index)
    return data, index


def import_release(ctx: Context, files: Iterable[tuple[str, Iterable[str]]]) -> Imported:
    """Read official ESCO CSV files (``skills_fr.csv``, ``occupationSkillRelations_en.csv``...)
    and keep them with what was imported before; ``EscoDataError`` names file, line and column."""
    parsed = parse_esco(files)
    connection = ctx.session.connection()
    stored = esco_store.load(connection).merged(parsed)
    esco_store.replace(connection, stored)
    labelled = [*(s.labels for s in stored.skills.values()),
                *(o.labels for o in stored.occupations.values())]  # fmt: skip
    languages = sorted({lang for labels in labelled for lang in labels})
    relations = sum(len(o.skills) for o in stored.occupations.values())
    return Imported(len(stored.skills), len(stored.occupations), relations, tuple(languages))
