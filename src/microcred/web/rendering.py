"""Server-rendered pages: one Jinja2 environment, texts in the visitor's language, QR codes."""

from __future__ import annotations

import base64
import io
import json
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from fastapi import Request
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, Response

from microcred.core.i18n import SUPPORTED_LANGUAGES, translate
from microcred.core.verification.wording import completeness_line, verdict_line
from microcred.services.learner import verifying
from microcred.web.session import Visitor, apply_cookies

# Each supported language named in itself, from the shared message catalogue.
LANGUAGE_NAMES = {code: translate(f"language.{code}", code) for code in SUPPORTED_LANGUAGES}


MESSAGE_FILES = (
    "learner_messages.json",
    "pathway_messages.json",
    "recognition_messages.json",
)  # the pages' own texts


@lru_cache(maxsize=1)
def _own_messages() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = {}
    for name in MESSAGE_FILES:
        data.update(json.loads(resources.files("microcred.web").joinpath(name).read_text("utf-8")))
    return data


def text(key: str, lang: str, **values: Any) -> str:
    """A UI message: the shared catalogue first, then the web pages' own, else the key."""
    try:
        return translate(key, lang, **values)
    except KeyError:
        pass
    entry = _own_messages().get(key)
    if entry is None:
        return key
    message = entry.get(lang) or entry["en"]
    return message.format(**values) if values else message


def qr_data_url(content: str) -> str:
    """A QR code of ``content`` as an SVG ``data:`` URL (for an ``<img>``)."""
    image = qrcode.make(content, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (autoescaping on for every template)."""
    env = Environment(
        loader=PackageLoader("microcred.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(languages=SUPPORTED_LANGUAGES, language_names=LANGUAGE_NAMES,
                       qr=qr_data_url, verdict_line=verdict_line,
                       completeness_line=completeness_line,
                       annex_results=verifying.completeness)  # fmt: skip
    return env


def _lang_url(request: Request, lang: str) -> str:
    query = dict(request.query_params)
    query["lang"] = lang
    return f"{request.url.path}?{urlencode(query)}"


def render(
    request: Request,
    who: Visitor,
    template: str,
    *,
    secure: bool,
    http_status: int = 200,
    **values: Any,
) -> Response:
    """Render ``template`` for the visitor and set the cookies their session needs."""
    lang = who.language

    def t(key: str, **fill: Any) -> str:
        return text(key, lang, **fill)

    html = environment().get_template(template).render(
        t=t, who=who, lang=lang, csrf=who.csrf, path=request.url.path,
        lang_url=lambda code: _lang_url(request, code), **values,
    )  # fmt: skip
    response = HTMLResponse(html, status_code=http_status)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return apply_cookies(response, who, secure)
