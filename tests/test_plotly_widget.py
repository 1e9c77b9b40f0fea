"""plotly's bundle travels once per kernel (nagviz/explorers/_plotly_widget.py).

The figures' states carry only a loader and a reference to one carrier widget, which
sends plotly's widget bundle, gzip-compressed, as a custom message to a front end that
asks; a notebook saved with its widget state (nbclient's ``store_widget_state``, as
JupyterLab saves it) holds no bundle at all, however many figures it shows. What the browser does with it is checked by the
browser tests (tests/browser/test_voila.py, test_lab_notebooks.py).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

pytest.importorskip("anywidget")
import plotly
import plotly.graph_objects as go

from nagviz.cache import CacheWarning
from nagviz.explorers import _plotly_widget as pw

# plotly's widget bundle as it ships, read from the file (not from the class), with the one
# documented change (without_deltas)
PLOTLY_FILE = (Path(plotly.__file__).parent / "package_data" / "widgetbundle.js").read_bytes()
PLOTLY_BUNDLE = pw.without_deltas(PLOTLY_FILE.decode("utf-8")).encode("utf-8")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def test_the_carrier_answers_a_request_with_plotlys_bundle_gzip_compressed(monkeypatch):
    carrier = pw.plotly_bundle()
    sent = []  # what goes to the comm, as ipywidgets sends a custom message
    monkeypatch.setattr(carrier.comm, "send", lambda data, buffers=None, **kw: sent.append((data, buffers)))
    request = {"method": "custom", "content": {"type": pw.BUNDLE_REQUEST, "key": carrier.key}}
    carrier._handle_msg({"content": {"data": request}, "buffers": []})
    ((data, buffers),) = sent
    assert data == {"method": "custom", "content": {"type": pw.BUNDLE_REPLY, "key": carrier.key}}
    (buffer,) = buffers
    assert gzip.decompress(buffer) == PLOTLY_BUNDLE
    assert carrier.key == hashlib.sha256(PLOTLY_BUNDLE).hexdigest()
    assert len(buffer) < 0.4 * len(PLOTLY_BUNDLE)  # 1.5 of 5.0 MB with plotly 7.1
    other = {"method": "custom", "content": {"type": "anywidget-command"}}
    carrier._handle_msg({"content": {"data": other}, "buffers": []})
    assert len(sent) == 1  # other custom messages get no bundle
    assert "bundle" not in carrier.get_state() and "bundle" not in carrier.trait_names()


def test_a_request_for_another_bundle_is_refused():
    with pytest.raises(ValueError, match="asked for plotly bundle 'abc'"):
        pw.plotly_bundle().answer({"type": pw.BUNDLE_REQUEST, "key": "abc"})


def test_figures_reference_one_carrier_and_carry_no_bundle():
    figures = [pw.FigureWidget(go.Figure(go.Scatter(y=[k, 1]))) for k in range(3)]
    carrier = pw.plotly_bundle()
    for fig in figures:
        state = fig.get_state()
        assert state["_nagviz_bundle"] == f"IPY_MODEL_{carrier.model_id}"
        assert state["_nagviz_bundle_key"] == carrier.key
        assert len(json.dumps({k: v for k, v in state.items() if isinstance(v, str)})) < 20_000
    assert {fig._nagviz_bundle.model_id for fig in figures} == {carrier.model_id}


def test_a_closed_carrier_is_replaced():
    first = pw.plotly_bundle()
    first.close()
    fig = pw.FigureWidget(go.Figure(go.Bar(y=[1])))
    assert fig._nagviz_bundle is pw.plotly_bundle() is not first
    assert fig._nagviz_bundle.comm is not None


def test_the_front_end_modules_read_the_traits_python_syncs():
    carrier_keys = set(re.findall(r'model\.get\("(\w+)"\)', pw.PlotlyBundle._esm))
    figure_keys = set(re.findall(r'model\.get\("(\w+)"\)', pw.FigureWidget._esm))
    assert carrier_keys == {"key"} <= set(pw.PlotlyBundle.class_trait_names(sync=True))
    assert figure_keys == {"_nagviz_bundle_key"} <= set(pw.FigureWidget.class_trait_names(sync=True))
    assert "DecompressionStream(\"gzip\")" in pw.PlotlyBundle._esm
    # the carrier's module asks with the message the kernel answers, and reads the reply
    assert f'type: "{pw.BUNDLE_REQUEST}"' in pw.PlotlyBundle._esm
    assert f'msg?.type !== "{pw.BUNDLE_REPLY}"' in pw.PlotlyBundle._esm


def test_a_corrupt_disk_entry_is_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    pw.compressed_bundle.cache_clear()
    good = pw.compressed_bundle()
    path = Path(pw.compressed_bundle.cache_file())
    entry = json.loads(path.read_text())
    text = json.dumps(entry)
    encoded = base64.b64encode(good).decode("ascii")
    assert encoded in text
    wrong = base64.b64encode(gzip.compress(b"not plotly", mtime=0)).decode("ascii")
    path.write_text(text.replace(encoded, wrong))
    pw.compressed_bundle.cache_clear()
    with pytest.warns(CacheWarning):
        again = pw.compressed_bundle()
    assert gzip.decompress(again) == PLOTLY_BUNDLE


def test_an_unknown_key_is_refused():
    with pytest.raises(ValueError, match="no plotly bundle with key 'abc'"):
        pw.compressed_bundle.uncached("abc")


def test_a_saved_notebook_holds_no_bundle(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "import plotly.graph_objects as go\nfrom nagviz.explorers._plotly_widget import FigureWidget",
        *(f"FigureWidget(go.Figure(go.Scatter(y=[{k}, 2, 1])))" for k in range(4)),
    )]
    NotebookClient(nb, timeout=240, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    states = nb.metadata["widgets"][WIDGET_STATE]["state"]
    figures = [s for s in states.values() if s["state"].get("_nagviz_bundle_key")]
    carriers = [s for s in states.values() if s["model_name"] == "AnyModel" and "key" in s["state"]]
    assert len(figures) == 4 and len(carriers) == 1
    assert not any(s.get("buffers") for s in states.values())
    saved = len(nbformat.writes(nb).encode())
    assert saved < 200_000  # four small figures and their loaders; the bundle alone is 1.5 MB


def test_two_dimensional_arrays_travel_as_rows_of_binary_buffers():
    import numpy as np
    from ipywidgets.widgets.widget import _remove_buffers

    z = np.arange(12, dtype=np.uint8).reshape(3, 4)
    values = np.linspace(0, 1, 6).reshape(2, 3)
    fig = pw.FigureWidget(go.Figure([go.Heatmap(z=z), go.Contour(z=values)]))
    state, paths, buffers = _remove_buffers(fig.get_state())
    rows = [bytes(b) for b in buffers]
    assert bytes(z[1]) in rows and bytes(values[1]) in rows
    heatmap = json.loads(json.dumps(state["_widget_data"][0]))  # no nested list left behind
    assert heatmap["z"] == [{"dtype": "uint8", "shape": [4]}] * 3
    sent = []
    fig.observe(lambda change: sent.append(change["new"]), names="_py2js_update")
    with fig.batch_update():
        fig.data[0].z = z[::-1]
        fig.data[1].zmin = 0
    message = pw.FigureWidget.class_traits()["_py2js_update"].metadata["to_json"](
        next(m for m in sent if m), None)
    first = message["style_data"]["z"][0][0]
    assert first["dtype"] == "uint8" and bytes(first["buffer"]) == bytes(z[2])
    np.testing.assert_array_equal(fig.data[0].z, z[::-1])  # Python keeps the array
    # 64-bit integers (no JavaScript typed array) and 1-D arrays are left to plotly's serializer
    assert pw._rows_to_js(np.ones((2, 2), dtype=np.int64), None) == [[1, 1], [1, 1]]
    assert pw._rows_to_js(np.ones(2, dtype=np.float32), None)["shape"] == (2,)



def test_a_kernel_sends_the_bundle_to_each_front_end_that_asks(tmp_path):
    """A real kernel: a figure's carrier answers a comm request with the bundle."""
    from jupyter_client.manager import start_new_kernel

    key = hashlib.sha256(PLOTLY_BUNDLE).hexdigest()
    outputs = []
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
    try:
        code = ("import plotly.graph_objects as go\n"
                "from nagviz.explorers._plotly_widget import FigureWidget, plotly_bundle\n"
                "fig = FigureWidget(go.Figure(go.Bar(y=[1])))\n"
                "print('CARRIER', plotly_bundle().comm.comm_id)")
        reply = kc.execute_interactive(code, timeout=120, output_hook=lambda msg: outputs.append(msg))
        assert reply["content"]["status"] == "ok"
        text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        comm_id = re.search(r"CARRIER (\w+)", text).group(1)
        replies = []
        for _ in range(2):  # a second page (a reload) asks again and is answered again
            request = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {
                "method": "custom", "content": {"type": pw.BUNDLE_REQUEST, "key": key}}})
            kc.shell_channel.send(request)
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == comm_id:
                    replies.append(msg)
                    break
        for msg in replies:
            assert msg["content"]["data"] == {"method": "custom", "content": {
                "type": pw.BUNDLE_REPLY, "key": key}}
            (buffer,) = msg["buffers"]
            assert gzip.decompress(bytes(buffer)) == PLOTLY_BUNDLE
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)



