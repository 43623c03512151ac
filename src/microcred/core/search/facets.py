"""Filters and facet counts.

Facet counts are *disjunctive*: the counts of one facet are taken over the documents that match
the text and every filter except that facet's own (so a page can show the other choices of a
facet already in use); ranges count the same way (the ECTS buckets ignore ``ects_min/max``, the
price buckets ignore ``price_min/max``, the start-month buckets ignore ``starts_from/until``).
Multi-valued facets (languages, QA types) count a document once under each of its values. ISCED-F
counts a document under its code and every prefix of it (``0613`` counts under ``06``, ``061``
and ``0613``). Price bounds are in EUR; a document priced in another currency does not pass them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from microcred.core.search.document import SearchDocument
from microcred.core.search.query import Filters

ECTS_BUCKETS = (
    (Decimal(0), Decimal(2)),
    (Decimal(2), Decimal(5)),
    (Decimal(5), Decimal(10)),
    (Decimal(10), Decimal(30)),
    (Decimal(30), None),
)
PRICE_BUCKETS = (
    (Decimal(0), Decimal("0.01")),
    (Decimal("0.01"), Decimal(100)),
    (Decimal(100), Decimal(500)),
    (Decimal(500), Decimal(1000)),
    (Decimal(1000), None),
)
FACETS = (
    "country",
    "nuts",
    "eqf",
    "qf_ehea",
    "isced",
    "mode",
    "language",
    "provider_type",
    "qa_type",
    "recognition",
    "ects",
    "price",
    "start",
)
RANGE_FILTERS = {
    "ects": ("ects_min", "ects_max"),
    "price": ("price_min", "price_max"),
    "start": ("starts_from", "starts_until"),
}


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


def _bucket(value: Decimal | None, buckets: Iterable[tuple[Decimal, Decimal | None]]) -> list[str]:
    if value is None:
        return []
    for low, high in buckets:
        if value >= low and (high is None or value < high):
            return [f"{low}-{high}" if high is not None else f"{low}+"]
    return []


def facet_values(document: SearchDocument, facet: str) -> list[str]:
    """The values under which ``document`` counts in ``facet``."""
    single = {
        "country": document.country,
        "nuts": document.nuts,
        "qf_ehea": document.qf_ehea,
        "mode": document.mode,
        "provider_type": document.provider_type,
    }
    if facet in single:
        value = single[facet]
        return [value] if value else []
    if facet == "eqf":
        return [str(document.eqf)] if document.eqf else []
    if facet == "isced":
        code = document.isced or ""
        return [code[:n] for n in range(2, len(code) + 1)]
    if facet == "language":
        return list(dict.fromkeys(document.languages))
    if facet == "qa_type":
        return list(dict.fromkeys(document.qa_types))
    if facet == "recognition":
        return ["yes" if document.recognition else "no"]
    if facet == "ects":
        return _bucket(document.ects, ECTS_BUCKETS)
    if facet == "price":
        price = document.price if document.currency in (None, "EUR") else None
        return _bucket(price, PRICE_BUCKETS)
    return [document.start_date.strftime("%Y-%m")] if document.start_date else []


def _in_range(value: object, low: object, high: object) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or low <= value) and (high is None or value <= high)  # type: ignore[operator]


def _checks(filters: Filters) -> dict[str, Callable[[SearchDocument], bool]]:
    f = filters

    def among(values: tuple[str, ...], got: Iterable[str | None]) -> bool:
        return not values or any(v in values for v in got)

    return {
        "country": lambda d: among(f.country, [d.country]),
        "nuts": lambda d: not f.nuts or any((d.nuts or "").startswith(n) for n in f.nuts),
        "eqf": lambda d: not f.eqf or d.eqf in f.eqf,
        "qf_ehea": lambda d: among(f.qf_ehea, [d.qf_ehea]),
        "isced": lambda d: not f.isced or any((d.isced or "").startswith(c) for c in f.isced),
        "mode": lambda d: among(f.mode, [d.mode]),
        "language": lambda d: among(f.language, d.languages),
        "provider_type": lambda d: among(f.provider_type, [d.provider_type]),
        "qa_type": lambda d: among(f.qa_type, d.qa_types),
        "recognition": lambda d: f.recognition is None or d.recognition == f.recognition,
        "ects": lambda d: _in_range(d.ects, f.ects_min, f.ects_max),
        "price": lambda d: _in_range(
            d.price if d.currency in (None, "EUR") else None, f.price_min, f.price_max
        ),
        "start": lambda d: _in_range(d.start_date, f.starts_from, f.starts_until),
    }


def passes(document: SearchDocument, filters: Filters, *, except_facet: str | None = None) -> bool:
    """Whether ``document`` passes every filter (but the one of ``except_facet``)."""
    return all(check(document) for name, check in _checks(filters).items() if name != except_facet)


def count_facets(
    documents: Sequence[SearchDocument], filters: Filters
) -> dict[str, tuple[FacetValue, ...]]:
    """Disjunctive counts of every facet over ``documents`` (already matched by the text)."""
    counts: dict[str, tuple[FacetValue, ...]] = {}
    for facet in FACETS:
        tally: Counter[str] = Counter()
        for document in documents:
            if passes(document, filters, except_facet=facet):
                tally.update(facet_values(document, facet))
        ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
        counts[facet] = tuple(FacetValue(value, count) for value, count in ordered)
    return counts
