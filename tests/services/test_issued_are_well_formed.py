"""What the platform signs passes the verifier's own well-formedness rules, and nothing else
is signed: one function (``credential_problems``) used both ways."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.bootstrap import Platform
from microcred.core.errors import MalformedCredential
from microcred.core.keys import KeyPair
from microcred.core.verification.wellformed import credential_problems, field_of
from microcred.services import batches, issuance, opportunities, providers, statuses
from microcred.services.batch_input import read_csv
from microcred.services.context import SYSTEM, Context
from microcred.services.documents import Draft, issue_document, issue_documents, secure
from microcred.services.issuance import IssueIn
from tests.platform.samples import credential_description, opportunity_in, provider_in


def _published(ctx: Context) -> int:
    provider = providers.register(ctx, provider_in())
    row = opportunities.create(ctx, provider.id, opportunity_in())
    opportunities.publish(ctx, row.id)
    return row.id


def _payload(document: Any) -> Any:
    """A JSON credential as it is, a vc+jwt's payload (the credential) decoded."""
    if isinstance(document, dict):
        return document
    middle = document.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(middle + "=" * (-len(middle) % 4)))


@pytest.mark.parametrize(
    ("fmt", "suite"),
    [("ob3", "eddsa-rdfc-2022"), ("ob3", "eddsa-jcs-2022"), ("ob3", "vc+jwt"),
     ("elm", "eddsa-rdfc-2022")],
)  # fmt: skip
def test_issued_credentials_pass_the_verifiers_rules(ctx: Context, fmt: str, suite: str) -> None:
    opportunity = _published(ctx)
    learner = {"name": "Ana Popescu", "email": "ana@example.org", "id": "did:example:ana"}
    data = {"opportunity_id": opportunity, "format": fmt, "suite": suite, "learner": learner,
            "grade": "9.5"}  # fmt: skip
    row, _ = issuance.issue(ctx, IssueIn.model_validate(data))
    document = _payload(issuance.parsed_document(row))
    assert credential_problems(document) == []


def test_batch_credentials_and_status_lists_pass_the_verifiers_rules(
    platform: Platform, ctx: Context
) -> None:
    opportunity = _published(ctx)
    rows = read_csv("name,email,grade\nAna,ana@example.org,9\nIon,ion@example.org,\n")
    batch_id = batches.create(ctx, opportunity, rows).id
    ctx.session.commit()  # the test is the entry point; the run has units of work of its own
    batch = batches.run(platform, SYSTEM, batch_id)
    assert batch.issued == 2
    issued = issuance.list_credentials(ctx, batch.provider_id)
    assert len(issued) == 2
    for row in issued:
        assert credential_problems(issuance.parsed_document(row)) == []
    for purpose in ("revocation", "suspension"):
        status_list = statuses.list_credential(ctx, "unibuc", purpose, 0)
        assert credential_problems(status_list) == []


NOW = datetime(2026, 3, 1, tzinfo=UTC)
KEY = KeyPair.from_seed(bytes(32))


def _credential(**changes: Any) -> dict[str, Any]:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": KEY.public.did_key,
        "credentialSubject": {"id": "did:example:ana", "name": "Ana"},
    }
    return {**document, **changes}


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc+jwt"])
def test_signing_refuses_what_the_verifier_would_refuse(suite: str) -> None:
    assert secure(_credential(), KEY, KEY.public.did_key_vm, suite, NOW)
    broken = _credential(credentialSubject={}, validFrom="yesterday")
    with pytest.raises(MalformedCredential) as caught:
        secure(broken, KEY, KEY.public.did_key_vm, suite, NOW)
    assert [path for path, _ in caught.value.problems] == ["credentialSubject", "validFrom"]


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc+jwt"])
def test_a_type_the_contexts_do_not_define_is_named_whatever_the_suite(suite: str) -> None:
    """RDFC finds it while canonicalising, JCS and JOSE by expanding first: one answer."""
    unmapped = _credential(
        **{"@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": None}],
           "type": ["VerifiableCredential", "ExampleTestCredential"]}
    )  # fmt: skip
    with pytest.raises(MalformedCredential) as caught:
        secure(unmapped, KEY, KEY.public.did_key_vm, suite, NOW)
    assert caught.value.problems == tuple(
        (field_of(p), str(p)) for p in credential_problems(unmapped)
    )


def _drafts(*learners: dict[str, Any]) -> list[Draft]:
    """A batch chunk's drafts: one description object shared by all, as a chunk has it."""
    description = credential_description()
    return [
        Draft(credential_id=f"00000000-0000-4000-8000-{n:012d}", description=description,
              learner=learner, grade="9" if n % 2 else None, issued=NOW,
              issuer_did=KEY.public.did_key, status_index=n, signed_at=NOW,
              status_urls=("https://example.org/status/r/0", "https://example.org/status/s/0"))
        for n, learner in enumerate(learners)
    ]  # fmt: skip


def test_a_chunk_is_issued_as_each_credential_alone() -> None:
    """The batch path works out what the drafts share once; every document stays the same
    text (Ed25519 is deterministic) and passes the verifier's rules."""
    drafts = _drafts(*({"full_name": f"Learner {n}", "email": f"l{n}@example.org"}
                       for n in range(3)))  # fmt: skip
    method = KEY.public.did_key_vm
    texts = issue_documents(drafts, KEY, method, "eddsa-rdfc-2022")
    assert texts == [issue_document(d, KEY, method, "eddsa-rdfc-2022") for d in drafts]
    for text in texts:
        assert credential_problems(json.loads(text)) == []


def test_the_batch_path_refuses_what_the_verifier_would_refuse() -> None:
    """A learner id that is no URL (the verifier's rule: credentialSubject id) in the middle
    of a chunk is refused there, after well-formed ones were signed with shared work."""
    drafts = _drafts({"full_name": "Ana"}, {"full_name": "Ion", "id": "ion"}, {"full_name": "Eva"})
    with pytest.raises(MalformedCredential) as caught:
        issue_documents(drafts, KEY, KEY.public.did_key_vm, "eddsa-rdfc-2022")
    assert [path for path, _ in caught.value.problems] == ["credentialSubject.id"]
    assert issue_documents(drafts[::2], KEY, KEY.public.did_key_vm, "eddsa-rdfc-2022")
