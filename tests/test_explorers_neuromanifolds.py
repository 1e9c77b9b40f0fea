"""The explorers of notebook 01, without a kernel: move sliders, look at the figure data."""

from __future__ import annotations

import numpy as np
import pytest

from nagviz.explorers import (
    ConeExplorer,
    FiberExplorer,
    LossLandscapeExplorer,
    RankOneExplorer,
    RealBoundaryExplorer,
)
from nagviz.theme import COLORS
from nagviz.explorers.neuromanifolds import LEVEL_LIFT

ALL = [ConeExplorer, RealBoundaryExplorer, RankOneExplorer, FiberExplorer, LossLandscapeExplorer]


def trace(fig, name):
    """The first trace with this name (names are what a reader sees in the legend)."""
    for t in fig.data:
        if t.name == name or (t.name or "").startswith(name):
            return t
    raise KeyError(f"no trace named {name!r}: {[t.name for t in fig.data]}")


def xyz(t):
    return np.column_stack([np.asarray(t.x, dtype=float), np.asarray(t.y, dtype=float),
                            np.asarray(t.z, dtype=float)])


# --------------------------------------------------------------------------- all explorers

@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_explorer_has_a_question_and_a_static_slider(cls):
    e = cls()
    assert e.question and e.title
    fig = e.static_figure()
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(cls.static_values) + len(cls.static_presets)
    assert [s.label for s in steps][:len(cls.static_values)] == [str(v) for v in cls.static_values]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_control_move_updates_in_place(cls):
    e = cls()
    e.widget()
    fig = e.figure_widget
    times = []
    for name, control in e.controls.items():
        start = control.value
        for value in (control.max, control.min, start):
            if value != control.value:
                control.value = value
                times.append(e.last_update_seconds)
        assert e.figure_widget is fig
    # benchmarks/widgets.py measures how fast (median target 50 ms); unit tests assert no wall time.
    assert times and all(t is not None and t >= 0 for t in times), times


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_defaults_match_the_controls(cls):
    e = cls()
    assert e.defaults() == {name: w.value for name, w in e.make_controls().items()}


# --------------------------------------------------------------------------- the cone

def test_cone_points_lie_on_the_cone_at_width_one_and_leave_it_at_width_two():
    e = ConeExplorer()
    e.widget()
    fig = e.figure_widget
    pts = xyz(trace(fig, "networks"))
    a, b, c = pts.T
    assert np.allclose(b**2, 4 * a * c, atol=1e-3)
    assert "a cone" in fig.layout.title.text
    assert "0 of 4" in e._info.value

    e.controls["width"].value = 2
    pts = xyz(trace(fig, "networks"))
    a, b, c = pts.T
    assert not np.allclose(b**2, 4 * a * c)
    assert np.mean(np.abs(b**2 - 4 * a * c) > 1e-3) > 0.5
    assert trace(fig, "networks").name == "networks, width 2"
    assert "fills R³" in fig.layout.title.text
    assert "4 of 4" in e._info.value
    # every target is reached: the best fits sit on the targets
    assert np.allclose(xyz(trace(fig, "targets")), xyz(trace(fig, "best fit")))


def test_cone_vertex_is_marked_singular_and_the_cone_surface_is_drawn():
    fig = ConeExplorer(width=1).static_figure()
    vertex = trace(fig, "singular point")
    assert list(vertex.x) == [0] and vertex.marker.color == COLORS["singular"]
    # with two neurons M is all of R^3: the zero network is a smooth point, not singular
    wide = ConeExplorer(width=2).static_figure()
    assert not [t for t in wide.data if t.name == "singular point"]
    assert trace(wide, "zero network (smooth").marker.color == COLORS["neutral"]
    surface = trace(fig, "cone b² = 4ac")
    a, b, c = (np.asarray(v) for v in (surface.x, surface.y, surface.z))
    assert np.allclose(b**2, 4 * a * c, atol=1e-3)


