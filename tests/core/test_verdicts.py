"""Two results a person reads right: *verified* (genuine and in force) and Annex I completeness.

A genuine Open Badge from another platform is verified and "not a micro-credential"; an
incomplete micro-credential is verified and says what it lacks; a revoked one is not verified,
however complete. Completeness never moves the verdict, and reading notes are never failures.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from microcred.core.annex1 import Problem
from microcred.core.formats.base import Imported
from microcred.core.formats.detect import read_document
from microcred.core.i18n import SUPPORTED_LANGUAGES
from microcred.core.verification.completeness import judge
from microcred.core.verification.wording import completeness_line, verdict_line
from microcred.core.verify import Report
from tests.conftest import vectors_path
from tests.core.test_verify import ISSUER_KEY, Documents, example_ob3, sign, with_status
from tests.vectors import test_dcc_fixtures, test_ob3_validator_resources

DCC = ("dcc-vc-test-fixtures", "verifiableCredentials", "v2", "ed25519")


@pytest.fixture
def docs(tmp_path: Path) -> Documents:
    return Documents(tmp_path)


def state(report: Report) -> str | None:
    return report.completeness.state if report.completeness else None


def another_platforms_micro_credential() -> dict[str, Any]:
    """An OB 3.0 achievement typed MicroCredential, without microcred's Annex I extension."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:6c1d3f0e-8a0b-4c4e-9f43-2b3f6b1b2a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER_KEY.public.did_key, "type": ["Profile"], "name": "Other Academy"},
        "validFrom": "2026-06-01T00:00:00Z",
        "name": "Data basics",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:learner",
            "achievement": {
                "id": "https://other.example/achievements/data-basics",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": "Data basics",
                "description": "Reading tables and charts.",
                "criteria": {"narrative": "Pass the final quiz."},
            },
        },
    }


def test_a_genuine_open_badge_of_another_issuer_is_verified_and_not_a_micro_credential() -> None:
    path = vectors_path(*DCC, "didKey", "legacy-noStatus-noExpiry.json")
    report = test_dcc_fixtures.check(path.read_bytes())
    assert report.format == "Open Badges 3.0"
    assert report.verified, report.to_dict()
    assert state(report) == "not-a-micro-credential"
    line = verdict_line(report.to_dict(), "en")
    assert line.startswith(f"Verified: genuine, issued by {report.issuer}, valid now")
    assert report.completeness is not None
    assert report.completeness.summary == "Not a micro-credential (Annex I does not apply)"


def test_a_revoked_open_badge_is_not_verified_and_says_why() -> None:
    path = vectors_path(*DCC, "didKey", "oidf-revokedStatus-noExpiry.json")
    report = test_dcc_fixtures.check(path.read_bytes())
    assert not report.verified
    assert state(report) == "not-a-micro-credential"
    line = verdict_line(report.to_dict(), "en")
    assert line.startswith("Not verified: Status: ")
    assert "revoked" in line


def test_a_key_not_tied_to_its_issuer_is_unconfirmed_not_forged() -> None:
    """1EdTech's own sample: the signature holds, but nothing resolvable ties key to issuer."""
    report = test_ob3_validator_resources.check("ob30/simple.json")
    assert report.authentic is False
    assert not report.verified
    assert state(report) == "not-a-micro-credential"
    assert verdict_line(report.to_dict(), "en").startswith(
        "Not verified: Issuer could not be confirmed ("
    )


def test_another_platforms_incomplete_micro_credential_is_verified_and_incomplete(
    docs: Documents,
) -> None:
    report = docs.check(sign(another_platforms_micro_credential()))
    assert report.verified, report.to_dict()
    assert report.completeness is not None
    assert report.completeness.state == "incomplete"
    assert {"workload", "eqf_level", "quality_assurance"} <= set(report.completeness.missing)
    assert "issuer_countries" in report.completeness.missing
    assert report.completeness.summary.startswith("Not a complete EU micro-credential: missing ")
    assert "Quality assurance" in report.completeness.summary
    assert [c.status for c in report.checks if c.status == "failed"] == []


