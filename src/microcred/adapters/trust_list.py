"""A local EU Trusted List (ETSI TS 119 612 XML) as trust anchors for JAdES seals.

The list's XML signature is checked with ``signxml`` (against the scheme operator's certificate
when one is configured, ``MICROCRED_TRUST_LIST_SIGNER``; else against the certificate the
signature carries, which proves integrity only, and the source says so). Only what the
signature covers is read (``signxml``'s "see what is signed"): the certificates of the
services whose status is granted (or, for older lists, under supervision / accredited).

A list of lists (LOTL) only points to national lists: give the national list itself.
A list that cannot be read gives no anchors, with the reason in its source, so the
``seal-trust`` check fails naming it, and never breaks verification.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml.exceptions import InvalidCertificate as SignxmlInvalidCertificate
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.verifier import SignatureConfiguration, XMLVerifier

from microcred.core.errors import InvalidTrustList
from microcred.core.verification.seal_chain import SealTrust, TrustAnchor

TSL = "http://uri.etsi.org/02231/v2#"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"tsl": TSL, "ds": DS}
USABLE = frozenset({
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel",
    "http://uri.etsi.org/TrstSvc/Svcstatus/undersupervision",
    "http://uri.etsi.org/TrstSvc/Svcstatus/accredited",
})  # fmt: skip
MAX_BYTES = 20 * 1024 * 1024
MAX_ANCHORS = 5000


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           remove_comments=True)  # fmt: skip


def _embedded_signer(root: etree._Element) -> x509.Certificate:
    found = root.find("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)
    if found is None or not (found.text or "").strip():
        raise InvalidTrustList("the trust list's signature carries no certificate")
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join(found.text.split())))
    except (binascii.Error, ValueError) as exc:
        raise InvalidTrustList("the trust list's signing certificate cannot be read") from exc


def _signed_list(data: bytes, signer: x509.Certificate | None) -> tuple[etree._Element, str]:
    """The part of the list its signature covers, and who signed it."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidTrustList(f"the trust list is not XML: {exc}") from exc
    if root.tag != f"{{{TSL}}}TrustServiceStatusList":
        raise InvalidTrustList("not an ETSI TS 119 612 trust list (TrustServiceStatusList)")
    if root.find("ds:Signature", NS) is None:
        raise InvalidTrustList("the trust list is not signed")
    certificate = signer or _embedded_signer(root)
    references = len(root.findall("ds:Signature/ds:SignedInfo/ds:Reference", NS))
    config = SignatureConfiguration(location="./", expect_references=max(1, min(references, 2)))
    try:
        results = XMLVerifier().verify(data, x509_cert=certificate, expect_config=config,
                                       parser=_parser())  # fmt: skip
    except (InvalidSignature, InvalidInput, SignxmlInvalidCertificate, ValueError) as exc:
        raise InvalidTrustList(f"the trust list's signature does not hold: {exc}") from exc
    for result in results if isinstance(results, list) else [results]:
        signed = result.signed_xml
        if signed is not None and signed.tag == f"{{{TSL}}}TrustServiceStatusList":
            who = certificate.subject.rfc4514_string()
            return signed, who if signer else f"{who}, a signer not pinned"
    raise InvalidTrustList("the trust list's signature does not cover the list")


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _anchors(signed: etree._Element) -> list[TrustAnchor]:
    territory = _text(signed, "tsl:SchemeInformation/tsl:SchemeTerritory")
    anchors: list[TrustAnchor] = []
    for tsp in signed.iterfind("tsl:TrustServiceProviderList/tsl:TrustServiceProvider", NS):
        provider = _text(tsp, "tsl:TSPInformation/tsl:TSPName/tsl:Name")
        for info in tsp.iterfind("tsl:TSPServices/tsl:TSPService/tsl:ServiceInformation", NS):
            if _text(info, "tsl:ServiceStatus") not in USABLE:
                continue
            service = _text(info, "tsl:ServiceName/tsl:Name")
            path = "tsl:ServiceDigitalIdentity/tsl:DigitalId/tsl:X509Certificate"
            for cert in info.iterfind(path, NS):
                try:
                    der = base64.b64decode("".join((cert.text or "").split()))
                    anchors.append(TrustAnchor(x509.load_der_x509_certificate(der), service,
                                               provider, territory))  # fmt: skip
                except (binascii.Error, ValueError):
                    continue
                if len(anchors) >= MAX_ANCHORS:
                    return anchors
    return anchors


def read_trust_list(data: bytes, name: str, signer: x509.Certificate | None = None) -> SealTrust:
    """The anchors of a trust list; InvalidTrustList when it cannot be used."""
    if len(data) > MAX_BYTES:
        raise InvalidTrustList(f"the trust list is larger than {MAX_BYTES} bytes")
    signed, who = _signed_list(data, signer)
    territory = _text(signed, "tsl:SchemeInformation/tsl:SchemeTerritory") or "?"
    source = f"the trust list {name} ({territory}, signed by {who})"
    return SealTrust(tuple(_anchors(signed)), source)


def load_trust_list(path: str, signer_path: str = "") -> SealTrust:
    """The trust list file at ``path``: its anchors, or none with the reason in its source."""
    name = Path(path).name
    try:
        signer = None
        if signer_path:
            signer = x509.load_pem_x509_certificate(Path(signer_path).read_bytes())
        return read_trust_list(Path(path).read_bytes(), name, signer)
    except InvalidTrustList as exc:
        return SealTrust((), f"the trust list {name}, which cannot be used: {exc.message}")
    except (OSError, ValueError) as exc:
        return SealTrust((), f"the trust list {name}, which cannot be read: {exc}")


def signer_pem(certificate: x509.Certificate) -> bytes:
    """PEM of a certificate (to configure a list's signer)."""
    return certificate.public_bytes(serialization.Encoding.PEM)
