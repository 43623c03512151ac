"""A local RFC 3161 time-stamp authority for tests (a real HTTP server on 127.0.0.1).

It answers ``application/timestamp-query`` requests with a TimeStampToken: a CMS SignedData over
a TSTInfo (the request's imprint and nonce, the given time), signed by its own certificate with
signed attributes, as RFC 3161 and RFC 5652 describe. Test code only: microcred never signs
time-stamps.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.seal_pki import certificate, ec_key, name

TSA_POLICY = "1.2.3.4.1"


class LocalTsa:
    """Signs time-stamp tokens at ``clock()`` with a self-issued TSA certificate."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.key = ec_key("tsa")
        subject = name("Local Test TSA")
        self.certificate = certificate(subject, self.key, subject, self.key, ca=False)
        self.requests = 0

    def token(self, request: tsp.TimeStampReq) -> cms.ContentInfo:
        info = tsp.TSTInfo({
            "version": "v1", "policy": TSA_POLICY,
            "message_imprint": request["message_imprint"],
            "serial_number": self.requests + 1, "gen_time": self.clock(),
            "nonce": request["nonce"].native,
        })  # fmt: skip
        content = info.dump()
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        cert = asn1_x509.Certificate.load(der)
        attrs = cms.CMSAttributes([
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            cms.CMSAttribute({"type": "message_digest",
                              "values": [hashlib.sha256(content).digest()]}),
        ])  # fmt: skip
        signature = self.key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
        signer = cms.SignerInfo({
            "version": "v1",
            "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
                {"issuer": cert.issuer, "serial_number": cert.serial_number})}),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
            "signature": signature,
        })  # fmt: skip
        signed = cms.SignedData({
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "tst_info",
                                   "content": core.ParsableOctetString(content)},
            "certificates": [cert], "signer_infos": [signer],
        })  # fmt: skip
        return cms.ContentInfo({"content_type": "signed_data", "content": signed})

    def answer_digest(self, digest: bytes) -> bytes:
        """A token for a SHA-256 ``digest`` without HTTP (the seal's ``TimeStamper`` port)."""
        imprint = {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": digest}
        request = tsp.TimeStampReq(
            {"version": "v1", "nonce": 1, "cert_req": True, "message_imprint": imprint}
        )
        self.requests += 1
        return bytes(self.token(request).dump())

    def answer(self, body: bytes) -> bytes:
        request = tsp.TimeStampReq.load(body)
        token = self.token(request)
        self.requests += 1
        return bytes(tsp.TimeStampResp({"status": {"status": "granted"},
                                        "time_stamp_token": token}).dump())  # fmt: skip


@contextmanager
def serving(tsa: LocalTsa) -> Iterator[str]:
    """The TSA's URL while it serves on a free local port."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = tsa.answer(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
