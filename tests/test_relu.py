"""Linear regions of small ReLU networks (nagviz.relu)."""

import numpy as np
import pytest

from nagviz.relu import (ReLUNetwork, arrangement_bound, grid_region_count, linear_regions,
                         region_growth, shallow_region_count)

BOX = (-3.0, 3.0, -3.0, 3.0)


def test_two_lines_through_the_origin_give_four_quadrants():
    W1 = np.array([[1.0, 0.0], [0.0, 1.0]])
    net = ReLUNetwork((2, 2, 1), (W1, np.array([[2.0, -1.0]])), (np.zeros(2), np.zeros(1)))
    r = linear_regions(net)
    assert r.count == 4 and grid_region_count(net, resolution=51).count == 4
    assert sorted(map(tuple, r.gradients.tolist())) == [(0.0, -1.0), (0.0, 0.0), (2.0, -1.0), (2.0, 0.0)]
    np.testing.assert_allclose(sorted(r.areas), [1.0] * 4)


@pytest.mark.parametrize("widths", [(2, 3, 1), (2, 8, 1), (2, 12, 1)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shallow_exact_count_equals_lines_plus_crossings_plus_one(widths, seed):
    net = ReLUNetwork.random(widths, seed=seed)
    exact = linear_regions(net, BOX)
    assert exact.count == shallow_region_count(net, BOX) <= arrangement_bound(widths[1])
    # the whole plane (a huge box) reaches the arrangement bound for generic lines
    assert shallow_region_count(net, (-1e6, 1e6, -1e6, 1e6)) == arrangement_bound(widths[1])


@pytest.mark.parametrize("widths", [(2, 6, 1), (2, 4, 4, 1), (2, 5, 5, 5, 1)])
def test_regions_tile_the_box_and_the_network_is_affine_on_each(widths):
    net = ReLUNetwork.random(widths, seed=3)
    r = linear_regions(net, BOX)
    assert r.areas.sum() == pytest.approx(36.0)
    assert len(set(r.patterns)) == r.count          # one convex region per pattern
    rng = np.random.default_rng(0)
    for poly, pattern, grad in zip(r.polygons, r.patterns, r.gradients):
        # two interior points (convex combinations of vertices): same pattern, slope = grad
        wts = rng.dirichlet(np.ones(len(poly)), size=2)
        pts = wts @ poly
        assert [tuple(p) for p in net.activation_pattern(pts)] == [pattern, pattern]
        f = net(pts)[:, 0]
        assert f[1] - f[0] == pytest.approx(grad @ (pts[1] - pts[0]), abs=1e-9)


@pytest.mark.parametrize("widths, seed", [((2, 8, 1), 0), ((2, 5, 5, 1), 1), ((2, 6, 6, 6, 1), 2)])
def test_grid_count_approaches_the_exact_count_from_below(widths, seed):
    net = ReLUNetwork.random(widths, seed=seed)
    exact = linear_regions(net, BOX).count
    coarse, fine = (grid_region_count(net, BOX, res).count for res in (40, 800))
    assert coarse <= fine <= exact
    assert fine >= exact - 2          # only slivers thinner than 6/800 can be missed


def test_growth_with_width():
    g = region_growth([1, 2, 4, 8], seeds=4, box=(-100, 100, -100, 100))
    assert (g.counts == g.bound[:, None]).all()   # a large box: every line meets every other
    deep = region_growth([2, 4], depth=2, seeds=4)
    assert deep.counts.shape == (2, 4) and deep.mean[1] > deep.mean[0]
    assert "width   4" in repr(deep)


def test_bad_input():
    with pytest.raises(ValueError, match=r"\(2, d_1"):
        ReLUNetwork((3, 2, 1), (np.zeros((2, 3)), np.zeros((1, 2))), (np.zeros(2), np.zeros(1)))
    with pytest.raises(ValueError, match="shape"):
        ReLUNetwork((2, 2, 1), (np.zeros((2, 3)), np.zeros((1, 2))), (np.zeros(2), np.zeros(1)))
    with pytest.raises(ValueError, match="xmin < xmax"):
        linear_regions(ReLUNetwork.random((2, 2, 1), seed=0), (1, 0, 0, 1))
    with pytest.raises(ValueError, match="resolution"):
        grid_region_count(ReLUNetwork.random((2, 2, 1), seed=0), resolution=1)
    with pytest.raises(ValueError, match="one hidden layer"):
        shallow_region_count(ReLUNetwork.random((2, 2, 2, 1), seed=0))


def test_replacing_relu_by_its_polynomial_approximation_closes_the_gap():
    from nagviz.approximation import approximate

    net = ReLUNetwork.random((2, 6, 1), seed=5)
    X = np.random.default_rng(0).uniform(-1, 1, (500, 2))
    reach = net.preactivation_range(X)
    W, b = net.weights[0], net.biases[0]
    assert reach == pytest.approx(np.abs(X @ W.T + b).max())
    gaps = [np.abs(net(X) - net(X, activation=approximate("relu", n, interval=(-reach, reach)))).max()
            for n in (4, 16, 64)]
    assert gaps[0] > gaps[1] > gaps[2] and gaps[2] < 0.02 * np.abs(net(X)).max()


@pytest.mark.parametrize("widths", [(2, 10, 10, 1), (2, 6, 6, 6, 1), (2, 9, 9, 9, 1)])
def test_deep_exact_counts_equal_a_fine_grid_and_the_regions_tile_the_box(widths):
    # the polygon cutting skips a neuron's line where it misses a cell; a second way to count
    # (distinct activation patterns on a 1200 x 1200 grid, a lower bound) must not exceed it,
    # and on these networks reaches it up to regions thinner than the grid spacing (0.005)
    for seed in range(3):
        net = ReLUNetwork.random(widths, seed=seed)
        exact = linear_regions(net, BOX)
        grid = grid_region_count(net, BOX, 1200).count
        assert grid <= exact.count and len(set(exact.patterns)) == exact.count
        assert exact.areas.sum() == pytest.approx(36.0)
        thin = sum(a < 1e-3 for a in exact.areas)   # regions the grid may miss
        assert exact.count - thin <= grid


def test_values_pattern_and_reach_equal_plain_numpy():
    # the network is evaluated in row blocks (one BLAS thread); the numbers must be the same
    net = ReLUNetwork.random((2, 10, 10, 1), seed=4)
    X = np.random.default_rng(1).uniform(-3, 3, (5000, 2))
    h, pre = X, []
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        pre.append(h @ W.T + b)
        h = np.maximum(pre[-1], 0.0)
    np.testing.assert_allclose(net(X), h @ net.weights[-1].T + net.biases[-1], rtol=1e-12, atol=1e-12)
    assert np.array_equal(net.activation_pattern(X), np.concatenate([p > 0 for p in pre], axis=1))
    assert net.preactivation_range(X) == pytest.approx(max(np.abs(p).max() for p in pre), rel=1e-12)
