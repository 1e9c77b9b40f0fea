"""Benchmark: one slider step in a Voila page, many times over, and where its time goes.

The browser tests time each slider once (key press to figure change) and report the
worst; one sample per slider on a busy machine says little about a slider. Here each of
the slowest sliders of the browser tests is stepped ``--steps`` times (one arrow-key press,
then a pause until the kernel is quiet), in Debian's headless Chromium launched as the
tests launch it (no GPU: software WebGL). Each step is split, from timestamps taken in the
page:

* **send**: key press until the page sends the slider's value to the kernel;
* **kernel**: until the kernel's figure update (plotly's ``_py2js_update``) arrives: the
  computation plus both trips over the WebSocket;
* **draw**: until the figure on the page holds the new data (plotly.js applying the update,
  the same fingerprint of the figures as the browser tests use).

Printed per slider: median, 90th percentile and worst of the total, and the medians of the
three parts; the first step on its own (the browser tests take one step per slider, the
first); then all steps together, with how many were over the 300 ms target.

    python benchmarks/round_trip.py               # the slowest sliders, 20 steps each
    python benchmarks/round_trip.py --steps 50 --only 03

No target is asserted. Needs the ``playwright`` package and /usr/bin/chromium; without them
it prints why and exits 0.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from _voila import browser_harness, load, voila_page

#: notebook -> slider labels: the slowest moves of the browser tests (issue 15)
SLIDERS = {
    "01_neuromanifolds.ipynb": ["hidden width", "data: slope"],
    "03_fibers.ipynb": ["function c·x², c"],
    "04_critical_points.ipynb": ["target a", "target b"],
    "05_singularities.ipynb": ["cross-section α"],
}

# Timestamps of the page's kernel WebSocket traffic, taken before the page's own handlers.
_WIRE = """
(() => {
  const wire = window.__nagvizWire = {sent: [], updates: []};
  // a frame's first 4 KB hold its header and the names of the widget state it carries
  const decoder = new TextDecoder();
  const text = (data) => typeof data === 'string' ? data
    : decoder.decode(data instanceof ArrayBuffer ? new Uint8Array(data, 0, Math.min(4096, data.byteLength))
                                                 : new Uint8Array(0));
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    if (text(data).includes('comm_msg')) wire.sent.push(performance.now());
    return send.call(this, data);
  };
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (event) => {
      const t = performance.now();
      if (text(event.data).includes('_py2js_update')) wire.updates.push(t);
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""


def _handle(page, label):
    sliders = page.locator(".widget-slider")
    for k in range(sliders.count()):
        if " ".join(sliders.nth(k).locator(".widget-label").first.inner_text().split()) == label:
            return sliders.nth(k).locator(".noUi-handle").first
    raise SystemExit(f"no slider labelled {label!r} on the page")


def step(page, watch_script, handle, key):
    """One key press on ``handle``; ``(send, kernel, draw)`` in ms, or None if nothing changed.

    ``watch_script`` is the browser tests' watch (``browser_harness._START_WATCH``): it
    notes the key press and the first change of the figures in the slider's cell."""
    page.evaluate(watch_script, [page.locator("body").element_handle(), handle.element_handle()])
    handle.focus()
    handle.press(key)
    try:
        page.wait_for_function("() => window.__nagvizWatch.changeAt !== null",
                               timeout=10_000, polling=50)
    except Exception:  # noqa: BLE001 - a step that changes nothing is reported, not fatal
        return None
    watch, wire = page.evaluate("[window.__nagvizWatch, window.__nagvizWire]")
    key_at, change_at = watch["keyAt"], watch["changeAt"]
    sent = [t for t in wire["sent"] if t >= key_at]
    got = [t for t in wire["updates"] if sent and t >= sent[0]]
    if not sent or not got:
        return None
    return sent[0] - key_at, got[0] - sent[0], change_at - got[0]


def steps(page, bh, handle, count):
    """``count`` single steps of the slider ``handle`` (turning at its ends), 400 ms apart
    for the kernel to go quiet; the measured ``(send, kernel, draw)`` rows and how many
    steps gave none."""
    handle.scroll_into_view_if_needed()
    rows, key, missed = [], "ArrowRight", 0
    for _ in range(count):
        now = float(handle.get_attribute("aria-valuenow"))
        if now >= float(handle.get_attribute("aria-valuemax")):
            key = "ArrowLeft"
        elif now <= float(handle.get_attribute("aria-valuemin")):
            key = "ArrowRight"
        row = step(page, bh._START_WATCH, handle, key)
        page.wait_for_timeout(400)
        if row is None:
            missed += 1
        else:
            rows.append(row)
    return rows, missed


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="steps per slider (20)")
    parser.add_argument("--only", help="notebooks whose name contains this")
    args = parser.parse_args(argv)
    found = browser_harness("round_trip")
    if found is None:
        return 0
    bh, sync_playwright = found
    print(f"one slider step in Voila, {args.steps} steps per slider, headless Chromium without "
          "GPU; ms: total median / p90 / worst (send + kernel + draw medians)")
    everything = []
    for notebook, labels in SLIDERS.items():
        if args.only and args.only not in notebook:
            continue
        with voila_page(bh, sync_playwright, notebook, prefix="nagviz-round-trip-") as (page, url):
            page.add_init_script(_WIRE)
            load(bh, page, url)
            for label in labels:
                rows, missed = steps(page, bh, _handle(page, label), args.steps)
                report(notebook, label, rows, missed)
                everything += [sum(r) for r in rows]
    if everything:
        over = sum(1 for t in everything if t > 300)
        print(f"all {len(everything)} steps: median {statistics.median(everything):.0f} ms, "
              f"p90 {_percentile(everything, 0.9):.0f} ms, worst {max(everything):.0f} ms; "
              f"{over} over 300 ms")
    return 0


def report(notebook, label, rows, missed):
    if not rows:
        print(f"  {notebook[:2]} {label!r}: no step measured ({missed} changed nothing)")
        return
    totals = [sum(r) for r in rows]
    parts = [statistics.median(r[i] for r in rows) for i in range(3)]
    extra = f", {missed} steps not measured" if missed else ""
    first = " + ".join(f"{v:.0f}" for v in rows[0])
    print(f"  {notebook[:2]} {label!r:22s} {statistics.median(totals):4.0f} / "
          f"{_percentile(totals, 0.9):4.0f} / {max(totals):4.0f}   "
          f"({parts[0]:.0f} + {parts[1]:.0f} + {parts[2]:.0f}); first step {totals[0]:.0f} "
          f"({first}){extra}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
