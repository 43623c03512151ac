"""The shared web layout and stylesheet: landmarks, language picker, no external resources."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, PackageLoader, select_autoescape

from microcred.core.i18n import SUPPORTED_LANGUAGES, translate

PAGE = """{% extends "base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block content %}<h1>{{ heading }}</h1>{% endblock %}"""


def static_text(name: str) -> str:
    return resources.files("microcred.web").joinpath("static", name).read_text("utf-8")


def render(lang: str, **values: object) -> str:
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("microcred.web", "templates"), DictLoader({"page.html": PAGE})]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return env.get_template("page.html").render(
        lang=lang, t=lambda key, **kw: translate(key, lang, **kw), **values
    )


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_landmarks_skip_link_and_language(lang: str) -> None:
    html = render(lang, heading="<script>x</script>", path="/verify")
    assert f'<html lang="{lang}">' in html
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert translate("nav.skip", lang) in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert '<a href="/verify" aria-current="page">' in html


def test_language_picker_offers_the_four_languages() -> None:
    html = render("ro", heading="x", lang_url=lambda code: f"/wallet?lang={code}")
    for code in SUPPORTED_LANGUAGES:
        assert f'href="/wallet?lang={code}" lang="{code}"' in html
    assert re.search(r'hreflang="ro"\s+aria-current="true"', html)
    assert html.count('aria-current="true"') == 1


def test_no_inline_style_or_script_and_no_external_resources() -> None:
    html = render("en", heading="x")
    assert "<style" not in html
    assert "<script" not in html
    assert " style=" not in html
    css = static_text("microcred.css")
    assert "@import" not in css
    assert "url(" not in css
    assert "http" not in static_text("logo.svg").replace("http://www.w3.org/2000/svg", "")


def test_stylesheet_keeps_focus_visible_and_narrow_screens() -> None:
    css = static_text("microcred.css")
    assert ":focus-visible { outline: 3px solid" in css
    assert "outline: none" not in css.replace("main:focus { outline: none; }", "")
    assert "@media (max-width: 40rem)" in css


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(
    ("ink", "background"),
    [("--ink", "--surface"), ("--muted", "--surface"), ("--navy", "--card"),
     ("--gold", "--card"), ("--link", "--card"), ("--ok-ink", "--ok-bg"),
     ("--bad-ink", "--bad-bg"), ("--warn-ink", "--warn-bg")],
)  # fmt: skip
def test_text_colours_have_enough_contrast(ink: str, background: str) -> None:
    css = static_text("microcred.css")
    colours = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    light, dark = sorted((luminance(colours[ink]), luminance(colours[background])), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5
