"""Benchmark: dragging a slider in a Voila page, as a lecturer does in class.

The browser tests time one slider step (key press to figure change). A drag is many
steps in a row, and what it shows depends on whether the kernel is free when each new
value comes: ipywidgets sends a slider's next value only when the kernel has finished
with the last one, so a kernel busy after an update (as it was with plotly's deltas,
see ``nagviz/explorers/_plotly_widget.py``) skips values.

For each (notebook, slider) below, Voila serves the notebook and Debian's headless
Chromium (as the browser tests launch it) presses the arrow key ``--presses`` times,
``--gap`` ms apart, ``--drags`` times (right, left, right, ...). Printed per drag, read
from the kernel's WebSocket frames:

* **values**: the slider values the page sent to the kernel;
* **updates**: the figure updates the kernel sent back (plotly's ``_py2js_update``);
* **errors**: errors the kernel published (none should come; a widget callback's error
  shows in no cell);
* **last update**: when the last figure update arrived, in ms after the last key press
  (before it, when the slider reached its end early).

    python benchmarks/drag.py                      # the three slowest sliders of make test
    python benchmarks/drag.py --presses 20 --drags 2

No target is asserted. Needs the ``playwright`` package and /usr/bin/chromium; without
them it prints why and exits 0.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from _voila import browser_harness, load, voila_page

#: (notebook, slider label): the slowest moves of the browser tests (issue 15)
DRAGS = [("04_critical_points.ipynb", "target a"),
         ("05_singularities.ipynb", "cross-section α"),
         ("01_neuromanifolds.ipynb", "data: slope")]


class Frames:
    """What the page's kernel WebSockets carried, with the time each frame came."""

    def __init__(self, bh):
        self.bh, self.log = bh, []

    def attach(self, page):
        def on_socket(ws):
            if "/api/kernels/" in ws.url:
                ws.on("framesent", lambda p: self._add("sent", p))
                ws.on("framereceived", lambda p: self._add("received", p))
        page.on("websocket", on_socket)

    def _add(self, way, payload):
        _channel, msg_type, content = self.bh._frame_message(payload)
        state = (content.get("data") or {}).get("state") or {}
        self.log.append((time.monotonic(), way, msg_type, state))

    def since(self, start):
        return [entry for entry in self.log if entry[0] >= start]


def drag(page, frames, label, presses, gap_ms, direction):
    """Press the arrow key ``presses`` times on the slider ``label``; what the frames show."""
    sliders = page.locator(".widget-slider")
    found = [k for k in range(sliders.count())
             if " ".join(sliders.nth(k).locator(".widget-label").first.inner_text().split()) == label]
    if not found:
        raise SystemExit(f"no slider labelled {label!r} on the page")
    handle = sliders.nth(found[0]).locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    before = handle.get_attribute("aria-valuenow")
    start = time.monotonic()
    for k in range(presses):
        if k:
            page.wait_for_timeout(gap_ms)
        handle.press(direction)
        last_key = time.monotonic()
    while True:  # until the kernel's frames stop for 1.5 s (none come: 1.5 s after the keys)
        page.wait_for_timeout(250)
        recent = frames.since(start)
        if time.monotonic() - (recent[-1][0] if recent else last_key) > 1.5:
            break
    log = frames.since(start)
    values = sum(1 for _t, way, _m, state in log if way == "sent" and "value" in state)
    updates = [t for t, way, _m, state in log
               if way == "received" and state.get("_py2js_update")]
    errors = sum(1 for _t, way, msg_type, _s in log if way == "received" and msg_type == "error")
    return dict(values=values, updates=len(updates), errors=errors, key_span=last_key - start,
                moved=f"{before} -> {handle.get_attribute('aria-valuenow')}",
                last_update_ms=(updates[-1] - last_key) * 1000 if updates else None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=10)
    parser.add_argument("--gap", type=int, default=60, help="ms between key presses")
    parser.add_argument("--drags", type=int, default=3)
    args = parser.parse_args(argv)
    found = browser_harness("drag")
    if found is None:
        return 0
    bh, sync_playwright = found
    print(f"{args.presses} key presses {args.gap} ms apart, {args.drags} drags per slider")
    for notebook, label in DRAGS:
        with voila_page(bh, sync_playwright, notebook, prefix="nagviz-drag-bench-") as (page, url):
            frames = Frames(bh)
            frames.attach(page)
            load(bh, page, url)
            rows = [drag(page, frames, label, args.presses, args.gap,
                         "ArrowRight" if k % 2 == 0 else "ArrowLeft")
                    for k in range(args.drags)]
        for k, row in enumerate(rows):
            last = ("n/a" if row["last_update_ms"] is None else
                    f"{row['last_update_ms']:.0f} ms after" if row["last_update_ms"] >= 0 else
                    f"{-row['last_update_ms']:.0f} ms before")  # the slider stopped at its end
            print(f"{notebook} {label!r} drag {k}: {row['moved']}, keys over {row['key_span']:.1f} s, "
                  f"{row['values']} values sent, {row['updates']} figure updates, "
                  f"{row['errors']} kernel errors, last update {last} the last key")
        lasts = [r["last_update_ms"] for r in rows if r["last_update_ms"] is not None]
        print(f"  summary: updates {sum(r['updates'] for r in rows)} for "
              f"{sum(r['values'] for r in rows)} values, errors {sum(r['errors'] for r in rows)}, "
              f"last update a median {statistics.median(lasts):.0f} ms after the last key"
              if lasts else "  no updates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