def test_cone_seed_changes_the_sample():
    e = ConeExplorer()
    e.widget()
    before = xyz(trace(e.figure_widget, "networks"))
    e.controls["seed"].value = 3
    after = xyz(trace(e.figure_widget, "networks"))
    assert not np.allclose(before, after)


# --------------------------------------------------------------------------- (2, 2, 2)

def test_boundary_explorer_marks_the_point_and_reports_reachability():
    e = RealBoundaryExplorer()
    e.widget()
    fig = e.figure_widget
    assert "NOT reached" in fig.layout.title.text
    assert "0.577" in e._info.value                 # distance 1/sqrt(3)
    e.controls["t"].value = 1.0
    assert list(trace(fig, "your pair").y) == [1.0]
    assert "NOT" not in fig.layout.title.text and "reached" in fig.layout.title.text
    assert "\\ell_1" in e._info.value               # the hidden neurons of a witness
    e.controls["s"].value = 2.0
    e.controls["t"].value = 0.3                     # 0.09 * 8 = 0.72 < 1: not reached
    assert "NOT reached" in fig.layout.title.text


def test_boundary_heat_map_is_nan_exactly_where_reached():
    e = RealBoundaryExplorer()
    fig = e.figure(e.data())
    dist = np.array(trace(fig, "not reached").z, dtype=float)
    region = np.array(fig.data[0].z, dtype=float)
    assert np.array_equal(np.isnan(dist), ~np.isnan(region))
    s, t = np.asarray(fig.data[0].x), np.asarray(fig.data[0].y)
    S, T = np.meshgrid(s, t)
    assert np.array_equal(~np.isnan(region), T**2 * (4 + S**2) > 1)
    assert np.nanmax(dist) == pytest.approx(1 / np.sqrt(3), abs=1e-2)


# --------------------------------------------------------------------------- linear networks

def test_rank_one_slice_is_a_cone_at_zero_and_a_hyperboloid_otherwise():
    e = RankOneExplorer()
    e.widget()
    fig = e.figure_widget
    assert list(trace(fig, "singular point").x) == [0]
    surf = trace(fig, "rank ≤ 1")
    q, r, p = (np.asarray(v, dtype=float) for v in (surf.x, surf.y, surf.z))
    assert np.allclose(q**2 + r**2, p**2, atol=1e-3)
    e.controls["s"].value = 0.5
    assert list(trace(fig, "singular point").x) == [None]      # nothing drawn off the cone
    assert list(trace(fig, "singular point").text) == [""]
    surf = trace(fig, "rank ≤ 1")
    q, r, p = (np.asarray(v, dtype=float) for v in (surf.x, surf.y, surf.z))
    assert np.allclose(q**2 + r**2, p**2 + 0.25, atol=1e-3)
    assert "hyperboloid" in fig.layout.title.text
    pts = xyz(trace(fig, "W₂W₁"))
    assert np.allclose(pts[:, 0] ** 2 + pts[:, 1] ** 2, pts[:, 2] ** 2 + 0.25, atol=1e-3)


# --------------------------------------------------------------------------- fibers

def test_fiber_slider_moves_along_the_fiber_without_changing_the_function():
    e = FiberExplorer(c=1.5)
    e.widget()
    fig = e.figure_widget
    line = trace(fig, "its function")
    before = np.asarray(line.y, dtype=float)
    e.controls["u"].value = 0.8
    point = trace(fig, "parameters")
    assert point.x[0] * point.y[0] == pytest.approx(1.5)
    assert point.x[0] == pytest.approx(np.exp(0.8))
    assert np.allclose(np.asarray(trace(fig, "its function").y, dtype=float), before)
    fiber = trace(fig, "fiber")
    product = np.array(fiber.x, dtype=float) * np.array(fiber.y, dtype=float)
    assert np.allclose(product[~np.isnan(product)], 1.5, atol=1e-3)


