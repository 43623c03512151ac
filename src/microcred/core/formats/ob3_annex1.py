"""Annex I completeness of an OB 3.0 credential, read straight from its JSON (issue 10).

:func:`~microcred.core.formats.ob3_read.from_ob3` builds and validates the whole model, and
:func:`microcred.core.annex1.check` judges it: a fifth of what ``POST /credentials/verify``
cost. Judging needs much less: which mandatory elements are present, and that nothing is
wrong. :func:`direct_judgement` reads exactly that from the document, by the reader's own rules
(the same helpers: ``text``, ``iri``, the EQF alignment, the vocabularies), and answers only
when it is sure to agree with the full reading: when the reader would report no problem and
Annex I finds none. Anything else (a value the reader would call unreadable, an unknown
concept, a region named in words, co-awarding bodies...) gives None, and the full reading
runs. ``tests/core/test_annex1_direct.py`` compares both on every bundled sample and on
generated variations of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from microcred.core.annex1 import MANDATORY, Problem, workload_problems
from microcred.core.formats.native import is_native
from microcred.core.formats.ob3_fields import LEARNER_FIELDS, as_list, has_value, iri, text
from microcred.core.formats.ob3_read import (
    ABSENT,
    OUTCOME_TARGET_TYPES,
    day_of,
    decimal_of,
    eqf_iri,
    is_eqf,
    is_ob3,
    language_of,
)
from microcred.core.formats.ob3_write import EXTENSION_CONTEXT
from microcred.core.jsonld import unknown_context
from microcred.core.model import LOCAL_ID_PREFIX, Workload
from microcred.core.vocab import Vocabularies, vocabularies
from microcred.core.vocab.loaders import EXTENDED_BY

Judgement = tuple[tuple[str, ...], tuple[Problem, ...]]


class _Unsure(Exception):
    """The full reading must decide (it would report a problem, or this reader cannot say)."""


def direct_judgement(document: Mapping[str, Any]) -> Judgement | None:
    """``(missing, problems)`` exactly as :func:`~microcred.core.verification.completeness.judge`
    of :func:`~microcred.core.formats.detect.read_document` gives them, or None when unsure.

    It answers only for an OB 3.0 credential whose reading reports nothing but absent mandatory
    elements; its problems are then those absences, worded as the reader words them.
    """
    if is_native(document) or unknown_context(document) is not None or not is_ob3(document):
        return None
    try:
        present = _Direct(document).present()
    except _Unsure:
        return None
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None  # whatever the full reading makes of it, it says so itself
    missing = tuple(key for key in MANDATORY if not present[key])
    problems = tuple(Problem(k, f"not in the OB 3.0 credential: {ABSENT[k]}") for k in missing)
    return missing, problems


def _first_iri(value: Any) -> str | None:
    """The IRI ``optional_concept`` would make a concept of."""
    return next((found for found in map(iri, as_list(value)) if found), None)


def _iris(value: Any) -> list[str]:
    """The IRIs ``concept_list`` would make concepts of."""
    return [found for found in map(iri, as_list(value)) if found]


class _Direct:
    """One credential, read for presence and for the absence of problems (``_Unsure`` else)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc = document
        self.ours = EXTENSION_CONTEXT in [c for c in as_list(document.get("@context"))
                                          if isinstance(c, str)]  # fmt: skip
        subject = next(iter(as_list(document.get("credentialSubject"))), None)
        self.subject: Mapping[str, Any] = subject if isinstance(subject, Mapping) else {}
        achievement = self.subject.get("achievement")
        self.ach: Mapping[str, Any] = achievement if isinstance(achievement, Mapping) else {}
        self.lang = language_of(self.ach.get("inLanguage"))
        self.vocab: Vocabularies = vocabularies()

    def known(self, scheme: str, uri: str) -> None:
        """Annex I's concept rule: ``uri`` is in ``scheme`` (or the scheme extending it)."""
        extension = EXTENDED_BY.get(scheme)
        if extension is not None and uri in self.vocab.scheme(extension):
            return
        if uri not in self.vocab.scheme(scheme):
            raise _Unsure

    def present(self) -> dict[str, bool]:
        issuer = self.doc.get("issuer")
        issued = self._date("validFrom", "issuanceDate", "awardedDate")
        until = self._date("validUntil", "expirationDate")
        if issued and until and until <= issued:  # both have a time zone (``_date``)
            raise _Unsure
        self._grade()
        self._stackability()
        self._optional_concepts()
        level = self._eqf_level()
        title = text(self.ach, "name", "nameMap", self.lang) or text(
            self.doc, "name", "nameMap", self.lang
        )
        return {
            "learner": self._learner(),
            "title": title is not None,
            "issuer_countries": self._places(issuer),
            "awarding_bodies": self._awarding_bodies(issuer),
            "issued": issued is not None,
            "learning_outcomes": self._outcomes(),
            "workload": self._workload(),
            "eqf_level": level,
            "assessment_type": self._coded_list("assessmentType", "assessment"),
            "participation_form": self._participation(),
            "quality_assurance": self._quality(),
        }

    def _learner(self) -> bool:
        named = self.subject.get("id") if isinstance(self.subject.get("id"), str) else None
        identified = bool(named and not named.startswith(LOCAL_ID_PREFIX))
        for entry in as_list(self.subject.get("identifier")):
            if not isinstance(entry, Mapping) or not isinstance(entry.get("identityHash"), str):
                raise _Unsure
            kind, value = str(entry.get("identityType") or "identifier"), entry["identityHash"]
            if not value or kind in ("ext:", "ext:hashed-"):
                raise _Unsure
            if entry.get("hashed") in (True, "true"):
                identified = True
            elif kind in LEARNER_FIELDS:
                identified = identified or LEARNER_FIELDS[kind] in ("full_name", "email")
            elif kind == "ext:birthDate":
                date.fromisoformat(value)  # ValueError: the reader reports it
            else:
                identified = True
        return identified

    def _places(self, node: Any) -> bool:
        """The issuer's places (``issuer_places``), each concept known, regions in country."""
        if not isinstance(node, Mapping):
            return False
        addresses = [*as_list(node.get("address")), *as_list(node.get("additionalAddress"))]
        found = False
        for address in addresses:
            if isinstance(address, Mapping):
                found = self._place(address) or found
        return found

    def _place(self, address: Mapping[str, Any]) -> bool:
        country = _first_iri(address.get("countryConcept"))
        if country is None:
            code, name = address.get("addressCountryCode"), address.get("addressCountry")
            for value in (code, name):
                if isinstance(value, str) and len(value) == 2:
                    concept = self.vocab.scheme("country").by_notation(value.upper())
                    if concept is not None:
                        country = concept.uri
                        break
            if country is None:
                if code or name:
                    raise _Unsure  # a country by name, or not recognised: the full reading
                return False
        self.known("country", country)
        region = _first_iri(address.get("regionConcept"))
        named = address.get("addressRegion")
        if region is None and isinstance(named, str) and named:
            found = self.vocab.scheme("nuts").by_notation(named.strip().upper())
            if found is None:
                raise _Unsure  # a region by name, or not a NUTS region
            region = found.uri
        if region is not None:
            self.known("nuts", region)
            self._region_in_country(country, region)
        return True

    def _region_in_country(self, country: str, region: str) -> None:
        found_country = self.vocab.concept("country", country)
        found_region = self.vocab.concept("nuts", region)
        if found_country is None or found_region is None or found_region.notation is None:
            return
        prefix = found_region.notation[:2]
        if {"EL": "GR", "UK": "GB"}.get(prefix, prefix) != found_country.notation:
            raise _Unsure

    def _awarding_bodies(self, issuer: Any) -> bool:
        """The issuer and the co-awarding bodies (each with its places, as the reader reads
        them: a problem with one of them is the reader's problem)."""
        found = self._body(issuer)
        for node in as_list(self.doc.get("coAwardingBody")):
            found = self._body(node) or found
            self._places(node)
        return found

    def _body(self, node: Any) -> bool:
        if isinstance(node, str) and node:
            raise _Unsure  # the reader notes a body given by IRI only
        if not isinstance(node, Mapping):
            return False
        if text(node, "name", "nameMap", self.lang) is None:
            raise _Unsure  # a body without a name: a problem
        return True

    def _date(self, *keys: str) -> datetime | None:
        for key in keys:
            value = self.doc.get(key)
            if value is None:
                continue
            found = datetime.fromisoformat(str(value))  # ValueError: the reader reports it
            if found.tzinfo is None:
                raise _Unsure  # Annex I: a date-time without a time zone
            return found
        return None

    def _outcomes(self) -> bool:
        if "learningOutcome" in self.ach:
            found = False
            for node in as_list(self.ach.get("learningOutcome")):
                if not isinstance(node, Mapping):
                    raise _Unsure
                if text(node, "", "outcomeText", self.lang) is None:
                    raise _Unsure  # an outcome without text: a problem
                found = True
            return found
        for node in as_list(self.ach.get("alignment")):
            if not isinstance(node, Mapping) or is_eqf(node):
                continue
            if node.get("targetType") not in OUTCOME_TARGET_TYPES:
                continue
            if (text(node, "targetName", "", self.lang)
                    or text(node, "targetDescription", "", self.lang)) is not None:  # fmt: skip
                return True
        return False

    def _workload(self) -> bool:
        ects = decimal_of(self.ach.get("creditsAvailable"))
        hours = decimal_of(self.ach.get("workloadHours"))
        duration = self.ach.get("workloadDuration")
        if "creditsAvailable" in self.ach and ects is None:
            raise _Unsure  # not a number: a problem
        if ects is None and hours is None and duration is None:
            return False
        workload = Workload(
            ects=ects, hours=hours, duration=duration if isinstance(duration, str) else None
        )
        if next(workload_problems(workload), None) is not None:
            raise _Unsure
        return ects is not None or hours is not None

    def _eqf_level(self) -> bool:
        alignments = as_list(self.ach.get("alignment"))
        eqf = next((found for node in alignments if (found := eqf_iri(node))), None)
        qf_ehea = _first_iri(self.ach.get("qfEheaCycle"))
        nqf = _first_iri(self.ach.get("nqfLevel"))
        for scheme, uri in (("eqf", eqf), ("qf-ehea", qf_ehea), ("nqf", nqf)):
            if uri is not None:
                self.known(scheme, uri)
        if eqf is not None and qf_ehea is not None:
            cycle = self.vocab.concept("qf-ehea", qf_ehea)
            if cycle is not None and cycle.broader != eqf:
                raise _Unsure
        return eqf is not None

    def _coded_list(self, key: str, scheme: str) -> bool:
        found = _iris(self.ach.get(key))
        for uri in found:
            self.known(scheme, uri)
        return bool(found)

    def _participation(self) -> bool:
        mode = _first_iri(self.ach.get("participationMode"))
        if mode is None:
            return False
        self.known("learning-assessment", mode)
        for key, scheme in (("learningSetting", "learning-setting"),
                            ("learningActivity", "learning-activity")):  # fmt: skip
            found = _first_iri(self.ach.get(key))
            if found is not None:
                self.known(scheme, found)
        return True

    def _quality(self) -> bool:
        found = False
        for node in as_list(self.ach.get("qualityAssurance")):
            qa_type = _first_iri(node.get("qaType")) if isinstance(node, Mapping) else None
            if qa_type is None:
                raise _Unsure  # an entry without qaType: a problem
            self.known("accreditation", qa_type)
            starts, ends = day_of(node.get("qaValidFrom")), day_of(node.get("qaValidUntil"))
            if starts and ends and ends < starts:
                raise _Unsure
            found = True
        return found

    def _grade(self) -> None:
        results = [r for r in as_list(self.subject.get("result")) if isinstance(r, Mapping)]
        if results and not any(has_value(r.get("value")) for r in results):
            raise _Unsure  # results without a value: the reader says so

    def _stackability(self) -> None:
        kind = self.ach.get("stackability")
        if kind not in ("stand-alone", "stackable"):
            if kind is not None:
                raise _Unsure
            return
        if kind == "stackable" and not any(
            isinstance(node, Mapping) and text(node, "", "targetTitle", self.lang)
            for node in as_list(self.ach.get("stackableTowards"))
        ):
            raise _Unsure  # stackable towards nothing named: a problem

    def _optional_concepts(self) -> None:
        """Supervision, field of study and languages: optional, but a wrong one is a problem."""
        supervision = _first_iri(self.ach.get("supervisionVerification"))
        if supervision is not None:
            if self.vocab.concept("supervision-verification", supervision) is not None:
                annex1 = [c.uri for c in self.vocab.scheme("supervision")
                          if c.broader == supervision]  # fmt: skip
                if len(annex1) != 1:
                    raise _Unsure
                supervision = annex1[0]
            self.known("supervision", supervision)
        field = _first_iri(self.ach.get("iscedField"))
        named = self.ach.get("fieldOfStudy")
        if field is None and isinstance(named, str) and named:
            concept = self.vocab.scheme("isced-f").by_notation(named.split(" ")[0])
            if concept is None:
                raise _Unsure
            field = concept.uri
        if field is not None:
            self.known("isced-f", field)
        if "instructionLanguage" in self.ach:
            for uri in _iris(self.ach.get("instructionLanguage")):
                self.known("language", uri)
