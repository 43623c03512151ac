"""Test EU Trusted Lists (ETSI TS 119 612 XML), signed with ``signxml`` by a test operator."""

from __future__ import annotations

import base64

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml.algorithms import SignatureMethod
from signxml.signer import XMLSigner

from tests.seal_pki import certificate, ec_key, name

TSL = "http://uri.etsi.org/02231/v2#"
GRANTED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted"
WITHDRAWN = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn"
CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"


def operator() -> tuple[x509.Certificate, bytes]:
    """The scheme operator's certificate and PEM key."""
    key = ec_key("scheme-operator")
    subject = name("Test Scheme Operator", "Test Supervisory Body")
    cert = certificate(subject, key, subject, key, ca=False)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    return cert, pem


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, f"{{{TSL}}}{tag}")
    if text is not None:
        node.text = text
    return node


def unsigned_list(services: list[tuple[x509.Certificate, str]], territory: str = "RO") -> bytes:
    """A list with one provider offering a CA/QC service per (certificate, status)."""
    root = etree.Element(f"{{{TSL}}}TrustServiceStatusList", nsmap={"tsl": TSL}, Id="tsl")
    scheme = _sub(root, "SchemeInformation")
    _sub(scheme, "TSLVersionIdentifier", "5")
    _sub(scheme, "SchemeTerritory", territory)
    tsp = _sub(_sub(root, "TrustServiceProviderList"), "TrustServiceProvider")
    _sub(_sub(_sub(tsp, "TSPInformation"), "TSPName"), "Name", "Test Trust Services SRL")
    services_node = _sub(tsp, "TSPServices")
    for index, (cert, status) in enumerate(services):
        info = _sub(_sub(services_node, "TSPService"), "ServiceInformation")
        _sub(info, "ServiceTypeIdentifier", CA_QC)
        _sub(_sub(info, "ServiceName"), "Name", f"Qualified eSeal CA {index + 1}")
        der = cert.public_bytes(serialization.Encoding.DER)
        digital = _sub(_sub(info, "ServiceDigitalIdentity"), "DigitalId")
        _sub(digital, "X509Certificate", base64.b64encode(der).decode())
        _sub(info, "ServiceStatus", status)
    return bytes(etree.tostring(root))


def signed_list(services: list[tuple[x509.Certificate, str]], territory: str = "RO") -> bytes:
    cert, key = operator()
    root = etree.fromstring(unsigned_list(services, territory))
    signer = XMLSigner(signature_algorithm=SignatureMethod.ECDSA_SHA256)
    signed = signer.sign(root, key=key, cert=[cert.public_bytes(serialization.Encoding.PEM)])
    return bytes(etree.tostring(signed))
