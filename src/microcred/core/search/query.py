"""The search query: free text, language, filters (facets), sort and bounded pagination.

:func:`parse_search_query` reads query-string-like input (``{"q": "data", "eqf": ["5", "6"]}``)
and refuses bad input with :class:`InvalidSearchQuery` naming the parameter; :meth:`to_params`
gives it back, so a page can link to the next page or drop one filter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from microcred.core.errors import InvalidSearchQuery
from microcred.core.search.text import LANGUAGES

MAX_PAGE = 500
MAX_PER_PAGE = 100
MAX_RESULTS_REACHABLE = 10_000
MAX_TEXT = 300
MAX_VALUES = 50
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"
    ECTS = "ects"
    PRICE = "price"


class Filters(BaseModel):
    """What a result must have; an empty tuple or ``None`` means "any"."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    country: tuple[str, ...] = ()
    nuts: tuple[str, ...] = ()
    eqf: tuple[int, ...] = ()
    qf_ehea: tuple[str, ...] = ()
    isced: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    provider_type: tuple[str, ...] = ()
    qa_type: tuple[str, ...] = ()
    recognition: bool | None = None
    ects_min: Decimal | None = None
    ects_max: Decimal | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    starts_from: date | None = None
    starts_until: date | None = None


class SearchQuery(BaseModel):
    """One catalogue search."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str = ""
    language: str = "en"
    filters: Filters = Filters()
    sort: Sort = Sort.RELEVANCE
    descending: bool = True
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def to_params(self) -> dict[str, list[str]]:
        """The query as query-string parameters (only what differs from the defaults)."""
        params: dict[str, list[str]] = {}
        if self.text:
            params["q"] = [self.text]
        if self.language != "en":
            params["lang"] = [self.language]
        for name, value in self.filters.model_dump(exclude_defaults=True).items():
            values = value if isinstance(value, tuple | list) else (value,)
            params[name] = [_spell(v) for v in values]
        if self.sort is not Sort.RELEVANCE:
            params["sort"] = [self.sort.value]
        if not self.descending:
            params["order"] = ["asc"]
        if self.page != 1:
            params["page"] = [str(self.page)]
        if self.per_page != 20:
            params["per_page"] = [str(self.per_page)]
        return params


def _spell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


Params = Mapping[str, str | Sequence[str]]
LIST_FIELDS = (
    "country",
    "nuts",
    "qf_ehea",
    "isced",
    "mode",
    "language",
    "provider_type",
    "qa_type",
)
KNOWN = {
    "q",
    "lang",
    "sort",
    "order",
    "page",
    "per_page",
    "eqf",
    "recognition",
    "ects_min",
    "ects_max",
    "price_min",
    "price_max",
    "starts_from",
    "starts_until",
    *LIST_FIELDS,
}


def _values(params: Params, name: str) -> list[str]:
    raw = params.get(name, ())
    found = [raw] if isinstance(raw, str) else list(raw)
    parts = [p.strip() for item in found for p in item.split(",") if p.strip()]
    if len(parts) > MAX_VALUES:
        raise InvalidSearchQuery(f"{name}: at most {MAX_VALUES} values", field=name)
    return parts


def _one(params: Params, name: str) -> str | None:
    found = _values(params, name)
    if len(found) > 1:
        raise InvalidSearchQuery(f"{name}: give one value, not {len(found)}", field=name)
    return found[0] if found else None


def _integer(params: Params, name: str, default: int, low: int, high: int) -> int:
    text = _one(params, name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidSearchQuery(
            f"{name}: {text!r} is not a whole number from {low} to {high}", field=name
        )
    return int(text)


def _decimal(params: Params, name: str) -> Decimal | None:
    text = _one(params, name)
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidSearchQuery(f"{name}: {text!r} is not a number", field=name) from None
    if not value.is_finite() or value < 0 or value > 10**9:
        raise InvalidSearchQuery(f"{name}: {text!r} is not a number from 0 to 10^9", field=name)
    return value


def _date(params: Params, name: str) -> date | None:
    text = _one(params, name)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidSearchQuery(
            f"{name}: {text!r} is not a date (YYYY-MM-DD)", field=name
        ) from None


def _codes(params: Params, name: str) -> tuple[str, ...]:
    found = _values(params, name)
    for code in found:
        if not CODE.match(code):
            raise InvalidSearchQuery(f"{name}: {code[:40]!r} is not a code", field=name)
    return tuple(
        dict.fromkeys(code.upper() if name in ("country", "nuts") else code for code in found)
    )


def _eqf(params: Params) -> tuple[int, ...]:
    levels = _values(params, "eqf")
    if any(not level.isdigit() or not 1 <= int(level) <= 8 for level in levels):
        raise InvalidSearchQuery("eqf: EQF levels are whole numbers from 1 to 8", field="eqf")
    return tuple(sorted({int(level) for level in levels}))


def _recognition(params: Params) -> bool | None:
    text = _one(params, "recognition")
    if text is None:
        return None
    if text.lower() not in ("yes", "no", "true", "false"):
        raise InvalidSearchQuery("recognition: 'yes' or 'no'", field="recognition")
    return text.lower() in ("yes", "true")


def _ranges(filters: Filters) -> None:
    pairs = (("ects_min", "ects_max"), ("price_min", "price_max"), ("starts_from", "starts_until"))
    for low, high in pairs:
        a, b = getattr(filters, low), getattr(filters, high)
        if a is not None and b is not None and a > b:
            raise InvalidSearchQuery(f"{low} is greater than {high}", field=low)


def parse_filters(params: Params) -> Filters:
    """The filters of a query string; ``InvalidSearchQuery`` names the first bad parameter."""
    filters = Filters(
        **{name: _codes(params, name) for name in LIST_FIELDS},
        eqf=_eqf(params),
        recognition=_recognition(params),
        ects_min=_decimal(params, "ects_min"),
        ects_max=_decimal(params, "ects_max"),
        price_min=_decimal(params, "price_min"),
        price_max=_decimal(params, "price_max"),
        starts_from=_date(params, "starts_from"),
        starts_until=_date(params, "starts_until"),
    )
    _ranges(filters)
    return filters


def parse_search_query(params: Params) -> SearchQuery:
    """A :class:`SearchQuery` from query-string-like input; unknown parameters are refused."""
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise InvalidSearchQuery(f"unknown parameter {unknown[0]!r}", field=unknown[0])
    raw = params.get("q", ())
    text = " ".join([raw] if isinstance(raw, str) else list(raw)).strip()
    if len(text) > MAX_TEXT:
        raise InvalidSearchQuery(f"q: at most {MAX_TEXT} characters", field="q")
    language = (_one(params, "lang") or "en").lower()
    if language not in LANGUAGES:
        raise InvalidSearchQuery(f"lang: one of {', '.join(LANGUAGES)}", field="lang")
    sort_text = _one(params, "sort") or "relevance"
    if sort_text not in Sort.__members__.values():
        raise InvalidSearchQuery(f"sort: one of {', '.join(s.value for s in Sort)}", field="sort")
    order = _one(params, "order") or "desc"
    if order not in ("asc", "desc"):
        raise InvalidSearchQuery("order: 'asc' or 'desc'", field="order")
    page = _integer(params, "page", 1, 1, MAX_PAGE)
    per_page = _integer(params, "per_page", 20, 1, MAX_PER_PAGE)
    if page * per_page > MAX_RESULTS_REACHABLE:
        raise InvalidSearchQuery(
            f"page: results beyond the first {MAX_RESULTS_REACHABLE} are not served; "
            "narrow the search",
            field="page",
        )
    return SearchQuery(
        text=text,
        language=language,
        filters=parse_filters(params),
        sort=Sort(sort_text),
        descending=order == "desc",
        page=page,
        per_page=per_page,
    )
