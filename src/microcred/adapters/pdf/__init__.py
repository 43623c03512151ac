"""Printable micro-credential: a certificate page and the Annex I details, as a tagged A4 PDF.

``render_credential_pdf(mc, language=, verify_url=, provider_logo=, status_note=) -> bytes``.
The template (``templates/credential.html``) and stylesheet (``templates/credential.css``)
ship with the package; fonts are DejaVu through fontconfig; nothing is fetched.
"""

from __future__ import annotations

from microcred.adapters.pdf.render import (
    qr_svg,
    render_credential_html,
    render_credential_pdf,
)

__all__ = ["qr_svg", "render_credential_html", "render_credential_pdf"]
