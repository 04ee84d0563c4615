"""Find and launch a headless Chromium once per process, for printing PDFs.

Order: the ``WORKBOOK_CHROMIUM`` environment variable; ``chromium-headless-shell`` /
``chromium`` / ``chromium-browser`` / ``google-chrome`` on PATH; Playwright's own downloaded
browser where one is installed. The headless shell (Debian's ``chromium-headless-shell``, the
build Playwright itself prefers for headless work) has the same Blink and prints the same pages,
without the full browser around them: a batch of PDF handouts took about a third less CPU with
it here (Chromium's browser process all but idle).
Launched with networking services off: printing makes no request to any external host.

Lifetime: this process -> Playwright's driver (a Node process, started by Playwright with a
pipe on its stdin) -> Chromium (started detached by the driver, in its own process group).
Nothing here needs a signal handler or a pid: when this process ends, however it ends (a
batch worker is SIGKILLed with its parent, see :mod:`..batch`), the driver reads end-of-file
on that pipe, closes every browser it launched and exits; Chromium also exits when its
DevTools pipe from the driver closes. Measured with a SIGKILLed batch: workers, drivers and
Chromiums all gone within about a second. At a normal exit, :data:`BROWSER` is closed by
``atexit``.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from ..errors import BrowserNotFoundError, ExportError, PlaywrightMissingError

ENV_VAR = "WORKBOOK_CHROMIUM"
# documents printed on one page before it is replaced: the headless shell's renderer grows between
# replacements (peak RSS of a 1000-handout batch +10% over a 100-handout one at 40, +2% at 20)
RECYCLE_AFTER = 20
CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Quiet, offline Chromium: no background networking, sync, component updates or QUIC.
ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """The path of a Chromium to use, or None to let Playwright use its own browser."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        if not Path(configured).is_file():
            raise BrowserNotFoundError(f"{ENV_VAR}={configured}, which does not exist")
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_playwright() -> None:
    """Raise :class:`PlaywrightMissingError` unless ``playwright`` can be imported (without importing
    it): a command asked for PDFs checks this before any work, so it fails in one line, not half-way."""
    if importlib.util.find_spec("playwright") is None:
        raise PlaywrightMissingError()


# what a document is printed in: offline, no JavaScript, and (routed) every request aborted
PRINTING_CONTEXT = {"offline": True, "java_script_enabled": False}
# and the page shows it as printed (CSS print media) from the start: the same PDF (same pages, same
# pixels, same size), but Chromium no longer lays the document out for the screen first and again
# for paper (a handout took about 150 ms in page.pdf, now about 90)
PRINTING_MEDIA = "print"


def launch_args() -> list[str]:
    args = list(ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium's sandbox cannot run as root
    return args


def launch_error(err: Exception, path: str | None) -> Exception:
    """The one-line error for a Chromium that did not start (``path`` None: Playwright's own)."""
    if path is None:
        return BrowserNotFoundError("PATH and Playwright's own browsers")
    return ExportError(f"Chromium at {path} did not start: {str(err).splitlines()[0]}")


class _Browser:
    """One Playwright + Chromium per process, started on first use and closed at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._page: Any = None
        self._printed = 0

    def get(self) -> Any:
        with self._lock:
            if self._browser is None or not self._browser.is_connected():
                self._start()
            return self._browser

    def printing_page(self) -> Any:
        """One reused page for printing: offline, JavaScript off, every request aborted, in print media.

        Opening a fresh browser context per document costs ~0.4 s; reusing one page, ~0.01 s.
        Each document replaces the page's whole content, so nothing carries over.
        """
        browser = self.get()
        with self._lock:
            self._printed += 1
            if self._page is not None and self._printed % RECYCLE_AFTER == 0:
                # a long batch: start a fresh context now and then, so Chromium's caches stay flat
                self._page.context.close()
                self._page = None
            if self._page is None or self._page.is_closed():
                context = browser.new_context(**PRINTING_CONTEXT)
                context.route("**/*", lambda route: route.abort())
                self._page = context.new_page()
                self._page.emulate_media(media=PRINTING_MEDIA)
            return self._page

    def _start(self) -> None:
        require_playwright()  # a caller that did not check (nbconvert's workbook_pdf) still gets one line
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        path = find_chromium()
        if self._playwright is None:
            self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=path, headless=True, args=launch_args())
        except PlaywrightError as err:
            raise launch_error(err, path) from err

    def close(self) -> None:
        with self._lock:
            self._page = None
            if self._browser is not None:
                with contextlib.suppress(Exception):  # closing at exit: the browser may already be gone
                    self._browser.close()
                self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None


BROWSER = _Browser()
atexit.register(BROWSER.close)
