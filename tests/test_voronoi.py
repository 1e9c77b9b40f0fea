"""Voronoi cells of singular points in the plane and of the cone (nagviz.voronoi)."""

import math

import numpy as np
import pytest

from nagviz.voronoi import (CORNER, CROSSING_LINES, CUSP, NODE, cone_vertex_voronoi,
                            nearest_point_on_curve, singular_voronoi_grid)


def test_cusp_voronoi_cell_has_positive_area_node_and_lines_do_not():
    cusp = singular_voronoi_grid(CUSP, resolution=121)
    assert cusp.fraction > 0.2 and cusp.mask.shape == (121, 121)
    for curve in (NODE, CROSSING_LINES):
        grid = singular_voronoi_grid(curve, resolution=121)
        assert grid.fraction < 1e-3  # the singular point alone (one grid point at most)


def test_cusp_cell_contains_the_targets_behind_the_cusp():
    # behind the cusp (x < 0, y = 0) the cusp is nearest; in front of it it is not
    for a in (-0.1, -1.0, -3.0):
        assert nearest_point_on_curve(CUSP, (a, 0.0)).is_singular
    for a in (0.05, 1.0):
        assert not nearest_point_on_curve(CUSP, (a, 0.0)).is_singular


@pytest.mark.parametrize("curve", [CUSP, NODE, CROSSING_LINES], ids=lambda c: c.name)
def test_nearest_points_agree_with_brute_force(curve):
    rng = np.random.default_rng(0)
    ts = np.linspace(-3, 3, 60001)
    points = np.concatenate(curve.sample(ts), axis=1)
    for target in rng.uniform(-2, 2, (40, 2)):
        got = nearest_point_on_curve(curve, target)
        brute = np.hypot(*(points - target[:, None])).min()
        assert got.distance <= brute + 1e-9
        assert got.distance >= brute - 1e-3  # the brute force grid is only so fine


def test_cone_vertex_voronoi_double_cone_vs_one_nappe():
    assert cone_vertex_voronoi("double", n_samples=4000).fraction == 0.0
    nappe = cone_vertex_voronoi("nappe", "bombieri", n_samples=40000, seed=1)
    # a 2x2 GOE matrix is negative semidefinite with probability (2 - sqrt 2) / 4
    assert nappe.exact_fraction == pytest.approx((2 - math.sqrt(2)) / 4)
    assert abs(nappe.fraction - nappe.exact_fraction) < 0.01
    assert cone_vertex_voronoi("nappe", "euclidean", n_samples=4000).fraction > 0.05


def test_cone_vertex_voronoi_nappe_is_the_polar_cone():
    # -(x^2 + y^2) is negative definite: nearest point of the psd nappe is the vertex;
    # x^2 - y^2 is indefinite: it is not
    r = cone_vertex_voronoi("nappe", targets=[[-1.0, 0.0, -1.0], [1.0, 0.0, -1.0]])
    assert r.is_vertex.tolist() == [True, False]


def test_corner_is_one_nappe_with_a_fat_cell():
    grid = singular_voronoi_grid(CORNER, resolution=101)
    assert abs(grid.fraction - 0.25) < 0.02          # the quadrant x, y <= 0
    assert nearest_point_on_curve(CORNER, (-0.3, -1.0)).is_singular
    assert not nearest_point_on_curve(CORNER, (0.3, -1.0)).is_singular
