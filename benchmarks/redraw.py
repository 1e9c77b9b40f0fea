"""Benchmark: the browser side of a slider move, plotly.js redrawing each explorer's figure.

A slider's round trip in the browser is the kernel's update (``benchmarks/widgets.py``)
plus the time plotly.js takes to apply it: a data change makes plotly recompute and
redraw the whole figure, every trace, not only the one that changed. This benchmark
measures that second part, explorer by explorer, in Debian's headless Chromium without
a graphics card (software WebGL, like a virtual machine or a projector laptop without
drivers), so that the slow figure, and the slow trace in it, can be found.

Every explorer class (found as in ``benchmarks/widgets.py``) is built in widget mode; each
of its controls is moved one stop and back, and the updates its live figure sends are
recorded (plotly's ``_py2js_update`` messages, exactly what the kernel sends the page).
A blank page with plotly.js draws the explorer's initial figure, then applies each
recorded update with ``Plotly.update``, as plotly's widget does, ``--repeats`` times.
Printed per control, median ms: *update* (``Plotly.update`` until it resolves; the
page's figure has changed by then, and this is what delays the next message) / *drawn*
(two animation frames later: WebGL scenes paint in a frame).

    python benchmarks/redraw.py                  # every explorer
    python benchmarks/redraw.py --only Singular  # explorers whose name contains a string
    python benchmarks/redraw.py --pixel-ratio 2  # 3-D scenes at plotly's default resolution

3-D scenes are drawn at pixel ratio 1 unless ``--pixel-ratio`` says otherwise: that is what
nagviz's live figures use where WebGL runs in software, as in this browser
(``nagviz/explorers/_plotly_widget.py``).

No target is asserted: the browser tests' round trips (``make test``, target 300 ms) are the
measure that counts; this says where their time goes. Needs the ``playwright`` package and
/usr/bin/chromium; without them it prints why and exits 0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _voila import browser_harness  # noqa: E402
from widgets import _values, explorer_classes  # noqa: E402

_APPLY = """async (messages) => {
  const g = document.getElementById('g');
  // plotly's widget sends undefined as this string
  const fix = (v) => v === '_undefined_' ? undefined : Array.isArray(v) ? v.map(fix)
    : (v && typeof v === 'object') ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)])) : v;
  const t0 = performance.now();
  for (const m0 of messages) {
    const m = fix(m0);
    await Plotly.update(g, m.style_data || {}, m.layout_data || {}, m.style_traces);
  }
  const t1 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [t1 - t0, performance.now() - t0];
}"""

_DRAW = """async ([data, layout, config]) => {
  const g = document.getElementById('g');
  Plotly.purge(g);
  await Plotly.newPlot(g, data, layout, config);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def _plain(value):
    """A widget message as the page receives it (JSON, plotly's own serializer)."""
    from plotly.serializers import custom_serializers
    from plotly.utils import PlotlyJSONEncoder

    return json.loads(json.dumps(custom_serializers["to_json"](value, None), cls=PlotlyJSONEncoder))


def record(cls):
    """The explorer's initial figure and, per control, the updates of one stop there and back."""
    from plotly.utils import PlotlyJSONEncoder

    explorer = cls()
    explorer.widget()
    live = explorer.figure_widget
    initial = json.loads(json.dumps(live.to_plotly_json(), cls=PlotlyJSONEncoder))
    moves = []
    for name, control in explorer.controls.items():
        if not hasattr(control, "value") or getattr(control, "disabled", False):
            continue
        try:
            values = _values(control, 1000)
        except (AttributeError, TypeError):
            continue  # buttons, text boxes
        start = control.value
        i = values.index(start) if start in values else 0
        step = values[i + 1] if i + 1 < len(values) else values[i - 1]
        there_and_back = []
        for value in (step, start):
            sent = []

            def keep(change, sent=sent):
                if change["new"] is not None:
                    sent.append(_plain(change["new"]))

            live.observe(keep, names=["_py2js_update"])
            control.value = value
            live.unobserve(keep, names=["_py2js_update"])
            there_and_back.append(sent)
        moves.append((name, there_and_back))
    return initial, moves


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="explorers whose class name contains this")
    parser.add_argument("--repeats", type=int, default=3, help="moves there and back (3)")
    parser.add_argument("--pixel-ratio", type=float, default=1,
                        help="plotly's plotGlPixelRatio for 3-D scenes (1: what nagviz's live "
                             "figures use in a browser with software WebGL, as here; plotly's "
                             "own default is 2)")
    args = parser.parse_args(argv)
    found = browser_harness("redraw")  # Chromium launched as the browser tests launch it
    if found is None:
        return 0
    bh, sync_playwright = found
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    classes = [c for c in explorer_classes() if not args.only or args.only in c.__name__]
    print("plotly.js redraw per slider move, headless Chromium without GPU, median ms "
          "update / drawn")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(bh.CHROMIUM), args=bh.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_content("<html><body><div id='g'></div></body></html>")
        page.add_script_tag(path=str(plotly_js))
        worst = []
        config = {"plotGlPixelRatio": args.pixel_ratio}
        for cls in classes:
            initial, moves = record(cls)
            page.evaluate(_DRAW, [initial["data"], initial["layout"], config])
            cells = []
            for name, there_and_back in moves:
                update, drawn = [], []
                for _ in range(args.repeats):
                    for sent in there_and_back:
                        u, d = page.evaluate(_APPLY, sent)
                        update.append(u)
                        drawn.append(d)
                u, d = statistics.median(update), statistics.median(drawn)
                cells.append(f"{name} {u:.0f}/{d:.0f}")
                worst.append((u, d, cls.__name__, name))
            print(f"  {cls.__name__:28s} " + ", ".join(cells), flush=True)
        browser.close()
    if worst:
        u, d, who, name = max(worst)
        print(f"slowest update: {who} {name!r} {u:.0f} ms ({d:.0f} ms drawn); "
              f"median over all controls {statistics.median(w[0] for w in worst):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