def test_fiber_over_zero_is_the_two_axes():
    e = FiberExplorer()
    e.widget()
    e.controls["c"].value = 0.0
    fig = e.figure_widget
    fiber = trace(fig, "fiber")
    assert fiber.line.color == COLORS["boundary"]
    x = np.array(fiber.x, dtype=float)
    y = np.array(fiber.y, dtype=float)
    pieces = np.split(np.column_stack([x, y]), np.nonzero(np.isnan(x))[0])
    pieces = [p[~np.isnan(p[:, 0])] for p in pieces if np.any(~np.isnan(p[:, 0]))]
    assert len(pieces) == 2
    assert np.allclose(pieces[0][:, 1], 0) and np.allclose(pieces[1][:, 0], 0)  # the two axes
    assert "critical point of the parameterization" in e._info.value
    assert trace(fig, "w = 0: critical point").marker.color == COLORS["singular"]
    assert np.allclose(np.asarray(trace(fig, "its function").y, dtype=float), 0)


# --------------------------------------------------------------------------- loss landscapes

def test_loss_explorer_gradient_descent_reaches_the_valley_by_default():
    e = LossLandscapeExplorer()
    e.widget()
    fig = e.figure_widget
    c_path = np.asarray(trace(fig, "c = w₁w₂").x, dtype=float)
    star = trace(fig, "best fit")
    assert c_path[-1] == pytest.approx(star.x[0], abs=1e-2)
    losses = np.asarray(trace(fig, "c = w₁w₂").y, dtype=float)
    assert np.all(np.diff(losses) <= 1e-12)          # the loss decreases along the path


def test_loss_explorer_initialization_on_the_antidiagonal_ends_at_the_saddle():
    e = LossLandscapeExplorer()
    e.widget()
    fig = e.figure_widget
    e.controls["w1_init"].value = 1.0
    e.controls["w2_init"].value = -1.0
    assert "saddle" in fig.layout.title.text
    path = trace(fig, "descent on w")
    assert abs(path.x[-1]) < 1e-2 and abs(path.y[-1]) < 1e-2
    fpath = trace(fig, "descent on c")          # function space does not get stuck
    assert fpath.x[-1] == pytest.approx(trace(fig, "best fit").x[0], abs=1e-2)


def test_loss_explorer_large_learning_rate_diverges_and_slope_moves_the_star():
    e = LossLandscapeExplorer()
    e.widget()
    fig = e.figure_widget
    e.controls["lr"].value = 0.8
    e.controls["w1_init"].value = 2.0
    e.controls["w2_init"].value = 2.0
    assert "diverges" in fig.layout.title.text
    e.controls["lr"].value = 0.1
    e.controls["slope"].value = -1.0
    assert trace(fig, "best fit").x[0] < -0.5
    surf = trace(fig, "loss L")                  # the 41 x 41 grid as a mesh, for slope -1
    data = e.data()
    assert surf.type == "mesh3d" and len(surf.z) == 41 * 41
    assert np.allclose(surf.z, np.asarray(data["L"]).ravel(), atol=1e-4)
    # the level curves lie on the level sets of L (at height c, where L = c) and their
    # shadows on the scene's floor; contourpy's points lie on grid edges, where bilinear
    # interpolation of the grid is exact
    from scipy.interpolate import RegularGridInterpolator

    levels = trace(fig, "level curves of L")
    x, y, z, c = (np.asarray(v, dtype=float)
                  for v in (levels.x, levels.y, levels.z, levels.line.color))
    floor = fig.layout.scene.zaxis.range[0]
    on, shadow = np.isfinite(z) & (z > floor), np.isfinite(z) & (z == floor)
    assert on.sum() > 100 and shadow.sum() == on.sum()
    assert np.allclose(z[on] - LEVEL_LIFT, c[on]) and set(c[on]) == set(np.arange(0.25, 5.0, 0.5))
    L = RegularGridInterpolator((data["w2"], data["w1"]), np.asarray(data["L"]))
    assert np.allclose(L(np.column_stack([y[on], x[on]])), c[on], atol=2e-3)


