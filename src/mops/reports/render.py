"""Reports as files: a view model through the Jinja templates to HTML, and HTML to PDF.

Templates ship inside mops (``mops/templates/``). A firm overrides any of them by name with a
folder set in ``[reports] templates`` (its logo, its wording): a file there wins over the one
shipped. Autoescaping is on for every template and an undefined name is an error, so a typo in
a template fails loudly instead of printing nothing.

PDF comes from the same HTML through one engine, headless Chromium's print-to-PDF: the browser
the tests already open every report in, so the PDF is the page the tests checked.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

from mops.errors import InputError, MopsError
from mops.i18n import text
from mops.reports import charts
from mops.reports.fmt import Formatter
from mops.reports.model import ReportView

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


@cache
def environment(override: str = "") -> Environment:
    """The template environment: the override folder first (if any), then mops's own."""
    loaders = []
    if override:
        folder = Path(override).expanduser()
        if not folder.is_dir():
            raise InputError(
                text("rpt.no_template_folder", path=folder),
                hint=text("rpt.no_template_folder_hint"),
            )
        loaders.append(FileSystemLoader(str(folder)))
    loaders.append(PackageLoader("mops", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(
    view: ReportView,
    *,
    templates: str = "",
    minguo: bool = False,
    currency_decimals: int = 0,
    generated: dt.datetime | None = None,
) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script)."""
    from mops import __version__

    env = environment(templates)
    fmt = Formatter(view.lang, minguo=minguo, currency_decimals=currency_decimals)
    names = [f"{view.name}.html.j2", "report.html.j2"]
    template = env.select_template(names)
    stamp = generated or dt.datetime.now().replace(microsecond=0)
    return template.render(
        view=view,
        f=fmt,
        t=lambda key, **params: text(key, view.lang, **params),
        svg=lambda chart: charts.render(chart, fmt),
        html_lang="en" if view.lang.value == "en" else "zh-Hant-TW",
        version=__version__,
        generated=fmt.datetime(stamp),
    )


def find_browser(configured: str = "") -> str:
    """The Chromium to print with: the configured one, else the first found on PATH."""
    for name in (configured, *BROWSERS) if configured else BROWSERS:
        found = shutil.which(name) if name else None
        if found:
            return found
    raise MopsError(text("rpt.no_browser"), hint=text("rpt.no_browser_hint"))


def html_to_pdf(html: Path, pdf: Path, *, browser: str = "", timeout: float = 120) -> Path:
    """Print ``html`` to ``pdf`` (A4, the page's own print CSS) with headless Chromium."""
    exe = find_browser(browser)
    with tempfile.TemporaryDirectory(prefix="mops-chromium-") as profile:
        partial = pdf.with_suffix(".pdf.part")
        command = [
            exe,
            "--headless=new",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={partial}",
            html.resolve().as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
            partial.unlink(missing_ok=True)
            raise MopsError(
                text("rpt.pdf_failed", path=pdf, detail=done.stderr.strip()[-300:]),
                hint=text("rpt.no_browser_hint"),
            )
        partial.replace(pdf)
    return pdf
