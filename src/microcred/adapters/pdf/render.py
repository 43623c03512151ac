"""HTML + CSS -> tagged PDF, offline: WeasyPrint is loaded only when a PDF is made."""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from importlib import resources

import qrcode
import qrcode.image.svg
from jinja2 import Environment, PackageLoader, select_autoescape

from microcred.adapters.pdf.view import build_view, crowded, length_class
from microcred.core.i18n import supported, translate
from microcred.core.model import MicroCredential
from microcred.core.recognition.letter import DecisionLetter

_LOGO_TYPES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("microcred.adapters.pdf", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["length_class"] = length_class
    return env


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (
        resources.files("microcred.adapters.pdf")
        .joinpath("templates", "credential.css")
        .read_text("utf-8")
    )


def data_url(content: bytes, media_type: str) -> str:
    """``data:`` URL of some bytes."""
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def qr_svg(text: str) -> bytes:
    """A QR code (error correction M, 4-module quiet zone) of ``text`` as an SVG document."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def logo_data_url(logo: bytes) -> str:
    """The provider's logo (PNG, JPEG, GIF or SVG) as a ``data:`` URL; ``ValueError`` otherwise."""
    for magic, media_type in _LOGO_TYPES:
        if logo.startswith(magic):
            return data_url(logo, media_type)
    head = logo[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in logo[:4096].lower():
        return data_url(logo, "image/svg+xml")
    raise ValueError("the provider logo must be a PNG, JPEG, GIF or SVG image")


def _logo(mc: MicroCredential, provider_logo: bytes | None) -> str | None:
    if provider_logo is not None:
        return logo_data_url(provider_logo)
    for body in mc.awarding_bodies:
        if body.logo and body.logo.startswith("data:image/"):
            return body.logo
    return None


def render_credential_html(
    mc: MicroCredential,
    *,
    language: str,
    verify_url: str,
    provider_logo: bytes | None = None,
    status_note: str | None = None,
) -> str:
    """The HTML of the printable credential (every text escaped), before it becomes a PDF."""
    lang = supported(language)
    view = build_view(mc, lang)
    return (
        _environment()
        .get_template("credential.html")
        .render(
            view=view,
            lang=lang,
            t=lambda key, **values: translate(key, lang, **values),
            css=_stylesheet(),
            logo=_logo(mc, provider_logo),
            qr=data_url(qr_svg(verify_url), "image/svg+xml"),
            verify_url=verify_url,
            status_note=status_note,
            compact=crowded(view, verify_url, status_note),
        )
    )


def render_credential_pdf(
    mc: MicroCredential,
    *,
    language: str,
    verify_url: str,
    provider_logo: bytes | None = None,
    status_note: str | None = None,
) -> bytes:
    """A printable, tagged (PDF/UA-1) A4 PDF of ``mc`` in ``language`` (en, fr, ro or de).

    Page 1 is a certificate (learner, title, awarding body, date, level, workload, seal, and a
    QR code of ``verify_url``); the following pages list every Annex I element. ``status_note``
    (e.g. "Revoked on ...") is printed beside the QR code. Nothing is fetched over the network.
    """
    html = render_credential_html(
        mc,
        language=language,
        verify_url=verify_url,
        provider_logo=provider_logo,
        status_note=status_note,
    )
    from microcred.adapters.pdf.weasy import html_to_pdf  # WeasyPrint loads on first use only

    return html_to_pdf(html)


def render_letter_pdf(letter: DecisionLetter, *, authority: str) -> bytes:
    """A tagged A4 PDF of a recognition decision letter, in the letter's language."""
    html = (
        _environment()
        .get_template("letter.html")
        .render(letter=letter, authority=authority, when=letter.date.isoformat())
    )
    from microcred.adapters.pdf.weasy import html_to_pdf  # WeasyPrint loads on first use only

    return html_to_pdf(html)