@pytest.mark.parametrize("lr", [0.6, 0.8])
def test_loss_explorer_diverging_path_is_clipped_and_the_surface_keeps_its_box(lr):
    e = LossLandscapeExplorer()
    e.widget()
    fig = e.figure_widget
    surface_before = np.asarray(trace(fig, "loss L").z, dtype=float).copy()
    scene_before = fig.layout.scene.to_plotly_json()
    e.controls["lr"].value = lr
    assert "diverges" in fig.layout.title.text and "leaves the box" in fig.layout.title.text
    data = e.data()
    assert data["path"].diverged and data["path"].losses.max() > 1e6   # the raw path explodes
    path = trace(fig, "descent on w")
    xyz = np.column_stack([np.asarray(path[k], dtype=float) for k in ("x", "y", "z")])
    xyz = xyz[np.all(np.isfinite(xyz), axis=1)]
    lift = 0.03 * (5.0 + 1.5)
    assert len(xyz) >= 2
    assert np.all(np.abs(xyz[:, :2]) <= 2.0 + 1e-12) and np.all(xyz[:, 2] <= 5.0 + lift + 1e-12)
    exit_point = [float(trace(fig, "descent on w leaves")[k][0]) for k in ("x", "y", "z")]
    assert exit_point == pytest.approx(list(xyz[-1]))      # marked where the path ends
    on_boundary = max(abs(exit_point[0]), abs(exit_point[1])) == pytest.approx(2.0) or \
        exit_point[2] == pytest.approx(5.0 + lift)
    assert on_boundary
    c_path = trace(fig, "c = w₁w₂ along")
    cs = np.asarray(c_path.x, dtype=float)
    ls = np.asarray(c_path.y, dtype=float)
    assert np.nanmax(np.abs(cs)) <= 3.0 and np.nanmax(ls) <= 5.0
    assert len(trace(fig, "descent leaves the plotted range").x) >= 1
    # the surface and the scene's box do not move
    assert np.array_equal(np.asarray(trace(fig, "loss L").z, dtype=float), surface_before)
    scene = fig.layout.scene
    assert list(scene.zaxis.range) == [-1.5, 5.0] and list(scene.xaxis.range) == [-2.0, 2.0]
    assert scene.to_plotly_json()["zaxis"] == scene_before["zaxis"]


def test_loss_explorer_static_steps_keep_every_path_in_the_box():
    fig = LossLandscapeExplorer().static_figure()
    names = [t.name for t in fig.data]
    for step in fig.layout.sliders[0].steps:
        restyle, _, traces = step.args
        assert names.index("loss L(w₁, w₂)") not in traces    # the surface is sent once
        path = traces.index(names.index("descent on w"))
        z = np.asarray(restyle["z"][path], dtype=float)
        assert np.nanmax(z) <= 5.0 + 0.03 * 6.5 + 1e-9, step.label
        assert np.nanmax(np.abs(np.asarray(restyle["x"][path], dtype=float))) <= 2.0


def test_loss_explorer_static_figure_reaches_the_initialization_of_the_prompt():
    """The prompt starts at w = (1, -1): the static slider has that start, and its path
    runs along the antidiagonal into the saddle (the start itself lies above the plotted
    loss range, so the drawn path begins where it enters the box)."""
    fig = LossLandscapeExplorer().static_figure()
    names = [t.name for t in fig.data]
    steps = {s.label: s for s in fig.layout.sliders[0].steps}
    step = steps["0.1 at (1, -1)"]
    restyle, relayout, traces = step.args
    path = traces.index(names.index("descent on w"))
    xs = np.asarray(restyle["x"][path], dtype=float)
    ys = np.asarray(restyle["y"][path], dtype=float)
    assert 0 < xs[0] <= 1.0 and ys[0] == pytest.approx(-xs[0])
    assert np.allclose(xs + ys, 0) and abs(xs[-1]) < 1e-2       # along the antidiagonal, to 0
    assert "saddle" in relayout["title.text"]
    assert "0.4 at (1, -1)" in steps and "0.1 at (1, -1)" in steps
