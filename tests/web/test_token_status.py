"""Token Status List over real HTTP: an SD-JWT VC issued by OpenID4VCI names its entry, the
platform serves the list token there, and revoking the credential makes the verifier say so."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from microcred.core.proofs.jws import parse_jws
from microcred.core.proofs.sd_jwt_disclosures import split_sd_jwt
from microcred.core.status_token import TokenStatusList
from microcred.services import statuses
from microcred.services.context import SYSTEM
from tests.web.live import Live, live_platform
from tests.web.oid4vci_wallet import SD_JWT, Wallet
from tests.web.test_oid4vci import access_token, issue_offer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("token-status")) as running:
        yield running


def _issue_sd_jwt(live: Live, http: httpx.Client) -> tuple[str, str]:
    """(credential id, SD-JWT VC) through the pre-authorized flow and the nonce endpoint."""
    link = issue_offer(live)
    wallet = Wallet(http)
    _, access = access_token(wallet, link)
    answer = wallet.request(access, SD_JWT, {"jwt": [wallet.jwt_proof(wallet.nonce())]})
    assert answer.status_code == 200, answer.text
    with live.platform.unit_of_work(SYSTEM) as ctx:
        from microcred.adapters.db.learner_models import WalletClaim

        ref = ctx.session.get(WalletClaim, link.id)
        assert ref is not None
        assert ref.credential_ref is not None
        credential_id = ref.credential_ref
    return credential_id, answer.json()["credentials"][0]["credential"]


def _status_check(http: httpx.Client, live: Live, sd_jwt: str) -> dict[str, object]:
    result = http.post(f"{live.base}/credentials/verify", json={"verifiableCredential": sd_jwt})
    assert result.status_code == 200, result.text
    (check,) = [c for c in result.json()["report"]["checks"] if c["name"] == "status"]
    return {"verified": result.json()["verified"], **check}


def test_issue_verify_revoke_verify(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        credential_id, sd_jwt = _issue_sd_jwt(live, http)
        entry = parse_jws(split_sd_jwt(sd_jwt).jwt).payload["status"]["status_list"]
        assert entry["uri"].startswith(f"{live.base}/status-lists/")
        served = http.get(entry["uri"])
        assert served.status_code == 200
        assert served.headers["content-type"].startswith("application/statuslist+jwt")
        token = parse_jws(served.text)
        assert token.header["typ"] == "statuslist+jwt"
        assert token.payload["sub"] == entry["uri"]
        listed = TokenStatusList.from_json(token.payload["status_list"])
        assert listed.get(entry["idx"]) == 0

        before = _status_check(http, live, sd_jwt)
        assert before["status"] == "ok", before
        assert before["verified"] is True, before

        with live.platform.unit_of_work(SYSTEM) as ctx:
            statuses.change(ctx, credential_id, "revoke", "test")
        after = _status_check(http, live, sd_jwt)
        assert after["verified"] is False
        assert after["status"] == "failed", after
        assert "revoked" in str(after["detail"]), after
        relisted = TokenStatusList.from_json(parse_jws(http.get(entry["uri"]).text).payload[
            "status_list"])  # fmt: skip
        assert relisted.get(entry["idx"]) == 1


def test_suspended_then_reinstated(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        credential_id, sd_jwt = _issue_sd_jwt(live, http)
        with live.platform.unit_of_work(SYSTEM) as ctx:
            statuses.change(ctx, credential_id, "suspend", "inquiry")
        suspended = _status_check(http, live, sd_jwt)
        assert suspended["status"] == "failed"
        assert "suspended" in str(suspended["detail"])
        with live.platform.unit_of_work(SYSTEM) as ctx:
            statuses.change(ctx, credential_id, "reinstate", None)
        assert _status_check(http, live, sd_jwt)["verified"] is True


def test_unknown_token_lists_are_problems(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        for path in ("/status-lists/nobody/token/0", "/status-lists/x/token/99999999999",
                     "/status-lists/x/token/-1"):  # fmt: skip
            answer = http.get(f"{live.base}{path}")
            assert answer.status_code in (404, 422), (path, answer.status_code)
            assert answer.headers["content-type"].startswith("application/problem+json")
