"""The report as a PDF, printed by a headless Chromium when one is installed (optional).

The page's print stylesheet lays it out on A4; Chromium prints it exactly as a reader's
browser would. No Python package is needed: Chromium is found on ``PATH`` (Debian's
``chromium`` package), or named by the ``RECOGMODEL_CHROMIUM`` environment variable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .._files import atomic_write
from ..errors import InputError, Problem

__all__ = ["chromium", "write_pdf"]

#: The names a Chromium goes by on ``PATH``, tried in turn.
NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def chromium() -> str | None:
    """The Chromium to print with: ``RECOGMODEL_CHROMIUM``, else the first on ``PATH``."""
    named = os.environ.get("RECOGMODEL_CHROMIUM")
    if named:
        return named
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def write_pdf(html: str, path: str | Path, *, timeout: float = 120) -> Path:
    """Print a report's HTML to a PDF at ``path`` with headless Chromium, atomically.

    Parameters
    ----------
    html
        The page, as :func:`~recogmodel.report.build_report` gives it.
    path
        The PDF to write.
    timeout
        Seconds Chromium may take.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        If no Chromium is installed, or it fails to print.
    """
    browser = chromium()
    if browser is None:
        raise InputError(
            [
                Problem(
                    "pdf",
                    "no Chromium to print with; install Debian's chromium package, or set "
                    "RECOGMODEL_CHROMIUM to a Chromium or Chrome executable",
                )
            ]
        )
    with tempfile.TemporaryDirectory() as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except (OSError, subprocess.SubprocessError) as exc:
            raise InputError(
                [Problem("pdf", f"Chromium could not print the page: {exc}")]
            ) from None
        if not pdf.is_file():
            raise InputError([Problem("pdf", "Chromium printed no PDF")])
        return atomic_write(path, pdf.read_bytes())
