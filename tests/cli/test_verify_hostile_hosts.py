"""``microcred verify`` on a credential naming hosts the URL parser refuses: exit 1 with each
failure named, never a traceback. These hosts are refused before any lookup: nothing is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli.main import main

HOSTS = ["999.1.1.1", "0177.0.0.1", "0x7f.1", "exa%E2%80%A4mple.com", "%5B::1"]


@pytest.mark.parametrize("host", HOSTS)
def test_verify_names_an_unfetchable_issuer_and_status_list(
    host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    did = f"did:web:{host}"
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"], "issuer": did, "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:1", "name": "x"},
        "credentialStatus": {"id": "https://example.org/s#1", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": "1",
                             "statusListCredential": "https://[::1/status"},
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                  "proofPurpose": "assertionMethod", "verificationMethod": f"{did}#k",
                  "created": "2026-01-01T00:00:00Z", "proofValue": "z1111"},
    }  # fmt: skip
    path = tmp_path / "vc.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"issuer: no valid proof by a key of {did}" in out
    status = next(line for line in out.splitlines() if "status:" in line)
    assert "status list unreachable" in status
    assert "https://[::1/status: not a URL that can be fetched" in status
