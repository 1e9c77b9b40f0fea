"""Render plotly figures to PNG with Debian's Chromium, to look at them.

    python tools/snapshot.py nagviz.explorers:ArchitectureExplorer out.png [key=value ...]

or from Python: ``snapshot(fig, "out.png")``. Uses Playwright with /usr/bin/chromium (no
downloaded browser) and plotly.js from the installed plotly package (no network).
"""

from __future__ import annotations

import importlib
import pathlib
import sys
import tempfile

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def snapshot(fig, path, width=1200, height=None):
    from playwright.sync_api import sync_playwright

    height = height or int(fig.layout.height or 600) + 40
    html = fig.to_html(include_plotlyjs=True, full_html=True,
                       default_width=f"{width - 20}px", default_height=f"{height - 20}px")
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as fh:
        fh.write(html)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(pathlib.Path(fh.name).as_uri())
        page.wait_for_selector(".js-plotly-plot")
        page.wait_for_timeout(400)
        page.screenshot(path=str(path))
        browser.close()
    return path


def main(argv):
    target, out, *pairs = argv
    module, name = target.split(":")
    cls = getattr(importlib.import_module(module), name)
    values = {}
    for pair in pairs:
        key, value = pair.split("=", 1)
        try:
            value = int(value)
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                pass
        values[key] = value
    explorer = cls(**values)
    snapshot(explorer.static_figure(), out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
