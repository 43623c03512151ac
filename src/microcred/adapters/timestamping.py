"""An RFC 3161 time-stamp authority client: sealed EDCs become JAdES B-T.

The authority is the operator's choice (``MICROCRED_TSA_URL``), so it is asked directly, with a
time limit and a size limit; its answer is checked (status granted, the imprint and nonce we
sent) before the token goes into a seal.
"""

from __future__ import annotations

import secrets

import httpx
from asn1crypto import tsp

from microcred.core.errors import ProofError

MAX_RESPONSE = 256 * 1024
QUERY_TYPE = "application/timestamp-query"
GRANTED = frozenset({"granted", "granted_with_mods"})


class TimeStampAuthority:
    """``digest -> DER TimeStampToken`` (SHA-256 imprint) from the authority at ``url``."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url, self.timeout = url, timeout

    def __call__(self, digest: bytes) -> bytes:
        nonce = secrets.randbits(63)
        imprint = {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": digest}
        request = tsp.TimeStampReq(
            {"version": "v1", "message_imprint": imprint, "nonce": nonce, "cert_req": True}
        )
        try:
            answer = httpx.post(self.url, content=request.dump(), timeout=self.timeout,
                                headers={"Content-Type": QUERY_TYPE})  # fmt: skip
        except httpx.HTTPError as exc:
            raise ProofError(
                f"the time-stamp authority {self.url} cannot be reached: {exc}"
            ) from exc
        if answer.status_code != 200 or len(answer.content) > MAX_RESPONSE:
            raise ProofError(f"the time-stamp authority {self.url} answered {answer.status_code}")
        return _token(answer.content, digest, nonce, self.url)


def _token(body: bytes, digest: bytes, nonce: int, url: str) -> bytes:
    try:
        response = tsp.TimeStampResp.load(body)
        status = response["status"]["status"].native
        token = response["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]["hashed_message"].native
        answered_nonce = info["nonce"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise ProofError(f"the time-stamp authority {url} sent no readable answer") from exc
    if status not in GRANTED:
        raise ProofError(f"the time-stamp authority {url} refused: {status}")
    if imprint != digest or answered_nonce != nonce:
        raise ProofError(f"the time-stamp authority {url} stamped something else")
    return bytes(token.dump())
