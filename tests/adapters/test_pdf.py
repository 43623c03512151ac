"""The printable credential: every Annex I element in four languages, A4, tagged, QR, escaped."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from microcred.adapters.pdf import render_credential_html, render_credential_pdf
from microcred.adapters.pdf.render import logo_data_url
from microcred.adapters.pdf.weasy import OfflineFetcher
from microcred.cli.describe import example_text
from microcred.core.annex1 import MANDATORY, OPTIONAL
from microcred.core.formats.detect import read_credential
from microcred.core.i18n import format_date, format_number, translate
from microcred.core.model import MicroCredential
from microcred.core.summary import Localiser

LANGUAGES = ("en", "fr", "ro", "de")
VERIFY_URL = "https://wallet.example.org/v/3f9c2a7e-5b1d-4c8e-9a6f-0d2b7e4c1a55"


@cache
def example() -> MicroCredential:
    return read_credential(example_text().encode()).credential


@cache
def rendered(lang: str) -> bytes:
    return render_credential_pdf(example(), language=lang, verify_url=VERIFY_URL)


def flat(text: str) -> str:
    """Text without any whitespace: line wrapping in the PDF cannot break a comparison."""
    return "".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def expected_values(mc: MicroCredential, lang: str) -> list[str]:
    """Every Annex I value of the example as the reader should see it in ``lang``."""
    loc = Localiser(lang)
    assert mc.learner
    assert mc.level
    assert mc.participation
    assert mc.workload
    assert mc.issued
    assert mc.grade
    assert mc.stackability
    values = [mc.learner.display_name or "", loc.text(mc.title) or ""]
    values += [loc.place(p) for p in mc.issuer_countries]
    values += [loc.text(b.name) or "" for b in mc.awarding_bodies]
    values.append(format_date(mc.issued.date(), lang))
    values += [loc.text(o.text) or "" for o in mc.learning_outcomes]
    for number, key in (
        (mc.workload.ects, "pdf.ects_value"),
        (mc.workload.hours, "pdf.hours_value"),
    ):
        assert isinstance(number, Decimal)
        values.append(translate(key, lang, value=format_number(number, lang)))
    refs = [mc.level.eqf, mc.level.qf_ehea, *mc.assessment_types, mc.supervision]
    refs += [mc.participation.mode, mc.participation.setting]
    refs += [q.type for q in mc.quality_assurance]
    values += [loc.concept(r) or "" for r in refs]
    values += [loc.text(q.agency) or "" for q in mc.quality_assurance]
    values += [loc.text(mc.prerequisites) or "", loc.text(mc.further_information) or ""]
    values += [mc.grade.value] + [loc.text(t.title) or "" for t in mc.stackability.towards]
    return [flat(v) for v in values]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_annex1_element_title_and_value_is_printed(lang: str) -> None:
    text = pdf_text(rendered(lang))
    for key in (*MANDATORY, *OPTIONAL):
        assert flat(translate(key, lang)) in text, key
    for value in expected_values(example(), lang):
        assert value in text, value


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translated_words_and_labels(lang: str) -> None:
    text = pdf_text(rendered(lang))
    assert flat(translate("pdf.kicker", lang)).upper() in text  # set in capitals by CSS
    assert flat(translate("pdf.verify_heading", lang)) in text
    if lang != "en":  # labels from labels.json, not the English fallback
        assert "writtenexamination" not in text
        assert "Romania(" not in text


def test_concept_labels_come_from_our_translations() -> None:
    assert flat("examen écrit") in pdf_text(rendered("fr"))
    assert flat("Schriftliche Prüfung") in pdf_text(rendered("de"))
    assert flat("Asigurarea calității programului") in pdf_text(rendered("ro"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a4_tagged_with_language_and_title(lang: str) -> None:
    reader = PdfReader(io.BytesIO(rendered(lang)))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595) <= 1
        assert abs(float(page.mediabox.height) - 842) <= 1
    root = reader.root_object
    assert "/StructTreeRoot" in root
    mark_info = root["/MarkInfo"].get_object()
    assert isinstance(mark_info, DictionaryObject)
    assert mark_info["/Marked"]
    assert str(root["/Lang"]) == lang
    assert reader.metadata is not None
    assert reader.metadata.title
    assert (Localiser(lang).text(example().title) or "") in str(reader.metadata.title)


def test_real_text_not_an_image() -> None:
    first_page = PdfReader(io.BytesIO(rendered("en"))).pages[0]
    assert "AnaPopescu" in flat(first_page.extract_text())
    assert len(first_page.images) == 0  # the QR code is vector, the text is text


def page_image(pdf: bytes, tmp_path: Path) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "credential.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(source),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    return Image.open(tmp_path / "page.png")


@pytest.mark.parametrize("lang", ["en", "ro"])
def test_qr_code_decodes_to_the_verify_url(lang: str, tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    codes = zxingcpp.read_barcodes(page_image(rendered(lang), tmp_path))
    assert [c.text for c in codes] == [VERIFY_URL]
    assert VERIFY_URL in pdf_text(rendered(lang))


def hostile() -> MicroCredential:
    mc = example()
    assert mc.learner is not None
    return mc.model_copy(
        update={
            "title": {"en": "<script>alert(1)</script>", "fr": "<script>alert(1)</script>"},
            "learner": mc.learner.model_copy(update={"full_name": '<b onclick="x()">Eve</b>'}),
            "further_information": {"en": "{{ 7*7 }} {% raw %} &amp; <iframe src=x>"},
        }
    )


def test_injected_markup_is_shown_literally() -> None:
    note = "<img src=x onerror=alert(1)>"
    html = render_credential_html(hostile(), language="en", verify_url=VERIFY_URL, status_note=note)
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    pdf = render_credential_pdf(hostile(), language="en", verify_url=VERIFY_URL, status_note=note)
    text = pdf_text(pdf)
    for literal in ("<script>alert(1)</script>", '<b onclick="x()">Eve</b>', note):
        assert flat(literal) in text
    assert flat("{{ 7*7 }} {% raw %} &amp; <iframe src=x>") in text
    assert b"/JavaScript" not in pdf
    assert b"/JS " not in pdf
    assert b"/OpenAction" not in pdf


def test_status_note_and_logo_are_printed() -> None:
    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (18, 58, 107)).save(logo, "PNG")
    pdf = render_credential_pdf(
        example(),
        language="de",
        verify_url=VERIFY_URL,
        provider_logo=logo.getvalue(),
        status_note="Widerrufen am 1. Juli 2026",
    )
    first_page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(first_page.images) == 1
    assert flat("Widerrufen am 1. Juli 2026") in flat(first_page.extract_text())


def test_unsupported_language_falls_back_to_english() -> None:
    pdf = render_credential_pdf(example(), language="pt-BR", verify_url=VERIFY_URL)
    assert str(PdfReader(io.BytesIO(pdf)).root_object["/Lang"]) == "en"
    assert flat("This is to certify that") in pdf_text(pdf)


def test_nothing_is_fetched() -> None:
    from weasyprint.urls import URLFetchingError

    fetcher = OfflineFetcher()
    for url in ("http://127.0.0.1/x.png", "https://example.org/a.css", "file:///etc/passwd"):
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x.png"/></svg>'
    pdf = render_credential_pdf(example(), language="en", verify_url=VERIFY_URL, provider_logo=svg)
    assert pdf.startswith(b"%PDF")


def test_logo_must_be_an_image() -> None:
    assert logo_data_url(b"\x89PNG\r\n\x1a\nrest").startswith("data:image/png;base64,")
    with pytest.raises(ValueError, match="PNG, JPEG"):
        logo_data_url(b"MZ\x90\x00 not an image")


def test_missing_elements_are_marked_not_specified() -> None:
    mc = MicroCredential(title={"en": "Bare"})
    text = pdf_text(render_credential_pdf(mc, language="fr", verify_url=VERIFY_URL))
    assert "Bare" in text
    assert flat(translate("pdf.not_specified", "fr")) in text
    for key in MANDATORY:
        assert flat(translate(key, "fr")) in text


def test_crowded_certificate_stays_on_one_page(tmp_path: Path) -> None:
    mc = example()
    assert mc.learner is not None
    body = mc.awarding_bodies[0]
    others = [
        body.model_copy(update={"name": {"en": f"Technische Hochschule Nummer {n} Westfalen"}})
        for n in (1, 2)
    ]
    crowded = mc.model_copy(
        update={
            "title": {"en": "Advanced interdisciplinary methods for sustainable urban water "
                            "management, climate adaptation and public participation in Europe"},
            "description": {"en": "Hydrology, governance and stakeholder engagement. " * 12},
            "awarding_bodies": (body, *others),
            "learner": mc.learner.model_copy(
                update={"full_name": "Maria-Magdalena Constantinescu-Wolfenschiessen"}
            ),
        }
    )  # fmt: skip
    url = VERIFY_URL + "?proof=" + "a" * 120
    pdf = render_credential_pdf(crowded, language="de", verify_url=url, status_note="Widerrufen")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert flat(translate("pdf.verify_heading", "de")) in flat(pages[0].extract_text())
    assert flat(pages[1].extract_text()).startswith(flat(translate("pdf.details", "de")))
    zxingcpp = pytest.importorskip("zxingcpp")
    assert [c.text for c in zxingcpp.read_barcodes(page_image(pdf, tmp_path))] == [url]
