"""Live figure updates (nagviz.explorers._live): only changes are sent, and a figure
updated in place shows exactly what a figure built from scratch shows."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from nagviz.explorers import (ApproximationExplorer, HyperbolaFiberExplorer, RankPathExplorer,
                              SingularSliceExplorer, VoronoiExplorer)
from nagviz.explorers._live import from_record, remember_sent, send_changes, to_record


def _capture(widget):
    """Record every plotly_update message the widget would send to the browser."""
    sent = []
    original = widget._send_update_msg

    def spy(restyle_data, relayout_data, trace_indexes=None, **kwargs):
        sent.append((dict(restyle_data), dict(relayout_data), list(trace_indexes)))
        return original(restyle_data, relayout_data, trace_indexes, **kwargs)

    widget._send_update_msg = spy
    return sent


def _figure(ys, title, big=None):
    traces = [dict(type="scatter", x=[0, 1, 2], y=ys, name="moving"),
              dict(type="heatmap", z=big if big is not None else [[1, 2], [3, 4]],
                   meta="static:grid", name="grid")]
    return go.Figure(dict(data=traces, layout=dict(title=dict(text=title),
                                                   xaxis=dict(range=[0, 2]))),
                     _validate=False)


def test_only_changed_properties_and_layout_paths_are_sent():
    live = go.FigureWidget(_figure([1, 2, 3], "a"))
    remember_sent(live, _figure([1, 2, 3], "a"))
    sent = _capture(live)
    send_changes(live, _figure([1, 5, 3], "b"))
    assert len(sent) == 1
    restyle, relayout, indexes = sent[0]
    assert indexes == [0] and set(restyle) == {"y"} and list(restyle["y"][0]) == [1, 5, 3]
    assert relayout == {"title.text": "b"}          # not the unchanged x axis
    assert live.data[0].y == (1, 5, 3) and live.layout.title.text == "b"
    send_changes(live, _figure([1, 5, 3], "b"))    # nothing changed: nothing sent
    assert len(sent) == 1


def test_arrays_with_gaps_are_resent_only_when_they_change():
    """NaN marks a gap in a surface's grid: the same grid with the same gaps is unchanged
    (NumPy's plain equality would call it changed, and resend it every move)."""
    grid = np.array([[0.0, np.nan], [1.0, 2.0]])
    live = go.FigureWidget(_figure([1, 2, 3], "a", big=grid))
    remember_sent(live, _figure([1, 2, 3], "a", big=grid.copy()))
    sent = _capture(live)
    send_changes(live, _figure([1, 2, 3], "b", big=grid.copy()))
    assert len(sent) == 1 and sent[0][0] == {} and sent[0][1] == {"title.text": "b"}
    moved = grid.copy()
    moved[1, 1] = 3.0
    send_changes(live, _figure([1, 2, 3], "b", big=moved))
    assert len(sent) == 2 and sent[1][2] == [1]
    assert np.array_equal(np.asarray(live.data[1].z, dtype=float), moved, equal_nan=True)


def test_static_traces_are_skipped_and_structure_changes_replace_the_traces():
    live = go.FigureWidget(_figure([1, 2, 3], "a"))
    remember_sent(live, live)
    sent = _capture(live)
    # a changed grid under an unchanged static key is not resent (KeepStaticTraces)
    send_changes(live, _figure([1, 2, 4], "a", big=[[9, 9], [9, 9]]), keep_static=True)
    assert sent[-1][2] == [0] and np.array_equal(live.data[1].z, [[1, 2], [3, 4]])
    send_changes(live, _figure([1, 2, 4], "a", big=[[9, 9], [9, 9]]))     # without: resent
    assert sent[-1][2] == [1] and np.array_equal(live.data[1].z, [[9, 9], [9, 9]])
    send_changes(live, go.Figure(go.Bar(x=[1], y=[2])))
    assert [t.type for t in live.data] == ["bar"]


def test_records_round_trip():
    data = {"a": np.arange(6.0).reshape(2, 3), "b": (1, "x", None), "c": [np.int64(3), 1.5],
            "mask": np.array([True, False]), "empty": np.zeros((0, 3))}
    back = from_record(json.loads(json.dumps(to_record(data))))
    assert back["a"].shape == (2, 3) and np.array_equal(back["a"], data["a"])
    assert back["b"] == (1, "x", None) and back["c"] == [3, 1.5]
    assert back["mask"].dtype == bool and back["empty"].shape == (0, 3)
    with pytest.raises(TypeError, match="cannot store"):
        to_record({"f": object()})


def _plain(fig):
    fig = go.Figure(fig)
    traces = [json.loads(pio.to_json(t)) for t in fig.data]
    for t in traces:
        t.pop("uid", None)  # the live widget names its traces
    return traces, json.loads(pio.to_json(fig.layout))


@pytest.mark.parametrize("cls, moves", [
    (VoronoiExplorer, [("x", 1.2), ("curve", "node"), ("y", -0.5), ("curve", "cusp")]),
    (RankPathExplorer, [("seed", 3), ("case", "linear off"), ("seed", 0)]),
    (SingularSliceExplorer, [("alpha", 0.2), ("alpha", 0.0), ("alpha", 1.0)]),
    (ApproximationExplorer, [("degree", 12), ("target", "tanh"), ("degree", 3)]),
    (HyperbolaFiberExplorer, [("c", 1.6), ("u", -0.45)]),
])
def test_a_figure_updated_in_place_equals_one_built_from_scratch(cls, moves, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    e = cls()
    e.widget()
    for name, value in moves:
        e.controls[name].value = value
        live_traces, live_layout = _plain(e.figure_widget)
        fresh_traces, fresh_layout = _plain(cls(**e.values).figure(cls(**e.values).data()))
        assert live_traces == fresh_traces, (name, value)
        for key in ("title", "xaxis", "yaxis", "annotations"):
            if key in fresh_layout:
                assert live_layout[key] == {**live_layout[key], **fresh_layout[key]} \
                    if isinstance(fresh_layout[key], dict) else live_layout[key] == \
                    fresh_layout[key], (name, value, key)


def test_explorer_states_read_back_from_disk_equal_the_computed_ones(tmp_path, monkeypatch):
    from nagviz.explorers.beyond import _approximation_data
    from nagviz.explorers.singularities import _rank_path, _voronoi

    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    cases = [(RankPathExplorer(), dict(case="(3,2,1) merge", seed=2), _rank_path),
             (VoronoiExplorer(), dict(curve="corner", x=0.3, y=-0.4), _voronoi),
             (ApproximationExplorer(), dict(target="tanh", degree=7), _approximation_data)]
    for e, values, memo in cases:
        memo.cache_clear()                    # computed here, written to tmp_path
        first = e.compute(**values)
        memo.cache_clear()                    # memory only: the next call reads the disk
        again = e.compute(**values)
        assert memo.cache_info().hits == 0 and memo.cache_info().disk_hits == 1
        assert first.keys() == again.keys()
        for key in first:
            a, b = first[key], again[key]
            if isinstance(a, np.ndarray):
                assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
            elif isinstance(a, dict):
                assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
            else:
                assert a == b, key


def test_slice_sections_read_back_from_disk_equal_the_computed_ones(tmp_path, monkeypatch):
    from nagviz.experiments import slice_section
    from nagviz.explorers.singularities import _section

    monkeypatch.setenv("NAGVIZ_CACHE_DIR", str(tmp_path))
    for alpha in (-0.5, 0.0, 0.2, 1.0):
        _section.cache_clear()                # computed here, written to tmp_path
        SingularSliceExplorer().compute(alpha)
        _section.cache_clear()                # memory only: the next call reads the disk
        data, ref = SingularSliceExplorer().compute(alpha), slice_section(alpha)
        assert _section.cache_info().disk_hits == 1
        assert (data["kind"], data["rank"], data["network"]) == (ref["kind"], ref["rank"],
                                                                 ref["network"])
        assert len(data["lines"]) == len(ref["lines"])
        for (pts, real), (pts0, real0) in zip(data["lines"], ref["lines"]):
            assert np.array_equal(pts, pts0) and real.dtype == bool \
                and np.array_equal(real, real0)
