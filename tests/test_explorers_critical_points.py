"""Explorers of notebook 04 without a kernel: pure data, slider moves, static fallbacks."""

import time

import numpy as np
import pytest

from nagviz.explorers import CriticalLandscapeExplorer, DiscriminantExplorer
from nagviz.explorers.critical_points import SYMBOLS


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_landscape_marks_every_critical_point_by_type_and_purity():
    e = CriticalLandscapeExplorer()
    e.widget()
    fig = e.figure_widget
    assert _trace(fig, "minimum").marker.symbol == SYMBOLS["minimum"]
    assert _trace(fig, "saddle").marker.symbol == SYMBOLS["saddle"]
    assert len(_trace(fig, "minimum").x) == 2 and len(_trace(fig, "saddle").x) == 2
    assert list(_trace(fig, "maximum").x) == [0.0]
    spurious, pure = "#D55E00", "#E69F00"
    assert list(_trace(fig, "maximum").marker.color) == [spurious]
    assert set(_trace(fig, "minimum").marker.color) == {pure}
    assert "5 real critical points" in fig.layout.title.text
    # a negative definite target: the only critical point is the spurious minimum at w = 0
    e.controls["a"].value = -1.0
    e.controls["c"].value = -1.0
    assert e.figure_widget is fig
    assert list(_trace(fig, "minimum").x) == [0.0]
    assert list(_trace(fig, "minimum").marker.color) == [spurious]
    assert len(_trace(fig, "saddle").x) == 0 and len(_trace(fig, "maximum").x) == 0
    assert "1 pure" not in e._info.value and "0 pure" in e._info.value
    # the critical functions are drawn on the cone, beside the target
    f3 = _trace(fig, "minimum (function)")
    assert list(f3.x) == [0.0] and list(_trace(fig, "target t").x) == [-1.0]


def test_landscape_on_the_cone_shows_a_degenerate_point_and_non_generic_message():
    data = CriticalLandscapeExplorer().compute(a=1.0, b=2.0, c=1.0, inner_product="bombieri")
    assert sorted(p["kind"] for p in data["points"]) == ["degenerate", "minimum", "minimum"]
    e = CriticalLandscapeExplorer(a=0.0, b=0.0, c=0.0)
    data = e.data()
    assert data["points"] == [] and "infinitely many" in data["error"]
    assert "Not generic" in e.info(data)


def test_landscape_static_figure_steps_through_c():
    fig = CriticalLandscapeExplorer().static_figure()
    assert [s.label for s in fig.layout.sliders[0].steps] == ["-1.0", "-0.5", "0.0", "0.5", "1.0"]


def test_discriminant_counts_change_across_the_curve_and_update_in_place():
    e = DiscriminantExplorer()
    e.widget()
    fig = e.figure_widget
    assert "4 real critical points" in fig.layout.title.text
    assert len(_trace(fig, "critical points of the target").x) == 4
    e.controls["x"].value = 0.6
    e.controls["y"].value = 0.3
    assert e.figure_widget is fig
    assert "2 real critical points" in fig.layout.title.text
    assert len(_trace(fig, "critical points of the target").x) == 2
    grid = np.array(_trace(fig, "number of real critical points").z)
    assert set(np.unique(grid)) == {2, 4}
    # Gaussian data: the kurtosis 3 makes every target have 2 real critical points
    e.controls["kurtosis"].value = 3.0
    assert set(np.unique(np.array(fig.data[0].z))) == {2}
    assert "ED degree 2" in fig.layout.title.text
    e.controls["inner_product"].value = "coefficient"
    assert "ED degree 4" in fig.layout.title.text


def test_discriminant_region_grows_as_kurtosis_leaves_3():
    sizes = [(DiscriminantExplorer().compute("data", k, 0.0, 0.0)["counts"] == 4).sum()
             for k in (1.4, 2.2, 2.8)]
    assert sizes[0] > sizes[1] > sizes[2] > 0


def test_discriminant_update_is_fast():
    e = DiscriminantExplorer()
    e.compute("data", 2.0, 0.1, 0.1)       # warm imports
    start = time.perf_counter()
    for k in (1.3, 1.7, 2.1, 2.5, 4.5):
        e.compute("data", k, 0.1, 0.1)     # a new kurtosis: the grid is recomputed
    assert (time.perf_counter() - start) / 5 < 0.1   # < 50 ms on an idle machine


def test_discriminant_static_figure():
    fig = DiscriminantExplorer().static_figure()
    assert len(fig.layout.sliders[0].steps) == 6


def test_landscape_surface_view_lifts_the_critical_points_onto_the_loss():
    e = CriticalLandscapeExplorer(view="surface")
    data = e.data()
    fig = e.figure(data)
    surface = _trace(fig, "loss surface")
    assert surface.type == "mesh3d"            # the 81 x 81 grid: 6561 vertices, 2 triangles a cell
    assert len(surface.z) == 81 * 81 and len(surface.i) == 2 * 80 * 80
    cut = 1.5 * max(p["loss"] for p in data["points"])      # 1.5 x the maximum's loss
    lifted = _trace(fig, "maximum (function)")
    assert list(lifted.x) == [0.0] and lifted.z[0] == pytest.approx(
        data["points"][-1]["loss"] + 0.03 * cut)
    assert np.max(surface.z) == pytest.approx(cut)
    assert fig.layout.scene.zaxis.title.text == "loss"
    assert "view" not in e.controls                      # chosen once, not a slider
    with pytest.raises(ValueError, match="view"):
        e.compute(1.0, 0.5, 0.5, "bombieri", view="both")