def test_the_installed_plotly_reports_no_deltas():
    """The one change to plotly's widget code applies to this plotly, once per method.

    If plotly's code changes shape, this fails: then look for the new methods, or
    accept the deltas (and check that Python's handler of them does not fail).
    """
    import plotly.graph_objects as go

    original = str(go.FigureWidget._esm)
    assert original.encode("utf-8") == PLOTLY_FILE
    spots = [pw._method_definitions(original, name) for name in pw._DELTA_SENDERS]
    assert [len(found) for found in spots] == [1, 1]
    assert pw._PLOTLY_ESM == pw.without_deltas(original) != original
    first, second = sorted(found[0].end() for found in spots)
    assert pw._PLOTLY_ESM == (original[:first] + "return;" + original[first:second]
                              + "return;" + original[second:])    # nothing else touched
    # the senders are still called where plotly calls them (after every update)
    assert "this._sendTraceDeltas(ne.trace_edit_id)" in pw._PLOTLY_ESM


def test_trace_deltas_from_another_front_end_are_dropped_without_error():
    """plotly's own handler raises on a trace holding a NumPy array (plotly.py #4160).

    The delta is the shape plotly.js 7.1 sent for notebook 04's first trace: its typed
    array ``x`` diffed into an object keyed by index.
    """
    import plotly.graph_objects as go

    data = [go.Scatter(x=np.arange(3.0), y=np.arange(3.0))]
    delta = {"trace_deltas": [{"uid": None, "x": {"0": 0.0, "1": 1.0, "2": 2.0}}],
             "trace_edit_id": 1}
    plain = go.FigureWidget(data)
    delta["trace_deltas"][0]["uid"] = plain.data[0].uid
    plain._last_trace_edit_id = 1
    with pytest.raises(ValueError, match="ambiguous"):
        plain._js2py_traceDeltas = delta
    ours = pw.FigureWidget(data)
    delta["trace_deltas"][0]["uid"] = ours.data[0].uid
    ours._last_trace_edit_id = 1
    ours._js2py_traceDeltas = delta
    assert ours._js2py_traceDeltas is None and not ours._trace_edit_in_process
    assert list(ours.data[0].x) == [0, 1, 2]                      # Python's own data kept
