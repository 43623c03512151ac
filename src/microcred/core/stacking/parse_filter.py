"""JSON -> :class:`~.rules.Filter`, checking every concept against the packaged vocabularies
and ESCO, and naming the field at fault."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from microcred.core.errors import InvalidStackingRules
from microcred.core.esco import EscoData
from microcred.core.stacking.predicates import SUPERVISION_RANK
from microcred.core.stacking.rules import PROVIDER_TYPES, Filter, GradeThreshold
from microcred.core.vocab import vocabularies

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
FILTER_FIELDS = (
    "eqf_min", "eqf_max", "qf_ehea", "isced", "skills", "skill_coverage", "providers",
    "provider_types", "provider_countries", "qa_types", "qa_valid_at_issue",
    "assessment_types", "supervision_at_least", "grade", "issued_within_years",
    "opportunities", "credential_types",
)  # fmt: skip
UNKNOWN_CONCEPT = "unknown-concept"


def fail(path: str, message: str, code: str | None = None) -> InvalidStackingRules:
    return InvalidStackingRules(message, path=path, code=code)


def check_fields(data: Mapping[str, Any], known: tuple[str, ...], path: str) -> None:
    """Refuse a field the rules format does not have (a typo would silently admit anything)."""
    for key in data:
        if key not in known:
            raise fail(f"{path}.{key}", f"unknown field; expected one of {', '.join(known)}")


def text_list(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail(f"{path}.{key}", "expected a list of non-empty strings")
    return tuple(value)


def integer(value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(path, f"expected a whole number from {low} to {high}")
    return value


def number(value: Any, path: str, *, low: Decimal = Decimal(0)) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise fail(path, "expected a number")
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise fail(path, f"{value!r} is not a number") from None
    if not found.is_finite() or found < low:
        raise fail(path, f"expected a number of at least {low}")
    return found


def _concepts(data: Mapping[str, Any], key: str, path: str, scheme: str) -> tuple[str, ...]:
    values = text_list(data, key, path)
    known = vocabularies().scheme(scheme)
    for index, uri in enumerate(values):
        if uri not in known:
            raise fail(f"{path}.{key}[{index}]", f"{uri!r} is not a concept of the {scheme} "
                       "vocabulary", UNKNOWN_CONCEPT)  # fmt: skip
    return values


def _isced(data: Mapping[str, Any], path: str) -> tuple[str, ...]:
    codes = {c.notation for c in vocabularies().scheme("isced-f") if c.notation}
    values = text_list(data, "isced", path)
    for index, code in enumerate(values):
        if code not in codes:
            raise fail(f"{path}.isced[{index}]", f"{code!r} is not an ISCED-F 2013 code such as "
                       "'06' or '0613'", UNKNOWN_CONCEPT)  # fmt: skip
    return values


def _countries(data: Mapping[str, Any], path: str) -> tuple[str, ...]:
    scheme = vocabularies().scheme("country")
    found = []
    for index, value in enumerate(text_list(data, "provider_countries", path)):
        concept = scheme.get(value) or scheme.by_notation(value.upper())
        if concept is None:
            raise fail(f"{path}.provider_countries[{index}]", f"{value!r} is not a country code "
                       "or country authority URI", UNKNOWN_CONCEPT)  # fmt: skip
        found.append(concept.uri)
    return tuple(found)


def skill_list(data: Mapping[str, Any], key: str, path: str, esco: EscoData) -> tuple[str, ...]:
    """ESCO skill URIs, each known to ``esco``."""
    values = text_list(data, key, path)
    for index, uri in enumerate(values):
        if not uri.startswith(ESCO_SKILL) or esco.skill(uri) is None:
            raise fail(f"{path}.{key}[{index}]", f"{uri!r} is not an ESCO skill known here",
                       UNKNOWN_CONCEPT)  # fmt: skip
    return values


def share(value: Any, path: str) -> Decimal:
    found = number(value, path)
    if found > 1:
        raise fail(path, "a share of skills is a number from 0 to 1")
    return found


def _grade(value: Any, path: str) -> GradeThreshold:
    if not isinstance(value, Mapping):
        raise fail(path, "expected an object with at_least (and scale, scheme)")
    check_fields(value, ("at_least", "scale", "scheme"), path)
    at_least = value.get("at_least")
    if not isinstance(at_least, str | int | float) or isinstance(at_least, bool):
        raise fail(f"{path}.at_least", "expected the minimum grade")
    scale = text_list(value, "scale", path)
    scheme = value.get("scheme")
    if scheme is not None and not (isinstance(scheme, str) and scheme):
        raise fail(f"{path}.scheme", "expected the grading scheme's name")
    if scale and str(at_least) not in scale:
        raise fail(f"{path}.at_least", f"{at_least!r} is not a grade of the scale")
    if not scale:
        number(at_least, f"{path}.at_least", low=Decimal("-1e9"))
    return GradeThreshold(str(at_least), scale, scheme)


def _supervision(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if value not in SUPERVISION_RANK:
        raise fail(path, f"{value!r} is not a supervision and identity verification concept",
                   UNKNOWN_CONCEPT)  # fmt: skip
    return str(value)


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise fail(path, "expected true or false")
    return value


def parse_filter(data: Any, path: str, esco: EscoData) -> Filter:
    """The filter written at ``path`` (an object of predicates; ``{}`` admits everything)."""
    if not isinstance(data, Mapping):
        raise fail(path, "expected an object of predicates")
    check_fields(data, FILTER_FIELDS, path)
    at = f"{path}."
    eqf = {key: integer(data[key], at + key, 1, 8) for key in ("eqf_min", "eqf_max") if key in data}
    if eqf.get("eqf_min", 1) > eqf.get("eqf_max", 8):
        raise fail(f"{path}.eqf_max", "is below eqf_min: no credential could meet both")
    types = text_list(data, "provider_types", path)
    for index, kind in enumerate(types):
        if kind not in PROVIDER_TYPES:
            raise fail(f"{path}.provider_types[{index}]", f"{kind!r} is not one of "
                       f"{', '.join(PROVIDER_TYPES)}", UNKNOWN_CONCEPT)  # fmt: skip
    years = data.get("issued_within_years")
    return Filter(
        eqf_min=eqf.get("eqf_min"),
        eqf_max=eqf.get("eqf_max"),
        qf_ehea=_concepts(data, "qf_ehea", path, "qf-ehea"),
        isced_prefixes=_isced(data, path),
        skills=skill_list(data, "skills", path, esco),
        skill_coverage=share(data.get("skill_coverage", 1), at + "skill_coverage"),
        providers=text_list(data, "providers", path),
        provider_types=types,
        provider_countries=_countries(data, path),
        qa_types=_concepts(data, "qa_types", path, "accreditation"),
        qa_valid_at_issue=_flag(data.get("qa_valid_at_issue", False), at + "qa_valid_at_issue"),
        assessment_types=_concepts(data, "assessment_types", path, "assessment"),
        supervision_at_least=_supervision(
            data.get("supervision_at_least"), at + "supervision_at_least"
        ),
        grade=_grade(data["grade"], at + "grade") if "grade" in data else None,
        issued_within_years=None
        if years is None
        else integer(years, at + "issued_within_years", 1, 100),
        opportunities=text_list(data, "opportunities", path),
        credential_types=text_list(data, "credential_types", path),
    )
