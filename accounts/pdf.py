"""PDF rendering shared by every document of the portal (reports, notices, summaries).

WeasyPrint fetches what a page links to (stylesheets, fonts, images). A PDF is rendered on the
server from data users typed in, so a link in that data must never make the server reach out –
to another host (server-side request forgery), to the file system (file:///etc/passwd) or to
anything else. The fetcher here serves only the portal's own static files, looked up the way
`collectstatic` finds them, and refuses every other address (DESIGN.md §5).
"""

import mimetypes
import posixpath
import threading
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative addresses in a PDF template ("/static/…") resolve against this origin. It is not a
# real host: nothing is ever requested from it, the fetcher maps it onto the static files.
PDF_ORIGIN = "https://pdf.kekiz-portal.invalid"


class StaticFilesOnlyFetcher(URLFetcher):
    """Serves `PDF_ORIGIN` + STATIC_URL + name from the static files; refuses everything else."""

    def fetch(self, url, headers=None):
        name = static_name(url)
        if name is None:
            raise ValueError(f"Nur eigene statische Dateien sind erlaubt, nicht {url!r}.")
        path = _static_path(name)
        if path is None:
            raise ValueError(f"Statische Datei {name!r} gibt es nicht.")
        mime_type, _encoding = mimetypes.guess_type(name)
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(
            url, body, {"Content-Type": mime_type or "application/octet-stream"}
        )


def static_name(url: str) -> str | None:
    """The static file's name for an address under PDF_ORIGIN + STATIC_URL, else None."""
    origin = urlsplit(PDF_ORIGIN)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    # "a/../../settings.py" must not climb out of the static roots.
    normal = posixpath.normpath(name)
    if not name or normal.startswith(("..", "/")) or normal != name or "\\" in name:
        return None
    return name


def _static_path(name: str) -> str | None:
    # Finders know the source files (development, tests); a collected, hashed name such as
    # print.3f2a….css from {% static %} under the manifest storage lives in STATIC_ROOT.
    found = finders.find(name)
    if found:
        return found
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except NotImplementedError:  # a storage without local files
        return None
    return None


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    # WeasyPrint decodes the print stylesheet's WOFF2 faces in pure Python, which took seconds
    # per PDF. A configuration kept for the thread decodes each face once per process; Pango's
    # font maps are not shared between threads.
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes (A4, the print stylesheet linked by the template)."""
    html = render_to_string(template_name, context)
    return HTML(
        string=html, base_url=PDF_ORIGIN + "/", url_fetcher=StaticFilesOnlyFetcher()
    ).write_pdf(font_config=_font_config())
