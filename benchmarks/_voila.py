"""What the browser benchmarks share: the browser tests' harness, and a notebook open in Voila.

Not a benchmark itself (``make bench`` runs only the scripts without a leading underscore).
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def browser_harness(name: str):
    """``(browser_harness, sync_playwright)``, or ``None`` after printing why the benchmark
    ``name`` is skipped (no ``playwright`` package, no Debian Chromium)."""
    sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))
    try:
        import browser_harness as bh
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        print(f"{name}: skipped ({exc})")
        return None
    if not bh.CHROMIUM.exists():
        print(f"{name}: skipped (no Chromium at {bh.CHROMIUM})")
        return None
    return bh, sync_playwright


@contextmanager
def voila_page(bh, sync_playwright, notebook: str, *, prefix: str = "nagviz-bench-"):
    """``(page, url)``: a blank page of headless Chromium (launched as the browser tests
    launch it) and the address where Voila serves ``notebooks/<notebook>``; attach what
    should watch the page, then :func:`load`."""
    with tempfile.TemporaryDirectory(prefix=prefix) as home:
        server, url = bh.start_voila(REPO_ROOT / "notebooks" / notebook, Path(home))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(bh.CHROMIUM), args=bh.CHROMIUM_ARGS)
                try:
                    yield browser.new_page(viewport=bh.VIEWPORT), url
                finally:
                    browser.close()
        finally:
            server.stop()


def load(bh, page, url):
    """Open ``url`` in ``page`` and wait until Voila has drawn every widget, then 2 s more."""
    page.goto(url, wait_until="domcontentloaded")
    bh.voila_wait_rendered(page)
    bh.voila_wait_for_widgets(page)
    page.wait_for_timeout(2000)
