"""WeasyPrint, offline: nothing is fetched but ``data:`` URLs.

Kept apart from ``render.py`` so that importing the application does not load WeasyPrint (and
its native libraries): only making a PDF does.
"""

from __future__ import annotations

from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetchingError


class OfflineFetcher(URLFetcher):  # type: ignore[misc]
    """Refuses every URL except ``data:``: a credential or logo cannot make us fetch anything."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise URLFetchingError(f"refused to fetch {url[:80]!r}: the PDF renderer works offline")


def html_to_pdf(html: str) -> bytes:
    """A tagged (PDF/UA-1) PDF of a self-contained HTML page."""
    document = HTML(string=html, url_fetcher=OfflineFetcher(), base_url="about:blank")
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
