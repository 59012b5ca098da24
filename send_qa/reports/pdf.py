"""Turning the report's HTML into a PDF with WeasyPrint, fetching nothing from outside.

The fetcher serves only the project's own static files and data: URLs. No network, no reading
of arbitrary files, no redirects: anything else is refused.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

REPORT_ORIGIN = "https://report.invalid"


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(allowed_protocols=["data", "https"], allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        static = settings.STATIC_URL
        if f"{parts.scheme}://{parts.netloc}" != REPORT_ORIGIN or not parts.path.startswith(static):
            raise RefusedURL(f"The report may not fetch {url}")
        name = unquote(parts.path[len(static) :])
        if ".." in name.split("/"):
            raise RefusedURL(f"The report may not fetch {url}")
        path: str | None = finders.find(name)
        if not path:
            raise RefusedURL(f"There is no static file {name}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) from the report's HTML."""
    document = HTML(string=html, base_url=f"{REPORT_ORIGIN}/", url_fetcher=StaticOnlyFetcher())
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
