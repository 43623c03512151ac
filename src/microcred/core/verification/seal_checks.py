"""The named checks of a JAdES seal whose signature held: ``seal-timestamp``, ``seal-chain``,
``seal-trust`` and ``issuer``, and a summary of the seal (its chain) for reports and pages.

* ``seal-timestamp``: the signature time-stamps (``sigTst``, RFC 3161) are of this signature and
  signed by their authority; none (B-B) is not a failure, the signing time is then the sealer's
  claim (``sigT``) and certificates are judged now;
* ``seal-chain``: from the seal's certificate up to a trust anchor or a self-signed root, each
  certificate signed by the next and valid at the time-stamp's time (else now);
* ``seal-trust``: the chain ends on a certificate of a trusted service of the configured trust
  list (an EU Trusted List); skipped, not blocking, when no list is configured;
* ``issuer``: holds only when the chain is trusted; else it is skipped for lack of data (no
  list) or because the chain is not trusted, which keeps the seal out of ``authentic``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509

from microcred.core.proofs.jades import signature_timestamps
from microcred.core.verification.report import Check, failed, ok, skipped
from microcred.core.verification.seal_chain import Chain, SealTrust, build_chain, describe
from microcred.core.verification.timestamps import Stamp, check_stamp

NO_LIST = "no trust list is configured (MICROCRED_TRUST_LIST)"


@dataclass(frozen=True)
class SealChecks:
    checks: list[Check]
    summary: dict[str, Any]


def _subject(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()


def _stamp_check(stamps: list[Stamp]) -> Check:
    if not stamps:
        return skipped("seal-timestamp", "no signature time-stamp (JAdES B-B): the signing time "
                       "is the sealer's claim and certificates are judged now")  # fmt: skip
    bad = next((s for s in stamps if not s.ok), None)
    if bad is not None:
        return failed("seal-timestamp", f"signature time-stamp: {bad.reason}")
    first = stamps[0]
    authority = _subject(first.authority) if first.authority else "an unnamed authority"
    when = first.time.isoformat() if first.time else "?"
    return ok("seal-timestamp", f"signature time-stamped at {when} by {authority}")


def _chain_check(chain: Chain, at: datetime, basis: str) -> Check:
    path = " ← ".join(_subject(c) for c in chain.certificates)
    if chain.problem:
        return failed("seal-chain", f"{chain.problem} (chain {path})")
    moment = f"valid at {at.isoformat()} ({basis})"
    if chain.complete:
        return ok("seal-chain", f"{len(chain.certificates)} certificate(s), {moment}: {path}")
    last = chain.certificates[-1]
    detail = (f"the chain stops at {_subject(last)}: its issuer {last.issuer.rfc4514_string()} "
              "is neither carried by the seal nor on the trust list")  # fmt: skip
    return skipped("seal-chain", detail, blocking=True)


def _trust_check(chain: Chain, trust: SealTrust | None) -> Check:
    if trust is None:
        return skipped("seal-trust", NO_LIST)
    anchor = chain.anchor
    if anchor is None:
        return failed("seal-trust", f"no certificate of the seal's chain is on {trust.source}")
    where = ", ".join(x for x in (anchor.service, anchor.provider, anchor.territory) if x)
    return ok("seal-trust", f"{_subject(anchor.certificate)} is on {trust.source} ({where})")


def _issuer_check(leaf: x509.Certificate, chain: Check, trusted: Check) -> Check:
    holder = _subject(leaf)
    if chain.status == "ok" and trusted.status == "ok":
        return ok("issuer", f"sealed by {holder}, whose certificate chain is trusted")
    if trusted.status == "skipped":
        return skipped("issuer", f"sealed by {holder}; {NO_LIST}", blocking=True)
    why = "its chain is not trusted" if trusted.status == "failed" else chain.detail
    return skipped("issuer", f"sealed by {holder}, not tied to the issuer: {why}", blocking=True)


def seal_checks(
    leaf: x509.Certificate,
    carried: Sequence[x509.Certificate],
    signature: Mapping[str, Any],
    trust: SealTrust | None,
    now: datetime,
) -> SealChecks:
    """The checks after a valid seal ``signature`` (its JWS JSON entry), judged at ``now``."""
    value = str(signature.get("signature", "")).encode("ascii", errors="replace")
    stamps = [check_stamp(token, value) for token in signature_timestamps(signature)[:4]]
    return judge(leaf, carried, stamps, trust, now)


def _stamp_summary(stamps: list[Stamp]) -> dict[str, Any] | None:
    first = stamps[0] if stamps else None
    if first is None or not first.ok or first.time is None or first.authority is None:
        return None
    return {"time": first.time.isoformat(), "authority": describe(first.authority)}


def judge(
    leaf: x509.Certificate,
    carried: Sequence[x509.Certificate],
    stamps: list[Stamp],
    trust: SealTrust | None,
    now: datetime,
) -> SealChecks:
    """The checks after a valid seal signature, given its read time-stamps."""
    good = [s.time for s in stamps if s.ok and s.time is not None]
    at, basis = (min(good), "the time-stamp's time") if good else (now, "now")
    chain = build_chain(leaf, carried, trust, at)
    stamp = _stamp_check(stamps)
    chained = _chain_check(chain, at, basis)
    trusted = _trust_check(chain, trust)
    summary: dict[str, Any] = {
        "chain": chain.describe(),
        "judged_at": at.isoformat(),
        "timestamp": _stamp_summary(stamps),
        "trust_anchor": describe(chain.anchor.certificate) if chain.anchor else None,
        "trust_list": trust.source if trust else None,
    }
    checks = [stamp, chained, trusted, _issuer_check(leaf, chained, trusted)]
    return SealChecks(checks, summary)