def test_our_complete_micro_credential_is_verified_and_complete(docs: Documents) -> None:
    report = docs.check(with_status(docs, 5))
    assert report.verified
    assert state(report) == "complete"
    data = report.to_dict()
    assert data["completeness"] == {
        "state": "complete", "missing": [], "problems": [], "notes": [], "reason": "",
        "summary": "Complete EU micro-credential (Annex I)",
    }  # fmt: skip
    assert verdict_line(data, "en").endswith("valid now, not revoked or suspended")


def test_revoked_is_not_verified_however_complete(docs: Documents) -> None:
    report = docs.check(with_status(docs, 7, bits=(7,)))
    assert not report.verified
    assert state(report) == "complete"
    assert "revoked" in verdict_line(report.to_dict(), "en")


def test_an_incomplete_one_names_the_missing_and_the_wrong_elements(docs: Documents) -> None:
    document = example_ob3()
    achievement = document["credentialSubject"]["achievement"]
    del achievement["alignment"]
    achievement["creditsAvailable"] = 90
    report = docs.check(sign(document))
    assert report.verified, report.to_dict()
    assert report.completeness is not None
    assert report.completeness.missing == ("eqf_level",)
    assert "workload" in [p.element for p in report.completeness.problems]
    summary = report.completeness.summary
    assert "missing EQF level" in summary
    assert "Notional workload: 90 ECTS is more than a full year" in summary


def test_unreadable_elements_are_a_completeness_state_of_their_own(docs: Documents) -> None:
    document = sign(example_ob3())
    document["@context"] = [*document["@context"], "https://unknown.example/context"]
    report = docs.check(document)
    assert state(report) == "unreadable"
    assert report.completeness is not None
    assert "unknown.example" in report.completeness.reason
    assert "could not be read" in report.completeness.summary
    assert not report.verified  # for its format and proof, not for its completeness
    assert {"format", "proof"} <= {c.name for c in report.checks if c.status == "failed"}


def test_completeness_never_moves_the_verdict(docs: Documents) -> None:
    complete = sign(example_ob3())
    incomplete = copy.deepcopy(example_ob3())
    del incomplete["credentialSubject"]["achievement"]["alignment"]
    reports = [docs.check(complete), docs.check(sign(incomplete))]
    assert [state(r) for r in reports] == ["complete", "incomplete"]
    assert [r.verified for r in reports] == [True, True]
    assert [c.to_dict() for c in reports[0].checks] == [c.to_dict() for c in reports[1].checks]


def test_reading_notes_are_notes_and_never_make_it_incomplete() -> None:
    imported = read_document(example_ob3())
    noted = Imported(imported.format, imported.credential, (), ("a local concept read as X",))
    result = judge(noted)
    assert result.state == "complete"
    assert result.notes == ("a local concept read as X",)
    assert result.to_dict()["notes"] == ["a local concept read as X"]
    problem = Problem("workload", "not readable")
    assert judge(Imported(imported.format, imported.credential, (problem,))).state == "incomplete"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_both_results_read_in_every_language(docs: Documents, lang: str) -> None:
    document = example_ob3()
    del document["credentialSubject"]["achievement"]["alignment"]
    data = docs.check(sign(document)).to_dict()
    verified = verdict_line(data, lang)
    completeness = completeness_line(data["completeness"], lang)
    words = {
        "en": ("Verified: genuine", "Not a complete EU micro-credential: missing EQF level"),
        "fr": ("Vérifiée : authentique", "Microcertification européenne incomplète : manquent"),
        "ro": ("Verificată: autentică", "Microcertificat european incomplet: lipsesc"),
        "de": ("Verifiziert: echt", "Kein vollständiges EU-Microcredential: es fehlen"),
    }[lang]
    assert verified.startswith(words[0])
    assert completeness.startswith(words[1])
    assert ISSUER_KEY.public.did_key in verified


def test_a_clr_bundle_leaves_completeness_to_each_part() -> None:
    from tests.core import test_clr

    parts = [test_clr._signed_part(1, "Data literacy"), test_clr._signed_part(2, "Data analysis"),
             test_clr._signed_part(3, "Certificate in data science")]  # fmt: skip
    report = test_clr._verify(test_clr._clr(parts))
    assert report.verified, report.to_dict()
    assert report.completeness is None
    assert "annex1" not in {check.name for check in report.checks}
    assert [state(part) for part in report.credentials] == ["complete"] * 3
    assert report.to_dict()["credentials"][0]["completeness"]["state"] == "complete"
