"""The Annex I facts of a credential as labelled lines of text, in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.formats.sdjwt_vc import ANNEX1_CLAIMS, to_sdjwt_claims
from microcred.core.i18n import format_date, format_number
from microcred.core.model import ConceptRef
from microcred.core.summary import Localiser

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_LABEL_KEYS = ("prefLabel", "name", "label", "title", "text", "targetName")


@dataclass(frozen=True)
class Fact:
    """One Annex I element: its key (for the label) and its values as text."""

    element: str
    values: tuple[str, ...]


def annex1_claims(document: Mapping[str, Any]) -> dict[str, Any]:
    """Flat Annex I claims of a credential: SD-JWT VC claims as they are, OB 3.0 mapped."""
    if "vct" in document or "credentialSubject" not in document:
        return {k: v for k, v in document.items() if k in ANNEX1_CLAIMS}
    try:
        claims = to_sdjwt_claims(document)
    except MicrocredError:
        claims = {}
    if claims.get("title"):
        return {k: v for k, v in claims.items() if k in ANNEX1_CLAIMS}
    return _from_model(document)


def _from_model(document: Mapping[str, Any]) -> dict[str, Any]:
    """ELM and other formats: through the Annex I model."""
    from microcred.core.formats.detect import read_document

    try:
        mc = read_document(document).credential
    except (MicrocredError, ImportError, ValueError, KeyError, TypeError):
        return {}
    body = mc.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    renames = {"level": "eqf_level", "assessment_types": "assessment_type",
               "participation": "participation_form"}  # fmt: skip
    return {renames.get(k, k): v for k, v in body.items() if renames.get(k, k) in ANNEX1_CLAIMS}


def facts(claims: Mapping[str, Any], language: str) -> list[Fact]:
    """Lines of text for each Annex I element present, in Annex I order."""
    loc = Localiser(language)
    found = []
    for name in ANNEX1_CLAIMS:
        if name in claims and claims[name] not in (None, "", [], {}):
            values = tuple(v for v in render(claims[name], loc, name) if v)
            found.append(Fact(name, values))
    return found


def title_of(claims: Mapping[str, Any], language: str) -> str:
    """The title in ``language`` (or the best fallback), or an empty string."""
    values = render(claims.get("title"), Localiser(language), "title")
    return values[0] if values else ""


def _is_lang_map(value: Mapping[str, Any]) -> bool:
    return bool(value) and all(_LANG.match(k) and isinstance(v, str) for k, v in value.items())


def _date(value: str, language: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return format_date(moment.date(), language)


def render(value: Any, loc: Localiser, element: str = "") -> list[str]:
    """Plain text for a claim value: language maps, concepts, lists, small objects."""
    if value is None or value == "":
        return []
    if element == "issued" and isinstance(value, str):
        return [_date(value, loc.language)]
    if isinstance(value, list):
        return [text for item in value for text in render(item, loc, element)]
    if isinstance(value, Mapping):
        return [_render_object(value, loc, element)]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return [loc.concept(ConceptRef(id=value)) or value]
    return [str(value)]


def _number(value: Any, language: str = "en") -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, language)
    return str(value)


def _first(value: Any, loc: Localiser) -> str:
    found = render(value, loc)
    return found[0] if found else ""


def _learner(value: Mapping[str, Any], loc: Localiser) -> str:
    if value.get("name") or value.get("full_name"):
        return _first(value.get("name") or value.get("full_name"), loc)
    names = " ".join(str(value[k]) for k in ("given_name", "family_name") if value.get(k))
    if names:
        return names
    for ident in value.get("identifier") or []:
        if isinstance(ident, Mapping) and ident.get("identityType") in ("name", "emailAddress"):
            return str(ident.get("identityHash", ""))
    return str(value.get("id", ""))


def _workload(value: Mapping[str, Any], loc: Localiser) -> str:
    lang = loc.language
    parts = [f"{_number(value['ects'], lang)} ECTS" if "ects" in value else "",
             f"{_number(value['hours'], lang)} h" if "hours" in value else ""]  # fmt: skip
    return ", ".join(p for p in parts if p)


def _place(value: Mapping[str, Any], loc: Localiser) -> str:
    country = _first(value.get("country"), loc)
    region = _first(value.get("region"), loc)
    return f"{country} ({region})" if region else country


def _qa(value: Mapping[str, Any], loc: Localiser) -> str:
    kind = _first(value.get("qaType") or value.get("type"), loc)
    agency = _first(value.get("qaAgency") or value.get("agency"), loc)
    return f"{kind} — {agency}" if kind and agency else kind or agency or _pairs(value, loc)


def _grade(value: Mapping[str, Any], loc: Localiser) -> str:
    scheme = _first(value.get("scheme"), loc)
    grade = _number(value.get("value", ""))
    return f"{grade} ({scheme})" if scheme else grade


def _stack(value: Mapping[str, Any], loc: Localiser) -> str:
    towards = [_first(t, loc) for t in value.get("towards") or []]
    kind = str(value.get("kind", ""))
    return f"{kind}: {'; '.join(t for t in towards if t)}" if towards else kind


_BY_ELEMENT = {"learner": _learner, "workload": _workload, "issuer_countries": _place,
               "quality_assurance": _qa, "grade": _grade, "stackability": _stack}  # fmt: skip


def _render_object(value: Mapping[str, Any], loc: Localiser, element: str) -> str:
    if _is_lang_map(value):
        return loc.text(dict(value)) or ""
    special = _BY_ELEMENT.get(element)
    if special is not None:
        return special(value, loc) or _pairs(value, loc)
    for key in _LABEL_KEYS:
        if key in value:
            label = render(value[key], loc)
            if label:
                return label[0]
    if isinstance(value.get("id"), str):
        return render(value["id"], loc)[0]
    return _pairs(value, loc)


def _pairs(value: Mapping[str, Any], loc: Localiser) -> str:
    texts = (", ".join(render(v, loc)) for v in value.values() if v not in (None, "", [], {}))
    return ", ".join(t for t in texts if t)
