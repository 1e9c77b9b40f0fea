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


@pytest.mark.parametrize("kind", ["nappe", "double"])
@pytest.mark.parametrize("inner_product", ["bombieri", "euclidean"])
@pytest.mark.parametrize("n_angles", [720, 13, 1])
def test_cone_vertex_voronoi_checks_every_direction(kind, inner_product, n_angles):
    """The first pass over eight directions only saves time: the cell is, target by
    target, the set where <t, u>_G <= tol in every one of the n_angles directions."""
    from nagviz.architecture import Architecture
    from nagviz.inner_products import inner_product_matrix

    r = cone_vertex_voronoi(kind, inner_product, n_samples=3000, seed=7, n_angles=n_angles)
    edges = np.array([[0, 0, 0], [-1, 0, 0], [-1, 2, -1], [-1, 1e-13, 0], [1e-300, 0, 0]])
    t = np.vstack([r.targets, edges])
    G = inner_product_matrix(Architecture((2, 1, 1), 2), inner_product)
    phi = np.linspace(0, np.pi, n_angles, endpoint=False)
    U = np.stack([np.cos(phi) ** 2, 2 * np.cos(phi) * np.sin(phi), np.sin(phi) ** 2], axis=1)
    U /= np.sqrt(np.einsum("ka,ab,kb->k", U, G, U))[:, None]
    proj = t @ G @ U.T
    tol = 1e-12 * np.sqrt(np.einsum("na,ab,nb->n", t, G, t))
    direct = (proj if kind == "nappe" else np.abs(proj)).max(axis=1) <= tol
    got = cone_vertex_voronoi(kind, inner_product, n_angles=n_angles, targets=t).is_vertex
    assert got.tolist() == direct.tolist()
    assert got[:3000].tolist() == r.is_vertex.tolist()
    assert direct[-5] and (kind == "nappe" or not direct[-4:].any())  # double: t = 0 alone


@pytest.mark.parametrize("n_angles", [0, -3, 2.5, "720", True])
def test_cone_vertex_voronoi_rejects_bad_direction_counts(n_angles):
    with pytest.raises(ValueError, match="n_angles must be a positive integer"):
        cone_vertex_voronoi("nappe", n_samples=10, n_angles=n_angles)


def test_corner_is_one_nappe_with_a_fat_cell():
    grid = singular_voronoi_grid(CORNER, resolution=101)
    assert abs(grid.fraction - 0.25) < 0.02          # the quadrant x, y <= 0
    assert nearest_point_on_curve(CORNER, (-0.3, -1.0)).is_singular
    assert not nearest_point_on_curve(CORNER, (0.3, -1.0)).is_singular
