"""Surfaces as meshes and level curves as lines (nagviz/explorers/_mesh.py), and the
explorers that draw with them: same geometry as plotly's surface and contour traces."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.interpolate import RegularGridInterpolator

from nagviz.explorers import DiscriminantExplorer, ReLURegionsExplorer, SingularSliceExplorer
from nagviz.explorers._mesh import level_curves, surface_mesh


def _triangles(m):
    return np.column_stack([m["i"], m["j"], m["k"]])


def test_a_full_grid_becomes_two_triangles_a_cell_on_the_same_points():
    x, y = np.linspace(-1, 1, 5), np.linspace(0, 2, 4)
    z = x[None, :] ** 2 - y[:, None]
    m = surface_mesh(x, y, z, colorscale="Viridis", cmin=-2, cmax=1)
    assert len(m["x"]) == 20 and len(m["i"]) == 2 * 4 * 3
    X, Y = np.meshgrid(x, y)
    assert np.allclose(m["x"], X.ravel()) and np.allclose(m["y"], Y.ravel())
    assert np.allclose(m["z"], z.ravel()) and np.allclose(m["intensity"], z.ravel())
    assert (m["cmin"], m["cmax"]) == (-2, 1)
    # each cell's two triangles share its diagonal and together use its four corners
    tri = _triangles(m)
    for first, second in zip(tri[:12], tri[12:]):
        assert len(set(first) | set(second)) == 4 and len(set(first) & set(second)) == 2


def test_missing_points_drop_their_cells_and_are_not_sent():
    z = np.ones((3, 3))
    z[1, 1] = np.nan                       # the middle point touches all four cells
    m = surface_mesh(None, None, z, color="red")
    assert len(m["x"]) == 8 and len(m["i"]) == 0 and "intensity" not in m
    z[1, 1] = 1.0
    z[0, 0] = np.nan                       # a corner touches one cell
    m = surface_mesh(None, None, z, color="red")
    assert len(m["x"]) == 8 and len(m["i"]) == 2 * 3
    assert _triangles(m).max() == 7        # renumbered onto the points kept


def test_parametric_grids_and_surfacecolor():
    u, v = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 2 * np.pi, 7))
    X, Y, Z = u * np.cos(v), u * np.sin(v), u
    m = surface_mesh(X, Y, Z, surfacecolor=(u > 0.5).astype(float))
    assert np.allclose(np.hypot(m["x"], m["y"]), m["z"], atol=1e-5)   # the cone z = r
    assert sorted(set(m["intensity"])) == [0.0, 1.0]


def test_bad_input_says_what_is_wrong():
    with pytest.raises(ValueError, match="2-D grid"):
        surface_mesh([0, 1], [0], [0.0, 1.0])
    with pytest.raises(TypeError, match="contours"):
        surface_mesh([0, 1], [0, 1], [[0, 1], [1, 2]], contours=dict(z=dict(show=True)))


def test_level_curves_lie_on_their_level_and_can_be_projected():
    t = np.linspace(-1.5, 1.5, 61)
    f = t[None, :] ** 2 - t[:, None] ** 2               # a saddle: level 0 is two lines
    xs, ys, zs, cs = level_curves(t, t, f, [-0.5, 0.0, 0.5], at=-3.0)
    ok = np.isfinite(xs)                                  # NaN separates the curves
    assert np.array_equal(ok, np.isfinite(ys)) and np.array_equal(ok, np.isfinite(zs))
    assert (~ok).sum() >= 4                               # at least one curve a level, 2 at 0
    assert np.allclose(xs[ok] ** 2 - ys[ok] ** 2, cs[ok], atol=1e-3)
    assert set(zs[ok].tolist()) == {-3.0}
    assert sorted(set(cs.tolist())) == [-0.5, 0.0, 0.5]
    empty = level_curves(t, t, f, [10.0])                 # above the maximum: no curve
    assert all(len(a) == 0 for a in empty)


def test_the_slice_explorer_does_not_resend_its_meshes_on_a_slider_move():
    e = SingularSliceExplorer()
    e.widget()
    live = e.figure_widget
    sheets = [k for k, t in enumerate(live.data) if t.meta == "static:slice"]
    assert len(sheets) == 2 and all(live.data[k].type == "mesh3d" for k in sheets)
    sent = []
    live.observe(lambda change: sent.append(change["new"]), names=["_py2js_update"])
    e.controls["alpha"].value = 0.5
    updates = [m for m in sent if m]
    assert len(updates) == 1                              # one restyle + relayout message
    touched = set(updates[0]["style_traces"])
    assert touched and not touched & set(sheets)          # the cross-section, not the slice
    assert "0.50" in live.layout.title.text


def _traced(explorer, name, axis, grid):
    """The explorer's data, and the values of ``grid`` (on ``axis`` x ``axis``) at the
    points of its line trace ``name``: contourpy's points lie on grid edges, where linear
    interpolation of the grid is exact."""
    data = explorer.data()
    line = next(t for t in explorer.figure(data).data if t.name == name)
    x, y = np.array(line.x, dtype=float), np.array(line.y, dtype=float)
    ok = np.isfinite(x)
    assert ok.sum() > 50
    values = np.asarray(data[grid], dtype=float)
    # float32 points on the grid's edge may lie 1e-7 outside it: extrapolate there
    at = RegularGridInterpolator((data[axis], data[axis]), values, bounds_error=False,
                                 fill_value=None)(np.column_stack([y[ok], x[ok]]))
    return data, values, at


def test_the_discriminant_line_is_the_zero_set_of_the_discriminant():
    e = DiscriminantExplorer()
    data, disc, at = _traced(e, "data discriminant", "s", "disc")
    assert np.abs(at).max() < 1e-3 * np.abs(disc).max()
    heat = next(t for t in e.figure(data).data if t.type == "heatmap")
    step = np.diff(np.asarray(heat.x, dtype=float))          # evenly spaced: plotly's fast path
    assert np.abs(step - step.mean()).max() < 0.01 * step.mean()


def test_relu_level_sets_lie_on_twenty_levels_of_the_network():
    data, values, at = _traced(ReLURegionsExplorer(), "level sets of f", "xs", "values")
    levels = np.linspace(values.min(), values.max(), 22)[1:-1]
    nearest = np.abs(at[:, None] - levels[None, :]).min(axis=1)
    assert nearest.max() < 2e-3 * (values.max() - values.min())
    assert len({int(np.argmin(np.abs(v - levels))) for v in at}) >= 15


def test_the_redraw_benchmark_records_what_the_page_receives():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from redraw import record

    initial, moves = record(SingularSliceExplorer)
    assert [t["type"] for t in initial["data"]].count("mesh3d") == 3
    (name, (there, back)), = moves
    assert name == "alpha" and len(there) == len(back) == 1
    assert there[0]["layout_data"]["title.text"] != back[0]["layout_data"]["title.text"]


def test_the_landscape_level_curves_are_the_24ths_of_the_colour_scale():
    from nagviz.explorers import CriticalLandscapeExplorer

    data, L, at = _traced(CriticalLandscapeExplorer(), "level curves of the loss", "w1", "L")
    top = float(np.quantile(L, 0.9))                      # the top of the colour scale
    steps = at / (top / 24)
    # on the levels k top / 24 (points are sent to 3 decimals: a twentieth of a level) ...
    assert np.abs(steps - np.round(steps)).max() < 0.05
    assert set(np.round(steps).astype(int)) <= set(range(1, 24))   # ... below the top
    heat = next(t for t in CriticalLandscapeExplorer().figure(data).data if t.name == "loss")
    assert heat.type == "heatmap" and heat.zmax == pytest.approx(top)
